// See execution_runner.h.
#include "broker/states/executions/execution_runner.h"
#include "broker/states/map_runs/item_processor_lookup.h"

#include <cstdio>

#include "broker/states/resource_name.h"
#include "broker/states/states_arn.h"
#include "broker/states/wire_format.h"
#include "engine/executor/history_event_codec.h"
#include "engine/executor/redrive.h"
#include "engine/json/json_parse.h"
#include "engine/json/json_serialize.h"
#include "storage/group_committer.h"
#include "storage/random_id.h"

namespace sluice::states {

using engine::executor::Execution;
using engine::executor::ExecutionOutcome;
using engine::executor::ExecutionStatus;
using engine::executor::HistoryEvent;
using engine::executor::HistoryEventType;

namespace {

constexpr std::size_t kMaxInput = 262144;
// RedriveExecution answers the same to the last 10 clientTokens for 15 minutes (AWS).
constexpr std::size_t kRedriveTokens = 10;
constexpr int64_t kRedriveTokenMs = 15 * 60 * 1000;

SfnError execution_missing(std::string_view arn) {
  return sfn_error("ExecutionDoesNotExist", "Execution Does Not Exist: '" + std::string(arn) + "'");
}

SfnError invalid_input(std::string why) {
  return sfn_error("InvalidExecutionInput", "Invalid State Machine Execution Input: '" + why + "'");
}

void log_error(const char* what, const std::string& message) {
  std::fprintf(stderr, "sluice: step functions: %s: %s\n", what, message.c_str());
}

}  // namespace

struct ExecutionRunner::ExpressRun {
  std::string machine;  // state machine name
  uint64_t revision = 0;
  std::string test_case;  // the mocked test case it runs; empty: none
  std::string map_run_arn;
  std::shared_ptr<Execution> exec;
  std::string input_text;
  std::function<void(SfnResult<ExecutionView>)> on_end;
};

// ---------------------------------------------------------------------------------------------
// Construction, recovery, shutdown.

ExecutionRunner::ExecutionRunner(StatesServices& services, Catalog& catalog,
                                 engine::executor::Clock& clock,
                                 engine::executor::TimerService& timers)
    : services_(services),
      store_(*services.env),
      catalog_(catalog),
      clock_(clock),
      timers_(timers) {
  start_backlog_.set_limit(services.max_uncommitted_start_bytes);
  journal_ = std::make_unique<ExecutionJournal>(
      services_.loop, *services_.committer, timers_, clock_,
      ExecutionJournal::Hooks{[this] { before_flush(); },
                              [this](LiveExecution& live) { abandon(live); },
                              [this](LiveExecution& live) { outcome_committed(live); }});
}

ExecutionRunner::~ExecutionRunner() {
  shutdown();
  // Executions go before their sinks' owner state: drop them explicitly, in order.
  express_.clear();
  live_.clear();
  retired_.clear();
}

void ExecutionRunner::shutdown() {
  if (journal_->closed()) return;
  // A StartSyncExecution still waiting would hold the HTTP drain open (its timers stop now).
  for (auto& [arn, run] : express_) {
    if (!run->on_end) continue;
    auto on_end = std::move(run->on_end);
    run->on_end = nullptr;
    on_end(sfn_error("ServiceUnavailable", "The server is shutting down", 503));
  }
  journal_->close();
}

std::set<uint64_t> ExecutionRunner::revisions_in_use() {
  std::set<uint64_t> used;
  index_.for_each([&](ExecutionSummary& s) { used.insert(s.revision); });
  return used;
}

// ---------------------------------------------------------------------------------------------
// Starting.

engine::executor::ExecutionServices ExecutionRunner::execution_services(
    engine::executor::HistorySink* sink, engine::executor::TaskHandler* tasks) {
  engine::executor::ExecutionServices sv;
  sv.clock = &clock_;
  sv.timers = &timers_;
  sv.tasks = tasks ? tasks : services_.tasks ? services_.tasks : &unserved_;
  sv.sink = sink;
  sv.map_runs = map_runs_;
  // Standard executions use the engine's generator seeded from their ARN: a resumed one must
  // draw the same jitter as before the restart. Express executions never replay.
  sv.random = sink ? nullptr : &random_;
  return sv;
}

engine::executor::ExecutionOptions ExecutionRunner::execution_options() const {
  engine::executor::ExecutionOptions options;
  options.keep_history = false;
  options.wait_time_scale = services_.wait_time_scale;
  // AWS's limit on a Standard execution's history: a runaway loop fails instead of filling the
  // disk (Express executions keep no history and have no such limit).
  options.max_history_events = 25000;
  return options;
}

engine::executor::TaskHandler* ExecutionRunner::mocked_tasks(const std::string& machine,
                                                             const std::string& test_case) {
  if (!services_.mock_config) return nullptr;
  auto key = std::make_pair(machine, test_case);
  auto it = mocked_.find(key);
  if (it != mocked_.end()) return it->second.get();
  const mocks::TestCase* found = services_.mock_config->test_case(machine, test_case);
  if (!found) return nullptr;
  engine::executor::TaskHandler& real = services_.tasks ? *services_.tasks : unserved_;
  auto handler = std::make_unique<mocks::MockedTasks>(real, *found);
  auto* raw = handler.get();
  mocked_.emplace(std::move(key), std::move(handler));
  return raw;
}

engine::executor::TaskHandler* ExecutionRunner::inherited_mocks(const std::string& machine,
                                                                const std::string& test_case) {
  // A state machine's name has no '/': a map run's child is ROOT/LABEL[/LABEL...].
  return mocked_tasks(machine.substr(0, machine.find('/')), test_case);
}

std::optional<SfnError> ExecutionRunner::select_test_case(const std::string& arn,
                                                          const std::string& test_case,
                                                          Prepared& p) {
  const std::string& machine = p.target.machine->name;
  p.tasks = mocked_tasks(machine, test_case);
  if (!p.tasks) {
    // Sluice's own wording (Step Functions Local's is not documented): the ARN is refused, and
    // the message says what the mock configuration lacks.
    const bool known = services_.mock_config->has_machine(machine);
    return sfn_error("InvalidArn",
                     "Invalid Arn: '" + arn + "': " +
                         (known ? "the mock configuration has no test case '" + test_case +
                                      "' for the state machine '" + machine + "'"
                                : "the mock configuration has no state machine '" + machine +
                                      "' (StateMachines." + machine + ".TestCases." + test_case +
                                      " is needed)"));
  }
  p.test_case = test_case;
  return std::nullopt;
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
  // STATE_MACHINE_ARN#CASE runs a mocked test case (Step Functions Local's convention); without
  // a mock configuration the ARN is taken as written (and refused as today).
  std::string_view machine_arn = request.state_machine_arn;
  std::string test_case;
  std::size_t hash = machine_arn.find('#');
  if (services_.mock_config && hash != std::string_view::npos) {
    test_case = std::string(machine_arn.substr(hash + 1));
    machine_arn = machine_arn.substr(0, hash);
  }
  auto target = catalog_.resolve_target(machine_arn);
  if (!target) return std::move(target).error();
  if (!target->revision->compiled) {
    return internal_failure("The state machine's stored definition cannot be compiled");
  }
  Prepared p;
  p.target = std::move(*target);
  if (hash != std::string_view::npos && services_.mock_config) {
    if (auto e = select_test_case(request.state_machine_arn, test_case, p)) return std::move(*e);
  }
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
  if (request.input_value) {
    p.input = std::move(*request.input_value);
    return p;
  }
  auto parsed = engine::json::parse(p.input_text);
  if (!parsed) return invalid_input(parsed.error().message);
  p.input = std::move(*parsed);
  return p;
}

namespace {
// A joined mutation that no new execution's record will carry.
void release_joined(std::optional<storage::Mutation>& joined, std::string why) {
  if (!joined) return;
  auto fn = std::move(joined->done);
  joined.reset();
  if (fn) fn(make_error(ErrorCode::kInternal, std::move(why)));
}
}  // namespace

void ExecutionRunner::start(StartRequest request, std::function<void(SfnResult<Started>)> done,
                            std::optional<storage::Mutation> joined) {
  std::string trace = std::move(request.trace_header);
  auto p = prepare(request);
  if (!p) {
    release_joined(joined, p.error().message);
    return done(std::move(p).error());
  }
  if (p->target.machine->express()) {
    release_joined(joined, "EXPRESS executions are not recorded");
    return start_express(std::move(*p), nullptr, std::move(done));
  }
  start_standard(std::move(*p), std::move(trace), std::move(done), std::move(joined));
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
                                     std::function<void(SfnResult<Started>)> done,
                                     std::optional<storage::Mutation> joined) {
  const std::string& machine = p.target.machine->name;
  std::string arn = execution_arn(catalog_.identity(), machine, p.name);
  if (ExecutionSummary* existing = index_.find(arn)) {
    release_joined(joined, "Execution Already Exists: '" + arn + "'");
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
    return journal_->after_commit(*live->second, [done = std::move(done), again](bool ok) {
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
  s.test_case = p.test_case;
  ExecutionSummary& summary = index_.add(std::move(s));
  ++running_[machine];
  ++stats_.standard.started;

  auto live = std::make_shared<LiveExecution>(*journal_, summary);
  live->joined = std::move(joined);
  storage::ExecutionRecord record;
  record.arn = arn;
  record.id = summary.id;
  record.name = summary.name;
  record.machine = machine;
  record.version_arn = summary.version_arn;
  record.alias_arn = summary.alias_arn;
  record.revision = summary.revision;
  live->input = std::make_shared<const std::string>(p.input_text);
  record.input = std::move(p.input_text);
  record.trace_header = std::move(trace_header);
  record.test_case = p.test_case;
  live->unwritten = std::move(record);
  live->recorded = 1;
  live_[arn] = live;

  engine::executor::ExecutionOptions options = execution_options();
  options.input_text = live->input;
  live->exec = Execution::create(p.target.revision->compiled, info_for(p, arn), std::move(p.input),
                                 execution_services(live.get(), p.tasks), options);
  journal_->mark_dirty(*live);
  live->exec->start();
  summary.start_ms = live->exec->start_ms();
  if (live->unwritten) live->unwritten->start_ms = summary.start_ms;
  Started started{arn, summary.start_ms};
  journal_->after_commit(*live, [done = std::move(done), started](bool ok) {
    if (!ok) return done(internal_failure("The execution could not be recorded"));
    done(started);
  });
}

void ExecutionRunner::start_express(Prepared p,
                                    std::function<void(SfnResult<ExecutionView>)> on_end,
                                    std::function<void(SfnResult<Started>)> on_start) {
  std::string arn = express_execution_arn(catalog_.identity(), p.target.machine->name, p.name,
                                          storage::random_uuid());
  ExpressStart start;
  start.machine = p.target.revision->compiled;
  start.info = info_for(p, arn);
  start.input = std::move(p.input);
  start.input_text = std::move(p.input_text);
  start.machine_name = p.target.machine->name;
  start.revision = p.target.revision->key;
  start.tasks = p.tasks;
  start.test_case = p.test_case;
  launch_express(std::move(start), std::move(on_end), std::move(on_start));
}

namespace {
ExecutionView running_express_view(const std::string& arn, const Execution& e,
                                   const std::string& input, const std::string& map_run_arn) {
  ExecutionView v;
  v.execution_arn = arn;
  v.state_machine_arn = e.info().state_machine_arn;
  v.name = e.info().name;
  v.status = engine::executor::ExecutionStatus::kRunning;
  v.start_ms = e.start_ms();
  v.input = input;
  v.version_arn = e.info().state_machine_version_arn;
  v.alias_arn = e.info().state_machine_alias_arn;
  v.map_run_arn = map_run_arn;
  return v;
}
}  // namespace

void ExecutionRunner::for_each_express(
    const std::function<void(const ExecutionView&)>& visit) const {
  for (const auto& [arn, run] : express_) {
    if (run->exec) visit(running_express_view(arn, *run->exec, run->input_text, run->map_run_arn));
  }
  for (const ExecutionView& v : recent_express_) visit(v);
}

std::optional<ExecutionView> ExecutionRunner::express_view(const std::string& execution_arn) const {
  if (auto e = express_.find(execution_arn); e != express_.end() && e->second->exec) {
    return running_express_view(execution_arn, *e->second->exec, e->second->input_text,
                                e->second->map_run_arn);
  }
  for (const ExecutionView& v : recent_express_) {
    if (v.execution_arn == execution_arn) return v;
  }
  return std::nullopt;
}

bool ExecutionRunner::express_identity(const std::string& arn, std::string* machine,
                                       uint64_t* revision, std::string* test_case) const {
  auto e = express_.find(arn);
  if (e == express_.end()) return false;
  *machine = e->second->machine;
  *revision = e->second->revision;
  *test_case = e->second->test_case;
  return true;
}

void ExecutionRunner::launch_express(ExpressStart start,
                                     std::function<void(SfnResult<ExecutionView>)> on_end,
                                     std::function<void(SfnResult<Started>)> on_start) {
  std::string arn = start.info.execution_arn;
  auto run = std::make_shared<ExpressRun>();
  run->input_text = std::move(start.input_text);
  run->on_end = std::move(on_end);
  run->machine = start.machine_name;
  run->revision = start.revision;
  run->test_case = std::move(start.test_case);
  run->map_run_arn = start.map_run_arn;
  engine::executor::ExecutionOptions options = execution_options();
  options.max_history_events = 0;
  std::string machine_arn = start.info.state_machine_arn;
  std::string version = start.info.state_machine_version_arn;
  std::string alias = start.info.state_machine_alias_arn;
  run->exec = Execution::create(start.machine, std::move(start.info), std::move(start.input),
                                execution_services(nullptr, start.tasks), options);
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
    v.map_run_arn = r->map_run_arn;
    if (r->on_end) r->on_end(v);
    // Kept for the console before the watchers run, so that one of them can read it.
    recent_express_.push_front(std::move(v));
    if (recent_express_.size() > kRecentExpress) recent_express_.pop_back();
    auto w = watchers_.find(arn);
    if (w != watchers_.end()) {
      auto list = std::move(w->second);
      watchers_.erase(w);
      json::Value d = describe_execution_value(recent_express_.front());
      for (auto& fn : list) fn(d);
    }
    // The Execution is still on the stack: free it after this call returns.
    retired_.push_back(std::move(r));
    journal_->arm();
  });
  express_[arn] = run;
  ++stats_.express.started;
  run->exec->start();
  if (on_start) on_start(Started{arn, run->exec->start_ms()});
}

// ---------------------------------------------------------------------------------------------
// The journal's hooks.

void ExecutionRunner::before_flush() {
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
  journal_->arm();  // frees the retired execution
}

void ExecutionRunner::abandon(LiveExecution& live) {
  log_error("could not record the start of", live.arn);
  std::string machine = live.summary->machine;
  live.summary = nullptr;
  index_.remove(live.arn);
  auto r = running_.find(machine);
  if (r != running_.end() && r->second > 0 && --r->second == 0) running_.erase(r);
  if (live.exec) live.exec->stop();
  auto it = live_.find(live.arn);
  if (it != live_.end()) {
    retired_.push_back(std::move(it->second));
    live_.erase(it);
  }
  journal_->arm();
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
  auto stored = store_.read(key_of(s));
  if (!stored) return std::nullopt;
  auto& [record, outcome] = *stored;
  ExecutionView v;
  v.execution_arn = s.arn;
  // A redriven execution has no outcome record while it runs again: the index has its count.
  v.redrive_count = s.redrive_count;
  v.redrive_ms = s.redrive_ms;
  v.state_machine_arn = state_machine_arn(catalog_.identity(), record.machine);
  v.name = record.name;
  v.start_ms = record.start_ms;
  v.input = std::move(record.input);
  v.version_arn = record.version_arn;
  v.alias_arn = record.alias_arn;
  v.trace_header = record.trace_header;
  v.map_run_arn = record.map_run_arn;
  if (outcome) {
    v.status = outcome->status;
    v.stop_ms = outcome->stop_ms;
    v.output = std::move(outcome->output);
    v.error = std::move(outcome->error);
    v.cause = std::move(outcome->cause);
    v.redrive_count = outcome->redrive_count;
    v.redrive_ms = outcome->redrive_ms;
  }
  return v;
}

namespace {

// The state machine an execution belongs to: a map run's child runs under PARENT_MACHINE/LABEL,
// which is no state machine of its own, so its parent's.
std::string owning_machine(const ExecutionSummary& s) {
  if (s.map_run_arn.empty()) return s.machine;
  return s.machine.substr(0, s.machine.size() - map_run_label_of(s.machine).size() - 1);
}

}  // namespace

SfnResult<ExecutionView> ExecutionRunner::describe(std::string_view arn) {
  auto s = summary(arn);
  if (!s) return std::move(s).error();
  auto v = stored_view(**s);
  if (!v) return internal_failure("The execution's records cannot be read");
  engine::executor::RedriveFacts facts;
  facts.status = v->status;
  StateMachineEntry* machine = catalog_.find_machine(owning_machine(**s));
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
  HistoryPage page;
  std::size_t n = 0;
  bool corrupt = false;
  // Events may refer to the execution's input instead of repeating it: read it once, if needed.
  std::optional<std::string> input;
  auto execution_input = [&]() -> const std::string& {
    if (!input) {
      auto stored = store_.read(key_of(**s));
      input = stored ? std::move(stored->first.input) : std::string();
    }
    return *input;
  };
  auto st = store_.visit_history(id, from, reverse, [&](int64_t kev, std::string_view bytes) {
    if (n == limit) {
      page.next_token = encode_page_token(
          "history", std::to_string(id) + ":" + std::to_string(kev) + (reverse ? ":r" : ":f"));
      return false;
    }
    auto ev = engine::executor::decode_history_event(bytes);
    if (!ev) {
      corrupt = true;
      return false;
    }
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
        if (ev->input_member.empty()) {
          page.events += ev->details_json;
        } else {
          page.events += engine::executor::splice_input(*ev, execution_input());
        }
      }
      page.events += '}';
    } else {
      auto full = engine::executor::decode_full_history_event(
          kev, bytes, ev->input_member.empty() ? std::string_view() : execution_input());
      if (full) {
        full->resume_record.clear();
        page.events += engine::executor::history_event_json(*full, false);
      }
    }
    return true;
  });
  if (!st) return internal_failure(st.error().message);
  if (corrupt) return internal_failure("history: corrupt event");
  return page;
}

// ---------------------------------------------------------------------------------------------
// Stopping, deleting, redriving.

void ExecutionRunner::after_recorded(const std::string& arn, std::function<void(bool)> done) {
  auto it = live_.find(arn);
  if (it == live_.end()) return done(true);
  std::shared_ptr<LiveExecution> live = it->second;  // the journal may retire it before done runs
  journal_->after_commit(*live, std::move(done));
}

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
    return journal_->after_commit(*live, [done = std::move(done), stop_ms](bool ok) {
      if (!ok) return done(internal_failure("The stop could not be recorded"));
      done(stop_ms);
    });
  }
  if (it != live_.end()) {
    // Finished in memory, not durable yet: answer with its stop date once it is.
    std::shared_ptr<LiveExecution> live = it->second;
    int64_t stop_ms = live->exec ? live->exec->outcome().stop_ms : clock_.now_ms();
    return journal_->after_commit(*live, [done = std::move(done), stop_ms](bool ok) {
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
  auto last_id = store_.last_event_id(s.id);
  if (!last_id) return done(internal_failure(last_id.error().message));
  const int64_t last = *last_id;
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
  storage::StoredOutcome o;
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
  auto writes = std::make_shared<storage::ExecutionWrites>();
  writes->append_event(s.id, e.id, engine::executor::encode_history_event(e));
  writes->put_outcome(key_of(s), o);
  storage::Mutation m;
  m.apply = [writes](storage::WriteTxn& txn) { return writes->apply(txn); };
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
  journal_->arm();
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
  StateMachineEntry* machine = catalog_.find_machine(owning_machine(sum));
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
    live->abandoned = true;  // nothing of this attempt is written
    sum.status = old_status;
    auto r = running_.find(sum.machine);
    if (r != running_.end() && r->second > 0 && --r->second == 0) running_.erase(r);
    retired_.push_back(std::move(live));
    journal_->arm();
    return not_redrivable(st.error().message);
  }
  sum.redrive_count = static_cast<uint32_t>(exec->redrive_count());
  sum.redrive_ms = exec->redrive_ms();
  int64_t when = exec->redrive_ms();
  journal_->mark_dirty(*live);
  redriving_.insert(execution_arn);
  journal_->after_commit(*live, [this, execution_arn, old_count, old_ms, when, client_token,
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

std::optional<int64_t> ExecutionRunner::started_with(const std::string& execution_arn,
                                                     const std::string& input) {
  ExecutionSummary* s = index_.find(execution_arn);
  auto wanted = engine::json::parse(input);
  if (!s || !wanted.ok()) return std::nullopt;
  if (auto live = live_.find(execution_arn); live != live_.end() && live->second->exec) {
    if (live->second->exec->input() == *wanted) return s->start_ms;
    return std::nullopt;
  }
  auto view = stored_view(*s);
  if (!view) return std::nullopt;
  auto stored = engine::json::parse(view->input);
  if (stored.ok() && *stored == *wanted) return s->start_ms;
  return std::nullopt;
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

void ExecutionRunner::stop_map_run_child(const std::string& execution_arn, std::string error,
                                         std::string cause) {
  if (auto e = express_.find(execution_arn); e != express_.end()) {
    std::shared_ptr<ExpressRun> run = e->second;
    if (run->exec) run->exec->stop(std::move(error), std::move(cause));
    return;
  }
  stop(execution_arn, std::move(error), std::move(cause), [](SfnResult<int64_t>) {});
}

void ExecutionRunner::stop_child(const std::string& execution_arn, std::string error,
                                 std::string cause) {
  stop(execution_arn, std::move(error), std::move(cause), [](SfnResult<int64_t>) {});
}

}  // namespace sluice::states
