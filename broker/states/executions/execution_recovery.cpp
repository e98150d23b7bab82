// ExecutionRunner, the replaying side: rebuilding the index of executions from the execution store
// after a restart, and restoring a stored execution into a live one (to resume it, or to redrive
// it). Kept apart from the writing side (execution_journal.cpp) and from the API's semantics
// (execution_runner.cpp). The persistence contract it relies on is
// engine/executor/history_sink.h.
#include <cstdio>

#include "broker/states/executions/execution_runner.h"
#include "broker/states/map_runs/item_processor_lookup.h"
#include "broker/states/states_arn.h"
#include "engine/executor/history_event_codec.h"
#include "engine/json/json_parse.h"

namespace sluice::states {

using engine::executor::Execution;
using engine::executor::ExecutionStatus;

namespace {

void log_recovery(const char* what, const std::string& message) {
  std::fprintf(stderr, "sluice: step functions: %s: %s\n", what, message.c_str());
}

}  // namespace

Status ExecutionRunner::recover() {
  std::vector<ExecutionSummary*> running;
  auto st = store_.scan([&](const storage::ExecutionKey& key, storage::ExecutionRecord&& record,
                            std::optional<storage::StoredOutcome>&& outcome) {
    ExecutionSummary s;
    s.id = record.id;
    s.arn = key.arn;
    s.keyed_by_arn = key.by_arn;
    s.name = std::move(record.name);
    s.machine = std::move(record.machine);
    s.version_arn = std::move(record.version_arn);
    s.alias_arn = std::move(record.alias_arn);
    s.revision = record.revision;
    s.map_run_arn = std::move(record.map_run_arn);
    s.parent_arn = std::move(record.parent_arn);
    s.test_case = record.test_case;
    s.start_ms = record.start_ms;
    s.committed = true;
    if (outcome) {
      s.status = outcome->status;
      s.stop_ms = outcome->stop_ms;
      s.redrive_count = outcome->redrive_count;
      s.redrive_ms = outcome->redrive_ms;
    }
    next_id_ = std::max(next_id_, s.id + 1);
    ExecutionSummary& added = index_.add(std::move(s));
    if (added.status == ExecutionStatus::kRunning) {
      ++running_[added.machine];
      running.push_back(&added);
    }
  });
  if (!st) return st;
  for (ExecutionSummary* s : running) resume_running(*s);
  return {};
}

void ExecutionRunner::resume_running(ExecutionSummary& s) {
  auto live = restored(s);
  if (!live) return;  // cannot run: stays RUNNING, StopExecution ends it from storage
  // The record and every stored event are durable already; new events continue the history.
  std::shared_ptr<Execution> exec = live->exec;
  live_[s.arn] = live;
  Status st = exec->resume();
  if (!st) log_recovery("resuming failed", s.arn + ": " + st.error().message);
  if (live->summary) {
    live->summary->redrive_count = static_cast<uint32_t>(exec->redrive_count());
    live->summary->redrive_ms = exec->redrive_ms();
  }
}

std::shared_ptr<LiveExecution> ExecutionRunner::restored(ExecutionSummary& s) {
  RevisionPtr revision = catalog_.revision(s.revision);
  if (!revision || !revision->compiled) {
    log_recovery("no definition to continue", s.arn);
    return nullptr;
  }
  auto persisted = load(s.arn);
  if (!persisted) {
    log_recovery("cannot read the history of", s.arn);
    return nullptr;
  }
  auto input = engine::json::parse(persisted->record.input);
  if (!input) return nullptr;
  // A map run's child runs the item processor of its parent's Distributed Map.
  std::shared_ptr<const engine::asl::StateMachine> compiled = revision->compiled;
  if (!persisted->record.map_run_arn.empty()) {
    compiled = find_item_processor(*revision->compiled, map_run_label_of(s.machine));
    if (!compiled) {
      log_recovery("no item processor to continue", s.arn);
      return nullptr;
    }
  }
  // A mocked test case answers from the same mocks as before the restart.
  engine::executor::TaskHandler* tasks = nullptr;
  if (!persisted->record.test_case.empty()) {
    tasks = inherited_mocks(s.machine, persisted->record.test_case);
    if (!tasks) {
      log_recovery("the mock configuration no longer has the test case of",
                   s.arn + "#" + persisted->record.test_case);
      return nullptr;
    }
  }
  engine::executor::ExecutionInfo info;
  info.execution_arn = s.arn;
  info.name = s.name;
  info.state_machine_arn = state_machine_arn(catalog_.identity(), s.machine);
  info.state_machine_name = s.machine;
  info.role_arn = revision->role_arn;
  info.region = catalog_.identity().region;
  info.state_machine_version_arn = s.version_arn;
  info.state_machine_alias_arn = s.alias_arn;
  auto live = std::make_shared<LiveExecution>(*journal_, s);
  live->input = std::make_shared<const std::string>(persisted->record.input);
  engine::executor::ExecutionOptions options = execution_options();
  options.input_text = live->input;
  live->recorded = live->durable = 1 + persisted->events.size();
  live->beats = persisted->heartbeats;
  engine::executor::PersistedHistory history;
  history.events = std::move(persisted->events);
  history.heartbeats = std::move(persisted->heartbeats);
  live->exec =
      Execution::restore(std::move(compiled), std::move(info), std::move(*input),
                         execution_services(live.get(), tasks), options, std::move(history));
  if (!live->exec) return nullptr;
  return live;
}

SfnResult<ExecutionRunner::Persisted> ExecutionRunner::load(std::string_view arn) {
  auto s = summary(arn);
  if (!s) return std::move(s).error();
  auto stored = store_.load(key_of(**s));
  if (!stored) {
    if (stored.error().code == ErrorCode::kResourceNotFound) {
      return sfn_error("ExecutionDoesNotExist",
                       "Execution Does Not Exist: '" + std::string(arn) + "'");
    }
    return internal_failure(stored.error().message);
  }
  Persisted p;
  p.record = std::move(stored->record);
  p.outcome = std::move(stored->outcome);
  if (!stored->heartbeats.empty()) {
    auto beats = engine::executor::decode_heartbeats(stored->heartbeats);
    if (!beats) return internal_failure("load: corrupt heartbeats");
    p.heartbeats = std::move(*beats);
  }
  p.events.reserve(stored->events.size());
  for (auto& [id, bytes] : stored->events) {
    auto e = engine::executor::decode_full_history_event(id, bytes, p.record.input);
    if (!e) return internal_failure("load: corrupt event");
    p.events.push_back(std::move(*e));
  }
  return p;
}

}  // namespace sluice::states
