// SetupWorkload: the unmeasured first phase. Creates every queue with CreateQueue (FifoQueue=true
// for FIFO; idempotent when the queue exists with the same attributes) or looks it up with
// GetQueueUrl under --no-create, records the QueueUrl, then optionally purges each queue. One
// request at a time on one connection. Any error ends the phase as failed(), except
// PurgeQueueInProgress (AWS allows one purge per 60 s), which is only a warning.
#pragma once

#include <string>
#include <vector>

#include "bench/load/workload.h"
#include "bench/load/workload_context.h"

namespace sluice::bench {

class SetupWorkload final : public Workload {
 public:
  SetupWorkload(const WorkloadContext& context, bool create, bool purge);

  std::vector<PoolSpec> pools() const override { return {PoolSpec{"setup", 1, false}}; }
  std::optional<PlannedRequest> next(size_t pool, uint64_t now_ns) override;
  void on_response(const PlannedRequest& request, const HttpResponse& response, RunStats& stats,
                   uint64_t now_ns) override;
  void on_lost(const PlannedRequest& request) override;
  bool done() const override { return failed_ || step_ >= total_steps(); }

  bool failed() const { return failed_; }
  const std::string& failure() const { return failure_; }
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  size_t total_steps() const;

  WorkloadContext context_;
  bool create_;
  bool purge_;
  size_t step_ = 0;  // queue lookups first, then purges
  bool waiting_ = false;
  bool failed_ = false;
  std::string failure_;
  std::vector<std::string> warnings_;
};

}  // namespace sluice::bench
