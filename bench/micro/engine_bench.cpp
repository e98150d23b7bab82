// Micro-benchmark of the workflow engine: whole in-process executions of
// Pass -> Choice -> Map(3 x Pass) -> Succeed, the machine issue 4's closing note reports. Each
// execution makes 7 state transitions (Pass, Choice, Map, 3 inner Pass, Succeed); items/s is
// executions/s, the "transitions/s" counter the state transitions. Express-like (no history
// kept, no sink) and Standard-like (history kept) variants. And compile_definition on a chain of
// N Pass states (CreateStateMachine's cost; it must stay linear in N).
// Thread: each benchmark runs on one thread.
#include <benchmark/benchmark.h>

#include <string>

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
