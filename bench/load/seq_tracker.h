// SeqTracker: which of this run's messages the server acknowledged and which came back, by sequence
// number (dense from 0), as two bitsets. It tells a redelivery (received twice: allowed by SQS
// standard queues, reported, not an error) from a loss (acknowledged, never received, after a run
// that drained everything). Sequence numbers beyond kMaxTracked (2^27, 32 MiB of bits) are not
// tracked. Shared by the loop threads of one run (--threads: a message may come back to another
// thread than the one that sent it), so every method takes a lock.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <vector>

namespace sluice::bench {

class SeqTracker {
 public:
  static constexpr uint64_t kMaxTracked = uint64_t{1} << 27;

  void acknowledged(uint64_t seq);
  // Returns true the first time `seq` is received, false for a redelivery (or an untracked seq).
  bool received(uint64_t seq);

  uint64_t acknowledged_count() const { return acknowledged_.load(); }
  uint64_t received_count() const { return received_.load(); }
  // Acknowledged but never received.
  uint64_t missing() const;

 private:
  mutable std::mutex mutex_;

  static bool set(std::vector<uint64_t>& bits, uint64_t seq);  // returns the previous bit

  std::vector<uint64_t> acked_;
  std::vector<uint64_t> seen_;
  std::atomic<uint64_t> acknowledged_{0};  // read without the lock (progress checks)
  std::atomic<uint64_t> received_{0};
};

}  // namespace sluice::bench
