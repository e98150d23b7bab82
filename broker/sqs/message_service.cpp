// See message_service.h. The texts of the errors made here are SQS's (validation.cpp has the
// per-message ones); the store's per-message rules answer with SQS's texts too.
#include "broker/sqs/message_service.h"

#include <utility>

#include "broker/sqs/api/message_md5.h"
#include "broker/sqs/api/validation.h"
#include "storage/queue/sequence_number.h"

namespace sluice::sqs {

namespace {

using StoreResults = Result<std::vector<Result<storage::SentMessage>>>;

// A FIFO queue's whole-request rule of SendMessageBatch: one entry without a deduplication id (and
// no content-based deduplication) or without a group id fails every entry, as in SQS. Checked over
// all entries, also those that fail their own checks later (SQS looks at the request first).
Status check_fifo_batch(const storage::QueueKind& kind,
                        const std::vector<OutgoingMessage>& messages) {
  if (!kind.fifo) return {};
  // A missing group id is a missing parameter (as in SendMessage), and SQS asks for it before it
  // looks at deduplication.
  for (const auto& m : messages) {
    if (!m.group_id) {
      return make_error(ErrorCode::kMissingParameter,
                        "The request must contain the parameter MessageGroupId.");
    }
  }
  for (const auto& m : messages) {
    if (!kind.content_based_deduplication && !m.deduplication_id) {
      return make_error(ErrorCode::kInvalidParameterValue,
                        "The queue should either have ContentBasedDeduplication enabled or "
                        "MessageDeduplicationId provided explicitly");
    }
  }
  return {};
}

std::string trace_header_of(const std::vector<MessageAttribute>& system_attributes) {
  for (const auto& a : system_attributes) {
    if (a.name == "AWSTraceHeader") return a.string_value;
  }
  return {};
}

// The receipt's digests, taken before the message's parts move into the store.
SentReceipt digests_of(const OutgoingMessage& m) {
  SentReceipt r;
  r.md5_of_attributes = md5_of_message_attributes(m.attributes);
  r.md5_of_system_attributes = md5_of_message_system_attributes(m.system_attributes);
  return r;
}

// Moves a checked message into the store's form. delay_seconds is 0..900 here (check()).
storage::NewMessage to_new_message(OutgoingMessage&& m, const std::string& sender_id) {
  storage::NewMessage out;
  out.body_md5 = md5_hex(m.body);
  out.body = std::move(m.body);
  out.attributes.reserve(m.attributes.size());
  for (auto& a : m.attributes) {
    out.attributes.push_back(storage::MessageAttribute{
        std::move(a.name), std::move(a.data_type),
        a.is_binary ? std::move(a.binary_value) : std::move(a.string_value), a.is_binary});
  }
  if (m.delay_seconds) out.delay_seconds = static_cast<uint32_t>(*m.delay_seconds);
  out.sender_id = sender_id;
  out.aws_trace_header = trace_header_of(m.system_attributes);
  // The store decides by queue type what these mean (fifo_rules.h): required on FIFO queues; on a
  // standard queue a group id is kept (fair queues) and a deduplication id refused.
  if (m.group_id) out.group_id = std::move(*m.group_id);
  if (m.deduplication_id) out.dedup_id = std::move(*m.deduplication_id);
  return out;
}

// Fills in what only the store knows. A FIFO duplicate's id and seq are the original's.
void complete(SentReceipt& receipt, bool fifo, storage::SentMessage& sent) {
  receipt.message_id = std::move(sent.message_id);
  if (fifo) receipt.sequence_number = storage::sequence_number_text(sent.seq);
}

}  // namespace

MessageService::MessageService(storage::QueueStore& store, std::string sender_id)
    : store_(store), sender_id_(std::move(sender_id)) {}

storage::QueueStore& MessageService::store() {
  return store_;
}

Status MessageService::check(const OutgoingMessage& m) {
  return validate_message(m.body, m.delay_seconds, m.attributes, m.system_attributes, m.group_id,
                          m.deduplication_id);
}

Status MessageService::check_batch(const std::vector<OutgoingMessage>& messages) {
  if (auto st = validate_batch_entry_count(messages.size(), "SendMessageBatchRequestEntry"); !st) {
    return st;
  }
  size_t total = 0;
  for (const auto& m : messages) total += message_size(m.body, m.attributes);
  if (total <= kMaxBatchPayload) return {};
  return make_error(ErrorCode::kBatchRequestTooLong,
                    "Batch requests cannot be longer than " + std::to_string(kMaxBatchPayload) +
                        " bytes. You have sent " + std::to_string(total) + " bytes.");
}

Error MessageService::throttled() {
  return make_error(ErrorCode::kRequestThrottled, "Request is throttled.");
}

void MessageService::send(std::string_view queue_name, OutgoingMessage message,
                          std::function<void(Result<SentReceipt>)> done) {
  if (auto st = check(message); !st) return done(std::move(st).error());
  // The queue type is read now: the sequence number is shown only for a FIFO queue.
  auto kind = store_.queue_kind(queue_name);
  if (!kind) return done(std::move(kind).error());
  size_t bytes = message_size(message.body, message.attributes);
  if (!backlog_.admit(bytes)) return done(throttled());
  SentReceipt receipt = digests_of(message);
  std::vector<storage::NewMessage> batch;
  batch.push_back(to_new_message(std::move(message), sender_id_));
  receipt.md5_of_body = batch.front().body_md5;
  store_.send(queue_name, std::move(batch),
              [this, bytes, fifo = kind->fifo, receipt = std::move(receipt),
               done = std::move(done)](StoreResults sent) mutable {
                backlog_.release(bytes);
                if (!sent) return done(std::move(sent).error());
                auto& one = sent->front();
                if (!one) return done(std::move(one).error());
                complete(receipt, fifo, *one);
                done(std::move(receipt));
              });
}

void MessageService::send_batch(
    std::string_view queue_name, std::vector<OutgoingMessage> messages,
    std::function<void(Result<std::vector<Result<SentReceipt>>>)> done) {
  if (auto st = check_batch(messages); !st) return done(std::move(st).error());
  auto kind = store_.queue_kind(queue_name);
  if (!kind) return done(std::move(kind).error());
  if (auto st = check_fifo_batch(*kind, messages); !st) return done(std::move(st).error());

  // results[i] is entry i's answer: an Error now, or a receipt the store's answer completes.
  std::vector<Result<SentReceipt>> results;
  results.reserve(messages.size());
  std::vector<size_t> stored;  // entry index of each message handed to the store, in order
  std::vector<storage::NewMessage> batch;
  size_t bytes = 0;
  for (auto& m : messages) {
    if (auto st = check(m); !st) {
      results.emplace_back(std::move(st).error());
      continue;
    }
    bytes += message_size(m.body, m.attributes);
    SentReceipt receipt = digests_of(m);
    batch.push_back(to_new_message(std::move(m), sender_id_));
    receipt.md5_of_body = batch.back().body_md5;
    stored.push_back(results.size());
    results.emplace_back(std::move(receipt));
  }
  if (batch.empty()) return done(std::move(results));
  if (!backlog_.admit(bytes)) return done(throttled());
  store_.send(queue_name, std::move(batch),
              [this, bytes, fifo = kind->fifo, results = std::move(results),
               stored = std::move(stored), done = std::move(done)](StoreResults sent) mutable {
                backlog_.release(bytes);
                if (!sent) return done(std::move(sent).error());
                for (size_t i = 0; i < stored.size(); ++i) {
                  auto& r = (*sent)[i];
                  Result<SentReceipt>& entry = results[stored[i]];
                  if (!r) {
                    entry = std::move(r).error();
                  } else {
                    complete(*entry, fifo, *r);
                  }
                }
                done(std::move(results));
              });
}

}  // namespace sluice::sqs
