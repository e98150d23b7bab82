// The Execution's private bookkeeping, shared by its source files (execution.cpp: running;
// execution_replay.cpp: resume and redrive; test_state.cpp: TestState). Nothing outside
// engine/executor includes this.
//
// A Run is one thread of control walking one StateMachine: the top level, a Parallel branch or a
// Map iteration. A Run in a Parallel or Map state owns a Fanout holding its child Runs.
// Everything asynchronous (timers, task answers, queued transitions) refers to a Run weakly and
// carries the Run's generation, which moves on whenever the Run leaves a state, retries or is
// cancelled, so late arrivals are recognised and dropped.
//
// Touched only by the thread that drives the owning Execution.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/asl/definition.h"
#include "engine/executor/clock.h"
#include "engine/executor/history_event.h"
#include "engine/executor/map_run_service.h"
#include "engine/executor/task_handler.h"
#include "engine/json/json_value.h"

namespace sluice::engine::executor::detail {

struct Run;

struct Fanout {
  bool is_map = false;
  // The state failed (a branch or too many iterations failed): nothing more is launched. The
  // Fanout is kept until the Run leaves the state, so a redrive can re-run only what failed.
  bool closed = false;
  std::vector<std::shared_ptr<Run>> children;
  json::Array results;
  json::Array items;      // Map: the items
  json::Value map_input;  // Map: the effective input ItemSelector reads
  std::size_t next = 0, running = 0, done = 0, failed = 0;
  std::size_t max_concurrency = 0;
  bool tolerance = false;
  std::optional<int64_t> tolerated_count;
  std::optional<double> tolerated_percentage;
  int64_t last_event_id = 0;
};

// How a Run ended; kActive while it runs.
enum class RunOutcome : uint8_t { kActive, kSucceeded, kFailed, kCancelled };

struct Run : std::enable_shared_from_this<Run> {
  const asl::StateMachine* machine = nullptr;
  Run* parent = nullptr;  // the Run in the Parallel/Map state that owns this one
  std::size_t slot = 0;   // branch or item index
  bool finished = false;
  RunOutcome outcome = RunOutcome::kActive;
  int64_t last_event_id = 0;

  // The workflow variables this Run assigned (its scope). States read them through
  // RunVariables, which goes on to the Runs around this one: a Map iteration or Parallel branch
  // sees the variables of the states around the Map or Parallel, never the other way round.
  json::Object variables;
  // The size of each variable's JSON text, and their sum (AWS limits them, asl/assignment.h).
  std::unordered_map<std::string, std::size_t> variable_sizes;
  std::size_t variable_bytes = 0;

  asl::StateIndex state = 0;
  json::Value input;      // the state input
  json::Value effective;  // Wait: the input after InputPath, kept across the wait
  json::Value state_ctx;  // $$.State (lent to the Execution's context object while in use)
  int64_t entered_ms = 0;
  int64_t entered_event_id = 0;
  int64_t entered_previous_id = 0;  // the entered event's previousEventId (EvaluationFailed's)
  int64_t retry_count = 0;
  std::vector<int64_t> attempts;  // per retrier
  uint64_t generation = 0;

  // A transition queued but not yet taken (the next state's entry, or a branch's first state):
  // kept here rather than in the queued step so a redrive can take it again.
  bool pending = false;
  asl::StateIndex pending_state = 0;
  json::Value pending_input;

  TimerId timer = 0;  // Wait or retry back-off
  TimerId timeout_timer = 0;
  TimerId heartbeat_timer = 0;
  int64_t heartbeat_deadline = 0;
  std::shared_ptr<TaskHandle> task;
  TaskRequest request;
  int64_t scheduled_event_id = 0;  // the current attempt's *Scheduled event
  bool task_started_event = false;

  std::unique_ptr<Fanout> fan;

  // A Distributed Map: the map run it waits on (map_run_service.h) and what it asked for.
  std::shared_ptr<MapRunHandle> map_run;
  MapRunRequest map_request;
  // The map run in map_request ended unsuccessfully (MapRunFailed, or aborted with the
  // execution): a redrive of the execution redrives it (MapRunRedriven) rather than starting a
  // new one.
  bool map_run_redrivable = false;
  // The attempt number of the next map run is map_attempt_base + retry_count: a redrive resets
  // retry_count but never reuses an earlier attempt's map run ARN.
  int64_t map_attempt_base = 0;

  const asl::State& st() const { return machine->states[state]; }
};

// A non-negative integer field read through a reference path (SecondsPath, TimeoutSecondsPath...).
// AWS also takes a string holding the integer ("1"), as a variable often holds it.
std::optional<int64_t> integer_at(const asl::JsonPath& path, const json::Value& input,
                                  const asl::EvalScope& scope, int64_t min);

// The variables visible from a Run: its own, then those of the Runs around it.
class RunVariables final : public asl::VariableLookup {
 public:
  explicit RunVariables(const Run& run) : run_(&run) {}
  const json::Value* find(std::string_view name) const override {
    for (const Run* r = run_; r != nullptr; r = r->parent) {
      if (const json::Value* v = r->variables.find(name)) return v;
    }
    return nullptr;
  }

 private:
  const Run* run_;
};

// What a state leaves with: its output and the variables it assigns (Assign; empty: none).
struct StateExit {
  json::Value output;
  json::Object assigned;
};

// Resume/redrive: the stored history being replayed and what the replay defers until it ends.
// Exists only while an Execution replays (execution_replay.cpp).
struct Replay {
  struct DeferredTimer {
    std::function<void()> fire;
    int64_t at_ms = 0;
    std::weak_ptr<Run> run;  // empty: the machine-level TimeoutSeconds timer
    bool heartbeat = false;
  };
  // Deferred timers get ids from here up, apart from the TimerService's.
  static constexpr TimerId kFirstTimerId = TimerId{1} << 62;

  std::vector<HistoryEvent> events;
  std::size_t pos = 0;       // the next stored event the replay must reproduce
  bool hold_at_end = false;  // redrive: stay in replay through the last (terminal) event
  std::vector<std::weak_ptr<Run>> owners;              // by event index: the Run that emitted it
  std::unordered_map<int64_t, int64_t> heartbeats;     // scheduled event id -> last heartbeat
  std::unordered_map<int64_t, TaskProgress> progress;  // scheduled event id -> progress
  std::map<TimerId, DeferredTimer> timers;
  TimerId next_timer = kFirstTimerId;
  std::string divergence;  // set when the definition does not reproduce the history
  // The *StateExited event just reproduced: its recorded output and assignedVariables (JSON
  // texts), which the replay adopts instead of what it computed, so that expressions that
  // need not give the same value twice ($uuid(), $random(), $now(), States.UUID) cannot make
  // the resumed execution differ from the one that was recorded.
  std::optional<std::string> exited_output;
  std::optional<json::Object> exited_assigned;
};

}  // namespace sluice::engine::executor::detail
