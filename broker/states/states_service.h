// StatesService: the Step Functions side of the server, wired once by the reactor: it builds the
// components (added as they are built: catalog, executions, task integrations), registers every
// action group with the endpoint, resumes durable state at start and releases long polls and
// timers on shutdown. Thread: the reactor thread only.
#pragma once

#include <memory>

#include "broker/states/states_endpoint.h"
#include "broker/states/states_services.h"
#include "storage/result.h"

namespace sluice::states {

namespace tasks {
class TaskRouter;
}

class StatesService {
 public:
  StatesService(StatesServices parts, StatesIdentity identity, StatesRequestObserver observer = {});
  ~StatesService();
  StatesService(const StatesService&) = delete;
  StatesService& operator=(const StatesService&) = delete;

  // Loads durable state (state machines, running executions) and resumes it. Call once, after the
  // queue store recovered and the committer started, before serving.
  Status recover();
  // Answers long polls and stops timers: the server is draining.
  void shutdown();

  StatesEndpoint& endpoint() { return *endpoint_; }
  tasks::TaskRouter& task_router() { return *tasks_; }

 private:
  StatesServices parts_;
  // Declared first so that it is destroyed last: executions cancel their tasks through it.
  std::unique_ptr<tasks::TaskRouter> tasks_;
  std::unique_ptr<StatesEndpoint> endpoint_;
};

}  // namespace sluice::states
