// ExecutionRunner, the map runs' side (MapRunChildren): the child executions of Distributed Map
// runs. A child runs its map run's item processor under the state machine name PARENT/LABEL:
// STANDARD children are durable executions like any other (their record keeps the map run and
// the parent, execution_record.h), found again by name after a restart so that none starts twice;
// EXPRESS children run in memory.
#include "broker/states/executions/execution_runner.h"
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

  engine::executor::ExecutionOptions options;
  options.keep_history = false;
  options.input_text = live->input;
  live->exec = Execution::create(child.processor, std::move(info), child.input,
                                 execution_services(live.get()), options);
  journal_->mark_dirty(*live);
  live->exec->start();
  summary.start_ms = live->exec->start_ms();
  if (live->unwritten) live->unwritten->start_ms = summary.start_ms;
  return MapRunChildStarted{arn, summary.start_ms};
}

}  // namespace sluice::states
