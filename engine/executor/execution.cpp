// See execution.h; the Run tree is described in run.h. Resume and redrive are in
// execution_replay.cpp, TestState's hooks in test_state.cpp.
#include "engine/executor/execution.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <random>

#include "engine/asl/states_error.h"
#include "engine/executor/error_matching.h"
#include "engine/executor/run.h"
#include "engine/json/json_serialize.h"

namespace sluice::engine::executor {

using detail::Fanout;
using detail::Run;
using detail::StateExit;
using json::Array;
using json::Object;
using json::Value;

namespace {

class Mt19937Random final : public RandomSource {
 public:
  explicit Mt19937Random(uint64_t seed) : rng_(seed) {}
  double next_unit() override { return std::uniform_real_distribution<double>(0.0, 1.0)(rng_); }
  uint64_t next_u64() { return rng_(); }

 private:
  std::mt19937_64 rng_;
};

HistoryEventType entered_type(asl::StateType t) {
  switch (t) {
    case asl::StateType::kPass:
      return HistoryEventType::kPassStateEntered;
    case asl::StateType::kTask:
      return HistoryEventType::kTaskStateEntered;
    case asl::StateType::kChoice:
      return HistoryEventType::kChoiceStateEntered;
    case asl::StateType::kWait:
      return HistoryEventType::kWaitStateEntered;
    case asl::StateType::kSucceed:
      return HistoryEventType::kSucceedStateEntered;
    case asl::StateType::kFail:
      return HistoryEventType::kFailStateEntered;
    case asl::StateType::kParallel:
      return HistoryEventType::kParallelStateEntered;
    case asl::StateType::kMap:
      return HistoryEventType::kMapStateEntered;
  }
  return HistoryEventType::kPassStateEntered;
}

HistoryEventType exited_type(asl::StateType t) {
  switch (t) {
    case asl::StateType::kPass:
      return HistoryEventType::kPassStateExited;
    case asl::StateType::kTask:
      return HistoryEventType::kTaskStateExited;
    case asl::StateType::kChoice:
      return HistoryEventType::kChoiceStateExited;
    case asl::StateType::kWait:
      return HistoryEventType::kWaitStateExited;
    case asl::StateType::kSucceed:
      return HistoryEventType::kSucceedStateExited;
    case asl::StateType::kParallel:
      return HistoryEventType::kParallelStateExited;
    case asl::StateType::kMap:
      return HistoryEventType::kMapStateExited;
    case asl::StateType::kFail:
      break;  // a Fail state is never exited
  }
  return HistoryEventType::kPassStateExited;
}

Value not_truncated() {
  return Value(Object{{"truncated", Value(false)}});
}

Value state_details(const std::string& name, const char* key, std::string text) {
  Object o;
  o.set("name", Value(name));
  o.set(key, Value(std::move(text)));
  o.set(std::string(key) + "Details", not_truncated());
  return Value(std::move(o));
}

Value data_details(const char* key, std::string text) {
  Object o;
  o.set(key, Value(std::move(text)));
  o.set(std::string(key) + "Details", not_truncated());
  return Value(std::move(o));
}

Value error_details(const std::string& error, const std::string& cause) {
  Object o;
  if (!error.empty()) o.set("error", Value(error));
  if (!cause.empty()) o.set("cause", Value(cause));
  return Value(std::move(o));
}

Value iteration_details(const std::string& name, std::size_t index) {
  return Value(Object{{"name", Value(name)}, {"index", Value(static_cast<int64_t>(index))}});
}

// $$.State.RetryCount is there for the states that can retry; a Pass, Choice or Wait state's
// context has only Name and EnteredTime, as on AWS.
bool has_retry_count(asl::StateType type) {
  return type == asl::StateType::kTask || type == asl::StateType::kMap ||
         type == asl::StateType::kParallel;
}

}  // namespace

std::optional<int64_t> detail::integer_at(const asl::JsonPath& path, const Value& input,
                                          const asl::EvalScope& scope, int64_t min) {
  auto v = path.select(input, scope);
  if (!v) return std::nullopt;
  int64_t n = 0;
  if (v->is_string()) {
    const std::string& s = v->as_string();
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  } else if (v->is_number() && v->is_integral()) {
    n = v->is_int() ? v->as_int() : static_cast<int64_t>(v->as_number());
  } else {
    return std::nullopt;
  }
  if (n < min) return std::nullopt;
  return n;
}

namespace {

// A value as AWS quotes it in a cause: a string bare, anything else as JSON.
std::string plain_text(const Value& v) {
  return v.is_string() ? v.as_string() : json::serialize(v);
}

// A Wait state's SecondsPath, with AWS's causes for each way it can be wrong: missing, not a
// whole number ("cannot be parsed as a long value: $.x == 1.5"), negative ("references a
// negative value: $.x == -1"). A string holding an integer is taken, as for integer_at.
Result<int64_t> wait_seconds_at(const asl::JsonPath& path, const Value& input,
                                const asl::EvalScope& scope) {
  auto v = path.select(input, scope);
  if (!v) {
    return make_error(
        ErrorCode::kStatesRuntime,
        "The SecondsPath parameter does not reference an input value: " + path.text());
  }
  const std::string assignment = path.text() + " == " + plain_text(*v);
  int64_t n = 0;
  bool parsed = false;
  if (v->is_string()) {
    const std::string& s = v->as_string();
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    parsed = ec == std::errc() && end == s.data() + s.size() && !s.empty();
  } else if (v->is_int()) {
    n = v->as_int();
    parsed = true;
  }
  if (!parsed) {
    return make_error(ErrorCode::kStatesRuntime,
                      "The SecondsPath parameter cannot be parsed as a long value: " + assignment);
  }
  if (n < 0) {
    return make_error(ErrorCode::kStatesRuntime,
                      "The SecondsPath parameter references a negative value: " + assignment);
  }
  return n;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Construction, start, stop.
std::string Execution::text_of(const json::Value& v) const {
  if (options_.input_text && json::identical(v, input_)) return *options_.input_text;
  return json::serialize(v);
}

std::shared_ptr<Execution> Execution::create(std::shared_ptr<const asl::StateMachine> machine,
                                             ExecutionInfo info, Value input,
                                             ExecutionServices services, ExecutionOptions options) {
  return std::shared_ptr<Execution>(new Execution(std::move(machine), std::move(info),
                                                  std::move(input), std::move(services), options));
}
Execution::Execution(std::shared_ptr<const asl::StateMachine> machine, ExecutionInfo info,
                     Value input, ExecutionServices services, ExecutionOptions options)
    : machine_(std::move(machine)),
      info_(std::move(info)),
      input_(std::move(input)),
      services_(std::move(services)),
      options_(options) {}

Execution::~Execution() {
  if (machine_timer_ != 0) cancel_timer(machine_timer_);
  if (root_ && !root_->finished) cancel_run(*root_);
}

RandomSource& Execution::random() {
  if (services_.random == nullptr) {
    // Seeded from the ARN so a replay after a restart draws the same jitter; made on first use
    // because most executions never draw.
    uint64_t seed = 1469598103934665603ull;  // FNV-1a
    for (unsigned char c : info_.execution_arn) seed = (seed ^ c) * 1099511628211ull;
    own_random_ = std::make_unique<Mt19937Random>(seed);
    services_.random = own_random_.get();
  }
  return *services_.random;
}

void Execution::start() {
  if (started_) return;
  started_ = true;
  now_ = services_.clock->now_ms();
  begin();
  drain();
}

void Execution::begin() {
  start_ms_ = now_;
  // One context object for the whole execution: each Run lends it its $$.State (context()), so
  // no Run copies $$.Execution.Input (a Map over N items would copy it N times).
  ctx_ = Value(
      Object{{"Execution", Value(Object{{"Id", Value(info_.execution_arn)},
                                        {"Input", input_},
                                        {"StartTime", Value(asl::format_timestamp_ms(start_ms_))},
                                        {"Name", Value(info_.name)},
                                        {"RoleArn", Value(info_.role_arn)},
                                        {"RedriveCount", Value(0)}})},
             {"StateMachine", Value(Object{{"Id", Value(info_.state_machine_arn)},
                                           {"Name", Value(info_.state_machine_name)}})},
             {"State", Value(Object{})}});

  Object d;
  if (recording()) {
    d.set("input", Value(text_of(input_)));
    d.set("inputDetails", not_truncated());
    d.set("roleArn", Value(info_.role_arn));
    if (!info_.state_machine_alias_arn.empty())
      d.set("stateMachineAliasArn", Value(info_.state_machine_alias_arn));
    if (!info_.state_machine_version_arn.empty())
      d.set("stateMachineVersionArn", Value(info_.state_machine_version_arn));
  }
  emit(nullptr, HistoryEventType::kExecutionStarted, Value(std::move(d)), 0);

  root_ = std::make_shared<Run>();
  root_->machine = machine_.get();
  if (!first_variables_.empty()) {
    std::vector<std::pair<std::string, std::string>> texts;
    for (const auto& [name, value] : first_variables_)
      texts.emplace_back(name, json::serialize(value));
    store_variables(*root_, std::move(first_variables_), texts);
  }
  arm_machine_timer(start_ms_);
  queue_enter(root_, first_state_.value_or(machine_->start_at), input_);
}

void Execution::arm_machine_timer(int64_t from_ms) {
  std::optional<int64_t> seconds = machine_->timeout_seconds;
  if (test_) seconds = kTestStateTimeoutSeconds;
  if (!seconds) return;
  std::weak_ptr<Execution> weak = weak_from_this();
  machine_timer_ = schedule_timer(
      from_ms + *seconds * 1000,
      [weak] {
        if (auto self = weak.lock()) {
          self->machine_timer_ = 0;
          self->dispatch([raw = self.get()] { raw->execution_timed_out(); });
        }
      },
      nullptr, false);
}

bool Execution::stop(std::optional<std::string> error, std::optional<std::string> cause) {
  if (!started_ || outcome_.status != ExecutionStatus::kRunning || replaying()) return false;
  now_ = services_.clock->now_ms();
  finish(ExecutionStatus::kAborted, std::nullopt,
         Failure{error.value_or(std::string()), cause.value_or(std::string())},
         HistoryEventType::kExecutionAborted, last_event_id_);
  return true;
}

void Execution::execution_timed_out() {
  if (test_) return test_failed(*root_, Failure{"States.Timeout", ""}, false);
  finish(ExecutionStatus::kTimedOut, std::nullopt, Failure{"States.Timeout", ""},
         HistoryEventType::kExecutionTimedOut, last_event_id_);
}

void Execution::finish(ExecutionStatus status, std::optional<Value> output, Failure failure,
                       HistoryEventType type, int64_t previous) {
  if (outcome_.status != ExecutionStatus::kRunning) return;
  if (status == ExecutionStatus::kAborted || status == ExecutionStatus::kTimedOut) {
    abort_map_runs();
    previous = last_event_id_;
  }
  Value details;
  if (recording()) {
    details = output ? data_details("output", text_of(*output))
                     : error_details(failure.error, failure.cause);
  }
  emit(nullptr, type, std::move(details), previous);
  outcome_.status = status;
  outcome_.stop_ms = now_;
  outcome_.output = std::move(output);
  if (!failure.error.empty()) outcome_.error = failure.error;
  if (!failure.cause.empty()) outcome_.cause = failure.cause;
  cancel_timer(machine_timer_);
  if (root_) abandon(*root_);
  work_.clear();
  urgent_.clear();
  // A stored terminal event being replayed: the outcome is stored already, and a redrive may
  // follow in the history.
  if (replaying()) return;
  if (services_.sink) services_.sink->on_outcome(info_.execution_arn, outcome_);
  if (on_finished_) on_finished_(*this);
}

// ---------------------------------------------------------------------------------------------
// Plumbing.

void Execution::dispatch(std::function<void()> step) {
  if (draining_) {
    urgent_.push_back(std::move(step));
    return;
  }
  work_.push_back(std::move(step));
  drain();
}

void Execution::drain() {
  if (draining_) return;
  draining_ = true;
  auto keep_alive = shared_from_this();
  while (!work_.empty() || !urgent_.empty()) run_step();
  retired_.clear();
  draining_ = false;
}

void Execution::run_step() {
  if (!urgent_.empty()) {
    work_.insert(work_.begin(), std::make_move_iterator(urgent_.begin()),
                 std::make_move_iterator(urgent_.end()));
    urgent_.clear();
  }
  if (work_.empty()) return;
  retired_.clear();
  auto step = std::move(work_.front());
  work_.pop_front();
  if (outcome_.status != ExecutionStatus::kRunning) return;
  // One time per step, so every event a step records carries the same timestamp; a replay
  // takes it from the stored event the step is about to reproduce.
  if (replaying() && replay_->pos < replay_->events.size()) {
    now_ = replay_->events[replay_->pos].timestamp_ms;
  } else {
    now_ = services_.clock->now_ms();
  }
  step();
}

namespace {

bool ends_execution(HistoryEventType type) {
  return type == HistoryEventType::kExecutionSucceeded ||
         type == HistoryEventType::kExecutionFailed ||
         type == HistoryEventType::kExecutionTimedOut ||
         type == HistoryEventType::kExecutionAborted;
}

}  // namespace

void Execution::history_limit_reached() {
  std::string cause = "The execution reached the maximum number of history events (" +
                      std::to_string(options_.max_history_events) + ").";
  finish(ExecutionStatus::kFailed, std::nullopt, Failure{"States.Runtime", std::move(cause)},
         HistoryEventType::kExecutionFailed, last_event_id_);
}

int64_t Execution::emit(Run* run, HistoryEventType type, Value details,
                        std::optional<int64_t> previous) {
  // The history is full: what the rest of this step does is not recorded (nor, in a replay,
  // looked for), and the failure queued below is the next event.
  if (history_full_ && !ends_execution(type)) return last_event_id_;
  HistoryEvent ev;
  ev.id = ++last_event_id_;
  ev.previous_event_id = previous ? *previous : (run ? run->last_event_id : ev.id - 1);
  ev.type = type;
  ev.details = std::move(details);
  if (run) run->last_event_id = ev.id;
  if (!next_record_.empty()) ev.resume_record = std::move(next_record_);
  next_record_.clear();
  // The same in a replay, so a history that ended this way is reproduced event for event.
  bool fills = options_.max_history_events > 0 && ev.id + 1 >= options_.max_history_events &&
               !ends_execution(type) && !history_full_;
  if (fills) history_full_ = true;
  int64_t id = ev.id;
  if (replaying()) {
    replay_match(run, ev);
  } else {
    ev.timestamp_ms = now_;
    if (services_.sink) services_.sink->on_event(info_.execution_arn, ev);
    if (options_.keep_history) history_.push_back(std::move(ev));
  }
  // Queued after this event is recorded: next within a step, at once outside one.
  if (fills) dispatch([this] { history_limit_reached(); });
  return id;
}

const Value& Execution::context(Run& run, const std::string* token, const Value* map_item) {
  // The execution's context object, patched in place for this Run: its $$.State is moved in
  // (and the previous borrower's moved back), so a transition copies nothing big.
  Object& o = ctx_.as_object();
  Value& state = *o.find("State");
  if (auto owner = ctx_owner_.lock(); owner.get() != &run) {
    if (owner) owner->state_ctx = std::move(state);
    state = std::move(run.state_ctx);
    ctx_owner_ = run.weak_from_this();
  }
  if (has_retry_count(run.st().type)) state.as_object().set("RetryCount", Value(run.retry_count));
  if (token) {
    o.set("Task", Value(Object{{"Token", Value(*token)}}));
  } else if (o.size() > 3) {
    o.erase("Task");
  }
  if (map_item) {
    o.set("Map", Value(Object{{"Item", *map_item}}));
  } else if (o.size() > 3) {
    o.erase("Map");
  }
  if (test_) test_context(ctx_, run);
  return ctx_;
}

Execution::Failure Execution::runtime_failure(Run& run, const Error& e) {
  // TestState has no events to point at: its cause is the bare message.
  if (test_) return Failure{std::string(asl::states_error_name(e.code)), e.message};
  Failure f{std::string(asl::states_error_name(e.code)),
            "An error occurred while executing the state '" + run.st().name +
                "' (entered at the event id #" + std::to_string(run.entered_event_id) + "). " +
                e.message};
  if (e.code == ErrorCode::kStatesQueryEvaluationError) {
    // AWS links it to what preceded the state's entry, not to the entry itself.
    Object d;
    if (recording()) {
      d.set("cause", Value(f.cause));
      d.set("error", Value(f.error));
      if (!e.location.empty()) d.set("location", Value(e.location));
      d.set("state", Value(run.st().name));
    }
    emit(&run, HistoryEventType::kEvaluationFailed, Value(std::move(d)), run.entered_previous_id);
  }
  return f;
}

TimerId Execution::schedule(std::shared_ptr<Run> run, int64_t at_ms, void (Execution::*fn)(Run&)) {
  std::weak_ptr<Execution> weak_exec = weak_from_this();
  std::weak_ptr<Run> weak_run = run;
  uint64_t gen = run->generation;
  return schedule_timer(
      at_ms,
      [weak_exec, weak_run, gen, fn] {
        auto self = weak_exec.lock();
        if (!self) return;
        self->dispatch([raw = self.get(), weak_run, gen, fn] {
          auto r = weak_run.lock();
          if (!r || r->finished || r->generation != gen) return;
          (raw->*fn)(*r);
        });
      },
      run, fn == &Execution::task_heartbeat_missed);
}

TimerId Execution::schedule_timer(int64_t at_ms, std::function<void()> callback,
                                  const std::shared_ptr<Run>& run, bool heartbeat) {
  if (!replaying()) return services_.timers->schedule(at_ms, std::move(callback));
  // Replaying: the stored history says whether (and when) the timer fired; one still pending
  // when the replay ends is scheduled then (go_live).
  TimerId id = replay_->next_timer++;
  replay_->timers.emplace(
      id, detail::Replay::DeferredTimer{std::move(callback), at_ms, run, heartbeat});
  return id;
}

void Execution::cancel_timer(TimerId& id) {
  if (id == 0) return;
  if (replay_ != nullptr && id >= detail::Replay::kFirstTimerId) {
    replay_->timers.erase(id);
  } else {
    services_.timers->cancel(id);
  }
  id = 0;
}

// ---------------------------------------------------------------------------------------------
// States.

void Execution::queue_enter(const std::shared_ptr<Run>& run, asl::StateIndex index, Value input) {
  run->pending = true;
  run->pending_state = index;
  run->pending_input = std::move(input);
  work_.push_back([this, run] { take_pending(run); });
}

void Execution::take_pending(const std::shared_ptr<Run>& run) {
  if (!run->pending || run->finished) return;
  run->pending = false;
  enter_state(run, run->pending_state, std::move(run->pending_input));
}

void Execution::enter_state(const std::shared_ptr<Run>& run, asl::StateIndex index, Value input) {
  if (run->finished) return;
  if (run->fan) retired_.push_back(std::shared_ptr<Fanout>(std::move(run->fan)));
  run->state = index;
  run->input = std::move(input);
  run->generation++;
  run->retry_count = 0;
  run->attempts.assign(run->st().retry.size(), 0);
  run->entered_ms = now_;
  run->task.reset();
  // A Distributed Map's map run belongs to the state's entry: a redrive after a later state
  // failed must not find the one a state before it ran.
  run->map_request = MapRunRequest{};
  run->map_run_redrivable = false;
  run->map_attempt_base = 0;
  run->entered_previous_id = run->last_event_id;
  // In AWS's order (Execution, StateMachine, State; Name before EnteredTime), as recorded.
  Value state_ctx(Object{{"Name", Value(run->st().name)},
                         {"EnteredTime", Value(asl::format_timestamp_ms(run->entered_ms))}});
  if (has_retry_count(run->st().type)) state_ctx.as_object().set("RetryCount", Value(int64_t{0}));
  if (ctx_owner_.lock() == run) {
    *ctx_.as_object().find("State") = std::move(state_ctx);  // lent out: replace it there
  } else {
    run->state_ctx = std::move(state_ctx);
  }
  run->entered_event_id =
      emit(run.get(), entered_type(run->st().type),
           recording() ? state_details(run->st().name, "input", text_of(run->input)) : Value());
  execute(*run);
}

void Execution::execute(Run& run) {
  switch (run.st().type) {
    case asl::StateType::kPass:
      return run_pass(run);
    case asl::StateType::kTask:
      return run_task(run);
    case asl::StateType::kChoice:
      return run_choice(run);
    case asl::StateType::kWait:
      return run_wait(run);
    case asl::StateType::kSucceed:
      return run_succeed(run);
    case asl::StateType::kFail:
      return run_fail(run);
    case asl::StateType::kParallel:
      return run_parallel(run);
    case asl::StateType::kMap:
      return run_map(run);
  }
}

void Execution::run_pass(Run& run) {
  const asl::State& st = run.st();
  if (st.language == asl::QueryLanguage::kJsonata)
    return leave(run, jsonata_exit(run, st.jsonata.output, st.assign, nullptr));
  detail::RunVariables variables(run);
  asl::EvalScope scope(context(run), &variables);
  auto effective = asl::process_input(st.io, run.input, scope);
  if (!effective.ok()) return state_failed(run, runtime_failure(run, effective.error()));
  Value result = st.result ? *st.result : std::move(effective).value();
  StateExit exit;
  if (st.assign) {
    auto assigned = st.assign->evaluate(result, scope);  // "$" is the result
    if (!assigned.ok()) return state_failed(run, runtime_failure(run, assigned.error()));
    exit.assigned = std::move(assigned).value();
  }
  auto out = asl::process_result(st.io, run.input, std::move(result), scope);
  if (!out.ok()) return state_failed(run, runtime_failure(run, out.error()));
  exit.output = std::move(out).value();
  exit_state(run, std::move(exit));
}

void Execution::run_choice(Run& run) {
  const asl::State& st = run.st();
  if (st.language == asl::QueryLanguage::kJsonata) return run_jsonata_choice(run);
  detail::RunVariables variables(run);
  asl::EvalScope scope(context(run), &variables);
  auto effective = asl::apply_input_path(st.io.input_path, run.input, scope);
  if (!effective.ok()) return state_failed(run, runtime_failure(run, effective.error()));
  const asl::ChoiceBranch* matched = nullptr;
  for (const auto& branch : st.choices) {
    auto m = branch.rule.evaluate(*effective, scope);
    if (!m.ok()) return state_failed(run, runtime_failure(run, m.error()));
    if (*m) {
      matched = &branch;
      break;
    }
  }
  std::optional<asl::StateIndex> next = matched ? matched->next : st.default_next;
  if (!next) {
    return state_failed(run, runtime_failure(run, Error{ErrorCode::kStatesNoChoiceMatched,
                                                        "No Choice Rule matched and no Default "
                                                        "is specified."}));
  }
  // The matched rule's Assign, or the state's when the Default is taken; "$" is the input after
  // InputPath.
  const std::optional<asl::Assignment>& assign = matched ? matched->assign : st.assign;
  StateExit exit;
  if (assign) {
    auto assigned = assign->evaluate(*effective, scope);
    if (!assigned.ok()) return state_failed(run, runtime_failure(run, assigned.error()));
    exit.assigned = std::move(assigned).value();
  }
  auto out = asl::apply_output_path(st.io.output_path, std::move(effective).value(), scope);
  if (!out.ok()) return state_failed(run, runtime_failure(run, out.error()));
  exit.output = std::move(out).value();
  exit_state(run, std::move(exit), next);
}

void Execution::run_jsonata_choice(Run& run) {
  const asl::State& st = run.st();
  const asl::ChoiceBranch* matched = nullptr;
  for (const auto& branch : st.choices) {
    auto condition = evaluate_field(run, *branch.condition);
    if (!condition.ok()) return state_failed(run, runtime_failure(run, condition.error()));
    if (!condition->is_bool()) {
      Error e = make_error(ErrorCode::kStatesQueryEvaluationError,
                           "The JSONata expression '" + branch.condition->text() +
                               "' specified for the field '" + branch.condition->field() +
                               "' must evaluate to a boolean, but it evaluated to " +
                               json::serialize(*condition) + ".");
      e.location = branch.condition->field();
      return state_failed(run, runtime_failure(run, e));
    }
    if (condition->as_bool()) {
      matched = &branch;
      break;
    }
  }
  std::optional<asl::StateIndex> next = matched ? matched->next : st.default_next;
  if (!next) {
    return state_failed(run, runtime_failure(run, Error{ErrorCode::kStatesNoChoiceMatched,
                                                        "No Choice Rule matched and no Default "
                                                        "is specified."}));
  }
  if (matched)
    return leave(run, jsonata_exit(run, matched->output, matched->assign, nullptr), next);
  leave(run, jsonata_exit(run, st.jsonata.output, st.assign, nullptr), next);
}

void Execution::run_wait(Run& run) {
  const asl::State& st = run.st();
  int64_t now = now_;
  int64_t due = now;
  if (st.language == asl::QueryLanguage::kJsonata) {
    if (st.jsonata.seconds) {
      auto secs = evaluate_integer(run, *st.jsonata.seconds, 0);
      if (!secs.ok()) return state_failed(run, runtime_failure(run, secs.error()));
      due = now + *secs * 1000;
    } else if (st.jsonata.timestamp) {
      auto v = evaluate_field(run, *st.jsonata.timestamp);
      if (!v.ok()) return state_failed(run, runtime_failure(run, v.error()));
      std::optional<asl::Timestamp> ts;
      if (v->is_string()) ts = asl::parse_timestamp(v->as_string());
      if (!ts) {
        Error e = make_error(ErrorCode::kStatesQueryEvaluationError,
                             "The JSONata expression '" + st.jsonata.timestamp->text() +
                                 "' specified for the field 'Timestamp' must evaluate to an "
                                 "ISO-8601 extended offset date-time format string, but it "
                                 "evaluated to " +
                                 json::serialize(*v) + ".");
        e.location = "Timestamp";
        return state_failed(run, runtime_failure(run, e));
      }
      due = ts->epoch_millis();
    } else if (st.seconds) {
      due = now + *st.seconds * 1000;
    } else if (st.timestamp) {
      due = st.timestamp->epoch_millis();
    }
    return wait_until(run, due);
  }
  detail::RunVariables variables(run);
  asl::EvalScope ctx(context(run), &variables);
  auto effective = asl::apply_input_path(st.io.input_path, run.input, ctx);
  if (!effective.ok()) return state_failed(run, runtime_failure(run, effective.error()));
  if (st.seconds) {
    due = now + *st.seconds * 1000;
  } else if (st.seconds_path) {
    auto secs = wait_seconds_at(*st.seconds_path, *effective, ctx);
    if (!secs.ok()) return state_failed(run, runtime_failure(run, secs.error()));
    due = now + *secs * 1000;
  } else if (st.timestamp) {
    due = st.timestamp->epoch_millis();
  } else if (st.timestamp_path) {
    auto v = st.timestamp_path->select(*effective, ctx);
    if (!v) {
      return state_failed(
          run, runtime_failure(run, Error{ErrorCode::kStatesRuntime,
                                          "The TimestampPath parameter does not reference an "
                                          "input value: " +
                                              st.timestamp_path->text()}));
    }
    std::optional<asl::Timestamp> ts;
    if (v->is_string()) ts = asl::parse_timestamp(v->as_string());
    if (!ts) {
      // AWS's text names the path and the value it found ("$.t == 2024-01-01T00:00:00").
      return state_failed(
          run,
          runtime_failure(run, Error{ErrorCode::kStatesRuntime,
                                     "The TimestampPath parameter does not reference a "
                                     "valid ISO-8601 extended offset date-time format "
                                     "string: " +
                                         st.timestamp_path->text() + " == " + plain_text(*v)}));
    }
    due = ts->epoch_millis();
  }
  run.effective = std::move(effective).value();
  wait_until(run, due);
}

int64_t Execution::scaled_delay(int64_t delay_ms) const {
  const double scale = options_.wait_time_scale;
  if (scale >= 1.0 || delay_ms <= 0) return delay_ms;
  return static_cast<int64_t>(std::llround(static_cast<double>(delay_ms) * scale));
}

void Execution::wait_until(Run& run, int64_t due) {
  const int64_t now = now_;
  if (test_) due = now;                                // TestState does not wait
  if (due > now) due = now + scaled_delay(due - now);  // a Timestamp: the time that remains
  auto self = run.shared_from_this();
  if (due <= now) {
    uint64_t gen = run.generation;
    work_.push_back([this, self, gen] {
      if (!self->finished && self->generation == gen) wait_elapsed(*self);
    });
    return;
  }
  run.timer = schedule(self, due, &Execution::wait_elapsed);
}

void Execution::wait_elapsed(Run& run) {
  run.timer = 0;
  const asl::State& st = run.st();
  if (st.language == asl::QueryLanguage::kJsonata)
    return leave(run, jsonata_exit(run, st.jsonata.output, st.assign, nullptr));
  detail::RunVariables variables(run);
  asl::EvalScope scope(context(run), &variables);
  StateExit exit;
  if (st.assign) {
    auto assigned = st.assign->evaluate(run.effective, scope);  // "$": the input after InputPath
    if (!assigned.ok()) return state_failed(run, runtime_failure(run, assigned.error()));
    exit.assigned = std::move(assigned).value();
  }
  auto out = asl::apply_output_path(st.io.output_path, std::move(run.effective), scope);
  if (!out.ok()) return state_failed(run, runtime_failure(run, out.error()));
  exit.output = std::move(out).value();
  exit_state(run, std::move(exit));
}

void Execution::run_succeed(Run& run) {
  const asl::State& st = run.st();
  if (st.language == asl::QueryLanguage::kJsonata)
    return leave(run, jsonata_exit(run, st.jsonata.output, std::nullopt, nullptr));
  detail::RunVariables variables(run);
  asl::EvalScope scope(context(run), &variables);
  auto effective = asl::apply_input_path(st.io.input_path, run.input, scope);
  if (!effective.ok()) return state_failed(run, runtime_failure(run, effective.error()));
  auto out = asl::apply_output_path(st.io.output_path, std::move(effective).value(), scope);
  if (!out.ok()) return state_failed(run, runtime_failure(run, out.error()));
  exit_state(run, std::move(out).value());
}

void Execution::run_fail(Run& run) {
  const asl::State& st = run.st();
  Failure failure;
  if (st.error) failure.error = *st.error;
  if (st.cause) failure.cause = *st.cause;
  struct Expr {
    const std::optional<asl::JsonataTemplate>* source;
    std::string* target;
  };
  for (const Expr& e :
       {Expr{&st.jsonata.error, &failure.error}, Expr{&st.jsonata.cause, &failure.cause}}) {
    if (!*e.source) continue;
    auto v = evaluate_field(run, **e.source);
    if (!v.ok()) return run_failed(run, runtime_failure(run, v.error()));
    if (!v->is_string()) {
      Error err = make_error(ErrorCode::kStatesQueryEvaluationError,
                             "The JSONata expression '" + (*e.source)->text() +
                                 "' specified for the field '" + (*e.source)->field() +
                                 "' must evaluate to a string, but it evaluated to " +
                                 json::serialize(*v) + ".");
      err.location = (*e.source)->field();
      return run_failed(run, runtime_failure(run, err));
    }
    *e.target = v->as_string();
  }
  if (st.error_path || st.cause_path) {
    detail::RunVariables variables(run);
    asl::EvalScope ctx(context(run), &variables);
    struct Field {
      const std::optional<asl::PathOrCall>* source;
      std::string* target;
      const char* name;
    };
    for (const Field& f : {Field{&st.error_path, &failure.error, "ErrorPath"},
                           Field{&st.cause_path, &failure.cause, "CausePath"}}) {
      if (!*f.source) continue;
      const asl::PathOrCall& source = **f.source;
      if (!source.call && !source.path->select(run.input, ctx)) {
        // AWS quotes the path, the field and the whole input the path was applied to.
        return run_failed(run,
                          runtime_failure(run, Error{ErrorCode::kStatesRuntime,
                                                     "The JSONPath '" + source.path->text() +
                                                         "' specified for the field '" + f.name +
                                                         "' could not be found in the "
                                                         "input '" +
                                                         text_of(run.input) + "'"}));
      }
      auto v = source.evaluate(run.input, ctx);
      if (!v.ok()) return run_failed(run, runtime_failure(run, v.error()));
      if (!v->is_string()) {
        return run_failed(run, runtime_failure(run, Error{ErrorCode::kStatesRuntime,
                                                          std::string("The value of ") + f.name +
                                                              " must be a string"}));
      }
      *f.target = v->as_string();
    }
  }
  run_failed(run, std::move(failure));
}

void Execution::exit_state(Run& run, Value output, std::optional<asl::StateIndex> next_override) {
  exit_state(run, StateExit{std::move(output), Object{}}, next_override);
}

void Execution::leave(Run& run, Result<StateExit> exit,
                      std::optional<asl::StateIndex> next_override) {
  if (!exit.ok()) return state_failed(run, runtime_failure(run, exit.error()));
  exit_state(run, std::move(exit).value(), next_override);
}

void Execution::exit_state(Run& run, StateExit&& exit, std::optional<asl::StateIndex> next_override,
                           bool caught) {
  const asl::State& st = run.st();
  Value output = std::move(exit.output);
  std::string text = text_of(output);
  auto fail = [&](Failure f) {
    if (caught) return run_failed(run, std::move(f));
    state_failed(run, std::move(f));
  };
  if (text.size() > options_.max_payload_bytes) {
    return fail(Failure{"States.DataLimitExceeded",
                        "The state/task '" + st.name +
                            "' returned a result with a size exceeding the maximum number of "
                            "bytes service limit."});
  }
  std::vector<std::pair<std::string, std::string>> assigned_texts;
  if (auto checked = assign_variables(run, exit.assigned, &assigned_texts); !checked.ok())
    return fail(runtime_failure(run, checked.error()));
  std::optional<asl::StateIndex> next = next_override ? next_override : st.next;
  if (st.type == asl::StateType::kSucceed) next.reset();
  if (test_) {
    store_variables(run, std::move(exit.assigned), assigned_texts);
    return test_exited(run, std::move(output), next);
  }
  Value details;
  if (recording()) {
    details = state_details(st.name, "output", std::move(text));
    if (!assigned_texts.empty()) {
      // AWS shows each value as JSON text, names in order.
      Object vars;
      vars.reserve(assigned_texts.size());
      for (const auto& [name, value_text] : assigned_texts)
        vars.append_new(name, Value(value_text));
      details.as_object().set("assignedVariables", Value(std::move(vars)));
      details.as_object().set("assignedVariablesDetails", not_truncated());
    }
  }
  emit(&run, exited_type(st.type), std::move(details));
  if (replay_ != nullptr) adopt_recorded_exit(output, exit.assigned, assigned_texts);
  store_variables(run, std::move(exit.assigned), assigned_texts);
  if (!next) return run_succeeded(run, std::move(output));
  run.generation++;
  queue_enter(run.shared_from_this(), *next, std::move(output));
}

void Execution::store_variables(Run& run, Object assigned,
                                const std::vector<std::pair<std::string, std::string>>& texts) {
  for (const auto& [name, text] : texts) {
    std::size_t& size = run.variable_sizes[name];
    run.variable_bytes += text.size() - size;
    size = text.size();
  }
  for (auto& [name, value] : assigned) run.variables.set(name, std::move(value));
}

void Execution::state_failed(Run& run, Failure failure) {
  if (test_) return test_failed(run, std::move(failure));
  const asl::State& st = run.st();
  if (!is_uncatchable(failure.error)) {
    for (std::size_t i = 0; i < st.retry.size(); ++i) {
      const asl::Retrier& r = st.retry[i];
      if (!error_matches(r.error_equals, failure.error, failure.heartbeat)) continue;
      if (run.attempts[i] < r.max_attempts) {
        run.attempts[i]++;
        run.retry_count++;
        run.generation++;
        int64_t delay = scaled_delay(
            retry_delay_ms(r, run.attempts[i], r.full_jitter ? random().next_unit() : 1.0));
        run.timer = schedule(run.shared_from_this(), now_ + delay, &Execution::retry_attempt);
        return;
      }
      break;  // the first matching retrier decides; exhausted, Catch applies
    }
    for (const asl::Catcher& c : st.catchers) {
      if (!error_matches(c.error_equals, failure.error, failure.heartbeat)) continue;
      // The Catcher's Output and Assign replace the state's own.
      auto exit = catch_exit(run, c, failure);
      if (!exit.ok()) return run_failed(run, runtime_failure(run, exit.error()));
      return exit_state(run, std::move(exit).value(), c.next, true);
    }
  }
  run_failed(run, std::move(failure));
}

void Execution::retry_attempt(Run& run) {
  run.timer = 0;
  switch (run.st().type) {
    case asl::StateType::kTask:
      return run_task(run);
    case asl::StateType::kParallel:
      return run_parallel(run);
    case asl::StateType::kMap:
      return run_map(run);
    default:
      return;
  }
}

void Execution::run_succeeded(Run& run, Value output) {
  run.finished = true;
  run.outcome = detail::RunOutcome::kSucceeded;
  run.generation++;
  if (run.parent == nullptr) {
    return finish(ExecutionStatus::kSucceeded, std::move(output), Failure{},
                  HistoryEventType::kExecutionSucceeded, run.last_event_id);
  }
  child_succeeded(*run.parent, run, std::move(output));
}

void Execution::run_failed(Run& run, Failure failure) {
  if (test_) return test_failed(run, std::move(failure));
  cancel_run(run);
  run.finished = true;
  run.outcome = detail::RunOutcome::kFailed;
  if (run.parent == nullptr) {
    return finish(ExecutionStatus::kFailed, std::nullopt, std::move(failure),
                  HistoryEventType::kExecutionFailed, run.last_event_id);
  }
  child_failed(*run.parent, run, std::move(failure));
}

void Execution::abandon(Run& run) {
  if (run.finished) return;
  cancel_run(run);
  run.finished = true;
  run.outcome = detail::RunOutcome::kCancelled;
}

void Execution::cancel_run(Run& run) {
  run.generation++;
  cancel_timer(run.timer);
  cancel_task(run);
  if (run.fan) {
    for (auto& child : run.fan->children) {
      if (child) abandon(*child);
    }
  }
}

void Execution::cancel_task(Run& run) {
  if (run.map_run && run.map_run->active_) {
    run.map_run->active_ = false;
    run.map_run_redrivable = true;  // aborted with the state: a redrive redrives it
    if (run.map_run->delivered_) services_.map_runs->cancel(*run.map_run);
  }
  cancel_timer(run.timeout_timer);
  cancel_timer(run.heartbeat_timer);
  if (run.task && run.task->active_) {
    run.task->active_ = false;
    if (run.task->delivered_) services_.tasks->cancel(*run.task);
  }
}

// ---------------------------------------------------------------------------------------------
// Task.

std::string Execution::new_task_token() {
  return replaying() ? replayed_task_token() : fresh_task_token();
}

std::string Execution::fresh_task_token() {
  if (services_.make_task_token) return services_.make_task_token();
  static constexpr char kHex[] = "0123456789abcdef";
  std::string token;
  token.reserve(64);
  std::random_device rd;
  std::mt19937_64 rng((static_cast<uint64_t>(rd()) << 32) ^ rd() ^ ++token_counter_);
  for (int i = 0; i < 4; ++i) {
    uint64_t v = rng();
    for (int j = 0; j < 16; ++j, v >>= 4) token.push_back(kHex[v & 15]);
  }
  return token;
}

void Execution::run_task(Run& run) {
  const asl::State& st = run.st();
  run.generation++;
  TaskRequest req;
  req.resource = st.resource;
  req.parsed = parse_task_resource(st.resource);
  if (req.parsed.wait_for_task_token || req.parsed.family == TaskFamily::kActivity)
    req.task_token = new_task_token();
  const std::string* token = req.parsed.wait_for_task_token ? &req.task_token : nullptr;
  Result<Value> effective = Value();
  if (st.language == asl::QueryLanguage::kJsonata) {
    effective = st.jsonata.arguments
                    ? evaluate_field(run, *st.jsonata.arguments, nullptr, nullptr, token)
                    : Result<Value>(run.input);
  } else {
    detail::RunVariables variables(run);
    effective =
        asl::process_input(st.io, run.input, asl::EvalScope(context(run, token), &variables));
  }
  if (!effective.ok()) return state_failed(run, runtime_failure(run, effective.error()));
  detail::RunVariables variables(run);
  asl::EvalScope ctx(context(run, token), &variables);

  req.timeout_seconds = st.timeout_seconds;
  req.heartbeat_seconds = st.heartbeat_seconds;
  if (st.jsonata.timeout_seconds) {
    auto n = evaluate_integer(run, *st.jsonata.timeout_seconds, 1);
    if (!n.ok()) return state_failed(run, runtime_failure(run, n.error()));
    req.timeout_seconds = *n;
  }
  if (st.jsonata.heartbeat_seconds) {
    auto n = evaluate_integer(run, *st.jsonata.heartbeat_seconds, 1);
    if (!n.ok()) return state_failed(run, runtime_failure(run, n.error()));
    req.heartbeat_seconds = *n;
  }
  if (st.timeout_seconds_path) {
    req.timeout_seconds = detail::integer_at(*st.timeout_seconds_path, run.input, ctx, 1);
    if (!req.timeout_seconds) {
      return state_failed(
          run, runtime_failure(run, Error{ErrorCode::kStatesRuntime,
                                          "The TimeoutSecondsPath parameter does not reference a "
                                          "positive integer value: " +
                                              st.timeout_seconds_path->text()}));
    }
  }
  if (st.heartbeat_seconds_path) {
    req.heartbeat_seconds = detail::integer_at(*st.heartbeat_seconds_path, run.input, ctx, 1);
    if (!req.heartbeat_seconds) {
      return state_failed(
          run, runtime_failure(run, Error{ErrorCode::kStatesRuntime,
                                          "The HeartbeatSecondsPath parameter does not reference "
                                          "a positive integer value: " +
                                              st.heartbeat_seconds_path->text()}));
    }
  }
  req.input = std::move(effective).value();
  req.execution_arn = info_.execution_arn;
  req.state_name = st.name;
  req.retry_count = run.retry_count;
  req.invocation = task_invocations_[st.name]++;
  req.inspect_exchange = test_ && test_inspects_exchange();

  Object d;
  std::string text = recording() ? json::serialize(req.input) : std::string();
  HistoryEventType type = HistoryEventType::kTaskScheduled;
  switch (req.parsed.family) {
    case TaskFamily::kService:
      d.set("resourceType", Value(req.parsed.resource_type));
      d.set("resource", Value(req.parsed.resource));
      d.set("region", Value(info_.region));
      d.set("parameters", Value(std::move(text)));
      break;
    case TaskFamily::kActivity:
      type = HistoryEventType::kActivityScheduled;
      d.set("resource", Value(req.resource));
      d.set("input", Value(std::move(text)));
      d.set("inputDetails", not_truncated());
      break;
    case TaskFamily::kLambdaFunction:
      type = HistoryEventType::kLambdaFunctionScheduled;
      d.set("resource", Value(req.resource));
      d.set("input", Value(std::move(text)));
      d.set("inputDetails", not_truncated());
      break;
  }
  if (req.timeout_seconds) d.set("timeoutInSeconds", Value(*req.timeout_seconds));
  if (req.heartbeat_seconds && req.parsed.family != TaskFamily::kLambdaFunction)
    d.set("heartbeatInSeconds", Value(*req.heartbeat_seconds));
  if (!req.task_token.empty()) {
    next_record_ = json::serialize(Value(Object{{"taskToken", Value(req.task_token)}}));
  }
  run.scheduled_event_id = emit(&run, type, Value(std::move(d)));
  req.scheduled_event_id = run.scheduled_event_id;

  auto handle = std::make_shared<TaskHandle>();
  handle->execution_ = weak_from_this();
  handle->run_ = run.weak_from_this();
  handle->token_ = req.task_token;
  run.task = handle;
  run.task_started_event = false;
  run.request = std::move(req);
  auto self = run.shared_from_this();
  if (run.request.timeout_seconds)
    run.timeout_timer =
        schedule(self, now_ + *run.request.timeout_seconds * 1000, &Execution::task_timed_out);
  if (run.request.heartbeat_seconds) {
    run.heartbeat_deadline = now_ + *run.request.heartbeat_seconds * 1000;
    run.heartbeat_timer = schedule(self, run.heartbeat_deadline, &Execution::task_heartbeat_missed);
  }
  // A replay does not start the task again here: whether it was answered is in the history, and
  // one still in flight when the replay ends is handed over then (go_live).
  if (!replaying()) deliver_task(run, nullptr);
}

void Execution::deliver_task(Run& run, const TaskProgress* progress) {
  run.request.after_restart = resumed_;
  auto handle = run.task;
  handle->delivered_ = true;
  bool under_way = progress != nullptr &&
                   (progress->submitted.has_value() ||
                    (run.request.parsed.family == TaskFamily::kActivity && progress->started));
  if (under_way) {
    services_.tasks->resume(run.request, *progress, std::move(handle));
  } else {
    services_.tasks->start(run.request, std::move(handle));
  }
}

std::shared_ptr<Run> Execution::task_run(TaskHandle& handle) {
  auto run = handle.run_.lock();
  if (!run || run->finished || run->task.get() != &handle) return nullptr;
  return run;
}

void Execution::emit_task_started(Run& run, const std::string& worker) {
  if (run.task_started_event) return;
  run.task_started_event = true;
  if (replaying()) {
    TaskProgress& p = replay_->progress[run.scheduled_event_id];
    p.started = true;
    p.worker_name = worker;
  }
  switch (run.request.parsed.family) {
    case TaskFamily::kService:
      emit(&run, HistoryEventType::kTaskStarted,
           Value(Object{{"resourceType", Value(run.request.parsed.resource_type)},
                        {"resource", Value(run.request.parsed.resource)}}));
      break;
    case TaskFamily::kActivity: {
      Object d;
      if (!worker.empty()) d.set("workerName", Value(worker));
      emit(&run, HistoryEventType::kActivityStarted, Value(std::move(d)));
      break;
    }
    case TaskFamily::kLambdaFunction:
      emit(&run, HistoryEventType::kLambdaFunctionStarted, Value());
      break;
  }
}

void Execution::on_task_started(TaskHandle& handle, std::string worker) {
  handle.started_ = true;
  dispatch([this, h = handle.shared_from_this(), worker = std::move(worker)] {
    if (auto run = task_run(*h)) emit_task_started(*run, worker);
  });
}

void Execution::on_task_submitted(TaskHandle& handle, Value output) {
  handle.started_ = true;
  dispatch([this, h = handle.shared_from_this(), out = std::move(output)]() mutable {
    auto run = task_run(*h);
    if (!run) return;
    emit_task_started(*run, "");
    if (run->request.parsed.family != TaskFamily::kService) return;
    if (replaying()) replay_->progress[run->scheduled_event_id].submitted = out;
    Object d;
    if (recording()) {
      d.set("resourceType", Value(run->request.parsed.resource_type));
      d.set("resource", Value(run->request.parsed.resource));
      d.set("output", Value(json::serialize(out)));
      d.set("outputDetails", not_truncated());
    }
    emit(run.get(), HistoryEventType::kTaskSubmitted, Value(std::move(d)));
  });
}

void Execution::on_task_succeeded(TaskHandle& handle, Value output) {
  handle.started_ = true;
  handle.active_ = false;
  dispatch([this, h = handle.shared_from_this(), out = std::move(output)]() mutable {
    auto run = task_run(*h);
    if (!run) return;
    emit_task_started(*run, "");
    cancel_task(*run);
    const auto& parsed = run->request.parsed;
    Object d;
    HistoryEventType type = HistoryEventType::kTaskSucceeded;
    if (parsed.family == TaskFamily::kService) {
      d.set("resourceType", Value(parsed.resource_type));
      d.set("resource", Value(parsed.resource));
    } else {
      type = parsed.family == TaskFamily::kActivity ? HistoryEventType::kActivitySucceeded
                                                    : HistoryEventType::kLambdaFunctionSucceeded;
    }
    if (recording()) {
      d.set("output", Value(json::serialize(out)));
      d.set("outputDetails", not_truncated());
    }
    emit(run.get(), type, Value(std::move(d)));
    run->generation++;
    if (test_) test_task_result(out);
    leave(*run,
          result_exit(*run, std::move(out), parsed.wait_for_task_token ? &h->token_ : nullptr));
  });
}

void Execution::on_task_failed(TaskHandle& handle, std::string error, std::string cause) {
  handle.started_ = true;
  handle.active_ = false;
  dispatch([this, h = handle.shared_from_this(), error = std::move(error),
            cause = std::move(cause)]() mutable {
    auto run = task_run(*h);
    if (!run) return;
    emit_task_started(*run, "");
    cancel_task(*run);
    const auto& parsed = run->request.parsed;
    Value d = error_details(error, cause);
    HistoryEventType type = HistoryEventType::kTaskFailed;
    if (parsed.family == TaskFamily::kService) {
      d.as_object().set("resourceType", Value(parsed.resource_type));
      d.as_object().set("resource", Value(parsed.resource));
    } else {
      type = parsed.family == TaskFamily::kActivity ? HistoryEventType::kActivityFailed
                                                    : HistoryEventType::kLambdaFunctionFailed;
    }
    emit(run.get(), type, std::move(d));
    run->generation++;
    state_failed(*run, Failure{std::move(error), std::move(cause)});
  });
}

void Execution::on_task_heartbeat(TaskHandle& handle) {
  dispatch([this, h = handle.shared_from_this()] {
    auto run = task_run(*h);
    if (!run) return;
    if (!run->request.heartbeat_seconds) return;
    if (services_.sink) {
      services_.sink->on_task_heartbeat(info_.execution_arn,
                                        TaskHeartbeatRecord{run->scheduled_event_id, now_});
    }
    cancel_timer(run->heartbeat_timer);
    run->heartbeat_deadline = now_ + *run->request.heartbeat_seconds * 1000;
    run->heartbeat_timer =
        schedule(run, run->heartbeat_deadline, &Execution::task_heartbeat_missed);
  });
}

void Execution::task_timed_out(Run& run) {
  run.timeout_timer = 0;
  task_timeout_error(run, false);
}

void Execution::task_heartbeat_missed(Run& run) {
  if (now_ < run.heartbeat_deadline) return;  // superseded by a heartbeat
  run.heartbeat_timer = 0;
  task_timeout_error(run, true);
}

// Both deadlines fail the task with States.Timeout, as AWS records either in the *TimedOut event
// and the execution's error; only Retry and Catch tell a lapsed heartbeat apart.
void Execution::task_timeout_error(Run& run, bool heartbeat) {
  const char* error = "States.Timeout";
  if (!run.task || !run.task->active_) return;
  cancel_task(run);
  const auto& parsed = run.request.parsed;
  Value d = error_details(error, "");
  HistoryEventType type = HistoryEventType::kTaskTimedOut;
  if (parsed.family == TaskFamily::kService) {
    d.as_object().set("resourceType", Value(parsed.resource_type));
    d.as_object().set("resource", Value(parsed.resource));
  } else {
    type = parsed.family == TaskFamily::kActivity ? HistoryEventType::kActivityTimedOut
                                                  : HistoryEventType::kLambdaFunctionTimedOut;
  }
  emit(&run, type, std::move(d));
  run.generation++;
  state_failed(run, Failure{error, "", heartbeat});
}

// ---------------------------------------------------------------------------------------------
// Parallel and Map.

void Execution::run_parallel(Run& run) {
  const asl::State& st = run.st();
  run.generation++;
  if (run.fan) retired_.push_back(std::shared_ptr<Fanout>(std::move(run.fan)));
  Result<Value> effective = Value();
  if (st.language == asl::QueryLanguage::kJsonata) {
    effective = st.jsonata.arguments ? evaluate_field(run, *st.jsonata.arguments)
                                     : Result<Value>(run.input);
  } else {
    detail::RunVariables variables(run);
    effective = asl::process_input(st.io, run.input, asl::EvalScope(context(run), &variables));
  }
  if (!effective.ok()) return state_failed(run, runtime_failure(run, effective.error()));
  if (test_) return test_mocked_flow(run, nullptr, nullptr);
  int64_t started = emit(&run, HistoryEventType::kParallelStateStarted, Value());
  auto fan = std::make_unique<Fanout>();
  fan->results.assign(st.branches.size(), Value());
  fan->last_event_id = started;
  for (std::size_t i = 0; i < st.branches.size(); ++i) {
    auto child = std::make_shared<Run>();
    child->machine = st.branches[i].get();
    child->parent = &run;
    child->slot = i;
    child->last_event_id = started;
    fan->children.push_back(child);
    queue_enter(child, child->machine->start_at, *effective);
  }
  fan->running = st.branches.size();
  run.fan = std::move(fan);
}

void Execution::run_map(Run& run) {
  const asl::State& st = run.st();
  run.generation++;
  if (run.fan) retired_.push_back(std::shared_ptr<Fanout>(std::move(run.fan)));
  // The items come from an ItemReader: S3, which Sluice does not serve (execution_map_run.cpp).
  // (TestState may give the items read: mapItemReaderData.)
  const Value* read = test_ && !st.item_reader_resource.empty() ? test_reader_items() : nullptr;
  if (!st.item_reader_resource.empty() && !read) return item_reader_failed(run);
  if (st.language == asl::QueryLanguage::kJsonata) return run_jsonata_map(run);
  detail::RunVariables variables(run);
  asl::EvalScope ctx(context(run), &variables);
  auto effective = asl::apply_input_path(st.io.input_path, run.input, ctx);
  if (!effective.ok()) return state_failed(run, runtime_failure(run, effective.error()));
  auto fail = [&](std::string message) {
    state_failed(run, runtime_failure(run, Error{ErrorCode::kStatesRuntime, std::move(message)}));
  };

  Value items;
  if (read) {
    items = *read;
  } else if (st.items_path && !st.items_path->is_input()) {
    auto selected = st.items_path->select(*effective, ctx);
    if (!selected) {
      return fail("Invalid path '" + st.items_path->text() +
                  "' : No results for path: " + st.items_path->canonical());
    }
    items = std::move(*selected);
  } else {
    items = *effective;
  }
  if (!items.is_array()) {
    return fail("Item Path '" + (st.items_path ? st.items_path->text() : std::string("$")) +
                "' must resolve to a JSON array, but it resolved to " +
                std::string(json::type_name(items.type())));
  }
  auto fan = std::make_unique<Fanout>();
  fan->is_map = true;
  fan->max_concurrency = static_cast<std::size_t>(st.max_concurrency);
  if (st.max_concurrency_path) {
    auto selected = st.max_concurrency_path->select(*effective, ctx);
    if (!selected) {
      return fail("Invalid path '" + st.max_concurrency_path->text() +
                  "' : No results for path: " + st.max_concurrency_path->canonical());
    }
    // AWS's two causes: a value that is no integer (quoted as found; a string holding one is
    // taken), and a negative one.
    auto n = detail::integer_at(*st.max_concurrency_path, *effective, ctx,
                                std::numeric_limits<int64_t>::min());
    if (!n) {
      return fail("The MaxConcurrencyPath field refers to value \"" + plain_text(*selected) +
                  "\" which is not a valid integer: " + st.max_concurrency_path->text());
    }
    if (*n < 0) {
      return fail("Expected non-negative integer for MaxConcurrency, got '" + std::to_string(*n) +
                  "' instead.");
    }
    fan->max_concurrency = static_cast<std::size_t>(*n);
  }
  fan->tolerated_count = st.tolerated_failure_count;
  if (st.tolerated_failure_count_path) {
    fan->tolerated_count = detail::integer_at(*st.tolerated_failure_count_path, *effective, ctx, 0);
    if (!fan->tolerated_count) {
      return fail(
          "The ToleratedFailureCountPath field refers to value that is not a "
          "non-negative integer: " +
          st.tolerated_failure_count_path->text());
    }
  }
  fan->tolerated_percentage = st.tolerated_failure_percentage;
  if (st.tolerated_failure_percentage_path) {
    auto v = st.tolerated_failure_percentage_path->select(*effective, ctx);
    if (!v || !v->is_number() || v->as_number() < 0 || v->as_number() > 100) {
      return fail(
          "The ToleratedFailurePercentagePath field refers to value that is not a "
          "number between 0 and 100: " +
          st.tolerated_failure_percentage_path->text());
    }
    fan->tolerated_percentage = v->as_number();
  }
  fan->map_input = std::move(effective).value();
  if (st.map_mode == asl::MapMode::kDistributed)
    return start_map_run(run, std::move(fan), std::move(items.as_array()));
  start_map(run, std::move(fan), std::move(items.as_array()));
}

void Execution::run_jsonata_map(Run& run) {
  const asl::State& st = run.st();
  const asl::JsonataFields& f = st.jsonata;
  const Value* read = test_ && !st.item_reader_resource.empty() ? test_reader_items() : nullptr;
  Result<Value> items = read      ? Result<Value>(*read)
                        : f.items ? evaluate_field(run, *f.items)
                                  : Result<Value>(run.input);
  if (!items.ok()) return state_failed(run, runtime_failure(run, items.error()));
  if (!items->is_array()) {
    Error e = make_error(
        ErrorCode::kStatesQueryEvaluationError,
        (f.items && !f.items->text().empty()
             ? "The JSONata expression '" + f.items->text() + "' specified for the field 'Items'"
             : std::string("The field 'Items'")) +
            " must evaluate to a JSON array, but it evaluated to " +
            std::string(json::type_name(items->type())) + ".");
    e.location = "Items";
    return state_failed(run, runtime_failure(run, e));
  }
  auto fan = std::make_unique<Fanout>();
  fan->is_map = true;
  fan->max_concurrency = static_cast<std::size_t>(st.max_concurrency);
  if (f.max_concurrency) {
    auto n = evaluate_integer(run, *f.max_concurrency, 0);
    if (!n.ok()) return state_failed(run, runtime_failure(run, n.error()));
    fan->max_concurrency = static_cast<std::size_t>(*n);
  }
  fan->tolerated_count = st.tolerated_failure_count;
  if (f.tolerated_failure_count) {
    auto n = evaluate_integer(run, *f.tolerated_failure_count, 0);
    if (!n.ok()) return state_failed(run, runtime_failure(run, n.error()));
    fan->tolerated_count = *n;
  }
  fan->tolerated_percentage = st.tolerated_failure_percentage;
  if (f.tolerated_failure_percentage) {
    auto v = evaluate_field(run, *f.tolerated_failure_percentage);
    if (!v.ok()) return state_failed(run, runtime_failure(run, v.error()));
    if (!v->is_number() || v->as_number() < 0 || v->as_number() > 100) {
      Error e = make_error(ErrorCode::kStatesQueryEvaluationError,
                           "The JSONata expression '" + f.tolerated_failure_percentage->text() +
                               "' specified for the field 'ToleratedFailurePercentage' must "
                               "evaluate to a number between 0 and 100, but it evaluated to " +
                               json::serialize(*v) + ".");
      e.location = "ToleratedFailurePercentage";
      return state_failed(run, runtime_failure(run, e));
    }
    fan->tolerated_percentage = v->as_number();
  }
  if (st.map_mode == asl::MapMode::kDistributed)
    return start_map_run(run, std::move(fan), std::move(items->as_array()));
  start_map(run, std::move(fan), std::move(items->as_array()));
}

void Execution::start_map(Run& run, std::unique_ptr<Fanout> fan, json::Array items) {
  fan->tolerance = fan->tolerated_count.has_value() || fan->tolerated_percentage.has_value();
  if (test_) return test_mocked_flow(run, fan.get(), &items);
  std::size_t n = items.size();
  fan->items = std::move(items);
  fan->results.assign(n, Value());
  fan->children.resize(n);
  int64_t started = emit(&run, HistoryEventType::kMapStateStarted,
                         Value(Object{{"length", Value(static_cast<int64_t>(n))}}));
  fan->last_event_id = started;
  Fanout* f = fan.get();
  run.fan = std::move(fan);
  if (n == 0) return fanout_succeeded(run);
  std::size_t first = f->max_concurrency == 0 ? n : std::min(n, f->max_concurrency);
  for (std::size_t i = 0; i < first; ++i) {
    launch_iteration(run, f->next++, started);
    if (f->closed) return;  // the Map failed while launching
  }
}

void Execution::launch_iteration(Run& parent, std::size_t index, int64_t previous) {
  Fanout& fan = *parent.fan;
  const asl::State& st = parent.st();
  int64_t started = emit(nullptr, HistoryEventType::kMapIterationStarted,
                         iteration_details(st.name, index), previous);
  fan.running++;
  auto selected = select_item(parent, fan, index, fan.items[index]);
  if (!selected.ok()) {
    return fanout_failed(parent, runtime_failure(parent, selected.error()), started);
  }
  Value input = std::move(selected).value();
  auto child = std::make_shared<Run>();
  child->machine = st.item_processor.get();
  child->parent = &parent;
  child->slot = index;
  child->last_event_id = started;
  fan.children[index] = child;
  queue_enter(child, child->machine->start_at, std::move(input));
}

Result<Value> Execution::select_item(Run& run, const Fanout& fan, std::size_t index,
                                     const Value& value) {
  const asl::State& st = run.st();
  if (!st.io.parameters && !st.jsonata.item_selector) return value;
  Value item(Object{{"Index", Value(static_cast<int64_t>(index))}, {"Value", value}});
  if (st.jsonata.item_selector)
    return evaluate_field(run, *st.jsonata.item_selector, nullptr, nullptr, nullptr, &item);
  detail::RunVariables variables(run);
  return st.io.parameters->evaluate(fan.map_input,
                                    asl::EvalScope(context(run, nullptr, &item), &variables));
}

void Execution::child_succeeded(Run& parent, Run& child, Value output) {
  Fanout& fan = *parent.fan;
  fan.results[child.slot] = std::move(output);
  fan.done++;
  fan.running--;
  if (!fan.is_map) {
    fan.last_event_id = child.last_event_id;
  } else {
    fan.last_event_id = emit(nullptr, HistoryEventType::kMapIterationSucceeded,
                             iteration_details(parent.st().name, child.slot), child.last_event_id);
    if (fan.next < fan.items.size()) {
      launch_iteration(parent, fan.next++, child.last_event_id);
      return;  // the iteration just launched has not finished: done < size
    }
  }
  if (fan.done == fan.results.size()) fanout_succeeded(parent);
}

void Execution::child_failed(Run& parent, Run& child, Failure failure) {
  Fanout& fan = *parent.fan;
  if (!fan.is_map) return fanout_failed(parent, std::move(failure), child.last_event_id);
  int64_t failed_id = emit(nullptr, HistoryEventType::kMapIterationFailed,
                           iteration_details(parent.st().name, child.slot), child.last_event_id);
  fan.done++;
  fan.running--;
  fan.failed++;
  if (fan.tolerance) {
    bool exceeded =
        (fan.tolerated_count && static_cast<int64_t>(fan.failed) > *fan.tolerated_count) ||
        (fan.tolerated_percentage &&
         static_cast<double>(fan.failed) * 100.0 / static_cast<double>(fan.items.size()) >
             *fan.tolerated_percentage);
    if (!exceeded) {
      Object err;
      err.set("Error", Value(failure.error));
      if (!failure.cause.empty()) err.set("Cause", Value(failure.cause));
      fan.results[child.slot] = Value(std::move(err));
      fan.last_event_id = failed_id;
      if (fan.next < fan.items.size()) {
        launch_iteration(parent, fan.next++, child.last_event_id);
        return;
      }
      if (fan.done == fan.results.size()) fanout_succeeded(parent);
      return;
    }
    failure = Failure{"States.ExceedToleratedFailureThreshold",
                      "The specified tolerated failure threshold was exceeded"};
  }
  fanout_failed(parent, std::move(failure), failed_id);
}

void Execution::fanout_succeeded(Run& parent) {
  bool is_map = parent.fan->is_map;
  parent.last_event_id = parent.fan->last_event_id;
  emit(&parent,
       is_map ? HistoryEventType::kMapStateSucceeded : HistoryEventType::kParallelStateSucceeded,
       Value());
  Value results(std::move(parent.fan->results));
  retired_.push_back(std::shared_ptr<Fanout>(std::move(parent.fan)));
  parent.generation++;
  leave(parent, result_exit(parent, std::move(results)));
}

void Execution::fanout_failed(Run& parent, Failure failure, int64_t previous) {
  Fanout& fan = *parent.fan;
  fan.closed = true;
  for (auto& child : fan.children) {
    if (child) abandon(*child);
  }
  parent.last_event_id = previous;
  emit(&parent,
       fan.is_map ? HistoryEventType::kMapStateFailed : HistoryEventType::kParallelStateFailed,
       Value());
  parent.generation++;
  state_failed(parent, std::move(failure));
}

}  // namespace sluice::engine::executor
