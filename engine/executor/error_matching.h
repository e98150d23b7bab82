// Error matching and retry timing for Retry and Catch: which ErrorEquals lists match an error
// name (with the wildcards States.ALL and States.TaskFailed), which errors no rule may catch, and
// the delay before a retry attempt (IntervalSeconds, BackoffRate, MaxDelaySeconds, JitterStrategy).
// Pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/asl/definition.h"

namespace sluice::engine::executor {

// States.Runtime: AWS never retries nor catches it; the execution fails.
bool is_uncatchable(std::string_view error);

// States.ALL matches everything but States.Runtime and States.DataLimitExceeded; States.TaskFailed
// matches as States.ALL does except States.Timeout; any other name matches itself only.
// A heartbeat that lapsed is recorded as States.Timeout, as AWS records it; States.HeartbeatTimeout
// is a name only Retry and Catch see (AWS: "only available inside the Catch and Retry fields"),
// so `heartbeat` lets it match as well.
bool error_matches(const std::vector<std::string>& error_equals, std::string_view error,
                   bool heartbeat = false);

// Delay in milliseconds before retry number `attempt` (1 for the first retry) under retrier r:
// IntervalSeconds * BackoffRate^(attempt-1), capped at MaxDelaySeconds; with FULL jitter a
// uniform fraction (unit in [0,1)) of that.
int64_t retry_delay_ms(const asl::Retrier& r, int64_t attempt, double unit);

}  // namespace sluice::engine::executor
