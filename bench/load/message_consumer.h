// MessageConsumer: the receiving half of a workload. Issues ReceiveMessage (MaxNumberOfMessages =
// batch size, WaitTimeSeconds for long polls) round-robin over the queues, and deletes what it
// received: DeleteMessageBatch when the batch size is above 1, else DeleteMessage. Deletes go out
// before new receives, so receipts never pile up. Checks every message: the server's MD5OfBody
// against the body it returned, the body's own integrity (message_body.h), the message count
// against MaxNumberOfMessages, and every delete entry answered. An optional target stops receiving
// once that many messages were handled. Loop thread only.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "bench/load/workload.h"
#include "bench/load/workload_context.h"

namespace sluice::bench {

struct ConsumerSettings {
  uint32_t batch_size = 1;          // MaxNumberOfMessages and delete batch size
  uint32_t wait_seconds = 0;        // long poll
  int32_t visibility_timeout = -1;  // -1: queue default
  bool end_to_end = false;          // record send->receive latency of this run's messages
};

class MessageConsumer {
 public:
  MessageConsumer(const WorkloadContext& context, const ConsumerSettings& settings);

  std::optional<PlannedRequest> next(uint64_t now_ns);
  void on_response(const PlannedRequest& request, const HttpResponse& response, RunStats& stats,
                   uint64_t now_ns);
  void on_lost(const PlannedRequest& request);

  // Stop receiving once `messages` receipts have been handled (deleted or failed) since
  // restart_budget(); nullopt = no limit.
  void set_target(std::optional<uint64_t> messages) { target_ = messages; }
  void restart_budget() { handled_ = 0; }
  bool target_reached() const { return target_ && handled_ >= *target_; }
  // No receipts waiting and no deletes in flight.
  bool idle() const { return pending_total_ == 0 && deletes_in_flight_ == 0; }
  uint64_t handled() const { return handled_; }
  uint64_t deleted_total() const { return deleted_total_; }

 private:
  std::optional<PlannedRequest> next_delete();

  WorkloadContext context_;
  ConsumerSettings settings_;
  std::vector<std::deque<std::string>> pending_;  // receipts to delete, per queue
  size_t pending_total_ = 0;
  uint32_t next_receive_queue_ = 0;
  uint32_t next_delete_queue_ = 0;
  uint64_t deletes_in_flight_ = 0;
  uint64_t handled_ = 0;
  uint64_t deleted_total_ = 0;
  std::optional<uint64_t> target_;
};

}  // namespace sluice::bench
