// The variables each state of a definition reads, as DescribeStateMachine's variableReferences
// lists them: by state name (states of Parallel branches and Map processors by their own
// names), names sorted, states that read none left out.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "engine/asl/definition.h"

namespace sluice::engine::asl {

std::map<std::string, std::vector<std::string>> variable_references(const StateMachine& machine);

}  // namespace sluice::engine::asl
