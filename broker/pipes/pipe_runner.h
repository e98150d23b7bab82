// PipeRunner: one pipe at work. It consumes its source queue in-process (QueueStore::watch /
// take), gathers batches (engine/pipes/batch_policy.h), filters each message
// (FilterCriteria: a message no pattern matches is removed and counted, as AWS does), enriches
// and transforms the batch, hands it to its target, and then settles its messages: delivered ones
// leave the queue, failed ones are given back with their receive counted (visible again after the
// queue's visibility timeout, dead-lettered by the queue's RedrivePolicy after maxReceiveCount).
//
// Promises:
//  - Nothing polls: the queue's watch wakes the runner when messages can be taken; a batching
//    window is one timer.
//  - A taken message is settled exactly once (removed, or given back); one the runner has not
//    handed to a target when it stops goes back untried. A crash gives back whatever was not
//    settled (a take writes nothing).
//  - At most PipeServices::max_batches_in_flight batches are in flight; beyond that messages wait
//    in the queue.
//  - FIFO sources: a batch holds one message group, in order, and the group stays held until the
//    batch is settled, so groups run in parallel and each in order; a failed batch holds its group
//    until it succeeds or its messages are dead-lettered.
//  - STANDARD state machine targets started FIRE_AND_FORGET take the removal of their batch into
//    the commit that records ExecutionStarted (state_machine_target.h): exactly once.
//
// Thread: the reactor thread only.
#pragma once

#include <uv.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "broker/pipes/pipe_config.h"
#include "broker/pipes/pipe_services.h"
#include "broker/pipes/pipe_stats.h"
#include "broker/pipes/targets/pipe_target.h"
#include "engine/executor/clock.h"
#include "engine/pipes/batch_policy.h"

namespace sluice::pipes {

class PipeRunner {
 public:
  struct Hooks {
    // The pipe cannot deliver as configured (StateReason), or can again (reason cleared).
    std::function<void(const std::string& reason)> trouble;
    std::function<void()> recovered;
  };
  PipeRunner(PipeServices& services, std::shared_ptr<const PipeConfig> config, Hooks hooks);
  ~PipeRunner();
  PipeRunner(const PipeRunner&) = delete;
  PipeRunner& operator=(const PipeRunner&) = delete;

  // Starts consuming (again).
  void start();
  // Stops taking; an open batch not yet handed off goes back untried. `drained` runs once every
  // batch in flight is settled (at once when none is).
  void stop(std::function<void()> drained);
  // The next batches use `config` (the open one goes with the old one first); batches in flight
  // finish with what they started with.
  void reconfigure(std::shared_ptr<const PipeConfig> config);

  bool running() const { return running_; }
  std::size_t in_flight() const { return in_flight_; }
  const PipeStats& stats() const { return stats_; }
  const PipeConfig& config() const;

 private:
  // A config with the target and enrichment made for it; batches keep theirs alive.
  class Route;
  struct Batch;

  void schedule_pump();
  void pump();
  void dispatch_open();
  void dispatch(std::shared_ptr<Batch> batch);
  void deliver(std::shared_ptr<Batch> batch, std::vector<json::Value> events, bool enriched);
  void finish(std::shared_ptr<Batch> batch, DeliveryOutcome outcome);
  // Removes the messages from the source; they count as consumed (and `filtered` of them as
  // filtered) once the removal has committed, so the counters never run ahead of the queue.
  void remove(const std::shared_ptr<Batch>& batch, std::vector<uint64_t> seqs,
              std::size_t filtered);
  void give_back(const std::shared_ptr<Batch>& batch, std::vector<uint64_t> seqs, bool failed);
  void arm_window();
  void settled();
  void log(PipeLogLevel level, const std::string& text) const;

  PipeServices& services_;
  Hooks hooks_;
  std::shared_ptr<Route> route_;
  engine::pipes::BatchPolicy policy_;
  std::shared_ptr<Batch> open_;  // gathering (standard queues with a batching window)
  PipeStats stats_;
  uint64_t watch_ = 0;
  bool running_ = false;
  bool in_trouble_ = false;
  std::size_t in_flight_ = 0;
  std::function<void()> drained_;
  uv_idle_t* idle_ = nullptr;  // heap: freed by its close callback
  engine::executor::TimerId window_timer_ = 0;
  engine::executor::TimerId pause_timer_ = 0;
  // Held by callbacks that may outlive the runner (timers, idle): they do nothing once it is gone.
  std::shared_ptr<PipeRunner*> self_;
};

}  // namespace sluice::pipes
