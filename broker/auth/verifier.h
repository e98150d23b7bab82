// Verifier: checks a request's AWS Signature Version 4 (Authorization header or presigned query
// string) against the known access keys and says who sent it. Failures are AuthErrors
// (auth_error.h) with AWS's message text; each API renders them in its own shape.
//
// Order of checks (AWS's front end reports the first that fails): a signature present at all;
// its parts complete; the access key known; the date within 15 minutes of now (and, for a
// presigned URL, before X-Amz-Expires ran out); the credential scope (date, region, service);
// the x-amz-content-sha256 header matching the body; the signature itself (constant time).
//
// Pure given `now`; reads the credentials only. Any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "broker/auth/auth_error.h"
#include "broker/auth/credentials.h"
#include "broker/http/request.h"
#include "storage/result.h"

namespace sluice::auth {

// Who signed a request: the access key and the account it belongs to.
struct Principal {
  std::string access_key_id;
  std::string account_id;
};

// How far a request's date may be from the server's clock (AWS: 15 minutes).
inline constexpr int64_t kMaxClockSkewSeconds = 15 * 60;
// The longest X-Amz-Expires a presigned URL may carry (AWS: 7 days).
inline constexpr int64_t kMaxPresignedExpirySeconds = 7 * 24 * 3600;

class Verifier {
 public:
  Verifier(Credentials credentials, std::string region)
      : credentials_(std::move(credentials)), region_(std::move(region)) {}

  // `service` is the signing name the request must be scoped to ("sqs", "states", "pipes");
  // `now` is the server's time in Unix seconds.
  Result<Principal, AuthError> verify(const http::Request& request, std::string_view service,
                                      int64_t now) const;

 private:
  Credentials credentials_;
  std::string region_;
};

// "20150830T123600Z" <-> Unix seconds; nullopt-like -1 for text that is not ISO-8601 basic UTC.
int64_t parse_amz_date(std::string_view text);
std::string format_amz_date(int64_t unix_seconds);

}  // namespace sluice::auth
