// ExecutorTest: compiles a definition, runs it with the fakes and a manual clock, and reads the
// history back in compact forms the tests compare against.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/asl/definition.h"
#include "engine/executor/execution.h"
#include "engine/executor/manual_time.h"
#include "engine/json/json_parse.h"
#include "engine/json/json_serialize.h"
#include "tests/engine/executor/executor_fakes.h"

namespace sluice::engine::executor {

class ExecutorTest : public ::testing::Test {
 protected:
  static constexpr int64_t kStart = 1700000000000;  // 2023-11-14T22:13:20.000Z

  static ExecutionInfo test_info() {
    ExecutionInfo info;
    info.execution_arn = "arn:aws:states:us-east-1:000000000000:execution:sm:exec-1";
    info.name = "exec-1";
    info.state_machine_arn = "arn:aws:states:us-east-1:000000000000:stateMachine:sm";
    info.state_machine_name = "sm";
    info.role_arn = "arn:aws:iam::000000000000:role/r";
    return info;
  }
  // The fixture's fakes, with history going to `history_sink` (a restored execution may want
  // its own, to tell its second life's events from the first's).
  ExecutionServices test_services(HistorySink& history_sink) {
    ExecutionServices services;
    services.clock = &clock;
    services.timers = &timers;
    services.tasks = &tasks;
    services.sink = &history_sink;
    services.map_runs = &map_runs;
    services.random = &random;
    services.make_task_token = [this] { return "token-" + std::to_string(++tokens); };
    return services;
  }

  std::shared_ptr<Execution> make(std::string_view definition, std::string_view input = "{}",
                                  ExecutionOptions options = {}) {
    auto machine = asl::compile_definition(definition);
    EXPECT_TRUE(machine.ok()) << (machine.ok() ? "" : machine.error().message);
    if (!machine.ok()) return nullptr;
    ExecutionInfo info = test_info();
    ExecutionServices services = test_services(sink);
    auto in = json::parse(input);
    EXPECT_TRUE(in.ok());
    return Execution::create(std::move(machine).value(), info, std::move(in).value(), services,
                             options);
  }

  std::shared_ptr<Execution> run(std::string_view definition, std::string_view input = "{}",
                                 ExecutionOptions options = {}) {
    auto ex = make(definition, input, options);
    if (ex) ex->start();
    return ex;
  }

  // "Type" per event, in order.
  static std::vector<std::string> types(const Execution& ex) {
    std::vector<std::string> out;
    for (const auto& e : ex.history()) out.emplace_back(history_event_type_name(e.type));
    return out;
  }
  // "id:previous" per event.
  static std::vector<std::string> links(const Execution& ex) {
    std::vector<std::string> out;
    for (const auto& e : ex.history())
      out.push_back(std::to_string(e.id) + ":" + std::to_string(e.previous_event_id));
    return out;
  }
  static std::string output(const Execution& ex) {
    const auto& o = ex.outcome().output;
    return o ? json::serialize(*o) : "<none>";
  }
  static std::string details(const HistoryEvent& e) { return json::serialize(e.details); }
  static const HistoryEvent* find(const Execution& ex, HistoryEventType type, int nth = 0) {
    for (const auto& e : ex.history()) {
      if (e.type == type && nth-- == 0) return &e;
    }
    return nullptr;
  }
  static json::Value parse(std::string_view text) { return *json::parse(text); }

  ManualClock clock{kStart};
  ManualTimerService timers{clock};
  FakeTasks tasks;
  FakeMapRuns map_runs;
  RecordingSink sink;
  FixedRandom random{0.5};
  int tokens = 0;
};

}  // namespace sluice::engine::executor
