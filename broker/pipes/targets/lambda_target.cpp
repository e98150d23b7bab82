// See lambda_target.h.
#include "broker/pipes/targets/lambda_target.h"

#include "broker/pipes/targets/state_machine_target.h"
#include "broker/states/tasks/lambda_task.h"
#include "engine/pipes/batch_item_failures.h"

namespace sluice::pipes {

namespace {

json::Value payload_of(std::vector<PipeEvent>& events) {
  json::Array a;
  a.reserve(events.size());
  for (auto& e : events) a.push_back(std::move(e.value));
  return json::Value(std::move(a));
}

std::string failure_text(const states::tasks::TaskResult& r) {
  return r.cause.empty() ? r.error : r.error + ": " + r.cause;
}

}  // namespace

void LambdaTarget::deliver(Delivery delivery, std::function<void(DeliveryOutcome)> done) {
  json::Value payload = payload_of(delivery.events);
  if (invocation_ == InvocationType::kFireAndForget) {
    json::Object parameters;
    parameters.set("FunctionName", json::Value(arn_));
    parameters.set("Payload", std::move(payload));
    parameters.set("InvocationType", json::Value("Event"));
    services_.lambdas->invoke(json::Value(std::move(parameters)),
                              [done = std::move(done)](states::tasks::TaskResult r) {
                                if (!r.ok) return done(DeliveryOutcome::failed(failure_text(r)));
                                DeliveryOutcome o;
                                o.invocations = 1;
                                done(std::move(o));
                              });
    return;
  }
  services_.lambdas->invoke_function(
      arn_, payload,
      [ids = std::move(delivery.message_ids), done = std::move(done)](states::tasks::TaskResult r) {
        if (!r.ok) {
          auto f = DeliveryOutcome::failed(failure_text(r));
          f.invocations = 1;
          return done(std::move(f));
        }
        DeliveryOutcome o;
        o.invocations = 1;
        auto failures = engine::pipes::read_batch_item_failures(r.output, ids);
        if (failures.whole_batch) {
          o.kind = DeliveryOutcome::Kind::kFailed;
          o.reason = "The function answered batchItemFailures that fail the whole batch";
        } else if (!failures.failed.empty()) {
          o.kind = DeliveryOutcome::Kind::kPartial;
          for (std::size_t i : failures.failed) o.failed_message_ids.push_back(ids[i]);
        }
        done(std::move(o));
      });
}

void LambdaEnrichment::enrich(
    json::Value batch, std::function<void(Result<std::vector<json::Value>, std::string>)> done) {
  services_.lambdas->invoke_function(arn_, batch,
                                     [done = std::move(done)](states::tasks::TaskResult r) {
                                       if (!r.ok) return done(failure_text(r));
                                       done(events_of(std::move(r.output)));
                                     });
}

}  // namespace sluice::pipes
