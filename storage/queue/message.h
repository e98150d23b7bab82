// The message as the queue store sees it: what a send hands in, what the store keeps in LMDB, and
// what a receive hands out. Bodies and attributes live only in LMDB (MessageRecord); the in-memory
// index keeps a few fixed-size fields per message (see queue_index.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/result.h"

namespace sluice::storage {

struct MessageAttribute {
  std::string name;
  std::string data_type;  // "String", "Number", "Binary", optionally with a ".custom" suffix
  std::string value;      // StringValue, or the raw bytes of BinaryValue
  bool is_binary = false;
};

struct NewMessage {
  std::string body;
  std::string body_md5;  // hex, computed by the caller (it is on the wire anyway)
  std::vector<MessageAttribute> attributes;
  std::optional<uint32_t> delay_seconds;  // absent: the queue's DelaySeconds
  std::string sender_id;
  std::string aws_trace_header;  // the AWSTraceHeader system attribute, if sent
  // MessageGroupId: required on a FIFO queue (its order and blocking unit); on a standard queue
  // (a fair queue) only stored and handed back. Empty = not sent.
  std::string group_id;
  // MessageDeduplicationId, FIFO only. Empty on a queue with ContentBasedDeduplication: the
  // store then uses the SHA-256 of the body.
  std::string dedup_id;
};

struct SentMessage {
  std::string message_id;
  uint64_t seq = 0;        // FIFO: its SequenceNumber is sequence_number_text(seq)
  bool duplicate = false;  // FIFO: deduplicated; message_id/seq are those of the original
};

struct ReceivedMessage {
  std::string message_id;
  std::string receipt_handle;
  std::string body;
  std::string body_md5;
  std::vector<MessageAttribute> attributes;
  std::string sender_id;
  std::string aws_trace_header;
  std::string group_id;  // empty when none
  std::string dedup_id;  // FIFO
  uint64_t seq = 0;
  std::string dead_letter_source_arn;  // set on messages a receive moved to a dead-letter queue
  int64_t sent_ms = 0;
  int64_t first_receive_ms = 0;
  uint32_t receive_count = 0;
};

// The immutable part of a stored message ("messages" table). The fixed fields end with the body;
// optional tagged fields (u8 tag + string) follow, only when set, so records written before a field
// existed still read. Version 2 tags: 1 = group id, 2 = deduplication id, 3 = dead-letter source
// ARN. Version 1 records (written before FIFO and dead-letter queues were merged) used tag 1 for
// either the group id or the dead-letter source ARN; deserialize() tells them apart (message.cpp).
struct MessageRecord {
  std::string message_id;
  std::string body_md5;
  std::string sender_id;
  std::string aws_trace_header;
  std::vector<MessageAttribute> attributes;
  std::string body;
  std::string group_id;
  std::string dedup_id;
  // The queue a receive moved this message out of (the DeadLetterQueueSourceArn system attribute).
  std::string dead_letter_source_arn;

  std::string serialize() const;
  static Result<MessageRecord> deserialize(std::string_view bytes);
};

// The DeadLetterQueueSourceArn of a serialized MessageRecord, read without copying the body;
// empty when it has none (or the bytes are not a record).
std::string_view dead_letter_source_arn_of(std::string_view record_bytes);

// The mutable part ("states" table): small, rewritten on every receive and visibility change.
// A FIFO message's state also names its group (a tagged field after the fixed 29 bytes, tag 1), so
// recovery rebuilds the groups from this table alone, without reading bodies.
struct MessageState {
  static constexpr size_t kFixedSize = 29;
  int64_t sent_ms = 0;
  int64_t visible_at_ms = 0;
  int64_t first_receive_ms = 0;
  uint32_t receive_count = 0;
  std::string group_id;  // FIFO queues only

  std::string serialize() const;
  // The fixed fields from this state and the tagged tail (the group) from `stored`: what a
  // receive or visibility change writes over a stored state without knowing its group.
  std::string serialize_over(std::string_view stored) const;
  static Result<MessageState> deserialize(std::string_view bytes);
};

// The fields of a serialized MessageState read in place: the group points into the bytes. What
// recovery reads of each of millions of states, without an allocation.
struct MessageStateView {
  int64_t sent_ms = 0;
  int64_t visible_at_ms = 0;
  int64_t first_receive_ms = 0;
  uint32_t receive_count = 0;
  std::string_view group_id;
};
// nullopt when the bytes are not a (version 1) state.
std::optional<MessageStateView> view_message_state(std::string_view bytes);

// AWS counts a message's size as its body plus each attribute's name, data type and value.
size_t message_size(const NewMessage& m);

}  // namespace sluice::storage
