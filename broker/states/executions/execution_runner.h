// ExecutionRunner: the Step Functions execution API's semantics: it starts, stops, describes,
// lists and redrives executions, and runs them on the engine.
//
// STANDARD executions are durable. Each live one has a LiveExecution (its HistorySink); the
// ExecutionJournal writes what they report, batched per loop turn, through the GroupCommitter into
// storage::ExecutionStore. Clients only ever see committed state: StartExecution answers once
// ExecutionStarted is durable, StopExecution once ExecutionAborted is, and
// Describe/List/GetExecutionHistory read what LMDB holds. A start may carry a Mutation of another
// store (a pipe removing the messages it hands off) that commits in the same transaction as the
// execution's record, or fails with it: that is the exactly-once hand-off.
//
// EXPRESS executions run in memory only (no history, no record), as AWS keeps none: StartExecution
// answers at once with an express:... ARN, StartSyncExecution when the execution ends; Describe,
// Stop and GetExecutionHistory do not apply to them (InvalidArn), nor ListExecutions
// (StateMachineTypeNotSupported). For the console only (broker/admin), the runner keeps what
// DescribeExecution would show of the last kRecentExpress that ended, in memory.
//
// After a restart recover() (execution_recovery.cpp: the replaying side, kept apart from the
// journal's writing) rebuilds the index of every execution from the store and resumes every
// RUNNING Standard execution (Execution::restore with the stored events, resume records and
// heartbeats, then resume(): the persistence contract of engine/executor/history_sink.h).
// RedriveExecution restores a stopped one and redrives it; its outcome record is deleted in the
// commit that adds ExecutionRedriven.
//
// It is also the ExecutionStarter of the task integrations (nested executions), and starts the
// child executions of Distributed Map runs (MapRunChildren; execution_runner_map_runs.cpp):
// a STANDARD child is a durable execution of the item processor, named
// execution:MACHINE/LABEL:NAME, whose record keeps its map run and parent so that recovery
// finds the item processor in the parent's definition revision.
//
// Thread: the reactor thread only; the committer's completions arrive on it too.
#pragma once

#include <uv.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "broker/states/catalog/catalog.h"
#include "broker/states/execution_starter.h"
#include "broker/states/executions/execution_index.h"
#include "broker/states/executions/execution_journal.h"
#include "broker/states/executions/execution_stats.h"
#include "broker/states/executions/execution_view.h"
#include "broker/states/executions/unserved_task_handler.h"
#include "broker/states/map_runs/map_run.h"
#include "broker/states/map_runs/map_run_children.h"
#include "broker/states/map_runs/map_run_store.h"
#include "broker/states/mocks/mocked_tasks.h"
#include "broker/states/sfn_result.h"
#include "broker/states/states_services.h"
#include "engine/executor/execution.h"
#include "storage/commit_backlog.h"
#include "storage/executions/execution_store.h"
#include "storage/group_committer.h"
#include "storage/result.h"

namespace sluice::states {

struct LiveExecution;

class ExecutionRunner final : public ExecutionStarter, public MapRunChildren, public MapRunStore {
 public:
  ExecutionRunner(StatesServices& services, Catalog& catalog, engine::executor::Clock& clock,
                  engine::executor::TimerService& timers);
  ~ExecutionRunner() override;
  ExecutionRunner(const ExecutionRunner&) = delete;
  ExecutionRunner& operator=(const ExecutionRunner&) = delete;

  // Rebuilds the index from LMDB; executions without an outcome go to resume_running().
  Status recover();
  // Revisions that recorded executions run (the catalog keeps them).
  std::set<uint64_t> revisions_in_use();
  // Stops flushing on the loop (the server drains); pending work is flushed first, and waiting
  // StartSyncExecution requests are answered ServiceUnavailable.
  void shutdown();

  // ---- the API ----
  struct StartRequest {
    std::string state_machine_arn;  // unqualified, version or alias ARN
    std::optional<std::string> name;
    std::optional<std::string> input;  // JSON text; absent: {}
    std::string trace_header;
    // In-process callers that hold the input as a value already (a pipe): `input` is its text,
    // and it is not parsed again.
    std::optional<json::Value> input_value;
  };
  struct Started {
    std::string execution_arn;
    int64_t start_ms = 0;
  };
  // StartExecution, with its validation, errors and STANDARD idempotency (same name and input
  // while RUNNING: the same answer; otherwise ExecutionAlreadyExists).
  // `joined` (STANDARD only) commits in the same transaction as a new execution's record; its
  // done runs exactly once: with that commit's status, or with an error when no new execution was
  // recorded (the request failed, the name already existed, the machine is EXPRESS).
  void start(StartRequest request, std::function<void(SfnResult<Started>)> done,
             std::optional<storage::Mutation> joined = std::nullopt);
  // StartSyncExecution: EXPRESS only; answers when the execution ends.
  void start_sync(StartRequest request, std::function<void(SfnResult<ExecutionView>)> done);
  // StopExecution; answers the stop date once ExecutionAborted is durable.
  void stop(const std::string& execution_arn, std::optional<std::string> error,
            std::optional<std::string> cause, std::function<void(SfnResult<int64_t>)> done);
  // Calls done(true) once everything the execution has recorded so far is durable (at once when
  // it is not live: nothing of it waits to be written), done(false) if it never will be. For a
  // reply whose cause is an event just recorded (SendTaskSuccess: TaskSucceeded).
  void after_recorded(const std::string& execution_arn, std::function<void(bool)> done);
  // DescribeExecution (committed state).
  SfnResult<ExecutionView> describe(std::string_view execution_arn);
  // The summary of a Standard execution ARN (InvalidArn / ExecutionDoesNotExist otherwise).
  SfnResult<ExecutionSummary*> summary(std::string_view execution_arn);
  // GetExecutionHistory: one page of events, as JSON array elements, read from LMDB.
  struct HistoryPage {
    std::string events;  // "{...},{...}" (the caller wraps it in [ ])
    std::optional<std::string> next_token;
  };
  SfnResult<HistoryPage> history(std::string_view execution_arn, std::size_t limit, bool reverse,
                                 const std::optional<std::string>& token, bool include_data);
  ExecutionIndex& index() { return index_; }
  // What API starts (StartExecution, StartSyncExecution) hand over and wait for: a Standard
  // start until its ExecutionStarted commit, a synchronous Express start until it ends. Bounded
  // by --max-uncommitted-mib, else throttled. In-process starts (pipes, states:startExecution
  // tasks, Map Run children) do not count here: each is bounded by its own caller.
  storage::CommitBacklog& start_backlog() { return start_backlog_; }
  // EXPRESS executions as the console shows them (they have no record): the running ones, then
  // the last kRecentExpress that ended, newest first. Nothing else reads the ended ones.
  static constexpr std::size_t kRecentExpress = 100;
  void for_each_express(const std::function<void(const ExecutionView&)>& visit) const;
  std::optional<ExecutionView> express_view(const std::string& execution_arn) const;
  // History events of Standard executions as they are appended (the console's live view).
  ExecutionFeed& feed() { return journal_->feed(); }

  // Deletes the stored executions `which` selects, each with its history, heartbeats and map run
  // records, all in one commit, and forgets them (execution_deletion.cpp): the admin API's
  // resets. One still running (or not yet durably started or redriven) is left alone: stop it
  // first. done(the deleted ARNs) once the deletion is durable.
  void delete_executions(const std::function<bool(const ExecutionSummary&)>& which,
                         std::function<void(SfnResult<std::vector<std::string>>)> done);

  // ---- for the catalog ----
  std::size_t running_of(const std::string& machine) const;
  // Stops the machine's running executions (DeleteStateMachine); the catalog finishes the delete
  // once the last one is recorded ABORTED.
  void doom(const std::string& machine);

  // ---- resume and redrive hooks ----
  struct Persisted {
    storage::ExecutionRecord record;
    std::optional<storage::StoredOutcome> outcome;
    std::vector<engine::executor::HistoryEvent> events;  // in id order, with resume records
    std::vector<engine::executor::TaskHeartbeatRecord> heartbeats;
  };
  // Everything stored about a Standard execution.
  SfnResult<Persisted> load(std::string_view execution_arn);
  // RedriveExecution: the checks AWS makes, then the engine.
  // A repeated client_token (non-empty) answers the redriveDate it was first given.
  void redrive(const std::string& execution_arn, const std::string& client_token,
               std::function<void(SfnResult<int64_t>)> done);

  // ---- ExecutionStarter ----
  void start_child(ChildStart request, std::function<void(SfnOutcome)> started) override;
  std::optional<int64_t> started_with(const std::string& execution_arn,
                                      const std::string& input) override;
  bool watch(const std::string& execution_arn,
             std::function<void(json::Value description)> finished) override;
  void stop_child(const std::string& execution_arn, std::string error, std::string cause) override;

  // ---- MapRunChildren ----
  SfnResult<MapRunChildStarted> run_child(const MapRunChildStart& child,
                                          std::function<void(json::Value)> finished) override;
  // StopExecution on a STANDARD child; an EXPRESS child (StopExecution does not apply to it) is
  // stopped in memory.
  void stop_map_run_child(const std::string& execution_arn, std::string error,
                          std::string cause) override;
  // ---- MapRunStore: a map run record beside the parent's ----
  void save_map_run(const MapRun& run, std::function<void(bool ok)> done) override;
  std::optional<MapRunLimits> stored_map_run_limits(const std::string& parent_arn,
                                                    const std::string& map_run_arn) override;
  // After recover(): the map runs of executions that are no longer running, rebuilt from the
  // parents' histories and the children's records (the registry keeps those it knows already).
  std::vector<MapRun::Ended> ended_map_runs();
  // After recover(): the ended map runs of EXPRESS children, from their stored summaries.
  std::vector<std::shared_ptr<MapRun>> summarized_map_runs();
  // Where Distributed Map states run their map runs (the MapRunRegistry); set once, at wiring.
  void set_map_runs(engine::executor::MapRunService* map_runs) { map_runs_ = map_runs; }

  // Writes what is pending now instead of at the end of the loop turn (tests, shutdown).
  void flush_now() { journal_->flush(); }

  const engine::executor::Clock& clock() const { return clock_; }
  // Executions started and ended since the process started, and running now (/metrics).
  ExecutionStats stats() const;

 private:
  struct ExpressRun;

  // `tasks`: the handler of a mocked test case (mocked_tasks); null: the task router.
  engine::executor::ExecutionServices execution_services(
      engine::executor::HistorySink* sink, engine::executor::TaskHandler* tasks = nullptr);
  engine::executor::ExecutionOptions execution_options() const;
  // The TaskHandler of test case `test_case` of state machine `machine` (--mock-config); null
  // when the configuration has no such test case.
  engine::executor::TaskHandler* mocked_tasks(const std::string& machine,
                                              const std::string& test_case);
  // Checks and resolves a start request; fills the execution's identity.
  struct Prepared {
    Catalog::Target target;
    std::string name;
    std::string input_text;
    json::Value input;
    // A mocked test case (the ARN ended in #CASE): its name and handler.
    std::string test_case;
    engine::executor::TaskHandler* tasks = nullptr;
  };
  SfnResult<Prepared> prepare(StartRequest& request);
  // Resolves `#CASE` at the end of a StartExecution ARN into p.test_case and p.tasks.
  std::optional<SfnError> select_test_case(const std::string& arn, const std::string& test_case,
                                           Prepared& p);
  void start_standard(Prepared p, std::string trace_header,
                      std::function<void(SfnResult<Started>)> done,
                      std::optional<storage::Mutation> joined);
  void start_express(Prepared p, std::function<void(SfnResult<ExecutionView>)> on_end,
                     std::function<void(SfnResult<Started>)> on_start);
  // An EXPRESS execution of `machine` (compiled) under the state machine ARN in `info`.
  struct ExpressStart {
    std::shared_ptr<const engine::asl::StateMachine> machine;
    engine::executor::ExecutionInfo info;
    json::Value input;
    std::string input_text;
    std::string machine_name;  // state machine name (PARENT/LABEL for a map run's child)
    uint64_t revision = 0;
    std::string map_run_arn;
    engine::executor::TaskHandler* tasks = nullptr;  // a mocked test case's; null: the router
    std::string test_case;                           // its name (a map run's children run it)
  };
  // The state machine name, revision and mocked test case of a running EXPRESS execution; false
  // when none runs.
  bool express_identity(const std::string& arn, std::string* machine, uint64_t* revision,
                        std::string* test_case) const;
  // The handler of test case `test_case` for an execution of state machine `machine`: a map run's
  // child (machine PARENT/LABEL, possibly nested) answers from its root machine's test case.
  engine::executor::TaskHandler* inherited_mocks(const std::string& machine,
                                                 const std::string& test_case);
  void launch_express(ExpressStart start, std::function<void(SfnResult<ExecutionView>)> on_end,
                      std::function<void(SfnResult<Started>)> on_start);
  engine::executor::ExecutionInfo info_for(const Prepared& p, const std::string& arn) const;

  // The journal's hooks.
  void before_flush();
  void outcome_committed(LiveExecution& live);
  void abandon(LiveExecution& live);
  void fire_watchers(const std::string& arn);
  // Aborts a RUNNING execution that has no live Execution (recovered, not resumed): writes
  // ExecutionAborted and the outcome straight to LMDB.
  void abort_stored(ExecutionSummary& s, std::optional<std::string> error,
                    std::optional<std::string> cause, std::function<void(SfnResult<int64_t>)> done);
  void resume_running(ExecutionSummary& s);
  // A map run's redrive reaching a STANDARD child that did not succeed before it
  // (execution_runner_map_runs.cpp): redriven once it has stopped, then followed.
  void redrive_map_run_child(const std::string& arn, int64_t redrive_after_ms,
                             std::function<void(json::Value)> finished);
  // A LiveExecution holding Execution::restore() of the stored history (not yet resumed or
  // redriven, not yet in live_); null when the definition or the history cannot be read.
  std::shared_ptr<LiveExecution> restored(ExecutionSummary& s);
  std::optional<ExecutionView> stored_view(ExecutionSummary& s);

  StatesServices& services_;
  engine::executor::MapRunService* map_runs_ = nullptr;
  storage::ExecutionStore store_;
  Catalog& catalog_;
  engine::executor::Clock& clock_;
  engine::executor::TimerService& timers_;
  UnservedTaskHandler unserved_;
  // The handlers of the mocked test cases executions have used, by (machine, test case).
  std::map<std::pair<std::string, std::string>, std::unique_ptr<mocks::MockedTasks>> mocked_;
  // One generator for every EXPRESS execution (Retry JitterStrategy FULL): seeding one per
  // execution cost more than running a short one. STANDARD executions use the engine's default,
  // seeded from their ARN, so a resumed one draws what it drew before the restart.
  struct Random final : engine::executor::RandomSource {
    std::mt19937_64 rng{std::random_device{}()};
    double next_unit() override { return std::uniform_real_distribution<double>(0.0, 1.0)(rng); }
  } random_;
  ExecutionIndex index_;
  storage::CommitBacklog start_backlog_;
  uint64_t next_id_ = 1;
  std::unordered_map<std::string, std::shared_ptr<LiveExecution>> live_;
  std::unordered_map<std::string, std::shared_ptr<ExpressRun>> express_;
  std::deque<ExecutionView> recent_express_;  // newest first, at most kRecentExpress
  std::unordered_map<std::string, std::size_t> running_;
  std::unordered_map<std::string, std::vector<std::function<void(json::Value)>>> watchers_;
  std::vector<std::shared_ptr<void>> retired_;  // freed at the next flush, never mid-call
  std::vector<std::string> to_stop_;            // executions of a machine being deleted
  std::set<std::string> redriving_;             // RedriveExecution waiting for its commit
  ExecutionStats stats_;
  std::unique_ptr<ExecutionJournal> journal_;  // declared last: its flushes call back into us
};

}  // namespace sluice::states
