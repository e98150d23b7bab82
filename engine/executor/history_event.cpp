// See history_event.h.
#include "engine/executor/history_event.h"

#include <array>
#include <cstdio>

#include "engine/json/json_serialize.h"

namespace sluice::engine::executor {

namespace {

struct TypeInfo {
  std::string_view name;
  std::string_view details;
};

constexpr std::array<TypeInfo, 62> kTypes = {{
    {"ActivityFailed", "activityFailedEventDetails"},
    {"ActivityScheduled", "activityScheduledEventDetails"},
    {"ActivityScheduleFailed", "activityScheduleFailedEventDetails"},
    {"ActivityStarted", "activityStartedEventDetails"},
    {"ActivitySucceeded", "activitySucceededEventDetails"},
    {"ActivityTimedOut", "activityTimedOutEventDetails"},
    {"ChoiceStateEntered", "stateEnteredEventDetails"},
    {"ChoiceStateExited", "stateExitedEventDetails"},
    {"ExecutionAborted", "executionAbortedEventDetails"},
    {"ExecutionFailed", "executionFailedEventDetails"},
    {"ExecutionStarted", "executionStartedEventDetails"},
    {"ExecutionSucceeded", "executionSucceededEventDetails"},
    {"ExecutionTimedOut", "executionTimedOutEventDetails"},
    {"FailStateEntered", "stateEnteredEventDetails"},
    {"LambdaFunctionFailed", "lambdaFunctionFailedEventDetails"},
    {"LambdaFunctionScheduled", "lambdaFunctionScheduledEventDetails"},
    {"LambdaFunctionScheduleFailed", "lambdaFunctionScheduleFailedEventDetails"},
    {"LambdaFunctionStarted", ""},
    {"LambdaFunctionStartFailed", "lambdaFunctionStartFailedEventDetails"},
    {"LambdaFunctionSucceeded", "lambdaFunctionSucceededEventDetails"},
    {"LambdaFunctionTimedOut", "lambdaFunctionTimedOutEventDetails"},
    {"MapIterationAborted", "mapIterationAbortedEventDetails"},
    {"MapIterationFailed", "mapIterationFailedEventDetails"},
    {"MapIterationStarted", "mapIterationStartedEventDetails"},
    {"MapIterationSucceeded", "mapIterationSucceededEventDetails"},
    {"MapStateAborted", ""},
    {"MapStateEntered", "stateEnteredEventDetails"},
    {"MapStateExited", "stateExitedEventDetails"},
    {"MapStateFailed", ""},
    {"MapStateStarted", "mapStateStartedEventDetails"},
    {"MapStateSucceeded", ""},
    {"ParallelStateAborted", ""},
    {"ParallelStateEntered", "stateEnteredEventDetails"},
    {"ParallelStateExited", "stateExitedEventDetails"},
    {"ParallelStateFailed", ""},
    {"ParallelStateStarted", ""},
    {"ParallelStateSucceeded", ""},
    {"PassStateEntered", "stateEnteredEventDetails"},
    {"PassStateExited", "stateExitedEventDetails"},
    {"SucceedStateEntered", "stateEnteredEventDetails"},
    {"SucceedStateExited", "stateExitedEventDetails"},
    {"TaskFailed", "taskFailedEventDetails"},
    {"TaskScheduled", "taskScheduledEventDetails"},
    {"TaskStarted", "taskStartedEventDetails"},
    {"TaskStartFailed", "taskStartFailedEventDetails"},
    {"TaskStateAborted", ""},
    {"TaskStateEntered", "stateEnteredEventDetails"},
    {"TaskStateExited", "stateExitedEventDetails"},
    {"TaskSubmitFailed", "taskSubmitFailedEventDetails"},
    {"TaskSubmitted", "taskSubmittedEventDetails"},
    {"TaskSucceeded", "taskSucceededEventDetails"},
    {"TaskTimedOut", "taskTimedOutEventDetails"},
    {"WaitStateAborted", ""},
    {"WaitStateEntered", "stateEnteredEventDetails"},
    {"WaitStateExited", "stateExitedEventDetails"},
    {"ExecutionRedriven", "executionRedrivenEventDetails"},
    {"EvaluationFailed", "evaluationFailedEventDetails"},
    {"MapRunStarted", "mapRunStartedEventDetails"},
    {"MapRunSucceeded", ""},
    {"MapRunFailed", "mapRunFailedEventDetails"},
    {"MapRunAborted", ""},
    {"MapRunRedriven", "mapRunRedrivenEventDetails"},
}};

static_assert(kTypes.size() == static_cast<std::size_t>(HistoryEventType::kMapRunRedriven) + 1);

bool is_data_member(std::string_view key) {
  return key == "input" || key == "output" || key == "parameters" || key == "assignedVariables";
}

}  // namespace

std::string_view history_event_type_name(HistoryEventType type) {
  return kTypes[static_cast<std::size_t>(type)].name;
}

std::string_view history_event_details_member(HistoryEventType type) {
  return kTypes[static_cast<std::size_t>(type)].details;
}

std::string history_event_json(const HistoryEvent& event, bool include_data) {
  std::string out;
  out.reserve(128);
  char ts[48];
  long long ms = event.timestamp_ms;
  long long sec = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
  std::snprintf(ts, sizeof ts, "%lld.%03lld", sec, ms - sec * 1000);
  out += "{\"timestamp\":";
  out += ts;
  out += ",\"type\":\"";
  out += history_event_type_name(event.type);
  out += "\",\"id\":" + std::to_string(event.id);
  out += ",\"previousEventId\":" + std::to_string(event.previous_event_id);
  std::string_view member = history_event_details_member(event.type);
  if (!member.empty() && event.details.is_object()) {
    out += ',';
    json::append_quoted(member, out);
    out += ':';
    if (include_data) {
      json::serialize_to(event.details, out);
    } else {
      json::Object kept;
      for (const auto& [k, v] : event.details.as_object()) {
        if (!is_data_member(k)) kept.set(k, v);
      }
      json::serialize_to(json::Value(std::move(kept)), out);
    }
  }
  out += '}';
  return out;
}

}  // namespace sluice::engine::executor
