// See outbound_url.h.
#include "broker/states/tasks/outbound_url.h"

#include <cctype>

namespace sluice::states::tasks {

namespace {

std::optional<OutboundUrl> refuse(std::string* why, std::string reason) {
  if (why) *why = std::move(reason);
  return std::nullopt;
}

bool ieq_prefix(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  }
  return true;
}

}  // namespace

std::optional<OutboundUrl> parse_outbound_url(std::string_view url, std::string* why) {
  OutboundUrl u;
  if (ieq_prefix(url, "https://")) {
    u.https = true;
    u.port = 443;
    url.remove_prefix(8);
  } else if (ieq_prefix(url, "http://")) {
    url.remove_prefix(7);
  } else {
    return refuse(why, "the URL must start with http:// or https://");
  }
  if (auto hash = url.find('#'); hash != std::string_view::npos) url = url.substr(0, hash);
  std::size_t end = url.find_first_of("/?");
  std::string_view authority = url.substr(0, end);
  std::string_view rest = end == std::string_view::npos ? std::string_view() : url.substr(end);
  if (authority.find('@') != std::string_view::npos) {
    return refuse(why, "user information in the URL is not supported");
  }
  std::string_view host = authority;
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return refuse(why, "unterminated IPv6 address");
    host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return refuse(why, "malformed host");
      port = after.substr(1);
    }
  } else if (auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty()) return refuse(why, "the URL names no host");
  for (char c : host) {
    if (std::isspace(static_cast<unsigned char>(c)) || c == '/' || c == '\\') {
      return refuse(why, "malformed host");
    }
  }
  if (!port.empty()) {
    unsigned value = 0;
    for (char c : port) {
      if (!std::isdigit(static_cast<unsigned char>(c)) || value > 65535) {
        return refuse(why, "malformed port");
      }
      value = value * 10 + static_cast<unsigned>(c - '0');
    }
    if (value == 0 || value > 65535) return refuse(why, "malformed port");
    u.port = static_cast<uint16_t>(value);
  }
  u.host = std::string(host);
  u.host_header = std::string(authority);
  if (rest.empty() || rest.front() == '?') u.target.push_back('/');
  u.target.append(rest);
  for (char c : u.target) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
      return refuse(why, "the URL contains a space or a control character");
    }
  }
  return u;
}

}  // namespace sluice::states::tasks
