// ExecutionIndex: the in-memory list of Standard executions (recent and old), enough to answer
// ListExecutions and to find an execution's records without scanning LMDB. A summary holds no
// input or output (those stay in LMDB); it shows the *committed* state: an execution appears once
// its start is durable and its status changes once its outcome is.
//
// Thread: the reactor thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/executor/execution_status.h"
#include "storage/executions/execution_record.h"

namespace sluice::states {

struct ExecutionSummary {
  uint64_t id = 0;  // history key prefix; ids grow with start order
  std::string arn;
  std::string name;
  std::string machine;  // state machine name
  std::string version_arn;
  std::string alias_arn;
  uint64_t revision = 0;
  std::string map_run_arn;  // a Distributed Map's child execution: its map run
  std::string parent_arn;   // and the execution whose map run it is
  // The mocked test case it runs (--mock-config; from its record): a Distributed Map's children
  // run it too.
  std::string test_case;
  int64_t start_ms = 0;
  int64_t stop_ms = 0;
  engine::executor::ExecutionStatus status = engine::executor::ExecutionStatus::kRunning;
  uint32_t redrive_count = 0;
  int64_t redrive_ms = 0;
  // RedriveExecution's clientTokens (the last 10, with the redriveDate each answered): a repeat
  // within 15 minutes gets the same answer. In memory only, as a retry follows its request.
  struct RedriveToken {
    std::string token;
    int64_t redrive_ms = 0;
  };
  std::vector<RedriveToken> redrive_tokens;
  bool committed = false;     // its ExecutionStarted is durable
  bool keyed_by_arn = false;  // its records were stored before they were keyed by number
};

// Where the summary's execution is stored.
inline storage::ExecutionKey key_of(const ExecutionSummary& s) {
  return storage::ExecutionKey{s.id, s.arn, s.keyed_by_arn};
}

class ExecutionIndex {
 public:
  ExecutionSummary& add(ExecutionSummary s);
  void remove(std::string_view arn);
  ExecutionSummary* find(std::string_view arn);
  std::size_t size() const { return by_arn_.size(); }

  // Committed executions of `machine`, newest first, starting below id `before` (exclusive; 0:
  // from the newest). `visit` returns false to stop.
  void newest_first(const std::string& machine, uint64_t before,
                    const std::function<bool(const ExecutionSummary&)>& visit) const;
  void for_each(const std::function<void(ExecutionSummary&)>& visit);

 private:
  std::unordered_map<std::string, std::unique_ptr<ExecutionSummary>> by_arn_;
  std::unordered_map<std::string, std::map<uint64_t, ExecutionSummary*>> by_machine_;
};

}  // namespace sluice::states
