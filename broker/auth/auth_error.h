// AuthError: why a request was refused before any API handled it (authentication) or by a queue
// policy (authorization), and the names each wire protocol gives it. AWS's front end answers
// these itself, all with HTTP 403:
//
//   kind                         query code (SQS XML, and       JSON name (Step Functions,
//                                x-amzn-query-error on JSON)    Pipes, SQS JSON's __type)
//   kMissingAuthenticationToken  MissingAuthenticationToken     MissingAuthenticationTokenException
//   kIncompleteSignature         IncompleteSignature            IncompleteSignatureException
//   kInvalidClientTokenId        InvalidClientTokenId           UnrecognizedClientException
//   kSignatureDoesNotMatch       SignatureDoesNotMatch          InvalidSignatureException
//   kAccessDenied                AccessDenied                   AccessDeniedException
//
// A date outside the 15-minute window is kSignatureDoesNotMatch with "Signature expired: ..." (SQS
// answers so: aws-sdk-php#642, celery/kombu#1937; JSON services: InvalidSignatureException with
// the same text, aws-sdk-js#254). Constant data; any thread.
#pragma once

#include <cstddef>
#include <iterator>
#include <string>
#include <string_view>

namespace sluice::auth {

enum class AuthErrorKind {
  kMissingAuthenticationToken,  // no Authorization header and no presigned query
  kIncompleteSignature,         // a signature missing parts, or malformed
  kInvalidClientTokenId,        // an access key the server does not know
  kSignatureDoesNotMatch,       // a wrong signature or scope, or a date outside the window
  kAccessDenied,                // a queue policy does not allow the caller
};

struct AuthError {
  AuthErrorKind kind;
  std::string message;
  // For the server's debug log only, never sent: on a signature mismatch, the canonical request
  // and string to sign the server computed (AWS's query services put them in the message).
  std::string detail = {};
};

inline constexpr int kAuthErrorStatus = 403;

struct AuthErrorNames {
  std::string_view query_code;  // SQS query protocol, and x-amzn-query-error on SQS JSON
  std::string_view json_name;   // the JSON services' exception name
};

// In AuthErrorKind order.
inline constexpr AuthErrorNames kAuthErrorNames[] = {
    {"MissingAuthenticationToken", "MissingAuthenticationTokenException"},
    {"IncompleteSignature", "IncompleteSignatureException"},
    {"InvalidClientTokenId", "UnrecognizedClientException"},
    {"SignatureDoesNotMatch", "InvalidSignatureException"},
    {"AccessDenied", "AccessDeniedException"},
};
static_assert(std::size(kAuthErrorNames) == static_cast<size_t>(AuthErrorKind::kAccessDenied) + 1);

constexpr std::string_view query_error_code(AuthErrorKind kind) {
  return kAuthErrorNames[static_cast<size_t>(kind)].query_code;
}

constexpr std::string_view json_error_name(AuthErrorKind kind) {
  return kAuthErrorNames[static_cast<size_t>(kind)].json_name;
}

// The coral-namespaced JSON type, as AWS JSON 1.0 services send it in "__type"
// ("com.amazon.coral.service#UnrecognizedClientException").
inline std::string json_error_type(AuthErrorKind kind) {
  return "com.amazon.coral.service#" + std::string(json_error_name(kind));
}

}  // namespace sluice::auth
