// LoadRunner: drives one Workload against the endpoint on a libuv loop and measures it. It owns the
// connections (one pool per PoolSpec, --pipeline requests in flight each), the clock (warm-up,
// duration, open-loop schedule with a microsecond timer, request timeouts, stall detection), the
// live progress line, and the RunStats. Closed loop: a connection sends its next request as soon
// as a pipeline slot frees up; latency runs from the actual send. Open loop (rate > 0): requests
// of rate-limited pools are due at fixed intervals and latency runs from the intended time,
// queueing in the generator included. run() returns when the workload is done, the duration is
// over, the run stalls or a signal arrives; in-flight requests are drained (long polls are
// cancelled) and all handles closed. Single-threaded: everything happens on the loop thread (a
// --threads run has one LoadRunner per worker thread, see threaded_run.h).
#pragma once

#include <netinet/in.h>
#include <uv.h>

#include <cstdint>
#include <memory>
#include <string>

#include "bench/load/progress_board.h"
#include "bench/load/run_stats.h"
#include "bench/load/workload.h"

namespace sluice::bench {

struct RunConfig {
  sockaddr_storage address{};
  uint32_t pipeline = 1;
  double rate = 0;        // requests/s over the rate-limited pools together; 0 = closed loop
  double duration_s = 0;  // measured time; 0 = until the workload is done
  double warmup_s = 0;
  double timeout_s = 30;   // per request (+ its WaitTimeSeconds); also the stall limit
  bool progress = false;   // live line on stderr once per second
  bool fail_fast = false;  // stop at the first lost request or connect error (setup phases)
  std::string label;       // progress line prefix
  // With --threads: publish progress here (slot board_slot) instead of printing it.
  ProgressBoard* board = nullptr;
  size_t board_slot = 0;
};

struct RunResult {
  std::unique_ptr<RunStats> stats;
  StopReason reason = StopReason::kDone;
  double elapsed_s = 0;    // measured time: end of warm-up to the last counted response
  uint64_t cancelled = 0;  // long polls still waiting at the end, dropped uncounted
};

class LoadRunner {
 public:
  LoadRunner(uv_loop_t* loop, RunConfig config) : loop_(loop), config_(std::move(config)) {}

  RunResult run(Workload& workload);

 private:
  uv_loop_t* loop_;
  RunConfig config_;
};

}  // namespace sluice::bench
