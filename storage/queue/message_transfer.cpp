// Moving a stored message between queues inside one write transaction.
#include "storage/queue/message_transfer.h"

#include "storage/byte_codec.h"
#include "storage/queue/queue_record.h"

namespace sluice::storage {

int insert_existing_message(WriteTxn& t, const TransferTarget& target, const MessageRecord& record,
                            const MessageState& state) {
  // The queue record is read as committed: it must still be the queue the reactor chose.
  std::string_view bytes;
  int rc = t.get(t.dbs().queues, target.queue_name, &bytes);
  if (rc) return rc;
  auto rec = QueueRecord::deserialize(bytes);
  if (!rec) return MDB_CORRUPTED;
  if (rec->id != target.queue_id) return MDB_NOTFOUND;
  if (target.reserve > rec->seq_reserved) {
    rec->seq_reserved = target.reserve;
    if (int prc = t.put(t.dbs().queues, target.queue_name, rec->serialize())) return prc;
  }
  const std::string key = message_key(target.queue_id, target.seq);
  if (int prc = t.put_usually_last(t.dbs().messages, key, record.serialize())) return prc;
  return t.put_usually_last(t.dbs().states, key, state.serialize());
}

int transfer_message(WriteTxn& t, MessageTransfer& m) {
  m.outcome = TransferOutcome::kPending;
  const std::string key = message_key(m.source_queue_id, m.source_seq);
  std::string_view bytes;
  int rc = t.get(t.dbs().messages, key, &bytes);
  if (rc == MDB_NOTFOUND) {  // deleted or purged while the move was on its way
    m.outcome = TransferOutcome::kSourceGone;
    return 0;
  }
  if (rc) return rc;
  auto record = MessageRecord::deserialize(bytes);
  if (!record) return MDB_CORRUPTED;
  if (m.dedup_id_from_message_id) record->dedup_id = record->message_id;
  if (!m.new_message_id.empty()) record->message_id = m.new_message_id;
  record->dead_letter_source_arn = m.dead_letter_source_arn;
  rc = insert_existing_message(t, m.target, *record, m.state);
  if (rc == MDB_NOTFOUND) {  // the target queue is gone: the message stays where it is
    m.outcome = TransferOutcome::kTargetGone;
    return 0;
  }
  if (rc) return rc;
  if (int drc = t.del(t.dbs().messages, key)) return drc;
  if (int drc = t.del(t.dbs().states, key)) return drc;
  m.outcome = TransferOutcome::kMoved;
  return 0;
}

}  // namespace sluice::storage
