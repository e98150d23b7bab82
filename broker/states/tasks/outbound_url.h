// OutboundUrl: an absolute http:// or https:// URL split the way an HTTP/1.1 client needs it
// (host to resolve, port, request-target, Host header). Userinfo is refused; a fragment is
// dropped. Pure; any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::states::tasks {

struct OutboundUrl {
  bool https = false;
  std::string host;         // IPv6 literals without brackets
  uint16_t port = 80;       // 80 / 443 when the URL names none
  std::string target;       // path and query, at least "/"
  std::string host_header;  // "host[:port]", brackets kept for IPv6

  std::string scheme() const { return https ? "https" : "http"; }
};

// nullopt (with the reason in *why when given) for anything but a well-formed absolute http(s) URL.
std::optional<OutboundUrl> parse_outbound_url(std::string_view url, std::string* why = nullptr);

}  // namespace sluice::states::tasks
