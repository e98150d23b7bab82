// How Standard executions sit in LMDB: the key layout and the record encodings. Pure functions
// over bytes; ExecutionStore (execution_store.h) reads and writes them.
//
// `executions` database, keyed by the execution ARN:
//   'x' ARN -> ExecutionRecord: what never changes once the execution started (its number, names,
//              the machine revision it runs, start time, input). Written with ExecutionStarted.
//   'o' ARN -> StoredOutcome: status, stop time, output or error/cause, redrive count. Absent
//              while the execution runs; written in the same commit as its last history event.
//   'h' ARN -> the newest heartbeat of each task attempt, encoded by the engine
//              (engine/executor/history_event_codec.h); opaque here. Written with the
//              execution's next batch.
// `history` database, keyed by (execution number u64be, event id i64be), so one execution's events
// are contiguous and in order. The value is the event as the engine encodes it
// (engine/executor/history_event_codec.h); opaque here.
// The input plus the history, read back in key order, is everything needed to resume or redrive an
// execution (Execution::resume's persistence contract, engine/executor/history_sink.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "storage/executions/execution_status.h"

namespace sluice::storage {

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
  ExecutionStatus status = ExecutionStatus::kRunning;
  int64_t stop_ms = 0;
  std::optional<std::string> output;  // JSON text
  std::optional<std::string> error;
  std::optional<std::string> cause;
  uint32_t redrive_count = 0;
  int64_t redrive_ms = 0;  // 0: never redriven
};

std::string execution_record_key(std::string_view arn);
std::string execution_outcome_key(std::string_view arn);
std::string heartbeats_key(std::string_view arn);
std::string encode_execution_record(const ExecutionRecord& r);
std::optional<ExecutionRecord> decode_execution_record(std::string_view bytes);
std::string encode_outcome(const StoredOutcome& o);
std::optional<StoredOutcome> decode_outcome(std::string_view bytes);

std::string history_key(uint64_t execution, int64_t event_id);
// The history key's parts; false when the key is not 16 bytes.
bool split_history_key(std::string_view key, uint64_t* execution, int64_t* event_id);

}  // namespace sluice::storage
