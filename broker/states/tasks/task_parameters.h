// Reading a Task's effective Parameters (the state's input after InputPath and Parameters) in the
// integrations: each one accepts the fields AWS documents for it and nothing else. AWS refuses an
// unknown field when the definition is created; here the definition check only sees the Resource,
// so an unknown field fails the task with States.Runtime naming it. Pure; any thread.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "broker/states/tasks/task_result.h"

namespace sluice::states::tasks {

// A failure when `parameters` is not an object or holds a field outside `allowed`.
std::optional<TaskResult> check_fields(const json::Value& parameters,
                                       std::initializer_list<std::string_view> allowed);

// The member, or nullptr (also when `parameters` is not an object).
const json::Value* field(const json::Value& parameters, std::string_view name);

// A field that must be a string when present: nullopt when absent; `failure` set when present
// with another type.
std::optional<std::string> string_field(const json::Value& parameters, std::string_view name,
                                        std::optional<TaskResult>& failure);

}  // namespace sluice::states::tasks
