// TaskRouter: the server's engine::executor::TaskHandler. Every Task attempt of every execution
// comes here and goes, by its resource, to the integration that serves it (see resource_check.h
// for the list): SQS in-process, the aws-sdk:sqs and aws-sdk:sfn integrations in-process (the SQS
// API's handlers, StatesEndpoint::invoke), nested executions through the ExecutionStarter,
// activities to the workers polling GetActivityTask, http:invoke and Lambda functions over outbound
// HTTP. It also keeps the task tokens, so SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat
// reach the task that waits on one: .waitForTaskToken tasks of every integration, and activity
// tasks.
//
// Each attempt is a TaskCall. Starting one is two steps kept apart: attach (track the call,
// register its token, queue an activity task) and send (the request to the service). resume()
// only attaches, which is what a task that was waiting before a restart needs.
//
// Thread: the reactor thread only; it owns uv handles (outbound HTTP, the activity poll timer)
// that shutdown() closes. The router must outlive the executions that use it (an Execution's
// destructor cancels its tasks through it).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "broker/states/sfn_error.h"
#include "broker/states/states_services.h"
#include "broker/states/tasks/activity_dispatcher.h"
#include "broker/states/tasks/http_client.h"
#include "broker/states/tasks/lambda_task.h"
#include "broker/states/tasks/start_execution_task.h"
#include "broker/states/tasks/task_call.h"
#include "engine/executor/task_handler.h"

namespace sluice::states::tasks {

struct TaskRouterOptions {
  uint64_t activity_poll_ms = 60000;    // GetActivityTask's long poll
  uint64_t http_timeout_ms = 60000;     // http:invoke (AWS's limit for an HTTP Task call)
  uint64_t lambda_timeout_ms = 900000;  // Lambda's longest run
};

class TaskRouter final : public engine::executor::TaskHandler {
 public:
  using TaskRequest = engine::executor::TaskRequest;
  using TaskHandle = engine::executor::TaskHandle;

  // Reads services.loop/messages/starter/lambda_endpoints when it needs them (the execution runner
  // may set the starter after the router is built).
  TaskRouter(StatesServices& services, StatesIdentity identity, TaskRouterOptions options = {});
  ~TaskRouter() override;
  TaskRouter(const TaskRouter&) = delete;
  TaskRouter& operator=(const TaskRouter&) = delete;

  // --- engine::executor::TaskHandler ---
  void start(const TaskRequest& request, std::shared_ptr<TaskHandle> handle) override;
  void cancel(const TaskHandle& handle) override;
  // The engine's resume hook (after a restart): resume_attempt with the attempt's progress.
  void resume(const TaskRequest& request, const engine::executor::TaskProgress& progress,
              std::shared_ptr<TaskHandle> handle) override;
  // After a restart, for an attempt already under way whose request must not be sent again
  // (engine::executor::TaskHandler::resume): attach only. `submitted` is the attempt's
  // TaskSubmitted output when it had one; `started` says a worker had taken an activity task.
  //  - .waitForTaskToken tasks: the token is registered again, nothing is sent;
  //  - activity tasks: the token is registered again; a task no worker had taken goes back on
  //    its queue (one a worker had taken stays with that worker);
  //  - .sync children: watched again, found from `submitted` (its ExecutionArn) or from the Name
  //    parameter; a child that cannot be found is started again;
  //  - request-response calls (no answer was recorded): made again (at-least-once).
  void resume_attempt(const TaskRequest& request, std::shared_ptr<TaskHandle> handle,
                      const json::Value* submitted = nullptr, bool started = false);

  // --- the task-token and activity actions ---
  // The execution whose live task `token` names (nullopt: none): its answer is recorded there,
  // and the reply waits until that is durable (task_handlers.cpp).
  std::optional<std::string> execution_of(const std::string& token) const;
  // nullopt on success, else the API error (InvalidToken, TaskTimedOut, ...).
  std::optional<SfnError> send_task_success(const std::string& token, json::Value output);
  std::optional<SfnError> send_task_failure(const std::string& token, std::string error,
                                            std::string cause);
  std::optional<SfnError> send_task_heartbeat(const std::string& token);
  // GetActivityTask after its checks: answers {taskToken, input} or {} (no task within the poll
  // time, or the server is stopping). ActivityWorkerLimitExceeded when too many workers wait.
  void get_activity_task(const std::string& activity_arn, std::string worker_name,
                         std::function<bool()> still_wanted, SfnReply reply);

  // The local Lambda functions (--lambda-endpoint): also a pipe's Lambda target and enrichment.
  LambdaFunctions& lambda_functions() { return lambda_; }

  // Whether an activity exists (the catalog answers; unset: every well-formed activity ARN does).
  void set_activity_exists(std::function<bool(std::string_view activity_arn)> exists) {
    activity_exists_ = std::move(exists);
  }
  bool activity_exists(std::string_view activity_arn) const {
    return !activity_exists_ || activity_exists_(activity_arn);
  }

  // A fresh task token, shaped like the ones this router accepts (give it to the engine as
  // ExecutionServices::make_task_token).
  static std::string make_task_token();
  static bool well_formed_token(std::string_view token);

  // The server is stopping: parked GetActivityTask polls are answered empty, outbound requests
  // dropped (their tasks stay unanswered: durable executions resume them after the restart).
  void shutdown();

  std::size_t tasks_in_flight() const { return calls_.size(); }
  ActivityDispatcher& activities() { return activities_; }

 private:
  friend class TaskCall;

  // Tracks the call and registers its token; queues an activity task unless told not to.
  std::shared_ptr<TaskCall> attach(const TaskRequest& request, std::shared_ptr<TaskHandle> handle,
                                   bool queue_activity = true);
  void send(const std::shared_ptr<TaskCall>& call);
  void queue_activity_task(const std::shared_ptr<TaskCall>& call);
  // Runs `done` for the call's result: succeed, fail, or (for .waitForTaskToken) submitted.
  std::function<void(TaskResult)> answer_for(const std::shared_ptr<TaskCall>& call);
  void cancel_http_on_cancel(const std::shared_ptr<TaskCall>& call, uint64_t request_id);
  std::optional<SfnError> with_token(const std::string& token,
                                     const std::function<void(TaskCall&)>& fn);
  void forget(TaskCall& call);

  StatesServices& services_;
  StatesIdentity identity_;
  TaskRouterOptions options_;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
  HttpClient http_;
  ActivityDispatcher activities_;
  NestedExecutions nested_;
  LambdaFunctions lambda_;
  std::function<bool(std::string_view)> activity_exists_;
  std::unordered_map<const TaskHandle*, std::shared_ptr<TaskCall>> calls_;
  std::unordered_map<std::string, std::shared_ptr<TaskCall>> by_token_;
  bool shut_down_ = false;
};

}  // namespace sluice::states::tasks
