// See pipe_arn.h.
#include "broker/pipes/api/pipe_arn.h"

#include <array>
#include <vector>

namespace sluice::pipes {

namespace {

// An ARN split at its first five colons: arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE (the
// resource may hold more colons).
struct ArnFields {
  std::string_view partition, service, region, account, resource;
};

std::optional<ArnFields> split_arn(std::string_view arn) {
  std::array<std::string_view, 5> head;
  std::string_view rest = arn;
  for (auto& field : head) {
    std::size_t colon = rest.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    field = rest.substr(0, colon);
    rest.remove_prefix(colon + 1);
  }
  if (head[0] != "arn") return std::nullopt;
  return ArnFields{head[1], head[2], head[3], head[4], rest};
}

bool is_valid_queue_name(std::string_view name) {
  // SQS: 1-80 characters of [A-Za-z0-9_-], a FIFO queue's ending in ".fifo" (counted).
  std::string_view stem = name;
  if (stem.size() > 5 && stem.substr(stem.size() - 5) == ".fifo") stem.remove_suffix(5);
  if (stem.empty() || name.size() > 80) return false;
  for (char c : stem) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

bool is_plain_segment(std::string_view s) {
  return !s.empty() && s.find(':') == std::string_view::npos &&
         s.find('/') == std::string_view::npos;
}

std::string served_text(PipeRole role, const PipesIdentity& id) {
  std::string where = id.region + ":" + id.account_id;
  std::string sqs = "Amazon SQS queue (arn:aws:sqs:" + where + ":NAME)";
  std::string sfn = "Step Functions state machine (arn:aws:states:" + where + ":stateMachine:NAME)";
  std::string lambda = "Lambda function (arn:aws:lambda:" + where + ":function:NAME)";
  switch (role) {
    case PipeRole::kSource:
      return "Sluice serves " + sqs + " sources only.";
    case PipeRole::kTarget:
      return "Sluice serves " + sqs + ", " + sfn + " and " + lambda + " targets.";
    case PipeRole::kEnrichment:
      return "Sluice serves " + sfn + " and " + lambda + " enrichments.";
  }
  return {};
}

PipesError rejected(PipeRole role, std::string message) {
  return field_validation_exception({{std::string(pipe_role_field(role)), std::move(message)}});
}

PipesError not_served(std::string_view arn, PipeRole role, const PipesIdentity& id) {
  return rejected(role, std::string(pipe_role_field(role)) + " " + std::string(arn) +
                            " is not supported: " + served_text(role, id));
}

bool allowed(ResourceKind kind, PipeRole role) {
  switch (role) {
    case PipeRole::kSource:
      return kind == ResourceKind::kSqsQueue;
    case PipeRole::kTarget:
      return true;
    case PipeRole::kEnrichment:
      return kind != ResourceKind::kSqsQueue;
  }
  return false;
}

bool is_lower_alpha(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < 'a' || c > 'z') return false;
  }
  return true;
}

bool all_digits(std::string_view s, std::size_t n) {
  if (s.size() != n) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool all_of_set(std::string_view s, std::string_view extra) {
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              extra.find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

// [a-z]{2,4}((-gov)|(-de)|(-iso([a-z]?)))?-[a-z]+(-\d{1})?, tried both ways where the regex
// could backtrack (a last "-9" is the digit group; "gov"/"de"/"iso*" may be the [a-z]+ part).
bool matches_region(std::string_view region) {
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    std::size_t dash = region.find('-', start);
    parts.push_back(region.substr(start, dash == std::string_view::npos ? dash : dash - start));
    if (dash == std::string_view::npos) break;
    start = dash + 1;
  }
  if (parts.size() < 2 || !is_lower_alpha(parts[0]) || parts[0].size() > 4 || parts[0].size() < 2) {
    return false;
  }
  auto is_group = [](std::string_view p) {
    return p == "gov" || p == "de" || p == "iso" ||
           (p.size() == 4 && p.substr(0, 3) == "iso" && p[3] >= 'a' && p[3] <= 'z');
  };
  auto tail_ok = [&](std::size_t begin, std::size_t end) {
    if (end - begin == 1) return is_lower_alpha(parts[begin]);
    if (end - begin == 2) return is_group(parts[begin]) && is_lower_alpha(parts[begin + 1]);
    return false;
  };
  if (tail_ok(1, parts.size())) return true;
  return parts.size() >= 3 && all_digits(parts.back(), 1) && tail_ok(1, parts.size() - 1);
}

// ECMAScript's '.' matches anything but a line terminator (\n, \r, U+2028, U+2029).
bool is_dot_plus(std::string_view s) {
  if (s.empty()) return false;
  if (s.find_first_of("\r\n") != std::string_view::npos) return false;
  return s.find("\xE2\x80\xA8") == std::string_view::npos &&
         s.find("\xE2\x80\xA9") == std::string_view::npos;
}

// aws([a-z]|\-)*
bool is_aws_lower_partition(std::string_view p) {
  if (p.substr(0, 3) != "aws") return false;
  for (char c : p.substr(3)) {
    if (!((c >= 'a' && c <= 'z') || c == '-')) return false;
  }
  return true;
}

bool is_dns_label(std::string_view l) {
  return !l.empty() && l.front() != '-' && l.back() != '-' && all_of_set(l, "-");
}

}  // namespace

bool matches_arn_pattern(std::string_view text) {
  auto f = split_arn(text);
  return f && f->partition.substr(0, 3) == "aws" && all_of_set(f->partition.substr(3), "-") &&
         !f->service.empty() && all_of_set(f->service, "-") &&
         (f->region.empty() || matches_region(f->region)) &&
         (f->account.empty() || all_digits(f->account, 12)) && is_dot_plus(f->resource);
}

bool matches_role_arn_pattern(std::string_view text) {
  auto f = split_arn(text);
  if (!f || f->service != "iam" || !f->region.empty() || !all_digits(f->account, 12)) {
    return false;
  }
  bool partition_ok =
      f->partition.empty() ||
      (f->partition.substr(0, 3) == "aws" && all_of_set(f->partition.substr(3), "-") &&
       f->partition.find_first_of("0123456789") == std::string_view::npos);
  if (!partition_ok || f->resource.substr(0, 4) != "role") return false;
  std::string_view rest = f->resource.substr(4);
  return !rest.empty() && all_of_set(rest, "+=,.@-_/");
}

bool matches_pipe_arn_pattern(std::string_view text) {
  auto f = split_arn(text);
  if (!f || !is_aws_lower_partition(f->partition) || f->service.empty() ||
      !all_of_set(f->service, "-")) {
    return false;
  }
  for (char c : f->region) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return (f->account.empty() || all_digits(f->account, 12)) && is_dot_plus(f->resource);
}

bool matches_kafka_url_pattern(std::string_view text) {
  constexpr std::string_view kScheme = "smk://";
  if (text.substr(0, kScheme.size()) != kScheme) return false;
  std::string_view rest = text.substr(kScheme.size());
  std::size_t colon = rest.rfind(':');
  if (colon == std::string_view::npos) return false;
  std::string_view host = rest.substr(0, colon);
  std::string_view port = rest.substr(colon + 1);
  if (port.empty() || port.size() > 5 || !all_digits(port, port.size())) return false;
  for (std::size_t start = 0;;) {
    std::size_t dot = host.find('.', start);
    if (!is_dns_label(host.substr(start, dot == std::string_view::npos ? dot : dot - start))) {
      return false;
    }
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

bool matches_firehose_arn_pattern(std::string_view text) {
  auto f = split_arn(text);
  if (!f || !is_aws_lower_partition(f->partition) || f->service != "firehose" ||
      !matches_region(f->region) || !all_digits(f->account, 12)) {
    return false;
  }
  constexpr std::string_view kPrefix = "deliverystream/";
  if (f->resource.substr(0, kPrefix.size()) != kPrefix) return false;
  std::string_view name = f->resource.substr(kPrefix.size());
  return !name.empty() && name.size() <= 64 && all_of_set(name, "_.-");
}

bool matches_log_group_arn_pattern(std::string_view text) {
  auto f = split_arn(text);
  if (!f || !is_aws_lower_partition(f->partition) || f->service != "logs" ||
      !matches_region(f->region) || !all_digits(f->account, 12)) {
    return false;
  }
  constexpr std::string_view kPrefix = "log-group:";
  if (f->resource.substr(0, kPrefix.size()) != kPrefix) return false;
  std::string_view name = f->resource.substr(kPrefix.size());
  if (name.size() >= 2 && name.substr(name.size() - 2) == ":*") name.remove_suffix(2);
  return !name.empty() && name.size() <= 512 && all_of_set(name, ".-_/#");
}

std::string pipe_arn(const PipesIdentity& id, std::string_view name) {
  std::string arn = "arn:aws:pipes:" + id.region + ":" + id.account_id + ":pipe/";
  arn += name;
  return arn;
}

std::optional<PipeArnParts> parse_pipe_arn(std::string_view arn) {
  auto f = split_arn(arn);
  if (!f || f->partition != "aws" || f->service != "pipes") return std::nullopt;
  constexpr std::string_view kPrefix = "pipe/";
  if (f->resource.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  std::string_view name = f->resource.substr(kPrefix.size());
  if (!is_plain_segment(name)) return std::nullopt;
  return PipeArnParts{std::string(f->region), std::string(f->account), std::string(name)};
}

std::optional<std::string> local_pipe_name(std::string_view arn, const PipesIdentity& id) {
  auto parts = parse_pipe_arn(arn);
  if (!parts || parts->region != id.region || parts->account_id != id.account_id) {
    return std::nullopt;
  }
  return std::move(parts->name);
}

std::string_view resource_kind_name(ResourceKind kind) {
  switch (kind) {
    case ResourceKind::kSqsQueue:
      return "SQS queue";
    case ResourceKind::kStateMachine:
      return "Step Functions state machine";
    case ResourceKind::kLambdaFunction:
      return "Lambda function";
  }
  return "";
}

std::string_view pipe_role_field(PipeRole role) {
  switch (role) {
    case PipeRole::kSource:
      return "Source";
    case PipeRole::kTarget:
      return "Target";
    case PipeRole::kEnrichment:
      return "Enrichment";
  }
  return "";
}

Result<ResourceRef, PipesError> classify_resource(std::string_view arn, PipeRole role,
                                                  const PipesIdentity& id) {
  auto f = split_arn(arn);
  if (!f) return not_served(arn, role, id);  // smk:// URLs and other non-ARNs
  ResourceRef ref;
  ref.arn = std::string(arn);
  if (f->service == "sqs") {
    if (!is_valid_queue_name(f->resource)) return not_served(arn, role, id);
    ref.kind = ResourceKind::kSqsQueue;
    ref.name = std::string(f->resource);
    ref.fifo = ref.name.ends_with(".fifo");
  } else if (f->service == "states") {
    constexpr std::string_view kPrefix = "stateMachine:";
    if (f->resource.substr(0, kPrefix.size()) != kPrefix) return not_served(arn, role, id);
    std::string_view name = f->resource.substr(kPrefix.size());
    if (!is_plain_segment(name) || name.size() > 80) return not_served(arn, role, id);
    ref.kind = ResourceKind::kStateMachine;
    ref.name = std::string(name);
  } else if (f->service == "lambda") {
    constexpr std::string_view kPrefix = "function:";
    if (f->resource.substr(0, kPrefix.size()) != kPrefix) return not_served(arn, role, id);
    std::string_view name = f->resource.substr(kPrefix.size());
    std::string_view qualifier;
    if (std::size_t colon = name.find(':'); colon != std::string_view::npos) {
      qualifier = name.substr(colon + 1);
      name = name.substr(0, colon);
      if (!is_plain_segment(qualifier)) return not_served(arn, role, id);
    }
    if (!is_plain_segment(name)) return not_served(arn, role, id);
    ref.kind = ResourceKind::kLambdaFunction;
    ref.name = std::string(name);
    ref.qualifier = std::string(qualifier);
  } else {
    return not_served(arn, role, id);
  }
  if (!allowed(ref.kind, role)) return not_served(arn, role, id);
  if (f->partition != "aws" || f->region != id.region || f->account != id.account_id) {
    return rejected(role, std::string(pipe_role_field(role)) + " " + std::string(arn) +
                              " is not a resource of this server, which serves partition aws, "
                              "region " +
                              id.region + ", account " + id.account_id + ".");
  }
  return ref;
}

}  // namespace sluice::pipes
