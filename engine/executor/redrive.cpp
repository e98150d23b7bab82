// See redrive.h. The order of the checks is the order AWS lists the reasons in.
#include "engine/executor/redrive.h"

namespace sluice::engine::executor {

std::optional<std::string> redrive_refusal(const RedriveFacts& f) {
  if (f.state_machine_deleting) return "State machine is in DELETING status";
  if (f.status == ExecutionStatus::kRunning || f.status == ExecutionStatus::kSucceeded) {
    return "Execution is " + std::string(execution_status_name(f.status)) +
           " and cannot be redriven";
  }
  if (f.event_count >= kRedriveHistoryLimit) return "Execution history event limit exceeded";
  if (f.stop_ms - f.start_ms >= kMaxExecutionOpenMs)
    return "Execution has exceeded the max execution time";
  if (f.now_ms - f.stop_ms > kRedrivablePeriodMs) return "Execution redrivable period exceeded";
  return std::nullopt;
}

}  // namespace sluice::engine::executor
