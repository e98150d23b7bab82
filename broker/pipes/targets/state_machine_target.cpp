// See state_machine_target.h.
#include "broker/pipes/targets/state_machine_target.h"

#include <algorithm>
#include <memory>

#include "broker/states/catalog/catalog.h"
#include "broker/states/executions/execution_runner.h"
#include "broker/states/states_arn.h"
#include "engine/json/json_parse.h"
#include "engine/json/json_serialize.h"
#include "engine/pipes/batch_item_failures.h"

namespace sluice::pipes {

namespace {

// The execution input: the events as a JSON array, as a value and as its text (the runner stores
// the text and runs the value without parsing the text again).
void set_input(states::ExecutionRunner::StartRequest& request, std::vector<PipeEvent>& events) {
  json::Array a;
  a.reserve(events.size());
  for (auto& e : events) a.push_back(std::move(e.value));
  json::Value value(std::move(a));
  request.input = engine::json::serialize(value);
  request.input_value = std::move(value);
}

std::string failure_text(const states::SfnError& e) {
  return e.type + ": " + e.message;
}

// What a finished synchronous execution says about the batch.
std::string execution_failure(const states::ExecutionView& v) {
  std::string why = "The execution " + v.execution_arn + " ended " +
                    std::string(engine::executor::execution_status_name(v.status));
  if (v.error) why += ": " + *v.error;
  if (v.cause) why += ": " + *v.cause;
  return why;
}

// The outcome for a batch whose execution exists already: its messages that the execution's
// input holds are delivered, the others failed untried.
DeliveryOutcome already_started(states::ExecutionRunner& runner, std::vector<std::string> ids,
                                const std::string& execution_arn) {
  DeliveryOutcome o;
  auto existing = runner.describe(execution_arn);
  std::vector<std::string> held;
  if (existing) {
    if (auto input = engine::json::parse(existing->input); input && input->is_array()) {
      for (const auto& record : input->as_array()) {
        const json::Value* id = record.is_object() ? record.as_object().find("messageId") : nullptr;
        if (id && id->is_string()) held.push_back(id->as_string());
      }
    }
  }
  if (held.empty()) {
    // Its input does not say (an input template dropped the ids): fail the batch, so that it is
    // retried and, if the name keeps clashing, dead-lettered, rather than taken forever.
    return DeliveryOutcome::failed("The execution " + execution_arn +
                                   " exists already and its input does not name the batch's "
                                   "messages");
  }
  for (auto& id : ids) {
    if (std::find(held.begin(), held.end(), id) == held.end()) {
      o.failed_message_ids.push_back(std::move(id));
    }
  }
  if (!o.failed_message_ids.empty()) {
    o.kind = DeliveryOutcome::Kind::kPartial;
    o.failures_tried = false;
    o.reason = "part of the batch was already handed to " + execution_arn;
  }
  return o;
}

}  // namespace

std::string standard_request_response_reason(const std::string& machine_arn) {
  return "The target " + machine_arn +
         " is a STANDARD state machine, which a pipe can only start asynchronously: set "
         "TargetParameters.StepFunctionStateMachineParameters.InvocationType to FIRE_AND_FORGET "
         "(REQUEST_RESPONSE needs an EXPRESS state machine)";
}

std::vector<json::Value> events_of(json::Value output) {
  if (output.is_array()) return std::move(output.as_array());
  std::vector<json::Value> one;
  one.push_back(std::move(output));
  return one;
}

void StateMachineTarget::deliver(Delivery delivery, std::function<void(DeliveryOutcome)> done) {
  auto machine = services_.machines->machine_for_arn(arn_);
  if (!machine) return done(DeliveryOutcome::failed(failure_text(machine.error())));
  const bool express = (*machine)->express();
  states::ExecutionRunner::StartRequest request;
  request.state_machine_arn = arn_;
  request.name = delivery.first_message_id;
  set_input(request, delivery.events);

  if (!express && invocation_ == InvocationType::kRequestResponse) {
    DeliveryOutcome o;
    o.kind = DeliveryOutcome::Kind::kMisconfigured;
    o.reason = standard_request_response_reason(arn_);
    return done(std::move(o));
  }
  if (!express) {
    // Exactly once: the messages leave the queue in the commit that records ExecutionStarted.
    auto removed = std::make_shared<bool>(false);
    const std::string execution_arn =
        states::execution_arn(services_.machines->identity(), (*machine)->name, *request.name);
    states::ExecutionRunner* started_by = services_.executions;
    std::optional<storage::Mutation> joined;
    if (delivery.claim_removal) {
      joined = delivery.claim_removal([removed](Status st) { *removed = st.ok(); });
    }
    services_.executions->start(
        std::move(request),
        [removed, started_by, execution_arn, ids = delivery.message_ids, done = std::move(done)](
            states::SfnResult<states::ExecutionRunner::Started> started) mutable {
          DeliveryOutcome o;
          o.removed = *removed;
          if (started) {
            o.executions_started = o.removed ? 1 : 0;
            return done(std::move(o));
          }
          if (started.error().type != "ExecutionAlreadyExists") {
            return done(DeliveryOutcome::failed(failure_text(started.error())));
          }
          // The execution this batch is named after exists: it was started for messages whose
          // removal did not commit with it (which one commit makes impossible, unless a message
          // id comes back). Remove just the messages it holds; give the others back untried.
          done(already_started(*started_by, std::move(ids), execution_arn));
        },
        std::move(joined));
    return;
  }
  if (invocation_ == InvocationType::kFireAndForget) {
    services_.executions->start(
        std::move(request),
        [done =
             std::move(done)](states::SfnResult<states::ExecutionRunner::Started> started) mutable {
          if (!started) return done(DeliveryOutcome::failed(failure_text(started.error())));
          DeliveryOutcome o;
          o.executions_started = 1;
          done(std::move(o));
        });
    return;
  }
  services_.executions->start_sync(
      std::move(request), [ids = std::move(delivery.message_ids), done = std::move(done)](
                              states::SfnResult<states::ExecutionView> ended) mutable {
        if (!ended) return done(DeliveryOutcome::failed(failure_text(ended.error())));
        DeliveryOutcome o;
        o.executions_started = 1;
        if (ended->status != engine::executor::ExecutionStatus::kSucceeded) {
          auto f = DeliveryOutcome::failed(execution_failure(*ended));
          f.executions_started = 1;
          return done(std::move(f));
        }
        json::Value output;
        if (ended->output) {
          if (auto parsed = engine::json::parse(*ended->output)) output = std::move(*parsed);
        }
        auto failures = engine::pipes::read_batch_item_failures(output, ids);
        if (failures.whole_batch) {
          o.kind = DeliveryOutcome::Kind::kFailed;
          o.reason = "The execution " + ended->execution_arn +
                     " answered batchItemFailures that fail the whole batch";
        } else if (!failures.failed.empty()) {
          o.kind = DeliveryOutcome::Kind::kPartial;
          for (std::size_t i : failures.failed) o.failed_message_ids.push_back(ids[i]);
        }
        done(std::move(o));
      });
}

void StateMachineEnrichment::enrich(
    json::Value batch, std::function<void(Result<std::vector<json::Value>, std::string>)> done) {
  auto machine = services_.machines->machine_for_arn(arn_);
  if (!machine) return done(failure_text(machine.error()));
  if (!(*machine)->express()) {
    return done("The enrichment " + arn_ +
                " is a STANDARD state machine: an enrichment must be an EXPRESS state machine "
                "(it runs synchronously)");
  }
  states::ExecutionRunner::StartRequest request;
  request.state_machine_arn = arn_;
  request.input = engine::json::serialize(batch);
  services_.executions->start_sync(
      std::move(request),
      [done = std::move(done)](states::SfnResult<states::ExecutionView> ended) mutable {
        if (!ended) return done(failure_text(ended.error()));
        if (ended->status != engine::executor::ExecutionStatus::kSucceeded) {
          return done(execution_failure(*ended));
        }
        json::Value output;
        if (ended->output) {
          if (auto parsed = engine::json::parse(*ended->output)) output = std::move(*parsed);
        }
        done(events_of(std::move(output)));
      });
}

}  // namespace sluice::pipes
