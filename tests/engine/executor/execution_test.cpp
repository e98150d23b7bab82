// Execution: flow states (Pass, Choice, Wait, Succeed, Fail), the context object, history event
// ids and details, the machine timeout, stop, data limits and the sink.
#include "engine/executor/execution.h"

#include "tests/engine/executor/executor_fixture.h"

namespace sluice::engine::executor {
namespace {

using T = HistoryEventType;
using V = std::vector<std::string>;

TEST_F(ExecutorTest, PassResultAndResultPathWithAwsEventNumbering) {
  auto ex = run(R"J({"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"x":1},
                    "ResultPath":"$.r","End":true}}})J",
                R"J({"in":true})J");
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(output(*ex), R"J({"in":true,"r":{"x":1}})J");
  EXPECT_EQ(types(*ex),
            (V{"ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"}));
  // As AWS numbers them: the first state links to 0, not to ExecutionStarted.
  EXPECT_EQ(links(*ex), (V{"1:0", "2:0", "3:2", "4:3"}));
  const auto& h = ex->history();
  EXPECT_EQ(details(h[0]), R"J({"input":"{\"in\":true}","inputDetails":{"truncated":false},)J"
                           R"J("roleArn":"arn:aws:iam::000000000000:role/r"})J");
  EXPECT_EQ(details(h[1]),
            R"J({"name":"P","input":"{\"in\":true}","inputDetails":{"truncated":false}})J");
  EXPECT_EQ(details(h[2]), R"J({"name":"P","output":"{\"in\":true,\"r\":{\"x\":1}}",)J"
                           R"J("outputDetails":{"truncated":false}})J");
  EXPECT_EQ(details(h[3]), R"J({"output":"{\"in\":true,\"r\":{\"x\":1}}",)J"
                           R"J("outputDetails":{"truncated":false}})J");
  EXPECT_EQ(h[3].timestamp_ms, kStart);
  EXPECT_EQ(ex->outcome().stop_ms, kStart);
  EXPECT_EQ(ex->start_ms(), kStart);
}

TEST_F(ExecutorTest, PassParametersSeeTheContextObject) {
  auto ex = run(R"J({"StartAt":"First","States":{
      "First":{"Type":"Pass","Next":"Second"},
      "Second":{"Type":"Pass","InputPath":"$.v","Parameters":{
        "name.$":"$$.Execution.Name","id.$":"$$.Execution.Id","in.$":"$$.Execution.Input.v",
        "start.$":"$$.Execution.StartTime","role.$":"$$.Execution.RoleArn",
        "state.$":"$$.State.Name","entered.$":"$$.State.EnteredTime",
        "st.$":"$$.State","sm.$":"$$.StateMachine.Name",
        "smid.$":"$$.StateMachine.Id","value.$":"$"},"OutputPath":"$","End":true}}})J",
                R"J({"v":7})J");
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(output(*ex),
            R"J({"name":"exec-1","id":"arn:aws:states:us-east-1:000000000000:execution:sm:)J"
            R"J(exec-1","in":7,"start":"2023-11-14T22:13:20.000Z","role":"arn:aws:iam::)J"
            R"J(000000000000:role/r","state":"Second","entered":"2023-11-14T22:13:20.000Z",)J"
            R"J("st":{"Name":"Second","EnteredTime":"2023-11-14T22:13:20.000Z"},"sm":"sm",)J"
            R"J("smid":"arn:aws:states:us-east-1:000000000000:)J"
            R"J(stateMachine:sm","value":7})J");
  EXPECT_EQ(links(*ex), (V{"1:0", "2:0", "3:2", "4:3", "5:4", "6:5"}));
}

TEST_F(ExecutorTest, PassPathErrorFailsWithStatesRuntime) {
  auto ex = run(R"J({"StartAt":"P","States":{"P":{"Type":"Pass","InputPath":"$.missing",
                    "End":true}}})J");
  ASSERT_EQ(ex->status(), ExecutionStatus::kFailed);
  EXPECT_EQ(ex->outcome().error, "States.Runtime");
  EXPECT_EQ(ex->outcome().cause,
            "An error occurred while executing the state 'P' (entered at the event id #2). "
            "Invalid path '$.missing' : No results for path: $['missing']");
  EXPECT_EQ(types(*ex), (V{"ExecutionStarted", "PassStateEntered", "ExecutionFailed"}));
  EXPECT_EQ(links(*ex), (V{"1:0", "2:0", "3:2"}));
}

constexpr const char* kChoice = R"J({"StartAt":"C","States":{
  "C":{"Type":"Choice","Choices":[
     {"Variable":"$.n","NumericGreaterThan":10,"Next":"Big"},
     {"And":[{"Variable":"$.n","IsPresent":true},{"Variable":"$.n","NumericEquals":0}],
      "Next":"Zero"}],
   "Default":"Other"},
  "Big":{"Type":"Pass","Result":"big","End":true},
  "Zero":{"Type":"Pass","Result":"zero","End":true},
  "Other":{"Type":"Pass","Result":"other","End":true}}})J";

TEST_F(ExecutorTest, ChoiceRoutesByRulesThenDefault) {
  EXPECT_EQ(output(*run(kChoice, R"J({"n":11})J")), R"J("big")J");
  EXPECT_EQ(output(*run(kChoice, R"J({"n":0})J")), R"J("zero")J");
  auto other = run(kChoice, R"J({"n":5})J");
  EXPECT_EQ(output(*other), R"J("other")J");
  EXPECT_EQ(types(*other), (V{"ExecutionStarted", "ChoiceStateEntered", "ChoiceStateExited",
                              "PassStateEntered", "PassStateExited", "ExecutionSucceeded"}));
  EXPECT_EQ(details(other->history()[2]),
            R"J({"name":"C","output":"{\"n\":5}","outputDetails":{"truncated":false}})J");
}

TEST_F(ExecutorTest, ChoiceWithoutMatchOrDefaultFailsNoChoiceMatched) {
  auto ex = run(R"J({"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[
      {"Variable":"$.s","StringEquals":"x","Next":"E"}]},"E":{"Type":"Succeed"}}})J",
                R"J({"s":"y"})J");
  ASSERT_EQ(ex->status(), ExecutionStatus::kFailed);
  EXPECT_EQ(ex->outcome().error, "States.NoChoiceMatched");
  auto missing = run(R"J({"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[
      {"Variable":"$.s","StringEquals":"x","Next":"E"}]},"E":{"Type":"Succeed"}}})J");
  EXPECT_EQ(missing->outcome().error, "States.Runtime");  // the Variable selects nothing
}

TEST_F(ExecutorTest, WaitSecondsUsesTimersNotSleep) {
  auto ex = run(R"J({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":10,"Next":"S"},
                    "S":{"Type":"Succeed"}}})J");
  EXPECT_EQ(ex->status(), ExecutionStatus::kRunning);
  EXPECT_EQ(timers.pending(), 1u);
  timers.advance_by(9999);
  EXPECT_EQ(ex->status(), ExecutionStatus::kRunning);
  timers.advance_by(1);
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(types(*ex), (V{"ExecutionStarted", "WaitStateEntered", "WaitStateExited",
                           "SucceedStateEntered", "SucceedStateExited", "ExecutionSucceeded"}));
  EXPECT_EQ(find(*ex, T::kWaitStateExited)->timestamp_ms, kStart + 10000);
  EXPECT_EQ(ex->outcome().stop_ms, kStart + 10000);
}

TEST_F(ExecutorTest, WaitSecondsPathTimestampAndTimestampPath) {
  auto by_path = run(R"J({"StartAt":"W","States":{"W":{"Type":"Wait","SecondsPath":"$.d",
                         "End":true}}})J",
                     R"J({"d":3})J");
  timers.advance_by(2999);
  EXPECT_EQ(by_path->status(), ExecutionStatus::kRunning);
  timers.advance_by(1);
  EXPECT_EQ(by_path->status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(output(*by_path), R"J({"d":3})J");

  // 2023-11-14T22:13:25Z is kStart + 5 s (clock now at kStart + 3 s).
  auto until = run(R"J({"StartAt":"W","States":{"W":{"Type":"Wait",
                        "Timestamp":"2023-11-14T22:13:25Z","End":true}}})J");
  timers.advance_to(kStart + 4999);
  EXPECT_EQ(until->status(), ExecutionStatus::kRunning);
  timers.advance_to(kStart + 5000);
  EXPECT_EQ(until->status(), ExecutionStatus::kSucceeded);

  auto past = run(R"J({"StartAt":"W","States":{"W":{"Type":"Wait","TimestampPath":"$.t",
                       "OutputPath":"$.t","End":true}}})J",
                  R"J({"t":"2020-01-01T00:00:00Z"})J");
  EXPECT_EQ(past->status(), ExecutionStatus::kSucceeded);  // a past time does not wait
  EXPECT_EQ(output(*past), R"J("2020-01-01T00:00:00Z")J");
}

TEST_F(ExecutorTest, WaitWithBadPathValuesFailsWithStatesRuntime) {
  auto negative = run(R"J({"StartAt":"W","States":{"W":{"Type":"Wait","SecondsPath":"$.d",
                           "End":true}}})J",
                      R"J({"d":-1})J");
  EXPECT_EQ(negative->outcome().error, "States.Runtime");
  auto bad_time = run(R"J({"StartAt":"W","States":{"W":{"Type":"Wait","TimestampPath":"$.t",
                           "End":true}}})J",
                      R"J({"t":"tomorrow"})J");
  EXPECT_EQ(bad_time->outcome().error, "States.Runtime");
  EXPECT_EQ(timers.pending(), 0u);
}

TEST_F(ExecutorTest, WaitPathCausesAreAwss) {
  const std::string seconds =
      R"J({"StartAt":"W","States":{"W":{"Type":"Wait","SecondsPath":"$.d","End":true}}})J";
  const std::string stamp =
      R"J({"StartAt":"W","States":{"W":{"Type":"Wait","TimestampPath":"$.t","End":true}}})J";
  const std::string prefix =
      "An error occurred while executing the state 'W' (entered at the "
      "event id #2). ";
  auto cause = [&](const std::string& definition, const std::string& input) {
    auto ex = run(definition, input);
    EXPECT_EQ(ex->outcome().error, "States.Runtime");
    EXPECT_EQ(types(*ex), (V{"ExecutionStarted", "WaitStateEntered", "ExecutionFailed"}));
    std::string c = ex->outcome().cause.value_or("");
    return c.rfind(prefix, 0) == 0 ? c.substr(prefix.size()) : "no prefix: " + c;
  };
  EXPECT_EQ(cause(seconds, R"J({"d":-1})J"),
            "The SecondsPath parameter references a negative value: $.d == -1");
  EXPECT_EQ(cause(seconds, R"J({"d":"-5"})J"),
            "The SecondsPath parameter references a negative value: $.d == -5");
  EXPECT_EQ(cause(seconds, R"J({"d":1.5})J"),
            "The SecondsPath parameter cannot be parsed as a long value: $.d == 1.5");
  EXPECT_EQ(cause(seconds, R"J({"d":"soon"})J"),
            "The SecondsPath parameter cannot be parsed as a long value: $.d == soon");
  EXPECT_EQ(cause(seconds, R"J({"d":[1]})J"),
            "The SecondsPath parameter cannot be parsed as a long value: $.d == [1]");
  EXPECT_EQ(cause(seconds, "{}"),
            "The SecondsPath parameter does not reference an input value: $.d");
  EXPECT_EQ(cause(stamp, R"J({"t":"2024-01-01T00:00:00"})J"),
            "The TimestampPath parameter does not reference a valid ISO-8601 extended offset "
            "date-time format string: $.t == 2024-01-01T00:00:00");
  EXPECT_EQ(cause(stamp, R"J({"t":7})J"),
            "The TimestampPath parameter does not reference a valid ISO-8601 extended offset "
            "date-time format string: $.t == 7");
  EXPECT_EQ(cause(stamp, "{}"),
            "The TimestampPath parameter does not reference an input value: $.t");
}

TEST_F(ExecutorTest, SucceedAppliesInputAndOutputPath) {
  auto ex = run(R"J({"StartAt":"S","States":{"S":{"Type":"Succeed","InputPath":"$.a",
                    "OutputPath":"$.b"}}})J",
                R"J({"a":{"b":[1,2]}})J");
  EXPECT_EQ(output(*ex), "[1,2]");
}

TEST_F(ExecutorTest, FailStateWithStaticAndDynamicErrorAndCause) {
  auto fixed = run(R"J({"StartAt":"F","States":{"F":{"Type":"Fail","Error":"My.Error",
                        "Cause":"because"}}})J");
  ASSERT_EQ(fixed->status(), ExecutionStatus::kFailed);
  EXPECT_EQ(fixed->outcome().error, "My.Error");
  EXPECT_EQ(fixed->outcome().cause, "because");
  EXPECT_EQ(types(*fixed), (V{"ExecutionStarted", "FailStateEntered", "ExecutionFailed"}));
  EXPECT_EQ(links(*fixed), (V{"1:0", "2:0", "3:2"}));
  EXPECT_EQ(details(fixed->history()[2]), R"J({"error":"My.Error","cause":"because"})J");

  auto dynamic = run(R"J({"StartAt":"F","States":{"F":{"Type":"Fail","ErrorPath":"$.e",
      "CausePath":"States.Format('bad {}', $.n)"}}})J",
                     R"J({"e":"Dyn.Error","n":3})J");
  EXPECT_EQ(dynamic->outcome().error, "Dyn.Error");
  EXPECT_EQ(dynamic->outcome().cause, "bad 3");

  // A path that matches nothing: AWS quotes the path, the field and the state's input.
  for (const char* field : {"ErrorPath", "CausePath"}) {
    auto missing = run(std::string(R"J({"StartAt":"F","States":{"F":{"Type":"Fail",")J") + field +
                           R"J(":"$.ErrorX"}}})J",
                       R"J({"a":1})J");
    EXPECT_EQ(missing->outcome().error, "States.Runtime");
    EXPECT_EQ(missing->outcome().cause,
              std::string("An error occurred while executing the state 'F' (entered at the event "
                          "id #2). The JSONPath '$.ErrorX' specified for the field '") +
                  field + R"J(' could not be found in the input '{"a":1}')J");
  }

  auto empty = run(R"J({"StartAt":"F","States":{"F":{"Type":"Fail"}}})J");
  EXPECT_EQ(empty->status(), ExecutionStatus::kFailed);
  EXPECT_FALSE(empty->outcome().error.has_value());
  EXPECT_EQ(details(empty->history()[2]), "{}");
}

TEST_F(ExecutorTest, MachineTimeoutSecondsTimesTheExecutionOut) {
  auto ex = run(R"J({"StartAt":"W","TimeoutSeconds":5,"States":{
                    "W":{"Type":"Wait","Seconds":60,"End":true}}})J");
  timers.advance_by(4999);
  EXPECT_EQ(ex->status(), ExecutionStatus::kRunning);
  timers.advance_by(1);
  ASSERT_EQ(ex->status(), ExecutionStatus::kTimedOut);
  EXPECT_EQ(ex->outcome().error, "States.Timeout");
  EXPECT_EQ(types(*ex), (V{"ExecutionStarted", "WaitStateEntered", "ExecutionTimedOut"}));
  EXPECT_EQ(timers.pending(), 0u);  // the Wait's timer went with it
}

TEST_F(ExecutorTest, StopAbortsAndAbandonsTheRunningTask) {
  auto ex = run(R"J({"StartAt":"T","States":{"T":{"Type":"Task",
                    "Resource":"arn:aws:states:::sqs:sendMessage","TimeoutSeconds":30,
                    "End":true}}})J");
  ASSERT_EQ(tasks.calls.size(), 1u);
  EXPECT_TRUE(ex->stop("User.Stop", "no longer needed"));
  EXPECT_FALSE(ex->stop());
  ASSERT_EQ(ex->status(), ExecutionStatus::kAborted);
  EXPECT_EQ(ex->outcome().error, "User.Stop");
  EXPECT_EQ(ex->history().back().type, T::kExecutionAborted);
  EXPECT_EQ(details(ex->history().back()), R"J({"error":"User.Stop","cause":"no longer needed"})J");
  ASSERT_EQ(tasks.cancelled.size(), 1u);
  EXPECT_EQ(tasks.cancelled[0], &tasks.last());
  EXPECT_FALSE(tasks.last().succeed(json::Value(1)));  // too late: ignored
  EXPECT_EQ(timers.pending(), 0u);
  EXPECT_EQ(ex->history().back().type, T::kExecutionAborted);
}

TEST_F(ExecutorTest, OversizedStateOutputFailsWithDataLimitExceeded) {
  ExecutionOptions small;
  small.max_payload_bytes = 20;
  auto ex = run(R"J({"StartAt":"P","States":{"P":{"Type":"Pass",
                    "Result":"this text is longer than twenty bytes","End":true}}})J",
                "{}", small);
  ASSERT_EQ(ex->status(), ExecutionStatus::kFailed);
  EXPECT_EQ(ex->outcome().error, "States.DataLimitExceeded");
}

TEST_F(ExecutorTest, SinkSeesEveryEventThenTheOutcomeOnce) {
  bool finished = false;
  auto ex = make(R"J({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":1,"End":true}}})J");
  ex->set_on_finished([&](Execution& e) {
    finished = true;
    EXPECT_EQ(e.status(), ExecutionStatus::kSucceeded);
  });
  ex->start();
  EXPECT_EQ(sink.events.size(), 2u);
  EXPECT_TRUE(sink.outcomes.empty());
  timers.advance_by(1000);
  EXPECT_TRUE(finished);
  ASSERT_EQ(sink.events.size(), ex->history().size());
  for (std::size_t i = 0; i < sink.events.size(); ++i) {
    EXPECT_EQ(sink.events[i].id, ex->history()[i].id);
    EXPECT_EQ(sink.events[i].type, ex->history()[i].type);
  }
  ASSERT_EQ(sink.outcomes.size(), 1u);
  EXPECT_EQ(sink.outcomes[0].status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(sink.arns[0], "arn:aws:states:us-east-1:000000000000:execution:sm:exec-1");
}

TEST_F(ExecutorTest, WithoutKeptHistoryTheSinkStillGetsEvents) {
  ExecutionOptions options;
  options.keep_history = false;
  auto ex = run(R"J({"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}})J", "{}", options);
  EXPECT_EQ(ex->status(), ExecutionStatus::kSucceeded);
  EXPECT_TRUE(ex->history().empty());
  EXPECT_EQ(ex->event_count(), 4u);
  EXPECT_EQ(sink.events.size(), 4u);
}

TEST_F(ExecutorTest, WithNoSinkAndNoHistoryTheOutcomeIsTheSame) {
  // Express: nobody reads event details, so none are built; the execution is unchanged.
  tasks.on_start = [](const TaskRequest& r, TaskHandle& h) { h.succeed(r.input); };
  auto machine = asl::compile_definition(R"J({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::http:invoke","Parameters":{"v.$":"$.v"},
      "ResultPath":"$.r","Next":"M"},"M":{"Type":"Map","ItemsPath":"$.xs",
      "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}})J");
  ASSERT_TRUE(machine.ok());
  ExecutionServices services;
  services.clock = &clock;
  services.timers = &timers;
  services.tasks = &tasks;
  ExecutionOptions options;
  options.keep_history = false;
  auto ex = Execution::create(*machine, ExecutionInfo{}, parse(R"J({"v":1,"xs":[1,2]})J"), services,
                              options);
  ex->start();
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(output(*ex), "[1,2]");
  EXPECT_EQ(ex->event_count(), 19u);
  EXPECT_EQ(json::serialize(tasks.calls[0].request.input), R"J({"v":1})J");
}

TEST_F(ExecutorTest, LongLoopsDoNotGrowTheStack) {
  // 40 000 synchronous transitions in one start(): a recursive walk would overflow the stack.
  auto ex = run(R"J({"StartAt":"Inc","States":{
      "Inc":{"Type":"Pass","Parameters":{"n.$":"States.MathAdd($.n, 1)"},"Next":"Loop"},
      "Loop":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericLessThan":20000,
                                          "Next":"Inc"}],"Default":"Done"},
      "Done":{"Type":"Succeed"}}})J",
                R"J({"n":0})J");
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(output(*ex), R"J({"n":20000})J");
  EXPECT_EQ(ex->history().size(), static_cast<std::size_t>(4 * 20000 + 4));
}

}  // namespace
}  // namespace sluice::engine::executor
