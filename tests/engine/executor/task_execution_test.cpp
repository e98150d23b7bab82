// Execution: Task states through the TaskHandler interface, task timeouts and heartbeats, Retry
// and Catch.
#include "engine/executor/execution.h"

#include "tests/engine/executor/executor_fixture.h"

namespace sluice::engine::executor {
namespace {

using T = HistoryEventType;
using V = std::vector<std::string>;
using json::Object;
using json::Value;

TEST_F(ExecutorTest, TaskCompletesAsynchronouslyWithResultProcessing) {
  auto ex = run(R"J({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::sqs:sendMessage",
      "Parameters":{"QueueUrl":"q","MessageBody.$":"$.body"},
      "ResultSelector":{"id.$":"$.MessageId"},"ResultPath":"$.sent","End":true}}})J",
                R"J({"body":"hi"})J");
  ASSERT_EQ(tasks.calls.size(), 1u);
  const TaskRequest& req = tasks.calls[0].request;
  EXPECT_EQ(req.resource, "arn:aws:states:::sqs:sendMessage");
  EXPECT_EQ(json::serialize(req.input), R"J({"QueueUrl":"q","MessageBody":"hi"})J");
  EXPECT_EQ(req.state_name, "T");
  EXPECT_TRUE(req.task_token.empty());
  EXPECT_EQ(ex->status(), ExecutionStatus::kRunning);
  EXPECT_EQ(types(*ex), (V{"ExecutionStarted", "TaskStateEntered", "TaskScheduled"}));
  EXPECT_EQ(details(ex->history()[2]),
            R"J({"resourceType":"sqs","resource":"sendMessage","region":"us-east-1",)J"
            R"J("parameters":"{\"QueueUrl\":\"q\",\"MessageBody\":\"hi\"}"})J");

  clock.set(kStart + 250);
  EXPECT_TRUE(tasks.last().started());
  EXPECT_FALSE(tasks.last().started());  // once
  EXPECT_TRUE(tasks.last().succeed(parse(R"J({"MessageId":"m-1","MD5":"x"})J")));
  EXPECT_FALSE(tasks.last().succeed(Value(2)));
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(output(*ex), R"J({"body":"hi","sent":{"id":"m-1"}})J");
  EXPECT_EQ(types(*ex), (V{"ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted",
                           "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded"}));
  EXPECT_EQ(links(*ex), (V{"1:0", "2:0", "3:2", "4:3", "5:4", "6:5", "7:6"}));
  EXPECT_EQ(details(ex->history()[3]), R"J({"resourceType":"sqs","resource":"sendMessage"})J");
  EXPECT_EQ(details(ex->history()[4]), R"J({"resourceType":"sqs","resource":"sendMessage",)J"
                                       R"J("output":"{\"MessageId\":\"m-1\",\"MD5\":\"x\"}",)J"
                                       R"J("outputDetails":{"truncated":false}})J");
  EXPECT_EQ(ex->history()[4].timestamp_ms, kStart + 250);
}

TEST_F(ExecutorTest, TaskAnsweredFromInsideStartRecordsStartedImplicitly) {
  tasks.on_start = [](const TaskRequest& req, TaskHandle& h) {
    EXPECT_TRUE(h.succeed(Value(Object{{"echo", req.input}})));
  };
  auto ex = run(R"J({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::http:invoke","Next":"P"},"P":{"Type":"Pass","End":true}}})J",
                R"J({"a":1})J");
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(output(*ex), R"J({"echo":{"a":1}})J");
  EXPECT_EQ(types(*ex), (V{"ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted",
                           "TaskSucceeded", "TaskStateExited", "PassStateEntered",
                           "PassStateExited", "ExecutionSucceeded"}));
}

TEST_F(ExecutorTest, WaitForTaskTokenPutsTheTokenInContextAndRecordsSubmission) {
  auto ex = run(R"J({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
      "Parameters":{"QueueUrl":"q","MessageBody":{"TaskToken.$":"$$.Task.Token"}},
      "End":true}}})J");
  ASSERT_EQ(tasks.calls.size(), 1u);
  const TaskRequest& req = tasks.calls[0].request;
  EXPECT_EQ(req.task_token, "token-1");
  EXPECT_EQ(tasks.last().task_token(), "token-1");
  EXPECT_EQ(json::serialize(req.input),
            R"J({"QueueUrl":"q","MessageBody":{"TaskToken":"token-1"}})J");
  EXPECT_TRUE(tasks.last().submitted(parse(R"J({"MessageId":"m"})J")));
  EXPECT_EQ(ex->status(), ExecutionStatus::kRunning);
  EXPECT_TRUE(tasks.last().succeed(parse(R"J({"done":true})J")));
  EXPECT_EQ(output(*ex), R"J({"done":true})J");
  EXPECT_EQ(types(*ex),
            (V{"ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted",
               "TaskSubmitted", "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded"}));
  EXPECT_EQ(details(*find(*ex, T::kTaskSubmitted)),
            R"J({"resourceType":"sqs","resource":"sendMessage.waitForTaskToken",)J"
            R"J("output":"{\"MessageId\":\"m\"}","outputDetails":{"truncated":false}})J");
}

TEST_F(ExecutorTest, TaskFailureWithoutHandlersFailsTheExecution) {
  auto ex = run(R"J({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::sqs:sendMessage","End":true}}})J");
  EXPECT_TRUE(tasks.last().fail("SQS.AmazonSQSException", "no such queue"));
  ASSERT_EQ(ex->status(), ExecutionStatus::kFailed);
  EXPECT_EQ(ex->outcome().error, "SQS.AmazonSQSException");
  EXPECT_EQ(ex->outcome().cause, "no such queue");
  EXPECT_EQ(types(*ex), (V{"ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted",
                           "TaskFailed", "ExecutionFailed"}));
  EXPECT_EQ(links(*ex), (V{"1:0", "2:0", "3:2", "4:3", "5:4", "6:5"}));
  EXPECT_EQ(details(ex->history()[4]),
            R"J({"error":"SQS.AmazonSQSException","cause":"no such queue",)J"
            R"J("resourceType":"sqs","resource":"sendMessage"})J");
}

constexpr const char* kRetrying = R"J({"StartAt":"T","States":{"T":{"Type":"Task",
  "Resource":"arn:aws:states:::http:invoke",
  "Parameters":{"attempt.$":"$$.State.RetryCount"},
  "Retry":[{"ErrorEquals":["Other"],"MaxAttempts":5},
           {"ErrorEquals":["Flaky","States.Timeout"],"IntervalSeconds":2,"BackoffRate":3,
            "MaxAttempts":2}],
  "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.error","Next":"Handled"}],
  "End":true},
  "Handled":{"Type":"Pass","End":true}}})J";

TEST_F(ExecutorTest, EveryAttemptOfAStateGetsTheNextInvocationNumber) {
  // Retries count, and so does entering the state again (a loop): mocked test cases answer by it.
  constexpr const char* kLoop = R"J({"StartAt":"T","States":{
    "T":{"Type":"Task","Resource":"arn:aws:states:::http:invoke",
         "Retry":[{"ErrorEquals":["Flaky"],"IntervalSeconds":1,"MaxAttempts":1}],
         "ResultPath":"$.r","Next":"Again"},
    "Again":{"Type":"Choice","Choices":[{"Variable":"$.r","StringEquals":"first",
             "Next":"T"}],"Default":"Done"},
    "Done":{"Type":"Pass","End":true}}})J";
  auto ex = run(kLoop);
  tasks.last().fail("Flaky", "1");
  timers.advance_by(1000);
  tasks.last().succeed(Value("first"));
  tasks.last().succeed(Value("second"));
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded);
  ASSERT_EQ(tasks.calls.size(), 3u);
  for (int64_t i = 0; i < 3; ++i) EXPECT_EQ(tasks.calls[i].request.invocation, i);
  EXPECT_EQ(tasks.calls[2].request.retry_count, 0);  // a fresh entry: its retries start again
}

TEST_F(ExecutorTest, WaitTimeScaleShortensRetryIntervalsAndWaits) {
  ExecutionOptions options;
  options.wait_time_scale = 0.1;
  auto ex = run(R"J({"StartAt":"T","States":{
    "T":{"Type":"Task","Resource":"arn:aws:states:::http:invoke",
         "Retry":[{"ErrorEquals":["Flaky"],"IntervalSeconds":20,"MaxAttempts":1}],"Next":"W"},
    "W":{"Type":"Wait","Seconds":86400,"End":true}}})J",
                "{}", options);
  tasks.last().fail("Flaky", "1");
  timers.advance_by(1999);
  EXPECT_EQ(tasks.calls.size(), 1u);
  timers.advance_by(1);  // 20 s at 0.1
  ASSERT_EQ(tasks.calls.size(), 2u);
  tasks.last().succeed(Value(1));
  timers.advance_by(8639999);
  EXPECT_EQ(ex->status(), ExecutionStatus::kRunning);
  timers.advance_by(1);  // a day at 0.1
  EXPECT_EQ(ex->status(), ExecutionStatus::kSucceeded);
  // The recorded times are the real ones.
  EXPECT_EQ(find(*ex, HistoryEventType::kWaitStateExited)->timestamp_ms -
                find(*ex, HistoryEventType::kWaitStateEntered)->timestamp_ms,
            8640000);

  options.wait_time_scale = 0;
  auto none = run(R"J({"StartAt":"W","States":{"W":{"Type":"Wait",
    "Timestamp":"2099-01-01T00:00:00Z","End":true}}})J",
                  "{}", options);
  timers.advance_by(0);
  EXPECT_EQ(none->status(), ExecutionStatus::kSucceeded);
}

TEST_F(ExecutorTest, RetryBacksOffWithRetryCountThenSucceeds) {
  auto ex = run(kRetrying, R"J({"k":1})J");
  tasks.last().fail("Flaky", "1");
  EXPECT_EQ(tasks.calls.size(), 1u);
  timers.advance_by(1999);
  EXPECT_EQ(tasks.calls.size(), 1u);
  timers.advance_by(1);  // IntervalSeconds 2
  ASSERT_EQ(tasks.calls.size(), 2u);
  EXPECT_EQ(json::serialize(tasks.calls[1].request.input), R"J({"attempt":1})J");
  EXPECT_EQ(tasks.calls[1].request.retry_count, 1);
  tasks.last().fail("Flaky", "2");
  timers.advance_by(5999);
  EXPECT_EQ(tasks.calls.size(), 2u);
  timers.advance_by(1);  // 2 * BackoffRate 3
  ASSERT_EQ(tasks.calls.size(), 3u);
  EXPECT_EQ(json::serialize(tasks.calls[2].request.input), R"J({"attempt":2})J");
  tasks.last().succeed(Value("ok"));
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(output(*ex), R"J("ok")J");
  EXPECT_EQ(types(*ex),
            (V{"ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskFailed",
               "TaskScheduled", "TaskStarted", "TaskFailed", "TaskScheduled", "TaskStarted",
               "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded"}));
  // A retry's TaskScheduled follows the failure it retries.
  EXPECT_EQ(ex->history()[5].previous_event_id, ex->history()[4].id);
}

TEST_F(ExecutorTest, ExhaustedRetriesFallThroughToCatch) {
  auto ex = run(kRetrying, R"J({"k":1})J");
  tasks.last().fail("Flaky", "a");
  timers.advance_by(2000);
  tasks.last().fail("Flaky", "b");
  timers.advance_by(6000);
  tasks.last().fail("Flaky", "c");
  EXPECT_EQ(tasks.calls.size(), 3u);  // MaxAttempts 2: three attempts in all
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(output(*ex), R"J({"k":1,"error":{"Error":"Flaky","Cause":"c"}})J");
  const HistoryEvent* exited = find(*ex, T::kTaskStateExited);
  ASSERT_NE(exited, nullptr);
  EXPECT_EQ(details(*exited),
            R"J({"name":"T","output":"{\"k\":1,\"error\":{\"Error\":)J"
            R"J(\"Flaky\",\"Cause\":\"c\"}}","outputDetails":{"truncated":false}})J");
  EXPECT_EQ(find(*ex, T::kPassStateEntered)->previous_event_id, exited->id);
}

TEST_F(ExecutorTest, FirstMatchingRetrierDecidesAndMaxAttemptsZeroNeverRetries) {
  auto ex = run(R"J({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::http:invoke",
      "Retry":[{"ErrorEquals":["E"],"MaxAttempts":0},{"ErrorEquals":["States.ALL"]}],
      "End":true}}})J");
  tasks.last().fail("E", "");
  EXPECT_EQ(ex->status(), ExecutionStatus::kFailed);
  EXPECT_EQ(tasks.calls.size(), 1u);
  EXPECT_EQ(timers.pending(), 0u);
}

TEST_F(ExecutorTest, RetryJitterAndMaxDelayUseTheInjectedRandom) {
  auto ex = run(R"J({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::http:invoke",
      "Retry":[{"ErrorEquals":["States.ALL"],"IntervalSeconds":10,"MaxDelaySeconds":8,
                "JitterStrategy":"FULL"}],"End":true}}})J");
  tasks.last().fail("E", "");
  // min(10, 8) s * 0.5 from the fixed random source
  EXPECT_EQ(timers.next_due(), kStart + 4000);
  timers.advance_by(4000);
  EXPECT_EQ(tasks.calls.size(), 2u);
  tasks.last().succeed(Value(1));
  EXPECT_EQ(ex->status(), ExecutionStatus::kSucceeded);
}

TEST_F(ExecutorTest, TaskFailedWildcardDoesNotCatchTimeouts) {
  auto ex = run(R"J({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::http:invoke","TimeoutSeconds":3,
      "Catch":[{"ErrorEquals":["States.TaskFailed"],"Next":"Caught"}],"End":true},
      "Caught":{"Type":"Succeed"}}})J");
  timers.advance_by(3000);
  ASSERT_EQ(ex->status(), ExecutionStatus::kFailed);
  EXPECT_EQ(ex->outcome().error, "States.Timeout");
  EXPECT_EQ(types(*ex), (V{"ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskTimedOut",
                           "ExecutionFailed"}));
  EXPECT_EQ(details(*find(*ex, T::kTaskTimedOut)),
            R"J({"error":"States.Timeout","resourceType":"http","resource":"invoke"})J");
  ASSERT_EQ(tasks.cancelled.size(), 1u);
  EXPECT_FALSE(tasks.last().succeed(Value(1)));  // the attempt is over
}

TEST_F(ExecutorTest, StatesRuntimeEscapesCatchAll) {
  auto ex = run(R"J({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::http:invoke","Parameters":{"x.$":"$.missing"},
      "Retry":[{"ErrorEquals":["States.ALL"]}],
      "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Caught"}],"End":true},
      "Caught":{"Type":"Succeed"}}})J");
  ASSERT_EQ(ex->status(), ExecutionStatus::kFailed);
  EXPECT_EQ(ex->outcome().error, "States.Runtime");
  EXPECT_TRUE(tasks.calls.empty());
}

TEST_F(ExecutorTest, TimeoutSecondsPathAndHeartbeats) {
  auto ex = run(R"J({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:us-east-1:000000000000:activity:work",
      "TimeoutSecondsPath":"$.timeout","HeartbeatSeconds":5,
      "Catch":[{"ErrorEquals":["States.HeartbeatTimeout"],"Next":"Late"}],"End":true},
      "Late":{"Type":"Pass","Result":"late","End":true}}})J",
                R"J({"timeout":60})J");
  ASSERT_EQ(tasks.calls.size(), 1u);
  EXPECT_EQ(tasks.calls[0].request.timeout_seconds, 60);
  EXPECT_EQ(tasks.calls[0].request.heartbeat_seconds, 5);
  EXPECT_EQ(details(ex->history()[2]),
            R"J({"resource":"arn:aws:states:us-east-1:000000000000:activity:work",)J"
            R"J("input":"{\"timeout\":60}","inputDetails":{"truncated":false},)J"
            R"J("timeoutInSeconds":60,"heartbeatInSeconds":5})J");
  EXPECT_TRUE(tasks.last().started("worker-1"));
  timers.advance_by(4000);
  EXPECT_TRUE(tasks.last().heartbeat());
  timers.advance_by(4000);  // 8 s in, 4 s since the heartbeat
  EXPECT_EQ(ex->status(), ExecutionStatus::kRunning);
  timers.advance_by(1000);  // 5 s since the heartbeat
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(output(*ex), R"J("late")J");
  EXPECT_EQ(types(*ex), (V{"ExecutionStarted", "TaskStateEntered", "ActivityScheduled",
                           "ActivityStarted", "ActivityTimedOut", "TaskStateExited",
                           "PassStateEntered", "PassStateExited", "ExecutionSucceeded"}));
  EXPECT_EQ(details(*find(*ex, T::kActivityStarted)), R"J({"workerName":"worker-1"})J");
  // Recorded as States.Timeout, as AWS records a lapsed heartbeat; the Catch on
  // States.HeartbeatTimeout still took it.
  EXPECT_EQ(details(*find(*ex, T::kActivityTimedOut)), R"J({"error":"States.Timeout"})J");
  EXPECT_EQ(timers.pending(), 0u);
}

TEST_F(ExecutorTest, BadTimeoutSecondsPathFailsWithStatesRuntime) {
  auto ex = run(R"J({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::http:invoke","TimeoutSecondsPath":"$.t","End":true}}})J",
                R"J({"t":0})J");
  EXPECT_EQ(ex->outcome().error, "States.Runtime");
  EXPECT_TRUE(tasks.calls.empty());
}

TEST_F(ExecutorTest, LambdaFunctionArnsRecordLambdaEvents) {
  auto ex = run(R"J({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:lambda:us-east-1:000000000000:function:fn","End":true}}})J");
  tasks.last().fail("Lambda.Unknown", "boom");
  EXPECT_EQ(types(*ex), (V{"ExecutionStarted", "TaskStateEntered", "LambdaFunctionScheduled",
                           "LambdaFunctionStarted", "LambdaFunctionFailed", "ExecutionFailed"}));
  EXPECT_EQ(details(*find(*ex, T::kLambdaFunctionFailed)),
            R"J({"error":"Lambda.Unknown","cause":"boom"})J");
}

TEST_F(ExecutorTest, ResultPathMatchFailureIsCatchable) {
  auto ex = run(R"J({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::http:invoke","ResultPath":"$.s.x",
      "Catch":[{"ErrorEquals":["States.ResultPathMatchFailure"],"ResultPath":null,
                "Next":"Caught"}],"End":true},
      "Caught":{"Type":"Pass","Result":"caught","End":true}}})J",
                R"J({"s":"text"})J");
  tasks.last().succeed(Value(1));
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(output(*ex), R"J("caught")J");
}

TEST_F(ExecutorTest, HandlesOutliveTheirExecution) {
  auto ex = run(R"J({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::http:invoke","HeartbeatSeconds":5,"End":true}}})J");
  auto handle = tasks.calls[0].handle;
  ex.reset();
  EXPECT_FALSE(handle->succeed(Value(1)));
  EXPECT_FALSE(handle->heartbeat());
  EXPECT_EQ(timers.pending(), 0u);  // the destroyed execution cancelled its timers
}

}  // namespace
}  // namespace sluice::engine::executor
