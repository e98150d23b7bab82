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
  return "The resource provided " + std::string(resource) +
         " is not recognized. The value is not a valid resource ARN, or the resource is not "
         "available in this region.";
}

}  // namespace sluice::states::tasks
