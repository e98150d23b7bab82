// LiveExecution: a running Standard execution in memory, and the sink (engine HistorySink) that
// collects what it reports until the ExecutionJournal has made it durable. It counts the items
// (record, events, heartbeats, outcome) it was handed and how many are committed, so a caller can
// wait for "everything recorded so far" (a reply that must not go out before its cause is durable).
//
// Thread: the reactor thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "broker/states/executions/execution_index.h"
#include "engine/executor/execution.h"
#include "engine/executor/history_sink.h"
#include "storage/executions/execution_record.h"
#include "storage/group_committer.h"

namespace sluice::states {

class ExecutionJournal;

struct LiveExecution final : engine::executor::HistorySink,
                             std::enable_shared_from_this<LiveExecution> {
  LiveExecution(ExecutionJournal& j, ExecutionSummary& s) : journal(j), summary(&s), arn(s.arn) {}

  void on_event(std::string_view, const engine::executor::HistoryEvent& e) override;
  void on_outcome(std::string_view, const engine::executor::ExecutionOutcome& o) override;
  void on_task_heartbeat(std::string_view, const engine::executor::TaskHeartbeatRecord& b) override;

  ExecutionJournal& journal;
  ExecutionSummary* summary;  // null once abandoned
  std::string arn;
  std::optional<storage::ExecutionRecord> unwritten;  // the record, until its first batch commits
  // The execution's input as stored: events and the outcome that carry this same text store a
  // reference to it instead (engine/executor/history_event_codec.h).
  std::shared_ptr<const std::string> input;
  // Committed in the same transaction as the record, or failed with it: what made this execution
  // start (a pipe's removal of the messages it hands off). Its done runs with the commit's status.
  std::optional<storage::Mutation> joined;
  std::vector<std::pair<int64_t, std::string>> pending;  // (event id, encoded event)
  std::optional<storage::StoredOutcome> outcome;
  // The newest heartbeat per task attempt (all of them are rewritten when one changes).
  std::vector<engine::executor::TaskHeartbeatRecord> beats;
  bool beats_dirty = false;
  bool reopen = false;     // redriven: its stored outcome goes with the next batch
  bool dirty = false;      // has something the journal has not taken yet
  bool in_flight = false;  // one batch at a time, so an execution's writes commit in order
  bool abandoned = false;  // its start could not be made durable
  uint64_t recorded = 0;   // items (record, events, heartbeats, outcome) handed to us so far
  uint64_t durable = 0;    // of which committed (a batch makes all recorded before it durable)
  std::vector<std::pair<uint64_t, std::function<void(bool)>>> waiters;
  std::shared_ptr<engine::executor::Execution> exec;  // declared last: destroyed first
};

}  // namespace sluice::states
