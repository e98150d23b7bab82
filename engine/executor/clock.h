// Clock and TimerService: the only ways an Execution learns the time and waits for it. The
// executor never sleeps or blocks; Wait states, retry back-off, task timeouts, heartbeats and the
// machine-level TimeoutSeconds all become timers. The server injects a reactor-backed
// implementation (libuv timers on the reactor thread); tests inject manual_time.h's fakes.
//
// Both are called only on the thread that owns the executions using them.
#pragma once

#include <cstdint>
#include <functional>

namespace sluice::engine::executor {

class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since the Unix epoch, UTC.
  virtual int64_t now_ms() const = 0;
};

// 0 is never a valid id. Ids from 2^62 up are the Execution's own (timers it holds back while
// replaying a stored history); a TimerService hands out smaller ones.
using TimerId = uint64_t;

class TimerService {
 public:
  virtual ~TimerService() = default;
  // Calls callback once, at or after at_ms (an epoch time on the injected Clock's scale). A time
  // in the past fires as soon as possible, never from inside schedule().
  virtual TimerId schedule(int64_t at_ms, std::function<void()> callback) = 0;
  // Drops a pending timer; unknown or already-fired ids are ignored.
  virtual void cancel(TimerId id) = 0;
};

// Source of uniform doubles in [0, 1): Retry's JitterStrategy FULL.
class RandomSource {
 public:
  virtual ~RandomSource() = default;
  virtual double next_unit() = 0;
};

}  // namespace sluice::engine::executor
