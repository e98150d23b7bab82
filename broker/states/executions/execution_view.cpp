// See execution_view.h.
#include "broker/states/executions/execution_view.h"

#include "broker/states/wire_format.h"

namespace sluice::states {

using engine::executor::execution_status_name;
using engine::executor::ExecutionStatus;

const char* redrive_status(ExecutionStatus s) {
  return (s == ExecutionStatus::kRunning || s == ExecutionStatus::kSucceeded) ? "NOT_REDRIVABLE"
                                                                              : "REDRIVABLE";
}

void write_describe_execution(protocol::JsonWriter& w, const ExecutionView& v, bool include_data) {
  w.string_member("executionArn", v.execution_arn);
  w.string_member("stateMachineArn", v.state_machine_arn);
  w.string_member("name", v.name);
  w.string_member("status", execution_status_name(v.status));
  timestamp_member(w, "startDate", v.start_ms);
  if (v.status != ExecutionStatus::kRunning) timestamp_member(w, "stopDate", v.stop_ms);
  if (include_data) w.string_member("input", v.input);
  w.key("inputDetails");
  w.begin_object();
  w.boolean_member("included", include_data);
  w.end_object();
  if (v.output) {
    if (include_data) w.string_member("output", *v.output);
    w.key("outputDetails");
    w.begin_object();
    w.boolean_member("included", include_data);
    w.end_object();
  }
  if (v.error) w.string_member("error", *v.error);
  if (v.cause) w.string_member("cause", *v.cause);
  w.optional_string_member("traceHeader", v.trace_header);
  w.optional_string_member("mapRunArn", v.map_run_arn);
  w.optional_string_member("stateMachineVersionArn", v.version_arn);
  w.optional_string_member("stateMachineAliasArn", v.alias_arn);
  w.integer_member("redriveCount", v.redrive_count);
  if (v.redrive_ms != 0) timestamp_member(w, "redriveDate", v.redrive_ms);
  if (v.redrive_checked) {
    w.string_member("redriveStatus", v.redrive_refusal ? "NOT_REDRIVABLE" : "REDRIVABLE");
    if (v.redrive_refusal) w.string_member("redriveStatusReason", *v.redrive_refusal);
    return;
  }
  w.string_member("redriveStatus", redrive_status(v.status));
  if (v.status == ExecutionStatus::kRunning || v.status == ExecutionStatus::kSucceeded) {
    w.string_member(
        "redriveStatusReason",
        "Execution is " + std::string(execution_status_name(v.status)) + " and cannot be redriven");
  }
}

json::Value describe_execution_value(const ExecutionView& v) {
  json::Object o;
  o.set("executionArn", json::Value(v.execution_arn));
  o.set("stateMachineArn", json::Value(v.state_machine_arn));
  o.set("name", json::Value(v.name));
  o.set("status", json::Value(execution_status_name(v.status)));
  o.set("startDate", json::Value(v.start_ms));
  if (v.status != ExecutionStatus::kRunning) o.set("stopDate", json::Value(v.stop_ms));
  o.set("input", json::Value(v.input));
  if (v.output) o.set("output", json::Value(*v.output));
  if (v.error) o.set("error", json::Value(*v.error));
  if (v.cause) o.set("cause", json::Value(*v.cause));
  if (!v.version_arn.empty()) o.set("stateMachineVersionArn", json::Value(v.version_arn));
  if (!v.alias_arn.empty()) o.set("stateMachineAliasArn", json::Value(v.alias_arn));
  o.set("redriveCount", json::Value(static_cast<int64_t>(v.redrive_count)));
  return json::Value(std::move(o));
}

}  // namespace sluice::states
