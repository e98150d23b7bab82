// MapRunLimitsStore: where a map run's limits, as UpdateMapRun last set them, are kept durably
// (the ExecutionRunner: a map run record beside its parent's, storage/executions/
// map_run_record.h). Without it they would be the definition's again after a restart; a Path's
// values are in the parent's history (MapRunStarted's record). Thread: the reactor thread.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace sluice::states {

struct MapRunLimits {
  int64_t max_concurrency = 0;
  std::optional<int64_t> tolerated_failure_count;
  std::optional<double> tolerated_failure_percentage;
};

class MapRunLimitsStore {
 public:
  virtual ~MapRunLimitsStore() = default;
  // `done(true)` once they are durable; false when they could not be written. A map run of an
  // EXPRESS parent has nothing durable: done(true) at once.
  virtual void save_map_run_limits(const std::string& parent_arn, const std::string& map_run_arn,
                                   const MapRunLimits& limits,
                                   std::function<void(bool ok)> done) = 0;
  virtual std::optional<MapRunLimits> stored_map_run_limits(const std::string& parent_arn,
                                                            const std::string& map_run_arn) = 0;
};

}  // namespace sluice::states
