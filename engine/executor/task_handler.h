// TaskHandler: how Task states reach the services they call. The Execution resolves nothing
// itself: it hands every Task attempt (resource ARN, effective input, task token, timeouts) to
// one injected TaskHandler, which routes by resource (sqs:sendMessage, states:startExecution,
// activities, http:invoke, Lambda, ...) and answers later through the TaskHandle it was given:
// started/submitted/succeed/fail/heartbeat. The handle is how asynchronous completion works
// (SendTaskSuccess looks the handle up by its token; an activity worker's answer arrives
// through it; a nested execution completes it).
//
// A TaskHandle stays valid to hold after its attempt is over (timed out, retried, the execution
// stopped or destroyed): its calls then return false and do nothing. All calls must be made on
// the thread that drives the execution; they may be made from inside TaskHandler::start() or
// resume() (the answer then takes effect right after the step that started the task), never
// from inside a HistorySink call.
//
// After a restart (Execution::resume, see history_sink.h) every attempt that was in flight is
// handed to the TaskHandler again, with its original TaskRequest (same input, same task token):
// through resume() when the request must not be sent again (a TaskSubmitted was recorded, or an
// activity worker had taken the task), else through start() again: a plain request-response
// task whose answer was not recorded runs at least once more (at-least-once).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/json/json_value.h"

namespace sluice::engine::executor {

class Execution;
namespace detail {
struct Run;
}

// Which family of history events a resource produces.
enum class TaskFamily : uint8_t {
  kService,         // arn:aws:states:::sqs:sendMessage ... : Task* events
  kActivity,        // arn:aws:states:REGION:ACCOUNT:activity:NAME : Activity* events
  kLambdaFunction,  // arn:aws:lambda:REGION:ACCOUNT:function:NAME : LambdaFunction* events
};

struct TaskResource {
  TaskFamily family = TaskFamily::kService;
  // For kService, as TaskScheduled reports them: "sqs" and "sendMessage.waitForTaskToken";
  // "states" and "startExecution.sync:2"; "aws-sdk:dynamodb" and "putItem". For the others, the
  // family's name ("activity", "lambda") and the function/activity name.
  std::string resource_type;
  std::string resource;
  bool wait_for_task_token = false;  // the integration pattern .waitForTaskToken
};

TaskResource parse_task_resource(std::string_view arn);
// "arn:PARTITION:SERVICE:REGION:ACCOUNT:TYPE:REST" split at its first six colons (REST keeps its
// own: "startExecution.sync:2", "function:NAME:QUALIFIER"); fewer parts when there are fewer.
std::vector<std::string_view> split_arn_fields(std::string_view arn);

struct TaskRequest {
  std::string resource;  // the Resource ARN as written
  TaskResource parsed;
  json::Value input;  // the effective input: after InputPath and Parameters
  // Non-empty for .waitForTaskToken tasks ($$.Task.Token) and activity tasks (the taskToken
  // GetActivityTask hands the worker). The engine makes it and records it, so it stays the same
  // when the execution resumes after a restart and SendTaskSuccess still finds the task.
  std::string task_token;
  std::optional<int64_t> timeout_seconds;
  std::optional<int64_t> heartbeat_seconds;
  std::string execution_arn;
  std::string state_name;
  int64_t retry_count = 0;
  // How many attempts of this state (by name: every Map iteration and retry counts) this
  // execution scheduled before this one: 0 for the first. Rebuilt by a replay, as every
  // decision is, so it survives a restart (mocked test cases answer by it).
  int64_t invocation = 0;
  // Id of this attempt's TaskScheduled (ActivityScheduled, LambdaFunctionScheduled) event: names
  // the attempt across restarts (HistorySink::on_task_heartbeat).
  int64_t scheduled_event_id = 0;
  // TestState at inspectionLevel TRACE: report the raw HTTP exchange (TaskHandle::inspected).
  bool inspect_exchange = false;
  // The execution resumed after a restart (Execution::resume): an attempt sent now may repeat one
  // the server sent before it stopped, whose TaskScheduled was not yet durable then, so a side
  // effect of that first send (a child execution it started) may already exist.
  bool after_restart = false;
};

// What the history recorded of an attempt that was in flight when the server stopped.
struct TaskProgress {
  bool started = false;                  // TaskStarted / ActivityStarted / LambdaFunctionStarted
  std::string worker_name;               // ActivityStarted's workerName
  std::optional<json::Value> submitted;  // TaskSubmitted's output (e.g. a nested execution's ARN)
};

class TaskHandle : public std::enable_shared_from_this<TaskHandle> {
 public:
  // Records TaskStarted (ActivityStarted with worker_name, LambdaFunctionStarted). Optional:
  // submitted/succeed/fail record it first when it has not been.
  bool started(std::string_view worker_name = {});
  // Records TaskSubmitted: the service accepted the request and the state waits on (a
  // .waitForTaskToken or .sync pattern); output is the service's response.
  bool submitted(json::Value output);
  // The task's result: the state continues with ResultSelector/ResultPath/OutputPath.
  bool succeed(json::Value output);
  // The task's error: Retry/Catch apply.
  bool fail(std::string error, std::string cause);
  // Restarts the HeartbeatSeconds clock (SendTaskHeartbeat).
  bool heartbeat();
  // TestState at TRACE (request.inspect_exchange): the raw HTTP exchange of this attempt,
  // {"request": {...}, "response": {...}} with InspectionDataRequest/Response members. Call it
  // before succeed/fail.
  void inspected(json::Value exchange);

  bool active() const { return active_; }
  const std::string& task_token() const { return token_; }

 private:
  friend class Execution;
  std::weak_ptr<Execution> execution_;
  std::weak_ptr<detail::Run> run_;
  std::string token_;
  bool active_ = true;
  bool started_ = false;
  bool delivered_ = false;  // handed to TaskHandler::start/resume in this process
};

class TaskHandler {
 public:
  virtual ~TaskHandler() = default;
  // Starts one attempt. The handler keeps `handle` for as long as it may answer.
  virtual void start(const TaskRequest& request, std::shared_ptr<TaskHandle> handle) = 0;
  // After a restart: the attempt was already under way (progress says how far) and must not be
  // sent again; register `handle` so the answer reaches it (SendTaskSuccess by request.task_token,
  // the activity worker's answer, the nested execution's end). Default: start() again.
  virtual void resume(const TaskRequest& request, const TaskProgress& progress,
                      std::shared_ptr<TaskHandle> handle) {
    (void)progress;
    start(request, std::move(handle));
  }
  // The attempt was abandoned (timeout, the execution stopped or timed out, a sibling branch
  // failed): stop the work if it can be stopped (e.g. stop a nested execution). Only called for
  // handles this TaskHandler was given (by start or resume).
  virtual void cancel(const TaskHandle& handle) { (void)handle; }
};

}  // namespace sluice::engine::executor
