// QueueStore, in-process consumers: watches that tell a consumer (a pipe) when its source queue
// may have messages, and take / consume / release, the consumer's side of a receive and a delete
// (queue_store.h says what each promises).
//
// Why not receive() and delete_messages(): a consumer that hands messages to something recorded in
// the same store (a pipe starting Standard executions) removes them in the very commit that records
// the hand-off, so no crash can separate the two. A take therefore writes nothing: the messages
// are only busy in memory until consumed, and a crash simply leaves them in the queue. Only a
// failed attempt writes its receive (so maxReceiveCount and the dead-letter queue work as for any
// receive).
#include <algorithm>

#include "storage/byte_codec.h"
#include "storage/queue/queue_store.h"
#include "storage/queue/queue_store_parts.h"
#include "storage/queue/receipt_handle.h"
#include "storage/random_id.h"

namespace sluice::storage {

uint64_t QueueStore::watch(std::string queue, std::function<void()> ready) {
  const uint64_t id = next_watch_id_++;
  watch_names_[id] = queue;
  watches_by_queue_[std::move(queue)].emplace_back(id, std::move(ready));
  return id;
}

void QueueStore::unwatch(uint64_t watch_id) {
  auto it = watch_names_.find(watch_id);
  if (it == watch_names_.end()) return;
  auto hooks = watches_by_queue_.find(it->second);
  if (hooks != watches_by_queue_.end()) {
    auto& list = hooks->second;
    list.erase(std::remove_if(list.begin(), list.end(),
                              [&](const auto& h) { return h.first == watch_id; }),
               list.end());
    if (list.empty()) watches_by_queue_.erase(hooks);
  }
  watch_names_.erase(it);
}

bool QueueStore::watched(const Queue& q) const {
  return !watches_by_queue_.empty() && watches_by_queue_.count(q.name) != 0;
}

void QueueStore::notify_watchers(Queue& q) {
  if (watches_by_queue_.empty() || q.index.counts().visible == 0) return;
  auto it = watches_by_queue_.find(q.name);
  if (it == watches_by_queue_.end()) return;
  // A hook only schedules work, but copy anyway: an unwatch from inside one must not invalidate
  // the iteration.
  auto hooks = it->second;
  for (auto& [id, ready] : hooks) ready();
}

Result<QueueStore::Taken> QueueStore::take(std::string_view queue, const TakeOptions& options) {
  Queue* q = find(queue);
  if (!q || !q->committed) return make_error(ErrorCode::kQueueDoesNotExist, "");
  const int64_t now_ms = now();
  tick(*q, now_ms);
  Transfers dead;
  auto picked = pick(*q, options.max_messages, std::nullopt, options.one_group, now_ms, dead);
  if (!dead.empty()) commit_transfers(std::make_shared<Transfers>(std::move(dead)), {}, {});
  Taken taken;
  taken.queue_id = q->id;
  taken.taken_ms = now_ms;
  if (picked.empty()) return taken;
  if (int rc = reader_->begin()) {
    for (const Picked& p : picked) {
      if (IndexEntry* e = q->index.find(p.seq)) q->index.undo_busy(p.seq, *e, now_ms);
    }
    return lmdb_error(rc, "take: read");
  }
  taken.messages.reserve(picked.size());
  for (const Picked& p : picked) {
    std::string_view bytes;
    auto rec = reader_->get(env_.dbs().messages, message_key(q->id, p.seq), &bytes) == 0
                   ? MessageRecord::deserialize(bytes)
                   : Result<MessageRecord>(make_error(ErrorCode::kInternal, "missing"));
    if (!rec) {
      // Nothing readable is stored under it (a purge committing meanwhile): let it go.
      if (IndexEntry* e = q->index.find(p.seq)) q->index.remove(p.seq, *e);
      continue;
    }
    taken.messages.push_back(
        received_from(std::move(*rec), p.seq, p.state,
                      ReceiptHandle{q->id, p.seq, p.state.receive_count, random_u32()}.encode()));
  }
  reader_->reset();
  stats_.received += taken.messages.size();
  q->taken += taken.messages.size();
  return taken;
}

Mutation QueueStore::consume(uint64_t queue_id, std::vector<uint64_t> seqs, Callback<Status> done) {
  const uint64_t n = seqs.size();
  // Committed or not, they are no longer taken: gone, or back as they were.
  return remove_busy(queue_id, std::make_shared<std::vector<uint64_t>>(std::move(seqs)),
                     &QueueStoreStats::deleted,
                     [this, queue_id, n, done = std::move(done)](Status st) {
                       if (Queue* q = find_id(queue_id)) q->taken -= std::min(q->taken, n);
                       if (done) done(std::move(st));
                     });
}

void QueueStore::release(uint64_t queue_id, const std::vector<uint64_t>& seqs,
                         std::optional<int64_t> failed_visible_at_ms) {
  Queue* q = find_id(queue_id);
  if (!q) return;
  const int64_t now_ms = now();
  q->taken -= std::min<uint64_t>(q->taken, seqs.size());
  auto writes = std::make_shared<std::vector<std::pair<uint64_t, MessageState>>>();
  for (uint64_t seq : seqs) {
    IndexEntry* e = q->index.find(seq);
    if (!e || e->state != EntryState::kBusy) continue;
    if (!failed_visible_at_ms) {
      q->index.undo_busy(seq, *e, now_ms);
      continue;
    }
    e->receive_count += 1;
    if (e->first_receive_ms == 0) e->first_receive_ms = now_ms;
    if (*failed_visible_at_ms <= now_ms) {
      e->visible_at_ms = now_ms;
      q->index.undo_busy(seq, *e, now_ms);
    } else {
      q->index.make_inflight(seq, *e, *failed_visible_at_ms);
    }
    MessageState s;
    s.sent_ms = e->sent_ms;
    s.visible_at_ms = e->visible_at_ms;
    s.first_receive_ms = e->first_receive_ms;
    s.receive_count = e->receive_count;
    writes->emplace_back(seq, s);
  }
  if (!writes->empty()) {
    Mutation m;
    m.apply = [queue_id, writes](WriteTxn& t) {
      for (auto& [seq, s] : *writes) {
        if (int rc = put_state_if_present(t, message_key(queue_id, seq), s)) return rc;
      }
      return 0;
    };
    // The in-memory count already moved; if the write fails the stored count is the older one,
    // which only matters after a restart (as for a visibility change).
    m.done = [](Status) {};
    committer_.submit(std::move(m));
  }
  serve_waiters(*q);
}

std::optional<int64_t> QueueStore::oldest_sent_ms(std::string_view queue) {
  Queue* q = find(queue);
  if (!q) return std::nullopt;
  auto oldest = q->index.oldest_live();
  if (!oldest) return std::nullopt;
  return oldest->second->sent_ms;
}

}  // namespace sluice::storage
