// QueueStore::peek: a queue's messages as they are, for inspection (the admin API). It reads the
// in-memory index for each message's state and LMDB for its record, and writes nothing: no
// receive count, visibility deadline or index entry moves, and no timer is advanced.
#include "storage/byte_codec.h"
#include "storage/queue/queue_record.h"
#include "storage/queue/queue_store.h"
#include "storage/queue/queue_store_parts.h"

namespace sluice::storage {

namespace {
PeekedState peeked_state(const IndexEntry& e, int64_t now_ms) {
  switch (e.state) {
    case EntryState::kDelayed:
      return e.visible_at_ms <= now_ms ? PeekedState::kVisible : PeekedState::kDelayed;
    case EntryState::kInflight:
      return e.visible_at_ms <= now_ms ? PeekedState::kVisible : PeekedState::kInFlight;
    case EntryState::kBusy:
      return PeekedState::kInFlight;
    default:
      return PeekedState::kVisible;
  }
}
}  // namespace

Result<PeekPage> QueueStore::peek(std::string_view name, uint64_t after_seq, size_t limit) {
  Queue* q = find(name);
  if (!q) return make_error(ErrorCode::kQueueDoesNotExist, "The specified queue does not exist.");
  const int64_t now_ms = now();
  PeekPage page;
  q->index.for_each_from_oldest([&](uint64_t seq, IndexEntry& e) {
    if (seq <= after_seq) return true;
    if (page.messages.size() == limit) {
      page.next_after = page.messages.back().seq;
      return false;
    }
    PeekedMessage m;
    m.seq = seq;
    m.state = peeked_state(e, now_ms);
    m.sent_ms = e.sent_ms;
    m.first_receive_ms = e.first_receive_ms;
    m.visible_at_ms = e.visible_at_ms;
    m.receive_count = e.receive_count;
    page.messages.push_back(std::move(m));
    return true;
  });
  if (page.messages.empty()) return page;
  if (int rc = reader_->begin()) return lmdb_error(rc, "peek: read");
  std::vector<PeekedMessage> read;
  read.reserve(page.messages.size());
  for (PeekedMessage& m : page.messages) {
    std::string_view bytes;
    // Absent: a purge or delete committed and the index has not caught up; not a message.
    if (reader_->get(env_.dbs().messages, message_key(q->id, m.seq), &bytes) != 0) continue;
    auto rec = MessageRecord::deserialize(bytes);
    if (!rec) continue;
    m.record = std::move(*rec);
    read.push_back(std::move(m));
  }
  reader_->reset();
  page.messages = std::move(read);
  return page;
}

}  // namespace sluice::storage
