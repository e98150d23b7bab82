// StateReset: POST /_sluice/reset. Deletes every pipe, state machine, activity and queue through
// the services the AWS APIs use, in that order (a pipe reads a queue and starts executions, so
// pipes go first; queues last, as state machines may send to them while they stop). Deletes
// that AWS finishes later (a pipe stops its batches, a state machine waits for its executions to
// be recorded ABORTED) are awaited, so that when the reset answers the List actions show nothing.
//
// Then every Standard execution is deleted (no AWS action deletes one; the runner does, in one
// commit: storage/executions/execution_store.h), with the map runs they started, so that
// DescribeExecution of an old ARN answers ExecutionDoesNotExist, a state machine created again
// under an old name lists none, and a restart resumes none. delete_executions_of does that for
// one state machine's executions (its map runs' children included).
// Thread: the reactor thread.
#pragma once

#include <functional>
#include <memory>

#include "broker/admin/admin_route.h"
#include "broker/admin/admin_services.h"
#include "broker/states/executions/execution_index.h"

namespace sluice::admin {

struct ResetCounts {
  size_t pipes = 0, state_machines = 0, activities = 0, queues = 0, executions = 0;
};

// Waits until none of the Standard executions `which` selects runs any more (their stops were
// asked for: a map run's children stop after their parent), then deletes them and forgets their
// map runs; `done` with how many were deleted, or a failure.
void delete_executions_of(const AdminServices& services,
                          std::function<bool(const states::ExecutionSummary&)> which,
                          std::function<void(Result<size_t, AdminError>)> done);

// Runs the reset and calls `done` once: with what it deleted, or the first failure.
void reset_everything(const AdminServices& services,
                      std::function<void(Result<ResetCounts, AdminError>)> done);

}  // namespace sluice::admin
