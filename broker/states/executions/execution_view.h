// ExecutionView: what DescribeExecution shows about one execution, gathered from its records (or,
// for an Express execution, from the Execution itself), and its two renderings: the API's JSON
// (timestamps in epoch seconds) and a json::Value for in-process callers (ExecutionStarter::watch;
// timestamps as epoch milliseconds, integers). Plain values and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "broker/protocol/json_writer.h"
#include "broker/states/sfn_error.h"
#include "engine/executor/execution_status.h"

namespace sluice::states {

struct ExecutionView {
  std::string execution_arn;
  std::string state_machine_arn;  // unqualified
  std::string name;
  engine::executor::ExecutionStatus status = engine::executor::ExecutionStatus::kRunning;
  int64_t start_ms = 0;
  int64_t stop_ms = 0;  // when status is not RUNNING
  std::string input;    // JSON text
  std::optional<std::string> output;
  std::optional<std::string> error;
  std::optional<std::string> cause;
  std::string version_arn;
  std::string alias_arn;
  std::string trace_header;
  std::string map_run_arn;  // a Distributed Map's child execution: its map run
  uint32_t redrive_count = 0;
  int64_t redrive_ms = 0;
  // Why RedriveExecution would refuse it now (redrive_refusal()); unset: the status decides.
  std::optional<std::string> redrive_refusal;
  bool redrive_checked = false;
};

// DescribeExecution's members. include_data=false (includedData METADATA_ONLY) leaves input and
// output out.
void write_describe_execution(protocol::JsonWriter& w, const ExecutionView& v, bool include_data);

// DescribeExecution's output as a value (for watchers), startDate/stopDate in epoch milliseconds.
json::Value describe_execution_value(const ExecutionView& v);

// Redrive status as DescribeExecution reports it: NOT_REDRIVABLE with a reason while RUNNING or
// after success, REDRIVABLE after a failure, timeout or abort.
const char* redrive_status(engine::executor::ExecutionStatus s);

}  // namespace sluice::states
