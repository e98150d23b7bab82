// Resume and redrive (execution.h, history_sink.h): an Execution rebuilt from its stored history
// by deterministic replay. The executor runs the definition again from ExecutionStarted, step by
// step, in lockstep with the stored events: every event it records must be the next stored one
// (same type, same previous event), which is then taken as is (not recorded again). What the
// stored history shows came from outside (a task's answer, a timer firing, StopExecution,
// RedriveExecution) is fed in at the point where its event comes: a task answer is fed before
// the next queued step (an answer given inside TaskHandler::start() runs right after that step,
// see Execution::dispatch), anything else when no step is queued (timers and API calls only
// happen between steps). During the replay nothing leaves the Execution: no TaskHandler calls,
// no timers (they are kept aside with their due times), no sink calls. When the stored events
// run out the Execution goes live: the timers still pending are scheduled at their original due
// times and the tasks still in flight go back to the TaskHandler.
#include <algorithm>

#include "engine/executor/execution.h"
#include "engine/executor/run.h"
#include "engine/json/json_parse.h"
#include "engine/json/json_serialize.h"

namespace sluice::engine::executor {

using detail::Fanout;
using detail::Run;
using detail::RunOutcome;
using json::Object;
using json::Value;
using T = HistoryEventType;

namespace {

// Events a TaskHandle answer records first.
bool is_answer(T t) {
  switch (t) {
    case T::kTaskStarted:
    case T::kActivityStarted:
    case T::kLambdaFunctionStarted:
    case T::kTaskSubmitted:
    case T::kTaskSucceeded:
    case T::kActivitySucceeded:
    case T::kLambdaFunctionSucceeded:
    case T::kTaskFailed:
    case T::kActivityFailed:
    case T::kLambdaFunctionFailed:
    case T::kMapRunSucceeded:  // a MapRunHandle's answers
    case T::kMapRunFailed:
      return true;
    default:
      return false;
  }
}

bool is_timed_out(T t) {
  return t == T::kTaskTimedOut || t == T::kActivityTimedOut || t == T::kLambdaFunctionTimedOut;
}

std::string string_member(const Value& details, std::string_view key) {
  if (!details.is_object()) return {};
  const Value* v = details.as_object().find(key);
  return v != nullptr && v->is_string() ? v->as_string() : std::string();
}

std::optional<Value> output_member(const Value& details) {
  if (!details.is_object()) return std::nullopt;
  const Value* v = details.as_object().find("output");
  if (v == nullptr || !v->is_string()) return std::nullopt;
  auto parsed = json::parse(v->as_string());
  if (!parsed.ok()) return std::nullopt;
  return std::move(parsed).value();
}

std::string describe(const HistoryEvent& e) {
  return std::string(history_event_type_name(e.type)) + " (previous event " +
         std::to_string(e.previous_event_id) + ")";
}

}  // namespace

std::shared_ptr<Execution> Execution::restore(std::shared_ptr<const asl::StateMachine> machine,
                                              ExecutionInfo info, Value input,
                                              ExecutionServices services, ExecutionOptions options,
                                              PersistedHistory history) {
  auto ex =
      create(std::move(machine), std::move(info), std::move(input), std::move(services), options);
  ex->replay_ = std::make_unique<detail::Replay>();
  ex->replay_->events = std::move(history.events);
  for (const TaskHeartbeatRecord& beat : history.heartbeats) {
    int64_t& last = ex->replay_->heartbeats[beat.scheduled_event_id];
    last = std::max(last, beat.at_ms);
  }
  return ex;
}

Status Execution::resume() {
  if (started_ || replay_ == nullptr) {
    return make_error(ErrorCode::kInternal, "resume() is for an execution made by restore()");
  }
  started_ = true;
  resumed_ = true;
  auto keep_alive = shared_from_this();
  Status replayed = replay();
  if (!replayed.ok()) {
    if (!replay_->divergence.empty()) {
      fail_unresumable(replayed.error().message);  // the stored part stands; the execution fails
    } else {
      replay_.reset();  // not a history at all: nothing happens
    }
    draining_ = false;
    return replayed;
  }
  go_live();
  draining_ = false;
  drain();
  return {};
}

Status Execution::redrive() {
  if (started_ || replay_ == nullptr) {
    return make_error(ErrorCode::kInternal, "redrive() is for an execution made by restore()");
  }
  started_ = true;
  auto keep_alive = shared_from_this();
  replay_->hold_at_end = true;
  Status replayed = replay();
  if (replayed.ok() && (outcome_.status == ExecutionStatus::kRunning ||
                        outcome_.status == ExecutionStatus::kSucceeded)) {
    replayed =
        make_error(ErrorCode::kInternal, "the history does not end FAILED, TIMED_OUT or ABORTED");
  }
  if (!replayed.ok()) {
    replay_.reset();
    work_.clear();
    urgent_.clear();
    draining_ = false;
    return replayed;
  }
  go_live();
  now_ = services_.clock->now_ms();
  begin_redrive(redrive_count_ + 1);
  draining_ = false;
  drain();
  return {};
}

// ---------------------------------------------------------------------------------------------
// The replay loop.

Status Execution::replay() {
  detail::Replay& r = *replay_;
  if (r.events.empty() || r.events[0].type != T::kExecutionStarted) {
    return make_error(ErrorCode::kInternal, "a stored history starts with ExecutionStarted");
  }
  for (std::size_t i = 0; i < r.events.size(); ++i) {
    if (r.events[i].id != static_cast<int64_t>(i) + 1) {
      return make_error(ErrorCode::kInternal, "stored event ids must run 1, 2, 3, ... (event #" +
                                                  std::to_string(i + 1) + " has id " +
                                                  std::to_string(r.events[i].id) + ")");
    }
  }
  r.owners.resize(r.events.size());
  replaying_ = true;
  draining_ = true;
  now_ = r.events[0].timestamp_ms;
  begin();
  while (replaying_ && r.divergence.empty() && r.pos < r.events.size()) {
    const HistoryEvent& next = r.events[r.pos];
    if (is_answer(next.type) || (work_.empty() && urgent_.empty())) {
      now_ = next.timestamp_ms;
      if (!inject(next)) {
        diverge("nothing in the execution can produce event #" + std::to_string(next.id) + ", " +
                describe(next));
        break;
      }
    }
    run_step();
  }
  if (!r.divergence.empty()) {
    return make_error(ErrorCode::kInternal, "the stored history of " + info_.execution_arn +
                                                " does not replay: " + r.divergence);
  }
  replaying_ = false;
  return {};
}

void Execution::replay_match(Run* run, HistoryEvent& ev) {
  detail::Replay& r = *replay_;
  if (!r.divergence.empty()) return;
  if (r.pos >= r.events.size()) {
    diverge("the execution goes on after the last stored event with " +
            std::string(history_event_type_name(ev.type)));
    return;
  }
  const HistoryEvent& stored = r.events[r.pos];
  bool same = stored.type == ev.type && stored.previous_event_id == ev.previous_event_id;
  if (same) {
    std::string name = string_member(ev.details, "name");
    same = name.empty() || name == string_member(stored.details, "name");
  }
  if (!same) {
    diverge("event #" + std::to_string(stored.id) + " is " + describe(stored) +
            " but the definition produces " + describe(ev));
    return;
  }
  if (run != nullptr) r.owners[r.pos] = run->weak_from_this();
  r.exited_output.reset();
  r.exited_assigned.reset();
  if (history_event_details_member(stored.type) == "stateExitedEventDetails" &&
      stored.details.is_object()) {
    const Object& d = stored.details.as_object();
    if (const Value* out = d.find("output"); out != nullptr && out->is_string())
      r.exited_output = out->as_string();
    if (const Value* vars = d.find("assignedVariables"); vars != nullptr && vars->is_object())
      r.exited_assigned = vars->as_object();
  }
  // Nothing reads a stored event once it is reproduced: it moves to history().
  if (options_.keep_history) history_.push_back(std::move(r.events[r.pos]));
  ++r.pos;
  // Resume: the rest of this step, and everything after it, is new.
  if (r.pos == r.events.size() && !r.hold_at_end) replaying_ = false;
}

void Execution::adopt_recorded_exit(Value& output, Object& assigned,
                                    std::vector<std::pair<std::string, std::string>>& texts) {
  detail::Replay& r = *replay_;
  if (r.exited_output) {
    if (auto recorded = json::parse(*r.exited_output); recorded.ok())
      output = std::move(recorded).value();
  }
  if (r.exited_assigned) {
    Object values;
    std::vector<std::pair<std::string, std::string>> recorded_texts;
    for (const auto& [name, text] : *r.exited_assigned) {
      if (!text.is_string()) return;
      auto v = json::parse(text.as_string());
      if (!v.ok()) return;  // not ours: keep what the replay computed
      values.set(name, std::move(v).value());
      recorded_texts.emplace_back(name, text.as_string());
    }
    assigned = std::move(values);
    texts = std::move(recorded_texts);
  }
  r.exited_output.reset();
  r.exited_assigned.reset();
}

void Execution::diverge(std::string why) {
  if (replay_->divergence.empty()) replay_->divergence = std::move(why);
}

std::shared_ptr<Run> Execution::owner_of(int64_t event_id) const {
  const auto& owners = replay_->owners;
  if (event_id < 1 || static_cast<std::size_t>(event_id) > owners.size()) return nullptr;
  return owners[static_cast<std::size_t>(event_id) - 1].lock();
}

bool Execution::inject(const HistoryEvent& next) {
  if (is_answer(next.type)) return inject_answer(next);
  switch (next.type) {
    case T::kExecutionAborted:
      if (outcome_.status != ExecutionStatus::kRunning) return false;
      finish(ExecutionStatus::kAborted, std::nullopt,
             Failure{string_member(next.details, "error"), string_member(next.details, "cause")},
             T::kExecutionAborted, last_event_id_);
      return true;
    case T::kExecutionTimedOut:
      return machine_timer_ != 0 && fire_deferred(machine_timer_);
    case T::kMapRunAborted: {
      // Recorded right before the ExecutionAborted or ExecutionTimedOut that ended the map run
      // (abort_map_runs): that event, injected, records them again.
      const auto& events = replay_->events;
      for (std::size_t i = replay_->pos + 1; i < events.size(); ++i) {
        if (events[i].type == T::kMapRunAborted) continue;
        if (events[i].type != T::kExecutionAborted && events[i].type != T::kExecutionTimedOut)
          return false;
        return inject(events[i]);
      }
      return false;
    }
    case T::kExecutionRedriven: {
      if (outcome_.status == ExecutionStatus::kRunning ||
          outcome_.status == ExecutionStatus::kSucceeded)
        return false;
      const Value* count =
          next.details.is_object() ? next.details.as_object().find("redriveCount") : nullptr;
      if (count == nullptr || !count->is_int()) return false;
      begin_redrive(count->as_int());
      return true;
    }
    default:
      break;
  }
  // A Run's own timer: a Wait ending, a retry back-off ending, a task timing out.
  auto run = owner_of(next.previous_event_id);
  if (!run || run->finished) return false;
  if (is_timed_out(next.type)) {
    // Both deadlines record States.Timeout (histories stored before that say
    // States.HeartbeatTimeout for a heartbeat). The task's TimeoutSeconds timer fires exactly at
    // its due time, so a timeout recorded before that due time was the heartbeat's.
    bool heartbeat = string_member(next.details, "error") == "States.HeartbeatTimeout";
    if (!heartbeat && run->heartbeat_timer != 0) {
      auto timeout = replay_->timers.find(run->timeout_timer);
      heartbeat = run->timeout_timer == 0 || timeout == replay_->timers.end() ||
                  next.timestamp_ms < timeout->second.at_ms;
    }
    TimerId id = heartbeat ? run->heartbeat_timer : run->timeout_timer;
    return id != 0 && fire_deferred(id);
  }
  return run->timer != 0 && fire_deferred(run->timer);
}

bool Execution::inject_answer(const HistoryEvent& next) {
  if (next.type == T::kMapRunSucceeded || next.type == T::kMapRunFailed) {
    auto run = owner_of(next.previous_event_id);
    if (!run || run->finished || !run->map_run || !run->map_run->active()) return false;
    if (next.type == T::kMapRunFailed) {
      return run->map_run->fail(string_member(next.details, "error"),
                                string_member(next.details, "cause"));
    }
    // The results the live run had are in the event's resume record.
    auto record = json::parse(next.resume_record);
    if (!record.ok() || !record->is_object()) return false;
    Value* results = record->as_object().find("results");
    if (results == nullptr || !results->is_array()) return false;
    return run->map_run->succeed(std::move(results->as_array()));
  }
  auto run = owner_of(next.previous_event_id);
  if (!run || run->finished || !run->task || !run->task->active()) return false;
  TaskHandle& handle = *run->task;
  switch (next.type) {
    case T::kTaskStarted:
    case T::kLambdaFunctionStarted:
      return handle.started();
    case T::kActivityStarted:
      return handle.started(string_member(next.details, "workerName"));
    case T::kTaskSubmitted: {
      auto out = output_member(next.details);
      return out && handle.submitted(std::move(*out));
    }
    case T::kTaskSucceeded:
    case T::kActivitySucceeded:
    case T::kLambdaFunctionSucceeded: {
      auto out = output_member(next.details);
      return out && handle.succeed(std::move(*out));
    }
    default:
      return handle.fail(string_member(next.details, "error"),
                         string_member(next.details, "cause"));
  }
}

bool Execution::fire_deferred(TimerId id) {
  auto node = replay_->timers.extract(id);
  if (node.empty()) return false;
  node.mapped().fire();  // dispatches the timer's step: it runs next
  return true;
}

std::string Execution::replayed_task_token() {
  const detail::Replay& r = *replay_;
  if (r.pos < r.events.size() && !r.events[r.pos].resume_record.empty()) {
    auto record = json::parse(r.events[r.pos].resume_record);
    if (record.ok() && record->is_object()) {
      if (const Value* token = record->as_object().find("taskToken"); token && token->is_string())
        return token->as_string();
    }
  }
  // Not recorded: the task gets a new token (tokens are not compared; the replay goes on).
  return fresh_task_token();
}

template <class Fn>
void Execution::for_each_run(Run& run, const Fn& fn) {
  fn(run);
  if (!run.fan) return;
  for (auto& child : run.fan->children) {
    if (child) for_each_run(*child, fn);
  }
}

void Execution::go_live() {
  detail::Replay& r = *replay_;
  replaying_ = false;
  // Timers still pending: at their original due times (a passed one fires at once).
  auto timers = std::move(r.timers);
  r.timers.clear();
  for (auto& [deferred_id, t] : timers) {
    auto run = t.run.lock();
    int64_t at = t.at_ms;
    if (t.heartbeat && run && run->request.heartbeat_seconds) {
      auto beat = r.heartbeats.find(run->scheduled_event_id);
      if (beat != r.heartbeats.end()) {
        at = std::max(at, beat->second + *run->request.heartbeat_seconds * 1000);
        run->heartbeat_deadline = at;
      }
    }
    TimerId live = services_.timers->schedule(at, std::move(t.fire));
    if (machine_timer_ == deferred_id) {
      machine_timer_ = live;
    } else if (run && run->timer == deferred_id) {
      run->timer = live;
    } else if (run && run->timeout_timer == deferred_id) {
      run->timeout_timer = live;
    } else if (run && run->heartbeat_timer == deferred_id) {
      run->heartbeat_timer = live;
    } else {
      services_.timers->cancel(live);  // nothing refers to it any more
    }
  }
  // Tasks still in flight go back to the TaskHandler: resumed when under way, else sent again.
  // Map runs still running are asked for again: the service re-attaches to them.
  if (root_) {
    for_each_run(*root_, [&](Run& run) {
      if (!run.finished && run.map_run && run.map_run->active() && !run.map_run->delivered_) {
        deliver_map_run(run);
        return;
      }
      if (run.finished || !run.task || !run.task->active() || run.task->delivered_) return;
      auto progress = r.progress.find(run.scheduled_event_id);
      deliver_task(run, progress == r.progress.end() ? nullptr : &progress->second);
    });
  }
  replay_.reset();
}

void Execution::fail_unresumable(const std::string& why) {
  detail::Replay& r = *replay_;
  replaying_ = false;
  work_.clear();
  urgent_.clear();
  r.timers.clear();
  if (options_.keep_history) {
    // The reproduced prefix is in history() already; the rest of what is stored joins it.
    history_.resize(std::min(history_.size(), r.pos));
    history_.insert(history_.end(), r.events.begin() + static_cast<std::ptrdiff_t>(r.pos),
                    r.events.end());
  }
  last_event_id_ = static_cast<int64_t>(r.events.size());
  outcome_ = ExecutionOutcome{};
  now_ = services_.clock->now_ms();
  finish(ExecutionStatus::kFailed, std::nullopt,
         Failure{"States.Runtime", "The execution could not be resumed after a restart: " + why},
         T::kExecutionFailed, last_event_id_);
  replay_.reset();
}

// ---------------------------------------------------------------------------------------------
// Redrive.

void Execution::begin_redrive(int64_t count) {
  outcome_ = ExecutionOutcome{};
  redrive_count_ = count;
  redrive_ms_ = now_;
  if (ctx_.is_object()) {
    Object& ec = ctx_.as_object().find("Execution")->as_object();
    ec.set("RedriveCount", Value(count));
    ec.set("RedriveTime", Value(asl::format_timestamp_ms(now_)));
  }
  emit(nullptr, T::kExecutionRedriven, Value(Object{{"redriveCount", Value(count)}}),
       last_event_id_);
  arm_machine_timer(now_);  // AWS: the execution timeout counts again from the redrive
  if (root_) revive(root_);
}

void Execution::revive(const std::shared_ptr<Run>& run) {
  if (run->outcome == RunOutcome::kSucceeded) return;
  run->finished = false;
  run->outcome = RunOutcome::kActive;
  run->generation++;
  if (run->pending) {  // stopped between two states: take the transition
    work_.push_back([this, run] { take_pending(run); });
    return;
  }
  const asl::State& st = run->st();
  if (run->map_run_redrivable) return redrive_map_run(run);
  if (!run->map_request.map_run_arn.empty()) {
    // A Distributed Map whose map run cannot be redriven starts a new one: never the ARN of an
    // earlier attempt.
    run->map_attempt_base = run->map_request.attempt + 1;
  }
  Fanout* fan = run->fan.get();
  if (fan == nullptr || (st.type != asl::StateType::kParallel && st.type != asl::StateType::kMap)) {
    return rerun_state(run);
  }
  // Parallel or Map: only the branches and iterations that did not succeed run again.
  fan->closed = false;
  run->retry_count = 0;
  std::fill(run->attempts.begin(), run->attempts.end(), 0);
  std::size_t running = 0, done = 0;
  for (const auto& child : fan->children) {
    if (!child) continue;
    if (child->outcome == RunOutcome::kSucceeded) {
      ++done;
    } else {
      fan->results[child->slot] = Value();
      ++running;
    }
  }
  fan->running = running;
  fan->done = done;
  fan->failed = 0;
  for (const auto& child : fan->children) {
    if (child && child->outcome != RunOutcome::kSucceeded) revive(child);
  }
  if (fan->is_map) {
    // Iterations whose ItemSelector failed before they existed start again, then as many new
    // ones as MaxConcurrency allows.
    for (std::size_t i = 0; i < fan->next && !fan->closed; ++i) {
      if (!fan->children[i]) launch_iteration(*run, i, fan->last_event_id);
    }
    while (!fan->closed && fan->next < fan->items.size() &&
           (fan->max_concurrency == 0 || fan->running < fan->max_concurrency)) {
      launch_iteration(*run, fan->next++, fan->last_event_id);
    }
  }
  if (!fan->closed && fan->running == 0 && fan->done == fan->results.size()) {
    fanout_succeeded(*run);
  }
}

void Execution::rerun_state(const std::shared_ptr<Run>& run) {
  // AWS links the state's new events to its original entry.
  run->last_event_id = run->entered_event_id;
  run->retry_count = 0;
  std::fill(run->attempts.begin(), run->attempts.end(), 0);
  run->task.reset();
  if (run->fan) retired_.push_back(std::shared_ptr<Fanout>(std::move(run->fan)));
  uint64_t gen = ++run->generation;
  work_.push_back([this, run, gen] {
    if (!run->finished && run->generation == gen) execute(*run);
  });
}

}  // namespace sluice::engine::executor
