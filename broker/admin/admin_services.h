// AdminServices: what the admin API reaches, filled by the reactor. The same services the AWS
// APIs use, so a reset keeps every index and in-memory state consistent with LMDB.
#pragma once

namespace sluice::storage {
class QueueStore;
}
namespace sluice::engine::executor {
class Clock;
class TimerService;
}  // namespace sluice::engine::executor
namespace sluice::states {
class StatesEndpoint;
class Catalog;
class ExecutionRunner;
class MapRunRegistry;
}  // namespace sluice::states
namespace sluice::pipes {
class PipeCatalog;
}

namespace sluice::admin {

struct AdminServices {
  storage::QueueStore* queues = nullptr;
  states::StatesEndpoint* states = nullptr;  // DeleteStateMachine, DeleteActivity as requests run
  states::Catalog* catalog = nullptr;        // which state machines and activities exist
  states::ExecutionRunner* runner = nullptr;
  states::MapRunRegistry* map_runs = nullptr;  // forgets the map runs of deleted executions
  pipes::PipeCatalog* pipes = nullptr;
  engine::executor::Clock* clock = nullptr;
  engine::executor::TimerService* timers = nullptr;  // to wait for deletes that finish later
};

}  // namespace sluice::admin
