// Queue URL parsing and building.
#include "broker/sqs/api/queue_url.h"

namespace sluice::sqs {

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
  if (!url.empty() && url.find_first_of("/:?#") == std::string_view::npos) {
    return std::string(url);
  }
  // Drop scheme and authority when present.
  if (auto scheme = url.find("://"); scheme != std::string_view::npos) {
    url.remove_prefix(scheme + 3);
    auto slash = url.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    url.remove_prefix(slash);
  }
  if (auto q = url.find_first_of("?#"); q != std::string_view::npos) url = url.substr(0, q);
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
