// The task-token and activity-worker actions: SendTaskSuccess, SendTaskFailure,
// SendTaskHeartbeat, GetActivityTask. Decode and check the members (the model's constraints, with
// AWS's ValidationException text), then hand over to the TaskRouter.
#include <cctype>
#include <optional>
#include <string>
#include <vector>

#include "broker/states/executions/execution_runner.h"
#include "broker/states/handlers.h"
#include "broker/states/tasks/task_router.h"
#include "engine/json/json_parse.h"

namespace sluice::states {

namespace {

struct Limits {
  std::size_t min = 0;
  std::size_t max = 0;
  bool sensitive = false;  // AWS leaves the value out of the message
};

// A string member; absent gives nullopt (and an error when required).
std::optional<std::string> string_member(const json::Value& request, std::string_view name,
                                         bool required, Limits limits,
                                         std::optional<SfnError>& error) {
  const json::Value* v = request.as_object().find(name);
  if (!v || v->is_null()) {
    if (required) {
      error = sfn_error("ValidationException", "1 validation error detected: Value null at '" +
                                                   std::string(name) +
                                                   "' failed to satisfy constraint: Member must "
                                                   "not be null");
    }
    return std::nullopt;
  }
  if (!v->is_string()) {
    error = sfn_error("SerializationException",
                      "Unexpected value type for '" + std::string(name) + "': expected a string");
    return std::nullopt;
  }
  const std::string& s = v->as_string();
  std::string value = limits.sensitive ? "Value" : "Value '" + s + "'";
  if (s.size() < limits.min) {
    error = sfn_error("ValidationException",
                      "1 validation error detected: " + value + " at '" + std::string(name) +
                          "' failed to satisfy constraint: Member must have length greater than "
                          "or equal to " +
                          std::to_string(limits.min));
    return std::nullopt;
  }
  if (s.size() > limits.max) {
    error = sfn_error("ValidationException",
                      "1 validation error detected: " + value + " at '" + std::string(name) +
                          "' failed to satisfy constraint: Member must have length less than or "
                          "equal to " +
                          std::to_string(limits.max));
    return std::nullopt;
  }
  return s;
}

constexpr Limits kTokenLimits{1, 2048, false};

json::Value empty_output() {
  return json::Value(json::Object{});
}

SfnOutcome outcome_of(std::optional<SfnError> error) {
  if (error) return SfnOutcome(std::move(*error));
  return SfnOutcome(empty_output());
}

// An answer (success, failure, heartbeat) takes effect in its execution at once, but is
// acknowledged only once what it recorded there is durable: a worker does not answer again, so
// a kill after an early reply would leave the task waiting for good.
void reply_once_recorded(SfnContext& ctx, const std::optional<std::string>& execution_arn,
                         std::optional<SfnError> error, SfnReply reply) {
  // No runner: the router alone (its unit tests), no journal to wait for.
  if (error || !execution_arn || !ctx.services.runner) return reply(outcome_of(std::move(error)));
  ctx.services.runner->after_recorded(*execution_arn, [reply](bool recorded) {
    if (!recorded) return reply(internal_failure("The task result could not be recorded"));
    reply(outcome_of(std::nullopt));
  });
}

// "arn:aws:states:REGION:ACCOUNT:activity:NAME"; InvalidArn as AWS words it otherwise.
std::optional<SfnError> check_activity_arn(const std::string& arn) {
  std::vector<std::string_view> parts;
  std::string_view rest = arn;
  for (int i = 0; i < 6; ++i) {
    auto colon = rest.find(':');
    if (colon == std::string_view::npos) break;
    parts.push_back(rest.substr(0, colon));
    rest.remove_prefix(colon + 1);
  }
  parts.push_back(rest);
  bool states_arn = parts.size() == 7 && parts[0] == "arn" && parts[1].substr(0, 3) == "aws" &&
                    parts[2] == "states" && !parts[3].empty() && !parts[4].empty();
  if (states_arn && parts[5] != "activity") {
    std::string type(parts[5]);
    for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return sfn_error("InvalidArn",
                     "Invalid Arn: 'Resource type not valid in this context: " + type + "'");
  }
  if (!states_arn || parts[6].empty() || parts[6].find(':') != std::string_view::npos) {
    return sfn_error("InvalidArn", "Invalid Arn: '" + arn + "'");
  }
  return std::nullopt;
}

}  // namespace

void register_task_actions(ActionTable& actions, tasks::TaskRouter& router) {
  actions.add("SendTaskSuccess", [&router](SfnContext& ctx, json::Value request, SfnReply reply) {
    std::optional<SfnError> error;
    auto token = string_member(request, "taskToken", true, kTokenLimits, error);
    auto output = string_member(request, "output", true, {0, 262144, true}, error);
    if (error) return reply(std::move(*error));
    auto parsed = json::parse(*output);
    if (!parsed.ok()) {
      return reply(sfn_error("InvalidOutput", "Invalid Output: 'Output is not valid JSON'"));
    }
    auto execution = router.execution_of(*token);
    reply_once_recorded(ctx, execution, router.send_task_success(*token, std::move(parsed).value()),
                        std::move(reply));
  });

  actions.add("SendTaskFailure", [&router](SfnContext& ctx, json::Value request, SfnReply reply) {
    std::optional<SfnError> error;
    auto token = string_member(request, "taskToken", true, kTokenLimits, error);
    auto err = string_member(request, "error", false, {0, 256, true}, error);
    auto cause = string_member(request, "cause", false, {0, 32768, true}, error);
    if (error) return reply(std::move(*error));
    auto execution = router.execution_of(*token);
    reply_once_recorded(ctx, execution,
                        router.send_task_failure(*token, err.value_or(std::string()),
                                                 cause.value_or(std::string())),
                        std::move(reply));
  });

  actions.add("SendTaskHeartbeat", [&router](SfnContext& ctx, json::Value request, SfnReply reply) {
    std::optional<SfnError> error;
    auto token = string_member(request, "taskToken", true, kTokenLimits, error);
    if (error) return reply(std::move(*error));
    auto execution = router.execution_of(*token);
    reply_once_recorded(ctx, execution, router.send_task_heartbeat(*token), std::move(reply));
  });

  actions.add("GetActivityTask", [&router](SfnContext& ctx, json::Value request, SfnReply reply) {
    std::optional<SfnError> error;
    auto arn = string_member(request, "activityArn", true, {1, 256, false}, error);
    auto worker = string_member(request, "workerName", false, {1, 80, false}, error);
    if (error) return reply(std::move(*error));
    if (auto e = check_activity_arn(*arn)) return reply(std::move(*e));
    if (!router.activity_exists(*arn)) {
      return reply(sfn_error("ActivityDoesNotExist", "Activity Does Not Exist: '" + *arn + "'"));
    }
    router.get_activity_task(*arn, worker.value_or(std::string()), ctx.still_wanted,
                             std::move(reply));
  });
}

}  // namespace sluice::states
