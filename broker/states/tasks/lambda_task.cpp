// See lambda_task.h.
#include "broker/states/tasks/lambda_task.h"

#include <optional>

#include "broker/states/tasks/task_parameters.h"
#include "engine/json/json_parse.h"
#include "engine/json/json_serialize.h"

namespace sluice::states::tasks {

namespace {

// The function's result as a JSON value: its JSON body, else the text as a string.
json::Value payload_of(const std::string& body) {
  if (body.empty()) return json::Value();
  auto parsed = json::parse(body);
  return parsed.ok() ? std::move(parsed).value() : json::Value(body);
}

// The function's error type when its answer reports an error, else nullopt.
std::optional<std::string> function_error(const OutboundResponse& r) {
  json::Value body = payload_of(r.body);
  const json::Value* type = body.is_object() ? body.as_object().find("errorType") : nullptr;
  const json::Value* message = body.is_object() ? body.as_object().find("errorMessage") : nullptr;
  bool reported = r.status < 200 || r.status > 299 || r.header("x-amz-function-error") != nullptr ||
                  (type && type->is_string() && message && message->is_string());
  if (!reported) return std::nullopt;
  if (type && type->is_string() && !type->as_string().empty()) return type->as_string();
  return std::string("Lambda.Unknown");
}

}  // namespace

LambdaFunctions::Target LambdaFunctions::resolve(std::string_view function,
                                                 std::string_view qualifier) const {
  Target t;
  // "arn:aws:lambda:REGION:ACCOUNT:function:NAME[:Q]", "ACCOUNT:function:NAME[:Q]", "NAME[:Q]".
  std::string_view rest = function;
  if (auto at = rest.find(":function:"); at != std::string_view::npos) {
    rest = rest.substr(at + 10);
  }
  if (auto colon = rest.find(':'); colon != std::string_view::npos) {
    t.qualifier = std::string(rest.substr(colon + 1));
    rest = rest.substr(0, colon);
  }
  t.name = std::string(rest);
  if (!qualifier.empty()) t.qualifier = std::string(qualifier);
  t.arn = "arn:aws:lambda:" + region_ + ":" + account_id_ + ":function:" + t.name;
  if (!t.qualifier.empty()) t.arn += ":" + t.qualifier;
  if (!t.qualifier.empty()) {
    if (auto it = endpoints_.find(t.name + ":" + t.qualifier); it != endpoints_.end()) {
      t.url = it->second;
      return t;
    }
  }
  if (auto it = endpoints_.find(t.name); it != endpoints_.end()) t.url = it->second;
  return t;
}

TaskResult LambdaFunctions::missing(const Target& t) const {
  return TaskResult::failure("Lambda.ResourceNotFoundException",
                             service_error_cause("Function not found: " + t.arn, "AWSLambda", 404,
                                                 "ResourceNotFoundException"));
}

uint64_t LambdaFunctions::post(const Target& t, std::string body, std::string invocation_type,
                               std::string client_context,
                               std::function<void(TaskResult, const OutboundResponse*)> done) {
  std::string why;
  auto url = parse_outbound_url(t.url, &why);
  if (!url) {
    done(TaskResult::failure(
             "Lambda.SdkClientException",
             "Unable to execute HTTP request: the endpoint of " + t.name + " is not a URL: " + why),
         nullptr);
    return 0;
  }
  OutboundRequest req;
  req.method = "POST";
  req.url = std::move(*url);
  req.timeout_ms = timeout_ms_;
  req.body = std::move(body);
  req.headers.push_back({"Content-Type", "application/json"});
  req.headers.push_back({"X-Amz-Invocation-Type", std::move(invocation_type)});
  if (!client_context.empty()) req.headers.push_back({"X-Amz-Client-Context", client_context});
  return client_.send(std::move(req), [done = std::move(done)](OutboundResult r) {
    if (!r.ok()) {
      return done(TaskResult::failure("Lambda.SdkClientException",
                                      "Unable to execute HTTP request: " + r.message),
                  nullptr);
    }
    if (auto error = function_error(r.response)) {
      std::string cause = r.response.body;
      if (*error == "Lambda.Unknown") {
        cause =
            "The cause could not be determined because Lambda did not return an error type. "
            "Returned payload: " +
            r.response.body;
      }
      return done(TaskResult::failure(std::move(*error), std::move(cause)), &r.response);
    }
    done(TaskResult::success(payload_of(r.response.body)), &r.response);
  });
}

uint64_t LambdaFunctions::invoke_function(const std::string& resource_arn, const json::Value& event,
                                          std::function<void(TaskResult)> done) {
  Target t = resolve(resource_arn, {});
  if (t.url.empty()) {
    done(missing(t));
    return 0;
  }
  return post(
      t, json::serialize(event), "RequestResponse", {},
      [done = std::move(done)](TaskResult r, const OutboundResponse*) { done(std::move(r)); });
}

uint64_t LambdaFunctions::invoke(const json::Value& parameters,
                                 std::function<void(TaskResult)> done) {
  if (auto f = check_fields(parameters, {"FunctionName", "Payload", "InvocationType", "Qualifier",
                                         "ClientContext", "LogType"})) {
    done(std::move(*f));
    return 0;
  }
  std::optional<TaskResult> failure;
  auto function = string_field(parameters, "FunctionName", failure);
  auto qualifier = string_field(parameters, "Qualifier", failure);
  auto type = string_field(parameters, "InvocationType", failure);
  auto context = string_field(parameters, "ClientContext", failure);
  string_field(parameters, "LogType", failure);
  if (failure) {
    done(std::move(*failure));
    return 0;
  }
  if (!function || function->empty()) {
    done(runtime_failure("The field 'FunctionName' is required"));
    return 0;
  }
  std::string invocation = type.value_or("RequestResponse");
  if (invocation != "RequestResponse" && invocation != "Event" && invocation != "DryRun") {
    done(TaskResult::failure(
        "Lambda.InvalidParameterValueException",
        service_error_cause("1 validation error detected: Value '" + invocation +
                                "' at 'invocationType' failed to satisfy constraint: Member must "
                                "satisfy enum value set: [Event, RequestResponse, DryRun]",
                            "AWSLambda", 400, "ValidationException")));
    return 0;
  }
  Target t = resolve(*function, qualifier.value_or(""));
  if (t.url.empty()) {
    done(missing(t));
    return 0;
  }
  std::string version = t.qualifier.empty() ? "$LATEST" : t.qualifier;
  auto output = [version](int status, json::Value payload) {
    json::Object out;
    out.set("ExecutedVersion", json::Value(version));
    // Content-Length is the function's response body: none for Event and DryRun.
    std::size_t length =
        payload.is_string() && payload.as_string().empty() ? 0 : json::serialize(payload).size();
    out.set("Payload", std::move(payload));
    add_lambda_sdk_metadata(out, status, version, length);
    out.set("StatusCode", json::Value(status));
    return TaskResult::success(json::Value(std::move(out)));
  };
  if (invocation == "DryRun") {
    done(output(204, json::Value("")));
    return 0;
  }
  const json::Value* payload = field(parameters, "Payload");
  std::string body = payload ? json::serialize(*payload) : std::string("{}");
  return post(t, std::move(body), invocation, context.value_or(""),
              [done = std::move(done), output, invocation](TaskResult r, const OutboundResponse*) {
                if (!r.ok) return done(std::move(r));
                if (invocation == "Event") return done(output(202, json::Value("")));
                done(output(200, std::move(r.output)));
              });
}

}  // namespace sluice::states::tasks
