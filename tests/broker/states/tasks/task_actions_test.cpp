// The API actions of the task group (SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat,
// GetActivityTask) as the endpoint dispatches them: member checks with AWS's error shapes, then
// the router. And the Task resources definition validation accepts.
#include <gtest/gtest.h>

#include "broker/states/handlers.h"
#include "broker/states/tasks/resource_check.h"
#include "tests/broker/states/tasks/task_fixture.h"

namespace sluice::states::tasks::testing {
namespace {

constexpr const char* kActivity = "arn:aws:states:us-east-1:000000000000:activity:work";

class TaskActionsTest : public TaskFixture {
 protected:
  void SetUp() override {
    TaskFixture::SetUp();
    register_task_actions(actions_, *router_);
  }
  void configure(StatesServices&, TaskRouterOptions& options) override {
    options.activity_poll_ms = 200;
  }
  // Calls the action; the reply may come later (run the loop for it).
  std::shared_ptr<std::optional<SfnOutcome>> call(const std::string& action,
                                                  const std::string& body) {
    auto out = std::make_shared<std::optional<SfnOutcome>>();
    const SfnHandler* h = actions_.find(action);
    EXPECT_TRUE(h) << action;
    if (!h) return out;
    SfnContext ctx{services_, identity_, [this] { return client_connected_; }};
    (*h)(ctx, parse(body), [out](SfnOutcome o) { *out = std::move(o); });
    return out;
  }
  static std::string error_of(const std::optional<SfnOutcome>& o) {
    return o && !o->ok() ? o->error().type : std::string("<ok>");
  }
  static std::string message_of(const std::optional<SfnOutcome>& o) {
    return o && !o->ok() ? o->error().message : std::string();
  }

  ActionTable actions_;
  bool client_connected_ = true;
};

TEST_F(TaskActionsTest, RegistersTheFourActions) {
  for (const char* a :
       {"SendTaskSuccess", "SendTaskFailure", "SendTaskHeartbeat", "GetActivityTask"}) {
    EXPECT_TRUE(actions_.find(a)) << a;
  }
}

TEST_F(TaskActionsTest, MembersAreCheckedAsTheModelSays) {
  auto r = call("SendTaskSuccess", R"({"output":"{}"})");
  EXPECT_EQ(error_of(*r), "ValidationException");
  EXPECT_EQ(message_of(*r),
            "1 validation error detected: Value null at 'taskToken' failed to satisfy constraint: "
            "Member must not be null");
  r = call("SendTaskSuccess", R"({"taskToken":"0123456789abcdef0123"})");
  EXPECT_EQ(error_of(*r), "ValidationException");
  r = call("SendTaskSuccess", R"({"taskToken":"","output":"{}"})");
  EXPECT_EQ(error_of(*r), "ValidationException");
  EXPECT_NE(message_of(*r).find("Member must have length greater than or equal to 1"),
            std::string::npos);
  r = call("SendTaskSuccess", R"({"taskToken":5,"output":"{}"})");
  EXPECT_EQ(error_of(*r), "SerializationException");
  r = call("SendTaskSuccess", R"({"taskToken":"0123456789abcdef0123","output":"{nope"})");
  EXPECT_EQ(error_of(*r), "InvalidOutput");
  std::string long_error(257, 'e');
  r = call("SendTaskFailure",
           R"({"taskToken":"0123456789abcdef0123","error":")" + long_error + R"("})");
  EXPECT_EQ(error_of(*r), "ValidationException");
  EXPECT_EQ(message_of(*r).find(long_error), std::string::npos);  // sensitive: value not echoed
  r = call("SendTaskHeartbeat", "{}");
  EXPECT_EQ(error_of(*r), "ValidationException");
}

TEST_F(TaskActionsTest, TokensAreCheckedByTheRouter) {
  auto r = call("SendTaskSuccess", R"({"taskToken":"nope","output":"{}"})");
  EXPECT_EQ(error_of(*r), "InvalidToken");
  r = call("SendTaskFailure", R"({"taskToken":")" + TaskRouter::make_task_token() + R"("})");
  EXPECT_EQ(error_of(*r), "TaskTimedOut");
  EXPECT_EQ(message_of(*r), "Task Timed Out: 'Provided task does not exist anymore'");
}

TEST_F(TaskActionsTest, TheActivityWorkerRoundTrip) {
  auto ex = start(std::string(R"({"StartAt":"W","States":{"W":{"Type":"Task","Resource":")") +
                      kActivity + R"(","End":true}}})",
                  R"({"job":1})");
  auto got = call("GetActivityTask",
                  std::string(R"({"activityArn":")") + kActivity + R"(","workerName":"w-1"})");
  ASSERT_TRUE(*got);
  ASSERT_TRUE((*got)->ok());
  std::string token = str((*got)->output(), "taskToken");
  EXPECT_EQ(str((*got)->output(), "input"), R"({"job":1})");
  auto hb = call("SendTaskHeartbeat", R"({"taskToken":")" + token + R"("})");
  EXPECT_EQ(error_of(*hb), "<ok>");
  auto ok = call("SendTaskSuccess", R"({"taskToken":")" + token + R"(","output":"[1,2]"})");
  ASSERT_EQ(error_of(*ok), "<ok>");
  EXPECT_TRUE((*ok)->output().as_object().empty());
  ASSERT_TRUE(finished(*ex));
  EXPECT_EQ(output(*ex), "[1,2]");
}

TEST_F(TaskActionsTest, GetActivityTaskLongPollsThenAnswersEmpty) {
  auto got = call("GetActivityTask", std::string(R"({"activityArn":")") + kActivity + R"("})");
  EXPECT_FALSE(*got);  // parked
  ASSERT_TRUE(run_until([&] { return got->has_value(); }));
  ASSERT_TRUE((*got)->ok());
  EXPECT_FALSE(member((*got)->output(), "taskToken"));
}

TEST_F(TaskActionsTest, GetActivityTaskChecksTheArnAndTheActivity) {
  auto r = call("GetActivityTask",
                R"({"activityArn":"arn:aws:states:us-east-1:000000000000:stateMachine:sm"})");
  EXPECT_EQ(error_of(*r), "InvalidArn");
  EXPECT_EQ(message_of(*r), "Invalid Arn: 'Resource type not valid in this context: statemachine'");
  r = call("GetActivityTask", R"({"activityArn":"not-an-arn"})");
  EXPECT_EQ(error_of(*r), "InvalidArn");
  EXPECT_EQ(message_of(*r), "Invalid Arn: 'not-an-arn'");
  r = call("GetActivityTask", "{}");
  EXPECT_EQ(error_of(*r), "ValidationException");
  r = call("GetActivityTask",
           std::string(R"({"activityArn":")") + kActivity + R"(","workerName":""})");
  EXPECT_EQ(error_of(*r), "ValidationException");
  router_->set_activity_exists([](std::string_view) { return false; });
  r = call("GetActivityTask", std::string(R"({"activityArn":")") + kActivity + R"("})");
  EXPECT_EQ(error_of(*r), "ActivityDoesNotExist");
  EXPECT_EQ(message_of(*r), std::string("Activity Does Not Exist: '") + kActivity + "'");
}

TEST_F(TaskActionsTest, AWorkerWhoseConnectionClosedDoesNotTakeTheTask) {
  auto gone = call("GetActivityTask", std::string(R"({"activityArn":")") + kActivity + R"("})");
  client_connected_ = false;  // the first worker's connection (and the context's) went away
  auto ex = start(std::string(R"({"StartAt":"W","States":{"W":{"Type":"Task","Resource":")") +
                  kActivity + R"(","End":true}}})");
  EXPECT_FALSE(*gone);
  EXPECT_EQ(router_->activities().queued(kActivity), 1u);
  client_connected_ = true;
  auto next = call("GetActivityTask", std::string(R"({"activityArn":")") + kActivity + R"("})");
  ASSERT_TRUE(*next);
  EXPECT_FALSE(str((*next)->output(), "taskToken").empty());
}

TEST(ResourceCheckTest, ServedResources) {
  for (const char* ok : {
           "arn:aws:states:::sqs:sendMessage",
           "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
           "arn:aws:states:::states:startExecution",
           "arn:aws:states:::states:startExecution.sync",
           "arn:aws:states:::states:startExecution.sync:2",
           "arn:aws:states:::states:startExecution.waitForTaskToken",
           "arn:aws:states:::http:invoke",
           "arn:aws:states:::lambda:invoke",
           "arn:aws:states:::lambda:invoke.waitForTaskToken",
           "arn:aws:states:us-east-1:000000000000:activity:work",
           "arn:aws:lambda:us-east-1:000000000000:function:greet",
           "arn:aws:lambda:us-east-1:000000000000:function:greet:live",
           "arn:aws:lambda:us-east-1:000000000000:function:greet:$LATEST",
       }) {
    EXPECT_FALSE(check_task_resource(ok)) << ok;
  }
}

TEST(ResourceCheckTest, WellFormedIntegrationsOfOtherServicesAreAccepted) {
  // Not served, but a mocked test case may answer them (running one unmocked fails the task).
  for (const char* ok : {
           "arn:aws:states:::dynamodb:putItem",
           "arn:aws:states:::sns:publish.waitForTaskToken",
           "arn:aws:states:::ecs:runTask.sync",
           "arn:aws:states:::glue:startJobRun.sync:2",
           "arn:aws:states:::emr-containers:startJobRun",
           "arn:aws:states:::aws-sdk:s3:getObject",
           "arn:aws:states:::aws-sdk:sqs:receiveMessage.waitForTaskToken",
           "arn:aws-us-gov:states:::aws-sdk:elasticloadbalancingv2:describeTargetGroups",
       }) {
    EXPECT_FALSE(check_task_resource(ok)) << ok;
  }
  std::string cause = unserved_integration_cause(
      "arn:aws:states:::dynamodb:putItem",
      "arn:aws:states:us-east-1:000000000000:execution:orders:run-1", "Put");
  EXPECT_NE(cause.find("arn:aws:states:::dynamodb:putItem"), std::string::npos) << cause;
  EXPECT_NE(cause.find("--mock-config"), std::string::npos) << cause;
  EXPECT_NE(cause.find("StateMachines.orders.TestCases.CASE"), std::string::npos) << cause;
  EXPECT_NE(cause.find("#CASE"), std::string::npos) << cause;
}

TEST(ResourceCheckTest, AnythingElseIsNamedInTheError) {
  for (const char* bad : {
           "arn:aws:states:::sqs:sendMessage.sync",
           "arn:aws:states:::sqs:receiveMessage",
           "arn:aws:states:::http:invoke.waitForTaskToken",
           "arn:aws:states:::dynamodb",
           "arn:aws:states:::dynamodb:PutItem",
           "arn:aws:states:::dynamodb:put_item",
           "arn:aws:states:::dynamodb:putItem.sync:3",
           "arn:aws:states:::aws-sdk:s3",
           "arn:aws:states:::aws-sdk:s3:getObject.sync",
           "arn:aws:states:us-east-1::dynamodb:putItem",
           "arn:aws:states:::Dynamo:putItem",
           "arn:aws:states:::states:startExecution.sync:3",
           "arn:aws:states:::activity:work",
           "arn:aws:lambda:us-east-1:000000000000:layer:x",
           "arn:aws:sns:us-east-1:000000000000:topic",
           "not-an-arn",
           "",
       }) {
    auto message = check_task_resource(bad);
    ASSERT_TRUE(message) << bad;
    EXPECT_EQ(*message, std::string("The resource provided ") + bad +
                            " is not recognized. The value is not a valid resource ARN, or the "
                            "resource is not available in this region.");
  }
}

}  // namespace
}  // namespace sluice::states::tasks::testing
