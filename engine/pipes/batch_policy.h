// BatchPolicy: when a pipe hands the messages it has gathered to its target. AWS's rules for an
// SQS source (EventBridge user guide, "Batching and concurrency"; the Pipes API's
// PipeSourceSqsQueueParameters): a batch goes when it holds BatchSize messages, when its batching
// window (MaximumBatchingWindowInSeconds, counted from its first message) ends, or when the next
// message would take its payload past the limit (256 KiB: the most a Step Functions execution
// input may hold). A window of 0 hands off whatever one take brought. A message too big to share
// a batch goes alone.
//
// Pure: the caller says what it added and what time it is; no I/O, no clock of its own.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

namespace sluice::engine::pipes {

struct BatchLimits {
  uint32_t batch_size = 10;            // BatchSize (default 10)
  int64_t window_ms = 0;               // MaximumBatchingWindowInSeconds * 1000
  std::size_t max_bytes = 256 * 1024;  // payload limit of the batch
};

class BatchPolicy {
 public:
  explicit BatchPolicy(BatchLimits limits) : limits_(limits) {}

  const BatchLimits& limits() const { return limits_; }
  bool empty() const { return count_ == 0; }
  uint32_t count() const { return count_; }
  std::size_t bytes() const { return bytes_; }
  // How many more messages the open batch may take.
  uint32_t room() const { return limits_.batch_size - count_; }

  // Whether a message of `bytes` can join the open batch (an empty batch takes anything: a
  // message bigger than the limit goes alone). When not, hand the open batch off first.
  bool fits(std::size_t bytes) const {
    return count_ == 0 || (count_ < limits_.batch_size && bytes_ + bytes <= limits_.max_bytes);
  }
  // Adds a message; the first one opens the batch (and starts its window) at now_ms.
  void add(std::size_t bytes, int64_t now_ms) {
    if (count_ == 0) opened_ms_ = now_ms;
    ++count_;
    bytes_ += bytes;
  }
  // The open batch must go now: it is full, or its window has ended.
  bool due(int64_t now_ms) const {
    if (count_ == 0) return false;
    return count_ >= limits_.batch_size || bytes_ >= limits_.max_bytes ||
           now_ms >= opened_ms_ + limits_.window_ms;
  }
  // When the open batch's window ends (nullopt when nothing is open).
  std::optional<int64_t> deadline() const {
    if (count_ == 0) return std::nullopt;
    return opened_ms_ + limits_.window_ms;
  }
  // The batch was handed off: start over.
  void reset() {
    count_ = 0;
    bytes_ = 0;
    opened_ms_ = 0;
  }

 private:
  BatchLimits limits_;
  uint32_t count_ = 0;
  std::size_t bytes_ = 0;
  int64_t opened_ms_ = 0;
};

}  // namespace sluice::engine::pipes
