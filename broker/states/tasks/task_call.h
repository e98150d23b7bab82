// TaskCall: one Task attempt while the router tracks it, from TaskHandler::start (or resume) until
// it is answered or cancelled. It pairs the engine's TaskHandle with what the router must undo on
// cancel (abort an outbound request, stop a child execution, take an activity task off its queue)
// and the task token it is known by. Answering through the call (succeed/fail) first forgets it in
// the router, so a late SendTaskSuccess with the same token gets TaskTimedOut, as on AWS.
//
// Thread: the reactor thread (the one that drives the executions). Shared by the router and by the
// callbacks of the work in flight; answered at most once.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "broker/states/tasks/task_result.h"
#include "engine/executor/task_handler.h"

namespace sluice::states::tasks {

class TaskRouter;

class TaskCall : public std::enable_shared_from_this<TaskCall> {
 public:
  TaskCall(TaskRouter& router, std::weak_ptr<void> router_alive,
           engine::executor::TaskRequest request,
           std::shared_ptr<engine::executor::TaskHandle> handle, std::string token)
      : router_(router),
        router_alive_(std::move(router_alive)),
        request_(std::move(request)),
        handle_(std::move(handle)),
        token_(std::move(token)) {}

  const engine::executor::TaskRequest& request() const { return request_; }
  const json::Value& parameters() const { return request_.input; }
  // The token SendTaskSuccess/Failure/Heartbeat name this task by ("" when it has none).
  const std::string& token() const { return token_; }
  const engine::executor::TaskHandle& handle() const { return *handle_; }

  // False once answered, cancelled, or abandoned by the execution.
  bool active() const { return !finished_ && handle_->active(); }

  void started(std::string_view worker_name = {});
  void submitted(json::Value output);
  void succeed(json::Value output);
  void inspected(json::Value exchange) { handle_->inspected(std::move(exchange)); }
  void fail(std::string error, std::string cause);
  void finish(TaskResult result);
  bool heartbeat();

  // What the router runs when the engine cancels the attempt (replaces any earlier one).
  void on_cancel(std::function<void()> undo) { undo_ = std::move(undo); }
  // Router side: the engine abandoned the attempt.
  void cancelled();

 private:
  bool router_alive() const { return !router_alive_.expired(); }
  void forget();

  TaskRouter& router_;
  std::weak_ptr<void> router_alive_;
  engine::executor::TaskRequest request_;
  std::shared_ptr<engine::executor::TaskHandle> handle_;
  std::string token_;
  std::function<void()> undo_;
  bool finished_ = false;
};

}  // namespace sluice::states::tasks
