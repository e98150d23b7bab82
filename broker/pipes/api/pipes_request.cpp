// See pipes_request.h.
#include "broker/pipes/api/pipes_request.h"

#include <charconv>

#include "broker/pipes/api/pipe_arn.h"
#include "broker/pipes/api/pipe_spec.h"
#include "broker/protocol/form_decoder.h"
#include "engine/json/json_parse.h"

namespace sluice::pipes {

namespace {

constexpr std::string_view kPipesPath = "/v1/pipes";
constexpr std::string_view kTagsPrefix = "/tags/";

constexpr std::string_view kPipeNameRegex = R"([\.\-_A-Za-z0-9]+)";
constexpr std::string_view kPipeArnRegex =
    R"(arn:aws([a-z]|\-)*:([a-zA-Z0-9\-]+):([a-z]|\d|\-)*:([0-9]{12})?:(.+))";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool matches_pipe_name(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

// Schema checks of a string parameter (a label or a query value).
void check(std::vector<FieldError>& fields, std::string_view name, std::string_view value,
           std::size_t min, std::size_t max, std::string_view regex = {},
           bool (*matches)(std::string_view) = nullptr) {
  std::size_t len = schema_length(value);
  if (len < min) fields.push_back({std::string(name), schema_too_short(value, min)});
  if (len > max) fields.push_back({std::string(name), schema_too_long(value, max)});
  if (matches != nullptr && !matches(value)) {
    fields.push_back({std::string(name), schema_pattern_mismatch(regex, value)});
  }
}

void check_enum(std::vector<FieldError>& fields, std::string_view name, std::string_view value,
                const std::vector<std::string_view>& allowed) {
  for (std::string_view a : allowed) {
    if (a == value) return;
  }
  fields.push_back({std::string(name), schema_not_in_enum(value, allowed)});
}

// The route: which operation, and the raw (still encoded) label.
struct Route {
  PipesAction action;
  std::string_view label;
};

std::optional<Route> route(std::string_view method, std::string_view path) {
  if (path == kPipesPath) {
    if (method == "GET") return Route{PipesAction::kListPipes, {}};
    return std::nullopt;
  }
  if (path.substr(0, kPipesPath.size() + 1) == "/v1/pipes/") {
    std::string_view rest = path.substr(kPipesPath.size() + 1);
    std::size_t slash = rest.find('/');
    if (slash == std::string_view::npos) {
      if (method == "POST") return Route{PipesAction::kCreatePipe, rest};
      if (method == "GET") return Route{PipesAction::kDescribePipe, rest};
      if (method == "PUT") return Route{PipesAction::kUpdatePipe, rest};
      if (method == "DELETE") return Route{PipesAction::kDeletePipe, rest};
      return std::nullopt;
    }
    std::string_view name = rest.substr(0, slash);
    std::string_view verb = rest.substr(slash + 1);
    if (method != "POST") return std::nullopt;
    if (verb == "start") return Route{PipesAction::kStartPipe, name};
    if (verb == "stop") return Route{PipesAction::kStopPipe, name};
    return std::nullopt;
  }
  if (path.substr(0, kTagsPrefix.size()) == kTagsPrefix) {
    // The whole rest is the label: an ARN sent without encoding its '/' still names the pipe.
    std::string_view arn = path.substr(kTagsPrefix.size());
    if (method == "GET") return Route{PipesAction::kListTagsForResource, arn};
    if (method == "POST") return Route{PipesAction::kTagResource, arn};
    if (method == "DELETE") return Route{PipesAction::kUntagResource, arn};
  }
  return std::nullopt;
}

bool has_body(PipesAction a) {
  return a == PipesAction::kCreatePipe || a == PipesAction::kUpdatePipe ||
         a == PipesAction::kTagResource;
}

// A query integer, or nullopt when the text is no 32-bit integer.
std::optional<int64_t> parse_query_integer(std::string_view text) {
  int32_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return n;
}

}  // namespace

std::string_view action_name(PipesAction action) {
  switch (action) {
    case PipesAction::kCreatePipe:
      return "CreatePipe";
    case PipesAction::kDeletePipe:
      return "DeletePipe";
    case PipesAction::kDescribePipe:
      return "DescribePipe";
    case PipesAction::kListPipes:
      return "ListPipes";
    case PipesAction::kListTagsForResource:
      return "ListTagsForResource";
    case PipesAction::kStartPipe:
      return "StartPipe";
    case PipesAction::kStopPipe:
      return "StopPipe";
    case PipesAction::kTagResource:
      return "TagResource";
    case PipesAction::kUntagResource:
      return "UntagResource";
    case PipesAction::kUpdatePipe:
      return "UpdatePipe";
  }
  return "";
}

bool percent_decode_path(std::string_view in, std::string& out) {
  out.reserve(out.size() + in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out.push_back(in[i]);
      continue;
    }
    if (i + 2 >= in.size()) return false;
    int hi = hex_value(in[i + 1]);
    int lo = hex_value(in[i + 2]);
    if (hi < 0 || lo < 0) return false;
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return true;
}

bool is_pipes_request(const http::Request& request) {
  if (request.header("x-amz-target") != nullptr) return false;  // an AWS JSON 1.0 API
  std::string_view path = request.path();
  return path == kPipesPath || path.substr(0, kPipesPath.size() + 1) == "/v1/pipes/" ||
         path.substr(0, kTagsPrefix.size()) == kTagsPrefix;
}

Result<PipesRequest, PipesError> decode_pipes_request(const http::Request& request) {
  auto r = route(request.method, request.path());
  if (!r) return unknown_operation_exception(request.method, request.path());

  PipesRequest out;
  out.action = r->action;
  std::vector<FieldError> fields;
  const bool tag_operation = r->action == PipesAction::kListTagsForResource ||
                             r->action == PipesAction::kTagResource ||
                             r->action == PipesAction::kUntagResource;
  if (r->action != PipesAction::kListPipes) {
    std::string label;
    if (!percent_decode_path(r->label, label)) {
      return serialization_exception("Malformed percent-encoding in the request path");
    }
    if (tag_operation) {
      check(fields, "resourceArn", label, 1, 1600, kPipeArnRegex, &matches_pipe_arn_pattern);
      out.resource_arn = std::move(label);
    } else {
      check(fields, "Name", label, 1, 64, kPipeNameRegex, &matches_pipe_name);
      out.name = std::move(label);
    }
  }

  protocol::FormParams query;
  if (!protocol::decode_form(request.query(), query)) {
    return serialization_exception("Malformed percent-encoding in the query string");
  }
  if (r->action == PipesAction::kListPipes) {
    ListPipesQuery& q = out.list;
    for (const auto& [name, value] : query.entries()) {
      if (name == "NamePrefix") {
        check(fields, name, value, 1, 64, kPipeNameRegex, &matches_pipe_name);
        q.name_prefix = value;
      } else if (name == "SourcePrefix") {
        check(fields, name, value, 1, 1600);
        q.source_prefix = value;
      } else if (name == "TargetPrefix") {
        check(fields, name, value, 1, 1600);
        q.target_prefix = value;
      } else if (name == "DesiredState") {
        check_enum(fields, name, value, {"RUNNING", "STOPPED"});
        q.desired_state = value;
      } else if (name == "CurrentState") {
        check_enum(fields, name, value, current_state_values());
        q.current_state = value;
      } else if (name == "NextToken") {
        check(fields, name, value, 1, 2048);
        q.next_token = value;
      } else if (name == "Limit") {
        auto n = parse_query_integer(value);
        if (!n) return serialization_exception("STRING_VALUE can not be converted to an Integer");
        if (*n < 1) fields.push_back({name, schema_below_minimum(1, *n)});
        if (*n > 100) fields.push_back({name, schema_above_maximum(100, *n)});
        q.limit = *n;
      }
    }
  } else if (r->action == PipesAction::kUntagResource) {
    for (const auto& [name, value] : query.entries()) {
      if (name != "tagKeys") continue;
      if (!out.tag_keys) out.tag_keys.emplace();
      out.tag_keys->push_back(value);
    }
  }

  if (has_body(r->action) && request.body.find_first_not_of(" \t\r\n") != std::string::npos) {
    auto parsed = json::parse(request.body);
    if (!parsed) return serialization_exception("Malformed JSON in the request body");
    if (!parsed->is_object()) {
      return serialization_exception(parsed->is_array()
                                         ? "Start of list found where not expected."
                                         : "Expected a JSON object as the request body");
    }
    out.body = std::move(*parsed);
  }

  if (!fields.empty()) return schema_validation_exception(std::move(fields));
  return out;
}

}  // namespace sluice::pipes
