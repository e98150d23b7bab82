// How a Distributed Map run's own record sits in LMDB (the `executions` database, beside the
// execution records of execution_record.h): what the parent's history does not hold.
//
//   'M' parent-id(u64be) map-run-ARN -> MapRunRecord
//
// A map run is otherwise rebuilt from its parent's history and its children's records; this
// record keeps the limits UpdateMapRun set, so that after a restart DescribeMapRun reports them
// and a resumed map run obeys them (written when UpdateMapRun changes them; absent before), and,
// for a map run of EXPRESS children (nothing of which is stored), a summary written when it ends,
// so that it can still be described after a restart.
// Versioned: format 1 is the limits; format 2 appends the summary; format 3 appends the summary's
// children (what a redrive after a restart needs: which EXPRESS children succeeded, with their
// results, so that only the others run again); a reader skips what a later format appends.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::storage {

// One child of an ended map run of EXPRESS children (format 3).
struct MapRunChildOutcome {
  uint8_t state = 0;  // as broker/states/map_runs/map_run.h numbers MapRun::ChildState
  std::string arn;    // empty: never started
  int64_t start_ms = 0;
  int64_t stop_ms = 0;
  int64_t items = 1;
  std::optional<std::string> result;  // JSON text, of a child that succeeded
};

// An ended map run, as DescribeMapRun showed it.
struct MapRunSummary {
  std::string execution_arn;  // the parent
  uint8_t status = 0;         // as broker/states/map_runs/map_run.h numbers MapRunStatus
  int64_t start_ms = 0;
  int64_t stop_ms = 0;
  int64_t redrive_count = 0;
  int64_t redrive_ms = 0;
  // pending, running, succeeded, failed, timed out, aborted, total, failures not redrivable,
  // pending redrive.
  std::array<int64_t, 9> execution_counts{};
  std::array<int64_t, 9> item_counts{};
  // Each child by item index (format 3; empty when read from format 2).
  std::vector<MapRunChildOutcome> children;
};

struct MapRunRecord {
  int64_t max_concurrency = 0;
  std::optional<int64_t> tolerated_failure_count;
  std::optional<double> tolerated_failure_percentage;
  std::optional<MapRunSummary> summary;  // format 2
};

std::string map_run_record_key(uint64_t parent_id, std::string_view map_run_arn);
// The map run ARN of a map run record key; false when `key` is not one.
bool split_map_run_record_key(std::string_view key, uint64_t* parent_id, std::string* map_run_arn);
std::string encode_map_run_record(const MapRunRecord& r);
// nullopt: not a map run record of a format this build reads.
std::optional<MapRunRecord> decode_map_run_record(std::string_view bytes);

}  // namespace sluice::storage
