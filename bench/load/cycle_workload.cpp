#include "bench/load/cycle_workload.h"

namespace sluice::bench {

CycleWorkload::CycleWorkload(const WorkloadContext& context, const ProducerSettings& producer,
                             const ConsumerSettings& consumer, uint32_t producers,
                             uint32_t consumers)
    : context_(context),
      producer_(context, producer),
      consumer_(context, consumer),
      producers_(producers),
      consumers_(consumers),
      budgeted_(producer.budget != 0) {}

std::vector<PoolSpec> CycleWorkload::pools() const {
  return {PoolSpec{"producers", producers_, true}, PoolSpec{"consumers", consumers_, false}};
}

void CycleWorkload::on_measure_start() {
  producer_.restart_budget();
  measuring_ = true;
}

bool CycleWorkload::everything_received() const {
  if (context_.ledger->producing.load() != 0) return false;
  const SeqTracker& seqs = context_.ledger->seqs;
  return seqs.received_count() >= seqs.acknowledged_count();
}

void CycleWorkload::note_settled() {
  if (settled_noted_ || !measuring_ || !budgeted_ || !producer_.settled()) return;
  settled_noted_ = true;
  context_.ledger->settle_one();
}

std::optional<PlannedRequest> CycleWorkload::next(size_t pool, uint64_t now_ns) {
  note_settled();
  if (pool == 0) return producer_.next(now_ns);
  // Once the producers are finished and everything came back, only deletes remain.
  consumer_.set_target(budgeted_ && producer_.settled() && everything_received()
                           ? std::optional<uint64_t>(0)
                           : std::nullopt);
  return consumer_.next(now_ns);
}

void CycleWorkload::on_response(const PlannedRequest& request, const HttpResponse& response,
                                RunStats& stats, uint64_t now_ns) {
  if (is_send(request.action)) {
    producer_.on_response(request, response, stats);
    note_settled();
  } else {
    consumer_.on_response(request, response, stats, now_ns);
  }
}

void CycleWorkload::on_lost(const PlannedRequest& request) {
  if (is_send(request.action)) {
    producer_.on_lost(request);
    note_settled();
  } else {
    consumer_.on_lost(request);
  }
}

bool CycleWorkload::done() const {
  return budgeted_ && producer_.settled() && consumer_.idle() && everything_received();
}

void CycleWorkload::finish(RunStats& stats, StopReason reason) {
  // Stopped by time or by hand: messages still queued are not lost.
  if (!context_.ledger->finish_one()) return;  // another thread may still receive our messages
  if (!budgeted_ || (reason != StopReason::kDone && reason != StopReason::kStalled)) return;
  if (const uint64_t missing = context_.ledger->seqs.missing(); missing > 0) {
    stats.add_error("not-received", "acknowledged by the server but never received", missing);
  }
}

}  // namespace sluice::bench
