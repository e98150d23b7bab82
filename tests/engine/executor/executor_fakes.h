// Test doubles for the executor's injected services: a TaskHandler that records every attempt
// (and can answer synchronously), a HistorySink that records, and a fixed RandomSource.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/executor/clock.h"
#include "engine/executor/history_sink.h"
#include "engine/executor/map_run_service.h"
#include "engine/executor/task_handler.h"

namespace sluice::engine::executor {

class FakeTasks final : public TaskHandler {
 public:
  struct Call {
    TaskRequest request;
    std::shared_ptr<TaskHandle> handle;
  };
  void start(const TaskRequest& request, std::shared_ptr<TaskHandle> handle) override {
    calls.push_back(Call{request, handle});
    if (on_start) on_start(request, *handle);
  }
  void resume(const TaskRequest& request, const TaskProgress& progress,
              std::shared_ptr<TaskHandle> handle) override {
    resumed.push_back(Call{request, handle});
    resumed_progress.push_back(progress);
  }
  void cancel(const TaskHandle& handle) override { cancelled.push_back(&handle); }

  TaskHandle& last() { return *calls.back().handle; }
  const TaskRequest& last_request() const { return calls.back().request; }

  std::vector<Call> calls;
  std::vector<Call> resumed;  // resume(): not started again
  std::vector<TaskProgress> resumed_progress;
  std::vector<const TaskHandle*> cancelled;
  std::function<void(const TaskRequest&, TaskHandle&)> on_start;
};

class RecordingSink final : public HistorySink {
 public:
  void on_event(std::string_view arn, const HistoryEvent& event) override {
    arns.emplace_back(arn);
    events.push_back(event);
  }
  void on_outcome(std::string_view arn, const ExecutionOutcome& outcome) override {
    arns.emplace_back(arn);
    outcomes.push_back(outcome);
  }
  void on_task_heartbeat(std::string_view, const TaskHeartbeatRecord& beat) override {
    heartbeats.push_back(beat);
  }
  std::vector<std::string> arns;
  std::vector<TaskHeartbeatRecord> heartbeats;
  std::vector<HistoryEvent> events;
  std::vector<ExecutionOutcome> outcomes;
};

class FixedRandom final : public RandomSource {
 public:
  explicit FixedRandom(double v) : v_(v) {}
  double next_unit() override { return v_; }

 private:
  double v_;
};

// Keeps every map run a Distributed Map asks for; the test answers through the handles.
class FakeMapRuns final : public MapRunService {
 public:
  void start(const MapRunRequest& request, std::shared_ptr<MapRunHandle> handle) override {
    requests.push_back(request);
    handles.push_back(std::move(handle));
  }
  void cancel(const MapRunHandle& handle) override { (void)handle, ++cancelled; }

  std::vector<MapRunRequest> requests;
  std::vector<std::shared_ptr<MapRunHandle>> handles;
  int cancelled = 0;
};

}  // namespace sluice::engine::executor
