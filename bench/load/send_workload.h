// SendWorkload: producers only (workloads send, send-batch, fifo). One pool of --connections,
// rate-limited under --rate. With --messages it ends when that many messages were answered.
#pragma once

#include "bench/load/message_producer.h"

namespace sluice::bench {

class SendWorkload final : public Workload {
 public:
  SendWorkload(const WorkloadContext& context, const ProducerSettings& settings,
               uint32_t connections);

  std::vector<PoolSpec> pools() const override;
  std::optional<PlannedRequest> next(size_t pool, uint64_t now_ns) override;
  void on_response(const PlannedRequest& request, const HttpResponse& response, RunStats& stats,
                   uint64_t now_ns) override;
  void on_lost(const PlannedRequest& request) override { producer_.on_lost(request); }
  void on_measure_start() override { producer_.restart_budget(); }
  bool done() const override { return producer_.settled(); }

 private:
  MessageProducer producer_;
  uint32_t connections_;
};

}  // namespace sluice::bench
