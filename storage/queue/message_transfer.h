// MessageTransfer: one stored message leaving its queue for another, inside a write transaction
// that also carries the caller's other writes (a receive's state changes, a move task's progress),
// so the message is in exactly one queue at every commit, also across a crash. Used by the
// dead-letter move (a receive past maxReceiveCount) and by message move tasks (redrive).
//
// The reactor decides everything that needs its indexes (the target's sequence number, the
// message's new state) and fills a MessageTransfer; the committer thread runs transfer_message()
// inside the batch transaction. Any thread may build one; transfer_message() runs on the committer.
#pragma once

#include <cstdint>
#include <string>

#include "storage/lmdb/environment.h"
#include "storage/queue/message.h"

namespace sluice::storage {

// Where the message goes. The queue is named by id AND name: if it was deleted (or deleted and
// recreated) since the reactor chose it, the transfer does not happen and the message stays.
struct TransferTarget {
  uint64_t queue_id = 0;
  std::string queue_name;
  uint64_t seq = 0;
  // Non-zero: the target's sequence reservation to record in this transaction (a sequence number
  // at or above what the queue record says must never be stored without it; see QueueStore).
  uint64_t reserve = 0;
};

enum class TransferOutcome : uint8_t {
  kPending,     // not (yet) committed
  kMoved,       // in the target now
  kSourceGone,  // the message was already gone (deleted, purged): nothing to move
  kTargetGone,  // the target queue is gone: the message stayed in its source
};

struct MessageTransfer {
  uint64_t source_queue_id = 0;
  uint64_t source_seq = 0;
  TransferTarget target;
  MessageState state;  // the message's state in the target
  // Empty: the message keeps its MessageId (a dead-letter move); otherwise the moved message is a
  // new message with this id (a redrive, which SQS treats as a new message).
  std::string new_message_id;
  std::string dead_letter_source_arn;  // written into the moved record; empty clears it
  // A move into a FIFO dead-letter queue: the record's deduplication id becomes its MessageId (as
  // AWS documents), so messages that shared a deduplication id stay distinct there.
  bool dedup_id_from_message_id = false;
  // Set by transfer_message() inside the transaction; meaningful once it committed.
  TransferOutcome outcome = TransferOutcome::kPending;
};

// Inserts an existing message (record and state as they should be in the target) into the target
// queue, in the caller's transaction. Returns an LMDB rc; MDB_NOTFOUND means the target queue is
// gone (nothing written). This is the one place a moved message enters a queue. A FIFO target
// needs no more than this: the reactor gave the message the target's next sequence number (its
// new SequenceNumber, the end of its group) and put its group in `state`; the record keeps its
// group id. Moves are never deduplicated and never enter the target's deduplication window.
int insert_existing_message(WriteTxn& t, const TransferTarget& target, const MessageRecord& record,
                            const MessageState& state);

// Moves m's message: reads it from the source, inserts it into the target, deletes it from the
// source, all in `t`, and records the outcome in m. A message already gone from the source
// (deleted, purged) or a target that is gone leaves everything as it was. Returns an LMDB rc (0 in
// those cases). Safe to run again in a fresh transaction (the committer's retry).
int transfer_message(WriteTxn& t, MessageTransfer& m);

}  // namespace sluice::storage
