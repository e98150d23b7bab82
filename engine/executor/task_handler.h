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
// the thread that drives the execution; they may be made from inside TaskHandler::start().
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

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
  // "states" and "startExecution.sync:2". For the others, the family's name ("activity",
  // "lambda") and the function/activity name.
  std::string resource_type;
  std::string resource;
  bool wait_for_task_token = false;  // the integration pattern .waitForTaskToken
};

TaskResource parse_task_resource(std::string_view arn);

struct TaskRequest {
  std::string resource;  // the Resource ARN as written
  TaskResource parsed;
  json::Value input;       // the effective input: after InputPath and Parameters
  std::string task_token;  // non-empty when the resource needs one (.waitForTaskToken)
  std::optional<int64_t> timeout_seconds;
  std::optional<int64_t> heartbeat_seconds;
  std::string execution_arn;
  std::string state_name;
  int64_t retry_count = 0;
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

  bool active() const { return active_; }
  const std::string& task_token() const { return token_; }

 private:
  friend class Execution;
  std::weak_ptr<Execution> execution_;
  std::weak_ptr<detail::Run> run_;
  std::string token_;
  bool active_ = true;
  bool started_ = false;
};

class TaskHandler {
 public:
  virtual ~TaskHandler() = default;
  // Starts one attempt. The handler keeps `handle` for as long as it may answer.
  virtual void start(const TaskRequest& request, std::shared_ptr<TaskHandle> handle) = 0;
  // The attempt was abandoned (timeout, the execution stopped or timed out, a sibling branch
  // failed): stop the work if it can be stopped (e.g. stop a nested execution).
  virtual void cancel(const TaskHandle& handle) { (void)handle; }
};

}  // namespace sluice::engine::executor
