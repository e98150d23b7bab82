// ExecutionRunner, the map runs' side (MapRunChildren): the child executions of Distributed Map
// runs. A child runs its map run's item processor under the state machine name PARENT/LABEL:
// STANDARD children are durable executions like any other (their record keeps the map run and
// the parent, execution_record.h), found again by name after a restart so that none starts twice;
// EXPRESS children run in memory.
#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <utility>

#include "broker/states/executions/execution_runner.h"
#include "broker/states/map_runs/item_processor_lookup.h"
#include "broker/states/states_arn.h"
#include "engine/json/json_parse.h"
#include "engine/json/json_serialize.h"
#include "storage/group_committer.h"
#include "storage/random_id.h"

namespace sluice::states {

using engine::executor::Execution;
using engine::executor::ExecutionStatus;

namespace {

std::string member_text(const json::Value& v, std::string_view key) {
  const json::Value* m = v.is_object() ? v.as_object().find(key) : nullptr;
  return m != nullptr && m->is_string() ? m->as_string() : std::string();
}

// MapRunStarted's resume record: the limits the map run started with (execution_map_run.cpp).
// Histories stored before it was written have none: the definition's limits stay.
void apply_recorded_limits(const std::string& record, engine::executor::MapRunRequest& request) {
  if (record.empty()) return;
  auto v = engine::json::parse(record);
  if (!v.ok() || !v->is_object()) return;
  const json::Object& o = v->as_object();
  if (const json::Value* m = o.find("maxConcurrency"); m && m->is_int())
    request.max_concurrency = m->as_int();
  if (const json::Value* c = o.find("toleratedFailureCount"); c && c->is_int())
    request.tolerated_failure_count = c->as_int();
  if (const json::Value* p = o.find("toleratedFailurePercentage"); p && p->is_number())
    request.tolerated_failure_percentage = p->as_number();
}

}  // namespace

SfnResult<MapRunChildStarted> ExecutionRunner::run_child(
    const MapRunChildStart& child, std::function<void(json::Value)> finished) {
  // The parent: a Standard execution in the index, or an Express one in memory.
  std::string parent_machine;
  uint64_t revision = 0;
  std::string test_case;
  if (ExecutionSummary* p = index_.find(child.parent_arn)) {
    parent_machine = p->machine;
    revision = p->revision;
    test_case = p->test_case;
  } else if (!express_identity(child.parent_arn, &parent_machine, &revision, &test_case)) {
    return sfn_error("ExecutionDoesNotExist",
                     "Execution Does Not Exist: '" + child.parent_arn + "'");
  }
  RevisionPtr rev = catalog_.revision(revision);
  const std::string machine = parent_machine + "/" + child.label;
  const StatesIdentity& id = catalog_.identity();
  std::string input_text = engine::json::serialize(child.input);

  engine::executor::ExecutionInfo info;
  info.name = child.name;
  info.state_machine_arn = state_machine_arn(id, machine);
  info.state_machine_name = machine;
  info.role_arn = rev ? rev->role_arn : std::string();
  info.region = id.region;
  // A parent running a mocked test case: the states of its item processor that the test case
  // names are mocked in the children too (Step Functions Local mocks a Map's iterations).
  engine::executor::TaskHandler* tasks =
      test_case.empty() ? nullptr : inherited_mocks(machine, test_case);

  if (child.express) {
    // Started again by a redrive: the same ARN, as AWS keeps it (unless that run still goes).
    info.execution_arn =
        !child.previous_arn.empty() && !express_.count(child.previous_arn)
            ? child.previous_arn
            : express_execution_arn(id, machine, child.name, storage::random_uuid());
    std::string arn = info.execution_arn;
    watchers_[arn].push_back(std::move(finished));  // it may end inside launch_express
    ExpressStart start;
    start.machine = child.processor;
    start.info = std::move(info);
    start.input = child.input;
    start.input_text = std::move(input_text);
    start.machine_name = machine;
    start.revision = revision;
    start.map_run_arn = child.map_run_arn;
    start.tasks = tasks;
    start.test_case = test_case;
    int64_t start_ms = clock_.now_ms();
    launch_express(std::move(start), nullptr, [&start_ms](SfnResult<Started> s) {
      if (s) start_ms = s->start_ms;
    });
    return MapRunChildStarted{arn, start_ms};
  }

  info.execution_arn = execution_arn(id, machine, child.name);
  const std::string arn = info.execution_arn;
  if (ExecutionSummary* existing = index_.find(arn)) {
    // Started before a restart (or earlier in this process): follow it, never start it again.
    int64_t start_ms = existing->start_ms;
    // A redrive of the map run: a child from before it that did not succeed is redriven.
    const bool before = child.redrive_after_ms != 0 &&
                        std::max(existing->start_ms, existing->redrive_ms) < child.redrive_after_ms;
    if (before && existing->status != ExecutionStatus::kSucceeded) {
      redrive_map_run_child(arn, child.redrive_after_ms, std::move(finished));
      return MapRunChildStarted{arn, start_ms};
    }
    if (!watch(arn, std::move(finished))) {
      return internal_failure("The map run's child execution cannot be followed");
    }
    return MapRunChildStarted{arn, start_ms};
  }

  ExecutionSummary s;
  s.id = next_id_++;
  s.arn = arn;
  s.name = child.name;
  s.machine = machine;
  s.revision = revision;
  s.map_run_arn = child.map_run_arn;
  s.parent_arn = child.parent_arn;
  s.test_case = test_case;
  ExecutionSummary& summary = index_.add(std::move(s));
  ++running_[machine];
  ++stats_.standard.started;

  auto live = std::make_shared<LiveExecution>(*journal_, summary);
  storage::ExecutionRecord record;
  record.arn = arn;
  record.id = summary.id;
  record.name = summary.name;
  record.machine = machine;
  record.revision = revision;
  record.map_run_arn = child.map_run_arn;
  record.parent_arn = child.parent_arn;
  record.test_case = test_case;
  live->input = std::make_shared<const std::string>(input_text);
  record.input = std::move(input_text);
  live->unwritten = std::move(record);
  live->recorded = 1;
  live_[arn] = live;
  watchers_[arn].push_back(std::move(finished));

  engine::executor::ExecutionOptions options = execution_options();
  options.input_text = live->input;
  live->exec = Execution::create(child.processor, std::move(info), child.input,
                                 execution_services(live.get(), tasks), options);
  journal_->mark_dirty(*live);
  live->exec->start();
  summary.start_ms = live->exec->start_ms();
  if (live->unwritten) live->unwritten->start_ms = summary.start_ms;
  return MapRunChildStarted{arn, summary.start_ms};
}

void ExecutionRunner::redrive_map_run_child(const std::string& arn, int64_t redrive_after_ms,
                                            std::function<void(json::Value)> finished) {
  ExecutionSummary* s = index_.find(arn);
  if (s == nullptr) return finished(json::Value());
  if (!s->committed || s->status == ExecutionStatus::kRunning || live_.count(arn) ||
      redriving_.count(arn)) {
    // Still stopping (the map run failed or was aborted a moment ago): AWS lets it stop first.
    // Or redriven by this redrive before a restart (a resumed execution's redrive date is known
    // once it runs): then its end is the answer.
    watchers_[arn].push_back(
        [this, arn, redrive_after_ms, finished = std::move(finished)](json::Value d) mutable {
          ExecutionSummary* x = index_.find(arn);
          if (member_text(d, "status") == "SUCCEEDED" || x == nullptr ||
              x->redrive_ms >= redrive_after_ms) {
            return finished(std::move(d));
          }
          redrive_map_run_child(arn, redrive_after_ms, std::move(finished));
        });
    return;
  }
  auto shared = std::make_shared<std::function<void(json::Value)>>(std::move(finished));
  redrive(arn, {}, [this, arn, shared](SfnResult<int64_t> r) {
    if (r) return;  // redriven: the watcher below answers when it ends
    // Not redrivable (its history is too long, its redrivable period is over...): its last
    // outcome stands, and the map run counts it in failuresNotRedrivable.
    ExecutionSummary* x = index_.find(arn);
    auto v = x ? stored_view(*x) : std::nullopt;
    json::Value d = v ? describe_execution_value(*v) : json::Value(json::Object());
    if (d.is_object()) d.as_object().set("redriveStatus", json::Value("NOT_REDRIVABLE"));
    if (*shared) std::exchange(*shared, nullptr)(std::move(d));
  });
  if (*shared && (live_.count(arn) || redriving_.count(arn))) {
    watchers_[arn].push_back([shared](json::Value d) {
      if (*shared) std::exchange(*shared, nullptr)(std::move(d));
    });
  }
}

namespace {

std::array<int64_t, 9> stored_counts(const MapRunCounts& n) {
  return {n.pending,        n.running, n.succeeded, n.failed,
          n.timed_out,      n.aborted, n.total,     n.failures_not_redrivable,
          n.pending_redrive};
}

MapRunCounts counts_of(const std::array<int64_t, 9>& a) {
  MapRunCounts n;
  n.pending = a[0];
  n.running = a[1];
  n.succeeded = a[2];
  n.failed = a[3];
  n.timed_out = a[4];
  n.aborted = a[5];
  n.total = a[6];
  n.failures_not_redrivable = a[7];
  n.pending_redrive = a[8];
  return n;
}

}  // namespace

void ExecutionRunner::save_map_run(const MapRun& run, std::function<void(bool ok)> done) {
  ExecutionSummary* parent = index_.find(run.execution_arn());
  if (parent == nullptr) return done(true);  // an EXPRESS parent: nothing of it is durable
  storage::MapRunRecord record;
  const MapRunLimits limits = run.limits();
  record.max_concurrency = limits.max_concurrency;
  record.tolerated_failure_count = limits.tolerated_failure_count;
  record.tolerated_failure_percentage = limits.tolerated_failure_percentage;
  if (run.express() && run.status() != MapRunStatus::kRunning) {
    storage::MapRunSummary m;
    m.execution_arn = run.execution_arn();
    m.status = static_cast<uint8_t>(run.status());
    m.start_ms = run.start_ms();
    m.stop_ms = run.stop_ms();
    m.redrive_count = run.redrive_count();
    m.redrive_ms = run.redrive_ms();
    m.execution_counts = stored_counts(run.execution_counts());
    m.item_counts = stored_counts(run.item_counts());
    // What a redrive after a restart needs: which children succeeded, and their results.
    for (std::size_t i = 0; i < run.children().size(); ++i) {
      const MapRun::Child& c = run.children()[i];
      storage::MapRunChildOutcome o;
      o.state = static_cast<uint8_t>(c.state);
      o.arn = c.arn;
      o.start_ms = c.start_ms;
      o.stop_ms = c.stop_ms;
      o.items = c.items;
      if (c.state == MapRun::ChildState::kSucceeded && i < run.results().size()) {
        o.result = engine::json::serialize(run.results()[i]);
      }
      m.children.push_back(std::move(o));
    }
    record.summary = std::move(m);
  }
  auto writes = std::make_shared<storage::ExecutionWrites>();
  writes->put_map_run(parent->id, run.arn(), record);
  storage::Mutation mutation;
  mutation.apply = [writes](storage::WriteTxn& txn) { return writes->apply(txn); };
  mutation.done = [done = std::move(done)](Status st) { done(static_cast<bool>(st)); };
  services_.committer->submit(std::move(mutation));
}

std::vector<std::shared_ptr<MapRun>> ExecutionRunner::summarized_map_runs() {
  std::vector<std::shared_ptr<MapRun>> out;
  Status st = store_.scan_map_runs([&](uint64_t, std::string arn, storage::MapRunRecord&& r) {
    if (!r.summary) return;
    const storage::MapRunSummary& m = *r.summary;
    engine::executor::MapRunRequest request;
    request.map_run_arn = arn;
    request.execution_arn = m.execution_arn;
    // mapRun:MACHINE/LABEL:ID
    const std::size_t slash = arn.rfind('/'), colon = arn.rfind(':');
    if (slash != std::string::npos && colon != std::string::npos && slash < colon)
      request.label = arn.substr(slash + 1, colon - slash - 1);
    request.execution_type = engine::asl::ChildExecutionType::kExpress;
    request.max_concurrency = r.max_concurrency;
    request.tolerated_failure_count = r.tolerated_failure_count;
    request.tolerated_failure_percentage = r.tolerated_failure_percentage;
    request.start_ms = m.start_ms;
    request.redrive_count = m.redrive_count;
    request.redrive_ms = m.redrive_ms;
    const auto status = m.status <= static_cast<uint8_t>(MapRunStatus::kAborted)
                            ? static_cast<MapRunStatus>(m.status)
                            : MapRunStatus::kAborted;
    // Its children as they ended (format 3): a redrive keeps those that succeeded.
    std::vector<MapRun::Child> kept;
    json::Array results;
    for (std::size_t i = 0; i < m.children.size(); ++i) {
      const storage::MapRunChildOutcome& o = m.children[i];
      MapRun::Child c;
      c.arn = o.arn;
      c.name = MapRun::name_of(arn, i);
      // One still stopping when the map run ended was stopped by it (the restart ended it if
      // nothing else did): aborted.
      c.state = o.state <= static_cast<uint8_t>(MapRun::ChildState::kAborted) &&
                        o.state != static_cast<uint8_t>(MapRun::ChildState::kRunning)
                    ? static_cast<MapRun::ChildState>(o.state)
                    : MapRun::ChildState::kAborted;
      c.start_ms = o.start_ms;
      c.stop_ms = o.stop_ms;
      c.items = o.items;
      json::Value result;
      if (o.result) {
        auto parsed = engine::json::parse(*o.result);
        if (!parsed)
          c.state = MapRun::ChildState::kFailed;  // unreadable: run it again
        else
          result = std::move(*parsed);
      }
      kept.push_back(std::move(c));
      results.push_back(std::move(result));
    }
    out.push_back(MapRun::summarized(std::move(request), status, m.stop_ms,
                                     counts_of(m.execution_counts), counts_of(m.item_counts),
                                     std::move(kept), std::move(results), *this, clock_));
  });
  if (!st) {
    std::fprintf(stderr, "sluice: step functions: cannot read the map run records: %s\n",
                 st.error().message.c_str());
  }
  return out;
}

std::optional<MapRunLimits> ExecutionRunner::stored_map_run_limits(const std::string& parent_arn,
                                                                   const std::string& map_run_arn) {
  ExecutionSummary* parent = index_.find(parent_arn);
  if (parent == nullptr) return std::nullopt;
  auto record = store_.read_map_run(parent->id, map_run_arn);
  if (!record || !*record) return std::nullopt;
  return MapRunLimits{(*record)->max_concurrency, (*record)->tolerated_failure_count,
                      (*record)->tolerated_failure_percentage};
}

namespace {

MapRun::ChildState child_state(ExecutionStatus s) {
  switch (s) {
    case ExecutionStatus::kRunning:
      return MapRun::ChildState::kRunning;
    case ExecutionStatus::kSucceeded:
      return MapRun::ChildState::kSucceeded;
    case ExecutionStatus::kTimedOut:
      return MapRun::ChildState::kTimedOut;
    case ExecutionStatus::kAborted:
      return MapRun::ChildState::kAborted;
    default:
      return MapRun::ChildState::kFailed;
  }
}

}  // namespace

std::vector<MapRun::Ended> ExecutionRunner::ended_map_runs() {
  using engine::executor::HistoryEventType;
  std::map<std::string, std::vector<ExecutionSummary*>> by_run;
  index_.for_each([&](ExecutionSummary& s) {
    if (!s.map_run_arn.empty() && s.committed) by_run[s.map_run_arn].push_back(&s);
  });
  std::vector<MapRun::Ended> out;
  for (auto& [arn, kids] : by_run) {
    ExecutionSummary* parent = index_.find(kids.front()->parent_arn);
    if (parent == nullptr || parent->status == ExecutionStatus::kRunning) continue;
    MapRun::Ended e;
    e.request.map_run_arn = arn;
    e.request.execution_arn = parent->arn;
    e.request.label = std::string(map_run_label_of(kids.front()->machine));
    // The limits the definition sets; those the map run started with replace them below
    // (MapRunStarted's record: a Path's values), then UpdateMapRun's stored changes.
    if (RevisionPtr rev = catalog_.revision(parent->revision); rev && rev->compiled) {
      if (const auto* st = find_distributed_map(*rev->compiled, e.request.label)) {
        e.request.max_concurrency = st->max_concurrency;
        e.request.tolerated_failure_count = st->tolerated_failure_count;
        e.request.tolerated_failure_percentage = st->tolerated_failure_percentage;
      }
    }
    // How it ended: the parent's MapRunSucceeded/MapRunFailed/MapRunAborted after its
    // MapRunStarted (or its last MapRunRedriven), else it was abandoned (the parent stopped).
    e.status = MapRunStatus::kAborted;
    e.stop_ms = parent->stop_ms;
    if (auto p = load(parent->arn); p) {
      int64_t last = 0;  // the map run's latest MapRunStarted / MapRunRedriven
      for (const auto& ev : p->events) {
        const bool ours = (ev.type == HistoryEventType::kMapRunStarted ||
                           ev.type == HistoryEventType::kMapRunRedriven) &&
                          member_text(ev.details, "mapRunArn") == arn;
        if (ours) {
          last = ev.id;
          e.status = MapRunStatus::kAborted;
          e.stop_ms = parent->stop_ms;
          if (ev.type == HistoryEventType::kMapRunStarted) {
            e.start_ms = ev.timestamp_ms;
            apply_recorded_limits(ev.resume_record, e.request);
          } else {
            const json::Value* n = ev.details.as_object().find("redriveCount");
            e.request.redrive_count = n && n->is_int() ? n->as_int() : e.request.redrive_count + 1;
            e.request.redrive_ms = ev.timestamp_ms;
          }
        } else if (last != 0 && ev.previous_event_id == last &&
                   (ev.type == HistoryEventType::kMapRunSucceeded ||
                    ev.type == HistoryEventType::kMapRunFailed ||
                    ev.type == HistoryEventType::kMapRunAborted)) {
          e.status = ev.type == HistoryEventType::kMapRunSucceeded ? MapRunStatus::kSucceeded
                     : ev.type == HistoryEventType::kMapRunFailed  ? MapRunStatus::kFailed
                                                                   : MapRunStatus::kAborted;
          e.stop_ms = ev.timestamp_ms;
          last = 0;
        }
      }
    }
    if (auto stored = stored_map_run_limits(parent->arn, arn)) {
      e.request.max_concurrency = stored->max_concurrency;
      e.request.tolerated_failure_count = stored->tolerated_failure_count;
      e.request.tolerated_failure_percentage = stored->tolerated_failure_percentage;
    }
    for (ExecutionSummary* k : kids) {
      std::size_t index = 0;
      auto us = k->name.rfind('_');
      if (us == std::string::npos) continue;
      try {
        index = std::stoul(k->name.substr(us + 1));
      } catch (...) {
        continue;
      }
      if (index >= e.children.size()) e.children.resize(index + 1);
      MapRun::Child& c = e.children[index];
      c.arn = k->arn;
      c.name = k->name;
      c.state = child_state(k->status);
      c.start_ms = k->start_ms;
      c.stop_ms = k->stop_ms;
      if (e.start_ms == 0 || k->start_ms < e.start_ms) e.start_ms = k->start_ms;
    }
    for (std::size_t i = 0; i < e.children.size(); ++i) {
      if (e.children[i].name.empty()) e.children[i].name = MapRun::name_of(arn, i);
    }
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace sluice::states
