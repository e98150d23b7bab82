#include "bench/load/message_producer.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <string>

#include "bench/load/batch_entries.h"
#include "bench/load/message_body.h"

namespace sluice::bench {
namespace {

// prefix + decimal n, formatted in a buffer: GCC 12 warns falsely (-Wrestrict) on the string
// concatenations that would say the same.
std::string numbered(std::string_view prefix, uint64_t n) {
  char digits[24];
  const auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), n);
  (void)ec;
  std::string out;
  out.reserve(prefix.size() + static_cast<size_t>(end - digits));
  out.append(prefix).append(digits, end);
  return out;
}

}  // namespace

MessageProducer::MessageProducer(const WorkloadContext& context, const ProducerSettings& settings)
    : context_(context), settings_(settings) {
  settings_.batch_size = std::clamp<uint32_t>(settings_.batch_size, 1, 10);
  settings_.groups = std::max<uint32_t>(settings_.groups, 1);
}

void MessageProducer::restart_budget() {
  issued_ = 0;
}

std::optional<PlannedRequest> MessageProducer::next(uint64_t now_ns) {
  uint64_t count = settings_.batch_size;
  if (settings_.budget != 0) {
    if (issued_ >= settings_.budget) return std::nullopt;
    count = std::min<uint64_t>(count, settings_.budget - issued_);
  }
  const QueueSet& queues = *context_.queues;
  MessageLedger& ledger = *context_.ledger;

  PlannedRequest request;
  request.queue = next_queue_;
  next_queue_ = (next_queue_ + 1) % static_cast<uint32_t>(queues.urls.size());
  request.entries = static_cast<uint32_t>(count);
  request.sent.resize(count);

  std::array<std::string, 10> bodies;
  std::array<std::string, 10> groups;
  std::array<std::string, 10> dedups;
  std::array<OutgoingMessage, 10> messages;
  for (size_t i = 0; i < count; ++i) {
    const uint64_t seq = ledger.next_seq++;
    bodies[i] = make_body(BodyStamp{ledger.run_id, seq, now_ns}, settings_.body_size);
    request.sent[i] = SentEntry{seq, md5(bodies[i])};
    messages[i].id = kBatchEntryIds[i];
    messages[i].body = bodies[i];
    if (settings_.fifo) {
      groups[i] = numbered("g", seq % settings_.groups);
      dedups[i] = numbered(std::to_string(ledger.run_id) + "-", seq);
      messages[i].group_id = groups[i];
      messages[i].dedup_id = dedups[i];
    }
  }
  const std::string& url = queues.urls[request.queue];
  if (settings_.batch_size == 1) {
    request.action = ApiAction::kSendMessage;
    request.wire = context_.builder->send_message(url, messages[0]);
  } else {
    request.action = ApiAction::kSendMessageBatch;
    request.wire = context_.builder->send_message_batch(url, std::span(messages.data(), count));
  }
  issued_ += count;
  outstanding_ += count;
  return request;
}

void MessageProducer::on_lost(const PlannedRequest& request) {
  outstanding_ -= std::min<uint64_t>(outstanding_, request.entries);
}

void MessageProducer::on_response(const PlannedRequest& request, const HttpResponse& response,
                                  RunStats& stats) {
  outstanding_ -= std::min<uint64_t>(outstanding_, request.entries);
  SeqTracker& seqs = context_.ledger->seqs;
  const auto accept = [&](const SentEntry& entry, std::string_view md5_hex,
                          std::string_view message_id) {
    if (!hex_equals(md5_hex, entry.md5)) {
      stats.add_error(
          request.action, "md5-mismatch",
          "MD5OfMessageBody " + std::string(md5_hex) + ", expected " + to_hex(entry.md5));
      return;
    }
    ++stats.messages().sent;
    seqs.acknowledged(entry.seq);
    if (on_ack_) on_ack_(message_id);
  };

  if (request.action == ApiAction::kSendMessage) {
    auto result = context_.parser->send_message(response);
    if (!result) {
      stats.add_error(request.action, result.failure().label, result.failure().detail);
      return;
    }
    accept(request.sent[0], result->md5_of_body, result->message_id);
    return;
  }

  auto result = context_.parser->batch(response);
  if (!result) {
    stats.add_error(request.action, result.failure().label, result.failure().detail);
    return;
  }
  const std::string problem = match_batch_answers(
      *result, request.sent.size(),
      [&](size_t i, const BatchSuccessEntry& e) {
        accept(request.sent[i], e.md5_of_body, e.message_id);
      },
      [&](size_t, const BatchErrorEntry& e) {
        stats.add_error(request.action, e.code.empty() ? "batch-entry-failed" : e.code, e.message);
      });
  if (!problem.empty())
    stats.add_error(request.action, kBadResponse, "SendMessageBatch: " + problem);
}

}  // namespace sluice::bench
