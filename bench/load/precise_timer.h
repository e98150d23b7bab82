// PreciseTimer: a one-shot timer with microsecond precision on the libuv loop. libuv timers tick in
// milliseconds, which would add up to 1 ms of the generator's own lateness to every open-loop
// latency; this arms a Linux timerfd at an absolute uv_hrtime() (CLOCK_MONOTONIC) instead and
// watches it with uv_poll. Loop thread only; the handle memory is freed by the loop after close().
#pragma once

#include <uv.h>

#include <cstdint>
#include <functional>

namespace sluice::bench {

class PreciseTimer {
 public:
  // Fails only if the kernel refuses a timerfd (then ok() is false and arm_at() does nothing).
  PreciseTimer(uv_loop_t* loop, std::function<void()> on_fire);
  ~PreciseTimer();
  PreciseTimer(const PreciseTimer&) = delete;
  PreciseTimer& operator=(const PreciseTimer&) = delete;

  bool ok() const { return state_ != nullptr; }
  // Fires once at `hrtime_ns` (now or in the past: on the next loop iteration). Re-arming replaces.
  void arm_at(uint64_t hrtime_ns);
  void disarm();
  // Releases the handle (idempotent); no callback after this.
  void close();

 private:
  struct State;
  State* state_ = nullptr;
};

}  // namespace sluice::bench
