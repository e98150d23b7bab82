// HistorySink: where an Execution reports everything that happens to it, in order, as it
// happens: each history event, each task heartbeat, then (once) the outcome when it stops. A
// Standard execution's sink makes this durable; an Express execution has no sink.
//
// Called on the thread that drives the execution, synchronously from inside the Execution:
// implementations must not call back into the Execution (nor answer its TaskHandles) from these
// methods.
//
// THE PERSISTENCE CONTRACT (what the API layer stores so a Standard execution survives kill -9):
//
//  1. At StartExecution: the execution's ExecutionInfo, its input and the exact definition it
//     runs (the version it started with: DescribeStateMachineForExecution's, never a later
//     update). Resuming with a different definition is detected as divergence (rule 6).
//  2. Every HistoryEvent given to on_event, in order, all of it: id, previous_event_id,
//     timestamp_ms, type, details (as JSON; numbers may round-trip through text), AND
//     resume_record, byte for byte. resume_record is private: never show it in
//     GetExecutionHistory (history_event_json() leaves it out). It is what the engine needs that
//     the AWS event does not carry: the task token of a *Scheduled event.
//  3. Every on_task_heartbeat: (scheduled_event_id, at_ms). Only the newest per
//     scheduled_event_id matters; older ones may be overwritten. Heartbeats are not history
//     events (AWS shows none), but a task's HeartbeatSeconds deadline after a restart is
//     computed from the last one: without it a task that was heartbeating would time out early.
//  4. on_outcome: the terminal status. It comes after the terminal event (ExecutionSucceeded,
//     ...Failed, ...TimedOut, ...Aborted) and may be delivered again by resume() when the stored
//     history already ends with that event; storing it twice must be harmless.
//  5. Durability order: what a client was told must be stored before the reply goes out (e.g.
//     SendTaskSuccess's 200 after the TaskSucceeded event it caused is committed), and events
//     must be stored as a prefix: never event n+1 without event n. Losing a suffix of events in
//     a crash is fine: resume() recomputes it (the deterministic part) or the work happens again
//     (an unanswered task is started again: at-least-once).
//  6. After a restart, for each execution whose stored status is RUNNING: Execution::restore()
//     with the stored events and heartbeats, set_on_finished(), then resume(). resume() replays
//     the history without side effects (no TaskHandler calls, no timers, no sink calls for the
//     events it finds stored), checks that the definition reproduces every stored event (type,
//     previous_event_id and state name), then continues live: Wait states fire at their original
//     end time (at once if it has passed), retry back-offs, task timeouts, heartbeat timeouts and
//     the execution timeout keep their original deadlines, tasks in flight get
//     TaskHandler::resume() or start() again (task_handler.h) with their original task token, and
//     new events continue from the last stored id. If the stored history cannot be reproduced,
//     resume() fails the execution (ExecutionFailed, States.Runtime, through the sink) and returns
//     the error.
//  7. RedriveExecution: check redrive_refusal() (redrive.h), then Execution::restore() with the
//     full stored history of the FAILED / TIMED_OUT / ABORTED execution and redrive(). Its first
//     new event is ExecutionRedriven; the execution is RUNNING again (store redriveCount and
//     redriveDate: Execution::redrive_count(), redrive_ms()).
//
// The replay is deterministic because everything the executor decides is a function of the
// definition, the input, the stored events and the execution ARN: the default RandomSource
// (JitterStrategy FULL) is seeded from the ARN, task tokens come from resume_record, times from
// the stored timestamps. A RandomSource injected through ExecutionServices must be equally
// deterministic per execution.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "engine/executor/execution_status.h"
#include "engine/executor/history_event.h"

namespace sluice::engine::executor {

// A SendTaskHeartbeat that reached a task attempt (named by its *Scheduled event's id).
struct TaskHeartbeatRecord {
  int64_t scheduled_event_id = 0;
  int64_t at_ms = 0;
};

// What the API layer stored of one execution (rules 2 and 3 above), handed to restore().
struct PersistedHistory {
  std::vector<HistoryEvent> events;  // ids 1..n, in order, starting with ExecutionStarted
  std::vector<TaskHeartbeatRecord> heartbeats;
};

class HistorySink {
 public:
  virtual ~HistorySink() = default;
  virtual void on_event(std::string_view execution_arn, const HistoryEvent& event) = 0;
  virtual void on_outcome(std::string_view execution_arn, const ExecutionOutcome& outcome) = 0;
  virtual void on_task_heartbeat(std::string_view execution_arn, const TaskHeartbeatRecord& beat) {
    (void)execution_arn;
    (void)beat;
  }
};

}  // namespace sluice::engine::executor
