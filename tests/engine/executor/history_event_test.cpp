#include "engine/executor/history_event.h"

#include <gtest/gtest.h>

#include "engine/executor/task_handler.h"

namespace sluice::engine::executor {
namespace {

using json::Object;
using json::Value;

TEST(HistoryEvent, TypeNamesAndDetailMembers) {
  EXPECT_EQ(history_event_type_name(HistoryEventType::kTaskStateEntered), "TaskStateEntered");
  EXPECT_EQ(history_event_type_name(HistoryEventType::kWaitStateExited), "WaitStateExited");
  EXPECT_EQ(history_event_type_name(HistoryEventType::kMapIterationSucceeded),
            "MapIterationSucceeded");
  EXPECT_EQ(history_event_details_member(HistoryEventType::kFailStateEntered),
            "stateEnteredEventDetails");
  EXPECT_EQ(history_event_details_member(HistoryEventType::kMapIterationFailed),
            "mapIterationFailedEventDetails");
  EXPECT_EQ(history_event_details_member(HistoryEventType::kTaskSubmitted),
            "taskSubmittedEventDetails");
  EXPECT_EQ(history_event_details_member(HistoryEventType::kParallelStateStarted), "");
}

TEST(HistoryEvent, JsonAsGetExecutionHistoryReturnsIt) {
  HistoryEvent ev;
  ev.id = 3;
  ev.previous_event_id = 2;
  ev.timestamp_ms = 1700000000123;
  ev.type = HistoryEventType::kPassStateExited;
  ev.details = Value(Object{{"name", Value("P")},
                            {"output", Value("{\"a\":1}")},
                            {"outputDetails", Value(Object{{"truncated", Value(false)}})}});
  EXPECT_EQ(history_event_json(ev),
            R"J({"timestamp":1700000000.123,"type":"PassStateExited","id":3,"previousEventId":2,)J"
            R"J("stateExitedEventDetails":{"name":"P","output":"{\"a\":1}",)J"
            R"J("outputDetails":{"truncated":false}}})J");
  EXPECT_EQ(history_event_json(ev, false),
            R"J({"timestamp":1700000000.123,"type":"PassStateExited","id":3,"previousEventId":2,)J"
            R"J("stateExitedEventDetails":{"name":"P","outputDetails":{"truncated":false}}})J");
  ev.type = HistoryEventType::kParallelStateStarted;
  ev.details = Value();
  EXPECT_EQ(history_event_json(ev),
            R"J({"timestamp":1700000000.123,"type":"ParallelStateStarted","id":3,)J"
            R"J("previousEventId":2})J");
}

TEST(TaskResource, ParsesServiceActivityAndLambdaArns) {
  auto sqs = parse_task_resource("arn:aws:states:::sqs:sendMessage.waitForTaskToken");
  EXPECT_EQ(sqs.family, TaskFamily::kService);
  EXPECT_EQ(sqs.resource_type, "sqs");
  EXPECT_EQ(sqs.resource, "sendMessage.waitForTaskToken");
  EXPECT_TRUE(sqs.wait_for_task_token);
  auto nested = parse_task_resource("arn:aws:states:::states:startExecution.sync:2");
  EXPECT_EQ(nested.resource_type, "states");
  EXPECT_EQ(nested.resource, "startExecution.sync:2");
  EXPECT_FALSE(nested.wait_for_task_token);
  auto activity = parse_task_resource("arn:aws:states:us-east-1:000000000000:activity:work");
  EXPECT_EQ(activity.family, TaskFamily::kActivity);
  EXPECT_EQ(activity.resource, "work");
  auto lambda = parse_task_resource("arn:aws:lambda:us-east-1:000000000000:function:fn");
  EXPECT_EQ(lambda.family, TaskFamily::kLambdaFunction);
  EXPECT_EQ(lambda.resource, "fn");
  auto invoke = parse_task_resource("arn:aws:states:::lambda:invoke");
  EXPECT_EQ(invoke.family, TaskFamily::kService);
  EXPECT_EQ(invoke.resource_type, "lambda");
  EXPECT_EQ(invoke.resource, "invoke");
  auto sdk = parse_task_resource("arn:aws:states:::aws-sdk:dynamodb:putItem.waitForTaskToken");
  EXPECT_EQ(sdk.family, TaskFamily::kService);
  EXPECT_EQ(sdk.resource_type, "aws-sdk:dynamodb");
  EXPECT_EQ(sdk.resource, "putItem.waitForTaskToken");
  EXPECT_TRUE(sdk.wait_for_task_token);
}

}  // namespace
}  // namespace sluice::engine::executor
