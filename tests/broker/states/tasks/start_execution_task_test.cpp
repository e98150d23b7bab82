// Nested executions (states:startExecution, .sync, .sync:2, .waitForTaskToken) through the
// ExecutionStarter. The starter here runs child state machines on the engine in memory, standing
// in for the execution runner (which implements the same interface in the server).
#include <gtest/gtest.h>

#include <map>

#include "broker/states/execution_starter.h"
#include "storage/random_id.h"
#include "tests/broker/states/tasks/task_fixture.h"

namespace sluice::states::tasks::testing {
namespace {

constexpr const char* kChildArn = "arn:aws:states:us-east-1:000000000000:stateMachine:child";

class EngineStarter : public ExecutionStarter {
 public:
  EngineStarter(TaskFixture& f, executor::ManualClock& clock, executor::ManualTimerService& timers,
                TaskRouter& router)
      : clock_(clock), timers_(timers), router_(router) {
    (void)f;
  }

  void start_child(ChildStart req, std::function<void(SfnOutcome)> started) override {
    starts.push_back(req);
    auto def = machines.find(req.state_machine_arn);
    if (def == machines.end()) {
      return started(sfn_error("StateMachineDoesNotExist",
                               "State Machine Does Not Exist: '" + req.state_machine_arn + "'"));
    }
    std::string name = req.name.value_or(storage::random_uuid());
    std::string arn = "arn:aws:states:us-east-1:000000000000:execution:child:" + name;
    if (runs.count(arn)) {
      return started(
          sfn_error("ExecutionAlreadyExists", "Execution Already Exists: '" + arn + "'"));
    }
    auto machine = engine::asl::compile_definition(def->second);
    executor::ExecutionInfo info;
    info.execution_arn = arn;
    info.name = name;
    info.state_machine_arn = req.state_machine_arn;
    info.state_machine_name = "child";
    executor::ExecutionServices services;
    services.clock = &clock_;
    services.timers = &timers_;
    services.tasks = &router_;
    services.make_task_token = [] { return TaskRouter::make_task_token(); };
    auto input = engine::json::parse(req.input);
    auto ex = executor::Execution::create(std::move(machine).value(), info,
                                          input.ok() ? std::move(input).value() : json::Value(),
                                          services);
    runs[arn] = ex;
    ex->set_on_finished([this, arn](executor::Execution& done) {
      auto ws = std::move(watchers[arn]);
      watchers.erase(arn);
      for (auto& w : ws) w(describe(done));
    });
    ex->start();
    started(json::Value(json::Object{{"executionArn", json::Value(arn)},
                                     {"startDate", json::Value(int64_t{1700000000123})}}));
  }

  bool watch(const std::string& arn, std::function<void(json::Value)> finished) override {
    auto it = runs.find(arn);
    if (it == runs.end()) return false;
    if (it->second->status() != executor::ExecutionStatus::kRunning) {
      finished(describe(*it->second));
    } else {
      watchers[arn].push_back(std::move(finished));
    }
    return true;
  }

  std::optional<int64_t> started_with(const std::string& arn, const std::string& input) override {
    auto it = runs.find(arn);
    if (it == runs.end() || engine::json::serialize(it->second->input()) != input)
      return std::nullopt;
    return int64_t{1700000000123};
  }

  void stop_child(const std::string& arn, std::string error, std::string cause) override {
    stops.push_back(arn);
    if (auto it = runs.find(arn); it != runs.end()) it->second->stop(error, cause);
  }

  static json::Value describe(const executor::Execution& ex) {
    json::Object d;
    d.set("executionArn", json::Value(ex.info().execution_arn));
    d.set("stateMachineArn", json::Value(ex.info().state_machine_arn));
    d.set("name", json::Value(ex.info().name));
    d.set("status", json::Value(std::string(executor::execution_status_name(ex.status()))));
    d.set("startDate", json::Value(int64_t{1700000000123}));
    d.set("stopDate", json::Value(int64_t{1700000001500}));
    d.set("input", json::Value(engine::json::serialize(ex.input())));
    d.set("redriveCount", json::Value(int64_t{0}));  // as describe_execution_value has it
    const auto& o = ex.outcome();
    if (o.output) {
      d.set("output", json::Value(engine::json::serialize(*o.output)));
      d.set("outputDetails", json::Value(json::Object{{"included", json::Value(true)}}));
    }
    if (o.error) d.set("error", json::Value(*o.error));
    if (o.cause) d.set("cause", json::Value(*o.cause));
    return json::Value(std::move(d));
  }

  std::map<std::string, std::string> machines;
  std::map<std::string, std::shared_ptr<executor::Execution>> runs;
  std::map<std::string, std::vector<std::function<void(json::Value)>>> watchers;
  std::vector<ChildStart> starts;
  std::vector<std::string> stops;

 private:
  executor::ManualClock& clock_;
  executor::ManualTimerService& timers_;
  TaskRouter& router_;
};

class StartExecutionTaskTest : public TaskFixture {
 protected:
  void SetUp() override {
    TaskFixture::SetUp();
    starter_ = std::make_unique<EngineStarter>(*this, clock_, timers_, *router_);
    services_.starter = starter_.get();
    starter_->machines[kChildArn] =
        R"({"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"got.$":"$"},"End":true}}})";
  }
  void TearDown() override {
    executions_.clear();
    starter_.reset();  // its executions cancel through the router
    TaskFixture::TearDown();
  }
  static std::string parent(const std::string& resource, const std::string& parameters,
                            const std::string& extra = "") {
    return R"({"StartAt":"Run","States":{"Run":{"Type":"Task","Resource":"arn:aws:states:::states:)" +
           resource + R"(","Parameters":)" + parameters + extra + R"(,"End":true}}})";
  }

  std::unique_ptr<EngineStarter> starter_;
};

TEST_F(StartExecutionTaskTest, RequestResponseReturnsTheStartedExecution) {
  auto ex = start(parent("startExecution", std::string(R"({"StateMachineArn":")") + kChildArn +
                                               R"(","Name":"kid","Input":{"a.$":"$.a"}})"),
                  R"({"a":1})");
  ASSERT_TRUE(finished(*ex));
  ASSERT_EQ(ex->status(), executor::ExecutionStatus::kSucceeded)
      << ex->outcome().cause.value_or("");
  json::Value out = output_value(*ex);
  EXPECT_EQ(str(out, "ExecutionArn"), "arn:aws:states:us-east-1:000000000000:execution:child:kid");
  EXPECT_EQ(member(out, "StartDate")->as_int(), 1700000000123);
  EXPECT_TRUE(member(out, "SdkHttpMetadata"));
  ASSERT_EQ(starter_->starts.size(), 1u);
  EXPECT_EQ(starter_->starts[0].input, R"({"a":1})");
  EXPECT_EQ(starter_->starts[0].parent_execution_arn, ex->info().execution_arn);
}

TEST_F(StartExecutionTaskTest, InputMayBeAStringOrAbsent) {
  auto s = start(parent("startExecution", std::string(R"({"StateMachineArn":")") + kChildArn +
                                              R"(","Input":"{\"raw\":true}"})"));
  auto none =
      start(parent("startExecution", std::string(R"({"StateMachineArn":")") + kChildArn + R"("})"),
            "{}", "exec-2");
  ASSERT_EQ(starter_->starts.size(), 2u);
  EXPECT_EQ(starter_->starts[0].input, R"({"raw":true})");
  EXPECT_EQ(starter_->starts[1].input, "{}");
  // Unnamed, the child is named after the attempt: a UUID, the same when the attempt is sent again.
  ASSERT_TRUE(starter_->starts[1].name);
  EXPECT_EQ(starter_->starts[1].name->size(), 36u);
  EXPECT_EQ((*starter_->starts[1].name)[14], '3');
  EXPECT_NE(starter_->starts[1].name, starter_->starts[0].name);
}

TEST_F(StartExecutionTaskTest, SyncReturnsTheChildsDescriptionWithOutputAsText) {
  auto ex = start(parent("startExecution.sync", std::string(R"({"StateMachineArn":")") + kChildArn +
                                                    R"(","Input":{"x":2}})"));
  ASSERT_TRUE(finished(*ex));
  ASSERT_EQ(ex->status(), executor::ExecutionStatus::kSucceeded)
      << ex->outcome().cause.value_or("");
  json::Value out = output_value(*ex);
  EXPECT_EQ(str(out, "Status"), "SUCCEEDED");
  EXPECT_EQ(str(out, "Output"), R"({"got":{"x":2}})");
  EXPECT_EQ(str(out, "Input"), R"({"x":2})");
  EXPECT_EQ(member(out, "StartDate")->as_int(), 1700000000123);
  EXPECT_EQ(member(out, "StopDate")->as_int(), 1700000001500);
  EXPECT_EQ(engine::json::serialize(*member(out, "InputDetails")), R"({"Included":true})");
  EXPECT_EQ(types(*ex),
            (std::vector<std::string>{"ExecutionStarted", "TaskStateEntered", "TaskScheduled",
                                      "TaskStarted", "TaskSubmitted", "TaskSucceeded",
                                      "TaskStateExited", "ExecutionSucceeded"}));
  EXPECT_EQ(detail(event(*ex, "TaskScheduled"), "resource"), "startExecution.sync");
}

TEST_F(StartExecutionTaskTest, Sync2ReturnsOutputAsJson) {
  auto ex = start(parent("startExecution.sync:2", std::string(R"({"StateMachineArn":")") +
                                                      kChildArn + R"(","Input":{"x":2}})"));
  ASSERT_TRUE(finished(*ex));
  json::Value out = output_value(*ex);
  EXPECT_EQ(engine::json::serialize(*member(out, "Output")), R"({"got":{"x":2}})");
  EXPECT_EQ(engine::json::serialize(*member(out, "Input")), R"({"x":2})");
}

TEST_F(StartExecutionTaskTest, AChildThatWaitsIsFollowedUntilItEnds) {
  starter_->machines[kChildArn] =
      R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":30,"Next":"P"},"P":{"Type":"Pass","Result":"late","End":true}}})";
  auto ex = start(parent("startExecution.sync:2",
                         std::string(R"({"StateMachineArn":")") + kChildArn + R"("})"));
  EXPECT_TRUE(has_event(*ex, "TaskSubmitted"));
  EXPECT_EQ(ex->status(), executor::ExecutionStatus::kRunning);
  timers_.advance_by(30000);
  ASSERT_TRUE(finished(*ex));
  EXPECT_EQ(engine::json::serialize(*member(output_value(*ex), "Output")), R"("late")");
}

TEST_F(StartExecutionTaskTest, AFailedChildFailsTheTaskWithItsDescriptionAsCause) {
  starter_->machines[kChildArn] =
      R"({"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Child.Broke","Cause":"bad input"}}})";
  auto ex = start(
      parent("startExecution.sync", std::string(R"({"StateMachineArn":")") + kChildArn + R"("})"));
  ASSERT_TRUE(finished(*ex));
  EXPECT_EQ(ex->outcome().error.value_or(""), "States.TaskFailed");
  json::Value cause = parse(ex->outcome().cause.value_or("{}"));
  EXPECT_EQ(str(cause, "Status"), "FAILED");
  EXPECT_EQ(str(cause, "Error"), "Child.Broke");
  EXPECT_EQ(str(cause, "Cause"), "bad input");
}

TEST_F(StartExecutionTaskTest, ARefusedStartIsAStepFunctionsException) {
  auto ex = start(
      parent("startExecution.sync",
             R"({"StateMachineArn":"arn:aws:states:us-east-1:000000000000:stateMachine:nope"})"));
  ASSERT_TRUE(finished(*ex));
  EXPECT_EQ(ex->outcome().error.value_or(""), "StepFunctions.StateMachineDoesNotExistException");
  std::string cause = ex->outcome().cause.value_or("");
  EXPECT_NE(cause.find("State Machine Does Not Exist"), std::string::npos);
  EXPECT_NE(cause.find("Service: AWSStepFunctions; Status Code: 400; Error Code: "
                       "StateMachineDoesNotExist"),
            std::string::npos);
}

TEST_F(StartExecutionTaskTest, StoppingTheParentStopsASyncChild) {
  starter_->machines[kChildArn] =
      R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":300,"End":true}}})";
  auto ex = start(parent("startExecution.sync", std::string(R"({"StateMachineArn":")") + kChildArn +
                                                    R"(","Name":"kid"})"));
  ASSERT_EQ(ex->status(), executor::ExecutionStatus::kRunning);
  ASSERT_TRUE(ex->stop());
  ASSERT_EQ(starter_->stops.size(), 1u);
  EXPECT_EQ(starter_->stops[0], "arn:aws:states:us-east-1:000000000000:execution:child:kid");
  EXPECT_EQ(starter_->runs.begin()->second->status(), executor::ExecutionStatus::kAborted);
}

TEST_F(StartExecutionTaskTest, AParentTaskTimeoutStopsTheChildToo) {
  starter_->machines[kChildArn] =
      R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":300,"End":true}}})";
  auto ex = start(parent("startExecution.sync",
                         std::string(R"({"StateMachineArn":")") + kChildArn + R"("})",
                         R"(,"TimeoutSeconds":10)"));
  timers_.advance_by(10000);
  ASSERT_TRUE(finished(*ex));
  EXPECT_EQ(ex->outcome().error.value_or(""), "States.Timeout");
  EXPECT_EQ(starter_->stops.size(), 1u);
}

TEST_F(StartExecutionTaskTest, WaitForTaskTokenIsAnsweredByTheChild) {
  starter_->machines[kChildArn] =
      R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":5,"End":true}}})";
  auto ex = start(
      parent("startExecution.waitForTaskToken", std::string(R"({"StateMachineArn":")") + kChildArn +
                                                    R"(","Input":{"token.$":"$$.Task.Token"}})"));
  ASSERT_TRUE(has_event(*ex, "TaskSubmitted"));
  auto child = starter_->runs.begin()->second;
  std::string token = str(child->input(), "token");
  EXPECT_FALSE(router_->send_task_success(token, parse(R"({"from":"child"})")));
  ASSERT_TRUE(finished(*ex));
  EXPECT_EQ(output(*ex), R"({"from":"child"})");
}

TEST_F(StartExecutionTaskTest, ResumeWatchesTheChildFromTheSubmittedOutput) {
  starter_->machines[kChildArn] =
      R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":30,"Next":"P"},"P":{"Type":"Pass","Result":1,"End":true}}})";
  auto first = start(parent("startExecution.sync:2",
                            std::string(R"({"StateMachineArn":")") + kChildArn + R"("})"));
  json::Value submitted = parse(detail(event(*first, "TaskSubmitted"), "output"));
  // A second parent attempt resumed with that output: it must not start another child.
  HeldTask capture;
  auto resumed = start_held(
      parent("startExecution.sync:2", std::string(R"({"StateMachineArn":")") + kChildArn + R"("})"),
      capture);
  ASSERT_TRUE(capture.handle);
  router_->resume_attempt(capture.request, capture.handle, &submitted);
  EXPECT_EQ(starter_->starts.size(), 1u);
  timers_.advance_by(30000);
  ASSERT_TRUE(finished(*resumed));
  EXPECT_EQ(engine::json::serialize(*member(output_value(*resumed), "Output")), "1");
  resumed.reset();
}

// In a parent resumed after a restart (TaskRequest::after_restart), an attempt whose child of the
// same name and input had already started and ended follows that child; otherwise a name in use
// fails the task as AWS fails it.
TEST_F(StartExecutionTaskTest, AReplayedAttemptFollowsTheChildItStartedBeforeTheRestart) {
  const std::string sync2 =
      parent("startExecution.sync:2", std::string(R"({"StateMachineArn":")") + kChildArn +
                                          R"(","Name":"kid","Input":{"n":7}})");
  auto first = start(sync2);
  ASSERT_TRUE(finished(*first));
  ASSERT_EQ(first->status(), executor::ExecutionStatus::kSucceeded);

  HeldTask capture;
  auto again = [&] { return start_held(sync2, capture); };
  auto fresh = again();
  ASSERT_TRUE(capture.handle);
  router_->start(capture.request, capture.handle);
  ASSERT_TRUE(finished(*fresh));
  EXPECT_EQ(fresh->status(), executor::ExecutionStatus::kFailed);
  EXPECT_EQ(fresh->outcome().error, "StepFunctions.ExecutionAlreadyExistsException");

  auto other = again();
  capture.request.after_restart = true;
  executor::TaskRequest changed = capture.request;  // another input: not the same child
  changed.input = parse(std::string(R"({"StateMachineArn":")") + kChildArn +
                        R"(","Name":"kid","Input":{"n":8}})");
  router_->start(changed, capture.handle);
  ASSERT_TRUE(finished(*other));
  EXPECT_EQ(other->outcome().error, "StepFunctions.ExecutionAlreadyExistsException");

  auto replayed = again();
  capture.request.after_restart = true;
  router_->start(capture.request, capture.handle);
  ASSERT_TRUE(finished(*replayed));
  ASSERT_EQ(replayed->status(), executor::ExecutionStatus::kSucceeded)
      << replayed->outcome().cause.value_or("");
  EXPECT_EQ(engine::json::serialize(*member(output_value(*replayed), "Output")),
            R"({"got":{"n":7}})");
  EXPECT_EQ(starter_->starts.size(), 4u);  // one child only: the later starts found it
  EXPECT_EQ(starter_->runs.size(), 1u);
  fresh.reset();
  other.reset();
  replayed.reset();
}

TEST(DescribeOutputForTaskTest, SortsPascalCasedKeysAndDropsTheRedriveMembers) {
  json::Value d = *engine::json::parse(
      R"({"executionArn":"a","stateMachineArn":"m","name":"n","status":"SUCCEEDED",)"
      R"("startDate":1500,"stopDate":2500.4,"input":"{\"k\":1}","output":"not json",)"
      R"("redriveCount":0,"redriveStatus":"NOT_REDRIVABLE"})");
  EXPECT_EQ(engine::json::serialize(describe_output_for_task(d, false)),
            R"({"ExecutionArn":"a","Input":"{\"k\":1}","InputDetails":{"Included":true},)"
            R"("Name":"n","Output":"not json","OutputDetails":{"Included":true},)"
            R"("StartDate":1500,"StateMachineArn":"m","Status":"SUCCEEDED","StopDate":2500})");
  EXPECT_EQ(engine::json::serialize(describe_output_for_task(d, true)),
            R"({"ExecutionArn":"a","Input":{"k":1},"InputDetails":{"Included":true},)"
            R"("Name":"n","Output":"not json","OutputDetails":{"Included":true},)"
            R"("StartDate":1500,"StateMachineArn":"m","Status":"SUCCEEDED","StopDate":2500})");
}

TEST(DescribeOutputForTaskTest, AFailedChildHasErrorAndCauseAndNoOutput) {
  json::Value d = *engine::json::parse(
      R"({"executionArn":"a","status":"FAILED","startDate":1,"stopDate":2,"input":"{}",)"
      R"("error":"E","cause":"C","redriveCount":1})");
  EXPECT_EQ(engine::json::serialize(describe_output_for_task(d, true)),
            R"({"Cause":"C","Error":"E","ExecutionArn":"a","Input":{},)"
            R"("InputDetails":{"Included":true},"StartDate":1,"Status":"FAILED","StopDate":2})");
}

}  // namespace
}  // namespace sluice::states::tasks::testing
