// ReceiveDeleteWorkload: consumers only (workload receive-delete). Receives and deletes what is in
// the queues (put there by --prefill or by someone else); one pool of --connections, rate-limited
// under --rate. With --messages it ends when that many messages were deleted (or failed to be).
#pragma once

#include "bench/load/message_consumer.h"

namespace sluice::bench {

class ReceiveDeleteWorkload final : public Workload {
 public:
  ReceiveDeleteWorkload(const WorkloadContext& context, const ConsumerSettings& settings,
                        uint32_t connections, uint64_t budget);

  std::vector<PoolSpec> pools() const override;
  std::optional<PlannedRequest> next(size_t pool, uint64_t now_ns) override;
  void on_response(const PlannedRequest& request, const HttpResponse& response, RunStats& stats,
                   uint64_t now_ns) override;
  void on_lost(const PlannedRequest& request) override { consumer_.on_lost(request); }
  void on_measure_start() override { consumer_.restart_budget(); }
  bool done() const override { return consumer_.target_reached() && consumer_.idle(); }

 private:
  MessageConsumer consumer_;
  uint32_t connections_;
};

}  // namespace sluice::bench
