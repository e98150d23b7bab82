// See task_parameters.h.
#include "broker/states/tasks/task_parameters.h"

namespace sluice::states::tasks {

std::optional<TaskResult> check_fields(const json::Value& parameters,
                                       std::initializer_list<std::string_view> allowed) {
  if (!parameters.is_object()) {
    return runtime_failure("The task's Parameters must be a JSON object, got " +
                           std::string(json::type_name(parameters.type())));
  }
  for (const auto& [name, value] : parameters.as_object()) {
    bool known = false;
    for (std::string_view a : allowed) known = known || a == name;
    if (!known)
      return runtime_failure("The field '" + name + "' is not supported by Step Functions");
  }
  return std::nullopt;
}

const json::Value* field(const json::Value& parameters, std::string_view name) {
  return parameters.is_object() ? parameters.as_object().find(name) : nullptr;
}

std::optional<std::string> string_field(const json::Value& parameters, std::string_view name,
                                        std::optional<TaskResult>& failure) {
  const json::Value* v = field(parameters, name);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    failure = runtime_failure("The value of the field '" + std::string(name) +
                              "' must be a string, got " + std::string(json::type_name(v->type())));
    return std::nullopt;
  }
  return v->as_string();
}

}  // namespace sluice::states::tasks
