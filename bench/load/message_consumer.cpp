#include "bench/load/message_consumer.h"

#include <algorithm>
#include <array>

#include "bench/load/batch_entries.h"
#include "bench/load/message_body.h"

namespace sluice::bench {

MessageConsumer::MessageConsumer(const WorkloadContext& context, const ConsumerSettings& settings)
    : context_(context), settings_(settings), pending_(context.queues->urls.size()) {
  settings_.batch_size = std::clamp<uint32_t>(settings_.batch_size, 1, 10);
}

std::optional<PlannedRequest> MessageConsumer::next_delete() {
  const auto queues = static_cast<uint32_t>(pending_.size());
  for (uint32_t k = 0; k < queues; ++k) {
    const uint32_t q = (next_delete_queue_ + k) % queues;
    std::deque<std::string>& receipts = pending_[q];
    if (receipts.empty()) continue;
    next_delete_queue_ = (q + 1) % queues;

    PlannedRequest request;
    request.queue = q;
    const size_t count = std::min<size_t>(receipts.size(), settings_.batch_size);
    for (size_t i = 0; i < count; ++i) {
      request.receipts.push_back(std::move(receipts.front()));
      receipts.pop_front();
    }
    pending_total_ -= count;
    request.entries = static_cast<uint32_t>(count);
    const std::string& url = context_.queues->urls[q];
    if (settings_.batch_size == 1) {
      request.action = ApiAction::kDeleteMessage;
      request.wire = context_.builder->delete_message(url, request.receipts[0]);
    } else {
      std::array<DeleteEntry, 10> entries;
      for (size_t i = 0; i < count; ++i)
        entries[i] = DeleteEntry{kBatchEntryIds[i], request.receipts[i]};
      request.action = ApiAction::kDeleteMessageBatch;
      request.wire = context_.builder->delete_message_batch(url, std::span(entries.data(), count));
    }
    deletes_in_flight_ += count;
    return request;
  }
  return std::nullopt;
}

std::optional<PlannedRequest> MessageConsumer::next(uint64_t /*now_ns*/) {
  if (pending_total_ > 0) return next_delete();
  if (target_reached()) return std::nullopt;
  PlannedRequest request;
  request.action = ApiAction::kReceiveMessage;
  request.queue = next_receive_queue_;
  next_receive_queue_ = (next_receive_queue_ + 1) % static_cast<uint32_t>(pending_.size());
  request.entries = settings_.batch_size;
  request.wait_seconds = settings_.wait_seconds;
  const ReceiveOptions options{settings_.batch_size, settings_.wait_seconds,
                               settings_.visibility_timeout};
  request.wire = context_.builder->receive_message(context_.queues->urls[request.queue], options);
  return request;
}

void MessageConsumer::on_lost(const PlannedRequest& request) {
  if (request.action == ApiAction::kDeleteMessage ||
      request.action == ApiAction::kDeleteMessageBatch) {
    deletes_in_flight_ -= std::min<uint64_t>(deletes_in_flight_, request.entries);
    handled_ += request.entries;  // the messages come back after their visibility timeout
  }
}

void MessageConsumer::on_response(const PlannedRequest& request, const HttpResponse& response,
                                  RunStats& stats, uint64_t now_ns) {
  MessageCounters& counters = stats.messages();
  switch (request.action) {
    case ApiAction::kReceiveMessage: {
      auto result = context_.parser->receive_message(response);
      if (!result) {
        stats.add_error(request.action, result.failure().label, result.failure().detail);
        return;
      }
      const auto& messages = result->messages;
      if (messages.empty()) {
        ++counters.empty_receives;
        return;
      }
      if (messages.size() > request.entries) {
        stats.add_error(request.action, kBadResponse,
                        std::to_string(messages.size()) + " messages for MaxNumberOfMessages " +
                            std::to_string(request.entries));
      }
      MessageLedger& ledger = *context_.ledger;
      for (const ReceivedMessage& m : messages) {
        pending_[request.queue].push_back(m.receipt_handle);
        ++pending_total_;
        if (!hex_equals(m.md5_of_body, md5(m.body))) {
          stats.add_error(request.action, "md5-mismatch",
                          "MD5OfBody " + m.md5_of_body + " does not match the body received");
          continue;
        }
        BodyStamp stamp;
        switch (read_body(m.body, ledger.run_id, &stamp)) {
          case BodyKind::kOurs:
            if (!ledger.seqs.received(stamp.seq)) ++counters.redelivered;
            if (settings_.end_to_end && now_ns >= stamp.sent_ns) {
              stats.record_end_to_end((now_ns - stamp.sent_ns) / 1000);
            }
            break;
          case BodyKind::kOtherRun:
            ++counters.other_run;
            break;
          case BodyKind::kForeign:
            ++counters.foreign;
            break;
          case BodyKind::kCorrupt:
            stats.add_error(request.action, "body-corrupt",
                            "message " + m.message_id + " body is not what was sent");
            continue;
        }
        ++counters.received;
      }
      return;
    }
    case ApiAction::kDeleteMessage: {
      deletes_in_flight_ -= std::min<uint64_t>(deletes_in_flight_, 1);
      ++handled_;
      auto result = context_.parser->empty(response);
      if (!result) {
        stats.add_error(request.action, result.failure().label, result.failure().detail);
        return;
      }
      ++counters.deleted;
      ++deleted_total_;
      return;
    }
    case ApiAction::kDeleteMessageBatch: {
      deletes_in_flight_ -= std::min<uint64_t>(deletes_in_flight_, request.entries);
      handled_ += request.entries;
      auto result = context_.parser->batch(response);
      if (!result) {
        stats.add_error(request.action, result.failure().label, result.failure().detail);
        return;
      }
      const std::string problem = match_batch_answers(
          *result, request.receipts.size(),
          [&](size_t, const BatchSuccessEntry&) {
            ++counters.deleted;
            ++deleted_total_;
          },
          [&](size_t, const BatchErrorEntry& e) {
            stats.add_error(request.action, e.code.empty() ? "batch-entry-failed" : e.code,
                            e.message);
          });
      if (!problem.empty()) {
        stats.add_error(request.action, kBadResponse, "DeleteMessageBatch: " + problem);
      }
      return;
    }
    default:
      stats.add_error(request.action, kBadResponse, "consumer got an unexpected action");
  }
}

}  // namespace sluice::bench
