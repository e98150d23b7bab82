// RateSchedule: the open-loop timetable. Request i is due at start + i * 1e9 / rate nanoseconds,
// whatever happened to earlier requests; latency is measured from that intended time, so a stalled
// server cannot hide its stall by slowing the generator down (no coordinated omission). The cursor
// counts how many due requests have been handed out; the rest form the backlog.
#pragma once

#include <cstdint>

namespace sluice::bench {

class RateSchedule {
 public:
  // rate_per_second > 0.
  RateSchedule(double rate_per_second, uint64_t start_ns);

  uint64_t start_ns() const { return start_ns_; }
  // Intended send time of request `index` (0-based).
  uint64_t intended_ns(uint64_t index) const;
  // How many requests are due at `now_ns` (those with intended_ns(i) <= now_ns).
  uint64_t due_by(uint64_t now_ns) const;

  // The cursor: the index of the next request to hand out.
  uint64_t next_index() const { return next_; }
  // Due requests not yet handed out.
  uint64_t backlog(uint64_t now_ns) const;
  // Hands out the next request: returns its intended time and advances the cursor.
  uint64_t take() { return intended_ns(next_++); }

 private:
  long double interval_ns_;
  uint64_t start_ns_;
  uint64_t next_ = 0;
};

}  // namespace sluice::bench
