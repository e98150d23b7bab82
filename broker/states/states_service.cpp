// Wiring of the Step Functions components and their action groups.
#include "broker/states/states_service.h"

#include "broker/states/handlers.h"

namespace sluice::states {

StatesService::StatesService(StatesServices parts, StatesIdentity identity,
                             StatesRequestObserver observer)
    : parts_(parts) {
  ActionTable actions;
  // register_*_actions(actions) for each group, as the groups are built.
  endpoint_ = std::make_unique<StatesEndpoint>(parts_, std::move(identity), std::move(actions),
                                               std::move(observer));
}

StatesService::~StatesService() = default;

Status StatesService::recover() {
  return {};
}

void StatesService::shutdown() {}

}  // namespace sluice::states
