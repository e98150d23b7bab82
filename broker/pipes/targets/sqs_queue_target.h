// An SQS queue of this server as a pipe's target (filter-and-route between queues): each event of
// the batch becomes one message, sent through the same MessageService as SendMessageBatch (one
// commit for the batch). Its body is the rendered input template, or the event as JSON text.
// MessageGroupId and MessageDeduplicationId (PipeTargetSqsQueueParameters) are literal values or
// JSON paths ("$.attributes.MessageGroupId") into the event. A message the queue refuses fails
// just that message when events are the source's messages, else the batch.
#pragma once

#include <optional>
#include <string>

#include "broker/pipes/pipe_services.h"
#include "broker/pipes/targets/pipe_target.h"

namespace sluice::pipes {

class SqsQueueTarget final : public PipeTarget {
 public:
  SqsQueueTarget(PipeServices& services, std::string queue_name,
                 std::optional<std::string> group_id, std::optional<std::string> dedup_id)
      : services_(services),
        queue_(std::move(queue_name)),
        group_id_(std::move(group_id)),
        dedup_id_(std::move(dedup_id)) {}
  void deliver(Delivery delivery, std::function<void(DeliveryOutcome)> done) override;

 private:
  PipeServices& services_;
  std::string queue_;
  std::optional<std::string> group_id_;
  std::optional<std::string> dedup_id_;
};

// A target parameter's value for one event: `spec` itself, or, when it is a JSON path ("$..."),
// the string (or number, as text) it selects in the event; nullopt when the path selects nothing.
std::optional<std::string> parameter_value(const std::string& spec, const json::Value& event);

}  // namespace sluice::pipes
