// Micro-benchmark of the workflow engine: whole in-process executions of
// Pass -> Choice -> Map(3 x Pass) -> Succeed, the machine issue 4's closing note reports. Each
// execution makes 7 state transitions (Pass, Choice, Map, 3 inner Pass, Succeed); items/s is
// executions/s, the "transitions/s" counter the state transitions. Express-like (no history
// kept, no sink) and Standard-like (history kept) variants. And compile_definition on a chain of
// N Pass states (CreateStateMachine's cost; it must stay linear in N).
// Thread: each benchmark runs on one thread.
#include <benchmark/benchmark.h>

#include <string>
#include <string_view>
#include <vector>

#include "engine/asl/definition.h"
#include "engine/executor/execution.h"
#include "engine/executor/manual_time.h"
#include "engine/json/json_parse.h"

namespace sluice::microbench {
namespace {

using namespace sluice::engine;

constexpr const char* kMachine = R"J({"StartAt":"Prepare","States":{
  "Prepare":{"Type":"Pass","Result":[1,2,3],"ResultPath":"$.items","Next":"Route"},
  "Route":{"Type":"Choice","Choices":[{"Variable":"$.go","BooleanEquals":true,"Next":"Each"}],
           "Default":"Done"},
  "Each":{"Type":"Map","ItemsPath":"$.items","ItemProcessor":{"StartAt":"Item",
          "States":{"Item":{"Type":"Pass","End":true}}},"ResultPath":"$.out","Next":"Done"},
  "Done":{"Type":"Succeed"}}})J";

class NoTasks final : public executor::TaskHandler {
 public:
  void start(const executor::TaskRequest&, std::shared_ptr<executor::TaskHandle> h) override {
    h->fail("Bench.NoTasks", "");
  }
};

void run_executions(benchmark::State& state, bool keep_history) {
  auto machine = asl::compile_definition(kMachine).value();
  json::Value input = json::parse(R"J({"go":true,"order":"A-17"})J").value();
  executor::ManualClock clock(1700000000000);
  executor::ManualTimerService timers(clock);
  NoTasks tasks;
  executor::ExecutionServices services;
  services.clock = &clock;
  services.timers = &timers;
  services.tasks = &tasks;
  executor::ExecutionOptions options;
  options.keep_history = keep_history;
  executor::ExecutionInfo info;
  info.execution_arn = "arn:aws:states:us-east-1:000000000000:execution:bench:bench-execution-name";
  info.name = "bench-execution-name";  // longer than SSO: GCC 12 -Wrestrict false positive
  info.state_machine_arn = "arn:aws:states:us-east-1:000000000000:stateMachine:bench";
  info.state_machine_name = "bench";
  for (auto _ : state) {
    auto ex = executor::Execution::create(machine, info, input, services, options);
    ex->start();
    if (ex->status() != executor::ExecutionStatus::kSucceeded) {
      state.SkipWithError("execution did not succeed");
      break;
    }
    benchmark::DoNotOptimize(ex->outcome().output);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["transitions/s"] =
      benchmark::Counter(static_cast<double>(state.iterations() * 7), benchmark::Counter::kIsRate);
}

void BM_Execution_PassChoiceMap3Succeed_NoHistory(benchmark::State& state) {
  run_executions(state, false);
}
BENCHMARK(BM_Execution_PassChoiceMap3Succeed_NoHistory);

void BM_Execution_PassChoiceMap3Succeed_History(benchmark::State& state) {
  run_executions(state, true);
}
BENCHMARK(BM_Execution_PassChoiceMap3Succeed_History);

// Resume after a restart: the stored history of a Map over 100 items, each answered by its
// Task and now in a 60 s Wait (about 700 events), replayed and handed back to live timers.
// items/s is stored events replayed per second.
class AnswerAtOnce final : public executor::TaskHandler {
 public:
  void start(const executor::TaskRequest& r, std::shared_ptr<executor::TaskHandle> h) override {
    h->succeed(r.input);
  }
};

class KeepAll final : public executor::HistorySink {
 public:
  void on_event(std::string_view, const executor::HistoryEvent& e) override { events.push_back(e); }
  void on_outcome(std::string_view, const executor::ExecutionOutcome&) override {}
  std::vector<executor::HistoryEvent> events;
};

void BM_Resume_Map100TasksWaiting(benchmark::State& state) {
  auto machine = asl::compile_definition(R"J({"StartAt":"Each","States":{"Each":{"Type":"Map",
      "ItemProcessor":{"StartAt":"Call","States":{
        "Call":{"Type":"Task","Resource":"arn:aws:states:::http:invoke","Next":"Nap"},
        "Nap":{"Type":"Wait","Seconds":60,"End":true}}},"End":true}}})J")
                     .value();
  json::Array items;
  for (int i = 0; i < 100; ++i)
    items.emplace_back(json::Value(json::Object{{"i", json::Value(i)}}));
  json::Value input(std::move(items));
  executor::ManualClock clock(1700000000000);
  executor::ManualTimerService timers(clock);
  AnswerAtOnce tasks;
  KeepAll store;
  executor::ExecutionServices services;
  services.clock = &clock;
  services.timers = &timers;
  services.tasks = &tasks;
  services.sink = &store;
  executor::ExecutionInfo info;
  info.execution_arn = "arn:aws:states:us-east-1:000000000000:execution:bench:resume-bench";
  info.name = "resume-bench";
  {
    auto ex = executor::Execution::create(machine, info, input, services);
    ex->start();
  }
  executor::PersistedHistory stored{store.events, {}};
  services.sink = nullptr;
  for (auto _ : state) {
    state.PauseTiming();  // loading the history is the store's cost, not the replay's
    executor::PersistedHistory copy = stored;
    state.ResumeTiming();
    executor::ManualTimerService fresh(clock);
    services.timers = &fresh;
    auto ex = executor::Execution::restore(machine, info, input, services, {}, std::move(copy));
    if (!ex->resume().ok() || fresh.pending() != 100) {
      state.SkipWithError("resume failed");
      break;
    }
    benchmark::DoNotOptimize(ex);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(stored.events.size()));
  state.counters["events"] = static_cast<double>(stored.events.size());
}
BENCHMARK(BM_Resume_Map100TasksWaiting)->Unit(benchmark::kMicrosecond);

std::string pass_chain(int64_t n) {
  std::string d = R"J({"StartAt":"S0","States":{)J";
  for (int64_t i = 0; i < n; ++i) {
    if (i) d += ',';
    d += "\"S" + std::to_string(i) + R"J(":{"Type":"Pass",)J";
    d += i + 1 < n ? "\"Next\":\"S" + std::to_string(i + 1) + "\"}"
                   : std::string(R"J("End":true})J");
  }
  return d + "}}";
}

void BM_CompileDefinition_PassChain(benchmark::State& state) {
  const std::string definition = pass_chain(state.range(0));
  for (auto _ : state) {
    auto machine = asl::compile_definition(definition);
    if (!machine.ok()) {
      state.SkipWithError("definition did not compile");
      break;
    }
    benchmark::DoNotOptimize(machine);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));  // states/s
}
BENCHMARK(BM_CompileDefinition_PassChain)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace sluice::microbench
