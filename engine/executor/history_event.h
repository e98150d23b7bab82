// HistoryEvent: one entry of an execution's history, as GetExecutionHistory returns it (the
// HistoryEvent shape of the Step Functions API): a type named as AWS names it, an id counted
// from 1, the previousEventId AWS links it to, a timestamp, and one "...EventDetails" object
// whose members are spelled as on the wire (input/output are JSON text, as AWS sends them).
//
// A plain value type; events are created by the Execution that owns them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/json/json_value.h"

namespace sluice::engine::executor {

enum class HistoryEventType : uint8_t {
  kActivityFailed,
  kActivityScheduled,
  kActivityScheduleFailed,
  kActivityStarted,
  kActivitySucceeded,
  kActivityTimedOut,
  kChoiceStateEntered,
  kChoiceStateExited,
  kExecutionAborted,
  kExecutionFailed,
  kExecutionStarted,
  kExecutionSucceeded,
  kExecutionTimedOut,
  kFailStateEntered,
  kLambdaFunctionFailed,
  kLambdaFunctionScheduled,
  kLambdaFunctionScheduleFailed,
  kLambdaFunctionStarted,
  kLambdaFunctionStartFailed,
  kLambdaFunctionSucceeded,
  kLambdaFunctionTimedOut,
  kMapIterationAborted,
  kMapIterationFailed,
  kMapIterationStarted,
  kMapIterationSucceeded,
  kMapStateAborted,
  kMapStateEntered,
  kMapStateExited,
  kMapStateFailed,
  kMapStateStarted,
  kMapStateSucceeded,
  kParallelStateAborted,
  kParallelStateEntered,
  kParallelStateExited,
  kParallelStateFailed,
  kParallelStateStarted,
  kParallelStateSucceeded,
  kPassStateEntered,
  kPassStateExited,
  kSucceedStateEntered,
  kSucceedStateExited,
  kTaskFailed,
  kTaskScheduled,
  kTaskStarted,
  kTaskStartFailed,
  kTaskStateAborted,
  kTaskStateEntered,
  kTaskStateExited,
  kTaskSubmitFailed,
  kTaskSubmitted,
  kTaskSucceeded,
  kTaskTimedOut,
  kWaitStateAborted,
  kWaitStateEntered,
  kWaitStateExited,
  kExecutionRedriven,  // appended: RedriveExecution (executionRedrivenEventDetails)
  kEvaluationFailed,   // appended: a JSONata expression failed (evaluationFailedEventDetails)
  // Appended: a Distributed Map's map run (mapRunStartedEventDetails {mapRunArn},
  // mapRunFailedEventDetails {error, cause}, mapRunRedrivenEventDetails).
  kMapRunStarted,
  kMapRunSucceeded,
  kMapRunFailed,
  kMapRunAborted,
  kMapRunRedriven,
};

// "TaskStateEntered", ... (the HistoryEventType enum of the API).
std::string_view history_event_type_name(HistoryEventType type);

// The HistoryEvent member that carries the details of this type ("stateEnteredEventDetails",
// "taskScheduledEventDetails", ...), or "" for types without details (ParallelStateStarted,
// MapStateSucceeded, LambdaFunctionStarted, ...).
std::string_view history_event_details_member(HistoryEventType type);

struct HistoryEvent {
  int64_t id = 0;
  int64_t previous_event_id = 0;
  int64_t timestamp_ms = 0;
  HistoryEventType type = HistoryEventType::kExecutionStarted;
  json::Value details;  // an object, or null when the type has no details
  // Private to the engine, never part of GetExecutionHistory: what resuming the execution after
  // a restart needs beyond the AWS event (today the task token of a *Scheduled event). Opaque:
  // persist it with the event, byte for byte, and hand it back (history_sink.h). Usually empty.
  std::string resume_record;
};

// The event as one element of GetExecutionHistory's "events" (AWS JSON 1.0: the timestamp as
// epoch seconds with millisecond decimals). include_data=false drops input/output text, as
// includeExecutionData=false does.
std::string history_event_json(const HistoryEvent& event, bool include_data = true);

}  // namespace sluice::engine::executor
