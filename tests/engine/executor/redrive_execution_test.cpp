// Execution::redrive (RedriveExecution) and redrive_refusal(): a FAILED, TIMED_OUT or ABORTED
// execution runs again from where it stopped, keeping its history and what succeeded.
#include "engine/executor/redrive.h"

#include "tests/engine/executor/restart_fixture.h"

namespace sluice::engine::executor {
namespace {

constexpr int64_t kStart = kRestartStart;
using T = HistoryEventType;
using json::Value;

class RedriveTest : public RestartTest {
 protected:
  std::vector<std::string> new_types() const {
    std::vector<std::string> out;
    for (const auto& e : life->sink.events) out.emplace_back(history_event_type_name(e.type));
    return out;
  }
  std::string output() const {
    return ex->outcome().output ? json::serialize(*ex->outcome().output) : "<none>";
  }
  int64_t id_of(T type, int nth = 0) const {
    const HistoryEvent* e = find(type, nth);
    return e ? e->id : -1;
  }
};

using V = std::vector<std::string>;

TEST_F(RedriveTest, AFailedTaskIsScheduledAgainFromItsStateEntry) {
  start(R"J({"StartAt":"Before","States":{
      "Before":{"Type":"Pass","Result":{"n":1},"Next":"Call"},
      "Call":{"Type":"Task","Resource":"arn:aws:states:::http:invoke",
              "Parameters":{"n.$":"$.n","redrives.$":"$$.Execution.RedriveCount"},
              "Retry":[{"ErrorEquals":["E"],"MaxAttempts":1,"IntervalSeconds":1}],"End":true}}})J");
  life->tasks.last().fail("E", "first");
  advance_to(1000);
  life->tasks.last().fail("E", "second");  // retries exhausted
  ASSERT_EQ(ex->status(), ExecutionStatus::kFailed);
  const int64_t failed_id = id_of(T::kExecutionFailed);
  const int64_t call_entered = id_of(T::kTaskStateEntered);

  advance_to(60000);
  ASSERT_TRUE(redrive(5000).ok());
  EXPECT_EQ(ex->status(), ExecutionStatus::kRunning);
  EXPECT_EQ(ex->redrive_count(), 1);
  EXPECT_EQ(ex->redrive_ms(), kStart + 65000);
  ASSERT_EQ(new_types(), (V{"ExecutionRedriven", "TaskScheduled"}));
  const HistoryEvent& redriven = life->sink.events[0];
  EXPECT_EQ(redriven.id, failed_id + 1);
  EXPECT_EQ(redriven.previous_event_id, failed_id);
  EXPECT_EQ(json::serialize(redriven.details), R"J({"redriveCount":1})J");
  EXPECT_EQ(history_event_json(redriven),
            R"J({"timestamp":1700000065.000,"type":"ExecutionRedriven","id":12,)J"
            R"J("previousEventId":11,"executionRedrivenEventDetails":{"redriveCount":1}})J");
  // The state re-runs from its original entry, with its original input and fresh retries.
  EXPECT_EQ(life->sink.events[1].previous_event_id, call_entered);
  ASSERT_EQ(life->tasks.calls.size(), 1u);
  EXPECT_EQ(json::serialize(life->tasks.calls[0].request.input), R"J({"n":1,"redrives":1})J");
  EXPECT_EQ(life->tasks.calls[0].request.retry_count, 0);
  life->tasks.last().fail("E", "third");  // the retry is available again
  advance_to(66000);
  ASSERT_EQ(life->tasks.calls.size(), 2u);
  life->tasks.last().succeed(Value("ok"));
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(output(), R"J("ok")J");
  EXPECT_EQ(count(T::kPassStateEntered), 1);  // what succeeded is not run again
  ASSERT_EQ(life->sink.outcomes.size(), 1u);
  EXPECT_EQ(life->sink.outcomes[0].status, ExecutionStatus::kSucceeded);
}

TEST_F(RedriveTest, OnlyTheFailedParallelBranchRunsAgain) {
  start(R"J({"StartAt":"Par","States":{"Par":{"Type":"Parallel","Branches":[
      {"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::http:invoke",
                                    "Parameters":{"b":"a"},"End":true}}},
      {"StartAt":"B","States":{"B":{"Type":"Task","Resource":"arn:aws:states:::http:invoke",
                                    "Parameters":{"b":"b"},"End":true}}}],"End":true}}})J");
  ASSERT_EQ(life->tasks.calls.size(), 2u);
  life->tasks.calls[0].handle->succeed(Value("A done"));
  life->tasks.calls[1].handle->fail("Broken", "b");
  ASSERT_EQ(ex->status(), ExecutionStatus::kFailed);
  ASSERT_TRUE(redrive().ok());
  ASSERT_EQ(life->tasks.calls.size(), 1u);
  EXPECT_EQ(json::serialize(life->tasks.calls[0].request.input), R"J({"b":"b"})J");
  life->tasks.last().succeed(Value("B done"));
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(output(), R"J(["A done","B done"])J");
  EXPECT_EQ(new_types(), (V{"ExecutionRedriven", "TaskScheduled", "TaskStarted", "TaskSucceeded",
                            "TaskStateExited", "ParallelStateSucceeded", "ParallelStateExited",
                            "ExecutionSucceeded"}));
}

TEST_F(RedriveTest, MapRerunsFailedIterationsAndStartsTheOnesNeverStarted) {
  start(R"J({"StartAt":"Each","States":{"Each":{"Type":"Map","MaxConcurrency":1,
      "ItemProcessor":{"StartAt":"Do","States":{"Do":{"Type":"Task",
        "Resource":"arn:aws:states:::http:invoke","End":true}}},"End":true}}})J",
        "[1,2,3,4]");
  ASSERT_EQ(life->tasks.calls.size(), 1u);
  life->tasks.last().succeed(Value(10));
  ASSERT_EQ(life->tasks.calls.size(), 2u);
  life->tasks.last().fail("Bad", "item 2");
  ASSERT_EQ(ex->status(), ExecutionStatus::kFailed);
  const int64_t second_entered = id_of(T::kTaskStateEntered, 1);
  ASSERT_GT(second_entered, 0);

  ASSERT_TRUE(redrive().ok());
  ASSERT_EQ(life->tasks.calls.size(), 1u);
  EXPECT_EQ(json::serialize(life->tasks.calls[0].request.input), "2");
  EXPECT_EQ(life->sink.events[1].previous_event_id, second_entered);
  life->tasks.last().succeed(Value(20));
  ASSERT_EQ(life->tasks.calls.size(), 2u);
  EXPECT_EQ(json::serialize(life->tasks.calls[1].request.input), "3");
  life->tasks.last().succeed(Value(30));
  life->tasks.last().succeed(Value(40));
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(output(), "[10,20,30,40]");
  EXPECT_EQ(life->tasks.calls.size(), 3u);  // item 1 was not run again
  EXPECT_EQ(new_types(),
            (V{"ExecutionRedriven",     "TaskScheduled",         "TaskStarted",
               "TaskSucceeded",         "TaskStateExited",       "MapIterationSucceeded",
               "MapIterationStarted",   "TaskStateEntered",      "TaskScheduled",
               "TaskStarted",           "TaskSucceeded",         "TaskStateExited",
               "MapIterationSucceeded", "MapIterationStarted",   "TaskStateEntered",
               "TaskScheduled",         "TaskStarted",           "TaskSucceeded",
               "TaskStateExited",       "MapIterationSucceeded", "MapStateSucceeded",
               "MapStateExited",        "ExecutionSucceeded"}));
}

TEST_F(RedriveTest, ToleratedFailuresRunAgainToo) {
  start(R"J({"StartAt":"Each","States":{"Each":{"Type":"Map","ToleratedFailureCount":1,
      "ItemProcessor":{"StartAt":"Do","States":{"Do":{"Type":"Task",
        "Resource":"arn:aws:states:::http:invoke","End":true}}},"End":true}}})J",
        "[1,2,3]");
  ASSERT_EQ(life->tasks.calls.size(), 3u);
  life->tasks.calls[0].handle->fail("Bad", "1");  // tolerated
  life->tasks.calls[1].handle->succeed(Value("two"));
  life->tasks.calls[2].handle->fail("Bad", "3");  // one too many
  ASSERT_EQ(ex->status(), ExecutionStatus::kFailed);
  EXPECT_EQ(ex->outcome().error, "States.ExceedToleratedFailureThreshold");
  ASSERT_TRUE(redrive().ok());
  ASSERT_EQ(life->tasks.calls.size(), 2u);
  EXPECT_EQ(json::serialize(life->tasks.calls[0].request.input), "1");
  EXPECT_EQ(json::serialize(life->tasks.calls[1].request.input), "3");
  life->tasks.calls[0].handle->succeed(Value("one"));
  life->tasks.calls[1].handle->succeed(Value("three"));
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(output(), R"J(["one","two","three"])J");
}

TEST_F(RedriveTest, AnAbortedWaitWaitsAgainFromTheRedrive) {
  start(R"J({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":10,"End":true}}})J");
  advance_to(4000);
  ASSERT_TRUE(ex->stop("Stop", "by hand"));
  ASSERT_TRUE(redrive(1000).ok());  // at +5 s
  EXPECT_EQ(life->timers.next_due(), kStart + 15000);
  advance_to(15000);
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(new_types(), (V{"ExecutionRedriven", "WaitStateExited", "ExecutionSucceeded"}));
  EXPECT_EQ(life->sink.events[1].previous_event_id, id_of(T::kWaitStateEntered));
}

TEST_F(RedriveTest, ATimedOutExecutionGetsItsTimeoutAgainFromTheRedrive) {
  start(R"J({"StartAt":"T","TimeoutSeconds":10,"States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:us-east-1:000000000000:activity:a","End":true}}})J");
  EXPECT_TRUE(life->tasks.last().started("w"));
  advance_to(10000);
  ASSERT_EQ(ex->status(), ExecutionStatus::kTimedOut);
  ASSERT_TRUE(redrive(20000).ok());         // at +30 s
  ASSERT_EQ(life->tasks.calls.size(), 1u);  // offered to workers again, with a new token
  EXPECT_EQ(life->tasks.calls[0].request.task_token, "token-2");
  EXPECT_EQ(life->timers.next_due(), kStart + 40000);
  advance_to(40000);
  ASSERT_EQ(ex->status(), ExecutionStatus::kTimedOut);
  EXPECT_EQ(count(T::kExecutionTimedOut), 2);
}

TEST_F(RedriveTest, ABranchStoppedBetweenTwoStatesTakesItsTransition) {
  // Branch B fails inside TaskHandler::start, while branch A is between A1 and A2.
  life->tasks.on_start = [](const TaskRequest& r, TaskHandle& h) {
    if (r.state_name == "B") h.fail("Sync", "");
  };
  start(R"J({"StartAt":"Par","States":{"Par":{"Type":"Parallel","Branches":[
      {"StartAt":"A1","States":{"A1":{"Type":"Pass","Result":"a1","Next":"A2"},
                                "A2":{"Type":"Pass","End":true}}},
      {"StartAt":"B","States":{"B":{"Type":"Task","Resource":"arn:aws:states:::http:invoke",
                                    "End":true}}}],"End":true}}})J");
  ASSERT_EQ(ex->status(), ExecutionStatus::kFailed);
  EXPECT_EQ(count(T::kPassStateExited), 1);
  EXPECT_EQ(count(T::kPassStateEntered), 1);  // A2 was never entered
  ASSERT_TRUE(redrive().ok());
  life->tasks.last().succeed(Value("b"));
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(output(), R"J(["a1","b"])J");
  EXPECT_EQ(count(T::kPassStateEntered), 2);  // A1 once, A2 once
}

TEST_F(RedriveTest, AFailStateFailsAgain) {
  start(R"J({"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Nope","Cause":"never"}}})J");
  ASSERT_EQ(ex->status(), ExecutionStatus::kFailed);
  ASSERT_TRUE(redrive().ok());
  ASSERT_EQ(ex->status(), ExecutionStatus::kFailed);
  EXPECT_EQ(ex->outcome().error, "Nope");
  EXPECT_EQ(new_types(), (V{"ExecutionRedriven", "ExecutionFailed"}));
  EXPECT_EQ(ex->redrive_count(), 1);
}

TEST_F(RedriveTest, RedrivenTwiceAndRestartedInBetween) {
  start(R"J({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
      "Parameters":{"t.$":"$$.Task.Token","r.$":"$$.Execution.RedriveCount"},"End":true}}})J");
  life->tasks.last().fail("E", "1");
  ASSERT_TRUE(redrive().ok());
  EXPECT_EQ(json::serialize(life->tasks.last().task_token()), R"J("token-2")J");
  life->tasks.last().fail("E", "2");
  ASSERT_EQ(ex->status(), ExecutionStatus::kFailed);
  Status again = redrive(100);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(ex->redrive_count(), 2);
  ASSERT_EQ(life->tasks.calls.size(), 1u);
  EXPECT_EQ(json::serialize(life->tasks.calls[0].request.input), R"J({"t":"token-3","r":2})J");
  life->tasks.last().submitted(Value(1));
  // The server dies in the middle of the second redrive; the replay goes through both.
  ASSERT_TRUE(restart(50).ok());
  EXPECT_EQ(ex->redrive_count(), 2);
  ASSERT_EQ(life->tasks.resumed.size(), 1u);
  EXPECT_EQ(life->tasks.resumed[0].request.task_token, "token-3");
  life->tasks.resumed[0].handle->succeed(Value("third time"));
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(count(T::kExecutionRedriven), 2);
  EXPECT_EQ(count(T::kTaskScheduled), 3);
  EXPECT_EQ(json::serialize(find(T::kExecutionRedriven, 1)->details), R"J({"redriveCount":2})J");
}

TEST_F(RedriveTest, OnlyStoppedExecutionsCanBeRedriven) {
  start(R"J({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":10,"End":true}}})J");
  Status running = redrive();
  ASSERT_FALSE(running.ok());
  EXPECT_TRUE(life->sink.events.empty());
  EXPECT_TRUE(life->sink.outcomes.empty());

  advance_to(0);
  start(R"J({"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}})J");
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded);
  EXPECT_FALSE(redrive().ok());
  EXPECT_TRUE(life->sink.events.empty());
}

TEST(RedriveRefusal, FollowsTheAwsRules) {
  const int64_t day = 24LL * 3600 * 1000;
  RedriveFacts f;
  f.status = ExecutionStatus::kFailed;
  f.start_ms = 0;
  f.stop_ms = 1000;
  f.now_ms = 2000;
  f.event_count = 10;
  EXPECT_EQ(redrive_refusal(f), std::nullopt);
  f.status = ExecutionStatus::kAborted;
  EXPECT_EQ(redrive_refusal(f), std::nullopt);
  f.status = ExecutionStatus::kTimedOut;
  EXPECT_EQ(redrive_refusal(f), std::nullopt);

  RedriveFacts g = f;
  g.status = ExecutionStatus::kRunning;
  EXPECT_EQ(redrive_refusal(g), "Execution is RUNNING and cannot be redriven");
  g.status = ExecutionStatus::kSucceeded;
  EXPECT_EQ(redrive_refusal(g), "Execution is SUCCEEDED and cannot be redriven");
  g = f;
  g.state_machine_deleting = true;
  EXPECT_EQ(redrive_refusal(g), "State machine is in DELETING status");
  g = f;
  g.event_count = 24998;
  EXPECT_EQ(redrive_refusal(g), std::nullopt);
  g.event_count = 24999;
  EXPECT_EQ(redrive_refusal(g), "Execution history event limit exceeded");
  g = f;
  g.now_ms = g.stop_ms + 14 * day;
  EXPECT_EQ(redrive_refusal(g), std::nullopt);
  g.now_ms += 1;
  EXPECT_EQ(redrive_refusal(g), "Execution redrivable period exceeded");
  g = f;
  g.stop_ms = g.start_ms + 365 * day;
  g.now_ms = g.stop_ms;
  EXPECT_EQ(redrive_refusal(g), "Execution has exceeded the max execution time");
}

}  // namespace
}  // namespace sluice::engine::executor
