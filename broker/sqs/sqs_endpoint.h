// SqsEndpoint: the SQS API on the HTTP server. It tells the two wire protocols apart (X-Amz-Target
// AmazonSQS.<Action> = AWS JSON 1.0; otherwise the query protocol, form body and/or query string),
// decodes into a typed request, runs the action's handler and encodes the result or error in the
// caller's protocol. Thread: the reactor (loop) thread only.
#pragma once

#include <functional>
#include <optional>
#include <string_view>

#include "broker/auth/auth_error.h"
#include "broker/http/responder.h"
#include "broker/sqs/api/action.h"
#include "broker/sqs/api/queue_url.h"
#include "broker/sqs/message_service.h"

namespace sluice::sqs {

// Called once per answered request: the action (absent when it could not be decoded) and status.
using RequestObserver = std::function<void(std::optional<Action>, int status)>;

class SqsEndpoint {
 public:
  // The store the handlers use is messages.store(): one store behind both.
  SqsEndpoint(MessageService& messages, ServiceIdentity identity, RequestObserver observer = {});

  // True when this request is for the SQS API (vs. another API sharing the port).
  static bool accepts(const http::Request& request);
  // `caller_account`: the account of the request's signer (--auth sigv4), empty when requests
  // are not authenticated. A caller of another account than ours is held to the queue's policy
  // (policy_evaluation.h): AccessDenied unless it allows the action.
  void handle(http::Request&& request, http::Responder responder,
              std::string_view caller_account = {});
  // Answers a request that failed authentication with `error` in the request's protocol.
  void reject(const http::Request& request, const auth::AuthError& error,
              http::Responder responder);

 private:
  MessageService& messages_;
  ServiceIdentity identity_;
  RequestObserver observer_;
};

}  // namespace sluice::sqs
