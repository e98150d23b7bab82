// QueueIndex: the in-memory index of one queue's messages. Touched only by the reactor thread that
// owns the queue, so it takes no locks. It holds 32 bytes per message (never the body) in a deque
// indexed by sequence number, a FIFO of ready sequence numbers, and a min-heap of visibility/delay
// deadlines. Stale heap and FIFO entries are skipped lazily (an entry's own state is the truth), so
// every operation is O(1) or O(log n) and nothing is ever scanned.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <queue>
#include <vector>

namespace sluice::storage {

enum class EntryState : uint8_t {
  kGone,      // deleted, expired or never committed
  kDelayed,   // sent with a delay that has not passed
  kReady,     // visible: can be received
  kInflight,  // received; invisible until visible_at
  kBusy,      // a delete of it is being committed
};

struct IndexEntry {
  int64_t visible_at_ms = 0;
  int64_t sent_ms = 0;
  int64_t first_receive_ms = 0;
  uint32_t receive_count = 0;
  EntryState state = EntryState::kGone;
  EntryState before_busy = EntryState::kGone;  // to undo a delete that failed to commit
};

struct QueueCounts {
  uint64_t visible = 0;
  uint64_t in_flight = 0;
  uint64_t delayed = 0;
};

class QueueIndex {
 public:
  // Adds a committed message. Sequence numbers arrive in increasing order (commits complete in
  // submission order); gaps (failed sends) become kGone slots.
  void insert(uint64_t seq, int64_t sent_ms, int64_t visible_at_ms, uint32_t receive_count,
              int64_t first_receive_ms, int64_t now_ms);

  IndexEntry* find(uint64_t seq);

  // Moves every delayed/in-flight entry whose time has come to ready. Returns how many.
  size_t advance(int64_t now_ms);
  // The next ready sequence number, removed from the ready FIFO (its state is still kReady).
  std::optional<uint64_t> pop_ready();
  // Puts a sequence back at the head of the ready FIFO (a receive that failed to commit).
  void push_ready_front(uint64_t seq);

  // State transitions; each keeps the counts right.
  void make_inflight(uint64_t seq, IndexEntry& e, int64_t visible_at_ms);
  void make_ready(uint64_t seq, IndexEntry& e);
  void make_busy(IndexEntry& e);
  void undo_busy(uint64_t seq, IndexEntry& e, int64_t now_ms);
  void remove(IndexEntry& e);
  // Removes every message with seq < bound (purge).
  void remove_below(uint64_t bound);

  // Earliest pending delay/visibility deadline, if any.
  std::optional<int64_t> next_deadline() const;
  // The oldest live message (front of the index), for retention.
  std::optional<std::pair<uint64_t, IndexEntry*>> oldest_live();
  // Visits live entries from the oldest while `fn` returns true.
  void for_each_from_oldest(const std::function<bool(uint64_t, IndexEntry&)>& fn);

  const QueueCounts& counts() const { return counts_; }
  size_t size() const { return live_; }

 private:
  struct Deadline {
    int64_t at;
    uint64_t seq;
    bool operator>(const Deadline& o) const { return at > o.at; }
  };
  void count(EntryState s, int delta);
  void trim_front();

  std::deque<IndexEntry> entries_;
  uint64_t base_seq_ = 0;
  std::deque<uint64_t> ready_;
  std::priority_queue<Deadline, std::vector<Deadline>, std::greater<Deadline>> deadlines_;
  QueueCounts counts_;
  size_t live_ = 0;
};

}  // namespace sluice::storage
