// See task_call.h.
#include "broker/states/tasks/task_call.h"

#include "broker/states/tasks/task_router.h"

namespace sluice::states::tasks {

void TaskCall::started(std::string_view worker_name) {
  if (active()) handle_->started(worker_name);
}

void TaskCall::submitted(json::Value output) {
  if (active()) handle_->submitted(std::move(output));
}

void TaskCall::succeed(json::Value output) {
  if (finished_) return;
  auto self = shared_from_this();
  forget();
  handle_->succeed(std::move(output));
}

void TaskCall::fail(std::string error, std::string cause) {
  if (finished_) return;
  auto self = shared_from_this();
  forget();
  handle_->fail(std::move(error), std::move(cause));
}

void TaskCall::finish(TaskResult result) {
  if (result.ok) {
    succeed(std::move(result.output));
  } else {
    fail(std::move(result.error), std::move(result.cause));
  }
}

bool TaskCall::heartbeat() {
  return active() && handle_->heartbeat();
}

void TaskCall::cancelled() {
  if (finished_) return;
  auto self = shared_from_this();
  std::function<void()> undo = std::move(undo_);
  forget();
  if (undo) undo();
}

void TaskCall::forget() {
  finished_ = true;
  undo_ = nullptr;
  if (router_alive()) router_.forget(*this);
}

}  // namespace sluice::states::tasks
