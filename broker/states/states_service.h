// StatesService: the Step Functions side of the server, wired once by the reactor: it builds the
// components (the clock and timers executions run on, the Catalog, the ExecutionRunner; the task
// integrations plug into StatesServices::tasks/check_resource), registers every action group
// with the endpoint, reloads durable state at start and stops timers on shutdown.
// Thread: the reactor thread only.
#pragma once

#include <memory>

#include "broker/states/states_endpoint.h"
#include "broker/states/states_services.h"
#include "engine/executor/clock.h"
#include "storage/result.h"

namespace sluice::states {

namespace tasks {
class TaskRouter;
}

class SystemClock;
class ReactorTimers;
class MapRunRegistry;

class StatesService {
 public:
  StatesService(StatesServices parts, StatesIdentity identity, StatesRequestObserver observer = {});
  ~StatesService();
  StatesService(const StatesService&) = delete;
  StatesService& operator=(const StatesService&) = delete;

  // Loads durable state (state machines, executions) and resumes it. Call once, after the queue
  // store recovered and the committer started, before serving.
  Status recover();
  // Flushes what executions recorded and stops their timers: the server is draining.
  void shutdown();

  StatesEndpoint& endpoint() { return *endpoint_; }
  // The time services executions run on; pipes (batching windows, retries) use them too.
  engine::executor::Clock& clock();
  engine::executor::TimerService& timers();
  tasks::TaskRouter& task_router() { return *tasks_; }
  // The parts, with the catalog, runner, starter and task router filled in.
  StatesServices& parts() { return parts_; }

 private:
  StatesServices parts_;
  // Declared first so that it is destroyed last: executions cancel their tasks through it.
  std::unique_ptr<tasks::TaskRouter> tasks_;
  std::unique_ptr<SystemClock> clock_;
  std::unique_ptr<ReactorTimers> timers_;
  std::unique_ptr<Catalog> catalog_;
  std::unique_ptr<ExecutionRunner> runner_;
  std::unique_ptr<MapRunRegistry> map_runs_;  // after the runner: its children are executions
  std::unique_ptr<StatesEndpoint> endpoint_;
};

}  // namespace sluice::states
