// MockedTasks on a real engine Execution: listed states answer from their mocked responses by
// invocation number (Return, Throw, past the last key), the others reach the real handler, and
// the history records what a real call records.
#include "broker/states/mocks/mocked_tasks.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "engine/asl/definition.h"
#include "engine/executor/execution.h"
#include "engine/executor/manual_time.h"
#include "engine/json/json_parse.h"
#include "engine/json/json_serialize.h"
#include "tests/engine/executor/executor_fakes.h"

namespace sluice::states::mocks {
namespace {

namespace ex = engine::executor;
namespace json = engine::json;

constexpr const char* kMocks = R"({
  "StateMachines": {"sm": {"TestCases": {"Case": {"Put": "PutOk", "Ask": "Approved",
                                                   "Flaky": "BusyOnce", "Short": "OnlyOne"}}}},
  "MockedResponses": {
    "PutOk": {"0": {"Return": {"put": true}}},
    "Approved": {"0": {"Return": {"approved": true}}},
    "BusyOnce": {"0": {"Throw": {"Error": "Busy", "Cause": "later"}}, "1": {"Return": 2}},
    "OnlyOne": {"0": {"Throw": {"Error": "Busy", "Cause": "again"}}}}})";

class MockedTasksTest : public ::testing::Test {
 protected:
  std::shared_ptr<ex::Execution> run(std::string_view definition) {
    auto machine = engine::asl::compile_definition(definition);
    EXPECT_TRUE(machine.ok()) << (machine.ok() ? "" : machine.error().message);
    ex::ExecutionInfo info;
    info.execution_arn = "arn:aws:states:us-east-1:000000000000:execution:sm:run";
    info.name = "run";
    info.state_machine_arn = "arn:aws:states:us-east-1:000000000000:stateMachine:sm";
    info.state_machine_name = "sm";
    ex::ExecutionServices services;
    services.clock = &clock_;
    services.timers = &timers_;
    services.tasks = &mocked_;
    services.random = &random_;
    auto e = ex::Execution::create(std::move(machine).value(), info, json::Value(json::Object{}),
                                   services);
    e->start();
    return e;
  }
  std::vector<std::string> types(const ex::Execution& e) {
    std::vector<std::string> out;
    for (const auto& ev : e.history()) out.emplace_back(ex::history_event_type_name(ev.type));
    return out;
  }

  MockConfig config_ = std::move(parse_mock_config(kMocks)).value();
  ex::FakeTasks real_;
  MockedTasks mocked_{real_, *config_.test_case("sm", "Case")};
  ex::ManualClock clock_{1700000000000};
  ex::ManualTimerService timers_{clock_};
  ex::FixedRandom random_{0.5};
};

TEST_F(MockedTasksTest, ListedStatesAnswerFromTheMockOthersReachTheRealHandler) {
  auto e = run(R"({"StartAt":"Put","States":{
    "Put":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:putItem","ResultPath":"$.put",
           "Next":"Ask"},
    "Ask":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
           "Parameters":{"QueueUrl":"q","MessageBody.$":"$$.Task.Token"},"ResultPath":"$.ask",
           "Next":"Real"},
    "Real":{"Type":"Task","Resource":"arn:aws:states:::http:invoke","End":true}}})");
  // Put and Ask answered at once (Ask without a callback); Real went to the real handler.
  ASSERT_EQ(real_.calls.size(), 1u);
  EXPECT_EQ(real_.calls[0].request.state_name, "Real");
  EXPECT_EQ(json::serialize(real_.calls[0].request.input),
            R"({"put":{"put":true},"ask":{"approved":true}})");
  real_.last().succeed(json::Value("done"));
  EXPECT_EQ(e->status(), ex::ExecutionStatus::kSucceeded);
  EXPECT_EQ(types(*e), (std::vector<std::string>{
                           "ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted",
                           "TaskSucceeded", "TaskStateExited", "TaskStateEntered", "TaskScheduled",
                           "TaskStarted", "TaskSucceeded", "TaskStateExited", "TaskStateEntered",
                           "TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskStateExited",
                           "ExecutionSucceeded"}));
}

TEST_F(MockedTasksTest, ThrowFailsTheAttemptAndTheNextInvocationGetsTheNextAnswer) {
  auto e = run(R"({"StartAt":"Flaky","States":{
    "Flaky":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:ecs:runTask",
             "Retry":[{"ErrorEquals":["Busy"],"IntervalSeconds":1,"MaxAttempts":1}],"End":true}}})");
  EXPECT_EQ(e->status(), ex::ExecutionStatus::kRunning);  // in the retry interval
  timers_.advance_by(1000);
  EXPECT_EQ(e->status(), ex::ExecutionStatus::kSucceeded);
  EXPECT_EQ(json::serialize(*e->outcome().output), "2");
  EXPECT_TRUE(real_.calls.empty());
}

TEST_F(MockedTasksTest, AnInvocationNoKeyCoversFailsWithStatesRuntime) {
  auto e = run(R"({"StartAt":"Short","States":{
    "Short":{"Type":"Task","Resource":"arn:aws:states:::sns:publish",
             "Retry":[{"ErrorEquals":["States.ALL"],"IntervalSeconds":1,"MaxAttempts":3}],
             "End":true}}})");
  timers_.advance_by(1000);
  ASSERT_EQ(e->status(), ex::ExecutionStatus::kFailed);
  EXPECT_EQ(e->outcome().error, "States.Runtime");
  ASSERT_TRUE(e->outcome().cause);
  EXPECT_NE(e->outcome().cause->find("state 'Short' has no answer for invocation 1"),
            std::string::npos)
      << *e->outcome().cause;
}

}  // namespace
}  // namespace sluice::states::mocks
