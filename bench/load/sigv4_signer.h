// SigV4Signer: computes AWS Signature Version 4 Authorization headers. The bench uses dummy
// credentials, but signs for real so that endpoints which verify signatures (AWS, ElasticMQ with
// auth) accept its requests. The derived signing key is cached per day. One instance per thread.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "bench/load/digest.h"

namespace sluice::bench {

struct Credentials {
  std::string access_key = "sluice-bench";
  std::string secret_key = "sluice-bench-secret";
  std::string region = "us-east-1";
};

class SigV4Signer {
 public:
  using Header = std::pair<std::string_view, std::string_view>;

  SigV4Signer(Credentials credentials, std::string service);

  // The Authorization header value. `headers` are the signed headers with lower-case names, sorted
  // by name, values already trimmed; `amz_date` is the X-Amz-Date value (YYYYMMDDTHHMMSSZ); `path`
  // is already URI-encoded and `query` already canonical.
  std::string authorization(std::string_view method, std::string_view path, std::string_view query,
                            std::span<const Header> headers, std::string_view payload,
                            std::string_view amz_date);

  // Exposed for tests against AWS's published examples.
  std::string canonical_request(std::string_view method, std::string_view path,
                                std::string_view query, std::span<const Header> headers,
                                std::string_view payload) const;
  const Sha256& signing_key(std::string_view date);

 private:
  Credentials credentials_;
  std::string service_;
  std::string key_date_;
  Sha256 key_{};
};

}  // namespace sluice::bench
