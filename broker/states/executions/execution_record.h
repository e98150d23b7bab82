// How executions sit in LMDB.
//
// `executions` database, keyed by the execution ARN:
//   'x' ARN -> ExecutionRecord: what never changes once the execution started (its number, names,
//              the machine revision it runs, start time, input). Written with ExecutionStarted.
//   'o' ARN -> ExecutionOutcome: status, stop time, output or error/cause, redrive count. Absent
//              while the execution runs; written in the same commit as its last history event.
// `history` database, keyed by (execution number u64be, event id u64be), so one execution's events
// are contiguous and in order:
//   -> u8 event type, i64 previousEventId, i64 timestamp ms, [resume record], then the details
//      as JSON text. The type byte's high bit says a resume record (u32 length + bytes: what the
//      engine needs that the AWS event does not show, e.g. a *Scheduled event's task token)
//      follows; events stored before it existed have no such bit and decode as before.
//   'h' ARN (executions database) -> the newest heartbeat of each task attempt: u32 count, then
//      (i64 scheduled event id, i64 at ms) each. Written with the execution's next batch.
// The input plus the history, read back in key order, is everything needed to resume or redrive an
// execution (Execution::resume's persistence contract, engine/executor/history_sink.h).
// Pure functions over bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/executor/execution_status.h"
#include "engine/executor/history_event.h"
#include "engine/executor/history_sink.h"

namespace sluice::states {

struct ExecutionRecord {
  uint64_t id = 0;  // the execution's number: its history key prefix
  std::string name;
  std::string machine;  // state machine name
  std::string version_arn;
  std::string alias_arn;
  uint64_t revision = 0;  // Catalog revision key of the definition it runs
  int64_t start_ms = 0;
  std::string input;  // JSON text
  std::string trace_header;
};

struct StoredOutcome {
  engine::executor::ExecutionStatus status = engine::executor::ExecutionStatus::kRunning;
  int64_t stop_ms = 0;
  std::optional<std::string> output;  // JSON text
  std::optional<std::string> error;
  std::optional<std::string> cause;
  uint32_t redrive_count = 0;
  int64_t redrive_ms = 0;  // 0: never redriven
};

std::string execution_record_key(std::string_view arn);
std::string execution_outcome_key(std::string_view arn);
std::string encode_execution_record(const ExecutionRecord& r);
std::optional<ExecutionRecord> decode_execution_record(std::string_view bytes);
std::string encode_outcome(const StoredOutcome& o);
std::optional<StoredOutcome> decode_outcome(std::string_view bytes);

std::string history_key(uint64_t execution, int64_t event_id);
// The history key's parts; false when the key is not 16 bytes.
bool split_history_key(std::string_view key, uint64_t* execution, int64_t* event_id);
// Details are stored as the JSON text `details_json` ("" for an event without details).
std::string encode_history_event(const engine::executor::HistoryEvent& e);
struct StoredEvent {
  engine::executor::HistoryEventType type{};
  int64_t previous_event_id = 0;
  int64_t timestamp_ms = 0;
  std::string_view details_json;   // points into the decoded bytes
  std::string_view resume_record;  // likewise; empty when none was stored
};
std::optional<StoredEvent> decode_history_event(std::string_view bytes);

std::string heartbeats_key(std::string_view arn);
std::string encode_heartbeats(const std::vector<engine::executor::TaskHeartbeatRecord>& beats);
std::optional<std::vector<engine::executor::TaskHeartbeatRecord>> decode_heartbeats(
    std::string_view bytes);

}  // namespace sluice::states
