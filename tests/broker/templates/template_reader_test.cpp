// The template reader: YAML and JSON, CloudFormation's short-form tags, scalar types, errors.
#include "broker/templates/template_reader.h"

#include <gtest/gtest.h>

#include "engine/json/json_parse.h"
#include "engine/json/json_serialize.h"

namespace sluice::templates {
namespace {

std::string read(const std::string& yaml) {
  auto v = read_template_text(yaml, "t.yaml");
  EXPECT_TRUE(v.ok()) << (v.ok() ? "" : v.error().message);
  return v.ok() ? json::serialize(*v) : "";
}

TEST(TemplateReader, ShortFormTagsBecomeLongForms) {
  EXPECT_EQ(read("a: !Ref Queue"), R"({"a":{"Ref":"Queue"}})");
  EXPECT_EQ(read("a: !GetAtt Queue.Arn"), R"({"a":{"Fn::GetAtt":["Queue","Arn"]}})");
  EXPECT_EQ(read("a: !GetAtt [Queue, QueueName]"), R"({"a":{"Fn::GetAtt":["Queue","QueueName"]}})");
  EXPECT_EQ(read("a: !Sub '${AWS::Region}-x'"), R"({"a":{"Fn::Sub":"${AWS::Region}-x"}})");
  EXPECT_EQ(read("a: !Join [',', [x, !Ref P]]"), R"({"a":{"Fn::Join":[",",["x",{"Ref":"P"}]]}})");
  EXPECT_EQ(read("a: !Select [1, !Split ['-', a-b]]"),
            R"({"a":{"Fn::Select":[1,{"Fn::Split":["-","a-b"]}]}})");
  EXPECT_EQ(read("a: !If [C, 1, !Ref AWS::NoValue]"),
            R"({"a":{"Fn::If":["C",1,{"Ref":"AWS::NoValue"}]}})");
  EXPECT_EQ(read("a: !Not [!Equals [!Ref P, prod]]"),
            R"({"a":{"Fn::Not":[{"Fn::Equals":[{"Ref":"P"},"prod"]}]}})");
  EXPECT_EQ(
      read("a: !And [!Condition X, !Or [!Condition Y, !Condition Z]]"),
      R"({"a":{"Fn::And":[{"Condition":"X"},{"Fn::Or":[{"Condition":"Y"},{"Condition":"Z"}]}]}})");
  EXPECT_EQ(read("a: !FindInMap [M, k1, k2]"), R"({"a":{"Fn::FindInMap":["M","k1","k2"]}})");
}

TEST(TemplateReader, SubListFormAndBlockScalars) {
  EXPECT_EQ(read("a: !Sub\n  - 'x-${Name}'\n  - Name: !Ref Q\n"),
            R"({"a":{"Fn::Sub":["x-${Name}",{"Name":{"Ref":"Q"}}]}})");
  EXPECT_EQ(read("a: !Sub |\n  {\"q\": \"${Q}\"}\n"), R"({"a":{"Fn::Sub":"{\"q\": \"${Q}\"}\n"}})");
}

TEST(TemplateReader, PlainScalarsAreTypedQuotedOnesAreStrings) {
  EXPECT_EQ(read("a: 5\nb: '5'\nc: 1.5\nd: true\ne: \"false\"\nf: ~\ng: 2012-10-17\nh: -3"),
            R"({"a":5,"b":"5","c":1.5,"d":true,"e":"false","f":null,"g":"2012-10-17","h":-3})");
}

TEST(TemplateReader, JsonTemplatesUseTheJsonParser) {
  auto v = read_template_text(R"({"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}})", "t.json");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(json::serialize(*v), R"({"Resources":{"Q":{"Type":"AWS::SQS::Queue"}}})");
  auto bad = read_template_text("{\"Resources\": ", "t.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("t.json"), std::string::npos);
}

TEST(TemplateReader, ErrorsNameFileLineAndColumn) {
  auto bad = read_template_text("a: 1\nb: [1, 2\n", "bad.yaml");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message.rfind("bad.yaml:", 0), 0u) << bad.error().message;
  auto unknown = read_template_text("a:\n  b: !Bogus x\n", "t.yaml");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("t.yaml:2:"), std::string::npos)
      << unknown.error().message;
  EXPECT_NE(unknown.error().message.find("unknown tag !Bogus"), std::string::npos);
  auto getatt = read_template_text("a: !GetAtt NoDot", "t.yaml");
  ASSERT_FALSE(getatt.ok());
  EXPECT_NE(getatt.error().message.find("LogicalId.Attribute"), std::string::npos);
}

}  // namespace
}  // namespace sluice::templates
