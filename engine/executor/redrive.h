// RedriveExecution's eligibility rules (AWS developer guide, "Redriving executions"): whether a
// stopped Standard execution may be redriven, and if not, why, in the words DescribeExecution's
// redriveStatusReason uses. The API layer answers ExecutionNotRedrivable with the reason and
// shows redriveStatus NOT_REDRIVABLE / REDRIVABLE from it. Pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "engine/executor/execution_status.h"

namespace sluice::engine::executor {

// AWS limits.
inline constexpr int64_t kRedrivablePeriodMs = 14LL * 24 * 3600 * 1000;   // after it stopped
inline constexpr int64_t kMaxExecutionOpenMs = 365LL * 24 * 3600 * 1000;  // one year
inline constexpr std::size_t kRedriveHistoryLimit = 24999;  // events, to fit ExecutionRedriven

struct RedriveFacts {
  ExecutionStatus status = ExecutionStatus::kFailed;
  bool state_machine_deleting = false;
  int64_t start_ms = 0;
  int64_t stop_ms = 0;
  int64_t now_ms = 0;
  std::size_t event_count = 0;  // events in the history so far
};

// nullopt: the execution can be redriven. Else the reason, e.g. "Execution is SUCCEEDED and
// cannot be redriven".
std::optional<std::string> redrive_refusal(const RedriveFacts& facts);

}  // namespace sluice::engine::executor
