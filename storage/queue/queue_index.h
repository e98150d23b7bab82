// QueueIndex: the in-memory index of one queue's messages. Touched only by the reactor thread that
// owns the queue, so it takes no locks. It holds 32 bytes per message (never the body) in pages of
// 256 sequence numbers, a FIFO of ready sequence numbers, and a min-heap of visibility/delay
// deadlines. Stale heap and FIFO entries are skipped lazily (an entry's own state is the truth), so
// every operation is O(1) or O(log n) amortised and nothing is scanned on the hot path.
//
// Memory follows the live messages, not the range of sequence numbers ever used: a page is freed as
// soon as its last message goes (a gap costs one null pointer per 256 numbers, so an old message
// that never leaves, or the jump to a fresh block after a restart, pins nothing), and the FIFO and
// heap are compacted when stale hints outnumber live ones (heartbeating visibility changes, deleted
// in-flight messages with long timeouts).
//
// FIFO mode (enable_fifo(), for FIFO queues): messages belong to groups (fifo_groups.h). Each
// page then also holds, per message, its group id and the next member of its group (12 bytes), so
// a group is a linked list in sequence order with no allocation per message. Ready messages are
// not listed one by one; a group is offered (min-heap by head sequence number, oldest first) when
// it can deliver: its head is ready and none of its members is in flight. pop_ready(after) hands
// out the next member of the group being drained first, so one receive takes as many messages of
// one group as it can, in order (queue_index_fifo.cpp).
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/queue/fifo_groups.h"

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
  // Switches an empty index to FIFO mode (for the life of the queue).
  void enable_fifo();
  bool fifo() const { return fifo_ != nullptr; }

  // Adds a committed message. Sequence numbers normally arrive in increasing order (commits
  // complete in submission order); gaps (failed sends) are simply absent. A duplicate is ignored.
  // `group` is the message's group in FIFO mode (ignored otherwise).
  void insert(uint64_t seq, int64_t sent_ms, int64_t visible_at_ms, uint32_t receive_count,
              int64_t first_receive_ms, int64_t now_ms, std::string_view group = {});

  IndexEntry* find(uint64_t seq);

  // Moves every delayed/in-flight entry whose time has come to ready. Returns how many.
  size_t advance(int64_t now_ms);
  // The next ready sequence number, removed from the ready FIFO (its state is still kReady).
  // FIFO mode: the member after `after` when that is ready (`after`: what this receive took last,
  // now in flight or busy), else the head of the oldest group that can deliver.
  std::optional<uint64_t> pop_ready(std::optional<uint64_t> after = std::nullopt);
  // FIFO mode: the member right after `after` in its group, when it is ready; never another
  // group's (a consumer that takes its batches one group at a time).
  std::optional<uint64_t> next_in_group(uint64_t after);

  // State transitions; each keeps the counts right.
  void make_inflight(uint64_t seq, IndexEntry& e, int64_t visible_at_ms);
  void make_ready(uint64_t seq, IndexEntry& e);
  void make_busy(uint64_t seq, IndexEntry& e);
  void undo_busy(uint64_t seq, IndexEntry& e, int64_t now_ms);
  void remove(uint64_t seq, IndexEntry& e);
  // Removes every message with seq < bound (purge).
  void remove_below(uint64_t bound);

  // Earliest pending delay/visibility deadline, if any (stale ones at the top are dropped first,
  // so the owner's timer does not wake for a deadline that no longer exists).
  std::optional<int64_t> next_deadline();
  // The oldest message that is not being deleted, for retention.
  std::optional<std::pair<uint64_t, IndexEntry*>> oldest_live();
  // Visits live entries (busy ones included) from the oldest while `fn` returns true.
  void for_each_from_oldest(const std::function<bool(uint64_t, IndexEntry&)>& fn);

  const QueueCounts& counts() const { return counts_; }
  size_t size() const { return live_; }
  // FIFO mode: the group of a live message; the number of groups with live messages.
  std::string_view group_of(uint64_t seq) const;
  size_t group_count() const;
  // FIFO mode: whether a member of the live message's group is in flight (the group is blocked).
  bool group_in_flight(uint64_t seq) const;
  // Bytes held by the index's own structures (pages, page table, FIFO, heap): for tests/metrics.
  size_t memory_bytes() const;

 private:
  static constexpr unsigned kPageBits = 8;
  static constexpr uint64_t kPageSize = uint64_t{1} << kPageBits;
  struct FifoSlots {
    std::array<uint64_t, kPageSize> next;  // next member of the same group, 0 = none
    std::array<uint32_t, kPageSize> group;
  };
  struct Page {
    std::array<IndexEntry, kPageSize> entries;
    uint32_t used = 0;                // entries not kGone
    std::unique_ptr<FifoSlots> fifo;  // FIFO mode only
  };
  struct Offer {
    uint64_t head;
    uint32_t group;
    bool operator>(const Offer& o) const { return head > o.head; }
  };
  struct Fifo {
    FifoGroups groups;
    std::vector<Offer> offers;  // a min-heap (std::greater); stale offers are skipped
  };
  struct Deadline {
    int64_t at;
    uint64_t seq;
    bool operator>(const Deadline& o) const { return at > o.at; }
  };

  void count(EntryState s, int delta);
  void push_ready(uint64_t seq);
  void push_deadline(int64_t at, uint64_t seq);
  bool deadline_valid(const Deadline& d);
  void compact_ready();
  void compact_deadlines();
  // Marks a non-gone entry gone and frees its page when it was the last one.
  void drop(uint64_t seq, IndexEntry& e);
  void trim();

  // FIFO mode (queue_index_fifo.cpp).
  FifoSlots& slots_of(uint64_t seq);
  const FifoSlots* slots_of(uint64_t seq) const;
  void fifo_link(uint64_t seq, IndexEntry& e, std::string_view group);
  void fifo_unlink(uint64_t seq, EntryState was);
  void fifo_moved(uint64_t seq, EntryState from, EntryState to);
  void fifo_offer(uint32_t group);
  bool fifo_can_deliver(const FifoGroup& g);
  std::optional<uint64_t> fifo_pop(std::optional<uint64_t> after);

  std::deque<std::unique_ptr<Page>> pages_;  // pages_[i] holds seqs of page first_page_ + i
  uint64_t first_page_ = 0;
  size_t allocated_pages_ = 0;
  // The last page freed, kept while anything is live: a queue that holds one message at a time
  // would otherwise allocate a page per message. (A freed page's entries are all kGone.)
  std::unique_ptr<Page> spare_;
  std::deque<uint64_t> ready_;
  std::vector<Deadline> deadlines_;  // a min-heap (std::greater)
  QueueCounts counts_;
  size_t live_ = 0;
  std::unique_ptr<Fifo> fifo_;
};

}  // namespace sluice::storage
