#include "bench/load/precise_timer.h"

#include <sys/timerfd.h>
#include <unistd.h>

namespace sluice::bench {

struct PreciseTimer::State {
  uv_poll_t poll;
  int fd = -1;
  bool closed = false;  // on_fire may close the timer while it runs: never destroy it mid-call
  std::function<void()> on_fire;
};

PreciseTimer::PreciseTimer(uv_loop_t* loop, std::function<void()> on_fire) {
  const int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  if (fd < 0) return;
  auto* s = new State;
  s->fd = fd;
  s->on_fire = std::move(on_fire);
  if (uv_poll_init(loop, &s->poll, fd) != 0) {
    ::close(fd);
    delete s;
    return;
  }
  s->poll.data = s;
  uv_poll_start(&s->poll, UV_READABLE, [](uv_poll_t* handle, int status, int) {
    auto* st = static_cast<State*>(handle->data);
    uint64_t expirations = 0;
    if (status < 0 || ::read(st->fd, &expirations, sizeof(expirations)) != sizeof(expirations)) {
      return;  // spurious wake-up or disarmed in between
    }
    if (!st->closed) st->on_fire();
  });
  state_ = s;
}

PreciseTimer::~PreciseTimer() {
  close();
}

void PreciseTimer::arm_at(uint64_t hrtime_ns) {
  if (!state_) return;
  // An all-zero it_value would disarm: the past is "1 ns after boot", which is already due.
  if (hrtime_ns == 0) hrtime_ns = 1;
  itimerspec spec{};
  spec.it_value.tv_sec = static_cast<time_t>(hrtime_ns / 1000000000u);
  spec.it_value.tv_nsec = static_cast<long>(hrtime_ns % 1000000000u);
  timerfd_settime(state_->fd, TFD_TIMER_ABSTIME, &spec, nullptr);
}

void PreciseTimer::disarm() {
  if (!state_) return;
  itimerspec spec{};
  timerfd_settime(state_->fd, 0, &spec, nullptr);
}

void PreciseTimer::close() {
  if (!state_) return;
  State* s = state_;
  state_ = nullptr;
  s->closed = true;
  uv_close(reinterpret_cast<uv_handle_t*>(&s->poll), [](uv_handle_t* handle) {
    auto* st = static_cast<State*>(handle->data);
    ::close(st->fd);
    delete st;
  });
}

}  // namespace sluice::bench
