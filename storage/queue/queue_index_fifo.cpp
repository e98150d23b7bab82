// QueueIndex, FIFO mode: group membership (a linked list per group through the pages' FIFO
// slots), the in-flight count that blocks a group, and the heap of groups that can deliver.
//
// A group can deliver when its head (oldest live member) is ready and no member is in flight. A
// member being deleted (busy) does not hold the group by itself: it is either the head (and the
// head is not ready) or behind the head, which then goes first anyway. Messages leave a group
// almost always from the head (deletes follow receives, which go in order; retention and purge go
// oldest first), so unlinking walks the list only for the rare out-of-order delete.
#include <algorithm>

#include "storage/queue/queue_index.h"

namespace sluice::storage {

namespace {
constexpr size_t kOfferSlack = 1024;
}

void QueueIndex::enable_fifo() {
  if (!fifo_) fifo_ = std::make_unique<Fifo>();
}

QueueIndex::FifoSlots& QueueIndex::slots_of(uint64_t seq) {
  return *pages_[(seq >> kPageBits) - first_page_]->fifo;
}

const QueueIndex::FifoSlots* QueueIndex::slots_of(uint64_t seq) const {
  const uint64_t page = seq >> kPageBits;
  if (page < first_page_ || page - first_page_ >= pages_.size()) return nullptr;
  const Page* p = pages_[page - first_page_].get();
  return p ? p->fifo.get() : nullptr;
}

std::string_view QueueIndex::group_of(uint64_t seq) const {
  if (!fifo_) return {};
  const FifoSlots* slots = slots_of(seq);
  const uint64_t page = seq >> kPageBits;
  if (!slots ||
      pages_[page - first_page_]->entries[seq & (kPageSize - 1)].state == EntryState::kGone) {
    return {};
  }
  return fifo_->groups.name(slots->group[seq & (kPageSize - 1)]);
}

bool QueueIndex::group_in_flight(uint64_t seq) const {
  if (group_of(seq).empty()) return false;  // not FIFO, or not live
  return fifo_->groups.at(slots_of(seq)->group[seq & (kPageSize - 1)]).held != 0;
}

size_t QueueIndex::group_count() const {
  return fifo_ ? fifo_->groups.count() : 0;
}

void QueueIndex::fifo_link(uint64_t seq, IndexEntry& e, std::string_view group) {
  const uint32_t id = fifo_->groups.intern(group);
  FifoSlots& slots = slots_of(seq);
  const uint64_t i = seq & (kPageSize - 1);
  slots.group[i] = id;
  slots.next[i] = 0;
  FifoGroup& g = fifo_->groups.at(id);
  if (g.size == 0) {
    g.head = g.tail = seq;
  } else if (seq > g.tail) {
    slots_of(g.tail).next[g.tail & (kPageSize - 1)] = seq;
    g.tail = seq;
  } else if (seq < g.head) {
    slots.next[i] = g.head;
    g.head = seq;
  } else {
    // Out of order (not seen in practice: commits complete in sequence order): walk to its place.
    uint64_t prev = g.head;
    for (uint64_t n; (n = slots_of(prev).next[prev & (kPageSize - 1)]) != 0 && n < seq;) prev = n;
    uint64_t& link = slots_of(prev).next[prev & (kPageSize - 1)];
    slots.next[i] = link;
    link = seq;
  }
  ++g.size;
  if (e.state == EntryState::kInflight) ++g.held;
  fifo_offer(id);
}

void QueueIndex::fifo_unlink(uint64_t seq, EntryState was) {
  FifoSlots& slots = slots_of(seq);
  const uint64_t i = seq & (kPageSize - 1);
  const uint32_t id = slots.group[i];
  FifoGroup& g = fifo_->groups.at(id);
  const uint64_t next = slots.next[i];
  uint64_t prev = 0;
  if (g.head == seq) {
    g.head = next;
  } else {
    prev = g.head;
    while (prev != 0) {
      const uint64_t n = slots_of(prev).next[prev & (kPageSize - 1)];
      if (n == seq) break;
      prev = n;
    }
    if (prev != 0) slots_of(prev).next[prev & (kPageSize - 1)] = next;
  }
  if (g.tail == seq) g.tail = prev;
  --g.size;
  if (was == EntryState::kInflight) --g.held;
  if (g.size == 0) {
    fifo_->groups.release(id);
  } else {
    fifo_offer(id);
  }
}

void QueueIndex::fifo_moved(uint64_t seq, EntryState from, EntryState to) {
  const uint32_t id = slots_of(seq).group[seq & (kPageSize - 1)];
  FifoGroup& g = fifo_->groups.at(id);
  if (from == EntryState::kInflight) --g.held;
  if (to == EntryState::kInflight) ++g.held;
  fifo_offer(id);
}

bool QueueIndex::fifo_can_deliver(const FifoGroup& g) {
  if (g.size == 0 || g.held != 0) return false;
  const IndexEntry* head = find(g.head);
  return head && head->state == EntryState::kReady;
}

void QueueIndex::fifo_offer(uint32_t id) {
  FifoGroup& g = fifo_->groups.at(id);
  if (g.offered == g.head || !fifo_can_deliver(g)) return;
  g.offered = g.head;
  std::vector<Offer>& offers = fifo_->offers;
  offers.push_back({g.head, id});
  std::push_heap(offers.begin(), offers.end(), std::greater<Offer>());
  if (offers.size() > 2 * fifo_->groups.count() + kOfferSlack) {
    // Mostly stale: keep the one live offer of each group (its head is what `offered` says).
    std::vector<Offer> kept;
    for (const Offer& o : offers) {
      if (!fifo_->groups.has(o.group)) continue;
      const FifoGroup& og = fifo_->groups.at(o.group);
      if (og.offered == o.head && og.head == o.head) kept.push_back(o);
    }
    std::make_heap(kept.begin(), kept.end(), std::greater<Offer>());
    offers.swap(kept);
  }
}

std::optional<uint64_t> QueueIndex::next_in_group(uint64_t after) {
  if (!fifo_ || !find(after)) return std::nullopt;
  const uint64_t n = slots_of(after).next[after & (kPageSize - 1)];
  const IndexEntry* e = n ? find(n) : nullptr;
  if (e && e->state == EntryState::kReady) return n;
  return std::nullopt;
}

std::optional<uint64_t> QueueIndex::fifo_pop(std::optional<uint64_t> after) {
  if (after) {
    if (auto n = next_in_group(*after)) return n;
  }
  std::vector<Offer>& offers = fifo_->offers;
  while (!offers.empty()) {
    std::pop_heap(offers.begin(), offers.end(), std::greater<Offer>());
    const Offer o = offers.back();
    offers.pop_back();
    if (!fifo_->groups.has(o.group)) continue;
    FifoGroup& g = fifo_->groups.at(o.group);
    if (g.head != o.head) continue;  // stale: the group moved on (or the id was recycled)
    if (g.offered == o.head) g.offered = 0;
    if (fifo_can_deliver(g)) return o.head;
  }
  return std::nullopt;
}

}  // namespace sluice::storage
