// The trigger workload: queue -> pipe -> STANDARD state machine, measured end to end.
//
// TriggerSetupWorkload (unmeasured, after the queue is set up): creates a STANDARD state machine
// with one Pass state, named for this run, and the pipe --queue-prefix + "trigger" from the queue
// to it (InvocationType FIRE_AND_FORGET, BatchSize --pipe-batch-size); a pipe left by an earlier
// run is pointed at the new machine with UpdatePipe.
// TriggerWorkload (measured): producers send as the send workload does, and every acknowledged
// MessageId is recorded with the time of its acknowledgement.
// TriggerCollectWorkload (after the run, unmeasured): pages through ListExecutions of the machine
// until every acknowledged message's execution exists (a pipe names an execution after its batch's
// first message) or nothing new appears for --timeout. It then fills the measured run's numbers:
// workflows.executions = executions that started inside the measured window (so executions_per_s
// is the sustained trigger rate beside messages sent/s), and the end-to-end histogram = from a
// send's acknowledgement to its execution's startDate (the server's ExecutionStarted time, with
// millisecond resolution; both clocks are this machine's wall clock). Messages whose execution
// never appeared are errors ("not-started").
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

#include "bench/load/message_producer.h"
#include "bench/load/workload.h"
#include "bench/load/workload_context.h"

namespace sluice::bench {

inline constexpr const char* kTriggerPipeSuffix = "trigger";

class TriggerSetupWorkload final : public Workload {
 public:
  TriggerSetupWorkload(const WorkloadContext& context, std::string region, uint32_t run_id);

  std::vector<PoolSpec> pools() const override { return {PoolSpec{"setup", 1, false}}; }
  std::optional<PlannedRequest> next(size_t pool, uint64_t now_ns) override;
  void on_response(const PlannedRequest& request, const HttpResponse& response, RunStats& stats,
                   uint64_t now_ns) override;
  void on_lost(const PlannedRequest& request) override;
  bool done() const override { return failed_ || step_ == Step::kDone; }

  bool failed() const { return failed_; }
  const std::string& failure() const { return failure_; }

 private:
  enum class Step { kMachine, kPipe, kUpdate, kDone };
  std::string pipe_body(bool with_source) const;
  void fail(RunStats& stats, ApiAction action, const HttpResponse& response);

  WorkloadContext context_;
  std::string region_;
  std::string account_;
  std::string machine_name_;
  Step step_ = Step::kMachine;
  bool in_flight_ = false;
  bool failed_ = false;
  std::string failure_;
};

class TriggerWorkload final : public Workload {
 public:
  TriggerWorkload(const WorkloadContext& context, const ProducerSettings& settings,
                  uint32_t connections);

  std::vector<PoolSpec> pools() const override;
  std::optional<PlannedRequest> next(size_t pool, uint64_t now_ns) override;
  void on_response(const PlannedRequest& request, const HttpResponse& response, RunStats& stats,
                   uint64_t now_ns) override;
  void on_lost(const PlannedRequest& request) override { producer_.on_lost(request); }
  void on_measure_start() override;
  bool done() const override { return producer_.settled(); }
  void finish(RunStats& stats, StopReason reason) override;

 private:
  WorkloadContext context_;
  MessageProducer producer_;
  uint32_t connections_;
};

class TriggerCollectWorkload final : public Workload {
 public:
  // Fills `measured` (the measured run's statistics) when done.
  TriggerCollectWorkload(const WorkloadContext& context, RunStats& measured, double timeout_s);

  std::vector<PoolSpec> pools() const override { return {PoolSpec{"collect", 1, false}}; }
  std::optional<PlannedRequest> next(size_t pool, uint64_t now_ns) override;
  void on_response(const PlannedRequest& request, const HttpResponse& response, RunStats& stats,
                   uint64_t now_ns) override;
  void on_lost(const PlannedRequest& request) override;
  bool done() const override { return done_; }
  void finish(RunStats& stats, StopReason reason) override;

  uint64_t found() const { return found_.size(); }

 private:
  WorkloadContext context_;
  RunStats& measured_;
  uint64_t timeout_ns_;
  std::unordered_map<std::string, int64_t> found_;  // message id -> execution start (epoch ms)
  std::string next_token_;
  bool in_flight_ = false;
  bool done_ = false;
  uint64_t rescan_at_ns_ = 0;
  uint64_t last_new_ns_ = 0;
};

}  // namespace sluice::bench
