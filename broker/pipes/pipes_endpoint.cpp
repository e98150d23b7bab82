// See pipes_endpoint.h.
#include "broker/pipes/pipes_endpoint.h"

#include <memory>

#include "broker/pipes/pipe_handlers.h"
#include "storage/random_id.h"

namespace sluice::pipes {

void PipesEndpoint::reject(const auth::AuthError& error, http::Responder responder) {
  PipesError e;
  e.type = std::string(auth::json_error_name(error.kind));
  e.message = error.message;
  e.http_status = auth::kAuthErrorStatus;
  http::Response r = render_error(e, storage::random_uuid());
  if (observer_) observer_(std::nullopt, r.status);
  responder.send(std::move(r));
}

void PipesEndpoint::handle(http::Request&& request, http::Responder responder) {
  std::string request_id = storage::random_uuid();
  auto decoded = decode_pipes_request(request);
  std::optional<PipesAction> action;
  if (decoded) action = decoded->action;
  auto shared = std::make_shared<http::Responder>(std::move(responder));
  PipesReply reply = [shared, request_id, action,
                      observer = observer_](Result<std::string, PipesError> out) {
    http::Response r;
    if (out) {
      r.status = 200;
      r.content_type = "application/json";
      r.headers.push_back({"x-amzn-RequestId", request_id});
      r.body = std::move(out).value();
    } else {
      r = render_error(out.error(), request_id);
    }
    if (observer) observer(action, r.status);
    shared->send(std::move(r));
  };
  if (!decoded) return reply(std::move(decoded).error());
  PipesRequest req = std::move(decoded).value();
  switch (req.action) {
    case PipesAction::kCreatePipe:
      return create_pipe(pipes_, identity_, std::move(req), std::move(reply));
    case PipesAction::kDescribePipe:
      return describe_pipe(pipes_, std::move(req), std::move(reply));
    case PipesAction::kUpdatePipe:
      return update_pipe(pipes_, std::move(req), std::move(reply));
    case PipesAction::kDeletePipe:
      return delete_pipe(pipes_, std::move(req), std::move(reply));
    case PipesAction::kListPipes:
      return list_pipes(pipes_, std::move(req), std::move(reply));
    case PipesAction::kStartPipe:
      return start_pipe(pipes_, std::move(req), std::move(reply));
    case PipesAction::kStopPipe:
      return stop_pipe(pipes_, std::move(req), std::move(reply));
    case PipesAction::kTagResource:
      return tag_resource(pipes_, std::move(req), std::move(reply));
    case PipesAction::kUntagResource:
      return untag_resource(pipes_, std::move(req), std::move(reply));
    case PipesAction::kListTagsForResource:
      return list_tags_for_resource(pipes_, std::move(req), std::move(reply));
  }
}

}  // namespace sluice::pipes
