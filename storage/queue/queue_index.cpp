// QueueIndex transitions. Counts follow every state change; FIFO and heap entries are hints that
// are re-checked against the entry when they come up.
#include "storage/queue/queue_index.h"

namespace sluice::storage {

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
                        uint32_t receive_count, int64_t first_receive_ms, int64_t now_ms) {
  if (entries_.empty()) base_seq_ = seq;
  if (seq < base_seq_) return;  // older than everything kept: cannot happen with ordered commits
  while (base_seq_ + entries_.size() <= seq) entries_.emplace_back();
  IndexEntry& e = entries_[seq - base_seq_];
  if (e.state != EntryState::kGone) return;
  e.sent_ms = sent_ms;
  e.visible_at_ms = visible_at_ms;
  e.receive_count = receive_count;
  e.first_receive_ms = first_receive_ms;
  ++live_;
  if (visible_at_ms <= now_ms) {
    e.state = EntryState::kReady;
    ready_.push_back(seq);
  } else {
    e.state = receive_count == 0 ? EntryState::kDelayed : EntryState::kInflight;
    deadlines_.push({visible_at_ms, seq});
  }
  count(e.state, 1);
}

IndexEntry* QueueIndex::find(uint64_t seq) {
  if (seq < base_seq_ || seq >= base_seq_ + entries_.size()) return nullptr;
  IndexEntry& e = entries_[seq - base_seq_];
  return e.state == EntryState::kGone ? nullptr : &e;
}

size_t QueueIndex::advance(int64_t now_ms) {
  size_t moved = 0;
  while (!deadlines_.empty() && deadlines_.top().at <= now_ms) {
    Deadline d = deadlines_.top();
    deadlines_.pop();
    IndexEntry* e = find(d.seq);
    if (!e || e->visible_at_ms != d.at) continue;
    if (e->state != EntryState::kDelayed && e->state != EntryState::kInflight) continue;
    make_ready(d.seq, *e);
    ++moved;
  }
  return moved;
}

std::optional<uint64_t> QueueIndex::pop_ready() {
  while (!ready_.empty()) {
    uint64_t seq = ready_.front();
    ready_.pop_front();
    IndexEntry* e = find(seq);
    if (e && e->state == EntryState::kReady) return seq;
  }
  return std::nullopt;
}

void QueueIndex::push_ready_front(uint64_t seq) {
  ready_.push_front(seq);
}

void QueueIndex::make_inflight(uint64_t seq, IndexEntry& e, int64_t visible_at_ms) {
  count(e.state, -1);
  e.state = EntryState::kInflight;
  e.visible_at_ms = visible_at_ms;
  count(e.state, 1);
  deadlines_.push({visible_at_ms, seq});
}

void QueueIndex::make_ready(uint64_t seq, IndexEntry& e) {
  count(e.state, -1);
  e.state = EntryState::kReady;
  count(e.state, 1);
  ready_.push_back(seq);
}

void QueueIndex::make_busy(IndexEntry& e) {
  count(e.state, -1);
  e.before_busy = e.state;
  e.state = EntryState::kBusy;
}

void QueueIndex::undo_busy(uint64_t seq, IndexEntry& e, int64_t now_ms) {
  if (e.state != EntryState::kBusy) return;
  if (e.visible_at_ms <= now_ms) {
    e.state = EntryState::kReady;
    ready_.push_back(seq);
  } else {
    e.state = e.before_busy == EntryState::kDelayed ? EntryState::kDelayed : EntryState::kInflight;
    deadlines_.push({e.visible_at_ms, seq});
  }
  count(e.state, 1);
}

void QueueIndex::remove(IndexEntry& e) {
  if (e.state == EntryState::kGone) return;
  count(e.state, -1);
  e.state = EntryState::kGone;
  --live_;
  trim_front();
}

void QueueIndex::remove_below(uint64_t bound) {
  while (!entries_.empty() && base_seq_ < bound) {
    IndexEntry& e = entries_.front();
    if (e.state != EntryState::kGone) {
      count(e.state, -1);
      --live_;
    }
    entries_.pop_front();
    ++base_seq_;
  }
  if (entries_.empty()) base_seq_ = bound > base_seq_ ? bound : base_seq_;
}

void QueueIndex::trim_front() {
  while (!entries_.empty() && entries_.front().state == EntryState::kGone) {
    entries_.pop_front();
    ++base_seq_;
  }
  if (entries_.empty()) {
    // Nothing is live: drop the hints too, so an idle queue holds no memory.
    ready_.clear();
    deadlines_ = {};
  }
}

std::optional<int64_t> QueueIndex::next_deadline() const {
  if (deadlines_.empty()) return std::nullopt;
  return deadlines_.top().at;
}

std::optional<std::pair<uint64_t, IndexEntry*>> QueueIndex::oldest_live() {
  for (size_t i = 0; i < entries_.size(); ++i) {
    IndexEntry& e = entries_[i];
    if (e.state != EntryState::kGone && e.state != EntryState::kBusy) {
      return std::make_pair(base_seq_ + i, &e);
    }
    if (i > 64) break;  // a long run of busy entries: look again after their deletes commit
  }
  return std::nullopt;
}

void QueueIndex::for_each_from_oldest(const std::function<bool(uint64_t, IndexEntry&)>& fn) {
  for (size_t i = 0; i < entries_.size(); ++i) {
    IndexEntry& e = entries_[i];
    if (e.state == EntryState::kGone) continue;
    if (!fn(base_seq_ + i, e)) return;
  }
}

}  // namespace sluice::storage
