// MapRunRegistry: the engine's MapRunService in the server, and the map runs the API describes.
// A Distributed Map state asks it to run a map run (start); it makes a MapRun, or, when the
// parent execution resumed after a restart and asks for the same ARN again, a new MapRun over the
// same deterministic children: those that exist are followed, not started again
// (MapRunChildren::run_child). It keeps every map run of this process for DescribeMapRun,
// ListMapRuns, UpdateMapRun and ListExecutions by mapRunArn.
//
// Thread: the reactor thread only.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "broker/states/map_runs/map_run.h"
#include "engine/executor/clock.h"
#include "engine/executor/map_run_service.h"

namespace sluice::states {

class MapRunRegistry final : public engine::executor::MapRunService {
 public:
  // `store` (optional): where UpdateMapRun's limits and ended EXPRESS map runs are kept.
  MapRunRegistry(MapRunChildren& children, const engine::executor::Clock& clock,
                 MapRunStore* store = nullptr)
      : children_(children), clock_(clock), store_(store) {}

  void start(const engine::executor::MapRunRequest& request,
             std::shared_ptr<engine::executor::MapRunHandle> handle) override;
  void cancel(const engine::executor::MapRunHandle& handle) override;

  // The server is going down: executions dropped from now on leave their map runs alone (their
  // children are not stopped: they resume after the restart).
  void close() { closed_ = true; }

  // Recovery: a map run that ended before the restart (MapRun::ended), unless one of that ARN
  // is known already (its parent resumed and asked for it).
  void adopt(std::shared_ptr<MapRun> run);

  MapRun* find(std::string_view map_run_arn);
  // The execution was deleted (the admin API's reset): its map runs are no longer described or
  // listed. One still running is kept (its parent is stopped first, which ends it).
  void forget_execution(std::string_view execution_arn);
  // UpdateMapRun: applies the new limits, then keeps them (done(false): not durable).
  void update(MapRun& run, std::optional<int64_t> max_concurrency,
              std::optional<int64_t> tolerated_count, std::optional<double> tolerated_percentage,
              std::function<void(bool ok)> done);

 private:
  // A map run made here: its end is kept when its children are EXPRESS (MapRunStore).
  std::shared_ptr<MapRun> make(const engine::executor::MapRunRequest& request);

 public:
  // The map runs an execution started, oldest first.
  std::vector<MapRun*> of_execution(std::string_view execution_arn);

 private:
  MapRunChildren& children_;
  const engine::executor::Clock& clock_;
  MapRunStore* store_;
  bool closed_ = false;
  std::unordered_map<std::string, std::shared_ptr<MapRun>> by_arn_;
  std::unordered_map<std::string, std::vector<std::string>> by_execution_;
  std::unordered_map<const engine::executor::MapRunHandle*, std::weak_ptr<MapRun>> by_handle_;
};

}  // namespace sluice::states
