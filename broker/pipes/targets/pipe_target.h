// PipeTarget and PipeEnrichment: where a pipe's batches go. A target gets the batch's events
// (after filtering, enrichment and the input template) and answers one DeliveryOutcome; the pipe
// then removes the delivered messages from its source and gives the failed ones back (their
// receive counted, visible again after the queue's visibility timeout).
//
// A target that records what it starts in the same store (a STANDARD state machine started
// FIRE_AND_FORGET) claims the removal instead: claim_removal() hands it the Mutation that removes
// the batch's messages, which it commits together with its own writes (one transaction: the
// exactly-once hand-off). It then says whether that commit removed them.
//
// Thread: the reactor thread; `done` runs once, now or later.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "engine/json/json_value.h"
#include "storage/group_committer.h"
#include "storage/result.h"

namespace sluice::pipes {

namespace json = engine::json;

// One event for the target: its JSON value (an element of a Lambda or state machine target's
// input array), and for an SQS target the message body (the rendered template, or the event as
// JSON text).
struct PipeEvent {
  json::Value value;
  std::string body;
};

struct Delivery {
  std::vector<PipeEvent> events;
  // The delivered messages' ids, in batch order (a partial batch failure names them).
  std::vector<std::string> message_ids;
  bool events_match_messages = true;  // events[i] is message i's (no enrichment in between)
  std::string first_message_id;       // names an execution after its batch
  // The removal of every message of the batch (delivered and filtered out) as a Mutation to
  // commit with the target's own writes; `removed` runs with that commit's status. Empty when
  // the batch cannot be claimed.
  std::function<storage::Mutation(std::function<void(Status)> removed)> claim_removal;
};

struct DeliveryOutcome {
  enum class Kind {
    kDelivered,      // every event delivered
    kPartial,        // failed_message_ids failed, the rest delivered
    kFailed,         // nothing delivered: the whole batch is retried
    kMisconfigured,  // the pipe cannot deliver as configured: nothing was tried
  };
  Kind kind = Kind::kDelivered;
  std::vector<std::string> failed_message_ids;
  // kPartial: whether the failed messages were tried (their receive counted, visible again after
  // the visibility timeout) or not (back at once, as if never taken).
  bool failures_tried = true;
  std::string reason;    // kFailed, kMisconfigured: what went wrong (logs, StateReason)
  bool removed = false;  // the target's own commit removed the batch's messages
  uint64_t executions_started = 0;
  uint64_t invocations = 0;

  static DeliveryOutcome failed(std::string why) {
    DeliveryOutcome o;
    o.kind = Kind::kFailed;
    o.reason = std::move(why);
    return o;
  }
};

class PipeTarget {
 public:
  virtual ~PipeTarget() = default;
  virtual void deliver(Delivery delivery, std::function<void(DeliveryOutcome)> done) = 0;
};

// An enrichment gets the batch as a JSON array and answers the events for the target: the
// elements of the array it returns, or what it returns as the one event; an error text when it
// failed (the whole batch is then retried).
class PipeEnrichment {
 public:
  virtual ~PipeEnrichment() = default;
  virtual void enrich(json::Value batch,
                      std::function<void(Result<std::vector<json::Value>, std::string>)> done) = 0;
};

}  // namespace sluice::pipes
