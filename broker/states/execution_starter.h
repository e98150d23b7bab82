// ExecutionStarter: how the task integrations start and follow executions of other state machines
// (arn:aws:states:::states:startExecution, .sync, .sync:2, .waitForTaskToken) without an HTTP hop.
// Implemented by the execution runner; used by the task router. Thread: the reactor thread.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "broker/states/sfn_error.h"

namespace sluice::states {

struct ChildStart {
  std::string state_machine_arn;     // may be a version or alias ARN
  std::optional<std::string> name;   // absent: a generated UUID
  std::string input;                 // JSON text, as StartExecution takes it
  std::string parent_execution_arn;  // $$.Execution.Id of the parent
                                     // (AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID)
};

class ExecutionStarter {
 public:
  virtual ~ExecutionStarter() = default;
  // Starts the execution as StartExecution would (same validation, same errors, same idempotency).
  // `started` gets StartExecution's output ({executionArn, startDate}) or its error.
  virtual void start_child(ChildStart request, std::function<void(SfnOutcome)> started) = 0;
  // Calls `finished` once, with DescribeExecution's output for `execution_arn`, when that execution
  // is no longer RUNNING (at once if it already is not). Survives nothing: after a restart, callers
  // watch again. Returns false when there is no such execution.
  virtual bool watch(const std::string& execution_arn,
                     std::function<void(json::Value description)> finished) = 0;
  // The start date (epoch ms) of the Standard execution `execution_arn` when it exists and was
  // started with `input` (JSON-equal); nullopt otherwise.
  virtual std::optional<int64_t> started_with(const std::string& execution_arn,
                                              const std::string& input) = 0;
  // StopExecution on the child (the parent's task was cancelled).
  virtual void stop_child(const std::string& execution_arn, std::string error,
                          std::string cause) = 0;
};

}  // namespace sluice::states
