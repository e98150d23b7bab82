#include "bench/load/receive_delete_workload.h"

namespace sluice::bench {

ReceiveDeleteWorkload::ReceiveDeleteWorkload(const WorkloadContext& context,
                                             const ConsumerSettings& settings, uint32_t connections,
                                             uint64_t budget)
    : consumer_(context, settings), connections_(connections) {
  if (budget != 0) consumer_.set_target(budget);
}

std::vector<PoolSpec> ReceiveDeleteWorkload::pools() const {
  return {PoolSpec{"consumers", connections_, true}};
}

std::optional<PlannedRequest> ReceiveDeleteWorkload::next(size_t /*pool*/, uint64_t now_ns) {
  return consumer_.next(now_ns);
}

void ReceiveDeleteWorkload::on_response(const PlannedRequest& request, const HttpResponse& response,
                                        RunStats& stats, uint64_t now_ns) {
  consumer_.on_response(request, response, stats, now_ns);
}

}  // namespace sluice::bench
