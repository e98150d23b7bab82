// RestartTest: an execution driven by hand (FakeTasks, a manual clock) across lives of the
// server: restart() drops the Execution and everything around it as kill -9 would, keeps what
// the sink stored, and rebuilds the execution in a new Life, `later_ms` later.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>

#include "engine/asl/definition.h"
#include "engine/executor/execution.h"
#include "engine/executor/manual_time.h"
#include "engine/json/json_parse.h"
#include "engine/json/json_serialize.h"
#include "tests/engine/executor/executor_fakes.h"

namespace sluice::engine::executor {

inline constexpr int64_t kRestartStart = 1700000000000;

// One life of the server.
struct Life {
  explicit Life(int64_t at) : clock(at), timers(clock) {}
  ExecutionServices services() {
    ExecutionServices s;
    s.clock = &clock;
    s.timers = &timers;
    s.tasks = &tasks;
    s.sink = &sink;
    s.map_runs = &map_runs;
    s.make_task_token = [this] { return "token-" + std::to_string(++tokens); };
    return s;
  }
  ManualClock clock;
  ManualTimerService timers;
  FakeTasks tasks;
  FakeMapRuns map_runs;
  RecordingSink sink;
  int tokens = 0;
};

class RestartTest : public ::testing::Test {
 protected:
  static ExecutionInfo info() {
    ExecutionInfo i;
    i.execution_arn = "arn:aws:states:us-east-1:000000000000:execution:sm:e";
    i.name = "e";
    i.state_machine_arn = "arn:aws:states:us-east-1:000000000000:stateMachine:sm";
    i.state_machine_name = "sm";
    i.role_arn = "arn:aws:iam::000000000000:role/r";
    return i;
  }
  static std::shared_ptr<const asl::StateMachine> compile(std::string_view definition) {
    auto m = asl::compile_definition(definition);
    EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().message);
    return *m;
  }

  void start(std::string_view definition, std::string_view input = "{}") {
    machine = compile(definition);
    input_ = *json::parse(input);
    ex = Execution::create(machine, info(), input_, life->services(), options);
    ex->start();
  }

  // The server dies now (everything the sink got is stored) and comes back `later_ms` later.
  Status restart(int64_t later_ms = 0,
                 std::shared_ptr<const asl::StateMachine> definition = nullptr) {
    rebuild(later_ms, definition);
    return ex->resume();
  }

  // As restart(), then RedriveExecution.
  Status redrive(int64_t later_ms = 0) {
    rebuild(later_ms, nullptr);
    return ex->redrive();
  }

  void rebuild(int64_t later_ms, std::shared_ptr<const asl::StateMachine> definition) {
    // The store keeps what every earlier life stored.
    stored.events.insert(stored.events.end(), life->sink.events.begin(), life->sink.events.end());
    stored.heartbeats.insert(stored.heartbeats.end(), life->sink.heartbeats.begin(),
                             life->sink.heartbeats.end());
    int64_t at = life->clock.now_ms() + later_ms;
    int tokens = life->tokens;
    ex.reset();
    life = std::make_unique<Life>(at);
    life->tokens = tokens;
    ex = Execution::restore(definition ? definition : machine, info(), input_, life->services(),
                            options, stored);
  }

  void advance_to(int64_t offset) { life->timers.advance_to(kRestartStart + offset); }

  // The first event of this type in the whole history (stored, then new).
  const HistoryEvent* find(HistoryEventType type, int nth = 0) const {
    for (const auto& e : ex->history()) {
      if (e.type == type && nth-- == 0) return &e;
    }
    return nullptr;
  }
  int count(HistoryEventType type) const {
    int n = 0;
    for (const auto& e : ex->history()) n += e.type == type;
    return n;
  }

  std::unique_ptr<Life> life = std::make_unique<Life>(kRestartStart);
  ExecutionOptions options;  // every life's
  std::shared_ptr<const asl::StateMachine> machine;
  json::Value input_;
  std::shared_ptr<Execution> ex;
  PersistedHistory stored;
};

}  // namespace sluice::engine::executor
