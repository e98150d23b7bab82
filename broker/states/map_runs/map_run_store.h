// MapRunStore: what is kept durably of a map run itself (the ExecutionRunner: a map run record
// beside its parent's, storage/executions/map_run_record.h): its limits as UpdateMapRun last set
// them (else after a restart they would be the definition's again; a Path's values are in the
// parent's history, MapRunStarted's record), and, once a map run of EXPRESS children has ended,
// a summary of it (nothing else of it is stored). Thread: the reactor thread.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace sluice::states {

class MapRun;

struct MapRunLimits {
  int64_t max_concurrency = 0;
  std::optional<int64_t> tolerated_failure_count;
  std::optional<double> tolerated_failure_percentage;
};

class MapRunStore {
 public:
  virtual ~MapRunStore() = default;
  // Writes the map run's record: its limits, and its summary when it has ended and its children
  // are EXPRESS. `done(true)` once durable; false when it could not be written. A map run of an
  // EXPRESS parent has nothing durable: done(true) at once.
  virtual void save_map_run(const MapRun& run, std::function<void(bool ok)> done) = 0;
  virtual std::optional<MapRunLimits> stored_map_run_limits(const std::string& parent_arn,
                                                            const std::string& map_run_arn) = 0;
};

}  // namespace sluice::states
