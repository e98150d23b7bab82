// Queue URL parsing and building.
#include "broker/sqs/api/queue_url.h"

namespace sluice::sqs {

namespace {

// Position of the first '?' or '#' (and, with `also_path`, '/' or ':'), or npos. A plain loop:
// std::string_view::find_first_of calls memchr on the set once per character of the URL, which
// cost more than the rest of a SendMessage's URL handling.
std::size_t find_delimiter(std::string_view url, bool also_path) {
  for (std::size_t i = 0; i < url.size(); ++i) {
    const char c = url[i];
    if (c == '?' || c == '#' || (also_path && (c == '/' || c == ':'))) return i;
  }
  return std::string_view::npos;
}

}  // namespace

std::string queue_url(const ServiceIdentity& id, std::string_view host_header,
                      std::string_view queue_name) {
  std::string url;
  if (!id.public_url.empty()) {
    url = id.public_url;
    while (!url.empty() && url.back() == '/') url.pop_back();
  } else {
    url = "http://";
    url += host_header.empty() ? std::string_view("localhost:9324") : host_header;
  }
  url += '/';
  url += id.account_id;
  url += '/';
  url += queue_name;
  return url;
}

std::string queue_arn(const ServiceIdentity& id, std::string_view queue_name) {
  std::string arn = "arn:aws:sqs:";
  arn += id.region;
  arn += ':';
  arn += id.account_id;
  arn += ':';
  arn += queue_name;
  return arn;
}

std::optional<std::string> queue_name_from_url(std::string_view url, std::string_view account_id) {
  // A bare queue name: AWS resolves it in the caller's account and region.
  if (!url.empty() && find_delimiter(url, true) == std::string_view::npos) {
    return std::string(url);
  }
  // Drop scheme and authority when present.
  if (auto scheme = url.find("://"); scheme != std::string_view::npos) {
    url.remove_prefix(scheme + 3);
    auto slash = url.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    url.remove_prefix(slash);
  }
  if (auto q = find_delimiter(url, false); q != std::string_view::npos) url = url.substr(0, q);
  while (!url.empty() && url.back() == '/') url.remove_suffix(1);
  // What is left must be exactly "/ACCOUNT/NAME".
  if (url.empty() || url.front() != '/') return std::nullopt;
  url.remove_prefix(1);
  auto slash = url.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  std::string_view account = url.substr(0, slash);
  std::string_view name = url.substr(slash + 1);
  if (account != account_id || name.empty() || name.find('/') != std::string_view::npos) {
    return std::nullopt;
  }
  return std::string(name);
}

}  // namespace sluice::sqs
