#include "bench/load/sigv4_signer.h"

namespace sluice::bench {

SigV4Signer::SigV4Signer(Credentials credentials, std::string service)
    : credentials_(std::move(credentials)), service_(std::move(service)) {}

const Sha256& SigV4Signer::signing_key(std::string_view date) {
  if (date != key_date_) {
    const Sha256 k_date = hmac_sha256("AWS4" + credentials_.secret_key, date);
    const auto view = [](const Sha256& k) {
      return std::string_view(reinterpret_cast<const char*>(k.data()), k.size());
    };
    const Sha256 k_region = hmac_sha256(view(k_date), credentials_.region);
    const Sha256 k_service = hmac_sha256(view(k_region), service_);
    key_ = hmac_sha256(view(k_service), "aws4_request");
    key_date_.assign(date);
  }
  return key_;
}

std::string SigV4Signer::canonical_request(std::string_view method, std::string_view path,
                                           std::string_view query, std::span<const Header> headers,
                                           std::string_view payload) const {
  std::string out;
  out.reserve(256);
  out.append(method).push_back('\n');
  out.append(path.empty() ? "/" : path).push_back('\n');
  out.append(query).push_back('\n');
  for (const auto& [name, value] : headers) {
    out.append(name).push_back(':');
    out.append(value).push_back('\n');
  }
  out.push_back('\n');
  for (size_t i = 0; i < headers.size(); ++i) {
    if (i) out.push_back(';');
    out.append(headers[i].first);
  }
  out.push_back('\n');
  out.append(to_hex(sha256(payload)));
  return out;
}

std::string SigV4Signer::authorization(std::string_view method, std::string_view path,
                                       std::string_view query, std::span<const Header> headers,
                                       std::string_view payload, std::string_view amz_date) {
  const std::string_view date = amz_date.substr(0, 8);
  std::string scope;
  scope.append(date).push_back('/');
  scope.append(credentials_.region).push_back('/');
  scope.append(service_).append("/aws4_request");

  std::string to_sign = "AWS4-HMAC-SHA256\n";
  to_sign.append(amz_date).push_back('\n');
  to_sign.append(scope).push_back('\n');
  to_sign.append(to_hex(sha256(canonical_request(method, path, query, headers, payload))));

  const Sha256& key = signing_key(date);
  const Sha256 signature =
      hmac_sha256(std::string_view(reinterpret_cast<const char*>(key.data()), key.size()), to_sign);

  std::string out = "AWS4-HMAC-SHA256 Credential=";
  out.append(credentials_.access_key).push_back('/');
  out.append(scope).append(", SignedHeaders=");
  for (size_t i = 0; i < headers.size(); ++i) {
    if (i) out.push_back(';');
    out.append(headers[i].first);
  }
  out.append(", Signature=").append(to_hex(signature));
  return out;
}

}  // namespace sluice::bench
