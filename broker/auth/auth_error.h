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

constexpr std::string_view query_error_code(AuthErrorKind kind) {
  switch (kind) {
    case AuthErrorKind::kMissingAuthenticationToken:
      return "MissingAuthenticationToken";
    case AuthErrorKind::kIncompleteSignature:
      return "IncompleteSignature";
    case AuthErrorKind::kInvalidClientTokenId:
      return "InvalidClientTokenId";
    case AuthErrorKind::kSignatureDoesNotMatch:
      return "SignatureDoesNotMatch";
    case AuthErrorKind::kAccessDenied:
      return "AccessDenied";
  }
  return "AccessDenied";
}

constexpr std::string_view json_error_name(AuthErrorKind kind) {
  switch (kind) {
    case AuthErrorKind::kMissingAuthenticationToken:
      return "MissingAuthenticationTokenException";
    case AuthErrorKind::kIncompleteSignature:
      return "IncompleteSignatureException";
    case AuthErrorKind::kInvalidClientTokenId:
      return "UnrecognizedClientException";
    case AuthErrorKind::kSignatureDoesNotMatch:
      return "InvalidSignatureException";
    case AuthErrorKind::kAccessDenied:
      return "AccessDeniedException";
  }
  return "AccessDeniedException";
}

// The coral-namespaced JSON type, as AWS JSON 1.0 services send it in "__type"
// ("com.amazon.coral.service#UnrecognizedClientException").
inline std::string json_error_type(AuthErrorKind kind) {
  return "com.amazon.coral.service#" + std::string(json_error_name(kind));
}

}  // namespace sluice::auth
