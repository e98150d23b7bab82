// MapRun and MapRunRegistry under a real engine Execution (its Distributed Map asks the registry
// for the map run), with the child executions played by hand: concurrency, tolerance, live
// updates, aborts, and re-attaching to the same children when the map run is asked for again.
#include "broker/states/map_runs/map_run.h"

#include <gtest/gtest.h>

#include "broker/states/map_runs/item_processor_lookup.h"
#include "broker/states/map_runs/map_run_registry.h"
#include "engine/asl/definition.h"
#include "engine/executor/execution.h"
#include "engine/executor/manual_time.h"
#include "engine/json/json_parse.h"
#include "engine/json/json_serialize.h"
#include "tests/engine/executor/executor_fakes.h"

namespace sluice::states {
namespace {

using engine::executor::ExecutionStatus;

// Child executions started and ended by the test.
class HandChildren final : public MapRunChildren {
 public:
  struct Child {
    MapRunChildStart start;
    std::function<void(json::Value)> finished;
  };
  SfnResult<MapRunChildStarted> run_child(const MapRunChildStart& child,
                                          std::function<void(json::Value)> finished) override {
    started.push_back({child, std::move(finished)});
    return MapRunChildStarted{"arn:child:" + child.name, 1000};
  }
  void stop_map_run_child(const std::string& arn, std::string, std::string) override {
    stopped.push_back(arn);
  }
  // Ends child `i` with a status and, for SUCCEEDED, an output (JSON text).
  void end(std::size_t i, const std::string& status, const std::string& output = "null") {
    json::Object d;
    d.set("status", json::Value(status));
    if (status == "SUCCEEDED") {
      d.set("output", json::Value(output));
    } else {
      d.set("error", json::Value("Child.Error"));
      d.set("cause", json::Value("child " + std::to_string(i)));
    }
    d.set("stopDate", json::Value(int64_t{2000}));
    auto fn = started[i].finished;
    fn(json::Value(std::move(d)));
  }
  std::vector<Child> started;
  std::vector<std::string> stopped;
};

class MapRunTest : public ::testing::Test {
 protected:
  std::shared_ptr<engine::executor::Execution> run(const std::string& map_fields,
                                                   const std::string& input) {
    std::string def = R"({"StartAt":"M","States":{"M":{"Type":"Map",)" + map_fields +
                      R"("ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED",
      "ExecutionType":"STANDARD"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},
      "End":true}}})";
    auto machine = engine::asl::compile_definition(def);
    EXPECT_TRUE(machine.ok()) << (machine.ok() ? "" : machine.error().message);
    engine::executor::ExecutionInfo info;
    info.execution_arn = "arn:aws:states:us-east-1:000000000000:execution:sm:parent";
    info.name = "parent";
    engine::executor::ExecutionServices sv;
    sv.clock = &clock;
    sv.timers = &timers;
    sv.tasks = &tasks;
    sv.map_runs = &registry;
    auto ex = engine::executor::Execution::create(*machine, info, *json::parse(input), sv);
    ex->start();
    return ex;
  }
  // The parent's request for map run `arn` again (after a restart, or redriven when
  // redrive_count > 0), over `inputs`.
  static engine::executor::MapRunRequest asked_again(const std::string& arn,
                                                     const std::string& inputs,
                                                     int64_t redrive_count = 0,
                                                     int64_t redrive_ms = 0) {
    engine::executor::MapRunRequest request;
    request.map_run_arn = arn;
    request.execution_arn = "arn:aws:states:us-east-1:000000000000:execution:sm:parent";
    request.label = "M";
    request.inputs = json::parse(inputs)->as_array();
    request.redrive_count = redrive_count;
    request.redrive_ms = redrive_ms;
    return request;
  }
  MapRun& only_run() {
    auto runs = registry.of_execution("arn:aws:states:us-east-1:000000000000:execution:sm:parent");
    EXPECT_EQ(runs.size(), 1u);
    return *runs.at(0);
  }

  engine::executor::ManualClock clock{1700000000000};
  engine::executor::ManualTimerService timers{clock};
  engine::executor::FakeTasks tasks;
  HandChildren children;
  MapRunRegistry registry{children, clock};
};

TEST_F(MapRunTest, RunsAtMostMaxConcurrencyChildrenAndAnswersInItemOrder) {
  auto ex = run(R"("MaxConcurrency":2,)", "[10,20,30,40]");
  ASSERT_EQ(children.started.size(), 2u);
  EXPECT_EQ(children.started[0].start.name, MapRun::name_of(only_run().arn(), 0));
  EXPECT_EQ(json::serialize(children.started[1].start.input), "20");
  EXPECT_EQ(only_run().execution_counts().pending, 2);
  children.end(1, "SUCCEEDED", R"("b")");
  ASSERT_EQ(children.started.size(), 3u);  // a slot freed: the next item starts
  children.end(0, "SUCCEEDED", R"("a")");
  children.end(2, "SUCCEEDED", R"("c")");
  EXPECT_EQ(ex->status(), ExecutionStatus::kRunning);
  children.end(3, "SUCCEEDED", R"("d")");
  EXPECT_EQ(ex->status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(json::serialize(*ex->outcome().output), R"(["a","b","c","d"])");
  MapRun& r = only_run();
  EXPECT_EQ(r.status(), MapRunStatus::kSucceeded);
  EXPECT_EQ(r.execution_counts().succeeded, 4);
  EXPECT_EQ(r.item_counts().total, 4);
}

TEST_F(MapRunTest, WithoutToleranceOneFailureFailsTheMapRunAndStopsTheRest) {
  auto ex = run("", "[1,2,3]");
  ASSERT_EQ(children.started.size(), 3u);
  children.end(1, "FAILED");
  EXPECT_EQ(ex->status(), ExecutionStatus::kFailed);
  EXPECT_EQ(ex->outcome().error, "States.ExceedToleratedFailureThreshold");
  EXPECT_EQ(ex->outcome().cause, "The specified tolerated failure threshold was exceeded");
  EXPECT_EQ(children.stopped.size(), 2u);  // the two still running
  EXPECT_EQ(only_run().status(), MapRunStatus::kFailed);
}

TEST_F(MapRunTest, ToleratedFailuresKeepTheirErrorInTheResults) {
  auto ex = run(R"("ToleratedFailurePercentage":50,)", "[1,2]");
  children.end(0, "FAILED");
  children.end(1, "SUCCEEDED", "2");
  EXPECT_EQ(ex->status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(json::serialize(*ex->outcome().output),
            R"([{"Error":"Child.Error","Cause":"child 0"},2])");
  EXPECT_EQ(only_run().execution_counts().failed, 1);
}

TEST_F(MapRunTest, TheCountAndThePercentageEachLimit) {
  auto ex = run(R"("ToleratedFailureCount":5,"ToleratedFailurePercentage":20,)", "[1,2,3,4]");
  children.end(0, "TIMED_OUT");  // 25% > 20%
  EXPECT_EQ(ex->status(), ExecutionStatus::kFailed);
  EXPECT_EQ(only_run().execution_counts().timed_out, 1);
}

TEST_F(MapRunTest, UpdateMapRunChangesConcurrencyAndToleranceLive) {
  auto ex = run(R"("MaxConcurrency":1,)", "[1,2,3]");
  ASSERT_EQ(children.started.size(), 1u);
  MapRun& r = only_run();
  r.update(3, 1, std::nullopt);
  EXPECT_EQ(children.started.size(), 3u);
  EXPECT_EQ(r.max_concurrency(), 3);
  EXPECT_EQ(r.tolerated_failure_count(), 1);
  children.end(0, "FAILED");
  EXPECT_EQ(ex->status(), ExecutionStatus::kRunning);  // tolerated now
  r.update(std::nullopt, 0, std::nullopt);             // no longer: fails at once
  EXPECT_EQ(ex->status(), ExecutionStatus::kFailed);
}

TEST_F(MapRunTest, StoppingTheParentAbortsTheMapRun) {
  auto ex = run("", "[1,2]");
  ex->stop();
  EXPECT_EQ(only_run().status(), MapRunStatus::kAborted);
  EXPECT_EQ(children.stopped.size(), 2u);
  children.end(0, "ABORTED");  // late ends only count
  EXPECT_EQ(only_run().execution_counts().aborted, 1);
}

TEST_F(MapRunTest, AskedAgainForARunningMapRunItReattaches) {
  auto first = run("", "[1,2]");
  std::string arn = only_run().arn();
  // The same execution resumed in another process would ask for the same ARN: the children are
  // asked for by the same names (run_child finds them) and nothing else starts.
  MapRunRegistry again(children, clock);
  again.start(asked_again(arn, "[1,2]"), std::make_shared<engine::executor::MapRunHandle>());
  ASSERT_EQ(children.started.size(), 4u);
  EXPECT_EQ(children.started[2].start.name, children.started[0].start.name);
  EXPECT_EQ(children.started[3].start.name, children.started[1].start.name);
}

TEST_F(MapRunTest, AnEndedMapRunIsRebuiltForTheApiOnly) {
  MapRun::Ended e;
  e.request.map_run_arn = "arn:aws:states:us-east-1:000000000000:mapRun:sm/M:id";
  e.request.execution_arn = "arn:aws:states:us-east-1:000000000000:execution:sm:parent";
  e.request.label = "M";
  e.request.max_concurrency = 4;
  e.status = MapRunStatus::kFailed;
  e.start_ms = 10;
  e.stop_ms = 20;
  e.children.resize(3);
  e.children[0].state = MapRun::ChildState::kSucceeded;
  e.children[1].state = MapRun::ChildState::kFailed;  // child 2 never started
  auto run = MapRun::ended(std::move(e), children, clock);
  registry.adopt(run);
  EXPECT_EQ(registry.find(run->arn()), run.get());
  EXPECT_EQ(run->status(), MapRunStatus::kFailed);
  EXPECT_EQ(run->max_concurrency(), 4);
  MapRunCounts n = run->execution_counts();
  EXPECT_EQ(n.succeeded, 1);
  EXPECT_EQ(n.failed, 1);
  EXPECT_EQ(n.pending, 0);  // ended: what never started is not pending
  EXPECT_EQ(n.total, 2);
  run->update(10, std::nullopt, std::nullopt);  // nothing starts
  EXPECT_TRUE(children.started.empty());
}

TEST_F(MapRunTest, ARedriveRerunsOnlyTheChildrenThatDidNotSucceed) {
  auto ex = run(R"("MaxConcurrency":1,)", "[1,2,3]");
  children.end(0, "SUCCEEDED", R"("a")");
  children.end(1, "FAILED");  // item 2 never starts
  ASSERT_EQ(ex->status(), ExecutionStatus::kFailed);
  MapRun& before = only_run();
  before.update(2, std::nullopt, std::nullopt);  // UpdateMapRun's limits carry over
  const std::string arn = before.arn();
  ASSERT_EQ(children.started.size(), 2u);

  registry.start(asked_again(arn, "[1,2,3]", 1, 5000),
                 std::make_shared<engine::executor::MapRunHandle>());
  MapRun& again = only_run();
  EXPECT_NE(&again, &before);
  EXPECT_EQ(again.arn(), arn);
  EXPECT_EQ(again.redrive_count(), 1);
  EXPECT_EQ(again.redrive_ms(), 5000);
  EXPECT_EQ(again.max_concurrency(), 2);
  // Items 1 and 2 run again (within MaxConcurrency 2); item 0 kept its success.
  ASSERT_EQ(children.started.size(), 4u);
  EXPECT_EQ(children.started[2].start.name, MapRun::name_of(arn, 1));
  EXPECT_EQ(children.started[3].start.name, MapRun::name_of(arn, 2));
  EXPECT_EQ(children.started[2].start.redrive_after_ms, 5000);
  MapRunCounts n = again.execution_counts();
  EXPECT_EQ(n.succeeded, 1);
  EXPECT_EQ(n.running, 2);
  EXPECT_EQ(n.total, 3);
  children.end(2, "SUCCEEDED", R"("b")");
  children.end(3, "SUCCEEDED", R"("c")");
  EXPECT_EQ(again.status(), MapRunStatus::kSucceeded);
  EXPECT_EQ(again.execution_counts().succeeded, 3);
  EXPECT_EQ(again.execution_counts().pending_redrive, 0);
}

TEST_F(MapRunTest, ChildrenWaitingForTheirRedriveArePendingRedrive) {
  auto ex = run(R"("ToleratedFailureCount":5,)", "[1,2,3]");
  children.end(0, "FAILED");
  children.end(1, "TIMED_OUT");
  children.end(2, "SUCCEEDED", "3");
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded);
  auto request = asked_again(only_run().arn(), "[1,2,3]", 1, 9);
  // The restored limits are the previous run's (ToleratedFailureCount 5, no MaxConcurrency):
  // here MaxConcurrency 1 is put back by UpdateMapRun's stored value, as after a restart.
  only_run().update(1, std::nullopt, std::nullopt);
  registry.start(request, std::make_shared<engine::executor::MapRunHandle>());
  MapRunCounts n = only_run().execution_counts();
  EXPECT_EQ(n.running, 1);
  EXPECT_EQ(n.timed_out, 1);
  EXPECT_EQ(n.pending_redrive, 1);  // item 1 waits for a slot
  children.end(3, "FAILED");        // item 0 fails again: tolerated
  n = only_run().execution_counts();
  EXPECT_EQ(n.pending_redrive, 0);
  EXPECT_EQ(n.running, 1);
}

TEST_F(MapRunTest, AChildWhoseRedriveIsRefusedCountsAsNotRedrivable) {
  auto ex = run("", "[1]");
  children.end(0, "FAILED");
  ASSERT_EQ(ex->status(), ExecutionStatus::kFailed);
  registry.start(asked_again(only_run().arn(), "[1]", 1, 9),
                 std::make_shared<engine::executor::MapRunHandle>());
  ASSERT_EQ(children.started.size(), 2u);
  // MapRunChildren::run_child answers a refused redrive with the child's last description.
  json::Object d;
  d.set("status", json::Value("FAILED"));
  d.set("redriveStatus", json::Value("NOT_REDRIVABLE"));
  children.started[1].finished(json::Value(std::move(d)));
  MapRun& again = only_run();
  EXPECT_EQ(again.status(), MapRunStatus::kFailed);
  EXPECT_EQ(again.execution_counts().failures_not_redrivable, 1);
  EXPECT_EQ(again.execution_counts().failed, 1);
  EXPECT_EQ(again.item_counts().failures_not_redrivable, 1);
}

TEST(ItemProcessorLookupTest, FindsTheDistributedMapByLabelAnywhere) {
  auto m = engine::asl::compile_definition(R"({"StartAt":"Par","States":{"Par":{
    "Type":"Parallel","End":true,"Branches":[{"StartAt":"M","States":{"M":{"Type":"Map",
    "Label":"Deep","End":true,"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED",
    "ExecutionType":"EXPRESS"},"StartAt":"X","States":{"X":{"Type":"Pass","End":true}}}}}}]}}})");
  ASSERT_TRUE(m.ok());
  auto p = find_item_processor(**m, "Deep");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->states[0].name, "X");
  EXPECT_EQ(find_item_processor(**m, "Other"), nullptr);
  EXPECT_EQ(map_run_label_of("machine/Deep"), "Deep");
  auto text = item_processor_definition(R"({"StartAt":"Par","States":{"Par":{"Type":"Parallel",
    "End":true,"Branches":[{"StartAt":"M","States":{"M":{"Type":"Map","End":true,
    "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},
    "StartAt":"X","States":{"X":{"Type":"Pass","End":true}}}}}}]}}})",
                                        "M");  // no Label: the state's name
  ASSERT_TRUE(text);
  EXPECT_NE(text->find(R"("StartAt":"X")"), std::string::npos);
  EXPECT_FALSE(item_processor_definition("{}", "M"));
  EXPECT_EQ(map_run_label_of("machine"), "");
}

}  // namespace
}  // namespace sluice::states
