// The pure mapping of the AWS SDK integrations (sdk_shapes.h): operation names, task error names
// and causes, member renaming and timestamps.
#include "broker/states/tasks/sdk_shapes.h"

#include <gtest/gtest.h>

#include <regex>

#include "engine/json/json_parse.h"
#include "engine/json/json_serialize.h"

namespace sluice::states::tasks {
namespace {

json::Value parse(std::string_view text) {
  auto v = json::parse(text);
  EXPECT_TRUE(v) << text;
  return v ? std::move(*v) : json::Value();
}

TEST(SdkShapesTest, TheActionNamesTheOperationWithoutItsPattern) {
  EXPECT_EQ(sdk_operation_name("sendMessage"), "SendMessage");
  EXPECT_EQ(sdk_operation_name("sendMessage.waitForTaskToken"), "SendMessage");
  EXPECT_EQ(sdk_operation_name("listQueueTags"), "ListQueueTags");
  EXPECT_EQ(sdk_operation_name(""), "");
}

TEST(SdkShapesTest, AModeledErrorIsItsShapeWithTheExceptionSuffix) {
  EXPECT_EQ(sdk_error_name("Sqs", "com.amazonaws.sqs#QueueDoesNotExist"),
            "Sqs.QueueDoesNotExistException");
  EXPECT_EQ(sdk_error_name("Sqs", "EmptyBatchRequest"), "Sqs.EmptyBatchRequestException");
  // A shape already ending in Exception keeps its name.
  EXPECT_EQ(sdk_error_name("Sqs", "com.amazonaws.sqs#ResourceNotFoundException"),
            "Sqs.ResourceNotFoundException");
}

TEST(SdkShapesTest, AnErrorTheModelDoesNotDeclareIsTheServiceBaseException) {
  EXPECT_EQ(sdk_error_name("Sqs", "com.amazon.coral.service#InternalFailure"), "Sqs.SqsException");
  EXPECT_EQ(sdk_error_name("Sqs", "com.amazonaws.sqs#InvalidParameterValueException"),
            "Sqs.SqsException");
  // Each service has its own model: an Sfn shape is no Sqs exception.
  EXPECT_EQ(sdk_error_name("Sqs", "ExecutionDoesNotExist"), "Sqs.SqsException");
  EXPECT_EQ(sdk_error_name("Sfn", "ExecutionDoesNotExist"), "Sfn.ExecutionDoesNotExistException");
  EXPECT_EQ(sdk_error_name("Sfn", ""), "Sfn.SfnException");
}

TEST(SdkShapesTest, TheCauseIsTheSdkExceptionMessage) {
  std::string cause = sdk_error_cause("The specified queue does not exist.", "Sqs", 400);
  EXPECT_TRUE(std::regex_match(cause, std::regex(R"(The specified queue does not exist\. )"
                                                 R"(\(Service: Sqs, Status Code: 400, )"
                                                 R"(Request ID: [0-9a-f-]{36}\))")))
      << cause;
}

TEST(SdkShapesTest, InstantsAreIso8601WithMillisecondsWhenThereAreAny) {
  EXPECT_EQ(iso_instant(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(iso_instant(1700000000.123), "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(iso_instant(1700000000.9999), "2023-11-14T22:13:21Z");
}

TEST(SdkShapesTest, OutputMembersArePascalCaseAtEveryLevelWithIsoDates) {
  json::Value wire =
      parse(R"({"executions":[{"executionArn":"a","startDate":1700000000.5,"itemCount":3}],)"
            R"("nextToken":"t","timestamp":0,"status":"SUCCEEDED"})");
  EXPECT_EQ(json::serialize(sdk_output_members(wire)),
            R"({"Executions":[{"ExecutionArn":"a","StartDate":"2023-11-14T22:13:20.500Z",)"
            R"("ItemCount":3}],"NextToken":"t","Timestamp":"1970-01-01T00:00:00Z",)"
            R"("Status":"SUCCEEDED"})");
  // Strings are values, never renamed or converted.
  EXPECT_EQ(json::serialize(sdk_output_members(parse(R"({"stopDate":"x","output":"{\"a\":1}"})"))),
            R"({"StopDate":"x","Output":"{\"a\":1}"})");
}

TEST(SdkShapesTest, InputMembersAreTheWireCamelCase) {
  json::Value params =
      parse(R"({"StateMachineArn":"s","Input":"{\"Keep\":1}","Tags":[{"Key":"k"}]})");
  EXPECT_EQ(json::serialize(sdk_input_members(params)),
            R"({"stateMachineArn":"s","input":"{\"Keep\":1}","tags":[{"key":"k"}]})");
}

}  // namespace
}  // namespace sluice::states::tasks
