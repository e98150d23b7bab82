// QueueRecord: a queue's row in the "queues" table (keyed by name).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "storage/queue/queue_attributes.h"
#include "storage/result.h"

namespace sluice::storage {

struct QueueRecord {
  uint64_t id = 0;
  int64_t created_ms = 0;
  int64_t modified_ms = 0;
  // Sequence numbers below this may have been handed out before a crash; after a restart new
  // messages start here, so an old receipt handle can never name a new message.
  uint64_t seq_reserved = 0;
  QueueAttributes attributes;
  std::map<std::string, std::string> tags;

  std::string serialize() const;
  static Result<QueueRecord> deserialize(std::string_view bytes);
};

}  // namespace sluice::storage
