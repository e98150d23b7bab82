// SystemClock and ReactorTimers: the time services executions run on in the server. The clock is
// the wall clock (epoch milliseconds, as history timestamps and Wait Timestamp states need).
// ReactorTimers keeps every execution timer (Wait states, retry back-off, timeouts, heartbeats) in
// one min-heap behind ONE uv_timer armed at the earliest deadline: scheduling and cancelling cost
// a heap push and a hash-map erase, never a libuv handle (a uv_timer per timer would need an
// allocation and an asynchronous uv_close per cancel; bench/micro's timer benchmark measures both).
// A timer that is already due fires on the next turn of the loop, never inside schedule() and
// never in the same turn as the callback that scheduled it, so rescheduling cannot starve I/O.
// Cancelled entries stay in the heap until they surface or a compaction drops them.
//
// Thread: the reactor thread only. shutdown() closes the handle (the loop must run once more to
// finish closing it); timers scheduled afterwards never fire.
#pragma once

#include <uv.h>

#include <cstdint>
#include <functional>
#include <queue>
#include <unordered_map>
#include <vector>

#include "engine/executor/clock.h"

namespace sluice::states {

class SystemClock final : public engine::executor::Clock {
 public:
  int64_t now_ms() const override;
};

class ReactorTimers final : public engine::executor::TimerService {
 public:
  ReactorTimers(uv_loop_t* loop, const engine::executor::Clock& clock);
  ~ReactorTimers() override;
  ReactorTimers(const ReactorTimers&) = delete;
  ReactorTimers& operator=(const ReactorTimers&) = delete;

  engine::executor::TimerId schedule(int64_t at_ms, std::function<void()> callback) override;
  void cancel(engine::executor::TimerId id) override;

  void shutdown();
  std::size_t pending() const { return live_.size(); }

  // Fires every timer due at the clock's current time (the uv_timer callback; exposed for tests).
  void fire_due();

 private:
  struct Entry {
    int64_t due;
    engine::executor::TimerId id;
    bool operator>(const Entry& o) const { return due != o.due ? due > o.due : id > o.id; }
  };
  struct Live {
    int64_t due;
    std::function<void()> callback;
  };
  void rearm();
  void compact();

  uv_loop_t* loop_;
  const engine::executor::Clock& clock_;
  uv_timer_t* handle_ = nullptr;  // heap: freed by its close callback
  // Deadlines already past run from an idle callback on the next loop turn: a uv_timer restarted
  // with timeout 0 inside its own callback would run again in the same turn (libuv 1.44).
  uv_idle_t* immediate_ = nullptr;
  bool closed_ = false;
  int64_t armed_for_ = INT64_MAX;
  engine::executor::TimerId next_id_ = 1;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> heap_;
  std::unordered_map<engine::executor::TimerId, Live> live_;
};

}  // namespace sluice::states
