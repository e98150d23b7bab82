// StatesEndpoint: the Step Functions API on the HTTP server (AWS JSON 1.0,
// X-Amz-Target: AWSStepFunctions.<Action>). It decodes the body into a JSON object, runs the
// action's handler from the ActionTable and encodes the output or error. Thread: the reactor.
#pragma once

#include <functional>
#include <string_view>

#include "broker/auth/auth_error.h"
#include "broker/http/request.h"
#include "broker/http/responder.h"
#include "broker/states/action_table.h"

namespace sluice::states {

// Called once per answered request: the action name (empty when unknown) and the HTTP status.
using StatesRequestObserver = std::function<void(std::string_view action, int status)>;

class StatesEndpoint {
 public:
  StatesEndpoint(StatesServices& services, StatesIdentity identity, ActionTable actions,
                 StatesRequestObserver observer = {});

  static bool accepts(const http::Request& request);
  void handle(http::Request&& request, http::Responder responder);
  // Answers a request that failed authentication (broker/auth) with the JSON services' name for
  // the failure ("UnrecognizedClientException", ...), HTTP 403.
  void reject(const auth::AuthError& error, http::Responder responder);
  // Runs an action in-process as a client's request would run (same handler, validation and
  // answer), for callers inside the server (the template loader). `reply` is called once.
  void invoke(std::string_view action, json::Value request, SfnReply reply);
  // Whether `action` ("StartExecution") is one this endpoint answers.
  bool serves(std::string_view action) const { return actions_.find(action) != nullptr; }

  StatesServices& services() { return services_; }
  const StatesIdentity& identity() const { return identity_; }

 private:
  StatesServices& services_;
  StatesIdentity identity_;
  ActionTable actions_;
  StatesRequestObserver observer_;
};

// The wire form of an outcome (exposed for tests).
http::Response render_outcome(const SfnOutcome& outcome, std::string_view request_id);

}  // namespace sluice::states
