// A Distributed Map through the engine's own seam (MapRunService, with a test double): the child
// inputs it asks for, the parent's history (MapRun* events, no iterations), failures, and the
// same map run asked for again after a restart.
#include <gtest/gtest.h>

#include "tests/engine/executor/executor_fixture.h"
#include "tests/engine/executor/restart_fixture.h"

namespace sluice::engine::executor {
namespace {

using T = HistoryEventType;

constexpr std::string_view kDistributed = R"({
  "StartAt": "M",
  "States": {
    "M": {
      "Type": "Map",
      "Label": "Fan",
      "ItemsPath": "$.items",
      "MaxConcurrency": 7,
      "ToleratedFailureCount": 2,
      "ItemProcessor": {
        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "P",
        "States": {"P": {"Type": "Pass", "End": true}}
      },
      "End": true
    }
  }
})";

using DistributedMapTest = ExecutorTest;

TEST_F(DistributedMapTest, AsksTheServiceForOneMapRunAndRecordsAwsHistory) {
  auto ex = run(kDistributed, R"({"items":[1,2,3]})");
  ASSERT_EQ(map_runs.requests.size(), 1u);
  const MapRunRequest& r = map_runs.requests[0];
  EXPECT_EQ(json::serialize(json::Value(r.inputs)), "[1,2,3]");
  EXPECT_EQ(r.label, "Fan");
  EXPECT_EQ(r.max_concurrency, 7);
  EXPECT_EQ(r.tolerated_failure_count, 2);
  EXPECT_EQ(r.execution_type, asl::ChildExecutionType::kStandard);
  EXPECT_EQ(r.map_run_arn.rfind("arn:aws:states:us-east-1:000000000000:mapRun:sm/Fan:", 0), 0u)
      << r.map_run_arn;
  ASSERT_NE(r.processor, nullptr);
  EXPECT_EQ(ex->status(), ExecutionStatus::kRunning);
  EXPECT_EQ(details(*find(*ex, T::kMapRunStarted)), R"({"mapRunArn":")" + r.map_run_arn + "\"}");
  EXPECT_EQ(details(*find(*ex, T::kMapStateStarted)), R"({"length":3})");

  EXPECT_TRUE(map_runs.handles[0]->succeed(parse(R"(["a","b","c"])").as_array()));
  EXPECT_EQ(ex->status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(output(*ex), R"(["a","b","c"])");
  EXPECT_EQ(types(*ex),
            (std::vector<std::string>{"ExecutionStarted", "MapStateEntered", "MapStateStarted",
                                      "MapRunStarted", "MapRunSucceeded", "MapStateSucceeded",
                                      "MapStateExited", "ExecutionSucceeded"}));
  EXPECT_EQ(links(*ex),
            (std::vector<std::string>{"1:0", "2:0", "3:2", "4:3", "5:4", "6:5", "7:6", "8:7"}));
  EXPECT_FALSE(map_runs.handles[0]->succeed({}));  // answered once
}

TEST_F(DistributedMapTest, ItemSelectorThenItemBatcherMakeTheChildInputs) {
  run(R"({
    "StartAt": "M",
    "States": {"M": {
      "Type": "Map",
      "ItemSelector": {"v.$": "$$.Map.Item.Value", "i.$": "$$.Map.Item.Index"},
      "ItemBatcher": {"MaxItemsPerBatch": 2, "BatchInput": {"tag.$": "$.tag"}},
      "ItemsPath": "$.items",
      "ItemProcessor": {
        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
        "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
      "End": true}}})",
      R"({"tag":"t","items":["a","b","c"]})");
  ASSERT_EQ(map_runs.requests.size(), 1u);
  const MapRunRequest& r = map_runs.requests[0];
  EXPECT_TRUE(r.batched);
  EXPECT_EQ(r.label, "M");  // no Label: the state's name
  EXPECT_EQ(r.execution_type, asl::ChildExecutionType::kExpress);
  EXPECT_EQ(json::serialize(json::Value(r.inputs)),
            R"([{"Items":[{"v":"a","i":0},{"v":"b","i":1}],"BatchInput":{"tag":"t"}},)"
            R"({"Items":[{"v":"c","i":2}],"BatchInput":{"tag":"t"}}])");
}

TEST_F(DistributedMapTest, MaxInputBytesPerBatchSplitsBatches) {
  run(R"({
    "StartAt": "M",
    "States": {"M": {
      "Type": "Map",
      "ItemBatcher": {"MaxInputBytesPerBatch": 30},
      "ItemProcessor": {
        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
      "End": true}}})",
      R"(["aaaaaaaa","bbbbbbbb","cccccccc"])");
  ASSERT_EQ(map_runs.requests.size(), 1u);
  // {"Items":["aaaaaaaa","bbbbbbbb"]} is 33 bytes: one item per batch.
  EXPECT_EQ(map_runs.requests[0].inputs.size(), 3u);
}

TEST_F(DistributedMapTest, AFailedMapRunFailsTheStateAndCanBeCaught) {
  auto ex = run(R"({
    "StartAt": "M",
    "States": {
      "M": {"Type": "Map",
        "ItemProcessor": {
          "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
          "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
        "Catch": [{"ErrorEquals": ["States.ExceedToleratedFailureThreshold"], "Next": "Caught"}],
        "End": true},
      "Caught": {"Type": "Pass", "End": true}}})",
                R"([1])");
  ASSERT_EQ(map_runs.handles.size(), 1u);
  map_runs.handles[0]->fail("States.ExceedToleratedFailureThreshold",
                            "The specified tolerated failure threshold was exceeded");
  EXPECT_EQ(ex->status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(details(*find(*ex, T::kMapRunFailed)),
            R"({"error":"States.ExceedToleratedFailureThreshold",)"
            R"("cause":"The specified tolerated failure threshold was exceeded"})");
  EXPECT_NE(find(*ex, T::kMapStateFailed), nullptr);
  EXPECT_EQ(find(*ex, T::kMapIterationStarted), nullptr);
}

TEST_F(DistributedMapTest, AnItemReaderFailsAsAnUnreachableS3Bucket) {
  auto ex = run(R"({
    "StartAt": "M",
    "States": {"M": {"Type": "Map",
      "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
                     "Parameters": {"Bucket": "b", "Key": "k"}},
      "ItemProcessor": {
        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
      "End": true}}})");
  EXPECT_EQ(ex->status(), ExecutionStatus::kFailed);
  EXPECT_EQ(ex->outcome().error, "States.ItemReaderFailed");
  EXPECT_TRUE(map_runs.requests.empty());
}

TEST_F(DistributedMapTest, StoppingTheParentCancelsTheMapRun) {
  auto ex = run(kDistributed, R"({"items":[1]})");
  ASSERT_EQ(map_runs.handles.size(), 1u);
  ex->stop();
  EXPECT_EQ(map_runs.cancelled, 1);
  EXPECT_FALSE(map_runs.handles[0]->succeed({}));
  // MapRunAborted (linked to MapRunStarted), then the terminal ExecutionAborted.
  EXPECT_EQ(types(*ex),
            (std::vector<std::string>{"ExecutionStarted", "MapStateEntered", "MapStateStarted",
                                      "MapRunStarted", "MapRunAborted", "ExecutionAborted"}));
  EXPECT_EQ(links(*ex), (std::vector<std::string>{"1:0", "2:0", "3:2", "4:3", "5:4", "6:5"}));
}

TEST_F(DistributedMapTest, ARetryStartsANewMapRun) {
  auto ex = run(R"({
    "StartAt": "M",
    "States": {"M": {"Type": "Map",
      "ItemProcessor": {
        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
      "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1, "MaxAttempts": 1}],
      "End": true}}})",
                R"([1])");
  map_runs.handles[0]->fail("States.ExceedToleratedFailureThreshold", "x");
  timers.advance_to(kStart + 1000);
  ASSERT_EQ(map_runs.requests.size(), 2u);
  EXPECT_NE(map_runs.requests[0].map_run_arn, map_runs.requests[1].map_run_arn);
}

TEST(DistributedMapDefinitionTest, ValidatesProcessorConfigAndDistributedOnlyFields) {
  auto bad = [](std::string_view map_fields, std::string_view config) {
    std::string def = R"({"StartAt":"M","States":{"M":{"Type":"Map",)" + std::string(map_fields) +
                      R"("ItemProcessor":{"ProcessorConfig":)" + std::string(config) +
                      R"(,"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}})";
    return asl::parse_definition(def).diagnostics;
  };
  EXPECT_TRUE(bad("", R"({"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"})").empty());
  EXPECT_FALSE(bad("", R"({"Mode":"DISTRIBUTED"})").empty());  // ExecutionType required
  EXPECT_FALSE(bad("", R"({"Mode":"INLINE","ExecutionType":"EXPRESS"})").empty());
  EXPECT_FALSE(bad("", R"({"Mode":"SIDEWAYS"})").empty());
  EXPECT_FALSE(bad(R"("Label":"x",)", R"({"Mode":"INLINE"})").empty());  // DISTRIBUTED only
  EXPECT_FALSE(bad(R"("ItemBatcher":{"MaxItemsPerBatch":2},)", R"({"Mode":"INLINE"})").empty());
  EXPECT_FALSE(
      bad(R"("Label":"has space",)", R"({"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"})")
          .empty());
  EXPECT_FALSE(bad(R"("Label":"0123456789012345678901234567890123456789x",)",
                   R"({"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"})")
                   .empty());
  EXPECT_TRUE(
      bad(R"("Label":"ok-label_1",)", R"({"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"})")
          .empty());
  // The legacy Iterator form takes a ProcessorConfig too.
  EXPECT_TRUE(asl::parse_definition(
                  R"({"StartAt":"M","States":{"M":{"Type":"Map","Iterator":{"ProcessorConfig":
                  {"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"P","States":
                  {"P":{"Type":"Pass","End":true}}},"End":true}}})")
                  .diagnostics.empty());
}

TEST(MapRunArnTest, IsAFunctionOfTheExecutionTheLabelTheEntryAndTheAttempt) {
  const std::string e = "arn:aws:states:eu-west-1:123456789012:execution:machine:run";
  EXPECT_EQ(map_run_arn(e, "L", 2), map_run_arn(e, "L", 2));
  EXPECT_NE(map_run_arn(e, "L", 2), map_run_arn(e, "L", 9));
  EXPECT_NE(map_run_arn(e, "L", 2), map_run_arn(e, "L", 2, 1));
  EXPECT_EQ(
      map_run_arn(e, "L", 2).rfind("arn:aws:states:eu-west-1:123456789012:mapRun:machine/L:", 0),
      0u);
  EXPECT_EQ(map_run_arn("not an arn", "L", 2), "");
}

using DistributedMapRestartTest = RestartTest;

TEST_F(DistributedMapRestartTest, AResumedExecutionAsksForTheSameMapRunAgain) {
  start(kDistributed, R"({"items":[1,2]})");
  ASSERT_EQ(life->map_runs.requests.size(), 1u);
  const std::string arn = life->map_runs.requests[0].map_run_arn;
  ASSERT_TRUE(restart(5000).ok());
  ASSERT_EQ(life->map_runs.requests.size(), 1u);
  EXPECT_EQ(life->map_runs.requests[0].map_run_arn, arn);
  EXPECT_EQ(json::serialize(json::Value(life->map_runs.requests[0].inputs)), "[1,2]");
  EXPECT_EQ(count(T::kMapRunStarted), 1);
  life->map_runs.handles[0]->succeed(json::parse(R"([10,20])")->as_array());
  EXPECT_EQ(ex->status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(json::serialize(*ex->outcome().output), "[10,20]");
}

TEST_F(DistributedMapRestartTest, AFinishedMapRunIsReplayedFromItsRecordedResults) {
  start(R"({
    "StartAt": "M",
    "States": {
      "M": {"Type": "Map", "ResultSelector": {"first.$": "$[0]"},
        "ItemProcessor": {
          "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
          "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
        "Next": "W"},
      "W": {"Type": "Wait", "Seconds": 10, "End": true}}})",
        "[1]");
  life->map_runs.handles[0]->succeed(json::parse(R"([{"x":1}])")->as_array());
  ASSERT_TRUE(restart(1000).ok());
  EXPECT_TRUE(life->map_runs.requests.empty());  // nothing to ask for: it ended
  advance_to(20000);
  EXPECT_EQ(ex->status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(json::serialize(*ex->outcome().output), R"({"first":{"x":1}})");
}

TEST_F(DistributedMapRestartTest, ARedriveRedrivesTheMapRunThatFailed) {
  start(kDistributed, R"({"items":[1,2]})");
  const std::string arn = life->map_runs.requests[0].map_run_arn;
  life->map_runs.handles[0]->fail("States.ExceedToleratedFailureThreshold", "too many");
  ASSERT_EQ(ex->status(), ExecutionStatus::kFailed);
  ASSERT_TRUE(redrive(1000).ok());
  // The same map run, redriven: no new MapStateStarted/MapRunStarted.
  ASSERT_EQ(life->map_runs.requests.size(), 1u);
  const MapRunRequest& r = life->map_runs.requests[0];
  EXPECT_EQ(r.map_run_arn, arn);
  EXPECT_EQ(r.redrive_count, 1);
  EXPECT_EQ(r.redrive_ms, life->clock.now_ms());
  EXPECT_EQ(json::serialize(json::Value(r.inputs)), "[1,2]");
  const HistoryEvent* redriven = find(T::kMapRunRedriven);
  ASSERT_NE(redriven, nullptr);
  EXPECT_EQ(json::serialize(redriven->details),
            R"({"mapRunArn":")" + arn + R"(","redriveCount":1})");
  EXPECT_EQ(redriven->previous_event_id, find(T::kExecutionRedriven)->id);
  EXPECT_EQ(count(T::kMapRunStarted), 1);
  EXPECT_EQ(count(T::kMapStateStarted), 1);
  // Kept by value: the restart below rebuilds the history `redriven` points into.
  const int64_t redriven_ms = redriven->timestamp_ms;

  // Killed in the middle of the redrive: the resumed execution asks for the redriven map run.
  ASSERT_TRUE(restart(500).ok());
  ASSERT_EQ(life->map_runs.requests.size(), 1u);
  EXPECT_EQ(life->map_runs.requests[0].map_run_arn, arn);
  EXPECT_EQ(life->map_runs.requests[0].redrive_count, 1);
  EXPECT_EQ(life->map_runs.requests[0].redrive_ms, redriven_ms);
  life->map_runs.handles[0]->succeed(json::parse(R"([10,20])")->as_array());
  EXPECT_EQ(ex->status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(json::serialize(*ex->outcome().output), "[10,20]");
  EXPECT_EQ(count(T::kMapRunSucceeded), 1);
  EXPECT_EQ(find(T::kMapRunSucceeded)->previous_event_id, find(T::kMapRunRedriven)->id);
}

TEST_F(DistributedMapRestartTest, ARedrivePastTheMapRunRedriveLimitFailsTheStateWithStatesRuntime) {
  EXPECT_EQ(options.max_map_run_redrives, 1000) << "AWS's hard limit";
  options.max_map_run_redrives = 2;  // the same rule, reached in a few redrives
  start(kDistributed, R"({"items":[1,2]})");
  const std::string arn = life->map_runs.requests[0].map_run_arn;
  life->map_runs.handles[0]->fail("States.ExceedToleratedFailureThreshold", "too many");
  for (int64_t n = 1; n <= 2; ++n) {
    ASSERT_TRUE(redrive(1000).ok());
    ASSERT_EQ(life->map_runs.requests.size(), 1u) << "redrive " << n;
    EXPECT_EQ(life->map_runs.requests[0].redrive_count, n);
    life->map_runs.handles[0]->fail("States.ExceedToleratedFailureThreshold", "still");
    ASSERT_EQ(ex->status(), ExecutionStatus::kFailed);
  }
  // The third redrive of the execution would be the map run's third: refused by failing the
  // state, the map run not asked for. The second time replays the first refusal as recorded.
  for (int attempt = 0; attempt < 2; ++attempt) {
    ASSERT_TRUE(redrive(1000).ok());
    EXPECT_TRUE(life->map_runs.requests.empty());
    ASSERT_EQ(ex->status(), ExecutionStatus::kFailed);
    EXPECT_EQ(ex->outcome().error, "States.Runtime");
    EXPECT_NE(ex->outcome().cause->find("The Map Run '" + arn +
                                        "' was redriven 2 times: the most a Map Run can be "
                                        "redriven is 2."),
              std::string::npos)
        << *ex->outcome().cause;
    EXPECT_EQ(count(T::kMapRunRedriven), 2);
    EXPECT_EQ(ex->history().back().type, T::kExecutionFailed);
    EXPECT_EQ(ex->history()[ex->history().size() - 2].type, T::kMapStateFailed);
    EXPECT_EQ(count(T::kExecutionRedriven), 3 + attempt);
  }
}

TEST_F(DistributedMapRestartTest, AStoppedParentReplaysMapRunAbortedAndRedrivesTheMapRun) {
  start(kDistributed, R"({"items":[1]})");
  const std::string arn = life->map_runs.requests[0].map_run_arn;
  ASSERT_TRUE(ex->stop());
  ASSERT_TRUE(restart(100).ok());  // a stored MapRunAborted replays
  EXPECT_EQ(ex->status(), ExecutionStatus::kAborted);
  EXPECT_TRUE(life->map_runs.requests.empty());
  ASSERT_TRUE(redrive(100).ok());
  ASSERT_EQ(life->map_runs.requests.size(), 1u);
  EXPECT_EQ(life->map_runs.requests[0].map_run_arn, arn);
  EXPECT_EQ(life->map_runs.requests[0].redrive_count, 1);
  life->map_runs.handles[0]->succeed(json::parse("[1]")->as_array());
  EXPECT_EQ(ex->status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(count(T::kMapRunAborted), 1);
}

TEST_F(DistributedMapRestartTest, AHistoryWithoutMapRunAbortedStillReplays) {
  // Stored before MapRunAborted was recorded, or aborted straight in storage (StopExecution of an
  // execution recovered but not resumed): ExecutionAborted follows MapRunStarted.
  start(kDistributed, R"({"items":[1]})");
  ASSERT_TRUE(ex->stop());
  auto& events = life->sink.events;
  ASSERT_EQ(events[events.size() - 2].type, T::kMapRunAborted);
  events.erase(events.end() - 2);
  events.back().id -= 1;
  events.back().previous_event_id -= 1;
  ASSERT_TRUE(redrive(100).ok());  // replays, then redrives the aborted map run
  EXPECT_EQ(count(T::kMapRunAborted), 0);
  ASSERT_EQ(life->map_runs.requests.size(), 1u);
  EXPECT_EQ(life->map_runs.requests[0].redrive_count, 1);
}

TEST_F(DistributedMapRestartTest, AStateAfterACaughtMapRunFailureIsRedrivenItself) {
  start(R"json({"StartAt": "M", "States": {
    "M": {"Type": "Map", "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "F"}],
      "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true},
    "F": {"Type": "Pass", "Parameters": {"x.$": "States.StringToJson('{')"}, "End": true}}})json",
        "[1]");
  life->map_runs.handles[0]->fail("States.ExceedToleratedFailureThreshold", "x");
  ASSERT_EQ(ex->status(), ExecutionStatus::kFailed);  // F failed, after the Catch
  ASSERT_TRUE(redrive(100).ok());
  EXPECT_TRUE(life->map_runs.requests.empty());  // F runs again; the map run is not redriven
  EXPECT_EQ(count(T::kMapRunRedriven), 0);
  EXPECT_EQ(ex->status(), ExecutionStatus::kFailed);
}

TEST_F(DistributedMapRestartTest, ATimedOutParentRecordsMapRunAborted) {
  start(R"({"TimeoutSeconds": 5, "StartAt": "M", "States": {"M": {"Type": "Map",
      "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
        "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}}})",
        "[1]");
  advance_to(5000);
  EXPECT_EQ(ex->status(), ExecutionStatus::kTimedOut);
  ASSERT_TRUE(restart(100).ok());
  EXPECT_EQ(ex->status(), ExecutionStatus::kTimedOut);
  EXPECT_EQ(count(T::kMapRunAborted), 1);
  EXPECT_EQ(find(T::kExecutionTimedOut)->previous_event_id, find(T::kMapRunAborted)->id);
}

}  // namespace
}  // namespace sluice::engine::executor
