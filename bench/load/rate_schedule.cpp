#include "bench/load/rate_schedule.h"

#include <cmath>

namespace sluice::bench {

RateSchedule::RateSchedule(double rate_per_second, uint64_t start_ns)
    : interval_ns_(1e9L / static_cast<long double>(rate_per_second)), start_ns_(start_ns) {}

uint64_t RateSchedule::intended_ns(uint64_t index) const {
  return start_ns_ +
         static_cast<uint64_t>(std::floor(static_cast<long double>(index) * interval_ns_));
}

uint64_t RateSchedule::due_by(uint64_t now_ns) const {
  if (now_ns < start_ns_) return 0;
  // Estimate by division, then settle exactly on intended_ns() so the two never disagree.
  auto n = static_cast<uint64_t>(static_cast<long double>(now_ns - start_ns_) / interval_ns_) + 1;
  while (intended_ns(n) <= now_ns) ++n;
  while (n > 0 && intended_ns(n - 1) > now_ns) --n;
  return n;
}

uint64_t RateSchedule::backlog(uint64_t now_ns) const {
  const uint64_t due = due_by(now_ns);
  return due > next_ ? due - next_ : 0;
}

}  // namespace sluice::bench
