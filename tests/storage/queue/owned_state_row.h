// A StateRow copied out of the callback that handed it (its group points into LMDB's or the
// snapshot's bytes only during the call), comparable: what the tests of the cold scan, its
// prefetch and the index snapshot compare.
#pragma once

#include <cstdint>
#include <string>

#include "storage/queue/index_snapshot.h"

namespace sluice::storage::testing {

struct Row {
  uint64_t queue_id, seq;
  int64_t sent_ms, visible_at_ms, first_receive_ms;
  uint32_t receive_count;
  std::string group;
  bool operator==(const Row&) const = default;
};

inline Row owned(const StateRow& r) {
  return {r.queue_id,         r.seq,           r.sent_ms,           r.visible_at_ms,
          r.first_receive_ms, r.receive_count, std::string(r.group)};
}

}  // namespace sluice::storage::testing
