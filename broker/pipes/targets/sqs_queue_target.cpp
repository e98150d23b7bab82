// See sqs_queue_target.h.
#include "broker/pipes/targets/sqs_queue_target.h"

#include "broker/sqs/api/error_table.h"
#include "broker/sqs/message_service.h"
#include "engine/asl/json_path.h"
#include "engine/json/json_parse.h"
#include "engine/json/json_serialize.h"

namespace sluice::pipes {

namespace {
constexpr std::size_t kMaxBatch = 10;
}

std::optional<std::string> parameter_value(const std::string& spec, const json::Value& event) {
  if (spec.empty() || spec[0] != '$') return spec;
  auto path = engine::asl::JsonPath::parse(spec);
  if (!path || !path->is_definite()) return spec;
  // A path into the body reaches into it when the body is JSON (as input templates do).
  const json::Value* found = path->find(event);
  json::Value parsed_event;
  if (!found && event.is_object()) {
    const json::Value* body = event.as_object().find("body");
    if (body && body->is_string()) {
      if (auto parsed = engine::json::parse(body->as_string())) {
        parsed_event = event;
        parsed_event.as_object().set("body", std::move(*parsed));
        found = path->find(parsed_event);
      }
    }
  }
  if (!found || found->is_null()) return std::nullopt;
  if (found->is_string()) return found->as_string();
  return engine::json::serialize(*found);
}

void SqsQueueTarget::deliver(Delivery delivery, std::function<void(DeliveryOutcome)> done) {
  // An SQS target takes batches of 10; an enrichment that returns more fails the batch (AWS: the
  // pipe does not invoke a target with more events than it supports).
  if (delivery.events.size() > kMaxBatch) {
    return done(DeliveryOutcome::failed(
        "The enrichment returned " + std::to_string(delivery.events.size()) +
        " events; an SQS queue target takes at most " + std::to_string(kMaxBatch)));
  }
  std::vector<sqs::OutgoingMessage> messages;
  messages.reserve(delivery.events.size());
  for (auto& e : delivery.events) {
    sqs::OutgoingMessage m;
    m.body = std::move(e.body);
    if (group_id_) m.group_id = parameter_value(*group_id_, e.value);
    if (dedup_id_) m.deduplication_id = parameter_value(*dedup_id_, e.value);
    messages.push_back(std::move(m));
  }
  services_.messages->send_batch(
      queue_, std::move(messages),
      [ids = std::move(delivery.message_ids), matched = delivery.events_match_messages,
       done = std::move(done)](Result<std::vector<Result<sqs::SentReceipt>>> sent) {
        if (!sent) return done(DeliveryOutcome::failed(sent.error().message));
        DeliveryOutcome o;
        o.invocations = 1;
        // Only the refused ones are retried: the others are in the target queue already, so
        // failing them too (to keep a FIFO group's order) would send them twice.
        std::string first_error;
        for (std::size_t i = 0; i < sent->size(); ++i) {
          const auto& r = (*sent)[i];
          if (r.ok()) continue;
          if (first_error.empty()) {
            const auto& info = sqs::error_info(r.error().code);
            first_error = std::string(info.query_code) + ": " + r.error().message;
          }
          if (matched && i < ids.size()) o.failed_message_ids.push_back(ids[i]);
        }
        if (first_error.empty()) return done(std::move(o));
        if (!matched || o.failed_message_ids.size() == ids.size()) {
          auto f = DeliveryOutcome::failed("The target queue refused a message: " + first_error);
          f.invocations = 1;
          return done(std::move(f));
        }
        o.kind = DeliveryOutcome::Kind::kPartial;
        o.reason = "The target queue refused a message: " + first_error;
        done(std::move(o));
      });
}

}  // namespace sluice::pipes
