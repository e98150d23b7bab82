// The Step Functions Local mock configuration: what it accepts (the documented example, any JSON
// as Return, ranges) and the start-time errors that name the field at fault.
#include "broker/states/mocks/mock_config.h"

#include <gtest/gtest.h>

#include <string>

#include "engine/json/json_serialize.h"

namespace sluice::states::mocks {
namespace {

// The example of the AWS Step Functions Local guide.
constexpr const char* kGuideExample = R"({
  "StateMachines": {"LambdaSQSIntegration": {"TestCases": {
    "HappyPath": {"LambdaState": "MockedLambdaSuccess", "SQSState": "MockedSQSSuccess"},
    "RetryPath": {"LambdaState": "MockedLambdaRetry", "SQSState": "MockedSQSSuccess"},
    "HybridPath": {"LambdaState": "MockedLambdaSuccess"}}}},
  "MockedResponses": {
    "MockedLambdaSuccess": {"0": {"Return": {"StatusCode": 200,
                                             "Payload": {"StatusCode": 200, "body": "Hello"}}}},
    "LambdaMockedResourceNotReady": {"0": {"Throw": {"Error": "Lambda.ResourceNotReadyException",
                                                     "Cause": "Lambda resource is not ready."}}},
    "MockedSQSSuccess": {"0": {"Return": {"MD5OfMessageBody": "3bcb", "MessageId": "3bcb-8b51"}}},
    "MockedLambdaRetry": {
      "0": {"Throw": {"Error": "Lambda.ResourceNotReadyException", "Cause": "not ready"}},
      "1-2": {"Throw": {"Error": "Lambda.TimeoutException", "Cause": "Lambda timed out."}},
      "3": {"Return": {"StatusCode": 200}}}}})";

std::string error_of(const std::string& text) {
  auto r = parse_mock_config(text);
  if (r.ok()) return "<ok>";
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidParameterValue);
  return r.error().message;
}

std::string with_responses(const std::string& responses) {
  return R"({"StateMachines": {}, "MockedResponses": )" + responses + "}";
}

TEST(MockConfigTest, TheGuideExampleParses) {
  auto r = parse_mock_config(kGuideExample);
  ASSERT_TRUE(r.ok()) << r.error().message;
  const MockConfig& c = *r;
  EXPECT_TRUE(c.has_machine("LambdaSQSIntegration"));
  EXPECT_FALSE(c.has_machine("Other"));
  EXPECT_FALSE(c.test_case("LambdaSQSIntegration", "SadPath"));
  EXPECT_FALSE(c.test_case("Other", "HappyPath"));
  const TestCase* hybrid = c.test_case("LambdaSQSIntegration", "HybridPath");
  ASSERT_TRUE(hybrid);
  EXPECT_EQ(hybrid->size(), 1u);
  EXPECT_EQ(hybrid->count("SQSState"), 0u);

  const TestCase* retry = c.test_case("LambdaSQSIntegration", "RetryPath");
  ASSERT_TRUE(retry);
  const MockedResponse& lambda = *retry->at("LambdaState");
  ASSERT_EQ(lambda.ranges().size(), 3u);
  const MockAnswer* a = lambda.at(0);
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->is_throw);
  EXPECT_EQ(a->error, "Lambda.ResourceNotReadyException");
  for (uint64_t i : {1u, 2u}) {
    a = lambda.at(i);
    ASSERT_TRUE(a);
    EXPECT_EQ(a->error, "Lambda.TimeoutException");
    EXPECT_EQ(a->cause, "Lambda timed out.");
  }
  a = lambda.at(3);
  ASSERT_TRUE(a);
  EXPECT_FALSE(a->is_throw);
  EXPECT_EQ(engine::json::serialize(a->result), R"({"StatusCode":200})");
  // Past the last key: no answer (the state fails when it gets there).
  EXPECT_FALSE(lambda.at(4));
}

TEST(MockConfigTest, ReturnIsAnyJsonAndKeysMayComeInAnyOrder) {
  auto r = parse_mock_config(R"({"StateMachines": {"m": {"TestCases": {"c": {"S": "R"}}}},
      "MockedResponses": {"R": {"2-3": {"Return": [1, "two"]}, "0": {"Return": "text"},
                                "1": {"Return": null}, "5": {"Return": 7}}}})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  const MockedResponse& m = *r->test_case("m", "c")->at("S");
  EXPECT_EQ(engine::json::serialize(m.at(0)->result), R"("text")");
  EXPECT_TRUE(m.at(1)->result.is_null());
  EXPECT_EQ(engine::json::serialize(m.at(3)->result), R"([1,"two"])");
  EXPECT_FALSE(m.at(4));  // a gap: no answer
  EXPECT_EQ(m.at(5)->result.as_int(), 7);
  // Empty sections are a valid (if useless) configuration.
  EXPECT_TRUE(parse_mock_config("{}").ok());
  EXPECT_TRUE(parse_mock_config(R"({"StateMachines": {}, "MockedResponses": {"R": {}}})").ok());
}

TEST(MockConfigTest, ShapeErrorsNameTheField) {
  EXPECT_EQ(error_of("[1]"), "the file: must be a JSON object");
  EXPECT_EQ(error_of("{oops").rfind("the file: is not JSON: ", 0), 0u);
  EXPECT_EQ(error_of(R"({"StateMachine": {}})"),
            "the file: unknown top-level field \"StateMachine\" (expected StateMachines and "
            "MockedResponses)");
  EXPECT_EQ(error_of(R"({"StateMachines": []})"), "StateMachines: must be an object");
  EXPECT_EQ(error_of(R"({"StateMachines": {"m": {"Cases": {}}}})"),
            "StateMachines.m: must have exactly one field, TestCases");
  EXPECT_EQ(error_of(R"({"StateMachines": {"m": {"TestCases": {"c": ["S"]}}}})"),
            "StateMachines.m.TestCases.c: must be an object of state name -> mocked response name");
  EXPECT_EQ(error_of(R"({"StateMachines": {"m": {"TestCases": {"c": {"S": 1}}}}})"),
            "StateMachines.m.TestCases.c.S: must be the name of a mocked response (a string)");
  EXPECT_EQ(error_of(R"({"StateMachines": {"m": {"TestCases": {"c": {"S": "Gone"}}}}})"),
            "StateMachines.m.TestCases.c.S: names the mocked response \"Gone\", which "
            "MockedResponses does not define");
  EXPECT_EQ(error_of(with_responses(R"({"R": []})")),
            "MockedResponses.R: must be an object of invocation numbers (\"0\", \"1-2\")");
}

TEST(MockConfigTest, InvocationKeysAreNumbersOrInclusiveRangesThatDoNotOverlap) {
  for (const char* key : {"a", "-1", "1-", "-", "1-2-3", " 1", "1.5", "0x1", "9999999999"}) {
    EXPECT_EQ(error_of(with_responses(std::string(R"({"R": {")") + key + R"(": {"Return": 1}}})")),
              std::string("MockedResponses.R: the key \"") + key +
                  "\" is not an invocation number (\"0\") or an inclusive range of them "
                  "(\"1-2\")")
        << key;
  }
  EXPECT_EQ(error_of(with_responses(R"({"R": {"3-1": {"Return": 1}}})")),
            "MockedResponses.R: the range \"3-1\" ends before it starts");
  EXPECT_EQ(error_of(with_responses(R"({"R": {"0-2": {"Return": 1}, "2": {"Return": 2}}})")),
            "MockedResponses.R: invocation 2 is answered by two keys (ranges overlap)");
}

TEST(MockConfigTest, EachAnswerIsExactlyOneReturnOrThrowWithErrorAndCause) {
  auto answer_error = [](const std::string& answer) {
    return error_of(with_responses(R"({"R": {"0": )" + answer + "}}"));
  };
  EXPECT_EQ(answer_error("1"), "MockedResponses.R.\"0\": must be an object with Return or Throw");
  EXPECT_EQ(answer_error("{}"),
            "MockedResponses.R.\"0\": must have exactly one field, Return or "
            "Throw");
  EXPECT_EQ(answer_error(R"({"Return": 1, "Throw": {"Error": "E", "Cause": "C"}})"),
            "MockedResponses.R.\"0\": must have exactly one field, Return or Throw");
  EXPECT_EQ(answer_error(R"({"Throw": "E"})"),
            "MockedResponses.R.\"0\".Throw: must be an object with Error and Cause strings");
  EXPECT_EQ(answer_error(R"({"Throw": {"Cause": "C"}})"),
            "MockedResponses.R.\"0\".Throw: needs an Error");
  EXPECT_EQ(answer_error(R"({"Throw": {"Error": "E"}})"),
            "MockedResponses.R.\"0\".Throw: needs a Cause");
  EXPECT_EQ(answer_error(R"({"Throw": {"Error": 1, "Cause": "C"}})"),
            "MockedResponses.R.\"0\".Throw.Error: must be a string");
  EXPECT_EQ(answer_error(R"({"Throw": {"Error": "E", "Cause": "C", "Extra": 1}})"),
            "MockedResponses.R.\"0\".Throw: unknown field \"Extra\"");
}

TEST(MockConfigTest, LoadNamesTheFile) {
  auto r = load_mock_config("/nonexistent/mocks.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message.rfind("cannot read /nonexistent/mocks.json: ", 0), 0u);
}

}  // namespace
}  // namespace sluice::states::mocks
