// MapRun: one Distributed Map run (the API's Map Run): the child executions a Distributed Map
// state starts, one per item or batch, and the runtime settings that govern them. It launches
// children through MapRunChildren as MaxConcurrency allows, counts them as they end, fails when
// more fail than ToleratedFailureCount/Percentage allow (States.ExceedToleratedFailureThreshold)
// and otherwise answers the parent's Map state with every child's output, in item order.
//
// Invariants:
//  - child i is named name_of(i), a function of the map run ARN and i: after a restart the same
//    item finds the same (durable, STANDARD) execution, so no item runs twice;
//  - at most max_concurrency children run at once (0: AWS's limit, 10,000); UpdateMapRun may
//    change it and the tolerance while the map run runs;
//  - the parent's handle is answered once; children that end afterwards only update the counts.
//
// Thread: the reactor thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "broker/states/map_runs/map_run_children.h"
#include "broker/states/map_runs/map_run_store.h"
#include "engine/executor/clock.h"
#include "engine/executor/map_run_service.h"

namespace sluice::states {

// The numbers are stored (a map run record's summary, storage/executions/map_run_record.h).
enum class MapRunStatus : uint8_t { kRunning = 0, kSucceeded = 1, kFailed = 2, kAborted = 3 };
const char* map_run_status_name(MapRunStatus s);

// DescribeMapRun's itemCounts and executionCounts.
struct MapRunCounts {
  int64_t pending = 0, running = 0, succeeded = 0, failed = 0, timed_out = 0, aborted = 0,
          total = 0;
  // Redrive: unsuccessful children that could not be redriven, and those waiting for their
  // redrive while the redriven map run runs (0 once it has ended).
  int64_t failures_not_redrivable = 0, pending_redrive = 0;
};

class MapRun : public std::enable_shared_from_this<MapRun> {
 public:
  // AWS's limit on a map run's concurrent children, and what MaxConcurrency 0 means.
  static constexpr int64_t kMaxConcurrency = 10000;

  MapRun(engine::executor::MapRunRequest request, MapRunChildren& children,
         const engine::executor::Clock& clock);

  enum class ChildState : uint8_t { kPending, kRunning, kSucceeded, kFailed, kTimedOut, kAborted };
  struct Child {
    std::string arn;
    std::string name;
    ChildState state = ChildState::kPending;
    int64_t start_ms = 0;
    int64_t stop_ms = 0;
    int64_t items = 1;             // items in its batch
    bool pending_redrive = false;  // unsuccessful before the redrive, not yet started again
    bool not_redrivable = false;   // unsuccessful, and its redrive was refused
  };
  // A map run that ended before a restart, rebuilt for the API from its parent's history and its
  // children's records (recovery): it starts and answers nothing.
  struct Ended {
    engine::executor::MapRunRequest request;  // ARN, parent, label, limits; no inputs
    MapRunStatus status = MapRunStatus::kSucceeded;
    int64_t start_ms = 0;
    int64_t stop_ms = 0;
    std::vector<Child> children;  // by item index; children never started are kPending
  };
  static std::shared_ptr<MapRun> ended(Ended e, MapRunChildren& children,
                                       const engine::executor::Clock& clock);

  // A redrive (the request's redrive_count > 0) of `previous`, the map run of that ARN this
  // process knows (nullptr: none, e.g. after a restart): keeps its limits (UpdateMapRun's) and
  // start date, and the children that succeeded with their results; the others run again.
  // Call before run().
  void redrive_from(const MapRun* previous);

  // Answers `handle` when the map run ends (now, if it has already).
  void attach(std::shared_ptr<engine::executor::MapRunHandle> handle);
  // Launches children up to the concurrency limit. Call once, after attach.
  void run();
  // The parent abandoned the Map state: running children are stopped; the map run is ABORTED.
  void abort();
  // Called once when the map run ends (SUCCEEDED, FAILED or ABORTED).
  void on_end(std::function<void(const MapRun&)> fn) { on_end_ = std::move(fn); }
  // A map run of EXPRESS children that ended before a restart, from its stored summary: it
  // describes itself with the stored counts. `kept` (by item index, with `results` of those that
  // succeeded) are its children as they ended, when the summary keeps them: a redrive then runs
  // only those that did not succeed; without them (an older summary) every child runs again.
  static std::shared_ptr<MapRun> summarized(engine::executor::MapRunRequest request,
                                            MapRunStatus status, int64_t stop_ms,
                                            MapRunCounts execution_counts, MapRunCounts item_counts,
                                            std::vector<Child> kept, json::Array results,
                                            MapRunChildren& children,
                                            const engine::executor::Clock& clock);
  bool express() const {
    return request_.execution_type == engine::asl::ChildExecutionType::kExpress;
  }

  // The limits stored for this map run (MapRunStore), before run().
  void restore_limits(const MapRunLimits& limits);
  MapRunLimits limits() const {
    return MapRunLimits{max_concurrency_, tolerated_count_, tolerated_percentage_};
  }
  // UpdateMapRun: new limits, applied at once (more children may start, or the map run fail).
  void update(std::optional<int64_t> max_concurrency, std::optional<int64_t> tolerated_count,
              std::optional<double> tolerated_percentage);

  const std::string& arn() const { return request_.map_run_arn; }
  const std::string& execution_arn() const { return request_.execution_arn; }
  const std::string& label() const { return request_.label; }
  MapRunStatus status() const { return status_; }
  int64_t start_ms() const { return start_ms_; }
  int64_t stop_ms() const { return stop_ms_; }
  int64_t max_concurrency() const { return max_concurrency_; }
  int64_t tolerated_failure_count() const { return tolerated_count_.value_or(0); }
  double tolerated_failure_percentage() const { return tolerated_percentage_.value_or(0.0); }
  int64_t redrive_count() const { return redrive_count_; }
  int64_t redrive_ms() const { return redrive_ms_; }
  MapRunCounts item_counts() const;
  MapRunCounts execution_counts() const;

  const std::vector<Child>& children() const { return children_; }
  // Child i's output once it succeeded ({Error, Cause} once it failed; null before).
  const json::Array& results() const { return results_; }
  // The deterministic name of child `index` of the map run `map_run_arn`.
  static std::string name_of(const std::string& map_run_arn, std::size_t index);

 private:
  void pump();
  void launch(std::size_t index);
  void child_finished(std::size_t index, const json::Value& description);
  bool threshold_exceeded() const;
  void settle();  // answers the parent when the map run has ended
  void stop_running(const char* error, const char* cause);
  void end(MapRunStatus status);  // leaves RUNNING
  MapRunCounts counts(bool by_items) const;

  engine::executor::MapRunRequest request_;
  MapRunChildren& starter_;
  const engine::executor::Clock& clock_;
  std::shared_ptr<engine::executor::MapRunHandle> handle_;
  std::vector<Child> children_;
  json::Array results_;
  MapRunStatus status_ = MapRunStatus::kRunning;
  int64_t start_ms_ = 0;
  int64_t stop_ms_ = 0;
  int64_t redrive_count_ = 0;
  int64_t redrive_ms_ = 0;
  bool rebuilt_ = false;        // MapRun::ended / summarized: no results of its children
  bool kept_children_ = false;  // summarized with its children and their results
  std::function<void(const MapRun&)> on_end_;
  std::optional<std::pair<MapRunCounts, MapRunCounts>> summary_;  // executions, items
  int64_t max_concurrency_ = 0;
  std::optional<int64_t> tolerated_count_;
  std::optional<double> tolerated_percentage_;
  std::size_t next_ = 0;
  std::size_t running_ = 0;
  std::size_t done_ = 0;
  std::size_t failed_ = 0;
  bool pumping_ = false;
  bool answered_ = false;
  std::optional<std::pair<std::string, std::string>> failure_;  // error, cause
};

}  // namespace sluice::states
