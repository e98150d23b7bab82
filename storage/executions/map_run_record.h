// How a Distributed Map run's own record sits in LMDB (the `executions` database, beside the
// execution records of execution_record.h): what the parent's history does not hold.
//
//   'M' parent-id(u64be) map-run-ARN -> MapRunRecord
//
// A map run is otherwise rebuilt from its parent's history and its children's records; this
// record keeps the limits UpdateMapRun set, so that after a restart DescribeMapRun reports them
// and a resumed map run obeys them. Written when UpdateMapRun changes them (absent before).
// Versioned: format 1 is the limits; a reader skips what a later format appends.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::storage {

struct MapRunRecord {
  int64_t max_concurrency = 0;
  std::optional<int64_t> tolerated_failure_count;
  std::optional<double> tolerated_failure_percentage;
};

std::string map_run_record_key(uint64_t parent_id, std::string_view map_run_arn);
std::string encode_map_run_record(const MapRunRecord& r);
// nullopt: not a map run record of a format this build reads.
std::optional<MapRunRecord> decode_map_run_record(std::string_view bytes);

}  // namespace sluice::storage
