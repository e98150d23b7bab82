// The private parts of QueueStore that its implementation files share (queue_store.cpp,
// queue_consumers.cpp): a queue's in-memory state, a sleeping receive, a message picked for a
// receive. Not for use outside storage/queue.
#pragma once

#include <deque>
#include <limits>
#include <map>
#include <memory>
#include <string>

#include "storage/queue/queue_record.h"
#include "storage/queue/queue_store.h"

namespace sluice::storage {

// Rewrites a message's state only if the message still exists: a purge or queue deletion that
// committed first must not have its rows brought back (they would come back as ghosts after a
// restart). The stored state's tail (a FIFO message's group) is kept.
inline int put_state_if_present(WriteTxn& t, const std::string& key, const MessageState& s) {
  std::string_view existing;
  int rc = t.get(t.dbs().states, key, &existing);
  if (rc == MDB_NOTFOUND) return 0;
  if (rc) return rc;
  return t.put(t.dbs().states, key, s.serialize_over(existing));
}

// What a receive (or a consumer's take) hands out: the stored record, the message's place and the
// state the receive gives it.
inline ReceivedMessage received_from(MessageRecord&& rec, uint64_t seq, const MessageState& state,
                                     std::string receipt_handle) {
  ReceivedMessage r;
  r.message_id = std::move(rec.message_id);
  r.receipt_handle = std::move(receipt_handle);
  r.body = std::move(rec.body);
  r.body_md5 = std::move(rec.body_md5);
  r.attributes = std::move(rec.attributes);
  r.sender_id = std::move(rec.sender_id);
  r.aws_trace_header = std::move(rec.aws_trace_header);
  r.group_id = std::move(rec.group_id);
  r.dedup_id = std::move(rec.dedup_id);
  r.seq = seq;
  r.dead_letter_source_arn = std::move(rec.dead_letter_source_arn);
  r.sent_ms = state.sent_ms;
  r.first_receive_ms = state.first_receive_ms;
  r.receive_count = state.receive_count;
  return r;
}

struct QueueStore::Queue {
  uint64_t id = 0;
  std::string name;
  QueueAttributes attributes;
  Tags tags;
  int64_t created_ms = 0;
  int64_t modified_ms = 0;
  uint64_t next_seq = 1;
  // Sequence numbers below seq_reserved may be used; seq_durable is how far the queue record on
  // disk is known to say so. A send that uses a number at or above seq_durable records its block
  // in its own transaction, so no message is ever stored under an unrecorded number.
  uint64_t seq_reserved = 0;
  uint64_t seq_durable = 0;
  bool committed = false;  // its CreateQueue has committed (or it was recovered)
  int64_t last_purge_ms = std::numeric_limits<int64_t>::min() / 2;
  QueueIndex index;
  ReceiveAttempts attempts;  // FIFO only
  std::deque<std::shared_ptr<Waiter>> waiters;
  // Messages a consumer took and has not consumed or released: counted as in flight (not
  // visible), as the messages of a receive are, though the index only knows them as busy.
  uint64_t taken = 0;

  QueueCounts counts() const {
    QueueCounts c = index.counts();
    c.in_flight += taken;
    return c;
  }

  QueueRecord record() const {
    QueueRecord r;
    r.id = id;
    r.created_ms = created_ms;
    r.modified_ms = modified_ms;
    r.seq_reserved = seq_reserved;
    r.attributes = attributes;
    r.tags = tags;
    return r;
  }
};

struct QueueStore::Waiter {
  uint64_t queue_id = 0;
  uint32_t max = 1;
  uint32_t visibility = 30;
  ReceiveOptions options;
  Callback<Result<std::vector<ReceivedMessage>>> done;
  bool finished = false;
  bool has_deadline = false;
  std::multimap<int64_t, std::shared_ptr<Waiter>>::iterator deadline;  // in waiter_deadlines_
};

struct QueueStore::Picked {
  uint64_t seq;
  MessageState state;  // as written by this receive
  // Set when a retried ReceiveRequestAttemptId hands the message out again: the same handle, and
  // the receive count did not move.
  std::string receipt_handle;
};

}  // namespace sluice::storage
