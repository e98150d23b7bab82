// MessageService: the one send path into SQS queues. SendMessage and SendMessageBatch (the SQS
// handlers), the Step Functions sqs:sendMessage task and a pipe's SQS queue target all send
// through it, so a message is checked, converted and answered for the same way whoever sends it:
// the same Errors (SQS's code and message text), MD5s, SenderId and sequence numbers. Nothing else
// calls QueueStore::send for a new message (redrive and dead-lettering move stored messages inside
// the store; see storage/queue/message_transfer.h).
//
// What it owns:
//  - the model checks of a message (validation.h validate_message: body characters, DelaySeconds
//    0..900, attributes, the AWSTraceHeader system attribute, group/deduplication id format);
//  - SendMessageBatch's checks that need neither the queue nor the entry Ids (1..10 entries, the
//    1 MiB total payload) and its FIFO whole-request rules (every entry has a MessageGroupId, and
//    a MessageDeduplicationId unless the queue has ContentBasedDeduplication);
//  - the conversion to storage::NewMessage (body MD5, SenderId, AWSTraceHeader) and the store call;
//  - the receipts: MD5s of body/attributes/system attributes, MessageId, FIFO SequenceNumber.
// The store applies the rules that need the queue's current attributes to each message (its
// MaximumMessageSize, then storage/queue/fifo_rules.h) and deduplicates FIFO sends.
//
// What callers keep: naming the queue (a QueueUrl -> name, with their own account check), their
// input format and their output format. SendMessageBatch's entry Ids are the handler's: it runs
// validate_batch (count, Id format, distinct Ids) and pairs the per-entry results with its Ids.
//
// Invariants:
//  - Checks run in SQS's order: the message's model checks, then the queue exists, then (batch)
//    the FIFO whole-request rules, then the store's MaximumMessageSize and FIFO/standard rules.
//    SQS reports a bad message before an unknown queue: a caller whose QueueUrl names no queue
//    runs check() (and check_batch()) itself before answering QueueDoesNotExist.
//  - A message that fails a check never reaches the store; in a batch it fails only its own entry
//    (the whole-request checks fail the whole call). At most one QueueStore::send (one commit)
//    per call; `done` is called exactly once: after the send is durable, or at once on an error.
//  - A FIFO duplicate (within the five-minute window) answers with the original's MessageId and
//    SequenceNumber and stores nothing.
//  - Overload: the payload bytes handed to the store and not yet committed are bounded by the
//    uncommitted limit. A send that would pass it (when anything is waiting at all) fails with
//    RequestThrottled ("Request is throttled.", which the SDKs retry with backoff) after its
//    checks and before the store sees it, so memory stays bounded when requests arrive faster
//    than commits complete, and the caller hears so at once instead of waiting ever longer.
//
// Thread: the QueueStore's owner thread (the reactor); callbacks run there.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "broker/sqs/api/requests.h"
#include "storage/commit_backlog.h"
#include "storage/queue/queue_store.h"
#include "storage/result.h"

namespace sluice::sqs {

// All messages of a SendMessageBatch together (message_size of each), in bytes.
inline constexpr std::size_t kMaxBatchPayload = 1048576;

// One message to send, as SendMessage or a SendMessageBatch entry carries it.
struct OutgoingMessage {
  std::string body;
  std::vector<MessageAttribute> attributes;         // broker/sqs/api/requests.h
  std::vector<MessageAttribute> system_attributes;  // AWSTraceHeader only
  std::optional<int64_t> delay_seconds;
  std::optional<std::string> group_id;
  std::optional<std::string> deduplication_id;
};

// What SendMessage answers for it.
struct SentReceipt {
  std::string message_id;
  std::string md5_of_body;
  std::string md5_of_attributes;         // "" when there are no attributes
  std::string md5_of_system_attributes;  // "" when none
  std::string sequence_number;           // FIFO queues only, else ""
};

class MessageService {
 public:
  // sender_id: the SenderId every message carries (the account id).
  MessageService(storage::QueueStore& store, std::string sender_id);
  MessageService(const MessageService&) = delete;
  MessageService& operator=(const MessageService&) = delete;

  // SendMessage's checks (model ranges, body characters, attributes, group/dedup id format, the
  // queue's MaximumMessageSize and FIFO rules), then one commit. Errors are the SQS Errors
  // (code + message) SendMessage answers.
  void send(std::string_view queue_name, OutgoingMessage message,
            std::function<void(Result<SentReceipt>)> done);

  // SendMessageBatch after its batch-level checks (count, ids, total size, the FIFO
  // whole-request rules): per-entry results in input order, one commit for the valid ones.
  // The whole call fails (outer Error) on check_batch(), an unknown queue or a FIFO
  // whole-request rule; an entry that fails a message check or a store rule fails alone.
  void send_batch(std::string_view queue_name, std::vector<OutgoingMessage> messages,
                  std::function<void(Result<std::vector<Result<SentReceipt>>>)> done);

  // The checks send() makes before it looks at the queue (validate_message). For a caller that
  // could not name a queue: SQS answers a bad message before QueueDoesNotExist.
  static Status check(const OutgoingMessage& message);
  // SendMessageBatch's whole-request checks that need neither the queue nor entry Ids: 1..10
  // messages (kEmptyBatchRequest, kTooManyEntriesInBatchRequest) and at most kMaxBatchPayload
  // bytes together (kBatchRequestTooLong). send_batch() runs it first; the SendMessageBatch
  // handler also runs it before resolving the QueueUrl (after validate_batch, as SQS orders them).
  static Status check_batch(const std::vector<OutgoingMessage>& messages);

  storage::QueueStore& store();
  const std::string& sender_id() const { return sender_id_; }

  // Payload bytes of sends waiting for their commit, at most `bytes` (0: unbounded).
  void set_uncommitted_limit(size_t bytes) { backlog_.set_limit(bytes); }
  size_t uncommitted_bytes() const { return backlog_.waiting(); }
  uint64_t throttled_sends() const { return backlog_.refused(); }

 private:
  static Error throttled();

  storage::QueueStore& store_;
  std::string sender_id_;
  storage::CommitBacklog backlog_;
};

}  // namespace sluice::sqs
