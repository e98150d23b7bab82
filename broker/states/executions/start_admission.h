// StartAdmission: bounds the work that StartExecution and StartSyncExecution requests have handed
// to the execution runner and not yet been answered for: a Standard start until its
// ExecutionStarted commit, a synchronous Express start until its execution ends. Each request
// counts the bytes of its input and name; a request that would take the total past the limit
// (when anything is waiting at all) is refused with ThrottlingException ("Rate exceeded", which
// every SDK retries with backoff), so memory stays bounded when starts arrive faster than commits
// complete, and the caller hears so at once. In-process starts (pipes, states:startExecution
// tasks, Map Run children) do not pass through here: each is bounded by its own caller.
//
// The limit is --max-uncommitted-mib, the one that bounds SQS sends (sqs/message_service.h).
// Thread: the reactor thread only.
#pragma once

#include <cstddef>
#include <cstdint>

#include "broker/states/sfn_error.h"

namespace sluice::states {

class StartAdmission {
 public:
  // What one start holds besides its input and name: its record, summary and live state.
  static constexpr std::size_t kOverheadBytes = 512;

  void set_limit(std::size_t bytes) { limit_ = bytes; }
  // One start always fits an empty backlog: the limit bounds the backlog, it does not refuse an
  // input the model allows.
  bool admit(std::size_t bytes) {
    if (limit_ != 0 && waiting_ != 0 && waiting_ + bytes > limit_) {
      ++throttled_;
      return false;
    }
    waiting_ += bytes;
    return true;
  }
  void release(std::size_t bytes) { waiting_ -= bytes; }

  std::size_t waiting() const { return waiting_; }
  uint64_t throttled() const { return throttled_; }

  static SfnError throttled_error() { return sfn_error("ThrottlingException", "Rate exceeded"); }

 private:
  std::size_t limit_ = 0;  // 0: unbounded
  std::size_t waiting_ = 0;
  uint64_t throttled_ = 0;
};

}  // namespace sluice::states
