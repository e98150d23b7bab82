// Target routing, JSON decode, handler call, JSON encode, request ids.
#include "broker/states/states_endpoint.h"

#include <memory>

#include "engine/json/json_parse.h"
#include "engine/json/json_serialize.h"
#include "storage/random_id.h"

namespace sluice::states {

namespace {
constexpr std::string_view kTargetPrefix = "AWSStepFunctions.";
constexpr std::string_view kContentType = "application/x-amz-json-1.0";
// The namespace AWS puts in front of Step Functions error names; SDKs take the part after '#'.
constexpr std::string_view kErrorNamespace = "com.amazonaws.swf.service.v2.model#";
}  // namespace

http::Response render_outcome(const SfnOutcome& outcome, std::string_view request_id) {
  http::Response r;
  r.content_type = std::string(kContentType);
  r.headers.push_back({"x-amzn-RequestId", std::string(request_id)});
  if (outcome.ok()) {
    r.status = 200;
    r.body = outcome.text() ? *outcome.text() : json::serialize(outcome.output());
    return r;
  }
  const SfnError& e = outcome.error();
  r.status = e.http_status;
  json::Object body;
  body.set("__type", std::string(kErrorNamespace) + e.type);
  body.set("message", e.message);
  for (const auto& [k, v] : e.extra) body.set(k, v);
  r.body = json::serialize(json::Value(std::move(body)));
  r.headers.push_back({"x-amzn-ErrorType", e.type});
  return r;
}

StatesEndpoint::StatesEndpoint(StatesServices& services, StatesIdentity identity,
                               ActionTable actions, StatesRequestObserver observer)
    : services_(services),
      identity_(std::move(identity)),
      actions_(std::move(actions)),
      observer_(std::move(observer)) {}

bool StatesEndpoint::accepts(const http::Request& request) {
  const std::string* target = request.header("x-amz-target");
  return target && std::string_view(*target).substr(0, kTargetPrefix.size()) == kTargetPrefix;
}

void StatesEndpoint::reject(const auth::AuthError& error, http::Responder responder) {
  http::Response r = render_outcome(sfn_error(std::string(auth::json_error_name(error.kind)),
                                              error.message, auth::kAuthErrorStatus),
                                    storage::random_uuid());
  if (observer_) observer_("", r.status);
  responder.send(std::move(r));
}

void StatesEndpoint::handle(http::Request&& request, http::Responder responder) {
  std::string request_id = storage::random_uuid();
  std::string_view action = *request.header("x-amz-target");
  action.remove_prefix(kTargetPrefix.size());

  const SfnHandler* handler = actions_.find(action);
  auto res = std::make_shared<http::Responder>(std::move(responder));
  // An unknown action is observed as "": metrics must not grow a series per client typo.
  auto answer = [this, res, request_id,
                 name = handler ? std::string(action) : std::string()](SfnOutcome outcome) {
    http::Response r = render_outcome(outcome, request_id);
    if (observer_) observer_(name, r.status);
    res->send(std::move(r));
  };

  if (!handler) {
    return answer(sfn_error("UnknownOperationException",
                            "Unknown operation AWSStepFunctions." + std::string(action)));
  }
  json::Value body;
  if (request.body.find_first_not_of(" \t\r\n") == std::string::npos) {
    body = json::Object{};  // the SDKs send "{}" for empty inputs; an empty body means the same
  } else {
    auto parsed = json::parse(request.body);
    if (!parsed || !parsed->is_object()) {
      return answer(
          sfn_error("SerializationException", "Malformed request body: expected a JSON object"));
    }
    body = std::move(*parsed);
  }
  SfnContext ctx{services_, identity_, [res] { return res->alive(); }};
  (*handler)(ctx, std::move(body), std::move(answer));
}

void StatesEndpoint::invoke(std::string_view action, json::Value request, SfnReply reply) {
  const SfnHandler* handler = actions_.find(action);
  if (!handler) {
    return reply(sfn_error("UnknownOperationException",
                           "Unknown operation AWSStepFunctions." + std::string(action)));
  }
  SfnContext ctx{services_, identity_, [] { return true; }};
  (*handler)(ctx, std::move(request), std::move(reply));
}

}  // namespace sluice::states
