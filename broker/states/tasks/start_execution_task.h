// Nested executions: arn:aws:states:::states:startExecution and its .sync, .sync:2 and
// .waitForTaskToken forms, through the ExecutionStarter (no HTTP hop). Parameters StateMachineArn,
// Name, Input (a string is passed as is, any other JSON value serialized; absent: "{}").
//
// Outputs, as AWS's integration returns them (dates as epoch milliseconds):
//  - request-response: {ExecutionArn, StartDate, SdkHttpMetadata, SdkResponseMetadata};
//  - .waitForTaskToken: the same as TaskSubmitted's output; the result comes by SendTaskSuccess;
//  - .sync: the child's DescribeExecution output in PascalCase (ExecutionArn, Input, InputDetails,
//    Name, Output, OutputDetails, StartDate, StateMachineArn, Status, StopDate, ...) with Input and
//    Output as JSON text; .sync:2: the same with Input and Output as JSON values.
// A child that ends FAILED, TIMED_OUT or ABORTED fails the task with States.TaskFailed and, as the
// cause, that same description serialized (it carries the child's Error and Cause). A refused
// StartExecution fails it with StepFunctions.<Error>Exception and the SDK's cause text. Cancelling
// the task stops a .sync child.
//
// Thread: the reactor thread.
#pragma once

#include <functional>
#include <memory>

#include "broker/states/tasks/task_call.h"

namespace sluice::states {
class ExecutionStarter;
}

namespace sluice::states::tasks {

class NestedExecutions {
 public:
  // `starter` is asked at each use: the execution runner may be wired after the router.
  explicit NestedExecutions(std::function<ExecutionStarter*()> starter)
      : starter_(std::move(starter)) {}

  // Starts the child (named after the attempt when the Name parameter is absent). In a parent that
  // resumed after a restart (TaskRequest::after_restart), an attempt that finds a child of its
  // name and input already there, ended, follows it instead of failing with
  // ExecutionAlreadyExists: the server had started it before it stopped.
  void start(const std::shared_ptr<TaskCall>& call);
  // After a restart. .waitForTaskToken: nothing to do (the token is registered). .sync: watch the
  // child again, found from `submitted` (the TaskSubmitted output, which holds its ExecutionArn) or
  // from the Name parameter; a child that cannot be found is started again. Request-response: the
  // call is made again (StartExecution is idempotent for the same name and input).
  void resume(const std::shared_ptr<TaskCall>& call, const json::Value* submitted);

 private:
  enum class Pattern { kRequestResponse, kSync, kSync2, kWaitForTaskToken };
  static Pattern pattern_of(const std::shared_ptr<TaskCall>& call);
  // False when there is no such execution (or no starter).
  bool watch(const std::shared_ptr<TaskCall>& call, const std::string& execution_arn,
             Pattern pattern);

  std::function<ExecutionStarter*()> starter_;
};

// The child's description (describe_execution_value: camelCase, dates as epoch milliseconds) in
// the integration's shape, as AWS records it: PascalCase keys in sorted order, epoch-millisecond
// dates, InputDetails/OutputDetails beside Input/Output, no redrive members, and for .sync:2
// Input/Output parsed. Exposed for tests.
json::Value describe_output_for_task(const json::Value& description, bool json_payloads);

}  // namespace sluice::states::tasks
