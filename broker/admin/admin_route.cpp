// Routing and paging of the admin API: split the path into segments, decode the name segment.
#include "broker/admin/admin_route.h"

#include <charconv>
#include <optional>
#include <vector>

namespace sluice::admin {

namespace {
std::vector<std::string_view> segments_of(std::string_view rest) {
  std::vector<std::string_view> out;
  while (!rest.empty()) {
    size_t slash = rest.find('/');
    out.push_back(rest.substr(0, slash));
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> percent_decoded(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    int hi = hex_value(text[i + 1]);
    int lo = hex_value(text[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

AdminError not_found(std::string_view path) {
  return {404, "NotFound", "No admin action at " + std::string(path) + "."};
}

AdminError wrong_method(std::string_view method, std::string_view path, std::string_view allowed) {
  return {405, "MethodNotAllowed",
          std::string(path) + " does not take " + std::string(method) + "; use " +
              std::string(allowed) + "."};
}

// Calls fn(key, value) for each `key=value` (or bare `key`) of a query string, in order; stops at
// the first non-empty error fn returns.
template <class Fn>
std::optional<AdminError> for_each_parameter(std::string_view query, Fn fn) {
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    size_t eq = pair.find('=');
    std::string_view value =
        eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    if (auto error = fn(pair.substr(0, eq), value)) return error;
  }
  return std::nullopt;
}

// The value of the first `name` parameter (empty for a bare `name`), if there is one.
std::optional<std::string_view> parameter(std::string_view query, std::string_view name) {
  std::optional<std::string_view> found;
  for_each_parameter(query, [&](std::string_view key, std::string_view value) {
    if (key == name && !found) found = value;
    return std::optional<AdminError>();
  });
  return found;
}

std::optional<uint64_t> parse_u64(std::string_view text) {
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}
}  // namespace

Result<AdminRoute, AdminError> route_admin(std::string_view method, std::string_view path) {
  if (path.substr(0, kAdminPrefix.size()) != kAdminPrefix) return not_found(path);
  std::vector<std::string_view> parts = segments_of(path.substr(kAdminPrefix.size()));
  AdminRoute r;
  std::string_view allowed;
  if (parts.size() == 1 && parts[0] == "events") {
    r.action = AdminAction::kEvents;
    allowed = "GET";
  } else if (parts.size() == 1 && parts[0] == "express-executions") {
    r.action = AdminAction::kListExpress;
    allowed = "GET";
  } else if (parts.size() == 2 && parts[0] == "express-executions") {
    r.action = AdminAction::kDescribeExpress;
    allowed = "GET";
  } else if (parts.size() == 1 && parts[0] == "reset") {
    r.action = AdminAction::kResetAll;
    allowed = "POST";
  } else if (parts.size() == 3 && parts[0] == "queues" && parts[2] == "messages") {
    r.action = AdminAction::kListMessages;
    allowed = "GET";
  } else if (parts.size() == 3 && parts[0] == "queues" && parts[2] == "reset") {
    r.action = AdminAction::kResetQueue;
    allowed = "POST";
  } else if (parts.size() == 3 && parts[0] == "state-machines" && parts[2] == "reset") {
    r.action = AdminAction::kResetStateMachine;
    allowed = "POST";
  } else {
    return not_found(path);
  }
  if (method != allowed) return wrong_method(method, path, allowed);
  if (parts.size() >= 2) {
    auto name = percent_decoded(parts[1]);
    if (!name || name->empty()) {
      return AdminError{400, "InvalidName", "The name in " + std::string(path) + " is not valid."};
    }
    r.name = std::move(*name);
  }
  return r;
}

Result<MessagePaging, AdminError> parse_paging(std::string_view query) {
  MessagePaging paging;
  auto error = for_each_parameter(
      query, [&](std::string_view key, std::string_view value) -> std::optional<AdminError> {
        if (key == "limit") {
          auto n = parse_u64(value);
          if (!n || *n < 1 || *n > kMaxPageLimit) {
            return AdminError{400, "InvalidParameter",
                              "limit must be an integer from 1 to " +
                                  std::to_string(kMaxPageLimit) + ", got '" + std::string(value) +
                                  "'."};
          }
          paging.limit = static_cast<size_t>(*n);
        } else if (key == "after") {
          auto n = parse_u64(value);
          if (!n) {
            return AdminError{
                400, "InvalidParameter",
                "after must be a nextToken of an earlier page, got '" + std::string(value) + "'."};
          }
          paging.after = *n;
        }
        return std::nullopt;
      });
  if (error) return *error;
  return paging;
}

Result<EventQuery, AdminError> parse_event_query(std::string_view query) {
  EventQuery q;
  q.queues = parameter(query, "queues").has_value();
  q.pipes = parameter(query, "pipes").has_value();
  if (auto value = parameter(query, "execution")) {
    auto arn = percent_decoded(*value);
    if (!arn || arn->empty()) {
      return AdminError{400, "InvalidParameter", "execution must be an execution ARN."};
    }
    q.execution = std::move(*arn);
  }
  if (int(q.queues) + int(q.pipes) + int(!q.execution.empty()) != 1) {
    return AdminError{400, "InvalidParameter",
                      "Name one stream: ?execution=ARN (its history events), ?queues (queue "
                      "counts) or ?pipes (pipe states and counters)."};
  }
  return q;
}

}  // namespace sluice::admin
