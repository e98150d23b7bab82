#include "bench/load/endpoint.h"

#include <netdb.h>

#include <charconv>
#include <cstring>

namespace sluice::bench {

Outcome<Endpoint> parse_endpoint(std::string_view url) {
  Endpoint e;
  e.url.assign(url);
  constexpr std::string_view kScheme = "http://";
  if (url.starts_with("https://")) {
    return make_failure("usage", "https endpoints are not supported (plain HTTP only): " + e.url);
  }
  if (!url.starts_with(kScheme)) {
    return make_failure("usage", "endpoint must start with http:// : " + e.url);
  }
  std::string_view rest = url.substr(kScheme.size());
  const size_t slash = rest.find('/');
  const std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) e.path.assign(rest.substr(slash));
  if (authority.empty()) return make_failure("usage", "endpoint has no host: " + e.url);
  e.host_header.assign(authority);

  std::string_view host = authority;
  std::string_view port;
  if (authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return make_failure("usage", "bad IPv6 literal: " + e.url);
    host = authority.substr(1, close - 1);
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return make_failure("usage", "bad endpoint: " + e.url);
      port = after.substr(1);
    }
  } else if (const size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty()) return make_failure("usage", "endpoint has no host: " + e.url);
  e.host.assign(host);
  if (!port.empty()) {
    unsigned value = 0;
    const auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || p != port.data() + port.size() || value == 0 || value > 65535) {
      return make_failure("usage", "bad port in endpoint: " + e.url);
    }
    e.port = static_cast<uint16_t>(value);
  }
  return e;
}

Outcome<sockaddr_storage> resolve_endpoint(const Endpoint& endpoint) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(endpoint.port);
  const int rc = getaddrinfo(endpoint.host.c_str(), port.c_str(), &hints, &found);
  if (rc != 0 || found == nullptr) {
    return make_failure("resolve-error",
                        "cannot resolve " + endpoint.host + ": " + gai_strerror(rc));
  }
  sockaddr_storage out{};
  std::memcpy(&out, found->ai_addr, found->ai_addrlen);
  freeaddrinfo(found);
  return out;
}

}  // namespace sluice::bench
