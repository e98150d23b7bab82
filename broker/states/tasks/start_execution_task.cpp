// See start_execution_task.h.
#include "broker/states/tasks/start_execution_task.h"

#include <cctype>
#include <cmath>
#include <map>

#include "broker/sqs/api/message_md5.h"
#include "broker/states/execution_starter.h"
#include "broker/states/tasks/task_parameters.h"
#include "broker/states/wire_format.h"
#include "engine/json/json_parse.h"
#include "engine/json/json_serialize.h"

namespace sluice::states::tasks {

namespace {

constexpr std::string_view kJsonContentType = "application/x-amz-json-1.0";

// The child's dates come as epoch milliseconds (ExecutionRunner's unit), which is also what the
// integration's outputs carry, as the AWS SDK for Java serializes a Date; a fraction is rounded.
json::Value epoch_millis(const json::Value& ms) {
  if (!ms.is_number() || ms.is_int()) return ms;
  return json::Value(static_cast<int64_t>(std::llround(ms.as_number())));
}

std::string pascal(std::string_view key) {
  std::string out(key);
  if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  return out;
}

json::Value pascal_keys(const json::Value& v) {
  if (!v.is_object()) return v;
  json::Object out;
  for (const auto& [k, member] : v.as_object()) out.set(pascal(k), pascal_keys(member));
  return json::Value(std::move(out));
}

// "StepFunctions.StateMachineDoesNotExistException", as the SDK for Java names the exception.
std::string error_name(const std::string& type) {
  std::string name = "StepFunctions." + type;
  if (type.size() < 9 || type.compare(type.size() - 9, 9, "Exception") != 0) name += "Exception";
  return name;
}

// The execution a Name under StateMachineArn (possibly a version or alias ARN) would have.
std::optional<std::string> execution_arn_of(const std::string& machine_arn,
                                            const std::string& name) {
  constexpr std::string_view kMarker = ":stateMachine:";
  auto at = machine_arn.find(kMarker);
  if (at == std::string::npos) return std::nullopt;
  std::string machine = machine_arn.substr(at + kMarker.size());
  if (auto colon = machine.find(':'); colon != std::string::npos) machine.resize(colon);
  return machine_arn.substr(0, at) + ":execution:" + machine + ":" + name;
}

// A name-based UUID (version 3: MD5) of the attempt: the same after a restart.
std::string attempt_uuid(const engine::executor::TaskRequest& request) {
  std::string hex =
      sqs::md5_hex(request.execution_arn + "#" + std::to_string(request.scheduled_event_id));
  hex[12] = '3';
  hex[16] = "89ab"[std::stoi(hex.substr(16, 1), nullptr, 16) & 3];
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20, 12);
}

}  // namespace

json::Value describe_output_for_task(const json::Value& description, bool json_payloads) {
  // AWS's result has the DescribeExecution members the SDK for Java models for it, keys sorted
  // (Cause, Error, ExecutionArn, Input, InputDetails, Name, Output, OutputDetails, StartDate,
  // StateMachineArn, Status, StopDate), and none of the redrive members.
  std::map<std::string, json::Value> sorted;
  if (description.is_object()) {
    for (const auto& [key, value] : description.as_object()) {
      if (key.rfind("redrive", 0) == 0 || key == "inputDetails" || key == "outputDetails") continue;
      if (key == "startDate" || key == "stopDate") {
        sorted[pascal(key)] = epoch_millis(value);
      } else if (json_payloads && (key == "input" || key == "output") && value.is_string()) {
        // .sync:2 parses them; a text that is not JSON stays a string.
        auto parsed = json::parse(value.as_string());
        sorted[pascal(key)] = parsed.ok() ? std::move(parsed).value() : value;
      } else {
        sorted[pascal(key)] = pascal_keys(value);
      }
      if (key == "input" || key == "output") {
        sorted[pascal(key) + "Details"] =
            json::Value(json::Object{{"Included", json::Value(true)}});
      }
    }
  }
  json::Object out;
  for (auto& [key, value] : sorted) out.set(key, std::move(value));
  return json::Value(std::move(out));
}

NestedExecutions::Pattern NestedExecutions::pattern_of(const std::shared_ptr<TaskCall>& call) {
  const std::string& r = call->request().parsed.resource;
  if (r == "startExecution.sync") return Pattern::kSync;
  if (r == "startExecution.sync:2") return Pattern::kSync2;
  if (r == "startExecution.waitForTaskToken") return Pattern::kWaitForTaskToken;
  return Pattern::kRequestResponse;
}

void NestedExecutions::start(const std::shared_ptr<TaskCall>& call) {
  const json::Value& params = call->parameters();
  if (auto f = check_fields(params, {"StateMachineArn", "Name", "Input"})) {
    return call->finish(std::move(*f));
  }
  std::optional<TaskResult> failure;
  auto machine = string_field(params, "StateMachineArn", failure);
  auto name = string_field(params, "Name", failure);
  if (failure) return call->finish(std::move(*failure));
  ExecutionStarter* starter = starter_();
  if (!starter) {
    return call->fail("States.Runtime", "Nested executions are not available on this server");
  }
  ChildStart child;
  child.state_machine_arn = machine.value_or("");
  child.name = name;
  if (const json::Value* input = field(params, "Input")) {
    child.input = input->is_string() ? input->as_string() : json::serialize(*input);
  } else {
    child.input = "{}";
  }
  child.parent_execution_arn = call->request().execution_arn;
  // Unnamed, the child is named after this attempt (a UUID made from the parent's ARN and the
  // attempt's TaskScheduled id), so sending the attempt again after a restart finds it.
  if (!child.name) child.name = attempt_uuid(call->request());
  const std::optional<std::string> child_arn =
      execution_arn_of(child.state_machine_arn, *child.name);
  const std::string child_input = child.input;
  Pattern pattern = pattern_of(call);
  auto get_starter = starter_;
  starter->start_child(std::move(child), [this, call, pattern, get_starter, child_arn,
                                          child_input](SfnOutcome outcome) {
    if (!outcome.ok() && outcome.error().type == "ExecutionAlreadyExists" &&
        call->request().after_restart && child_arn) {
      // The parent resumed after a restart, and the child of that name, started with this
      // input, is the one this attempt started before the server stopped (its TaskScheduled was
      // not durable yet); it has ended, else StartExecution would have answered it as started.
      // Follow it rather than fail the parent.
      ExecutionStarter* s = get_starter();
      if (auto start_ms = s ? s->started_with(*child_arn, child_input) : std::nullopt) {
        outcome = SfnOutcome(json::Value(json::Object{{"executionArn", json::Value(*child_arn)},
                                                      {"startDate", json::Value(*start_ms)}}));
      }
    }
    if (!outcome.ok()) {
      const SfnError& e = outcome.error();
      return call->fail(error_name(e.type),
                        service_error_cause(e.message, "AWSStepFunctions", e.http_status, e.type));
    }
    const json::Value* arn_value =
        outcome.output().is_object() ? outcome.output().as_object().find("executionArn") : nullptr;
    std::string arn = arn_value && arn_value->is_string() ? arn_value->as_string() : std::string();
    if (!call->active()) {
      // Cancelled while the child was starting: a .sync child must not outlive its task.
      if ((pattern == Pattern::kSync || pattern == Pattern::kSync2) && !arn.empty()) {
        if (ExecutionStarter* s = get_starter()) s->stop_child(arn, "", "");
      }
      return;
    }
    json::Object out;
    out.set("ExecutionArn", json::Value(arn));
    // Content-Length is StartExecution's own response body: {"executionArn":..,"startDate":..}
    // with the date in epoch seconds.
    std::size_t body = std::string_view(R"({"executionArn":"","startDate":})").size() + arn.size();
    if (const json::Value* d = outcome.output().as_object().find("startDate")) {
      json::Value ms = epoch_millis(*d);
      out.set("StartDate", ms);
      if (ms.is_int()) body += epoch_seconds_literal(ms.as_int()).size();
    }
    add_sdk_metadata(out, kJsonContentType, 200, body);
    switch (pattern) {
      case Pattern::kRequestResponse:
        return call->succeed(json::Value(std::move(out)));
      case Pattern::kWaitForTaskToken:
        return call->submitted(json::Value(std::move(out)));
      case Pattern::kSync:
      case Pattern::kSync2:
        call->submitted(json::Value(std::move(out)));
        if (!watch(call, arn, pattern)) {
          call->fail("States.TaskFailed", "Execution Does Not Exist: '" + arn + "'");
        }
        return;
    }
  });
}

bool NestedExecutions::watch(const std::shared_ptr<TaskCall>& call, const std::string& arn,
                             Pattern pattern) {
  ExecutionStarter* starter = starter_();
  if (!starter || !call->active()) return false;
  auto get_starter = starter_;
  call->on_cancel([get_starter, arn] {
    if (ExecutionStarter* s = get_starter()) s->stop_child(arn, "", "");
  });
  return starter->watch(arn, [call, pattern](json::Value description) {
    if (!call->active()) return;
    json::Value out = describe_output_for_task(description, pattern == Pattern::kSync2);
    const json::Value* status =
        description.is_object() ? description.as_object().find("status") : nullptr;
    if (status && status->is_string() && status->as_string() == "SUCCEEDED") {
      return call->succeed(std::move(out));
    }
    call->fail("States.TaskFailed", json::serialize(out));
  });
}

void NestedExecutions::resume(const std::shared_ptr<TaskCall>& call, const json::Value* submitted) {
  Pattern pattern = pattern_of(call);
  if (pattern == Pattern::kWaitForTaskToken) return;
  if (pattern == Pattern::kSync || pattern == Pattern::kSync2) {
    std::optional<std::string> arn;
    if (submitted && submitted->is_object()) {
      if (const json::Value* a = submitted->as_object().find("ExecutionArn"); a && a->is_string()) {
        arn = a->as_string();
      }
    }
    if (!arn) {
      std::optional<TaskResult> ignored;
      auto machine = string_field(call->parameters(), "StateMachineArn", ignored);
      auto name = string_field(call->parameters(), "Name", ignored);
      if (machine && name) arn = execution_arn_of(*machine, *name);
    }
    if (arn && watch(call, *arn, pattern)) return;
  }
  start(call);
}

}  // namespace sluice::states::tasks
