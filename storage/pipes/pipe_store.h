// PipeStore: EventBridge pipes in LMDB (`pipes` database, keyed by pipe name). A record holds the
// pipe's definition as its API layer encodes it (opaque here), its requested and current state
// with the reason, and its times. Writes are Mutations for the GroupCommitter, like every other
// store's; the pipe API answers once they commit, so a created, started, stopped or updated pipe
// is what a restart finds (kill -9 included). Pure encoding plus one scan: any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "storage/group_committer.h"
#include "storage/lmdb/environment.h"
#include "storage/result.h"

namespace sluice::storage {

struct PipeRecord {
  std::string definition;     // encoded by broker/pipes
  uint8_t desired_state = 0;  // broker/pipes' enum values
  uint8_t current_state = 0;
  std::string state_reason;
  int64_t created_ms = 0;
  int64_t modified_ms = 0;

  std::string serialize() const;
  static std::optional<PipeRecord> deserialize(std::string_view bytes);
};

class PipeStore {
 public:
  explicit PipeStore(Environment& env) : env_(env) {}

  // Every stored pipe, in name order.
  Status scan(const std::function<void(std::string_view name, PipeRecord&&)>& visit);

  // Writes (or replaces) / deletes a pipe's record; `done` runs on the owner thread.
  static Mutation put(std::string name, const PipeRecord& record, std::function<void(Status)> done);
  static Mutation remove(std::string name, std::function<void(Status)> done);

 private:
  Environment& env_;
};

}  // namespace sluice::storage
