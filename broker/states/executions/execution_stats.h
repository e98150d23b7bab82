// ExecutionStats: counts of executions since the process started, by type (STANDARD, EXPRESS) and
// outcome, and how many run now; what /metrics shows of Step Functions. The ExecutionRunner
// keeps them (ExecutionRunner::stats()). Thread: the reactor thread only.
#pragma once

#include <cstdint>

#include "engine/executor/execution_status.h"

namespace sluice::states {

struct ExecutionCounts {
  uint64_t started = 0;
  uint64_t succeeded = 0;
  uint64_t failed = 0;
  uint64_t timed_out = 0;
  uint64_t aborted = 0;
  uint64_t running = 0;  // filled by ExecutionRunner::stats()

  void ended(engine::executor::ExecutionStatus status) {
    using engine::executor::ExecutionStatus;
    switch (status) {
      case ExecutionStatus::kSucceeded:
        ++succeeded;
        break;
      case ExecutionStatus::kFailed:
        ++failed;
        break;
      case ExecutionStatus::kTimedOut:
        ++timed_out;
        break;
      case ExecutionStatus::kAborted:
        ++aborted;
        break;
      case ExecutionStatus::kRunning:
        break;
    }
  }
};

struct ExecutionStats {
  ExecutionCounts standard;
  ExecutionCounts express;
};

}  // namespace sluice::states
