// See task_handler.h. The TaskHandle calls forward to the Execution that issued the handle.
#include "engine/executor/task_handler.h"

#include <vector>

#include "engine/executor/execution.h"

namespace sluice::engine::executor {

namespace {

constexpr std::string_view kWaitSuffix = ".waitForTaskToken";

}  // namespace

std::vector<std::string_view> split_arn_fields(std::string_view arn) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (int i = 0; i < 6; ++i) {
    std::size_t colon = arn.find(':', start);
    if (colon == std::string_view::npos) break;
    parts.push_back(arn.substr(start, colon - start));
    start = colon + 1;
  }
  parts.push_back(arn.substr(start));
  return parts;
}

TaskResource parse_task_resource(std::string_view arn) {
  TaskResource r;
  auto parts = split_arn_fields(arn);
  if (parts.size() == 7) {
    if (parts[2] == "states" && parts[5] == "activity") {
      r.family = TaskFamily::kActivity;
      r.resource_type = "activity";
      r.resource = std::string(parts[6]);
      return r;
    }
    if (parts[2] == "lambda" && parts[5] == "function") {
      r.family = TaskFamily::kLambdaFunction;
      r.resource_type = "lambda";
      r.resource = std::string(parts[6]);
      return r;
    }
    // An SDK integration, arn:aws:states:::aws-sdk:SERVICE:ACTION: AWS reports the type as
    // "aws-sdk:SERVICE" and the resource as the action.
    std::string_view type = parts[5];
    std::string_view rest = parts[6];
    std::size_t colon = rest.find(':');
    if (type == "aws-sdk" && colon != std::string_view::npos) {
      type = std::string_view(parts[5].data(), parts[5].size() + 1 + colon);  // same text
      rest.remove_prefix(colon + 1);
    }
    r.resource_type = std::string(type);
    r.resource = std::string(rest);
  } else {
    r.resource = std::string(arn);
  }
  r.wait_for_task_token = r.resource.size() > kWaitSuffix.size() &&
                          r.resource.compare(r.resource.size() - kWaitSuffix.size(),
                                             kWaitSuffix.size(), kWaitSuffix) == 0;
  return r;
}

bool TaskHandle::started(std::string_view worker_name) {
  if (!active_ || started_) return false;
  auto exec = execution_.lock();
  if (!exec) return false;
  exec->on_task_started(*this, std::string(worker_name));
  return true;
}

bool TaskHandle::submitted(json::Value output) {
  if (!active_) return false;
  auto exec = execution_.lock();
  if (!exec) return false;
  exec->on_task_submitted(*this, std::move(output));
  return true;
}

bool TaskHandle::succeed(json::Value output) {
  if (!active_) return false;
  auto exec = execution_.lock();
  if (!exec) return false;
  exec->on_task_succeeded(*this, std::move(output));
  return true;
}

bool TaskHandle::fail(std::string error, std::string cause) {
  if (!active_) return false;
  auto exec = execution_.lock();
  if (!exec) return false;
  exec->on_task_failed(*this, std::move(error), std::move(cause));
  return true;
}

void TaskHandle::inspected(json::Value exchange) {
  if (!active_) return;
  if (auto exec = execution_.lock()) exec->test_exchange(std::move(exchange));
}

bool TaskHandle::heartbeat() {
  if (!active_) return false;
  auto exec = execution_.lock();
  if (!exec) return false;
  exec->on_task_heartbeat(*this);
  return true;
}

}  // namespace sluice::engine::executor
