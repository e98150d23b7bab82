// See execution_runner.h.
#include "broker/states/executions/execution_runner.h"

#include <cstdio>

#include "broker/states/resource_name.h"
#include "broker/states/states_arn.h"
#include "broker/states/wire_format.h"
#include "engine/executor/redrive.h"
#include "engine/json/json_parse.h"
#include "engine/json/json_serialize.h"
#include "storage/group_committer.h"
#include "storage/lmdb/environment.h"
#include "storage/random_id.h"

namespace sluice::states {

using engine::executor::Execution;
using engine::executor::ExecutionOutcome;
using engine::executor::ExecutionStatus;
using engine::executor::HistoryEvent;
using engine::executor::HistoryEventType;

namespace {

constexpr std::size_t kMaxInput = 262144;
constexpr int64_t kRetryDelayMs = 1000;
// RedriveExecution answers the same to the last 10 clientTokens for 15 minutes (AWS).
constexpr std::size_t kRedriveTokens = 10;
constexpr int64_t kRedriveTokenMs = 15 * 60 * 1000;

SfnError execution_missing(std::string_view arn) {
  return sfn_error("ExecutionDoesNotExist", "Execution Does Not Exist: '" + std::string(arn) + "'");
}

SfnError invalid_input(std::string why) {
  return sfn_error("InvalidExecutionInput", "Invalid State Machine Execution Input: '" + why + "'");
}

StoredOutcome stored(const ExecutionOutcome& o) {
  StoredOutcome s;
  s.status = o.status;
  s.stop_ms = o.stop_ms;
  if (o.output) s.output = engine::json::serialize(*o.output);
  s.error = o.error;
  s.cause = o.cause;
  return s;
}

void log_error(const char* what, const std::string& message) {
  std::fprintf(stderr, "sluice: step functions: %s: %s\n", what, message.c_str());
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// LiveExecution: a running Standard execution and its not-yet-durable history.

struct LiveExecution final : engine::executor::HistorySink {
  LiveExecution(ExecutionRunner& r, ExecutionSummary& s) : runner(r), summary(&s), arn(s.arn) {}

  void on_event(std::string_view, const HistoryEvent& e) override {
    if (abandoned) return;
    pending.emplace_back(history_key(summary->id, e.id), encode_history_event(e));
    ++recorded;
    runner.mark_dirty(*this);
  }
  void on_outcome(std::string_view, const ExecutionOutcome& o) override {
    if (abandoned) return;
    outcome = stored(o);
    // From the Execution: a redriven run can end inside redrive(), before the summary knows.
    outcome->redrive_count =
        exec ? static_cast<uint32_t>(exec->redrive_count()) : summary->redrive_count;
    outcome->redrive_ms = exec ? exec->redrive_ms() : summary->redrive_ms;
    ++recorded;
    runner.mark_dirty(*this);
  }
  void on_task_heartbeat(std::string_view,
                         const engine::executor::TaskHeartbeatRecord& b) override {
    if (abandoned) return;
    bool found = false;
    for (auto& old : beats) {
      if (old.scheduled_event_id == b.scheduled_event_id) {
        old.at_ms = b.at_ms;
        found = true;
      }
    }
    if (!found) beats.push_back(b);
    beats_dirty = true;
    ++recorded;
    runner.mark_dirty(*this);
  }

  ExecutionRunner& runner;
  ExecutionSummary* summary;  // null once abandoned
  std::string arn;
  std::optional<ExecutionRecord> unwritten;  // the record, until its first batch commits
  std::vector<std::pair<std::string, std::string>> pending;  // history key -> event
  std::optional<StoredOutcome> outcome;
  // The newest heartbeat per task attempt (all of them are rewritten when one changes).
  std::vector<engine::executor::TaskHeartbeatRecord> beats;
  bool beats_dirty = false;
  bool reopen = false;  // redriven: its stored outcome goes with the next batch
  bool dirty = false;
  bool in_flight = false;  // one batch at a time, so an execution's writes commit in order
  bool abandoned = false;  // its start could not be made durable
  uint64_t recorded = 0;   // items (record, events, outcome) handed to us so far
  uint64_t durable = 0;    // of which committed
  std::vector<std::pair<uint64_t, std::function<void(bool)>>> waiters;
  std::shared_ptr<Execution> exec;  // declared last: destroyed first
};

struct ExecutionRunner::ExpressRun {
  std::shared_ptr<Execution> exec;
  std::string input_text;
  std::function<void(SfnResult<ExecutionView>)> on_end;
};

// ---------------------------------------------------------------------------------------------
// Construction, recovery, shutdown.

ExecutionRunner::ExecutionRunner(StatesServices& services, Catalog& catalog,
                                 engine::executor::Clock& clock,
                                 engine::executor::TimerService& timers)
    : services_(services), catalog_(catalog), clock_(clock), timers_(timers) {
  if (services_.loop == nullptr) {
    closed_ = true;
    return;
  }
  idle_ = new uv_idle_t;
  uv_idle_init(services_.loop, idle_);
  idle_->data = this;
}

ExecutionRunner::~ExecutionRunner() {
  shutdown();
  // Executions go before their sinks' owner state: drop them explicitly, in order.
  express_.clear();
  live_.clear();
  retired_.clear();
}

void ExecutionRunner::shutdown() {
  if (closed_) return;
  // A StartSyncExecution still waiting would hold the HTTP drain open (its timers stop now).
  for (auto& [arn, run] : express_) {
    if (!run->on_end) continue;
    auto on_end = std::move(run->on_end);
    run->on_end = nullptr;
    on_end(sfn_error("ServiceUnavailable", "The server is shutting down", 503));
  }
  flush();
  closed_ = true;
  uv_idle_stop(idle_);
  idle_->data = nullptr;
  uv_close(reinterpret_cast<uv_handle_t*>(idle_),
           [](uv_handle_t* h) { delete reinterpret_cast<uv_idle_t*>(h); });
  idle_ = nullptr;
}

Status ExecutionRunner::recover() {
  storage::ReadTxn txn(*services_.env);
  if (int rc = txn.begin()) return storage::lmdb_error(rc, "executions: begin");
  storage::Cursor c(txn.get(), txn.dbs().executions);
  if (!c.ok()) return make_error(ErrorCode::kInternal, "executions: cursor");
  std::string first = "x";
  MDB_val k = storage::to_val(first), v;
  std::vector<std::pair<ExecutionSummary*, ExecutionRecord>> running;
  for (int rc = mdb_cursor_get(c.get(), &k, &v, MDB_SET_RANGE); rc == 0;
       rc = mdb_cursor_get(c.get(), &k, &v, MDB_NEXT)) {
    std::string_view key = storage::from_val(k);
    if (key.empty() || key[0] != 'x') break;
    auto record = decode_execution_record(storage::from_val(v));
    if (!record) return make_error(ErrorCode::kInternal, "executions: corrupt record");
    ExecutionSummary s;
    s.id = record->id;
    s.arn = std::string(key.substr(1));
    s.name = record->name;
    s.machine = record->machine;
    s.version_arn = record->version_arn;
    s.alias_arn = record->alias_arn;
    s.revision = record->revision;
    s.start_ms = record->start_ms;
    s.committed = true;
    std::string_view out;
    if (txn.get(txn.dbs().executions, execution_outcome_key(s.arn), &out) == 0) {
      auto o = decode_outcome(out);
      if (!o) return make_error(ErrorCode::kInternal, "executions: corrupt outcome");
      s.status = o->status;
      s.stop_ms = o->stop_ms;
      s.redrive_count = o->redrive_count;
      s.redrive_ms = o->redrive_ms;
    }
    next_id_ = std::max(next_id_, s.id + 1);
    ExecutionSummary& added = index_.add(std::move(s));
    if (added.status == ExecutionStatus::kRunning) {
      ++running_[added.machine];
      running.emplace_back(&added, std::move(*record));
    }
  }
  txn.reset();
  for (auto& [s, record] : running) resume_running(*s, record);
  return {};
}

void ExecutionRunner::resume_running(ExecutionSummary& s, const ExecutionRecord& record) {
  (void)record;
  auto live = restored(s);
  if (!live) return;  // cannot run: stays RUNNING, StopExecution ends it from storage
  // The record and every stored event are durable already; new events continue the history.
  std::shared_ptr<Execution> exec = live->exec;
  live_[s.arn] = live;
  Status st = exec->resume();
  if (!st) log_error("resuming failed", s.arn + ": " + st.error().message);
  if (live->summary) {
    live->summary->redrive_count = static_cast<uint32_t>(exec->redrive_count());
    live->summary->redrive_ms = exec->redrive_ms();
  }
}

std::shared_ptr<LiveExecution> ExecutionRunner::restored(ExecutionSummary& s) {
  RevisionPtr revision = catalog_.revision(s.revision);
  if (!revision || !revision->compiled) {
    log_error("no definition to continue", s.arn);
    return nullptr;
  }
  auto persisted = load(s.arn);
  if (!persisted) {
    log_error("cannot read the history of", s.arn);
    return nullptr;
  }
  auto input = engine::json::parse(persisted->record.input);
  if (!input) return nullptr;
  engine::executor::ExecutionInfo info;
  info.execution_arn = s.arn;
  info.name = s.name;
  info.state_machine_arn = state_machine_arn(catalog_.identity(), s.machine);
  info.state_machine_name = s.machine;
  info.role_arn = revision->role_arn;
  info.region = catalog_.identity().region;
  info.state_machine_version_arn = s.version_arn;
  info.state_machine_alias_arn = s.alias_arn;
  engine::executor::ExecutionOptions options;
  options.keep_history = false;
  auto live = std::make_shared<LiveExecution>(*this, s);
  live->recorded = live->durable = 1 + persisted->events.size();
  live->beats = persisted->heartbeats;
  engine::executor::PersistedHistory history;
  history.events = std::move(persisted->events);
  history.heartbeats = std::move(persisted->heartbeats);
  live->exec = Execution::restore(revision->compiled, std::move(info), std::move(*input),
                                  execution_services(live.get()), options, std::move(history));
  if (!live->exec) return nullptr;
  return live;
}

std::set<uint64_t> ExecutionRunner::revisions_in_use() {
  std::set<uint64_t> used;
  index_.for_each([&](ExecutionSummary& s) { used.insert(s.revision); });
  return used;
}

// ---------------------------------------------------------------------------------------------
// Starting.

engine::executor::ExecutionServices ExecutionRunner::execution_services(
    engine::executor::HistorySink* sink) {
  engine::executor::ExecutionServices sv;
  sv.clock = &clock_;
  sv.timers = &timers_;
  sv.tasks = services_.tasks ? services_.tasks : &unserved_;
  sv.sink = sink;
  // Standard executions use the engine's generator seeded from their ARN: a resumed one must
  // draw the same jitter as before the restart. Express executions never replay.
  sv.random = sink ? nullptr : &random_;
  return sv;
}

engine::executor::ExecutionInfo ExecutionRunner::info_for(const Prepared& p,
                                                          const std::string& arn) const {
  engine::executor::ExecutionInfo info;
  info.execution_arn = arn;
  info.name = p.name;
  info.state_machine_arn = catalog_.arn_of(*p.target.machine);
  info.state_machine_name = p.target.machine->name;
  info.role_arn = p.target.revision->role_arn;
  info.region = catalog_.identity().region;
  info.state_machine_version_arn = p.target.version_arn;
  info.state_machine_alias_arn = p.target.alias_arn;
  return info;
}

SfnResult<ExecutionRunner::Prepared> ExecutionRunner::prepare(StartRequest& request) {
  auto target = catalog_.resolve_target(request.state_machine_arn);
  if (!target) return std::move(target).error();
  if (!target->revision->compiled) {
    return internal_failure("The state machine's stored definition cannot be compiled");
  }
  Prepared p;
  p.target = std::move(*target);
  if (request.name) {
    if (!is_valid_resource_name(*request.name)) return invalid_name(*request.name);
    p.name = std::move(*request.name);
  } else {
    p.name = storage::random_uuid();
  }
  p.input_text = request.input ? std::move(*request.input) : std::string("{}");
  if (utf16_length(p.input_text) > kMaxInput) {
    return sfn_error("ValidationException",
                     "1 validation error detected: Value at 'input' failed to satisfy "
                     "constraint: Member must have length less than or equal to 262144");
  }
  if (p.input_text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return invalid_input("Invalid execution input.");
  }
  auto parsed = engine::json::parse(p.input_text);
  if (!parsed) return invalid_input(parsed.error().message);
  p.input = std::move(*parsed);
  return p;
}

void ExecutionRunner::start(StartRequest request, std::function<void(SfnResult<Started>)> done) {
  std::string trace = std::move(request.trace_header);
  auto p = prepare(request);
  if (!p) return done(std::move(p).error());
  if (p->target.machine->express()) return start_express(std::move(*p), nullptr, std::move(done));
  start_standard(std::move(*p), std::move(trace), std::move(done));
}

void ExecutionRunner::start_sync(StartRequest request,
                                 std::function<void(SfnResult<ExecutionView>)> done) {
  auto p = prepare(request);
  if (!p) return done(std::move(p).error());
  if (!p->target.machine->express()) {
    return done(sfn_error("StateMachineTypeNotSupported",
                          "This operation is not supported by this type of state machine"));
  }
  start_express(std::move(*p), std::move(done), nullptr);
}

void ExecutionRunner::start_standard(Prepared p, std::string trace_header,
                                     std::function<void(SfnResult<Started>)> done) {
  const std::string& machine = p.target.machine->name;
  std::string arn = execution_arn(catalog_.identity(), machine, p.name);
  if (ExecutionSummary* existing = index_.find(arn)) {
    // StartExecution is idempotent for a RUNNING execution started with the same input.
    bool same = false;
    if (existing->status == ExecutionStatus::kRunning) {
      auto live = live_.find(arn);
      if (live != live_.end() && live->second->exec) {
        same = live->second->exec->input() == p.input;
      } else if (auto view = stored_view(*existing)) {
        auto stored_input = engine::json::parse(view->input);
        same = stored_input && *stored_input == p.input;
      }
    }
    if (!same) {
      return done(sfn_error("ExecutionAlreadyExists", "Execution Already Exists: '" + arn + "'"));
    }
    Started again{arn, existing->start_ms};
    auto live = live_.find(arn);
    if (live == live_.end()) return done(again);
    return after_commit(*live->second, [done = std::move(done), again](bool ok) {
      if (!ok) return done(internal_failure("The execution could not be recorded"));
      done(again);
    });
  }

  ExecutionSummary s;
  s.id = next_id_++;
  s.arn = arn;
  s.name = p.name;
  s.machine = machine;
  s.version_arn = p.target.version_arn;
  s.alias_arn = p.target.alias_arn;
  s.revision = p.target.revision->key;
  ExecutionSummary& summary = index_.add(std::move(s));
  ++running_[machine];
  ++stats_.standard.started;

  auto live = std::make_shared<LiveExecution>(*this, summary);
  ExecutionRecord record;
  record.id = summary.id;
  record.name = summary.name;
  record.machine = machine;
  record.version_arn = summary.version_arn;
  record.alias_arn = summary.alias_arn;
  record.revision = summary.revision;
  record.input = std::move(p.input_text);
  record.trace_header = std::move(trace_header);
  live->unwritten = std::move(record);
  live->recorded = 1;
  live_[arn] = live;

  engine::executor::ExecutionOptions options;
  options.keep_history = false;
  live->exec = Execution::create(p.target.revision->compiled, info_for(p, arn), std::move(p.input),
                                 execution_services(live.get()), options);
  mark_dirty(*live);
  live->exec->start();
  summary.start_ms = live->exec->start_ms();
  if (live->unwritten) live->unwritten->start_ms = summary.start_ms;
  Started started{arn, summary.start_ms};
  after_commit(*live, [done = std::move(done), started](bool ok) {
    if (!ok) return done(internal_failure("The execution could not be recorded"));
    done(started);
  });
}

void ExecutionRunner::start_express(Prepared p,
                                    std::function<void(SfnResult<ExecutionView>)> on_end,
                                    std::function<void(SfnResult<Started>)> on_start) {
  std::string arn = express_execution_arn(catalog_.identity(), p.target.machine->name, p.name,
                                          storage::random_uuid());
  auto run = std::make_shared<ExpressRun>();
  run->input_text = std::move(p.input_text);
  run->on_end = std::move(on_end);
  engine::executor::ExecutionOptions options;
  options.keep_history = false;
  run->exec = Execution::create(p.target.revision->compiled, info_for(p, arn), std::move(p.input),
                                execution_services(nullptr), options);
  std::string machine_arn = catalog_.arn_of(*p.target.machine);
  std::string version = p.target.version_arn, alias = p.target.alias_arn;
  run->exec->set_on_finished([this, arn, machine_arn, version, alias](Execution& e) {
    auto it = express_.find(arn);
    if (it == express_.end()) return;
    std::shared_ptr<ExpressRun> r = std::move(it->second);
    express_.erase(it);
    stats_.express.ended(e.status());
    ExecutionView v;
    v.execution_arn = arn;
    v.state_machine_arn = machine_arn;
    v.name = e.info().name;
    v.status = e.status();
    v.start_ms = e.start_ms();
    v.stop_ms = e.outcome().stop_ms;
    v.input = r->input_text;
    if (e.outcome().output) v.output = engine::json::serialize(*e.outcome().output);
    v.error = e.outcome().error;
    v.cause = e.outcome().cause;
    v.version_arn = version;
    v.alias_arn = alias;
    if (r->on_end) r->on_end(v);
    auto w = watchers_.find(arn);
    if (w != watchers_.end()) {
      auto list = std::move(w->second);
      watchers_.erase(w);
      json::Value d = describe_execution_value(v);
      for (auto& fn : list) fn(d);
    }
    // The Execution is still on the stack: free it after this call returns.
    retired_.push_back(std::move(r));
    arm_flush();
  });
  express_[arn] = run;
  ++stats_.express.started;
  run->exec->start();
  if (on_start) on_start(Started{arn, run->exec->start_ms()});
}

// ---------------------------------------------------------------------------------------------
// Durability.

void ExecutionRunner::mark_dirty(LiveExecution& live) {
  if (!live.dirty) {
    live.dirty = true;
    dirty_.push_back(&live);
  }
  arm_flush();
}

void ExecutionRunner::arm_flush() {
  if (closed_) return flush();
  if (!uv_is_active(reinterpret_cast<uv_handle_t*>(idle_))) {
    uv_idle_start(idle_, [](uv_idle_t* h) {
      auto* self = static_cast<ExecutionRunner*>(h->data);
      uv_idle_stop(h);
      if (self) self->flush();
    });
  }
}

void ExecutionRunner::flush_now() {
  flush();
}

void ExecutionRunner::after_commit(LiveExecution& live, std::function<void(bool)> fn) {
  if (live.abandoned) return fn(false);
  if (live.durable >= live.recorded) return fn(true);
  live.waiters.emplace_back(live.recorded, std::move(fn));
}

void ExecutionRunner::flush() {
  if (!closed_) {
    // Safe here: never called from inside an Execution while the loop runs.
    retired_.clear();
    auto stops = std::move(to_stop_);
    to_stop_.clear();
    for (const auto& arn : stops) {
      auto it = live_.find(arn);
      if (it != live_.end() && it->second->exec &&
          it->second->exec->status() == ExecutionStatus::kRunning) {
        it->second->exec->stop();
      }
    }
  }
  struct Part {
    std::shared_ptr<LiveExecution> live;
    bool record = false;
    std::size_t begin = 0, end = 0;  // its history entries in Writes::history
    std::optional<StoredOutcome> outcome;
    uint64_t items = 0;
    bool reopen = false, beats = false;
  };
  struct Writes {
    std::vector<std::pair<std::string, std::string>> executions;
    std::vector<std::pair<std::string, std::string>> history;
    std::vector<std::string> removed;  // before the puts: a redriven execution's old outcome
  };
  auto writes = std::make_shared<Writes>();
  auto parts = std::make_shared<std::vector<Part>>();
  std::vector<LiveExecution*> still_dirty;
  for (LiveExecution* lp : dirty_) {
    auto it = live_.find(lp->arn);
    if (it == live_.end() || it->second.get() != lp || lp->abandoned) continue;
    if (lp->in_flight) {
      still_dirty.push_back(lp);
      continue;
    }
    Part part;
    part.live = it->second;
    lp->dirty = false;
    lp->in_flight = true;
    if (lp->unwritten) {
      writes->executions.emplace_back(execution_record_key(lp->arn),
                                      encode_execution_record(*lp->unwritten));
      part.record = true;
      part.items = 1;
    }
    if (lp->reopen) {
      writes->removed.push_back(execution_outcome_key(lp->arn));
      part.reopen = true;
      lp->reopen = false;
    }
    if (lp->beats_dirty) {
      writes->executions.emplace_back(heartbeats_key(lp->arn), encode_heartbeats(lp->beats));
      lp->beats_dirty = false;
      part.beats = true;
      part.items += 1;
    }
    part.begin = writes->history.size();
    for (auto& kv : lp->pending) writes->history.push_back(std::move(kv));
    part.end = writes->history.size();
    part.items += part.end - part.begin;
    lp->pending.clear();
    if (lp->outcome) {
      writes->executions.emplace_back(execution_outcome_key(lp->arn), encode_outcome(*lp->outcome));
      part.outcome = std::move(lp->outcome);
      lp->outcome.reset();
      part.items += 1;
    }
    parts->push_back(std::move(part));
  }
  dirty_ = std::move(still_dirty);
  if (parts->empty()) return;

  storage::Mutation m;
  m.apply = [writes](storage::WriteTxn& txn) {
    for (const auto& k : writes->removed) {
      if (int rc = txn.del(txn.dbs().executions, k)) return rc;
    }
    for (const auto& [k, v] : writes->executions) {
      if (int rc = txn.put(txn.dbs().executions, k, v)) return rc;
    }
    for (const auto& [k, v] : writes->history) {
      if (int rc = txn.put_usually_last(txn.dbs().history, k, v)) return rc;
    }
    return 0;
  };
  m.done = [this, writes, parts](Status st) {
    bool retry = false;
    for (Part& part : *parts) {
      LiveExecution& live = *part.live;
      live.in_flight = false;
      if (live.abandoned) continue;
      if (!st) {
        if (part.record) {
          abandon(live);
          continue;
        }
        // Put the writes back in front of what came since, and try again shortly.
        std::vector<std::pair<std::string, std::string>> again(
            std::make_move_iterator(writes->history.begin() + static_cast<long>(part.begin)),
            std::make_move_iterator(writes->history.begin() + static_cast<long>(part.end)));
        for (auto& kv : live.pending) again.push_back(std::move(kv));
        live.pending = std::move(again);
        if (part.outcome) live.outcome = std::move(part.outcome);
        if (part.reopen) live.reopen = true;
        if (part.beats) live.beats_dirty = true;
        if (!live.dirty) {
          live.dirty = true;
          dirty_.push_back(&live);
        }
        retry = true;
        continue;
      }
      live.durable += part.items;
      if (part.record) {
        live.unwritten.reset();
        live.summary->committed = true;
      }
      auto waiters = std::move(live.waiters);
      live.waiters.clear();
      for (auto& w : waiters) {
        if (w.first <= live.durable) {
          w.second(true);
        } else {
          live.waiters.push_back(std::move(w));
        }
      }
      if (part.outcome) {
        live.summary->status = part.outcome->status;
        live.summary->stop_ms = part.outcome->stop_ms;
        live.summary->redrive_count = part.outcome->redrive_count;
        live.summary->redrive_ms = part.outcome->redrive_ms;
        outcome_committed(live);
      } else if (live.dirty) {
        arm_flush();
      }
    }
    if (!st) {
      log_error("recording executions failed", st.error().message);
      if (retry) timers_.schedule(clock_.now_ms() + kRetryDelayMs, [this] { arm_flush(); });
    }
  };
  services_.committer->submit(std::move(m));
}

void ExecutionRunner::outcome_committed(LiveExecution& live) {
  stats_.standard.ended(live.summary->status);
  std::string machine = live.summary->machine;
  std::string arn = live.arn;
  auto it = live_.find(arn);
  if (it != live_.end()) {
    retired_.push_back(std::move(it->second));
    live_.erase(it);
  }
  auto r = running_.find(machine);
  if (r != running_.end() && r->second > 0 && --r->second == 0) {
    running_.erase(r);
    StateMachineEntry* m = catalog_.find_machine(machine);
    if (m && m->deleting) catalog_.finish_delete(machine);
  }
  fire_watchers(arn);
  arm_flush();  // frees the retired execution
}

void ExecutionRunner::abandon(LiveExecution& live) {
  log_error("could not record the start of", live.arn);
  live.abandoned = true;
  std::string machine = live.summary->machine;
  live.summary = nullptr;
  index_.remove(live.arn);
  auto r = running_.find(machine);
  if (r != running_.end() && r->second > 0 && --r->second == 0) running_.erase(r);
  auto waiters = std::move(live.waiters);
  for (auto& w : waiters) w.second(false);
  if (live.exec) live.exec->stop();
  auto it = live_.find(live.arn);
  if (it != live_.end()) {
    retired_.push_back(std::move(it->second));
    live_.erase(it);
  }
  arm_flush();
}

void ExecutionRunner::fire_watchers(const std::string& arn) {
  auto w = watchers_.find(arn);
  if (w == watchers_.end()) return;
  auto list = std::move(w->second);
  watchers_.erase(w);
  ExecutionSummary* s = index_.find(arn);
  if (!s) return;
  auto view = stored_view(*s);
  if (!view) return;
  json::Value d = describe_execution_value(*view);
  for (auto& fn : list) fn(d);
}

// ---------------------------------------------------------------------------------------------
// Reading.

SfnResult<ExecutionSummary*> ExecutionRunner::summary(std::string_view arn) {
  auto parsed = parse_states_arn(arn);
  if (!parsed) return std::move(parsed).error();
  if (parsed->kind != ArnKind::kExecution) return wrong_arn_kind(parsed->kind);
  ExecutionSummary* s = index_.find(arn);
  if (!s || !s->committed) return execution_missing(arn);
  return s;
}

std::optional<ExecutionView> ExecutionRunner::stored_view(ExecutionSummary& s) {
  storage::ReadTxn txn(*services_.env);
  if (txn.begin() != 0) return std::nullopt;
  std::string_view rec_bytes, out_bytes;
  if (txn.get(txn.dbs().executions, execution_record_key(s.arn), &rec_bytes) != 0) {
    return std::nullopt;
  }
  auto record = decode_execution_record(rec_bytes);
  if (!record) return std::nullopt;
  ExecutionView v;
  v.execution_arn = s.arn;
  // A redriven execution has no outcome record while it runs again: the index has its count.
  v.redrive_count = s.redrive_count;
  v.redrive_ms = s.redrive_ms;
  v.state_machine_arn = state_machine_arn(catalog_.identity(), record->machine);
  v.name = record->name;
  v.start_ms = record->start_ms;
  v.input = std::move(record->input);
  v.version_arn = record->version_arn;
  v.alias_arn = record->alias_arn;
  v.trace_header = record->trace_header;
  if (txn.get(txn.dbs().executions, execution_outcome_key(s.arn), &out_bytes) == 0) {
    if (auto o = decode_outcome(out_bytes)) {
      v.status = o->status;
      v.stop_ms = o->stop_ms;
      v.output = std::move(o->output);
      v.error = std::move(o->error);
      v.cause = std::move(o->cause);
      v.redrive_count = o->redrive_count;
      v.redrive_ms = o->redrive_ms;
    }
  }
  return v;
}

SfnResult<ExecutionView> ExecutionRunner::describe(std::string_view arn) {
  auto s = summary(arn);
  if (!s) return std::move(s).error();
  auto v = stored_view(**s);
  if (!v) return internal_failure("The execution's records cannot be read");
  engine::executor::RedriveFacts facts;
  facts.status = v->status;
  StateMachineEntry* machine = catalog_.find_machine((*s)->machine);
  facts.state_machine_deleting = machine == nullptr || machine->deleting;
  facts.start_ms = v->start_ms;
  facts.stop_ms = v->stop_ms;
  facts.now_ms = clock_.now_ms();
  v->redrive_refusal = engine::executor::redrive_refusal(facts);
  v->redrive_checked = true;
  return std::move(*v);
}

SfnResult<ExecutionRunner::HistoryPage> ExecutionRunner::history(
    std::string_view arn, std::size_t limit, bool reverse, const std::optional<std::string>& token,
    bool include_data) {
  auto s = summary(arn);
  if (!s) return std::move(s).error();
  uint64_t id = (*s)->id;
  int64_t from = 0;  // 0: from the first (or, reversed, the last) event
  if (token) {
    auto pos = decode_page_token("history", *token);
    unsigned long long tid = 0;
    long long tev = 0;
    char dir = 0;
    if (!pos || std::sscanf(pos->c_str(), "%llu:%lld:%c", &tid, &tev, &dir) != 3 || tid != id ||
        tev <= 0 || dir != (reverse ? 'r' : 'f')) {
      return invalid_token();
    }
    from = tev;
  }
  storage::ReadTxn txn(*services_.env);
  if (int rc = txn.begin()) return internal_failure(storage::lmdb_error(rc, "history").message);
  storage::Cursor c(txn.get(), txn.dbs().history);
  if (!c.ok()) return internal_failure("history: cursor");
  HistoryPage page;
  std::string start = history_key(id, reverse ? (from ? from : INT64_MAX) : (from ? from : 1));
  MDB_val k = storage::to_val(start), v;
  int rc = mdb_cursor_get(c.get(), &k, &v, MDB_SET_RANGE);
  if (reverse) {
    // SET_RANGE lands on the first key >= start: step back unless it is exactly `from`.
    uint64_t kid = 0;
    int64_t kev = 0;
    if (rc != 0) {
      rc = mdb_cursor_get(c.get(), &k, &v, MDB_LAST);
    } else if (!split_history_key(storage::from_val(k), &kid, &kev) || kid != id || kev != from) {
      rc = mdb_cursor_get(c.get(), &k, &v, MDB_PREV);
    }
  }
  std::size_t n = 0;
  for (; rc == 0; rc = mdb_cursor_get(c.get(), &k, &v, reverse ? MDB_PREV : MDB_NEXT)) {
    uint64_t kid = 0;
    int64_t kev = 0;
    if (!split_history_key(storage::from_val(k), &kid, &kev) || kid != id) break;
    if (n == limit) {
      page.next_token = encode_page_token(
          "history", std::to_string(id) + ":" + std::to_string(kev) + (reverse ? ":r" : ":f"));
      break;
    }
    auto ev = decode_history_event(storage::from_val(v));
    if (!ev) return internal_failure("history: corrupt event");
    if (n++) page.events.push_back(',');
    if (include_data) {
      page.events += "{\"timestamp\":";
      page.events += epoch_seconds_literal(ev->timestamp_ms);
      page.events += ",\"type\":\"";
      page.events += engine::executor::history_event_type_name(ev->type);
      page.events += "\",\"id\":" + std::to_string(kev);
      page.events += ",\"previousEventId\":" + std::to_string(ev->previous_event_id);
      std::string_view member = engine::executor::history_event_details_member(ev->type);
      if (!member.empty() && !ev->details_json.empty()) {
        page.events += ",\"";
        page.events += member;
        page.events += "\":";
        page.events += ev->details_json;
      }
      page.events += '}';
    } else {
      HistoryEvent full;
      full.id = kev;
      full.previous_event_id = ev->previous_event_id;
      full.timestamp_ms = ev->timestamp_ms;
      full.type = ev->type;
      if (!ev->details_json.empty()) {
        auto d = engine::json::parse(ev->details_json);
        if (d) full.details = std::move(*d);
      }
      page.events += engine::executor::history_event_json(full, false);
    }
  }
  return page;
}

SfnResult<ExecutionRunner::Persisted> ExecutionRunner::load(std::string_view arn) {
  auto s = summary(arn);
  if (!s) return std::move(s).error();
  storage::ReadTxn txn(*services_.env);
  if (int rc = txn.begin()) return internal_failure(storage::lmdb_error(rc, "load").message);
  std::string_view bytes;
  if (txn.get(txn.dbs().executions, execution_record_key(arn), &bytes) != 0) {
    return execution_missing(arn);
  }
  auto record = decode_execution_record(bytes);
  if (!record) return internal_failure("load: corrupt record");
  Persisted p;
  p.record = std::move(*record);
  if (txn.get(txn.dbs().executions, execution_outcome_key(arn), &bytes) == 0) {
    p.outcome = decode_outcome(bytes);
  }
  if (txn.get(txn.dbs().executions, heartbeats_key(arn), &bytes) == 0) {
    auto beats = decode_heartbeats(bytes);
    if (!beats) return internal_failure("load: corrupt heartbeats");
    p.heartbeats = std::move(*beats);
  }
  storage::Cursor c(txn.get(), txn.dbs().history);
  std::string start = history_key(p.record.id, 1);
  MDB_val k = storage::to_val(start), v;
  for (int rc = mdb_cursor_get(c.get(), &k, &v, MDB_SET_RANGE); rc == 0;
       rc = mdb_cursor_get(c.get(), &k, &v, MDB_NEXT)) {
    uint64_t kid = 0;
    int64_t kev = 0;
    if (!split_history_key(storage::from_val(k), &kid, &kev) || kid != p.record.id) break;
    auto ev = decode_history_event(storage::from_val(v));
    if (!ev) return internal_failure("load: corrupt event");
    HistoryEvent e;
    e.id = kev;
    e.previous_event_id = ev->previous_event_id;
    e.timestamp_ms = ev->timestamp_ms;
    e.type = ev->type;
    e.resume_record = std::string(ev->resume_record);
    if (!ev->details_json.empty()) {
      auto d = engine::json::parse(ev->details_json);
      if (!d) return internal_failure("load: corrupt event details");
      e.details = std::move(*d);
    }
    p.events.push_back(std::move(e));
  }
  return p;
}

// ---------------------------------------------------------------------------------------------
// Stopping, deleting, redriving.

void ExecutionRunner::stop(const std::string& arn, std::optional<std::string> error,
                           std::optional<std::string> cause,
                           std::function<void(SfnResult<int64_t>)> done) {
  auto s = summary(arn);
  if (!s) return done(std::move(s).error());
  auto it = live_.find(arn);
  if (it != live_.end() && it->second->exec &&
      it->second->exec->status() == ExecutionStatus::kRunning) {
    std::shared_ptr<LiveExecution> live = it->second;
    live->exec->stop(std::move(error), std::move(cause));
    int64_t stop_ms = live->exec->outcome().stop_ms;
    return after_commit(*live, [done = std::move(done), stop_ms](bool ok) {
      if (!ok) return done(internal_failure("The stop could not be recorded"));
      done(stop_ms);
    });
  }
  if (it != live_.end()) {
    // Finished in memory, not durable yet: answer with its stop date once it is.
    std::shared_ptr<LiveExecution> live = it->second;
    int64_t stop_ms = live->exec ? live->exec->outcome().stop_ms : clock_.now_ms();
    return after_commit(*live, [done = std::move(done), stop_ms](bool ok) {
      if (!ok) return done(internal_failure("The execution could not be recorded"));
      done(stop_ms);
    });
  }
  if ((*s)->status == ExecutionStatus::kRunning) {
    return abort_stored(**s, std::move(error), std::move(cause), std::move(done));
  }
  done((*s)->stop_ms);  // already stopped: nothing changes
}

void ExecutionRunner::abort_stored(ExecutionSummary& s, std::optional<std::string> error,
                                   std::optional<std::string> cause,
                                   std::function<void(SfnResult<int64_t>)> done) {
  int64_t last = 0;
  {
    storage::ReadTxn txn(*services_.env);
    if (int rc = txn.begin())
      return done(internal_failure(storage::lmdb_error(rc, "stop").message));
    storage::Cursor c(txn.get(), txn.dbs().history);
    std::string after = history_key(s.id + 1, 0);
    MDB_val k = storage::to_val(after), v;
    int rc = mdb_cursor_get(c.get(), &k, &v, MDB_SET_RANGE);
    rc = rc == 0 ? mdb_cursor_get(c.get(), &k, &v, MDB_PREV)
                 : mdb_cursor_get(c.get(), &k, &v, MDB_LAST);
    uint64_t kid = 0;
    int64_t kev = 0;
    if (rc == 0 && split_history_key(storage::from_val(k), &kid, &kev) && kid == s.id) last = kev;
  }
  int64_t now = clock_.now_ms();
  HistoryEvent e;
  e.id = last + 1;
  e.previous_event_id = last;
  e.timestamp_ms = now;
  e.type = HistoryEventType::kExecutionAborted;
  json::Object d;
  if (error && !error->empty()) d.set("error", json::Value(*error));
  if (cause && !cause->empty()) d.set("cause", json::Value(*cause));
  e.details = json::Value(std::move(d));
  StoredOutcome o;
  o.status = ExecutionStatus::kAborted;
  o.stop_ms = now;
  if (error && !error->empty()) o.error = error;
  if (cause && !cause->empty()) o.cause = cause;
  o.redrive_count = s.redrive_count;
  o.redrive_ms = s.redrive_ms;
  s.status = ExecutionStatus::kAborted;  // no second stop races this one
  s.stop_ms = now;
  std::string arn = s.arn;
  std::string machine = s.machine;
  storage::Mutation m;
  m.apply = [hk = history_key(s.id, e.id), hv = encode_history_event(e),
             ok = execution_outcome_key(arn), ov = encode_outcome(o)](storage::WriteTxn& txn) {
    if (int rc = txn.put(txn.dbs().history, hk, hv)) return rc;
    return txn.put(txn.dbs().executions, ok, ov);
  };
  m.done = [this, arn, machine, now, done = std::move(done)](Status st) {
    ExecutionSummary* sum = index_.find(arn);
    if (!st) {
      if (sum) sum->status = ExecutionStatus::kRunning;
      return done(internal_failure(st.error().message));
    }
    stats_.standard.ended(ExecutionStatus::kAborted);
    auto r = running_.find(machine);
    if (r != running_.end() && r->second > 0 && --r->second == 0) {
      running_.erase(r);
      StateMachineEntry* mach = catalog_.find_machine(machine);
      if (mach && mach->deleting) catalog_.finish_delete(machine);
    }
    fire_watchers(arn);
    done(now);
  };
  services_.committer->submit(std::move(m));
}

ExecutionStats ExecutionRunner::stats() const {
  ExecutionStats s = stats_;
  for (const auto& [machine, n] : running_) s.standard.running += n;
  s.express.running = express_.size();
  return s;
}

std::size_t ExecutionRunner::running_of(const std::string& machine) const {
  auto it = running_.find(machine);
  return it == running_.end() ? 0 : it->second;
}

void ExecutionRunner::doom(const std::string& machine) {
  // Stopped at once (at the end of this loop turn), where AWS stops them at their next state
  // transition: a local server has no reason to let a long Wait hold the delete up.
  for (auto& [arn, live] : live_) {
    if (live->summary && live->summary->machine == machine) to_stop_.push_back(arn);
  }
  std::vector<ExecutionSummary*> stored;
  index_.for_each([&](ExecutionSummary& s) {
    if (s.machine == machine && s.committed && s.status == ExecutionStatus::kRunning &&
        !live_.count(s.arn)) {
      stored.push_back(&s);
    }
  });
  for (ExecutionSummary* s : stored) abort_stored(*s, {}, {}, [](SfnResult<int64_t>) {});
  arm_flush();
}

void ExecutionRunner::redrive(const std::string& execution_arn, const std::string& client_token,
                              std::function<void(SfnResult<int64_t>)> done) {
  auto s = summary(execution_arn);
  if (!s) return done(std::move(s).error());
  ExecutionSummary& sum = **s;
  if (!client_token.empty()) {
    for (const auto& t : sum.redrive_tokens) {
      if (t.token == client_token && clock_.now_ms() - t.redrive_ms <= kRedriveTokenMs) {
        return done(t.redrive_ms);
      }
    }
  }
  auto not_redrivable = [&](const std::string& why) {
    done(sfn_error("ExecutionNotRedrivable", why));
  };
  if (live_.count(execution_arn) || redriving_.count(execution_arn)) {
    // Running, or stopped in memory with the outcome not durable yet.
    return not_redrivable("Execution is RUNNING and cannot be redriven");
  }
  engine::executor::RedriveFacts facts;
  facts.status = sum.status;
  StateMachineEntry* machine = catalog_.find_machine(sum.machine);
  facts.state_machine_deleting = machine == nullptr || machine->deleting;
  facts.start_ms = sum.start_ms;
  facts.stop_ms = sum.stop_ms;
  facts.now_ms = clock_.now_ms();
  auto persisted_count = [&]() -> std::size_t {
    auto p = load(execution_arn);
    return p ? p->events.size() : 0;
  };
  facts.event_count = persisted_count();
  if (auto why = engine::executor::redrive_refusal(facts)) return not_redrivable(*why);
  auto live = restored(sum);
  if (!live) return done(internal_failure("The execution cannot be rebuilt from its history"));
  std::shared_ptr<Execution> exec = live->exec;
  // The outcome record goes in the same commit as ExecutionRedriven: RUNNING again after a crash.
  live->reopen = true;
  uint32_t old_count = sum.redrive_count;
  int64_t old_ms = sum.redrive_ms;
  ExecutionStatus old_status = sum.status;
  sum.status = ExecutionStatus::kRunning;
  live_[execution_arn] = live;
  ++running_[sum.machine];
  Status st = exec->redrive();
  if (!st) {
    live_.erase(execution_arn);
    sum.status = old_status;
    auto r = running_.find(sum.machine);
    if (r != running_.end() && r->second > 0 && --r->second == 0) running_.erase(r);
    retired_.push_back(std::move(live));
    arm_flush();
    return not_redrivable(st.error().message);
  }
  sum.redrive_count = static_cast<uint32_t>(exec->redrive_count());
  sum.redrive_ms = exec->redrive_ms();
  int64_t when = exec->redrive_ms();
  mark_dirty(*live);
  redriving_.insert(execution_arn);
  after_commit(*live, [this, execution_arn, old_count, old_ms, when, client_token,
                       done = std::move(done)](bool ok) {
    redriving_.erase(execution_arn);
    if (ok && !client_token.empty()) {
      if (ExecutionSummary* x = index_.find(execution_arn)) {
        auto& tokens = x->redrive_tokens;
        tokens.push_back({client_token, when});
        if (tokens.size() > kRedriveTokens) tokens.erase(tokens.begin());
      }
    }
    if (!ok) {
      if (ExecutionSummary* x = index_.find(execution_arn)) {
        x->redrive_count = old_count;
        x->redrive_ms = old_ms;
      }
      return done(internal_failure("The redrive could not be recorded"));
    }
    done(when);
  });
}

// ---------------------------------------------------------------------------------------------
// ExecutionStarter.

void ExecutionRunner::start_child(ChildStart request, std::function<void(SfnOutcome)> started) {
  StartRequest r;
  r.state_machine_arn = std::move(request.state_machine_arn);
  r.name = std::move(request.name);
  r.input = std::move(request.input);
  start(std::move(r), [started = std::move(started)](SfnResult<Started> res) {
    if (!res) return started(std::move(res).error());
    json::Object o;
    o.set("executionArn", json::Value(res->execution_arn));
    o.set("startDate", json::Value(res->start_ms));
    started(json::Value(std::move(o)));
  });
}

bool ExecutionRunner::watch(const std::string& execution_arn,
                            std::function<void(json::Value description)> finished) {
  if (express_.count(execution_arn)) {
    watchers_[execution_arn].push_back(std::move(finished));
    return true;
  }
  ExecutionSummary* s = index_.find(execution_arn);
  if (!s) return false;
  if (!s->committed || s->status == ExecutionStatus::kRunning || live_.count(execution_arn)) {
    watchers_[execution_arn].push_back(std::move(finished));
    return true;
  }
  auto v = stored_view(*s);
  if (!v) return false;
  finished(describe_execution_value(*v));
  return true;
}

void ExecutionRunner::stop_child(const std::string& execution_arn, std::string error,
                                 std::string cause) {
  stop(execution_arn, std::move(error), std::move(cause), [](SfnResult<int64_t>) {});
}

}  // namespace sluice::states
