// See resource_check.h.
#include "broker/states/tasks/resource_check.h"

#include <array>
#include <vector>

#include "engine/executor/task_handler.h"

namespace sluice::states::tasks {

namespace {

bool valid_name(std::string_view name) {
  if (name.empty() || name.size() > 80) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

// A Lambda function reference in an ARN: NAME or NAME:QUALIFIER (a version or an alias).
bool valid_function(std::string_view rest) {
  std::size_t colon = rest.find(':');
  if (colon == std::string_view::npos) return valid_name(rest);
  std::string_view qualifier = rest.substr(colon + 1);
  return valid_name(rest.substr(0, colon)) && !qualifier.empty() &&
         (qualifier == "$LATEST" || valid_name(qualifier));
}

constexpr std::array<std::string_view, 9> kServiceResources = {
    "sqs:sendMessage",
    "sqs:sendMessage.waitForTaskToken",
    "states:startExecution",
    "states:startExecution.sync",
    "states:startExecution.sync:2",
    "states:startExecution.waitForTaskToken",
    "http:invoke",
    "lambda:invoke",
    "lambda:invoke.waitForTaskToken",
};

// The service types this server serves: their actions and patterns are exactly the ones above
// (AWS knows these integrations and refuses others, e.g. sqs:receiveMessage or .sync on SQS).
bool served_type(std::string_view type) {
  return type == "sqs" || type == "states" || type == "http" || type == "lambda" ||
         type == "activity";
}

// A service name ("dynamodb", "emr-containers", "elasticloadbalancingv2", ...).
bool valid_service(std::string_view s, bool dots) {
  if (s.empty() || s.size() > 64 || !(s[0] >= 'a' && s[0] <= 'z')) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || (dots && c == '.');
    if (!ok) return false;
  }
  return true;
}

// An API action as the integrations spell it: lower camel case ("putItem", "startJobRun").
bool valid_action(std::string_view a) {
  if (a.empty() || a.size() > 128 || !(a[0] >= 'a' && a[0] <= 'z')) return false;
  for (char c : a) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

// ACTION, ACTION.waitForTaskToken and, when `sync`, ACTION.sync / ACTION.sync:2.
bool valid_action_and_pattern(std::string_view rest, bool sync) {
  std::size_t dot = rest.find('.');
  if (dot == std::string_view::npos) return valid_action(rest);
  std::string_view pattern = rest.substr(dot);
  bool ok =
      pattern == ".waitForTaskToken" || (sync && (pattern == ".sync" || pattern == ".sync:2"));
  return ok && valid_action(rest.substr(0, dot));
}

// arn:PARTITION:states:::SERVICE:ACTION[.PATTERN] and
// arn:PARTITION:states:::aws-sdk:SERVICE:ACTION[.waitForTaskToken] (the SDK integrations take
// no .sync), for a service this server does not serve: well-formed, so a test case can mock it.
bool well_formed_integration(const std::vector<std::string_view>& parts) {
  if (parts[2] != "states" || !parts[3].empty() || !parts[4].empty()) return false;
  std::string_view type = parts[5];
  if (served_type(type) || !valid_service(type, false)) return false;
  if (type != "aws-sdk") return valid_action_and_pattern(parts[6], true);
  std::size_t colon = parts[6].find(':');
  if (colon == std::string_view::npos) return false;
  return valid_service(parts[6].substr(0, colon), true) &&
         valid_action_and_pattern(parts[6].substr(colon + 1), false);
}

bool served(std::string_view resource) {
  auto parts = engine::executor::split_arn_fields(resource);
  if (parts.size() != 7 || parts[0] != "arn" || parts[1].substr(0, 3) != "aws") return false;
  if (parts[2] == "lambda") return parts[5] == "function" && valid_function(parts[6]);
  if (parts[2] != "states") return false;
  if (parts[5] == "activity") return !parts[3].empty() && !parts[4].empty() && valid_name(parts[6]);
  std::string type_and_action(parts[5]);
  type_and_action += ':';
  type_and_action += parts[6];
  for (std::string_view s : kServiceResources) {
    if (s == type_and_action) return true;
  }
  return false;
}

}  // namespace

std::optional<std::string> check_task_resource(std::string_view resource) {
  if (served(resource)) return std::nullopt;
  auto parts = engine::executor::split_arn_fields(resource);
  if (parts.size() == 7 && parts[0] == "arn" && parts[1].substr(0, 3) == "aws" &&
      well_formed_integration(parts)) {
    return std::nullopt;
  }
  return "The resource provided " + std::string(resource) +
         " is not recognized. The value is not a valid resource ARN, or the resource is not "
         "available in this region.";
}

std::string unserved_integration_cause(std::string_view resource, std::string_view execution_arn,
                                       std::string_view state) {
  // The state machine's name: execution:MACHINE:NAME or express:MACHINE:NAME:ID.
  std::string machine = "MACHINE";
  auto parts = engine::executor::split_arn_fields(execution_arn);
  if (parts.size() == 7) machine = std::string(parts[6].substr(0, parts[6].find(':')));
  return "Sluice does not serve the resource " + std::string(resource) + " (state '" +
         std::string(state) + "'). Mock it: start the server with --mock-config FILE whose " +
         "StateMachines." + machine + ".TestCases.CASE maps \"" + std::string(state) +
         "\" to a MockedResponses entry, and start the execution on the state machine ARN " +
         "followed by #CASE";
}

}  // namespace sluice::states::tasks
