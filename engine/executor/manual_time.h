// ManualClock and ManualTimerService: a clock that only moves when told to and the timers that
// go with it. Used by tests and in-process benchmarks to drive executions deterministically:
// advance_to() moves the clock and fires every timer that has come due, in time order (ties in
// scheduling order), including timers scheduled by the callbacks it runs.
//
// Single-threaded, like the executions that use them.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <utility>

#include "engine/executor/clock.h"

namespace sluice::engine::executor {

class ManualClock final : public Clock {
 public:
  explicit ManualClock(int64_t start_ms = 0) : now_(start_ms) {}
  int64_t now_ms() const override { return now_; }
  void set(int64_t ms) { now_ = ms; }

 private:
  int64_t now_;
};

class ManualTimerService final : public TimerService {
 public:
  explicit ManualTimerService(ManualClock& clock) : clock_(clock) {}

  TimerId schedule(int64_t at_ms, std::function<void()> callback) override;
  void cancel(TimerId id) override;

  // Moves the clock to ms (never backwards) and fires what is due. Returns the number fired.
  std::size_t advance_to(int64_t ms);
  std::size_t advance_by(int64_t ms) { return advance_to(clock_.now_ms() + ms); }
  // Fires what is due now without moving the clock.
  std::size_t run_due() { return advance_to(clock_.now_ms()); }

  std::size_t pending() const { return timers_.size(); }
  // Due time of the earliest pending timer, or -1 when none.
  int64_t next_due() const { return timers_.empty() ? -1 : timers_.begin()->first.first; }

 private:
  ManualClock& clock_;
  TimerId next_id_ = 1;
  std::map<std::pair<int64_t, TimerId>, std::function<void()>> timers_;
  std::map<TimerId, int64_t> due_by_id_;
};

}  // namespace sluice::engine::executor
