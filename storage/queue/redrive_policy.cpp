// Parsing, validation and canonical rendering of RedrivePolicy and RedriveAllowPolicy. The
// documents are tiny and set rarely, so simdjson's DOM parser is used for its simplicity.
#include "storage/queue/redrive_policy.h"

#include <simdjson.h>

#include <charconv>
#include <optional>

namespace sluice::storage {

namespace {

namespace dom = simdjson::dom;

Error invalid(std::string_view attribute, std::string_view json, std::string_view reason) {
  std::string m = "Value ";
  m.append(json);
  m.append(" for parameter ");
  m.append(attribute);
  m.append(" is invalid. Reason: ");
  m.append(reason);
  return make_error(ErrorCode::kInvalidParameterValue, std::move(m));
}

// Parses `json` as one JSON object; nullopt when it is not one.
std::optional<dom::object> parse_object(dom::parser& parser, std::string_view json) {
  dom::element doc;
  if (parser.parse(json.data(), json.size(), true).get(doc) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  dom::object obj;
  if (doc.get_object().get(obj) != simdjson::SUCCESS) return std::nullopt;
  return obj;
}

// The text of a scalar as SQS quotes it back in errors ("abc", 0, 1.5, true).
std::string scalar_text(dom::element v) {
  std::string_view s;
  if (v.get_string().get(s) == simdjson::SUCCESS) return std::string(s);
  return simdjson::minify(v);
}

// maxReceiveCount may be a JSON number or a string of digits.
std::optional<int64_t> integer_of(dom::element v) {
  int64_t i = 0;
  if (v.get_int64().get(i) == simdjson::SUCCESS) return i;
  std::string_view s;
  if (v.get_string().get(s) != simdjson::SUCCESS || s.empty()) return std::nullopt;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), i);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return i;
}

}  // namespace

Result<RedrivePolicy> RedrivePolicy::parse(std::string_view json) {
  constexpr std::string_view kName = "RedrivePolicy";
  dom::parser parser;
  auto obj = parse_object(parser, json);
  if (!obj) {
    return make_error(ErrorCode::kInvalidParameterValue,
                      "Invalid value for the parameter RedrivePolicy. Reason: Redrive policy is "
                      "not a valid JSON map.");
  }
  std::optional<dom::element> target, count;
  for (auto field : *obj) {
    if (field.key == "deadLetterTargetArn") {
      target = field.value;
    } else if (field.key == "maxReceiveCount") {
      count = field.value;
    } else {
      return invalid(kName, json,
                     "Only following attributes are supported:[deadLetterTargetArn, "
                     "maxReceiveCount].");
    }
  }
  // SQS names a missing maxReceiveCount first (`{}` is reported as missing maxReceiveCount).
  if (!count) {
    return invalid(kName, json,
                   "Redrive policy does not contain mandatory attribute: maxReceiveCount.");
  }
  if (!target) {
    return invalid(kName, json,
                   "Redrive policy does not contain mandatory attribute: deadLetterTargetArn.");
  }
  auto n = integer_of(*count);
  if (!n || *n < 1 || *n > 1000) {
    return invalid(kName, json,
                   "Invalid value for maxReceiveCount: " + scalar_text(*count) +
                       ", valid values are from 1 to 1000 both inclusive.");
  }
  std::string_view arn;
  if (target->get_string().get(arn) != simdjson::SUCCESS || !is_queue_arn(arn)) {
    return invalid(kName, json, "Invalid value for deadLetterTargetArn.");
  }
  RedrivePolicy p;
  p.dead_letter_target_arn = std::string(arn);
  p.max_receive_count = static_cast<uint32_t>(*n);
  return p;
}

std::string RedrivePolicy::to_json() const {
  std::string out = "{\"deadLetterTargetArn\":";
  append_json_string(out, dead_letter_target_arn);
  out.append(",\"maxReceiveCount\":");
  out.append(std::to_string(max_receive_count));
  out.push_back('}');
  return out;
}

Result<RedriveAllowPolicy> RedriveAllowPolicy::parse(std::string_view json) {
  constexpr std::string_view kName = "RedriveAllowPolicy";
  constexpr std::string_view kCannot = "Amazon SQS can't create the redrive allow policy";
  const std::string unsupported = std::string(kCannot) + ", as it's in an unsupported format.";
  dom::parser parser;
  auto obj = parse_object(parser, json);
  if (!obj) return invalid(kName, json, unsupported);
  std::optional<dom::element> permission, sources;
  for (auto field : *obj) {
    if (field.key == "redrivePermission") {
      permission = field.value;
    } else if (field.key == "sourceQueueArns") {
      sources = field.value;
    } else {
      return invalid(kName, json, unsupported);
    }
  }
  std::string_view name;
  if (!permission || permission->get_string().get(name) != simdjson::SUCCESS) {
    return invalid(kName, json, unsupported);
  }
  RedriveAllowPolicy p;
  if (name == "allowAll") {
    p.permission = Permission::kAllowAll;
  } else if (name == "denyAll") {
    p.permission = Permission::kDenyAll;
  } else if (name == "byQueue") {
    p.permission = Permission::kByQueue;
  } else {
    return invalid(kName, json, unsupported);
  }
  if (p.permission != Permission::kByQueue) {
    if (sources) {
      return invalid(kName, json,
                     std::string(kCannot) +
                         ". When you specify the allowAll or denyAll permission type, you can't "
                         "also specify sourceQueueArns values.");
    }
    return p;
  }
  dom::array list;
  if (!sources || sources->get_array().get(list) != simdjson::SUCCESS || list.size() == 0) {
    return invalid(kName, json,
                   std::string(kCannot) +
                       ". When you specify the byQueue permission type, you must also specify one "
                       "or more sourceQueueArns values.");
  }
  if (list.size() > kMaxSourceQueueArns) {
    return invalid(
        kName, json,
        std::string(kCannot) + ". The maximum number of source queue ARNs you can specify is 10.");
  }
  for (dom::element e : list) {
    std::string_view arn;
    if (e.get_string().get(arn) != simdjson::SUCCESS || !is_queue_arn(arn)) {
      return invalid(kName, json,
                     std::string(kCannot) + ". The sourceQueueArns value " + scalar_text(e) +
                         " isn't a valid Amazon SQS queue ARN.");
    }
    p.source_queue_arns.emplace_back(arn);
  }
  return p;
}

std::string RedriveAllowPolicy::to_json() const {
  std::string out = "{\"redrivePermission\":";
  switch (permission) {
    case Permission::kAllowAll:
      out.append("\"allowAll\"}");
      return out;
    case Permission::kDenyAll:
      out.append("\"denyAll\"}");
      return out;
    case Permission::kByQueue:
      break;
  }
  out.append("\"byQueue\",\"sourceQueueArns\":[");
  for (size_t i = 0; i < source_queue_arns.size(); ++i) {
    if (i) out.push_back(',');
    append_json_string(out, source_queue_arns[i]);
  }
  out.append("]}");
  return out;
}

bool RedriveAllowPolicy::allows(std::string_view source_arn) const {
  switch (permission) {
    case Permission::kAllowAll:
      return true;
    case Permission::kDenyAll:
      return false;
    case Permission::kByQueue:
      for (const auto& a : source_queue_arns) {
        if (a == source_arn) return true;
      }
      return false;
  }
  return false;
}

bool is_queue_arn(std::string_view arn) {
  // arn : partition : sqs : region : account : name
  size_t parts = 0;
  std::string_view fields[6];
  while (parts < 5) {
    size_t colon = arn.find(':');
    if (colon == std::string_view::npos) return false;
    fields[parts++] = arn.substr(0, colon);
    arn.remove_prefix(colon + 1);
  }
  fields[5] = arn;
  return fields[0] == "arn" && !fields[1].empty() && fields[2] == "sqs" && !fields[3].empty() &&
         !fields[4].empty() && !fields[5].empty() && fields[5].find(':') == std::string_view::npos;
}

std::string_view queue_name_in(std::string_view arn, std::string_view prefix) {
  if (arn.size() <= prefix.size() || arn.substr(0, prefix.size()) != prefix) return {};
  std::string_view name = arn.substr(prefix.size());
  if (name.find(':') != std::string_view::npos) return {};
  return name;
}

void append_json_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      default:
        if (c < 0x20) {
          out.append("\\u00");
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 15]);
        } else {
          out.push_back(ch);
        }
    }
  }
  out.push_back('"');
}

}  // namespace sluice::storage
