// The Step Functions workloads. SfnSetupWorkload (unmeasured) creates the benchmark state machine
// with CreateStateMachine (idempotent: a second run finds the same machine) and records its ARN.
// SfnSyncWorkload (sfn-sync) runs StartSyncExecution of that EXPRESS machine,
//   Pass -> Choice -> Map(3 x Pass) -> Succeed,
// written in JSONPath, or in JSONata for sfn-sync-jsonata (the same machine with Output, a
// Condition and Items expressions, so that the two query languages compare side by side),
// on one pool of --connections (rate-limited under --rate; --messages = executions), and checks
// every answer: HTTP 200, status SUCCEEDED and the machine's output [1,2,3]. Each execution counts
// 7 state transitions, every state entered as AWS bills Standard workflows: Prepare, Decide, Each,
// the three Item iterations, Done.
#pragma once

#include <string>

#include "bench/load/workload.h"
#include "bench/load/workload_context.h"

namespace sluice::bench {

inline constexpr uint64_t kSfnTransitionsPerExecution = 7;
// The machine: its name is --queue-prefix + this.
inline constexpr const char* kSfnMachineSuffix = "pass-choice-map";
inline constexpr const char* kSfnJsonataMachineSuffix = "pass-choice-map-jsonata";
std::string sfn_benchmark_definition(bool jsonata = false);

class SfnSetupWorkload final : public Workload {
 public:
  SfnSetupWorkload(const WorkloadContext& context, bool jsonata);

  std::vector<PoolSpec> pools() const override { return {PoolSpec{"setup", 1, false}}; }
  std::optional<PlannedRequest> next(size_t pool, uint64_t now_ns) override;
  void on_response(const PlannedRequest& request, const HttpResponse& response, RunStats& stats,
                   uint64_t now_ns) override;
  void on_lost(const PlannedRequest& request) override;
  bool done() const override { return failed_ || created_; }

  bool failed() const { return failed_; }
  const std::string& failure() const { return failure_; }

 private:
  WorkloadContext context_;
  bool jsonata_ = false;
  bool sent_ = false;
  bool created_ = false;
  bool failed_ = false;
  std::string failure_;
};

class SfnSyncWorkload final : public Workload {
 public:
  SfnSyncWorkload(const WorkloadContext& context, uint32_t connections, uint64_t budget);

  std::vector<PoolSpec> pools() const override {
    return {PoolSpec{"executions", connections_, true}};
  }
  std::optional<PlannedRequest> next(size_t pool, uint64_t now_ns) override;
  void on_response(const PlannedRequest& request, const HttpResponse& response, RunStats& stats,
                   uint64_t now_ns) override;
  void on_lost(const PlannedRequest& request) override;
  void on_measure_start() override {
    issued_ = 0;
    answered_ = 0;
  }
  bool done() const override { return budget_ != 0 && answered_ >= budget_; }

 private:
  WorkloadContext context_;
  uint32_t connections_;
  uint64_t budget_;  // 0: until --duration ends
  uint64_t issued_ = 0;
  uint64_t answered_ = 0;
};

}  // namespace sluice::bench
