// CycleWorkload: a full produce/consume cycle (workloads cycle and long-poll) with separate pools:
// producers send (rate-limited under --rate), consumers receive and delete (closed loop, long
// polling with --wait-seconds) and measure send-to-receive latency. With --messages the producers
// stop after that many messages and the run ends when every acknowledged message was received once
// and all deletes were answered; anything acknowledged but never received is then an error
// ("not-received").
#pragma once

#include "bench/load/message_consumer.h"
#include "bench/load/message_producer.h"

namespace sluice::bench {

class CycleWorkload final : public Workload {
 public:
  CycleWorkload(const WorkloadContext& context, const ProducerSettings& producer,
                const ConsumerSettings& consumer, uint32_t producers, uint32_t consumers);

  std::vector<PoolSpec> pools() const override;
  std::optional<PlannedRequest> next(size_t pool, uint64_t now_ns) override;
  void on_response(const PlannedRequest& request, const HttpResponse& response, RunStats& stats,
                   uint64_t now_ns) override;
  void on_lost(const PlannedRequest& request) override;
  void on_measure_start() override;
  bool done() const override;
  void finish(RunStats& stats, StopReason reason) override;

 private:
  static bool is_send(ApiAction a) {
    return a == ApiAction::kSendMessage || a == ApiAction::kSendMessageBatch;
  }
  bool everything_received() const;
  void note_settled();

  WorkloadContext context_;
  MessageProducer producer_;
  MessageConsumer consumer_;
  uint32_t producers_;
  uint32_t consumers_;
  bool budgeted_;
  bool measuring_ = false;
  bool settled_noted_ = false;  // this producer's share of ledger.producing is given back
};

}  // namespace sluice::bench
