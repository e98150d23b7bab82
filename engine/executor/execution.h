// Execution: one run of a compiled StateMachine on an input. Event-driven and single-threaded:
// start() runs every state that can run at once and returns when the execution finishes or
// waits (a Wait state, a retry back-off, a Task answered later); it continues when a timer of
// the injected TimerService fires, when a TaskHandle is answered, or when stop() is called.
// Nothing blocks or sleeps. Parallel branches and Map iterations run interleaved on the same
// thread.
//
// Every history event goes, as it happens, to the HistorySink (if any) and is kept in history()
// (unless ExecutionOptions::keep_history is off); the outcome goes to the sink once, when the
// execution stops.
//
// A Standard execution can be rebuilt from what its sink stored (restore() then resume(), after a
// restart) and restarted after it failed (restore() then redrive(), RedriveExecution): see the
// persistence contract in history_sink.h.
//
// Owned through shared_ptr (timers and TaskHandles refer to it weakly). All calls, and the
// injected services' callbacks, on one thread: the reactor thread in the server.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/asl/definition.h"
#include "engine/executor/clock.h"
#include "engine/executor/execution_status.h"
#include "engine/executor/history_event.h"
#include "engine/executor/history_sink.h"
#include "engine/executor/map_run_service.h"
#include "engine/executor/task_handler.h"
#include "engine/json/json_value.h"
#include "storage/result.h"

namespace sluice::engine::executor {

namespace detail {
struct Fanout;
struct Replay;
struct Run;
struct StateExit;
struct TestCapture;
}  // namespace detail

// Identity of the execution, as the context object ($$.Execution, $$.StateMachine) and the
// ExecutionStarted event show it.
struct ExecutionInfo {
  std::string execution_arn;  // $$.Execution.Id
  std::string name;
  std::string state_machine_arn;  // $$.StateMachine.Id
  std::string state_machine_name;
  std::string role_arn;
  std::string region = "us-east-1";       // TaskScheduled's region
  std::string state_machine_version_arn;  // ExecutionStarted, when started through one
  std::string state_machine_alias_arn;
};

// The injected services. clock, timers and tasks are required and must outlive the Execution;
// sink and random are optional.
struct ExecutionServices {
  Clock* clock = nullptr;
  TimerService* timers = nullptr;
  TaskHandler* tasks = nullptr;
  HistorySink* sink = nullptr;
  // Runs Distributed Maps (map_run_service.h); null: a Distributed Map fails (States.Runtime).
  MapRunService* map_runs = nullptr;
  RandomSource* random = nullptr;  // null: a std::mt19937_64 seeded from the execution ARN
  // Makes $$.Task.Token for .waitForTaskToken tasks; null: 64 random hex digits.
  std::function<std::string()> make_task_token;
};

struct ExecutionOptions {
  bool keep_history = true;
  // States.DataLimitExceeded above this many bytes of state output or task result (AWS: 256 KiB).
  std::size_t max_payload_bytes = 256 * 1024;
  // The execution input's JSON text, when the caller has it: history details that show the input
  // unchanged (ExecutionStarted, a Pass state's input and output, ...) reuse it instead of
  // serializing the same value again.
  std::shared_ptr<const std::string> input_text;
  // Time control for tests (--wait-time-scale): Wait states and Retry intervals last this
  // fraction of their time (0: no waiting). History timestamps stay the real times.
  double wait_time_scale = 1.0;
  // A Standard execution's history holds at most this many events (AWS: 25,000; 0: no limit).
  // The event that would pass it is not recorded: the execution fails instead, its
  // ExecutionFailed (States.Runtime) the last event, numbered max_history_events.
  int64_t max_history_events = 0;
  // AWS's hard limit of redrives of one Map Run (redrive-map-run.html: 1,000). A redrive of the
  // parent past it does not redrive the map run: the Map state fails with States.Runtime, and
  // does again at each later redrive (0: no limit).
  int64_t max_map_run_redrives = 1000;
};

class Execution : public std::enable_shared_from_this<Execution> {
 public:
  static std::shared_ptr<Execution> create(std::shared_ptr<const asl::StateMachine> machine,
                                           ExecutionInfo info, json::Value input,
                                           ExecutionServices services,
                                           ExecutionOptions options = {});
  // An execution rebuilt from its stored history (history_sink.h): call resume() or redrive()
  // next (after set_on_finished), instead of start(). machine, info and input must be the ones
  // the execution started with.
  static std::shared_ptr<Execution> restore(std::shared_ptr<const asl::StateMachine> machine,
                                            ExecutionInfo info, json::Value input,
                                            ExecutionServices services, ExecutionOptions options,
                                            PersistedHistory history);
  ~Execution();
  Execution(const Execution&) = delete;
  Execution& operator=(const Execution&) = delete;

  // Records ExecutionStarted and runs. Call once.
  void start();
  // A restored execution continues as if it had never stopped (history_sink.h, rule 6). Call
  // once. An error when the history is not one this definition produces (the execution is then
  // FAILED with States.Runtime, recorded through the sink) or is not a history at all (empty,
  // ids not 1..n; nothing is recorded).
  Status resume();
  // RedriveExecution on a restored FAILED, TIMED_OUT or ABORTED execution: records
  // ExecutionRedriven and re-runs what did not succeed, from where it stopped: the state each
  // unfinished branch or iteration was in re-runs with its original input and fresh retry
  // counters (its events follow its original state-entered event, as AWS links them);
  // successful branches and iterations keep their results; Map iterations never started start;
  // the machine's TimeoutSeconds counts again from the redrive. Check redrive_refusal()
  // (redrive.h) first. An error (and nothing changes) when the history does not end stopped.
  Status redrive();
  // StopExecution: aborts a RUNNING execution (ExecutionAborted with the optional error and
  // cause), abandoning its tasks and timers. Returns false when it was not running.
  bool stop(std::optional<std::string> error = std::nullopt,
            std::optional<std::string> cause = std::nullopt);

  const ExecutionInfo& info() const { return info_; }
  const json::Value& input() const { return input_; }
  // The JSON text of `v` (the input's own text when `v` is the input, unchanged).
  std::string text_of(const json::Value& v) const;
  int64_t start_ms() const { return start_ms_; }
  ExecutionStatus status() const { return outcome_.status; }
  // Valid once the status is not RUNNING.
  const ExecutionOutcome& outcome() const { return outcome_; }
  const std::vector<HistoryEvent>& history() const { return history_; }
  std::size_t event_count() const { return static_cast<std::size_t>(last_event_id_); }
  // How many times the execution was redriven, and when last (0 when never).
  int64_t redrive_count() const { return redrive_count_; }
  int64_t redrive_ms() const { return redrive_ms_; }

  // Called once, after the outcome has gone to the sink.
  void set_on_finished(std::function<void(Execution&)> callback) {
    on_finished_ = std::move(callback);
  }

 private:
  friend class TaskHandle;
  friend class MapRunHandle;
  friend struct detail::TestCapture;
  struct Failure {
    std::string error;
    std::string cause;
    // A lapsed heartbeat: recorded as States.Timeout, matched by States.HeartbeatTimeout too.
    bool heartbeat = false;
  };

  Execution(std::shared_ptr<const asl::StateMachine> machine, ExecutionInfo info, json::Value input,
            ExecutionServices services, ExecutionOptions options);

  // Work queue: every transition is a queued step, so long chains of synchronous states never
  // deepen the stack, and callbacks arriving mid-step wait their turn. A step dispatched while a
  // step runs (a TaskHandle answered from inside TaskHandler::start) runs right after it.
  void dispatch(std::function<void()> step);
  void drain();
  void run_step();  // pops and runs the front step
  int64_t now() const { return now_; }
  // Whether anyone reads event details (a sink, history(), a replay): an Express execution with
  // neither skips building them (input/output JSON texts).
  bool recording() const {
    return services_.sink != nullptr || options_.keep_history || replay_ != nullptr;
  }

  int64_t emit(detail::Run* run, HistoryEventType type, json::Value details,
               std::optional<int64_t> previous = std::nullopt);
  const json::Value& context(detail::Run& run, const std::string* token = nullptr,
                             const json::Value* map_item = nullptr);
  // The Failure an engine error makes of the state the Run is in (AWS's cause names the state
  // and its entered event). A JSONata expression's failure is first recorded as an
  // EvaluationFailed event, as AWS records it.
  Failure runtime_failure(detail::Run& run, const Error& e);
  TimerId schedule(std::shared_ptr<detail::Run> run, int64_t at_ms,
                   void (Execution::*fn)(detail::Run&));
  TimerId schedule_timer(int64_t at_ms, std::function<void()> callback,
                         const std::shared_ptr<detail::Run>& run, bool heartbeat);
  void cancel_timer(TimerId& id);
  RandomSource& random();

  void begin();  // ExecutionStarted, the machine timer, the first state
  void arm_machine_timer(int64_t from_ms);
  void queue_enter(const std::shared_ptr<detail::Run>& run, asl::StateIndex index,
                   json::Value input);
  void take_pending(const std::shared_ptr<detail::Run>& run);
  void enter_state(const std::shared_ptr<detail::Run>& run, asl::StateIndex index,
                   json::Value input);
  void execute(detail::Run& run);
  void run_pass(detail::Run& run);
  void run_choice(detail::Run& run);
  void run_jsonata_choice(detail::Run& run);
  void run_wait(detail::Run& run);
  void wait_until(detail::Run& run, int64_t due);
  // `delay_ms` after ExecutionOptions::wait_time_scale.
  int64_t scaled_delay(int64_t delay_ms) const;
  void wait_elapsed(detail::Run& run);
  void run_succeed(detail::Run& run);
  void run_fail(detail::Run& run);
  void run_task(detail::Run& run);
  void run_parallel(detail::Run& run);
  void run_map(detail::Run& run);
  void run_jsonata_map(detail::Run& run);
  void start_map(detail::Run& run, std::unique_ptr<detail::Fanout> fan, json::Array items);
  void retry_attempt(detail::Run& run);

  // Leaves the state: checks and assigns its variables, records the *StateExited event and
  // moves on to `next_override`, or the state's Next. `caught`: the exit a Catcher made, whose
  // own failure (too big, variables refused) fails the Run rather than being caught again.
  void exit_state(detail::Run& run, detail::StateExit&& exit,
                  std::optional<asl::StateIndex> next_override = std::nullopt, bool caught = false);
  void exit_state(detail::Run& run, json::Value output,
                  std::optional<asl::StateIndex> next_override = std::nullopt);
  void store_variables(detail::Run& run, json::Object assigned,
                       const std::vector<std::pair<std::string, std::string>>& texts);
  // Replaying a *StateExited event: takes its recorded output and variables for the computed
  // ones (execution_replay.cpp; see detail::Replay::exited_output).
  void adopt_recorded_exit(json::Value& output, json::Object& assigned,
                           std::vector<std::pair<std::string, std::string>>& texts);
  // exit_state, or state_failed with the error.
  void leave(detail::Run& run, Result<detail::StateExit> exit,
             std::optional<asl::StateIndex> next_override = std::nullopt);

  // Data flow (execution_dataflow.cpp): what a state's fields compute, in its query language.
  // JSONata: one field evaluated with $states = {input, context, result?, errorOutput?}, the
  // context carrying $states.context.Task.Token / Map.Item when given.
  Result<json::Value> evaluate_field(detail::Run& run, const asl::JsonataTemplate& field,
                                     json::Value* result = nullptr,
                                     json::Value* error_output = nullptr,
                                     const std::string* token = nullptr,
                                     const json::Value* map_item = nullptr);
  // JSONata: Output (absent: `result` when there is one, else the state input) and Assign,
  // evaluated together.
  Result<detail::StateExit> jsonata_exit(detail::Run& run,
                                         const std::optional<asl::JsonataTemplate>& output,
                                         const std::optional<asl::Assignment>& assign,
                                         json::Value* result, json::Value* error_output = nullptr,
                                         const std::string* token = nullptr);
  // JSONPath: the output of Task, Parallel and Map (ResultSelector, ResultPath, OutputPath) with
  // the state's Assign, "$" being the raw result.
  Result<detail::StateExit> jsonpath_result_exit(detail::Run& run, json::Value result,
                                                 const std::string* token = nullptr);
  // The output of a state from its raw result, in the state's language.
  Result<detail::StateExit> result_exit(detail::Run& run, json::Value result,
                                        const std::string* token = nullptr);
  // A Catcher's output and Assign from the error ($states.errorOutput / "$").
  Result<detail::StateExit> catch_exit(detail::Run& run, const asl::Catcher& catcher,
                                       const Failure& failure);
  // A JSONata field that must give an integer of at least `min` (Wait Seconds, TimeoutSeconds,
  // MaxConcurrency, ...).
  Result<int64_t> evaluate_integer(detail::Run& run, const asl::JsonataTemplate& field,
                                   int64_t min);
  jsonata::Limits expression_limits();
  // Checks an Assign against the scope and size rules; `texts` gets each variable's JSON text,
  // by name.
  Status assign_variables(detail::Run& run, const json::Object& assigned,
                          std::vector<std::pair<std::string, std::string>>* texts);
  void state_failed(detail::Run& run, Failure failure);  // Retry/Catch apply
  void run_succeeded(detail::Run& run, json::Value output);
  void run_failed(detail::Run& run, Failure failure);
  void abandon(detail::Run& run);  // cancels an unfinished Run and marks it finished
  void cancel_run(detail::Run& run);
  void cancel_task(detail::Run& run);

  // Tasks.
  void task_timed_out(detail::Run& run);
  void task_heartbeat_missed(detail::Run& run);
  void task_timeout_error(detail::Run& run, bool heartbeat);
  void deliver_task(detail::Run& run, const TaskProgress* progress);
  void emit_task_started(detail::Run& run, const std::string& worker);
  void on_task_started(TaskHandle& handle, std::string worker);
  void on_task_submitted(TaskHandle& handle, json::Value output);
  void on_task_succeeded(TaskHandle& handle, json::Value output);
  void on_task_failed(TaskHandle& handle, std::string error, std::string cause);
  void on_task_heartbeat(TaskHandle& handle);
  std::shared_ptr<detail::Run> task_run(TaskHandle& handle);

  // Parallel and Map.
  void launch_iteration(detail::Run& parent, std::size_t index, int64_t previous);
  void child_succeeded(detail::Run& parent, detail::Run& child, json::Value output);
  void child_failed(detail::Run& parent, detail::Run& child, Failure failure);
  void fanout_succeeded(detail::Run& parent);
  void fanout_failed(detail::Run& parent, Failure failure, int64_t previous);
  // What ItemSelector (a JSONPath Map's Parameters) makes of item `index` of `value`; the item
  // itself when the Map has neither.
  Result<json::Value> select_item(detail::Run& run, const detail::Fanout& fan, std::size_t index,
                                  const json::Value& value);

  // Distributed Map (execution_map_run.cpp): the map run a MapRunService runs.
  void start_map_run(detail::Run& run, std::unique_ptr<detail::Fanout> fan, json::Array items);
  void item_reader_failed(detail::Run& run);
  // The child inputs: each item through ItemSelector, then into ItemBatcher's batches.
  Result<json::Array> map_run_inputs(detail::Run& run, const detail::Fanout& fan,
                                     json::Array items);
  Result<json::Array> batch_items(detail::Run& run, const detail::Fanout& fan, json::Array inputs);
  void deliver_map_run(detail::Run& run);
  void on_map_run_succeeded(MapRunHandle& handle, json::Array results);
  void on_map_run_failed(MapRunHandle& handle, std::string error, std::string cause);
  std::shared_ptr<detail::Run> map_run_owner(MapRunHandle& handle);

  void finish(ExecutionStatus status, std::optional<json::Value> output, Failure failure,
              HistoryEventType type, int64_t previous);
  void execution_timed_out();
  void history_limit_reached();
  std::string new_task_token();
  std::string fresh_task_token();

  // Resume and redrive (execution_replay.cpp).
  bool replaying() const { return replay_ != nullptr && replaying_; }
  Status replay();  // runs the stored history; leaves replaying_ false when done
  void replay_match(detail::Run* run, HistoryEvent& ev);
  void diverge(std::string why);
  bool inject(const HistoryEvent& next);
  bool inject_answer(const HistoryEvent& next);
  bool fire_deferred(TimerId id);
  std::shared_ptr<detail::Run> owner_of(int64_t event_id) const;
  std::string replayed_task_token();
  void go_live();
  void fail_unresumable(const std::string& why);
  void begin_redrive(int64_t count);
  void revive(const std::shared_ptr<detail::Run>& run);
  void rerun_state(const std::shared_ptr<detail::Run>& run);
  // Redrive of a Distributed Map whose map run did not succeed (execution_map_run.cpp): records
  // MapRunRedriven and asks the MapRunService for the same map run again, redriven.
  void redrive_map_run(const std::shared_ptr<detail::Run>& run);
  // The execution ends stopped or timed out: MapRunAborted for each map run still running.
  void abort_map_runs();
  template <class Fn>
  void for_each_run(detail::Run& run, const Fn& fn);

  // TestState (test_state.cpp): the state under test stops the execution where it would leave.
  static constexpr int64_t kTestStateTimeoutSeconds = 300;  // AWS: a test runs at most 5 min
  void test_exited(detail::Run& run, json::Value output, std::optional<asl::StateIndex> next);
  void test_failed(detail::Run& run, Failure failure, bool handlers = true);
  void test_task_result(const json::Value& result);
  void test_exchange(json::Value exchange);  // TaskHandle::inspected
  bool test_inspects_exchange() const;       // TRACE
  // A mocked Map or Parallel: asks the TaskHandler for the state's result (fan: a Map's).
  void test_mocked_flow(detail::Run& run, const detail::Fanout* fan, const json::Array* items);
  const json::Value* test_reader_items() const;           // mapItemReaderData
  void test_context(json::Value& ctx, detail::Run& run);  // request.context, retrierRetryCount

  std::shared_ptr<const asl::StateMachine> machine_;
  ExecutionInfo info_;
  json::Value input_;
  ExecutionServices services_;
  ExecutionOptions options_;
  std::unique_ptr<RandomSource> own_random_;

  int64_t start_ms_ = 0;
  int64_t now_ = 0;  // the time of the step being run: one time per step
  bool started_ = false;
  bool resumed_ = false;  // by resume(): every attempt from then on is TaskRequest::after_restart
  ExecutionOutcome outcome_;
  int64_t last_event_id_ = 0;
  bool history_full_ = false;  // max_history_events - 1 events: only the failure comes next
  int64_t redrive_count_ = 0;
  int64_t redrive_ms_ = 0;
  std::vector<HistoryEvent> history_;
  json::Value ctx_;  // the context object ($$); $$.State lent by the Run in ctx_owner_
  std::weak_ptr<detail::Run> ctx_owner_;
  std::shared_ptr<detail::Run> root_;
  TimerId machine_timer_ = 0;
  uint64_t token_counter_ = 0;
  // Task attempts scheduled so far, by state name (TaskRequest::invocation).
  std::unordered_map<std::string, int64_t> task_invocations_;
  std::string next_record_;  // resume_record of the next event emit() records

  std::deque<std::function<void()>> work_;
  std::vector<std::function<void()>> urgent_;  // dispatched mid-step: run next
  bool draining_ = false;
  std::vector<std::shared_ptr<void>> retired_;  // freed between steps, never mid-step
  std::function<void(Execution&)> on_finished_;

  std::unique_ptr<detail::Replay> replay_;  // restore() to the end of resume()/redrive()
  bool replaying_ = false;
  std::shared_ptr<detail::TestCapture> test_;   // TestState only (test_state.cpp)
  std::optional<asl::StateIndex> first_state_;  // TestState: where to start instead of StartAt
  json::Object first_variables_;                // TestState: the variables the state sees
};

}  // namespace sluice::engine::executor
