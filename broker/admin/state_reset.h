// StateReset: POST /_sluice/reset. Deletes every pipe, state machine, activity and queue through
// the services the AWS APIs use, in that order (a pipe reads a queue and starts executions, so
// pipes go first; queues last, as state machines may send to them while they stop). Deletes
// that AWS finishes later (a pipe stops its batches, a state machine waits for its executions to
// be recorded ABORTED) are awaited, so that when the reset answers the List actions show nothing.
//
// Executions are not deleted: their records stay in LMDB (no AWS action deletes one), so
// DescribeExecution of an old ARN still answers, and a state machine created again under the same
// name lists them again (see broker/admin/README.md).
// Thread: the reactor thread.
#pragma once

#include <functional>
#include <memory>

#include "broker/admin/admin_route.h"
#include "broker/admin/admin_services.h"

namespace sluice::admin {

struct ResetCounts {
  size_t pipes = 0, state_machines = 0, activities = 0, queues = 0;
};

// Runs the reset and calls `done` once: with what it deleted, or the first failure.
void reset_everything(const AdminServices& services,
                      std::function<void(Result<ResetCounts, AdminError>)> done);

}  // namespace sluice::admin
