// MessageProducer: the sending half of a workload. Builds SendMessage (batch size 1) or
// SendMessageBatch requests with self-checking bodies, spread round-robin over the queues; for FIFO
// queues every message carries MessageGroupId (one of --groups) and a MessageDeduplicationId unique
// to the run. Checks every answer: each entry's MD5OfMessageBody against the body sent, every batch
// entry answered exactly once. An optional budget caps the messages handed out after
// restart_budget(). Loop thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

#include "bench/load/workload.h"
#include "bench/load/workload_context.h"

namespace sluice::bench {

struct ProducerSettings {
  uint32_t batch_size = 1;  // 1 = SendMessage, 2..10 = SendMessageBatch
  uint32_t body_size = 256;
  bool fifo = false;
  uint32_t groups = 1;
  uint64_t budget = 0;  // messages; 0 = unlimited
};

class MessageProducer {
 public:
  MessageProducer(const WorkloadContext& context, const ProducerSettings& settings);

  std::optional<PlannedRequest> next(uint64_t now_ns);
  void on_response(const PlannedRequest& request, const HttpResponse& response, RunStats& stats);
  void on_lost(const PlannedRequest& request);

  // Called with the MessageId of every message acknowledged with a correct MD5.
  void observe_acks(std::function<void(std::string_view message_id)> fn) {
    on_ack_ = std::move(fn);
  }

  void restart_budget();
  // Every budgeted message has been handed out.
  bool budget_spent() const { return settings_.budget != 0 && issued_ >= settings_.budget; }
  // ... and every one of them has been answered or lost.
  bool settled() const { return budget_spent() && outstanding_ == 0; }
  uint64_t outstanding() const { return outstanding_; }

 private:
  WorkloadContext context_;
  ProducerSettings settings_;
  uint64_t issued_ = 0;       // messages handed out since restart_budget()
  uint64_t outstanding_ = 0;  // messages in requests not yet answered
  uint32_t next_queue_ = 0;
  std::function<void(std::string_view)> on_ack_;
};

}  // namespace sluice::bench
