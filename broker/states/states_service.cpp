// Wiring of the Step Functions components and their action groups.
#include "broker/states/states_service.h"

#include "broker/states/handlers.h"
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
  ActionTable actions;
  register_task_actions(actions, *tasks_);
  // register_*_actions(actions) for each group, as the groups are built.
  endpoint_ = std::make_unique<StatesEndpoint>(parts_, std::move(identity), std::move(actions),
                                               std::move(observer));
}

StatesService::~StatesService() = default;

Status StatesService::recover() {
  return {};
}

void StatesService::shutdown() {
  tasks_->shutdown();
}

}  // namespace sluice::states
