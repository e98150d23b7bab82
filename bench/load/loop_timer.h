// LoopTimer and SignalWatch: RAII wrappers of a uv_timer_t and a uv_signal_t whose callbacks are
// std::functions. The handle memory is released by the loop after close(); a callback may close
// its own handle. Loop thread only.
#pragma once

#include <uv.h>

#include <cstdint>
#include <functional>

namespace sluice::bench {

class LoopTimer {
 public:
  LoopTimer(uv_loop_t* loop, std::function<void()> on_fire);
  ~LoopTimer() { close(); }
  LoopTimer(const LoopTimer&) = delete;
  LoopTimer& operator=(const LoopTimer&) = delete;

  // Fires after `delay_ms`, then every `repeat_ms` (0: once).
  void start(uint64_t delay_ms, uint64_t repeat_ms = 0);
  void stop();
  void close();

 private:
  struct State;
  State* state_ = nullptr;
};

class SignalWatch {
 public:
  SignalWatch(uv_loop_t* loop, int signum, std::function<void()> on_signal);
  ~SignalWatch() { close(); }
  SignalWatch(const SignalWatch&) = delete;
  SignalWatch& operator=(const SignalWatch&) = delete;

  void close();

 private:
  struct State;
  State* state_ = nullptr;
};

}  // namespace sluice::bench
