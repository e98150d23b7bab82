// ProgressBoard: the live progress of a --threads run. Every worker loop publishes its totals and
// the latencies of its last interval into its own slot once a second (under the slot's lock); the
// main thread takes the sums over all slots once a second and prints one line. Touched by the
// worker threads (publish) and the main thread (take).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "bench/load/latency_histogram.h"

namespace sluice::bench {

struct ProgressSample {
  uint64_t responses = 0;
  uint64_t sent = 0;
  uint64_t received = 0;
  uint64_t errors = 0;
  uint64_t in_flight = 0;
  uint64_t backlog = 0;
  bool measuring = false;  // take(): every worker is past its warm-up
};

class ProgressBoard {
 public:
  explicit ProgressBoard(size_t slots);

  // Worker `slot`: its totals now, and the latencies recorded since its previous publish.
  void publish(size_t slot, const ProgressSample& totals, const LatencyHistogram& window);
  // Main thread: the totals summed over the workers; `window` receives the latencies published
  // since the previous take.
  ProgressSample take(LatencyHistogram& window);

 private:
  struct Slot {
    std::mutex mutex;
    ProgressSample totals;
    LatencyHistogram window;
  };
  std::vector<std::unique_ptr<Slot>> slots_;
};

}  // namespace sluice::bench
