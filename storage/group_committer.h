// GroupCommitter: the single LMDB writer. Any thread submits Mutations; the committer thread
// applies every mutation waiting at that moment in ONE write transaction and commits it (with fsync
// in sync mode), so under load one fsync covers thousands of requests and at low load a request
// waits only for its own commit. Completions (Status per mutation) are handed back to the owner
// thread: the committer queues them and calls `wake` (a uv_async_send in the server) once per
// released batch, never per mutation; the owner calls run_completions(), which runs them all.
//
// Promise: a mutation's `done` runs with ok() only after its changes are committed (and synced in
// kSync mode), and completions run in commit order. In kSync mode a commit syncs its data pages but
// not its meta page (MDB_NOMETASYNC), so a batch is held until an fdatasync that STARTED after its
// commit returned has completed: whichever comes first of
//   - the meta syncer thread's fdatasync, issued as soon as a commit returns, overlapping the next
//     batch's apply and data sync (one or two fdatasyncs per commit);
//   - the next commit's own data sync (it starts after the held commit returned).
// Why an fdatasync at any moment is safe: LMDB writes a transaction's meta page only after the
// fdatasync of its data pages returned (mdb_txn_commit: page flush, data sync, then the meta
// write), so whatever meta page a concurrent fdatasync finds in the page cache already has its data
// on disk; and a transaction never reuses pages of the two latest snapshots (mdb_find_oldest starts
// at txnid - 1), so the data pages the next commit writes while that fdatasync runs are pages no
// durable meta refers to. An extra sync can only make a commit durable sooner, never a meta page
// durable before its data.
// If the batch hits a full map/disk, the batch is retried one mutation per transaction so that only
// the mutations that do not fit fail (kStorageFull); nothing half-applied is ever committed.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
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
  // kSync: batches released by the meta syncer's fdatasync / by the next commit's data sync.
  uint64_t released_by_meta_sync() const {
    return released_by_meta_sync_.load(std::memory_order_relaxed);
  }
  uint64_t released_by_next_commit() const {
    return released_by_next_commit_.load(std::memory_order_relaxed);
  }
  // Mutations submitted whose completion has not run yet (for tests that wait for quiet).
  size_t outstanding() const { return outstanding_.load(std::memory_order_relaxed); }

 private:
  using Completions = std::vector<std::pair<Mutation, Status>>;
  // A committed batch waiting (kSync) for a sync that covers its meta page: once LMDB's transaction
  // `txn_id` is durable, so is every change of the batch.
  struct HeldBatch {
    uint64_t txn_id;
    Completions done;
  };

  void run();
  // The meta syncer thread (kSync): fdatasyncs after each commit and releases what that covered.
  void run_meta_syncer();
  // Returns true when the last transaction's commit synced the file (so everything committed
  // before it is durable).
  bool commit_batch(std::vector<Mutation>& batch, Completions& out);
  // Committer thread, kSync: hands a committed batch to the held queue; `synced` says its commit
  // ran a data sync, which covers every earlier commit's meta page.
  void hold(uint64_t txn_id, bool synced, Completions& done);
  // Moves every held batch with txn_id <= durable (or all, with a failed sync's status) to the
  // owner. Caller holds held_mu_; returns true when something was released (then wake).
  bool release_held_locked(uint64_t durable, const Status& sync_status);
  void release(Completions& done);
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

  // kSync: committed batches in commit order, not yet known durable. Lock order: held_mu_, then
  // out_mu_ (releases append to finished_ under held_mu_ so that completions keep commit order).
  std::mutex held_mu_;
  std::condition_variable held_cv_;
  std::deque<HeldBatch> held_;
  uint64_t durable_txn_ = 0;  // every transaction up to this id is on disk, meta page included
  bool committer_done_ = false;

  std::thread thread_;
  std::thread meta_syncer_;
  std::atomic<uint64_t> commits_{0};
  std::atomic<size_t> outstanding_{0};
  std::atomic<uint64_t> released_by_meta_sync_{0};
  std::atomic<uint64_t> released_by_next_commit_{0};
};

}  // namespace sluice::storage
