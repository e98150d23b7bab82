// Finding a Distributed Map's item processor in a compiled definition by its map run label: how a
// child execution of a map run, restored after a restart, finds the machine it runs (its record
// names the parent's definition revision and, through its machine name PARENT/LABEL, the label).
// Pure.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "engine/asl/definition.h"

namespace sluice::states {

// The first Distributed Map state (depth first, in state order, through Parallel branches and
// item processors) whose label is `label`; null when there is none.
const engine::asl::State* find_distributed_map(const engine::asl::StateMachine& machine,
                                               std::string_view label);

// The item processor of the first Distributed Map state (depth first, in state order, through
// Parallel branches and item processors) whose label is `label`; null when there is none.
std::shared_ptr<const engine::asl::StateMachine> find_item_processor(
    const engine::asl::StateMachine& machine, std::string_view label);

// The same search in definition text: the JSON text of that Map state's ItemProcessor (or
// Iterator), which DescribeStateMachineForExecution shows as a child's definition.
std::optional<std::string> item_processor_definition(std::string_view definition,
                                                     std::string_view label);

// The label in a child's machine name PARENT/LABEL (the text after the last '/'); empty when the
// name has no '/'.
std::string_view map_run_label_of(std::string_view child_machine);

}  // namespace sluice::states
