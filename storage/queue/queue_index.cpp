// QueueIndex transitions. Counts follow every state change; FIFO and heap entries are hints that
// are re-checked against the entry when they come up, and compacted when most of them are stale.
#include "storage/queue/queue_index.h"

#include <algorithm>
#include <unordered_set>

namespace sluice::storage {

namespace {
// Stale hints tolerated beyond twice the live ones before a compaction: compactions stay rare
// (amortised O(1) per hint) and small queues never compact at all.
constexpr size_t kHintSlack = 1024;
}  // namespace

void QueueIndex::count(EntryState s, int delta) {
  switch (s) {
    case EntryState::kReady:
      counts_.visible += delta;
      break;
    case EntryState::kInflight:
      counts_.in_flight += delta;
      break;
    case EntryState::kDelayed:
      counts_.delayed += delta;
      break;
    default:
      break;
  }
}

void QueueIndex::insert(uint64_t seq, int64_t sent_ms, int64_t visible_at_ms,
                        uint32_t receive_count, int64_t first_receive_ms, int64_t now_ms,
                        std::string_view group) {
  const uint64_t page = seq >> kPageBits;
  if (pages_.empty()) first_page_ = page;
  for (; page < first_page_; --first_page_) pages_.emplace_front();
  while (page - first_page_ >= pages_.size()) pages_.emplace_back();
  std::unique_ptr<Page>& slot = pages_[page - first_page_];
  if (!slot) {
    slot = spare_ ? std::move(spare_) : std::make_unique<Page>();
    if (fifo_ && !slot->fifo) slot->fifo = std::make_unique<FifoSlots>();
    ++allocated_pages_;
  }
  IndexEntry& e = slot->entries[seq & (kPageSize - 1)];
  if (e.state != EntryState::kGone) return;
  e.sent_ms = sent_ms;
  e.visible_at_ms = visible_at_ms;
  e.receive_count = receive_count;
  e.first_receive_ms = first_receive_ms;
  ++slot->used;
  ++live_;
  if (visible_at_ms <= now_ms) {
    e.state = EntryState::kReady;
    count(e.state, 1);
    if (!fifo_) push_ready(seq);
  } else {
    e.state = receive_count == 0 ? EntryState::kDelayed : EntryState::kInflight;
    count(e.state, 1);
    push_deadline(visible_at_ms, seq);
  }
  if (fifo_) fifo_link(seq, e, group);
}

IndexEntry* QueueIndex::find(uint64_t seq) {
  const uint64_t page = seq >> kPageBits;
  if (page < first_page_ || page - first_page_ >= pages_.size()) return nullptr;
  Page* p = pages_[page - first_page_].get();
  if (!p) return nullptr;
  IndexEntry& e = p->entries[seq & (kPageSize - 1)];
  return e.state == EntryState::kGone ? nullptr : &e;
}

bool QueueIndex::deadline_valid(const Deadline& d) {
  IndexEntry* e = find(d.seq);
  return e && e->visible_at_ms == d.at &&
         (e->state == EntryState::kDelayed || e->state == EntryState::kInflight);
}

size_t QueueIndex::advance(int64_t now_ms) {
  size_t moved = 0;
  while (!deadlines_.empty() && deadlines_.front().at <= now_ms) {
    std::pop_heap(deadlines_.begin(), deadlines_.end(), std::greater<Deadline>());
    Deadline d = deadlines_.back();
    deadlines_.pop_back();
    if (!deadline_valid(d)) continue;
    make_ready(d.seq, *find(d.seq));
    ++moved;
  }
  return moved;
}

std::optional<uint64_t> QueueIndex::pop_ready(std::optional<uint64_t> after) {
  if (fifo_) return fifo_pop(after);
  while (!ready_.empty()) {
    uint64_t seq = ready_.front();
    ready_.pop_front();
    IndexEntry* e = find(seq);
    if (e && e->state == EntryState::kReady) return seq;
  }
  return std::nullopt;
}

void QueueIndex::push_ready(uint64_t seq) {
  ready_.push_back(seq);
  if (ready_.size() > 2 * counts_.visible + kHintSlack) compact_ready();
}

void QueueIndex::push_deadline(int64_t at, uint64_t seq) {
  deadlines_.push_back({at, seq});
  std::push_heap(deadlines_.begin(), deadlines_.end(), std::greater<Deadline>());
  if (deadlines_.size() > 2 * (counts_.in_flight + counts_.delayed) + kHintSlack) {
    compact_deadlines();
  }
}

void QueueIndex::compact_ready() {
  // A message made ready again before its old listing came up is listed twice; keep the first.
  std::deque<uint64_t> kept;
  std::unordered_set<uint64_t> seen;
  seen.reserve(counts_.visible);
  for (uint64_t seq : ready_) {
    IndexEntry* e = find(seq);
    if (e && e->state == EntryState::kReady && seen.insert(seq).second) kept.push_back(seq);
  }
  ready_.swap(kept);
}

void QueueIndex::compact_deadlines() {
  // Every delayed or in-flight entry has exactly one deadline equal to its visible_at (possibly
  // pushed more than once, by an undone delete); everything else is stale.
  std::vector<Deadline> kept;
  kept.reserve(counts_.in_flight + counts_.delayed);
  std::unordered_set<uint64_t> seen;
  seen.reserve(counts_.in_flight + counts_.delayed);
  for (const Deadline& d : deadlines_) {
    if (deadline_valid(d) && seen.insert(d.seq).second) kept.push_back(d);
  }
  std::make_heap(kept.begin(), kept.end(), std::greater<Deadline>());
  deadlines_.swap(kept);
}

void QueueIndex::make_inflight(uint64_t seq, IndexEntry& e, int64_t visible_at_ms) {
  const EntryState from = e.state;
  count(e.state, -1);
  e.state = EntryState::kInflight;
  e.visible_at_ms = visible_at_ms;
  count(e.state, 1);
  push_deadline(visible_at_ms, seq);
  if (fifo_) fifo_moved(seq, from, e.state);
}

void QueueIndex::make_ready(uint64_t seq, IndexEntry& e) {
  const EntryState from = e.state;
  count(e.state, -1);
  e.state = EntryState::kReady;
  count(e.state, 1);
  if (fifo_) {
    fifo_moved(seq, from, e.state);
  } else {
    push_ready(seq);
  }
}

void QueueIndex::make_busy(uint64_t seq, IndexEntry& e) {
  const EntryState from = e.state;
  count(e.state, -1);
  e.before_busy = e.state;
  e.state = EntryState::kBusy;
  if (fifo_) fifo_moved(seq, from, e.state);
}

void QueueIndex::undo_busy(uint64_t seq, IndexEntry& e, int64_t now_ms) {
  if (e.state != EntryState::kBusy) return;
  if (e.visible_at_ms <= now_ms) {
    e.state = EntryState::kReady;
    count(e.state, 1);
    if (!fifo_) push_ready(seq);
  } else {
    e.state = e.before_busy == EntryState::kDelayed ? EntryState::kDelayed : EntryState::kInflight;
    count(e.state, 1);
    push_deadline(e.visible_at_ms, seq);
  }
  if (fifo_) fifo_moved(seq, EntryState::kBusy, e.state);
}

void QueueIndex::remove(uint64_t seq, IndexEntry& e) {
  if (e.state == EntryState::kGone) return;
  count(e.state, -1);
  drop(seq, e);
  trim();
}

void QueueIndex::drop(uint64_t seq, IndexEntry& e) {
  if (fifo_) fifo_unlink(seq, e.state);
  e.state = EntryState::kGone;
  --live_;
  std::unique_ptr<Page>& page = pages_[(seq >> kPageBits) - first_page_];
  if (--page->used == 0) {
    if (!spare_) spare_ = std::move(page);
    page.reset();
    --allocated_pages_;
  }
}

void QueueIndex::remove_below(uint64_t bound) {
  const uint64_t bound_page = bound >> kPageBits;
  if (fifo_) {
    // Oldest first, so each one leaves from the head of its group.
    for_each_from_oldest([&](uint64_t seq, IndexEntry& e) {
      if (seq >= bound) return false;
      if ((seq >> kPageBits) < bound_page) fifo_unlink(seq, e.state);  // its page goes whole
      return true;
    });
  }
  while (!pages_.empty() && first_page_ < bound_page) {
    if (Page* p = pages_.front().get()) {
      for (IndexEntry& e : p->entries) {
        if (e.state == EntryState::kGone) continue;
        count(e.state, -1);
        --live_;
      }
      --allocated_pages_;
    }
    pages_.pop_front();
    ++first_page_;
  }
  if (!pages_.empty() && first_page_ == bound_page && pages_.front()) {
    for (uint64_t seq = bound_page << kPageBits; seq < bound && pages_.front(); ++seq) {
      IndexEntry& e = pages_.front()->entries[seq & (kPageSize - 1)];
      if (e.state == EntryState::kGone) continue;
      count(e.state, -1);
      drop(seq, e);
    }
  }
  trim();
}

void QueueIndex::trim() {
  // Only the front: empty slots at the back are where the next sends go (trimming them would make
  // every send behind an old message that stays rebuild the table up to its page).
  while (!pages_.empty() && !pages_.front()) {
    pages_.pop_front();
    ++first_page_;
  }
  if (live_ == 0) {
    std::deque<std::unique_ptr<Page>>().swap(pages_);
    // Nothing is live: drop the hints and the spare page too, so an idle queue holds no memory.
    spare_.reset();
    std::deque<uint64_t>().swap(ready_);
    std::vector<Deadline>().swap(deadlines_);
    if (fifo_) {
      fifo_->groups.clear();
      std::vector<Offer>().swap(fifo_->offers);
    }
  }
}

std::optional<int64_t> QueueIndex::next_deadline() {
  while (!deadlines_.empty() && !deadline_valid(deadlines_.front())) {
    std::pop_heap(deadlines_.begin(), deadlines_.end(), std::greater<Deadline>());
    deadlines_.pop_back();
  }
  if (deadlines_.empty()) return std::nullopt;
  return deadlines_.front().at;
}

std::optional<std::pair<uint64_t, IndexEntry*>> QueueIndex::oldest_live() {
  std::optional<std::pair<uint64_t, IndexEntry*>> out;
  for_each_from_oldest([&](uint64_t seq, IndexEntry& e) {
    if (e.state == EntryState::kBusy) return true;
    out.emplace(seq, &e);
    return false;
  });
  return out;
}

void QueueIndex::for_each_from_oldest(const std::function<bool(uint64_t, IndexEntry&)>& fn) {
  for (size_t i = 0; i < pages_.size(); ++i) {
    Page* p = pages_[i].get();
    if (!p) continue;
    const uint64_t base = (first_page_ + i) << kPageBits;
    for (uint64_t j = 0; j < kPageSize; ++j) {
      IndexEntry& e = p->entries[j];
      if (e.state == EntryState::kGone) continue;
      if (!fn(base + j, e)) return;
    }
  }
}

size_t QueueIndex::memory_bytes() const {
  const size_t page_bytes = sizeof(Page) + (fifo_ ? sizeof(FifoSlots) : 0);
  size_t bytes = (allocated_pages_ + (spare_ ? 1 : 0)) * page_bytes +
                 pages_.size() * sizeof(std::unique_ptr<Page>) + ready_.size() * sizeof(uint64_t) +
                 deadlines_.capacity() * sizeof(Deadline);
  if (fifo_) {
    bytes += sizeof(Fifo) + fifo_->groups.memory_bytes() + fifo_->offers.capacity() * sizeof(Offer);
  }
  return bytes;
}

}  // namespace sluice::storage
