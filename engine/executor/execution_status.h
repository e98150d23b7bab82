// ExecutionStatus: the status DescribeExecution reports (the stored one: storage owns the type,
// since the execution store keeps it), and the terminal record of an execution (what
// DescribeExecution shows once it stops).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/json/json_value.h"
#include "storage/executions/execution_status.h"

namespace sluice::engine::executor {

using ExecutionStatus = storage::ExecutionStatus;

// "RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED".
constexpr std::string_view execution_status_name(ExecutionStatus s) {
  switch (s) {
    case ExecutionStatus::kRunning:
      return "RUNNING";
    case ExecutionStatus::kSucceeded:
      return "SUCCEEDED";
    case ExecutionStatus::kFailed:
      return "FAILED";
    case ExecutionStatus::kTimedOut:
      return "TIMED_OUT";
    case ExecutionStatus::kAborted:
      return "ABORTED";
  }
  return "RUNNING";
}

struct ExecutionOutcome {
  ExecutionStatus status = ExecutionStatus::kRunning;
  int64_t stop_ms = 0;
  std::optional<json::Value> output;  // SUCCEEDED only
  std::optional<std::string> error;   // FAILED/TIMED_OUT/ABORTED, when there is one
  std::optional<std::string> cause;
};

}  // namespace sluice::engine::executor
