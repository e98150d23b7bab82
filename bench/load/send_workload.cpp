#include "bench/load/send_workload.h"

namespace sluice::bench {

SendWorkload::SendWorkload(const WorkloadContext& context, const ProducerSettings& settings,
                           uint32_t connections)
    : producer_(context, settings), connections_(connections) {}

std::vector<PoolSpec> SendWorkload::pools() const {
  return {PoolSpec{"producers", connections_, true}};
}

std::optional<PlannedRequest> SendWorkload::next(size_t /*pool*/, uint64_t now_ns) {
  return producer_.next(now_ns);
}

void SendWorkload::on_response(const PlannedRequest& request, const HttpResponse& response,
                               RunStats& stats, uint64_t /*now_ns*/) {
  producer_.on_response(request, response, stats);
}

}  // namespace sluice::bench
