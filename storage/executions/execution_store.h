// ExecutionStore: the durable side of Standard executions, beside the queue store and written
// through the same GroupCommitter, so that one commit can hold a queue change and an execution's
// start (the exactly-once hand-off of a pipe: storage/README.md).
//
// Writing and reading are kept apart. ExecutionWrites collects one commit's worth of execution
// changes on the owner thread and applies them inside a Mutation on the committer thread; the
// reads (recovery scan, load for resume/redrive, history pages, describe) use their own LMDB read
// transactions and never block the writer. Records are encoded here (execution_record.h); history
// events and heartbeats are opaque bytes that the engine encodes
// (engine/executor/history_event_codec.h).
//
// Promises: an ExecutionWrites applies its deletions of whole executions first, then its removals,
// then its puts (a redriven execution's old outcome goes, its new events come), events in the
// order they were added; applying it again in a
// fresh transaction (the committer's retry) writes the same thing. Thread: ExecutionWrites is built
// by one thread and then only read; the store's reads are safe on any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/executions/execution_record.h"
#include "storage/executions/map_run_record.h"
#include "storage/lmdb/environment.h"
#include "storage/result.h"

namespace sluice::storage {

class ExecutionWrites {
 public:
  void put_record(const ExecutionKey& key, const ExecutionRecord& record);
  void put_outcome(const ExecutionKey& key, const StoredOutcome& outcome);
  void remove_outcome(const ExecutionKey& key);
  void put_heartbeats(const ExecutionKey& key, std::string bytes);
  void append_event(uint64_t execution, int64_t event_id, std::string bytes);
  // A map run of execution `parent` (map_run_record.h).
  void put_map_run(uint64_t parent, std::string_view map_run_arn, const MapRunRecord& record);
  // Everything stored about an execution: its record, outcome, heartbeats, every history event
  // and the map run records it is the parent of. Nothing of it is left after the commit, and
  // nothing of it goes unless the commit does (one transaction). A map run's child executions
  // are executions of their own: delete each of them too.
  void delete_execution(const ExecutionKey& key);

  bool empty() const {
    return deleted_.empty() && removed_.empty() && puts_.empty() && events_.empty();
  }
  size_t event_count() const { return events_.size(); }
  // Runs inside a write transaction; returns an LMDB rc.
  int apply(WriteTxn& txn) const;

 private:
  std::vector<ExecutionKey> deleted_;
  std::vector<std::string> removed_;
  std::vector<std::pair<std::string, std::string>> puts_;    // executions database
  std::vector<std::pair<std::string, std::string>> events_;  // history database
};

// Everything stored about one execution.
struct StoredExecution {
  ExecutionRecord record;
  std::optional<StoredOutcome> outcome;
  std::string heartbeats;                               // opaque; empty when none
  std::vector<std::pair<int64_t, std::string>> events;  // (event id, bytes), in id order
};

class ExecutionStore {
 public:
  explicit ExecutionStore(Environment& env) : env_(env) {}

  // Every stored execution, with where it is kept and its outcome when it has one (recovery).
  // Executions keyed by number come in number order, then those keyed by ARN in ARN order.
  using ScanVisitor = std::function<void(const ExecutionKey& key, ExecutionRecord&&,
                                         std::optional<StoredOutcome>&&)>;
  Status scan(const ScanVisitor& visit);

  // The record and outcome (DescribeExecution). kResourceNotFound when there is no record.
  Result<std::pair<ExecutionRecord, std::optional<StoredOutcome>>> read(const ExecutionKey& key);
  // Record, outcome, heartbeats and every event (resume, redrive).
  Result<StoredExecution> load(const ExecutionKey& key);
  // Every map run record (recovery), with its parent's number and its ARN.
  using MapRunVisitor =
      std::function<void(uint64_t parent, std::string map_run_arn, MapRunRecord&& record)>;
  Status scan_map_runs(const MapRunVisitor& visit);
  // The record of a map run of execution `parent`; nullopt when none was written.
  Result<std::optional<MapRunRecord>> read_map_run(uint64_t parent, std::string_view map_run_arn);

  // Visits execution `id`'s events from event `from` (inclusive; 0 = the first, or with
  // `reverse` the last) in id order or reversed, until `visit` returns false.
  using EventVisitor = std::function<bool(int64_t event_id, std::string_view bytes)>;
  Status visit_history(uint64_t id, int64_t from, bool reverse, const EventVisitor& visit);
  // The id of execution `id`'s last stored event (0 when it has none).
  Result<int64_t> last_event_id(uint64_t id);

 private:
  Environment& env_;
};

}  // namespace sluice::storage
