// Wiring of the Step Functions components and their action groups.
#include "broker/states/states_service.h"

#include "broker/states/catalog/catalog.h"
#include "broker/states/executions/execution_runner.h"
#include "broker/states/executions/reactor_time.h"
#include "broker/states/handlers.h"
#include "broker/states/map_runs/map_run_registry.h"
#include "broker/states/states_arn.h"
#include "broker/states/tasks/resource_check.h"
#include "broker/states/tasks/task_router.h"

namespace sluice::states {

StatesService::StatesService(StatesServices parts, StatesIdentity identity,
                             StatesRequestObserver observer)
    : parts_(parts) {
  tasks_ = std::make_unique<tasks::TaskRouter>(parts_, identity);
  parts_.tasks = tasks_.get();
  parts_.check_resource = [](std::string_view resource) {
    return tasks::check_task_resource(resource);
  };
  clock_ = std::make_unique<SystemClock>();
  timers_ = std::make_unique<ReactorTimers>(parts_.loop, *clock_);
  catalog_ = std::make_unique<Catalog>(parts_, identity, *clock_);
  runner_ = std::make_unique<ExecutionRunner>(parts_, *catalog_, *clock_, *timers_);
  parts_.catalog = catalog_.get();
  parts_.runner = runner_.get();
  parts_.starter = runner_.get();
  map_runs_ = std::make_unique<MapRunRegistry>(*runner_, *clock_, runner_.get());
  runner_->set_map_runs(map_runs_.get());
  parts_.map_runs = map_runs_.get();
  ExecutionRunner* runner = runner_.get();
  catalog_->set_hooks(
      Catalog::Hooks{[runner](const std::string& machine) { return runner->running_of(machine); },
                     [runner](const std::string& machine) { runner->doom(machine); }});
  Catalog* catalog = catalog_.get();
  tasks_->set_activity_exists([catalog](std::string_view activity_arn) {
    auto arn = parse_states_arn(activity_arn);
    return arn && arn->kind == ArnKind::kActivity && catalog->is_local(*arn) &&
           catalog->find_activity(arn->activity) != nullptr;
  });

  ActionTable actions;
  register_state_machine_actions(actions);
  register_version_alias_actions(actions);
  register_activity_actions(actions);
  register_tag_actions(actions);
  register_execution_actions(actions);
  register_map_run_actions(actions);
  register_task_actions(actions, *tasks_);
  register_test_state_action(actions, *clock_, *timers_);
  endpoint_ = std::make_unique<StatesEndpoint>(parts_, std::move(identity), std::move(actions),
                                               std::move(observer));
  parts_.endpoint = endpoint_.get();
}

StatesService::~StatesService() {
  parts_.endpoint = nullptr;
  endpoint_.reset();
  map_runs_->close();
  runner_.reset();
  map_runs_.reset();  // executions hold timers: before the timer service
  catalog_.reset();
  timers_.reset();
}

engine::executor::Clock& StatesService::clock() {
  return *clock_;
}

engine::executor::TimerService& StatesService::timers() {
  return *timers_;
}

Status StatesService::recover() {
  if (auto st = catalog_->recover(); !st) return st;
  if (auto st = runner_->recover(); !st) return st;
  // Map runs of executions that ended before the restart, for DescribeMapRun and the lists.
  for (auto& ended : runner_->ended_map_runs())
    map_runs_->adopt(MapRun::ended(std::move(ended), *runner_, *clock_));
  for (auto& summarized : runner_->summarized_map_runs()) map_runs_->adopt(std::move(summarized));
  catalog_->after_recovery(runner_->revisions_in_use());
  return {};
}

void StatesService::shutdown() {
  runner_->shutdown();
  timers_->shutdown();
  tasks_->shutdown();
}

}  // namespace sluice::states
