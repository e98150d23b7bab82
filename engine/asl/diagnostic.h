// Diagnostic: one problem found while compiling a state machine definition, in the shape of
// ValidateStateMachineDefinition's diagnostics (code, message, location such as
// "/States/X/Next"). CreateStateMachine/UpdateStateMachine report the same list as one
// InvalidDefinition message, built by invalid_definition_message().
#pragma once

#include <string>
#include <vector>

namespace sluice::engine::asl {

struct Diagnostic {
  std::string code;      // SCHEMA_VALIDATION_FAILED, MISSING_TRANSITION_TARGET, ...
  std::string message;   // without the location
  std::string location;  // a JSON-pointer-like path into the definition; may be empty
};

// "Invalid State Machine Definition: 'CODE: message at /loc, CODE: message at /loc'" (AWS's
// InvalidDefinition text).
std::string invalid_definition_message(const std::vector<Diagnostic>& diagnostics);

}  // namespace sluice::engine::asl
