// GroupCommitter: the single LMDB writer. Any thread submits Mutations; the committer thread
// applies every mutation waiting at that moment in ONE write transaction and commits it (with fsync
// in sync mode), so under load one fsync covers thousands of requests and at low load a request
// waits only for its own commit. Completions (Status per mutation) are handed back to the owner
// thread: the committer queues them and calls `wake` (a uv_async_send in the server); the owner
// calls run_completions().
//
// Promise: a mutation's `done` runs with ok() only after its changes are committed (and synced in
// kSync mode). In kSync mode a commit syncs its data pages but not its meta page (MDB_NOMETASYNC),
// so a batch's completions are held until the next sync covers that meta page: the next batch's
// commit under load (one fdatasync per batch), or an explicit sync when nothing else is waiting
// (two per batch, as plain LMDB would do). If the batch hits a full map/disk, the batch is retried
// one mutation per transaction so that only the mutations that do not fit fail (kStorageFull);
// nothing half-applied is ever committed.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "storage/lmdb/environment.h"
#include "storage/result.h"

namespace sluice::storage {

struct Mutation {
  // Runs on the committer thread inside the batch's write transaction; returns an LMDB rc. It must
  // be safe to run again in a fresh transaction (retry after a failed batch).
  std::function<int(WriteTxn&)> apply;
  // Runs on the owner thread after the commit (or failure).
  std::function<void(Status)> done;
};

struct CommitObservation {
  size_t batch_size;
  double seconds;  // apply + commit + sync
};

class GroupCommitter {
 public:
  GroupCommitter(Environment& env, std::function<void()> wake,
                 std::chrono::milliseconds relaxed_sync_interval = std::chrono::milliseconds(1000));
  ~GroupCommitter();  // stop()s
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  void start();
  // Commits everything submitted so far, then joins the thread. Completions still need
  // run_completions() on the owner thread.
  void stop();

  void submit(Mutation m);
  void submit_many(std::vector<Mutation>&& ms);

  // Owner thread: runs the `done` of every finished mutation. Returns how many ran.
  size_t run_completions();
  // For tests and shutdown without an event loop: blocks until at least one completion is ready or
  // the timeout passes, then runs completions.
  size_t wait_and_run_completions(std::chrono::milliseconds timeout);

  // Called on the committer thread after each commit (metrics).
  void set_observer(std::function<void(const CommitObservation&)> observer) {
    observer_ = std::move(observer);
  }
  uint64_t commits() const { return commits_.load(std::memory_order_relaxed); }
  // Mutations submitted whose completion has not run yet (for tests that wait for quiet).
  size_t outstanding() const { return outstanding_.load(std::memory_order_relaxed); }

 private:
  void run();
  // Returns true when the last transaction's commit synced the file (so everything committed
  // before it is durable).
  bool commit_batch(std::vector<Mutation>& batch, std::vector<std::pair<Mutation, Status>>& out);
  void release(std::vector<std::pair<Mutation, Status>>& done);
  // Syncs the environment; a failed sync becomes the status of every held mutation that was ok.
  void sync_into(std::vector<std::pair<Mutation, Status>>& held);

  Environment& env_;
  std::function<void()> wake_;
  std::chrono::milliseconds relaxed_sync_interval_;
  std::function<void(const CommitObservation&)> observer_;

  std::mutex in_mu_;
  std::condition_variable in_cv_;
  std::vector<Mutation> pending_;
  bool stopping_ = false;

  std::mutex out_mu_;
  std::condition_variable out_cv_;
  std::vector<std::pair<Mutation, Status>> finished_;

  std::thread thread_;
  std::atomic<uint64_t> commits_{0};
  std::atomic<size_t> outstanding_{0};
};

}  // namespace sluice::storage
