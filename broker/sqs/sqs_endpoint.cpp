// Protocol detection, decode -> handler -> encode, and request ids.
#include "broker/sqs/sqs_endpoint.h"

#include <memory>

#include "broker/http/request_parser.h"
#include "broker/sqs/api/json_decoder.h"
#include "broker/sqs/api/query_decoder.h"
#include "broker/sqs/api/response.h"
#include "broker/sqs/handlers.h"
#include "broker/sqs/policy_evaluation.h"
#include "storage/random_id.h"

namespace sluice::sqs {

namespace {

constexpr std::string_view kTargetPrefix = "AmazonSQS.";
// A JSON body with a Content-Length is decoded in place, not copied.
static_assert(http::kBodySpareCapacity >= kJsonPadding);

http::Response to_http(WireResponse&& wire) {
  http::Response r;
  r.status = wire.status;
  r.content_type = std::move(wire.content_type);
  r.headers.reserve(wire.headers.size());
  for (auto& [k, v] : wire.headers) r.headers.push_back({std::move(k), std::move(v)});
  r.body = std::move(wire.body);
  return r;
}

WireResponse render_auth_error(Protocol protocol, const auth::AuthError& error,
                               std::string_view request_id) {
  return render_error(protocol, auth::json_error_type(error.kind),
                      auth::query_error_code(error.kind), auth::kAuthErrorStatus, true,
                      error.message, request_id);
}

// Whether a caller of another account may run `request`: the queue it names must have a policy
// that allows the action (policy_evaluation.h). A queue that does not exist is left to the
// handler (QueueDoesNotExist); actions naming no queue (CreateQueue, ListQueues, the move tasks
// addressed by ARN or handle) are the owner's only.
bool foreign_caller_allowed(storage::QueueStore& store, const ServiceIdentity& identity,
                            const AnyRequest& request, Action action,
                            std::string_view caller_account) {
  std::optional<std::string> name;
  bool names_queue = false;
  std::visit(
      [&](const auto& r) {
        using T = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<T, GetQueueUrlRequest>) {
          names_queue = true;
          name = r.queue_name;
        } else if constexpr (requires { r.queue_url; }) {
          names_queue = true;
          name = queue_name_from_url(r.queue_url, identity.account_id);
        }
      },
      request);
  if (!names_queue) return false;
  if (!name) return true;
  auto queue = store.get_queue(*name);
  if (!queue) return true;
  // A batch action is allowed by its single action's permission, as SQS documents for
  // AddPermission ("... also grants permissions for the corresponding batch versions").
  std::string_view policy_action = action_name(action);
  constexpr std::string_view kBatch = "Batch";
  if (policy_action.size() > kBatch.size() && policy_action.ends_with(kBatch)) {
    policy_action.remove_suffix(kBatch.size());
  }
  return evaluate_queue_policy(queue->attributes.policy, caller_account, policy_action,
                               queue_arn(identity, *name)) == PolicyDecision::kAllow;
}

}  // namespace

SqsEndpoint::SqsEndpoint(MessageService& messages, ServiceIdentity identity,
                         RequestObserver observer)
    : messages_(messages), identity_(std::move(identity)), observer_(std::move(observer)) {}

bool SqsEndpoint::accepts(const http::Request& request) {
  const std::string* target = request.header("x-amz-target");
  if (!target) return true;  // the query protocol has no target header
  return std::string_view(*target).substr(0, kTargetPrefix.size()) == kTargetPrefix;
}

void SqsEndpoint::reject(const http::Request& request, const auth::AuthError& error,
                         http::Responder responder) {
  const Protocol protocol = request.header("x-amz-target") ? Protocol::kJson : Protocol::kQuery;
  WireResponse wire = render_auth_error(protocol, error, storage::random_uuid());
  if (observer_) observer_(std::nullopt, wire.status);
  responder.send(to_http(std::move(wire)));
}

void SqsEndpoint::handle(http::Request&& request, http::Responder responder,
                         std::string_view caller_account) {
  const std::string* target = request.header("x-amz-target");
  const Protocol protocol = target ? Protocol::kJson : Protocol::kQuery;
  std::string request_id = storage::random_uuid();

  auto res = std::make_shared<http::Responder>(std::move(responder));
  auto fail = [&](const Error& e, std::optional<Action> action) {
    WireResponse wire = render_error(protocol, e, request_id);
    if (observer_) observer_(action, wire.status);
    res->send(to_http(std::move(wire)));
  };

  Result<AnyRequest> decoded = make_error(ErrorCode::kInternal, "undecoded");
  std::optional<Action> action;
  if (protocol == Protocol::kJson) {
    std::string_view name = *target;
    name.remove_prefix(std::min(name.size(), kTargetPrefix.size()));
    action = action_from_name(name);
    if (!action) {
      return fail(make_error(ErrorCode::kUnknownOperation, "Unknown operation " + *target), {});
    }
    const bool padded = request.body.capacity() - request.body.size() >= kJsonPadding;
    decoded = decode_json(*action, request.body, padded);
  } else {
    FormParams params;
    Status st = protocol::decode_form(request.query(), params);
    if (st && request.method == "POST") st = protocol::decode_form(request.body, params);
    if (!st) return fail(st.error(), {});
    if (const std::string* a = params.find("Action")) action = action_from_name(*a);
    decoded = decode_query(std::move(params), request.path());
  }
  if (!decoded) return fail(decoded.error(), action);
  action = static_cast<Action>(decoded->index());

  const std::string* host = request.header("host");
  if (!caller_account.empty() && caller_account != identity_.account_id &&
      !foreign_caller_allowed(messages_.store(), identity_, *decoded, *action, caller_account)) {
    // AWS names its endpoint, not the queue: "Access to the resource
    // https://sqs.us-east-1.amazonaws.com/ is denied." (aws-sdk-php#188, bbc/sqs-consumer#225).
    std::string base = identity_.public_url.empty()
                           ? "http://" + (host ? *host : std::string("localhost:9324"))
                           : identity_.public_url;
    auth::AuthError denied{auth::AuthErrorKind::kAccessDenied,
                           "Access to the resource " + base + "/ is denied."};
    WireResponse wire = render_auth_error(protocol, denied, request_id);
    if (observer_) observer_(action, wire.status);
    return res->send(to_http(std::move(wire)));
  }
  HandlerContext ctx{messages_.store(), messages_, identity_, host ? *host : std::string(),
                     [res] { return res->alive(); }};
  Reply reply = [res, protocol, act = *action, request_id = std::move(request_id),
                 observer = observer_](Result<AnyResult> result) {
    WireResponse wire = result ? render_result(protocol, act, *result, request_id)
                               : render_error(protocol, result.error(), request_id);
    if (observer) observer(act, wire.status);
    res->send(to_http(std::move(wire)));
  };
  std::visit([&](auto&& req) { sqs::handle(ctx, std::move(req), std::move(reply)); },
             std::move(*decoded));
}

}  // namespace sluice::sqs
