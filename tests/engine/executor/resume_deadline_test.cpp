// Execution::resume, case by case: deadlines after time passed while the server was down (Wait
// end times, retry back-offs, task and execution timeouts, heartbeat timeouts from the last
// stored heartbeat), how tasks in flight go back to the TaskHandler (resume vs start again, the
// same task token), and histories resume refuses.
#include "tests/engine/executor/restart_fixture.h"

namespace sluice::engine::executor {
namespace {

constexpr int64_t kStart = kRestartStart;
using T = HistoryEventType;
using json::Value;

constexpr const char* kWait = R"J({"StartAt":"W","States":{
  "W":{"Type":"Wait","Seconds":10,"Next":"P"},"P":{"Type":"Pass","End":true}}})J";

TEST_F(RestartTest, WaitEndsAtItsOriginalTime) {
  start(kWait);
  advance_to(3000);
  ASSERT_TRUE(restart(2000).ok());  // back at +5 s
  EXPECT_EQ(life->timers.next_due(), kStart + 10000);
  advance_to(9999);
  EXPECT_EQ(ex->status(), ExecutionStatus::kRunning);
  advance_to(10000);
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(find(T::kWaitStateExited)->timestamp_ms, kStart + 10000);
  // New events continue the stored ids and go to the new sink only.
  ASSERT_EQ(life->sink.events.size(), 4u);
  EXPECT_EQ(life->sink.events[0].id, 3);
  EXPECT_EQ(life->sink.events[0].previous_event_id, 2);
  EXPECT_EQ(life->sink.events[0].type, T::kWaitStateExited);
  EXPECT_EQ(life->sink.outcomes.size(), 1u);
}

TEST_F(RestartTest, WaitThatEndedWhileDownEndsAtOnce) {
  start(kWait);
  advance_to(3000);
  ASSERT_TRUE(restart(12000).ok());  // back at +15 s
  life->timers.run_due();
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(find(T::kWaitStateExited)->timestamp_ms, kStart + 15000);
}

TEST_F(RestartTest, RetryBackOffKeepsItsDueTime) {
  start(R"J({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::http:invoke",
      "Retry":[{"ErrorEquals":["E"],"IntervalSeconds":5}],"End":true}}})J");
  advance_to(1000);
  life->tasks.last().fail("E", "");  // retry at +6 s
  ASSERT_TRUE(restart(2000).ok());   // back at +3 s
  EXPECT_TRUE(life->tasks.calls.empty());
  advance_to(5999);
  EXPECT_TRUE(life->tasks.calls.empty());
  advance_to(6000);
  ASSERT_EQ(life->tasks.calls.size(), 1u);
  EXPECT_EQ(life->tasks.calls[0].request.retry_count, 1);
  life->tasks.last().succeed(Value(1));
  EXPECT_EQ(ex->status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(count(T::kTaskScheduled), 2);
}

TEST_F(RestartTest, TaskAndExecutionTimeoutsKeepTheirDeadlines) {
  start(R"J({"StartAt":"T","TimeoutSeconds":20,"States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::http:invoke","TimeoutSeconds":10,
      "Catch":[{"ErrorEquals":["States.Timeout"],"Next":"Long"}],"End":true},
      "Long":{"Type":"Wait","Seconds":100,"End":true}}})J");
  advance_to(8000);
  ASSERT_TRUE(restart(4000).ok());  // back at +12 s: the task's deadline (+10 s) passed
  // A plain task with no answer stored runs again (at least once)...
  ASSERT_EQ(life->tasks.calls.size(), 1u);
  life->timers.run_due();
  // ...and times out at once, at its original deadline's first chance.
  ASSERT_NE(find(T::kTaskTimedOut), nullptr);
  EXPECT_EQ(find(T::kTaskTimedOut)->timestamp_ms, kStart + 12000);
  EXPECT_EQ(life->tasks.cancelled.size(), 1u);
  advance_to(19999);
  EXPECT_EQ(ex->status(), ExecutionStatus::kRunning);
  advance_to(20000);
  ASSERT_EQ(ex->status(), ExecutionStatus::kTimedOut);
  EXPECT_EQ(find(T::kExecutionTimedOut)->timestamp_ms, kStart + 20000);
}

// Both deadlines are recorded as States.Timeout; the replay tells the heartbeat's from the
// TimeoutSeconds one by the time it was recorded, so the Catch that took it takes it again.
TEST_F(RestartTest, ALapsedHeartbeatReplaysAsTheHeartbeatsTimeout) {
  start(R"J({"StartAt":"A","States":{"A":{"Type":"Task",
      "Resource":"arn:aws:states:us-east-1:000000000000:activity:work","HeartbeatSeconds":5,
      "TimeoutSeconds":100,
      "Catch":[{"ErrorEquals":["States.HeartbeatTimeout"],"ResultPath":"$.late","Next":"W"}],
      "End":true},
      "W":{"Type":"Wait","Seconds":60,"End":true}}})J");
  EXPECT_TRUE(life->tasks.last().started("worker-1"));
  advance_to(5000);
  ASSERT_NE(find(T::kActivityTimedOut), nullptr);
  EXPECT_EQ(json::serialize(find(T::kActivityTimedOut)->details),
            R"J({"error":"States.Timeout"})J");
  ASSERT_NE(find(T::kWaitStateEntered), nullptr);
  advance_to(10000);
  ASSERT_TRUE(restart().ok());
  EXPECT_EQ(ex->status(), ExecutionStatus::kRunning);
  advance_to(65000);
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(json::serialize(*ex->outcome().output), R"J({"late":{"Error":"States.Timeout"}})J");
}

constexpr const char* kActivity = R"J({"StartAt":"A","States":{"A":{"Type":"Task",
    "Resource":"arn:aws:states:us-east-1:000000000000:activity:work","HeartbeatSeconds":5,
    "End":true}}})J";

TEST_F(RestartTest, HeartbeatTimeoutCountsFromTheLastStoredHeartbeat) {
  start(kActivity);
  ASSERT_EQ(life->tasks.calls.size(), 1u);
  EXPECT_EQ(life->tasks.calls[0].request.task_token, "token-1");  // activities get one
  EXPECT_TRUE(life->tasks.last().started("worker-7"));
  advance_to(4000);
  EXPECT_TRUE(life->tasks.last().heartbeat());
  ASSERT_EQ(life->sink.heartbeats.size(), 1u);
  EXPECT_EQ(life->sink.heartbeats[0].scheduled_event_id, 3);
  EXPECT_EQ(life->sink.heartbeats[0].at_ms, kStart + 4000);
  advance_to(6000);
  ASSERT_TRUE(restart().ok());
  // The worker holds the task: handed back without being offered again.
  EXPECT_TRUE(life->tasks.calls.empty());
  ASSERT_EQ(life->tasks.resumed.size(), 1u);
  EXPECT_EQ(life->tasks.resumed[0].request.task_token, "token-1");
  EXPECT_TRUE(life->tasks.resumed_progress[0].started);
  EXPECT_EQ(life->tasks.resumed_progress[0].worker_name, "worker-7");
  advance_to(8999);
  EXPECT_EQ(ex->status(), ExecutionStatus::kRunning);
  advance_to(9000);  // 5 s after the heartbeat at +4 s
  ASSERT_EQ(ex->status(), ExecutionStatus::kFailed);
  EXPECT_EQ(ex->outcome().error, "States.Timeout");  // as AWS records a lapsed heartbeat
  EXPECT_EQ(find(T::kActivityTimedOut)->timestamp_ms, kStart + 9000);
}

TEST_F(RestartTest, HeartbeatAfterTheRestartReachesTheResumedTask) {
  start(kActivity);
  life->tasks.last().started("w");
  advance_to(3000);
  ASSERT_TRUE(restart().ok());
  ASSERT_EQ(life->tasks.resumed.size(), 1u);
  TaskHandle& h = *life->tasks.resumed[0].handle;
  advance_to(4000);
  EXPECT_TRUE(h.heartbeat());
  advance_to(8999);
  EXPECT_EQ(ex->status(), ExecutionStatus::kRunning);
  EXPECT_FALSE(h.started("again"));  // already recorded
  EXPECT_TRUE(h.succeed(Value("done")));
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(count(T::kActivityStarted), 1);
}

TEST_F(RestartTest, ActivityNoWorkerTookIsOfferedAgainWithTheSameToken) {
  start(kActivity);
  advance_to(1000);
  ASSERT_TRUE(restart().ok());
  ASSERT_EQ(life->tasks.calls.size(), 1u);
  EXPECT_TRUE(life->tasks.resumed.empty());
  EXPECT_EQ(life->tasks.calls[0].request.task_token, "token-1");
  EXPECT_EQ(life->tasks.calls[0].request.scheduled_event_id, 3);
}

constexpr const char* kCallback = R"J({"StartAt":"C","States":{"C":{"Type":"Task",
    "Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
    "Parameters":{"QueueUrl":"q","MessageBody":{"token.$":"$$.Task.Token"}},"End":true}}})J";

TEST_F(RestartTest, SubmittedCallbackTaskKeepsItsTokenAndIsNotSentAgain) {
  start(kCallback);
  ASSERT_TRUE(life->tasks.last().submitted(*json::parse(R"J({"MessageId":"m-1"})J")));
  advance_to(2000);
  ASSERT_TRUE(restart(1000).ok());
  EXPECT_TRUE(life->tasks.calls.empty());
  ASSERT_EQ(life->tasks.resumed.size(), 1u);
  const TaskRequest& req = life->tasks.resumed[0].request;
  EXPECT_EQ(req.task_token, "token-1");
  EXPECT_EQ(json::serialize(req.input), R"J({"QueueUrl":"q","MessageBody":{"token":"token-1"}})J");
  ASSERT_TRUE(life->tasks.resumed_progress[0].submitted.has_value());
  EXPECT_EQ(json::serialize(*life->tasks.resumed_progress[0].submitted),
            R"J({"MessageId":"m-1"})J");
  // SendTaskSuccess after the restart.
  EXPECT_EQ(life->tasks.resumed[0].handle->task_token(), "token-1");
  EXPECT_TRUE(life->tasks.resumed[0].handle->succeed(*json::parse(R"J({"ok":true})J")));
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(json::serialize(*ex->outcome().output), R"J({"ok":true})J");
  EXPECT_EQ(find(T::kTaskSucceeded)->previous_event_id, find(T::kTaskSubmitted)->id);
  // The private record carries the token; the public event does not show it.
  EXPECT_EQ(stored.events[2].resume_record, R"J({"taskToken":"token-1"})J");
  EXPECT_EQ(history_event_json(stored.events[2]).find("taskToken"), std::string::npos);
}

TEST_F(RestartTest, CallbackNotYetSubmittedIsSentAgainWithTheSameToken) {
  start(kCallback);
  ASSERT_TRUE(restart(500).ok());
  ASSERT_EQ(life->tasks.calls.size(), 1u);
  EXPECT_TRUE(life->tasks.resumed.empty());
  EXPECT_EQ(life->tasks.calls[0].request.task_token, "token-1");
  EXPECT_EQ(json::serialize(life->tasks.calls[0].request.input),
            R"J({"QueueUrl":"q","MessageBody":{"token":"token-1"}})J");
}

TEST_F(RestartTest, UnansweredRequestResponseTaskRunsAgainAtLeastOnce) {
  start(R"J({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::http:invoke","Parameters":{"a":1},"End":true}}})J");
  EXPECT_TRUE(life->tasks.last().started());
  ASSERT_TRUE(restart(100).ok());
  ASSERT_EQ(life->tasks.calls.size(), 1u);
  EXPECT_EQ(json::serialize(life->tasks.calls[0].request.input), R"J({"a":1})J");
  EXPECT_FALSE(life->tasks.last().started());  // TaskStarted is stored already
  EXPECT_TRUE(life->tasks.last().succeed(Value(2)));
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(count(T::kTaskStarted), 1);
  EXPECT_EQ(count(T::kTaskScheduled), 1);
}

TEST_F(RestartTest, AnswerGivenInsideStartAfterTheRestartRunsNext) {
  start(R"J({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::http:invoke","Next":"P"},"P":{"Type":"Pass","End":true}}})J");
  stored = PersistedHistory{life->sink.events, life->sink.heartbeats};
  ex.reset();
  life = std::make_unique<Life>(kStart + 10);
  life->tasks.on_start = [](const TaskRequest&, TaskHandle& h) { h.succeed(Value("sync")); };
  ex = Execution::restore(machine, info(), input_, life->services(), {}, stored);
  ASSERT_TRUE(ex->resume().ok());
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(json::serialize(*ex->outcome().output), R"J("sync")J");
}

TEST_F(RestartTest, AFinishedHistoryResumesToItsOutcome) {
  start(kWait);
  advance_to(10000);
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded);
  ASSERT_TRUE(restart().ok());
  EXPECT_EQ(ex->status(), ExecutionStatus::kSucceeded);
  EXPECT_TRUE(life->sink.events.empty());
  ASSERT_EQ(life->sink.outcomes.size(), 1u);  // delivered again: storing it twice is harmless
  EXPECT_EQ(life->sink.outcomes[0].stop_ms, kStart + 10000);
  EXPECT_EQ(life->timers.pending(), 0u);
}

TEST_F(RestartTest, AnAbortedHistoryCancelsNothingAndStartsNothing) {
  start(R"J({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::http:invoke","TimeoutSeconds":30,"End":true}}})J");
  advance_to(1000);
  ASSERT_TRUE(ex->stop("E", "C"));
  ASSERT_TRUE(restart().ok());
  EXPECT_EQ(ex->status(), ExecutionStatus::kAborted);
  EXPECT_EQ(ex->outcome().error, "E");
  EXPECT_TRUE(life->tasks.calls.empty());
  EXPECT_TRUE(life->tasks.cancelled.empty());
  EXPECT_EQ(life->timers.pending(), 0u);
}

TEST_F(RestartTest, StopAfterTheRestartCancelsTheResumedTask) {
  start(kCallback);
  life->tasks.last().submitted(Value(1));
  ASSERT_TRUE(restart().ok());
  ASSERT_TRUE(ex->stop());
  ASSERT_EQ(life->tasks.cancelled.size(), 1u);
  EXPECT_EQ(life->tasks.cancelled[0], life->tasks.resumed[0].handle.get());
  EXPECT_FALSE(life->tasks.resumed[0].handle->succeed(Value(1)));
}

TEST_F(RestartTest, AHistoryTheDefinitionDoesNotProduceFailsTheExecution) {
  start(kWait);
  advance_to(1000);
  auto other = compile(R"J({"StartAt":"X","States":{"X":{"Type":"Pass","End":true}}})J");
  Status st = restart(0, other);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("event #2"), std::string::npos) << st.error().message;
  ASSERT_EQ(ex->status(), ExecutionStatus::kFailed);
  EXPECT_EQ(ex->outcome().error, "States.Runtime");
  ASSERT_EQ(life->sink.events.size(), 1u);
  EXPECT_EQ(life->sink.events[0].type, T::kExecutionFailed);
  EXPECT_EQ(life->sink.events[0].id, 3);
  EXPECT_EQ(life->sink.events[0].previous_event_id, 2);
  EXPECT_EQ(life->sink.outcomes.size(), 1u);
  EXPECT_EQ(ex->history().size(), 3u);
  EXPECT_EQ(life->timers.pending(), 0u);
}

TEST_F(RestartTest, HistoriesThatAreNotAHistoryAreRefused) {
  machine = compile(kWait);
  auto empty = Execution::restore(machine, info(), Value(json::Object{}), life->services(), {},
                                  PersistedHistory{});
  EXPECT_FALSE(empty->resume().ok());
  EXPECT_FALSE(empty->resume().ok());  // once
  EXPECT_TRUE(life->sink.events.empty());
  EXPECT_TRUE(life->sink.outcomes.empty());

  start(kWait);
  auto events = life->sink.events;
  events[1].id = 3;
  auto gap = Execution::restore(machine, info(), input_, life->services(), {},
                                PersistedHistory{events, {}});
  Status st = gap->resume();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("1, 2, 3"), std::string::npos) << st.error().message;
}

TEST_F(RestartTest, JitterDrawsTheSameDelaysForTheSameExecutionArn) {
  auto delays = [this](const std::string& arn) {
    Life l(kStart);
    auto m = compile(R"J({"StartAt":"T","States":{"T":{"Type":"Task",
        "Resource":"arn:aws:states:::http:invoke","Retry":[{"ErrorEquals":["E"],
        "IntervalSeconds":100,"MaxAttempts":3,"JitterStrategy":"FULL"}],"End":true}}})J");
    ExecutionInfo i = info();
    i.execution_arn = arn;
    auto e = Execution::create(m, i, Value(json::Object{}), l.services());
    e->start();
    std::vector<int64_t> out;
    for (int n = 0; n < 3; ++n) {
      l.tasks.last().fail("E", "");
      out.push_back(l.timers.next_due() - l.clock.now_ms());
      l.timers.advance_to(l.timers.next_due());
    }
    return out;
  };
  auto a = delays("arn:aws:states:us-east-1:000000000000:execution:sm:one");
  EXPECT_EQ(a, delays("arn:aws:states:us-east-1:000000000000:execution:sm:one"));
  EXPECT_NE(a, delays("arn:aws:states:us-east-1:000000000000:execution:sm:two"));
}

}  // namespace
}  // namespace sluice::engine::executor
