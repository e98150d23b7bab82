// CommitBacklog: the bytes of requests handed to the committer whose answer is still waiting for
// their commit, bounded. Both API doors that accept work faster than a commit can absorb it use
// one: SQS sends (sqs/message_service.h) and Step Functions starts
// (states/executions/execution_runner.h), each with the limit --max-uncommitted-mib. A request
// that would take the backlog past the limit is refused (the caller answers with its API's
// throttling error, which every SDK retries), so memory stays bounded and the client hears so at
// once instead of waiting behind an ever longer queue.
//
// One request always fits an empty backlog, however big: the limit bounds the backlog, it does
// not refuse a request the models allow. Thread: its owner's (the reactor) only.
#pragma once

#include <cstddef>
#include <cstdint>

namespace sluice::storage {

class CommitBacklog {
 public:
  // 0: unbounded.
  void set_limit(std::size_t bytes) { limit_ = bytes; }

  // Counts `bytes` as waiting, or refuses (and counts the refusal) when they do not fit.
  bool admit(std::size_t bytes) {
    if (limit_ != 0 && waiting_ != 0 && waiting_ + bytes > limit_) {
      ++refused_;
      return false;
    }
    waiting_ += bytes;
    return true;
  }
  // The request admitted with `bytes` was answered (committed or failed).
  void release(std::size_t bytes) { waiting_ -= bytes; }

  std::size_t waiting() const { return waiting_; }
  uint64_t refused() const { return refused_; }

 private:
  std::size_t limit_ = 0;
  std::size_t waiting_ = 0;
  uint64_t refused_ = 0;
};

}  // namespace sluice::storage
