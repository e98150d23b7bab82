// The Step Functions API surface: one register function per group of actions, each defined in
// its own file beside this one. StatesEndpoint calls every one of them at start.
#pragma once

#include "broker/states/action_table.h"

namespace sluice::states {

// Groups are added here as they are built (state machines, executions, tasks and activities, ...).

}  // namespace sluice::states
