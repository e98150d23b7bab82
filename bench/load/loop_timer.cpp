#include "bench/load/loop_timer.h"

namespace sluice::bench {

struct LoopTimer::State {
  uv_timer_t timer;
  bool closed = false;  // never destroy on_fire while it runs
  std::function<void()> on_fire;
};

LoopTimer::LoopTimer(uv_loop_t* loop, std::function<void()> on_fire) : state_(new State) {
  state_->on_fire = std::move(on_fire);
  uv_timer_init(loop, &state_->timer);
  state_->timer.data = state_;
}

void LoopTimer::start(uint64_t delay_ms, uint64_t repeat_ms) {
  if (!state_) return;
  uv_timer_start(
      &state_->timer,
      [](uv_timer_t* t) {
        auto* s = static_cast<State*>(t->data);
        if (!s->closed) s->on_fire();
      },
      delay_ms, repeat_ms);
}

void LoopTimer::stop() {
  if (state_) uv_timer_stop(&state_->timer);
}

void LoopTimer::close() {
  if (!state_) return;
  State* s = state_;
  state_ = nullptr;
  s->closed = true;
  uv_close(reinterpret_cast<uv_handle_t*>(&s->timer),
           [](uv_handle_t* h) { delete static_cast<State*>(h->data); });
}

struct SignalWatch::State {
  uv_signal_t signal;
  bool closed = false;
  std::function<void()> on_signal;
};

SignalWatch::SignalWatch(uv_loop_t* loop, int signum, std::function<void()> on_signal)
    : state_(new State) {
  state_->on_signal = std::move(on_signal);
  uv_signal_init(loop, &state_->signal);
  state_->signal.data = state_;
  uv_signal_start(
      &state_->signal,
      [](uv_signal_t* h, int) {
        auto* s = static_cast<State*>(h->data);
        if (!s->closed) s->on_signal();
      },
      signum);
}

void SignalWatch::close() {
  if (!state_) return;
  State* s = state_;
  state_ = nullptr;
  s->closed = true;
  uv_close(reinterpret_cast<uv_handle_t*>(&s->signal),
           [](uv_handle_t* h) { delete static_cast<State*>(h->data); });
}

}  // namespace sluice::bench
