// How Standard executions sit in LMDB: the key layout and the record encodings. Pure functions
// over bytes; ExecutionStore (execution_store.h) reads and writes them.
//
// `executions` database, keyed by the execution's number (ExecutionKey; executions stored before
// that are keyed by their ARN, with lower-case prefixes 'x', 'o', 'h', and read as they are):
//   'X' id -> ExecutionRecord: what never changes once the execution started (its ARN, number,
//             names, the machine revision it runs, start time, input; for a Distributed Map's
//             child, its map run and parent; for a mocked test case, its name). Written with
//             ExecutionStarted.
//   'O' id -> StoredOutcome: status, stop time, output or error/cause, redrive count. Absent
//             while the execution runs; written in the same commit as its last history event.
//   'H' id -> the newest heartbeat of each task attempt, encoded by the engine
//             (engine/executor/history_event_codec.h); opaque here. Written with the
//             execution's next batch.
// Numbers grow with start order, so the records of new executions are appended at the end of the
// tree: a commit that starts many executions writes a few pages, not a random page each (ARN keys
// ended in the execution's name, a random place).
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

// Where an execution's records are.
struct ExecutionKey {
  uint64_t id = 0;
  std::string arn;
  bool by_arn = false;  // stored before records were keyed by number
};

struct ExecutionRecord {
  std::string arn;  // empty in records stored before it was kept (their key is the ARN)
  uint64_t id = 0;  // the execution's number: its history key prefix
  std::string name;
  std::string machine;  // state machine name
  std::string version_arn;
  std::string alias_arn;
  uint64_t revision = 0;  // Catalog revision key of the definition it runs
  int64_t start_ms = 0;
  std::string input;  // JSON text
  std::string trace_header;
  // A Distributed Map's child execution: its map run and the parent execution (empty for every
  // other execution). Its `machine` is the parent's machine name + "/" + the map run's label, and
  // `revision` the parent's: recovery finds the item processor it runs in that definition.
  std::string map_run_arn;
  std::string parent_arn;
  // The mocked test case the execution runs (started on STATE_MACHINE_ARN#CASE with
  // --mock-config); empty for every other execution. Kept so that a resumed execution answers
  // from the same mocks.
  std::string test_case;
};

struct StoredOutcome {
  ExecutionStatus status = ExecutionStatus::kRunning;
  int64_t stop_ms = 0;
  std::optional<std::string> output;  // JSON text
  // The output is the execution's input, text for text: stored as a flag, not a second copy
  // (ExecutionStore's reads put the text back into `output`).
  bool output_is_input = false;
  std::optional<std::string> error;
  std::optional<std::string> cause;
  uint32_t redrive_count = 0;
  int64_t redrive_ms = 0;  // 0: never redriven
};

std::string execution_record_key(const ExecutionKey& key);
std::string execution_outcome_key(const ExecutionKey& key);
std::string heartbeats_key(const ExecutionKey& key);
std::string encode_execution_record(const ExecutionRecord& r);
std::optional<ExecutionRecord> decode_execution_record(std::string_view bytes);
std::string encode_outcome(const StoredOutcome& o);
std::optional<StoredOutcome> decode_outcome(std::string_view bytes);

std::string history_key(uint64_t execution, int64_t event_id);
// The history key's parts; false when the key is not 16 bytes.
bool split_history_key(std::string_view key, uint64_t* execution, int64_t* event_id);

}  // namespace sluice::storage
