// UnservedTaskHandler: the TaskHandler executions use when no task integration is wired
// (StatesServices::tasks is null): every Task attempt fails with States.TaskFailed and a cause
// naming the resource, so Retry/Catch still apply and nothing hangs. Stateless.
#pragma once

#include "engine/executor/task_handler.h"

namespace sluice::states {

class UnservedTaskHandler final : public engine::executor::TaskHandler {
 public:
  void start(const engine::executor::TaskRequest& request,
             std::shared_ptr<engine::executor::TaskHandle> handle) override {
    handle->fail("States.TaskFailed",
                 "No task integration serves the resource '" + request.resource + "'");
  }
};

}  // namespace sluice::states
