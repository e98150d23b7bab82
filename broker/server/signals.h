// ShutdownSignals: SIGINT/SIGTERM watchers on a uv loop that start the graceful drain, and the
// process-wide SIGPIPE ignore (a peer that vanishes mid-write must give EPIPE, not kill us).
// Thread: created, run and destroyed on the loop thread.
//
// on_signal runs once, on the loop, for the first SIGINT or SIGTERM. Later ones go to
// on_repeat when given (e.g. a second Ctrl-C forces exit while a drain waits), else are
// ignored. The watchers do not keep the loop alive (uv_unref), so uv_run still returns once
// the server has drained. Destroy before closing the loop; the loop must run once more to
// free the handles.
#pragma once

#include <functional>
#include <memory>

#include <uv.h>

#include "storage/result.h"

namespace sluice::server {

class ShutdownSignals {
 public:
  using Callback = std::function<void(int signum)>;

  static Result<std::unique_ptr<ShutdownSignals>> install(uv_loop_t* loop, Callback on_signal,
                                                          Callback on_repeat = {});
  ~ShutdownSignals();
  ShutdownSignals(const ShutdownSignals&) = delete;
  ShutdownSignals& operator=(const ShutdownSignals&) = delete;

  bool fired() const;

 private:
  struct Handles;
  explicit ShutdownSignals(Handles* h) : handles_(h) {}
  Handles* handles_;  // freed by the handles' close callbacks
};

}  // namespace sluice::server
