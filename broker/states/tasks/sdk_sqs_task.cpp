// See sdk_sqs_task.h.
#include "broker/states/tasks/sdk_sqs_task.h"

#include "broker/sqs/api/json_decoder.h"
#include "broker/sqs/api/response.h"
#include "broker/sqs/handlers.h"
#include "broker/states/tasks/sdk_shapes.h"
#include "engine/json/json_parse.h"
#include "engine/json/json_serialize.h"
#include "storage/random_id.h"

namespace sluice::states::tasks {

namespace {

constexpr std::string_view kPrefix = "Sqs";

// The API's JSON error response, as the task error the SDK would raise for it.
TaskResult api_failure(const Error& error) {
  sqs::WireResponse wire = sqs::render_error(sqs::Protocol::kJson, error, storage::random_uuid());
  std::string type;
  std::string message;
  if (auto body = json::parse(wire.body); body && body->is_object()) {
    if (const json::Value* t = body->as_object().find("__type"); t && t->is_string()) {
      type = t->as_string();
    }
    if (const json::Value* m = body->as_object().find("message"); m && m->is_string()) {
      message = m->as_string();
    }
  }
  return sdk_failure(kPrefix, type, message, wire.status);
}

}  // namespace

bool sdk_sqs_serves(std::string_view action) {
  return sqs::action_from_name(sdk_operation_name(action)).has_value();
}

void sdk_sqs_call(sqs::MessageService& messages, const sqs::ServiceIdentity& identity,
                  const std::string& host, std::string_view action, const json::Value& parameters,
                  std::function<bool()> still_wanted, std::function<void(TaskResult)> done) {
  auto op = sqs::action_from_name(sdk_operation_name(action));
  if (!op) return done(runtime_failure("Amazon SQS has no operation " + std::string(action)));
  if (!parameters.is_object()) {
    return done(runtime_failure("The Parameters of an aws-sdk:sqs task must be an object"));
  }
  Result<sqs::AnyRequest> decoded = sqs::decode_json(*op, json::serialize(parameters));
  if (!decoded) {
    // A member of the wrong type: the definition is wrong, not the call (AWS refuses it when the
    // state machine is created).
    if (decoded.error().code == ErrorCode::kSerialization) {
      return done(runtime_failure(decoded.error().message));
    }
    return done(api_failure(decoded.error()));
  }
  sqs::HandlerContext ctx{messages.store(), messages, identity, host, std::move(still_wanted)};
  sqs::Reply reply = [op = *op, done = std::move(done)](Result<sqs::AnyResult> result) {
    if (!result) return done(api_failure(result.error()));
    sqs::WireResponse wire =
        sqs::render_result(sqs::Protocol::kJson, op, *result, storage::random_uuid());
    auto output = json::parse(wire.body);
    if (!output) return done(runtime_failure("Amazon SQS answered with malformed JSON"));
    done(TaskResult::success(std::move(*output)));
  };
  std::visit([&](auto&& req) { sqs::handle(ctx, std::move(req), std::move(reply)); },
             std::move(*decoded));
}

}  // namespace sluice::states::tasks
