// The Step Functions API surface: one register function per group of actions, each defined in
// its own file beside this one. StatesService calls every one of them at start.
#pragma once

#include "broker/states/action_table.h"

namespace sluice::engine::executor {
class Clock;
class TimerService;
}  // namespace sluice::engine::executor

namespace sluice::states {

namespace tasks {
class TaskRouter;
}

// CreateStateMachine, DescribeStateMachine, UpdateStateMachine, DeleteStateMachine,
// ListStateMachines, ValidateStateMachineDefinition (state_machine_handlers.cpp).
void register_state_machine_actions(ActionTable& actions);
// PublishStateMachineVersion, ListStateMachineVersions, DeleteStateMachineVersion,
// Create/Describe/Update/Delete/ListStateMachineAliases (version_alias_handlers.cpp).
void register_version_alias_actions(ActionTable& actions);
// CreateActivity, DescribeActivity, DeleteActivity, ListActivities (activity_handlers.cpp).
void register_activity_actions(ActionTable& actions);
// TagResource, UntagResource, ListTagsForResource (tag_handlers.cpp).
void register_tag_actions(ActionTable& actions);
// StartExecution, StartSyncExecution, DescribeExecution, StopExecution, ListExecutions,
// GetExecutionHistory, DescribeStateMachineForExecution, RedriveExecution
// (execution_handlers.cpp).
void register_execution_actions(ActionTable& actions);
// DescribeMapRun, ListMapRuns, UpdateMapRun: no Distributed Map here (map_run_handlers.cpp).
void register_map_run_actions(ActionTable& actions);

// task_handlers.cpp: SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat, GetActivityTask.
void register_task_actions(ActionTable& actions, tasks::TaskRouter& router);

// test_state_handler.cpp: TestState; the tested state runs on the executions' clock and timers.
void register_test_state_action(ActionTable& actions, engine::executor::Clock& clock,
                                engine::executor::TimerService& timers);

}  // namespace sluice::states
