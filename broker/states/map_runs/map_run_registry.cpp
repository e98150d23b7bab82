// See map_run_registry.h.
#include "broker/states/map_runs/map_run_registry.h"

namespace sluice::states {

void MapRunRegistry::start(const engine::executor::MapRunRequest& request,
                           std::shared_ptr<engine::executor::MapRunHandle> handle) {
  if (closed_) return;
  auto it = by_arn_.find(request.map_run_arn);
  const MapRun* previous = it == by_arn_.end() ? nullptr : it->second.get();
  const bool redrive = request.redrive_count > 0 &&
                       (previous == nullptr || request.redrive_count > previous->redrive_count());
  if (previous != nullptr && !redrive && previous->status() != MapRunStatus::kAborted) {
    // Asked again for a map run this process runs: answer from the one there is.
    by_handle_[handle.get()] = it->second;
    it->second->attach(std::move(handle));
    return;
  }
  auto run = make(request);
  if (previous == nullptr && store_ != nullptr) {
    // Asked again after a restart: the limits UpdateMapRun set, if it did.
    if (auto stored = store_->stored_map_run_limits(request.execution_arn, request.map_run_arn))
      run->restore_limits(*stored);
  }
  if (redrive) run->redrive_from(previous);
  if (it == by_arn_.end()) by_execution_[request.execution_arn].push_back(request.map_run_arn);
  by_arn_[request.map_run_arn] = run;
  by_handle_[handle.get()] = run;
  run->attach(std::move(handle));
  run->run();
}

void MapRunRegistry::cancel(const engine::executor::MapRunHandle& handle) {
  if (closed_) return;
  auto it = by_handle_.find(&handle);
  if (it == by_handle_.end()) return;
  if (auto run = it->second.lock()) run->abort();
  by_handle_.erase(it);
}

void MapRunRegistry::adopt(std::shared_ptr<MapRun> run) {
  if (by_arn_.count(run->arn())) return;
  by_execution_[run->execution_arn()].push_back(run->arn());
  by_arn_[run->arn()] = std::move(run);
}

void MapRunRegistry::update(MapRun& run, std::optional<int64_t> max_concurrency,
                            std::optional<int64_t> tolerated_count,
                            std::optional<double> tolerated_percentage,
                            std::function<void(bool ok)> done) {
  run.update(max_concurrency, tolerated_count, tolerated_percentage);
  if (store_ == nullptr) return done(true);
  store_->save_map_run(run, std::move(done));
}

std::shared_ptr<MapRun> MapRunRegistry::make(const engine::executor::MapRunRequest& request) {
  auto run = std::make_shared<MapRun>(request, children_, clock_);
  if (store_ != nullptr && request.execution_type == engine::asl::ChildExecutionType::kExpress) {
    // Nothing of its children is stored: a summary keeps it describable after a restart.
    MapRunStore* store = store_;
    run->on_end([store](const MapRun& ended) { store->save_map_run(ended, [](bool) {}); });
  }
  return run;
}

MapRun* MapRunRegistry::find(std::string_view map_run_arn) {
  auto it = by_arn_.find(std::string(map_run_arn));
  return it == by_arn_.end() ? nullptr : it->second.get();
}

void MapRunRegistry::forget_execution(std::string_view execution_arn) {
  auto it = by_execution_.find(std::string(execution_arn));
  if (it == by_execution_.end()) return;
  std::vector<std::string> kept;
  for (const std::string& arn : it->second) {
    auto run = by_arn_.find(arn);
    if (run == by_arn_.end()) continue;
    if (run->second->status() == MapRunStatus::kRunning) {
      kept.push_back(arn);
    } else {
      by_arn_.erase(run);
    }
  }
  if (kept.empty()) {
    by_execution_.erase(it);
  } else {
    it->second = std::move(kept);
  }
}

std::vector<MapRun*> MapRunRegistry::of_execution(std::string_view execution_arn) {
  std::vector<MapRun*> out;
  auto it = by_execution_.find(std::string(execution_arn));
  if (it == by_execution_.end()) return out;
  for (const auto& arn : it->second) {
    if (MapRun* r = find(arn)) out.push_back(r);
  }
  return out;
}

}  // namespace sluice::states
