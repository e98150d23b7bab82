// ReceiveAttempts: ReceiveRequestAttemptId of one FIFO queue. A receive that names an attempt id
// remembers what it returned; a retry with the same id within five minutes gets the same messages
// with the same receipt handles (and their visibility timeout starts again), as AWS documents for
// a receive whose answer was lost. The attempt is void once any of its messages was deleted or had
// its visibility changed, or was received again by someone else: the retry is then an ordinary
// receive. Attempts live in memory only (a restart forgets them; the messages then stay in flight
// until their stored deadline, as after any receive).
//
// Owned by the queue's entry in QueueStore: the owner thread only.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace sluice::storage {

struct AttemptMessage {
  uint64_t seq = 0;
  uint32_t receive_count = 0;  // as of that receive: a later receive makes the attempt stale
  std::string receipt_handle;
};

class ReceiveAttempts {
 public:
  static constexpr int64_t kWindowMs = 5 * 60 * 1000;

  // The messages of attempt `id`, if it is still valid by time and by the deletes and visibility
  // changes reported to touched().
  const std::vector<AttemptMessage>* find(const std::string& id, int64_t now_ms);
  // A receive with attempt `id` returned `messages` (replacing whatever `id` held).
  void record(const std::string& id, std::vector<AttemptMessage> messages, int64_t now_ms);
  void forget(const std::string& id);
  // Message `seq` was deleted or its visibility changed.
  void touched(uint64_t seq);
  void clear();
  size_t size() const { return attempts_.size(); }

 private:
  struct Attempt {
    int64_t expires_ms = 0;
    std::vector<AttemptMessage> messages;
  };
  void expire(int64_t now_ms);

  std::unordered_map<std::string, Attempt> attempts_;
  std::unordered_map<uint64_t, std::string> by_seq_;      // message -> the attempt that has it
  std::deque<std::pair<int64_t, std::string>> expiries_;  // (expires_ms, id) in record order
};

}  // namespace sluice::storage
