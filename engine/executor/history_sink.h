// HistorySink: where an Execution reports everything that happens to it, in order, as it
// happens: each history event, then (once) the outcome when it stops. A Standard execution's
// sink makes this durable (a later layer commits events and status to LMDB together); an Express
// execution's sink may drop events. The history is complete enough to rebuild a running
// execution's position by replaying it (state entered with its input, task scheduled/started,
// retries as TaskFailed + the next TaskScheduled, Wait entries with their input and time).
//
// Called on the thread that drives the execution, synchronously from inside the Execution:
// implementations must not call back into the Execution from these methods.
#pragma once

#include <string_view>

#include "engine/executor/execution_status.h"
#include "engine/executor/history_event.h"

namespace sluice::engine::executor {

class HistorySink {
 public:
  virtual ~HistorySink() = default;
  virtual void on_event(std::string_view execution_arn, const HistoryEvent& event) = 0;
  virtual void on_outcome(std::string_view execution_arn, const ExecutionOutcome& outcome) = 0;
};

}  // namespace sluice::engine::executor
