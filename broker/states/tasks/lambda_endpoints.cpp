// See lambda_endpoints.h.
#include "broker/states/tasks/lambda_endpoints.h"

#include "broker/states/tasks/outbound_url.h"
#include "engine/json/json_parse.h"

namespace sluice::states::tasks {

namespace {

Status invalid(std::string message) {
  return make_error(ErrorCode::kInvalidParameterValue, std::move(message));
}

// Lambda's function names: 1-64 of [A-Za-z0-9-_], optionally ":QUALIFIER" ($LATEST, a version
// number or an alias name).
bool valid_function_name(std::string_view name) {
  std::string_view qualifier;
  if (auto colon = name.find(':'); colon != std::string_view::npos) {
    qualifier = name.substr(colon + 1);
    name = name.substr(0, colon);
    if (qualifier.empty() || qualifier.size() > 128) return false;
    for (char c : qualifier) {
      bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '_' || c == '$';
      if (!ok) return false;
    }
  }
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

Status add(LambdaEndpoints& into, std::string_view name, std::string_view url) {
  if (!valid_function_name(name)) {
    std::string message(name);
    message += " is not a Lambda function name (1-64 of A-Z a-z 0-9 - _, optionally :QUALIFIER)";
    return invalid(std::move(message));
  }
  std::string why;
  if (!parse_outbound_url(url, &why)) {
    return invalid("the endpoint of Lambda function '" + std::string(name) +
                   "' is not a URL: " + why);
  }
  into[std::string(name)] = std::string(url);
  return {};
}

}  // namespace

Status add_lambda_endpoint(LambdaEndpoints& into, std::string_view spec) {
  auto eq = spec.find('=');
  if (eq == std::string_view::npos) {
    return invalid("expected NAME=URL, got '" + std::string(spec) + "'");
  }
  return add(into, spec.substr(0, eq), spec.substr(eq + 1));
}

Status add_lambda_endpoints_json(LambdaEndpoints& into, std::string_view json_text) {
  auto parsed = engine::json::parse(json_text);
  if (!parsed.ok()) return invalid("not valid JSON: " + parsed.error().message);
  if (!parsed->is_object()) return invalid("expected a JSON object {\"NAME\": \"URL\", ...}");
  for (const auto& [name, url] : parsed->as_object()) {
    if (!url.is_string()) return invalid("the endpoint of '" + name + "' must be a string URL");
    if (auto st = add(into, name, url.as_string()); !st) return st;
  }
  return {};
}

}  // namespace sluice::states::tasks
