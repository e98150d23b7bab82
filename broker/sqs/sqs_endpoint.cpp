// Protocol detection, decode -> handler -> encode, and request ids.
#include "broker/sqs/sqs_endpoint.h"

#include <memory>

#include "broker/sqs/api/json_decoder.h"
#include "broker/sqs/api/query_decoder.h"
#include "broker/sqs/api/response.h"
#include "broker/sqs/handlers.h"
#include "storage/random_id.h"

namespace sluice::sqs {

namespace {

constexpr std::string_view kTargetPrefix = "AmazonSQS.";

http::Response to_http(WireResponse&& wire) {
  http::Response r;
  r.status = wire.status;
  r.content_type = std::move(wire.content_type);
  r.headers.reserve(wire.headers.size());
  for (auto& [k, v] : wire.headers) r.headers.push_back({std::move(k), std::move(v)});
  r.body = std::move(wire.body);
  return r;
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

void SqsEndpoint::handle(http::Request&& request, http::Responder responder) {
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
