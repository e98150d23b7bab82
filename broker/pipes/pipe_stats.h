// PipeStats: what a pipe has done since the process started, for /metrics. Counted by its
// PipeRunner on the reactor thread, read by the metrics endpoint on the same thread. (The age of
// the oldest message waiting for it is the source queue's: QueueStore::oldest_sent_ms.)
#pragma once

#include <cstdint>

namespace sluice::pipes {

struct PipeStats {
  uint64_t messages_consumed = 0;   // taken from the source and removed from it (committed)
  uint64_t messages_filtered = 0;   // of which matched no filter (removed, not delivered)
  uint64_t messages_failed = 0;     // given back after a failed delivery (receive counted)
  uint64_t batches = 0;             // handed to the target (or enrichment)
  uint64_t batches_failed = 0;      // that failed, wholly or in part
  uint64_t executions_started = 0;  // state machine target: executions started
  uint64_t invocations = 0;         // Lambda and SQS targets: calls made
  uint64_t batches_in_flight = 0;   // now
};

}  // namespace sluice::pipes
