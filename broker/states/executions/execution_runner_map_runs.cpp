// ExecutionRunner, the map runs' side (MapRunChildren): the child executions of Distributed Map
// runs. A child runs its map run's item processor under the state machine name PARENT/LABEL:
// STANDARD children are durable executions like any other (their record keeps the map run and
// the parent, execution_record.h), found again by name after a restart so that none starts twice;
// EXPRESS children run in memory.
#include <map>

#include "broker/states/executions/execution_runner.h"
#include "broker/states/map_runs/item_processor_lookup.h"
#include "broker/states/states_arn.h"
#include "engine/json/json_serialize.h"
#include "storage/random_id.h"

namespace sluice::states {

using engine::executor::Execution;
using engine::executor::ExecutionStatus;

SfnResult<MapRunChildStarted> ExecutionRunner::run_child(
    const MapRunChildStart& child, std::function<void(json::Value)> finished) {
  // The parent: a Standard execution in the index, or an Express one in memory.
  std::string parent_machine;
  uint64_t revision = 0;
  if (ExecutionSummary* p = index_.find(child.parent_arn)) {
    parent_machine = p->machine;
    revision = p->revision;
  } else if (!express_identity(child.parent_arn, &parent_machine, &revision)) {
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

  if (child.express) {
    info.execution_arn = express_execution_arn(id, machine, child.name, storage::random_uuid());
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
  live->input = std::make_shared<const std::string>(input_text);
  record.input = std::move(input_text);
  live->unwritten = std::move(record);
  live->recorded = 1;
  live_[arn] = live;
  watchers_[arn].push_back(std::move(finished));

  engine::executor::ExecutionOptions options = execution_options();
  options.input_text = live->input;
  live->exec = Execution::create(child.processor, std::move(info), child.input,
                                 execution_services(live.get()), options);
  journal_->mark_dirty(*live);
  live->exec->start();
  summary.start_ms = live->exec->start_ms();
  if (live->unwritten) live->unwritten->start_ms = summary.start_ms;
  return MapRunChildStarted{arn, summary.start_ms};
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
    // The limits the definition sets (what a Path or UpdateMapRun chose is not kept).
    if (RevisionPtr rev = catalog_.revision(parent->revision); rev && rev->compiled) {
      if (const auto* st = find_distributed_map(*rev->compiled, e.request.label)) {
        e.request.max_concurrency = st->max_concurrency;
        e.request.tolerated_failure_count = st->tolerated_failure_count;
        e.request.tolerated_failure_percentage = st->tolerated_failure_percentage;
      }
    }
    // How it ended: the parent's MapRunSucceeded/MapRunFailed after its MapRunStarted, else it
    // was abandoned (the parent stopped).
    e.status = MapRunStatus::kAborted;
    e.stop_ms = parent->stop_ms;
    if (auto p = load(parent->arn); p) {
      int64_t started = 0;
      for (const auto& ev : p->events) {
        if (ev.type == HistoryEventType::kMapRunStarted && ev.details.is_object()) {
          const json::Value* a = ev.details.as_object().find("mapRunArn");
          if (a && a->is_string() && a->as_string() == arn) {
            started = ev.id;
            e.start_ms = ev.timestamp_ms;
          }
        } else if (started != 0 && ev.previous_event_id == started &&
                   (ev.type == HistoryEventType::kMapRunSucceeded ||
                    ev.type == HistoryEventType::kMapRunFailed)) {
          e.status = ev.type == HistoryEventType::kMapRunSucceeded ? MapRunStatus::kSucceeded
                                                                   : MapRunStatus::kFailed;
          e.stop_ms = ev.timestamp_ms;
          break;
        }
      }
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
