// SIGINT/SIGTERM watchers and the SIGPIPE ignore.
#include "broker/server/signals.h"

#include <csignal>
#include <string>
#include <utility>

namespace sluice::server {

struct ShutdownSignals::Handles {
  uv_signal_t sigint;
  uv_signal_t sigterm;
  Callback on_signal;
  Callback on_repeat;
  bool fired = false;
  int open = 0;  // handles initialized and not yet closed

  static void on(uv_signal_t* s, int signum) {
    auto* h = static_cast<Handles*>(s->data);
    if (!h->fired) {
      h->fired = true;
      if (h->on_signal) h->on_signal(signum);
    } else if (h->on_repeat) {
      h->on_repeat(signum);
    }
  }

  void close_all() {
    auto on_close = [](uv_handle_t* handle) {
      auto* h = static_cast<Handles*>(handle->data);
      if (--h->open == 0) delete h;
    };
    // Count first: a close callback never runs synchronously, but be exact anyway.
    uv_signal_t* sigs[] = {&sigint, &sigterm};
    int n = open;
    for (int i = 0; i < n; ++i) {
      uv_signal_stop(sigs[i]);
      uv_close(reinterpret_cast<uv_handle_t*>(sigs[i]), on_close);
    }
    if (n == 0) delete this;
  }
};

Result<std::unique_ptr<ShutdownSignals>> ShutdownSignals::install(uv_loop_t* loop,
                                                                  Callback on_signal,
                                                                  Callback on_repeat) {
  std::signal(SIGPIPE, SIG_IGN);
  auto* h = new Handles;
  h->on_signal = std::move(on_signal);
  h->on_repeat = std::move(on_repeat);
  uv_signal_t* sigs[] = {&h->sigint, &h->sigterm};
  const int nums[] = {SIGINT, SIGTERM};
  for (int i = 0; i < 2; ++i) {
    int rc = uv_signal_init(loop, sigs[i]);
    if (rc == 0) {
      sigs[i]->data = h;
      ++h->open;
      uv_unref(reinterpret_cast<uv_handle_t*>(sigs[i]));
      rc = uv_signal_start(sigs[i], &Handles::on, nums[i]);
    }
    if (rc != 0) {
      h->close_all();
      return make_error(ErrorCode::kInternal, std::string("cannot watch ") +
                                                  (nums[i] == SIGINT ? "SIGINT" : "SIGTERM") +
                                                  ": " + uv_strerror(rc));
    }
  }
  return std::unique_ptr<ShutdownSignals>(new ShutdownSignals(h));
}

ShutdownSignals::~ShutdownSignals() {
  handles_->close_all();
}

bool ShutdownSignals::fired() const {
  return handles_->fired;
}

}  // namespace sluice::server
