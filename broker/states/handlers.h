// The Step Functions API surface: one register function per group of actions, each defined in
// its own file beside this one. StatesEndpoint calls every one of them at start.
#pragma once

#include "broker/states/action_table.h"

namespace sluice::states {

namespace tasks {
class TaskRouter;
}

// Groups are added here as they are built (state machines, executions, tasks and activities, ...).

// task_handlers.cpp: SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat, GetActivityTask.
void register_task_actions(ActionTable& actions, tasks::TaskRouter& router);

}  // namespace sluice::states
