// See error_matching.h.
#include "engine/executor/error_matching.h"

#include <cmath>

namespace sluice::engine::executor {

bool is_uncatchable(std::string_view error) {
  return error == "States.Runtime";
}

bool error_matches(const std::vector<std::string>& error_equals, std::string_view error,
                   bool heartbeat) {
  if (is_uncatchable(error)) return false;
  for (const auto& name : error_equals) {
    if (name == error) return true;
    if (heartbeat && name == "States.HeartbeatTimeout") return true;
    if (name == "States.ALL" && error != "States.DataLimitExceeded") return true;
    if (name == "States.TaskFailed" && error != "States.Timeout" &&
        error != "States.DataLimitExceeded")
      return true;
  }
  return false;
}

int64_t retry_delay_ms(const asl::Retrier& r, int64_t attempt, double unit) {
  double seconds = static_cast<double>(r.interval_seconds) *
                   std::pow(r.backoff_rate, static_cast<double>(attempt - 1));
  if (r.max_delay_seconds && seconds > static_cast<double>(*r.max_delay_seconds))
    seconds = static_cast<double>(*r.max_delay_seconds);
  if (r.full_jitter) seconds *= unit;
  double ms = std::round(seconds * 1000.0);
  if (ms > 9.0e15) ms = 9.0e15;  // a huge BackoffRate must not overflow the timer
  return static_cast<int64_t>(ms);
}

}  // namespace sluice::engine::executor
