// ExecutionJournal: makes what live Standard executions report durable, in order, in as few
// commits as possible. Every execution that moved during one turn of the reactor loop is written
// in ONE Mutation at the end of that turn (a uv_idle callback): its record and input in its first
// batch, its new history events, its heartbeats, and its outcome in its last. An execution has at
// most one batch in flight, so its writes commit in the order it made them (rule 5 of
// engine/executor/history_sink.h: events are stored as a prefix).
//
// A failed batch is put back in front of what came since and tried again a second later, except
// an execution's first batch: an execution whose start cannot be recorded is lost (start_lost),
// and so is anything joined to its start (a pipe's hand-off fails with it, so its messages stay).
//
// The journal only writes; reading and replaying the stored history is ExecutionRunner::recover
// (execution_recovery.cpp) with storage::ExecutionStore.
//
// Thread: the reactor thread only; the committer's completions arrive on it too.
#pragma once

#include <uv.h>

#include <functional>
#include <memory>
#include <vector>

#include "broker/states/executions/execution_feed.h"
#include "broker/states/executions/live_execution.h"
#include "engine/executor/clock.h"
#include "storage/group_committer.h"

namespace sluice::states {

class ExecutionJournal {
 public:
  struct Hooks {
    std::function<void()> before_flush;                   // while serving, before each flush
    std::function<void(LiveExecution&)> start_lost;       // its first batch failed to commit
    std::function<void(LiveExecution&)> outcome_durable;  // its outcome (last batch) committed
  };
  // loop == nullptr: no loop to defer to; every change is flushed at once (tests).
  ExecutionJournal(uv_loop_t* loop, storage::GroupCommitter& committer,
                   engine::executor::TimerService& timers, const engine::executor::Clock& clock,
                   Hooks hooks);
  ~ExecutionJournal();
  ExecutionJournal(const ExecutionJournal&) = delete;
  ExecutionJournal& operator=(const ExecutionJournal&) = delete;

  // `live` has something new to write: flush at the end of this loop turn.
  void mark_dirty(LiveExecution& live);
  // Calls fn(true) once everything `live` has recorded so far is durable (at once if it is), or
  // fn(false) if it never will be (the start was lost).
  void after_commit(LiveExecution& live, std::function<void(bool committed)> fn);
  // Flush at the end of this loop turn (also when nothing is dirty: before_flush runs then).
  void arm();
  // Writes what is pending now.
  void flush();
  // The server drains: flush now, and from then on flush every change at once.
  void close();
  bool closed() const { return closed_; }
  // Where every event handed to the journal is also published (to the console's streams).
  ExecutionFeed& feed() { return feed_; }

 private:
  void committed(bool ok);

  storage::GroupCommitter& committer_;
  engine::executor::TimerService& timers_;
  const engine::executor::Clock& clock_;
  Hooks hooks_;
  ExecutionFeed feed_;
  std::vector<std::shared_ptr<LiveExecution>> dirty_;
  uv_idle_t* idle_ = nullptr;  // heap: freed by its close callback
  bool closed_ = false;
};

}  // namespace sluice::states
