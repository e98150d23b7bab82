// Intrinsic functions, parameters, conditions and creation order over small templates.
#include "broker/templates/intrinsic_resolver.h"

#include <gtest/gtest.h>

#include "broker/templates/template_reader.h"
#include "engine/json/json_serialize.h"

namespace sluice::templates {
namespace {

Template parse(const std::string& yaml) {
  auto doc = read_template_text(yaml, "dir/stack.yaml");
  EXPECT_TRUE(doc.ok()) << (doc.ok() ? "" : doc.error().message);
  auto t = parse_template(std::move(*doc), "dir/stack.yaml");
  EXPECT_TRUE(t.ok()) << (t.ok() ? "" : t.error().message);
  return std::move(*t);
}

constexpr const char* kTemplate = R"(
Parameters:
  Env: {Type: String, Default: dev, AllowedValues: [dev, prod]}
  Names: {Type: CommaDelimitedList, Default: "a,b,c"}
  Size: {Type: Number}
Mappings:
  Sizes: {dev: {Max: 10}, prod: {Max: 100}}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  NotProd: !Not [!Condition IsProd]
  Both: !And [!Condition NotProd, !Equals [1, 1]]
Resources:
  Queue: {Type: AWS::SQS::Queue}
  Machine: {Type: AWS::StepFunctions::StateMachine, Properties: {X: !Ref Queue}}
)";

struct Fixture : ::testing::Test {
  Template t = parse(kTemplate);
  std::unique_ptr<IntrinsicResolver> resolver;

  void make(std::map<std::string, std::string> given) {
    auto params = resolve_parameters(t, given);
    ASSERT_TRUE(params.ok()) << params.error().message;
    StackIdentity id;
    id.region = "eu-west-1";
    id.account_id = "123456789012";
    resolver = std::make_unique<IntrinsicResolver>(t, id, std::move(*params));
    ResourceFacts q;
    q.ref = "http://localhost:9324/123456789012/Queue";
    q.attributes["Arn"] = "arn:aws:sqs:eu-west-1:123456789012:Queue";
    q.attributes["QueueName"] = "Queue";
    resolver->add_resource("Queue", std::move(q));
  }

  std::string eval(const std::string& yaml) {
    auto doc = read_template_text(yaml, "v.yaml");
    EXPECT_TRUE(doc.ok());
    auto v = resolver->resolve(*doc);
    EXPECT_TRUE(v.ok()) << (v.ok() ? "" : v.error().location + ": " + v.error().message);
    return v.ok() ? json::serialize(*v) : "";
  }

  Error fail(const std::string& yaml) {
    auto doc = read_template_text(yaml, "v.yaml");
    EXPECT_TRUE(doc.ok());
    auto v = resolver->resolve(*doc);
    EXPECT_FALSE(v.ok());
    return v.ok() ? Error{} : v.error();
  }
};

TEST_F(Fixture, RefParametersResourcesAndPseudoParameters) {
  make({{"Size", "3"}});
  EXPECT_EQ(eval("a: !Ref Env"), R"({"a":"dev"})");
  EXPECT_EQ(eval("a: !Ref Names"), R"({"a":["a","b","c"]})");
  EXPECT_EQ(eval("a: !Ref Size"), R"({"a":"3"})");
  EXPECT_EQ(eval("a: !Ref Queue"), R"({"a":"http://localhost:9324/123456789012/Queue"})");
  EXPECT_EQ(eval("[!Ref AWS::Region, !Ref AWS::AccountId, !Ref AWS::Partition, "
                 "!Ref AWS::StackName]"),
            R"(["eu-west-1","123456789012","aws","stack"])");
}

TEST_F(Fixture, OverridesWinAndMissingOrDisallowedValuesFail) {
  make({{"Size", "3"}, {"Env", "prod"}});
  EXPECT_EQ(eval("a: !Ref Env"), R"({"a":"prod"})");
  auto missing = resolve_parameters(t, {});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("parameter Size"), std::string::npos);
  EXPECT_NE(missing.error().message.find("--template-parameter Size=VALUE"), std::string::npos);
  auto disallowed = resolve_parameters(t, {{"Size", "1"}, {"Env", "test"}});
  ASSERT_FALSE(disallowed.ok());
  EXPECT_NE(disallowed.error().message.find("AllowedValues"), std::string::npos);
}

TEST_F(Fixture, GetAttSubJoinSelectSplit) {
  make({{"Size", "3"}});
  EXPECT_EQ(eval("a: !GetAtt Queue.Arn"), R"({"a":"arn:aws:sqs:eu-west-1:123456789012:Queue"})");
  EXPECT_EQ(eval("a: {'Fn::GetAtt': Queue.QueueName}"), R"({"a":"Queue"})");
  EXPECT_EQ(eval("a: !Sub '${AWS::Region}/${Env}/${Queue.QueueName}/${!Literal}'"),
            R"({"a":"eu-west-1/dev/Queue/${Literal}"})");
  EXPECT_EQ(eval("a: !Sub ['${X}-${Env}', {X: !GetAtt Queue.QueueName}]"), R"({"a":"Queue-dev"})");
  EXPECT_EQ(eval("a: !Join ['-', [x, !Ref Env, 3]]"), R"({"a":"x-dev-3"})");
  EXPECT_EQ(eval("a: !Select [1, !Ref Names]"), R"({"a":"b"})");
  EXPECT_EQ(eval("a: !Select ['2', !Split [',', 'x,y,z']]"), R"({"a":"z"})");
  EXPECT_EQ(eval("a: !FindInMap [Sizes, !Ref Env, Max]"), R"({"a":10})");
}

TEST_F(Fixture, ConditionsAndNoValue) {
  make({{"Size", "3"}});
  EXPECT_EQ(eval("a: !If [IsProd, big, small]"), R"({"a":"small"})");
  EXPECT_EQ(eval("a: !If [Both, yes, no]"), R"({"a":"yes"})");
  EXPECT_EQ(eval("a: !If [IsProd, 1, !Ref AWS::NoValue]\nb: 2"), R"({"b":2})");
  EXPECT_EQ(eval("[1, !If [IsProd, 2, !Ref AWS::NoValue], 3]"), R"([1,3])");
  auto c = resolver->condition("NotProd");
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(*c);
}

TEST_F(Fixture, ErrorsNameThePath) {
  make({{"Size", "3"}});
  Error e = fail("Outer:\n  Inner: [x, !Ref Nothing]");
  EXPECT_EQ(e.location, "Outer.Inner[1]");
  EXPECT_NE(e.message.find("Ref Nothing"), std::string::npos);
  e = fail("a: !GetAtt Queue.Bogus");
  EXPECT_NE(e.message.find("no attribute Bogus"), std::string::npos);
  e = fail("a: {'Fn::GetAZs': ''}");
  EXPECT_NE(e.message.find("unsupported intrinsic function Fn::GetAZs"), std::string::npos);
  e = fail("a: !Sub '${Missing}'");
  EXPECT_NE(e.message.find("Missing"), std::string::npos);
}

TEST(CreationOrder, DependenciesFirstThenFileOrder) {
  Template t = parse(R"(
Resources:
  Machine: {Type: T, Properties: {Q: !Ref Queue, D: !Sub '${Dlq.Arn}'}}
  Queue: {Type: T, Properties: {R: !GetAtt Dlq.Arn}}
  Other: {Type: T, DependsOn: Machine}
  Dlq: {Type: T}
)");
  auto order = creation_order(t);
  ASSERT_TRUE(order.ok());
  std::vector<std::string> ids;
  for (size_t i : *order) ids.push_back(t.resources[i].logical_id);
  EXPECT_EQ(ids, (std::vector<std::string>{"Dlq", "Queue", "Machine", "Other"}));
}

TEST(CreationOrder, CyclesAreErrors) {
  Template t = parse(R"(
Resources:
  A: {Type: T, Properties: {X: !Ref B}}
  B: {Type: T, Properties: {X: !GetAtt A.Arn}}
)");
  auto order = creation_order(t);
  ASSERT_FALSE(order.ok());
  EXPECT_NE(order.error().message.find("circular dependency between resources A, B"),
            std::string::npos);
}

}  // namespace
}  // namespace sluice::templates
