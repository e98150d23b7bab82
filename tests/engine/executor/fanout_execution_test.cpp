// Execution: Parallel and inline Map states (concurrency, ordering of results, failure of one
// branch or iteration, tolerated failures, their history events).
#include "engine/executor/execution.h"

#include "tests/engine/executor/executor_fixture.h"

namespace sluice::engine::executor {
namespace {

using T = HistoryEventType;
using V = std::vector<std::string>;
using json::Value;

TEST_F(ExecutorTest, ParallelRunsBranchesAndKeepsBranchOrder) {
  auto ex = run(R"J({"StartAt":"Par","States":{"Par":{"Type":"Parallel",
      "Branches":[
        {"StartAt":"Slow","States":{"Slow":{"Type":"Wait","Seconds":5,"Next":"A"},
                                     "A":{"Type":"Pass","Result":"a","End":true}}},
        {"StartAt":"B","States":{"B":{"Type":"Pass","Result":"b","End":true}}}],
      "ResultSelector":{"first.$":"$[0]","second.$":"$[1]"},"End":true}}})J");
  EXPECT_EQ(ex->status(), ExecutionStatus::kRunning);
  timers.advance_by(5000);
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(output(*ex), R"J({"first":"a","second":"b"})J");
  EXPECT_EQ(types(*ex), (V{"ExecutionStarted", "ParallelStateEntered", "ParallelStateStarted",
                           "WaitStateEntered", "PassStateEntered", "PassStateExited",
                           "WaitStateExited", "PassStateEntered", "PassStateExited",
                           "ParallelStateSucceeded", "ParallelStateExited", "ExecutionSucceeded"}));
  // Each branch's first state links to ParallelStateStarted (id 3); events of one branch chain.
  EXPECT_EQ(links(*ex), (V{"1:0", "2:0", "3:2", "4:3", "5:3", "6:5", "7:4", "8:7", "9:8", "10:9",
                           "11:10", "12:11"}));
}

TEST_F(ExecutorTest, FailingBranchStopsTheOthersAndIsCaughtAtTheParallel) {
  auto ex = run(R"J({"StartAt":"Par","States":{"Par":{"Type":"Parallel",
      "Branches":[
        {"StartAt":"Work","States":{"Work":{"Type":"Task",
            "Resource":"arn:aws:states:::http:invoke","End":true}}},
        {"StartAt":"Boom","States":{"Boom":{"Type":"Wait","Seconds":1,"Next":"F"},
            "F":{"Type":"Fail","Error":"Branch.Failed","Cause":"no"}}}],
      "Catch":[{"ErrorEquals":["Branch.Failed"],"ResultPath":"$.err","Next":"After"}],
      "End":true},
      "After":{"Type":"Pass","End":true}}})J",
                R"J({"x":1})J");
  ASSERT_EQ(tasks.calls.size(), 1u);
  timers.advance_by(1000);
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(output(*ex), R"J({"x":1,"err":{"Error":"Branch.Failed","Cause":"no"}})J");
  ASSERT_EQ(tasks.cancelled.size(), 1u);  // the other branch's task was abandoned
  EXPECT_FALSE(tasks.last().succeed(Value(1)));
  ASSERT_NE(find(*ex, T::kParallelStateFailed), nullptr);
  EXPECT_EQ(find(*ex, T::kParallelStateSucceeded), nullptr);
  EXPECT_EQ(ex->history().back().type, T::kExecutionSucceeded);
}

TEST_F(ExecutorTest, UncaughtBranchFailureFailsTheExecution) {
  auto ex = run(R"J({"StartAt":"Par","States":{"Par":{"Type":"Parallel","Branches":[
      {"StartAt":"F","States":{"F":{"Type":"Fail","Error":"E","Cause":"c"}}}],"End":true}}})J");
  ASSERT_EQ(ex->status(), ExecutionStatus::kFailed);
  EXPECT_EQ(ex->outcome().error, "E");
  EXPECT_EQ(types(*ex), (V{"ExecutionStarted", "ParallelStateEntered", "ParallelStateStarted",
                           "FailStateEntered", "ParallelStateFailed", "ExecutionFailed"}));
}

TEST_F(ExecutorTest, ParallelRetryRunsAllBranchesAgain) {
  int attempts = 0;
  tasks.on_start = [&](const TaskRequest&, TaskHandle& h) {
    if (++attempts == 1)
      h.fail("Once", "");
    else
      h.succeed(Value(attempts));
  };
  auto ex = run(R"J({"StartAt":"Par","States":{"Par":{"Type":"Parallel","Branches":[
      {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::http:invoke",
                                    "End":true}}}],
      "Retry":[{"ErrorEquals":["Once"],"IntervalSeconds":1}],"End":true}}})J");
  timers.advance_by(1000);
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(output(*ex), "[2]");
  EXPECT_NE(find(*ex, T::kParallelStateStarted, 1), nullptr);
}

constexpr const char* kMap = R"J({"StartAt":"M","States":{"M":{"Type":"Map",
  "ItemsPath":"$.items","MaxConcurrency":0,
  "ItemSelector":{"i.$":"$$.Map.Item.Index","v.$":"$$.Map.Item.Value","k.$":"$.k"},
  "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},
  "ResultPath":"$.out","End":true}}})J";

TEST_F(ExecutorTest, MapSelectsItemsAndKeepsItemOrder) {
  auto ex = run(kMap, R"J({"k":"K","items":["a","b","c"]})J");
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(output(*ex), R"J({"k":"K","items":["a","b","c"],"out":[{"i":0,"v":"a","k":"K"},)J"
                         R"J({"i":1,"v":"b","k":"K"},{"i":2,"v":"c","k":"K"}]})J");
  EXPECT_EQ(details(*find(*ex, T::kMapStateStarted)), R"J({"length":3})J");
  EXPECT_EQ(details(*find(*ex, T::kMapIterationStarted, 2)), R"J({"name":"M","index":2})J");
  EXPECT_EQ(details(*find(*ex, T::kMapIterationSucceeded, 1)), R"J({"name":"M","index":1})J");
  const HistoryEvent* started = find(*ex, T::kMapStateStarted);
  const HistoryEvent* first_iteration = find(*ex, T::kMapIterationStarted);
  EXPECT_EQ(first_iteration->previous_event_id, started->id);
  // The iteration's first state links to its MapIterationStarted.
  EXPECT_EQ(find(*ex, T::kPassStateEntered)->previous_event_id, first_iteration->id);
  EXPECT_EQ(ex->history()[ex->history().size() - 3].type, T::kMapStateSucceeded);
  EXPECT_EQ(ex->history()[ex->history().size() - 2].type, T::kMapStateExited);
}

TEST_F(ExecutorTest, MapMaxConcurrencyLimitsIterationsInFlight) {
  auto ex = run(R"J({"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrencyPath":"$.c",
      "ItemsPath":"$.items",
      "ItemProcessor":{"StartAt":"T","States":{"T":{"Type":"Task",
          "Resource":"arn:aws:states:::http:invoke","End":true}}},"End":true}}})J",
                R"J({"c":2,"items":[10,20,30,40]})J");
  ASSERT_EQ(tasks.calls.size(), 2u);
  tasks.calls[1].handle->succeed(Value("r20"));
  ASSERT_EQ(tasks.calls.size(), 3u);
  EXPECT_EQ(json::serialize(tasks.calls[2].request.input), "30");
  tasks.calls[0].handle->succeed(Value("r10"));
  ASSERT_EQ(tasks.calls.size(), 4u);
  tasks.calls[3].handle->succeed(Value("r40"));
  EXPECT_EQ(ex->status(), ExecutionStatus::kRunning);
  tasks.calls[2].handle->succeed(Value("r30"));
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(output(*ex), R"J(["r10","r20","r30","r40"])J");
}

TEST_F(ExecutorTest, MapMaxConcurrencyPathCausesAreAwss) {
  auto cause = [&](const std::string& limit) {
    auto ex = run(R"J({"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrencyPath":"$.c",
        "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},
        "ItemsPath":"$.items","End":true}}})J",
                  R"J({"items":[1],"c":)J" + limit + "}");
    EXPECT_EQ(ex->outcome().error, "States.Runtime");
    return ex->outcome().cause.value_or("");
  };
  const std::string prefix =
      "An error occurred while executing the state 'M' (entered at the "
      "event id #2). ";
  EXPECT_EQ(cause(R"J("many")J"), prefix +
                                      "The MaxConcurrencyPath field refers to value \"many\" "
                                      "which is not a valid integer: $.c");
  EXPECT_EQ(cause("1.5"), prefix +
                              "The MaxConcurrencyPath field refers to value \"1.5\" which is not "
                              "a valid integer: $.c");
  EXPECT_EQ(cause("-1"),
            prefix + "Expected non-negative integer for MaxConcurrency, got '-1' instead.");
  EXPECT_EQ(cause(R"J("-2")J"),
            prefix + "Expected non-negative integer for MaxConcurrency, got '-2' instead.");
}

TEST_F(ExecutorTest, MapOverEmptyArrayAndNonArrayItems) {
  auto empty = run(kMap, R"J({"k":1,"items":[]})J");
  ASSERT_EQ(empty->status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(output(*empty), R"J({"k":1,"items":[],"out":[]})J");
  EXPECT_EQ(details(*find(*empty, T::kMapStateStarted)), R"J({"length":0})J");
  auto scalar = run(kMap, R"J({"k":1,"items":"nope"})J");
  EXPECT_EQ(scalar->outcome().error, "States.Runtime");
  auto missing = run(kMap, R"J({"k":1})J");
  EXPECT_EQ(missing->outcome().error, "States.Runtime");
}

constexpr const char* kFailingMap = R"J({"StartAt":"M","States":{"M":{"Type":"Map",
  %TOLERANCE%
  "ItemProcessor":{"StartAt":"C","States":{
    "C":{"Type":"Choice","Choices":[{"Variable":"$","StringEquals":"bad","Next":"F"}],
         "Default":"P"},
    "F":{"Type":"Fail","Error":"Item.Bad","Cause":"bad item"},
    "P":{"Type":"Pass","End":true}}},
  "End":true}}})J";

std::string failing_map(const std::string& tolerance) {
  std::string def = kFailingMap;
  def.replace(def.find("%TOLERANCE%"), 11, tolerance);
  return def;
}

TEST_F(ExecutorTest, MapFailsWithTheIterationErrorWithoutTolerance) {
  auto ex = run(failing_map(""), R"J(["ok","bad","ok"])J");
  ASSERT_EQ(ex->status(), ExecutionStatus::kFailed);
  EXPECT_EQ(ex->outcome().error, "Item.Bad");
  EXPECT_EQ(ex->outcome().cause, "bad item");
  ASSERT_NE(find(*ex, T::kMapIterationFailed), nullptr);
  EXPECT_EQ(details(*find(*ex, T::kMapIterationFailed)), R"J({"name":"M","index":1})J");
  EXPECT_EQ(ex->history()[ex->history().size() - 2].type, T::kMapStateFailed);
}

TEST_F(ExecutorTest, MapToleratesFailuresUpToTheThreshold) {
  auto tolerated = run(failing_map(R"J("ToleratedFailureCount":1,)J"), R"J(["ok","bad","ok"])J");
  ASSERT_EQ(tolerated->status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(output(*tolerated), R"J(["ok",{"Error":"Item.Bad","Cause":"bad item"},"ok"])J");

  auto exceeded = run(failing_map(R"J("ToleratedFailureCount":1,)J"), R"J(["bad","ok","bad"])J");
  ASSERT_EQ(exceeded->status(), ExecutionStatus::kFailed);
  EXPECT_EQ(exceeded->outcome().error, "States.ExceedToleratedFailureThreshold");

  auto by_percentage =
      run(failing_map(R"J("ToleratedFailurePercentage":50,)J"), R"J(["bad","ok","ok","bad"])J");
  EXPECT_EQ(by_percentage->status(), ExecutionStatus::kSucceeded);
  auto over_percentage = run(failing_map(R"J("ToleratedFailurePercentagePath":"$[0].p",)J"),
                             R"J([{"p":10},"bad","ok","ok"])J");
  EXPECT_EQ(over_percentage->outcome().error, "States.ExceedToleratedFailureThreshold");
}

TEST_F(ExecutorTest, MapFailureAbandonsRunningIterationsAndCatchApplies) {
  auto ex = run(R"J({"StartAt":"M","States":{"M":{"Type":"Map",
      "ItemProcessor":{"StartAt":"T","States":{"T":{"Type":"Task",
          "Resource":"arn:aws:states:::http:invoke","End":true}}},
      "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Caught"}],"End":true},
      "Caught":{"Type":"Pass","End":true}}})J",
                "[1,2,3]");
  ASSERT_EQ(tasks.calls.size(), 3u);
  tasks.calls[1].handle->fail("Task.Err", "why");
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(output(*ex), R"J({"Error":"Task.Err","Cause":"why"})J");
  EXPECT_EQ(tasks.cancelled.size(), 2u);
  EXPECT_FALSE(tasks.calls[0].handle->succeed(Value(1)));
}

TEST_F(ExecutorTest, NestedMapInsideParallel) {
  auto ex = run(R"J({"StartAt":"Par","States":{"Par":{"Type":"Parallel","Branches":[
      {"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.xs",
        "ItemProcessor":{"StartAt":"W","States":{"W":{"Type":"Wait","SecondsPath":"$",
                                                       "End":true}}},"End":true}}},
      {"StartAt":"P","States":{"P":{"Type":"Pass","InputPath":"$.xs","End":true}}}],
      "End":true}}})J",
                R"J({"xs":[3,1,2]})J");
  timers.advance_by(2000);
  EXPECT_EQ(ex->status(), ExecutionStatus::kRunning);
  timers.advance_by(1000);
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(output(*ex), "[[3,1,2],[3,1,2]]");
}

TEST_F(ExecutorTest, InterleavedBranchesAndIterationsEachSeeTheirOwnStateContext) {
  // The execution has one context object; $$.State must be the asking branch's, whatever ran
  // in between, and $$.Execution the same for all.
  tasks.on_start = [](const TaskRequest& r, TaskHandle& h) {
    if (r.retry_count == 0) h.fail("Again", "");
  };
  auto ex = run(R"J({"StartAt":"Par","States":{"Par":{"Type":"Parallel","Branches":[
      {"StartAt":"Slow","States":{"Slow":{"Type":"Wait","Seconds":2,"Next":"ReportA"},
        "ReportA":{"Type":"Pass","Parameters":{"name.$":"$$.State.Name",
          "entered.$":"$$.State.EnteredTime","in.$":"$$.Execution.Input.tag"},"End":true}}},
      {"StartAt":"Each","States":{"Each":{"Type":"Map","ItemsPath":"$.xs",
        "ItemSelector":{"i.$":"$$.Map.Item.Index"},
        "ItemProcessor":{"StartAt":"Call","States":{"Call":{"Type":"Task",
          "Resource":"arn:aws:states:::http:invoke",
          "Parameters":{"retry.$":"$$.State.RetryCount","i.$":"$.i"},
          "Retry":[{"ErrorEquals":["Again"],"IntervalSeconds":1}],
          "ResultSelector":{"name.$":"$$.State.Name","retry.$":"$$.State.RetryCount"},
          "End":true}}},"End":true}}}],"End":true}}})J",
                R"J({"tag":"t","xs":[10,20]})J");
  timers.advance_by(1000);  // the retries
  ASSERT_EQ(tasks.calls.size(), 4u);
  EXPECT_EQ(json::serialize(tasks.calls[2].request.input), R"J({"retry":1,"i":0})J");
  EXPECT_EQ(json::serialize(tasks.calls[3].request.input), R"J({"retry":1,"i":1})J");
  tasks.calls[3].handle->succeed(Value("b"));
  timers.advance_by(1000);  // the Wait ends; ReportA runs
  tasks.calls[2].handle->succeed(Value("a"));
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(output(*ex), R"J([{"name":"ReportA","entered":"2023-11-14T22:13:22.000Z","in":"t"},)J"
                         R"J([{"name":"Call","retry":1},{"name":"Call","retry":1}]])J");
}

}  // namespace
}  // namespace sluice::engine::executor
