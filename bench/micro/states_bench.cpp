// Micro-benchmarks of the Step Functions side of the server, in process (no HTTP):
//  - StartSyncExecution through its handler (request decode, catalog lookup, Express execution of
//    Pass -> Choice -> Map(3 x Pass) -> Succeed, JSON output): what one HTTP request costs the
//    server beyond HTTP. 7 state transitions per execution (every state entered).
//  - Execution timers: ReactorTimers (one uv_timer over a min-heap) against a uv_timer per timer,
//    for the schedule-then-cancel pattern of task timeouts and heartbeats.
// Thread: each benchmark runs on one thread.
#include <benchmark/benchmark.h>
#include <unistd.h>
#include <uv.h>

#include <filesystem>
#include <memory>
#include <optional>

#include "broker/states/catalog/catalog.h"
#include "broker/states/executions/execution_runner.h"
#include "broker/states/executions/reactor_time.h"
#include "broker/states/handlers.h"
#include "engine/json/json_parse.h"
#include "storage/group_committer.h"
#include "storage/lmdb/environment.h"

namespace sluice::microbench {
namespace {

using namespace sluice::states;

constexpr const char* kMachine = R"J({"StartAt":"Prepare","States":{
  "Prepare":{"Type":"Pass","Result":{"items":[1,2,3],"go":true},"Next":"Decide"},
  "Decide":{"Type":"Choice","Choices":[{"Variable":"$.go","BooleanEquals":true,"Next":"Each"}],
            "Default":"Stop"},
  "Each":{"Type":"Map","ItemsPath":"$.items","ItemProcessor":{"StartAt":"Item",
          "States":{"Item":{"Type":"Pass","End":true}}},"Next":"Done"},
  "Done":{"Type":"Succeed"},
  "Stop":{"Type":"Fail","Error":"NoGo"}}})J";

// The server's Step Functions parts over a temporary LMDB environment.
struct StatesRig {
  StatesRig() {
    char tmpl[] = "/tmp/sluice-states-bench-XXXXXX";
    dir = ::mkdtemp(tmpl);
    storage::EnvironmentOptions o;
    o.data_dir = dir;
    o.map_size_bytes = 64ull << 20;
    o.durability = storage::Durability::kRelaxed;
    env = std::move(*storage::Environment::open(o));
    committer = std::make_unique<storage::GroupCommitter>(*env, nullptr);
    committer->start();
    uv_loop_init(&loop);
    parts.loop = &loop;
    parts.env = env.get();
    parts.committer = committer.get();
    timers = std::make_unique<ReactorTimers>(&loop, clock);
    catalog = std::make_unique<Catalog>(parts, identity, clock);
    runner = std::make_unique<ExecutionRunner>(parts, *catalog, clock, *timers);
    parts.catalog = catalog.get();
    parts.runner = runner.get();
    register_state_machine_actions(actions);
    register_execution_actions(actions);
  }
  ~StatesRig() {
    runner->shutdown();
    timers->shutdown();
    uv_run(&loop, UV_RUN_NOWAIT);
    runner.reset();
    catalog.reset();
    timers.reset();
    committer->stop();
    committer->run_completions();
    uv_loop_close(&loop);
    env.reset();
    std::filesystem::remove_all(dir);
  }
  SfnOutcome call(const char* action, const json::Value& body) {
    std::optional<SfnOutcome> out;
    SfnContext ctx{parts, identity, [] { return true; }};
    (*actions.find(action))(ctx, body, [&](SfnOutcome o) { out = std::move(o); });
    for (int i = 0; i < 1000 && !out; ++i) {
      uv_run(&loop, UV_RUN_NOWAIT);
      committer->wait_and_run_completions(std::chrono::milliseconds(1));
    }
    return std::move(*out);
  }

  std::string dir;
  std::unique_ptr<storage::Environment> env;
  std::unique_ptr<storage::GroupCommitter> committer;
  uv_loop_t loop{};
  StatesIdentity identity;
  StatesServices parts;
  SystemClock clock;
  std::unique_ptr<ReactorTimers> timers;
  std::unique_ptr<Catalog> catalog;
  std::unique_ptr<ExecutionRunner> runner;
  ActionTable actions;
};

void BM_StartSyncExecution_PassChoiceMap3Succeed(benchmark::State& state) {
  StatesRig rig;
  json::Object create;
  create.set("name", json::Value("bench"));
  create.set("definition", json::Value(kMachine));
  create.set("roleArn", json::Value("arn:aws:iam::000000000000:role/bench"));
  create.set("type", json::Value("EXPRESS"));
  SfnOutcome created = rig.call("CreateStateMachine", json::Value(std::move(create)));
  if (!created.ok()) {
    state.SkipWithError("CreateStateMachine failed");
    return;
  }
  const std::string body =
      R"({"stateMachineArn":"arn:aws:states:us-east-1:000000000000:stateMachine:bench","input":"{}"})";
  const SfnHandler& handler = *rig.actions.find("StartSyncExecution");
  SfnContext ctx{rig.parts, rig.identity, [] { return true; }};
  std::size_t bytes = 0;
  uint64_t n = 0;
  for (auto _ : state) {
    // The server's loop turns free finished executions; turn it as often as a busy server would.
    if ((++n & 63) == 0) uv_run(&rig.loop, UV_RUN_NOWAIT);
    // As the endpoint does: parse the body, run the handler, keep the rendered output.
    json::Value request = json::parse(body).value();
    handler(ctx, std::move(request), [&](SfnOutcome o) {
      if (!o.ok() || !o.text()) {
        state.SkipWithError("StartSyncExecution failed");
        return;
      }
      bytes += o.text()->size();
    });
  }
  benchmark::DoNotOptimize(bytes);
  state.SetItemsProcessed(state.iterations());
  state.counters["transitions/s"] =
      benchmark::Counter(static_cast<double>(state.iterations() * 7), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_StartSyncExecution_PassChoiceMap3Succeed);

// Task timeouts and heartbeats: scheduled, then (almost always) cancelled when the task answers.
void BM_ExecutionTimers_Heap_ScheduleCancel(benchmark::State& state) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  SystemClock clock;
  {
    ReactorTimers timers(&loop, clock);
    const int64_t base = clock.now_ms() + 60'000;
    int64_t i = 0;
    for (auto _ : state) {
      auto id = timers.schedule(base + (i++ % 1000), [] {});
      timers.cancel(id);
    }
    timers.shutdown();
    uv_run(&loop, UV_RUN_NOWAIT);
  }
  uv_loop_close(&loop);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ExecutionTimers_Heap_ScheduleCancel);

void BM_ExecutionTimers_UvTimerPerTimer_ScheduleCancel(benchmark::State& state) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  int64_t i = 0;
  for (auto _ : state) {
    auto* t = new uv_timer_t;
    uv_timer_init(&loop, t);
    uv_timer_start(
        t, [](uv_timer_t*) {}, 60'000 + static_cast<uint64_t>(i++ % 1000), 0);
    uv_timer_stop(t);
    uv_close(reinterpret_cast<uv_handle_t*>(t),
             [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
    if ((i & 63) == 0) uv_run(&loop, UV_RUN_NOWAIT);  // closes complete on the loop
  }
  uv_run(&loop, UV_RUN_NOWAIT);
  uv_loop_close(&loop);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ExecutionTimers_UvTimerPerTimer_ScheduleCancel);

}  // namespace
}  // namespace sluice::microbench
