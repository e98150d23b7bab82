// ResumeWorld: everything outside an Execution that a restart throws away (clock, timers, the
// services a task talks to, the store) and that the resume tests rebuild. Tasks are answered by a
// script: for each task attempt, a list of actions at offsets from the attempt's TaskScheduled
// time, so a re-run of the same world (the reference run, a run cut short, the resumed run)
// answers the same way at the same times. Actions at offset 0 happen inside
// TaskHandler::start(); after a restart, actions already in the past (they happened before the
// crash and are in the stored history) are skipped, as are started/submitted when the resume
// says they were recorded.
//
// The store keeps the first `cut_after` events and the heartbeats before them, as if the server
// died right after storing event `cut_after`.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/asl/definition.h"
#include "engine/executor/execution.h"
#include "engine/executor/manual_time.h"
#include "engine/json/json_parse.h"

namespace sluice::engine::executor {

struct TaskAction {
  enum Kind { kStarted, kSubmitted, kSucceed, kFail, kHeartbeat };
  int64_t offset_ms = 0;
  Kind kind = kSucceed;
  std::string text;  // JSON output, worker name, or error
  std::string cause;
};

using TaskScript = std::function<std::vector<TaskAction>(const TaskRequest&)>;

class ResumeStore final : public HistorySink {
 public:
  std::optional<std::size_t> cut_after;  // store nothing after this many events

  void on_event(std::string_view, const HistoryEvent& event) override {
    event_ms[event.id] = event.timestamp_ms;
    if (full()) return;
    events.push_back(event);
  }
  void on_outcome(std::string_view, const ExecutionOutcome& outcome) override {
    if (!full() || !cut_after) outcomes.push_back(outcome);
  }
  void on_task_heartbeat(std::string_view, const TaskHeartbeatRecord& beat) override {
    if (!full()) heartbeats.push_back(beat);
  }
  bool full() const { return cut_after && events.size() >= *cut_after; }

  std::vector<HistoryEvent> events;
  std::vector<TaskHeartbeatRecord> heartbeats;
  std::vector<ExecutionOutcome> outcomes;
  std::map<int64_t, int64_t> event_ms;  // every event's time, stored or not
};

class ScriptedTasks final : public TaskHandler {
 public:
  ScriptedTasks(ManualClock& clock, ManualTimerService& timers, ResumeStore& store,
                TaskScript script)
      : clock_(clock), timers_(timers), store_(store), script_(std::move(script)) {}

  void start(const TaskRequest& request, std::shared_ptr<TaskHandle> handle) override {
    starts.push_back(request);
    perform(request, std::move(handle), nullptr);
  }
  void resume(const TaskRequest& request, const TaskProgress& progress,
              std::shared_ptr<TaskHandle> handle) override {
    resumes.push_back(request);
    resumed_progress.push_back(progress);
    perform(request, std::move(handle), &progress);
  }
  void cancel(const TaskHandle& handle) override { cancelled.push_back(handle.task_token()); }

  std::vector<TaskRequest> starts;
  std::vector<TaskRequest> resumes;
  std::vector<TaskProgress> resumed_progress;
  std::vector<std::string> cancelled;
  std::vector<std::shared_ptr<TaskHandle>> handles;

 private:
  static void apply(const TaskAction& a, TaskHandle& h) {
    switch (a.kind) {
      case TaskAction::kStarted:
        h.started(a.text);
        break;
      case TaskAction::kSubmitted:
        h.submitted(*json::parse(a.text));
        break;
      case TaskAction::kSucceed:
        h.succeed(*json::parse(a.text));
        break;
      case TaskAction::kFail:
        h.fail(a.text, a.cause);
        break;
      case TaskAction::kHeartbeat:
        h.heartbeat();
        break;
    }
  }

  void perform(const TaskRequest& request, std::shared_ptr<TaskHandle> handle,
               const TaskProgress* progress) {
    handles.push_back(handle);
    int64_t base = store_.event_ms.at(request.scheduled_event_id);
    for (const TaskAction& a : script_(request)) {
      int64_t at = base + a.offset_ms;
      if (at < clock_.now_ms()) continue;  // before the restart: in the stored history
      if (progress && a.kind == TaskAction::kStarted && progress->started) continue;
      if (progress && a.kind == TaskAction::kSubmitted && progress->submitted) continue;
      if (a.offset_ms == 0) {
        apply(a, *handle);
      } else {
        timers_.schedule(at, [a, handle] { apply(a, *handle); });
      }
    }
  }

  ManualClock& clock_;
  ManualTimerService& timers_;
  ResumeStore& store_;
  TaskScript script_;
};

// One life of the server: a clock starting at start_ms, its timers, tasks and store.
struct ResumeWorld {
  ResumeWorld(int64_t start_ms, TaskScript script)
      : clock(start_ms), timers(clock), tasks(clock, timers, store, std::move(script)) {}

  ExecutionServices services() {
    ExecutionServices s;
    s.clock = &clock;
    s.timers = &timers;
    s.tasks = &tasks;
    s.sink = &store;
    s.make_task_token = [this] { return "token-" + std::to_string(++tokens); };
    return s;
  }

  // Runs the clock forward until the execution stops, nothing is left to happen, or the store
  // is full (the server is about to die).
  void drive(const Execution& ex) {
    while (ex.status() == ExecutionStatus::kRunning && timers.pending() > 0 && !store.full())
      timers.advance_to(timers.next_due());
  }

  ManualClock clock;
  ManualTimerService timers;
  ResumeStore store;
  ScriptedTasks tasks;
  int tokens = 0;
};

}  // namespace sluice::engine::executor
