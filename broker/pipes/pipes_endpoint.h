// PipesEndpoint: the EventBridge Pipes API (REST-JSON) on the HTTP server. It decodes the request
// (api/pipes_request.h), runs the action's handler (pipe_handlers.h) and writes the JSON answer
// or the REST-JSON error (api/pipes_error.h). Thread: the reactor thread only.
#pragma once

#include <functional>
#include <optional>
#include <string_view>

#include "broker/auth/auth_error.h"
#include "broker/http/request.h"
#include "broker/http/responder.h"
#include "broker/pipes/api/pipes_request.h"
#include "broker/pipes/pipe_catalog.h"

namespace sluice::pipes {

// Called once per answered request: the action (absent when the request did not decode) and
// the HTTP status.
using PipesRequestObserver = std::function<void(std::optional<PipesAction>, int status)>;

class PipesEndpoint {
 public:
  PipesEndpoint(PipeCatalog& pipes, PipesIdentity identity, PipesRequestObserver observer = {})
      : pipes_(pipes), identity_(std::move(identity)), observer_(std::move(observer)) {}

  static bool accepts(const http::Request& request) { return is_pipes_request(request); }
  void handle(http::Request&& request, http::Responder responder);
  // Answers a request that failed authentication (broker/auth): the JSON services' name for the
  // failure in x-amzn-ErrorType, {"message": ...}, HTTP 403.
  void reject(const auth::AuthError& error, http::Responder responder);

 private:
  PipeCatalog& pipes_;
  PipesIdentity identity_;
  PipesRequestObserver observer_;
};

}  // namespace sluice::pipes
