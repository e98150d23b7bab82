// ExecutionStatus: where a Step Functions execution stands, as stored with its outcome and as
// DescribeExecution reports it. Defined here, at the bottom of the layers, because the stored
// outcome carries it; the engine (engine/executor/execution_status.h) uses this same type.
#pragma once

#include <cstdint>

namespace sluice::storage {

enum class ExecutionStatus : uint8_t { kRunning, kSucceeded, kFailed, kTimedOut, kAborted };

}  // namespace sluice::storage
