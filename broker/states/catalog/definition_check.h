// check_definition: everything CreateStateMachine, UpdateStateMachine and
// ValidateStateMachineDefinition ask of a definition. The engine parses, compiles and validates
// the language; on top of that come the rules of the machine's type (an Express machine may not
// use .waitForTaskToken, .sync or activities, with AWS's messages) and the served-resource check
// of the task integrations (StatesServices::check_resource). A definition that passes comes back
// compiled, so it is never parsed again. Pure function.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/asl/definition.h"
#include "engine/asl/diagnostic.h"

namespace sluice::states {

using ResourceCheck = std::function<std::optional<std::string>(std::string_view resource)>;

struct DefinitionCheck {
  std::shared_ptr<const engine::asl::StateMachine> machine;  // null when diagnostics is not empty
  std::vector<engine::asl::Diagnostic> diagnostics;
};

DefinitionCheck check_definition(std::string_view text, bool express,
                                 const ResourceCheck& check_resource);

}  // namespace sluice::states
