// The committer thread loop: drain, apply in one transaction, commit, hand back once durable; and
// (kSync) the meta syncer thread that makes each commit's meta page durable without waiting for the
// next commit.
#include "storage/group_committer.h"

#include <algorithm>

namespace sluice::storage {

GroupCommitter::GroupCommitter(Environment& env, std::function<void()> wake,
                               std::chrono::milliseconds relaxed_sync_interval)
    : env_(env), wake_(std::move(wake)), relaxed_sync_interval_(relaxed_sync_interval) {}

GroupCommitter::~GroupCommitter() {
  stop();
}

void GroupCommitter::start() {
  if (thread_.joinable()) return;
  stopping_ = false;
  {
    std::lock_guard lock(held_mu_);
    committer_done_ = false;
    // Nothing is assumed durable: the first sync covers whatever the environment committed at open.
    durable_txn_ = 0;
  }
  thread_ = std::thread([this] { run(); });
  if (env_.durability() == Durability::kSync) {
    meta_syncer_ = std::thread([this] { run_meta_syncer(); });
  }
}

void GroupCommitter::stop() {
  {
    std::lock_guard lock(in_mu_);
    stopping_ = true;
  }
  in_cv_.notify_one();
  if (thread_.joinable()) thread_.join();
  {
    std::lock_guard lock(held_mu_);
    committer_done_ = true;
  }
  held_cv_.notify_one();
  if (meta_syncer_.joinable()) meta_syncer_.join();  // it syncs and releases what is still held
}

void GroupCommitter::submit(Mutation m) {
  outstanding_.fetch_add(1, std::memory_order_relaxed);
  {
    std::lock_guard lock(in_mu_);
    pending_.push_back(std::move(m));
  }
  in_cv_.notify_one();
}

void GroupCommitter::submit_many(std::vector<Mutation>&& ms) {
  if (ms.empty()) return;
  outstanding_.fetch_add(ms.size(), std::memory_order_relaxed);
  {
    std::lock_guard lock(in_mu_);
    for (auto& m : ms) pending_.push_back(std::move(m));
  }
  in_cv_.notify_one();
}

void GroupCommitter::release(Completions& done) {
  if (done.empty()) return;
  {
    std::lock_guard lock(out_mu_);
    for (auto& d : done) finished_.push_back(std::move(d));
  }
  done.clear();
  out_cv_.notify_all();
  if (wake_) wake_();
}

bool GroupCommitter::release_held_locked(uint64_t durable, const Status& sync_status) {
  bool any = false;
  {
    std::lock_guard lock(out_mu_);
    while (!held_.empty() && held_.front().txn_id <= durable) {
      for (auto& d : held_.front().done) {
        if (!sync_status.ok() && d.second.ok()) d.second = sync_status;
        finished_.push_back(std::move(d));
      }
      held_.pop_front();
      any = true;
    }
  }
  if (any) out_cv_.notify_all();
  return any;
}

void GroupCommitter::hold(uint64_t txn_id, bool synced, Completions& done) {
  bool released = false;
  bool waiting = false;
  {
    std::lock_guard lock(held_mu_);
    // The data sync inside this commit started after every earlier commit had written its meta
    // page, so it made all of them durable.
    if (synced && txn_id > 0) durable_txn_ = std::max(durable_txn_, txn_id - 1);
    held_.push_back(HeldBatch{txn_id, std::move(done)});
    done.clear();
    const size_t before = held_.size();
    released = release_held_locked(durable_txn_, Status{});
    if (released && before > held_.size()) {
      released_by_next_commit_.fetch_add(before - held_.size(), std::memory_order_relaxed);
    }
    waiting = !held_.empty();
  }
  if (waiting) held_cv_.notify_one();
  if (released && wake_) wake_();
}

void GroupCommitter::run_meta_syncer() {
  std::unique_lock lock(held_mu_);
  for (;;) {
    held_cv_.wait(lock, [&] {
      return committer_done_ || (!held_.empty() && held_.back().txn_id > durable_txn_);
    });
    if (held_.empty() || held_.back().txn_id <= durable_txn_) {
      if (committer_done_) break;
      continue;
    }
    // Every held batch's commit returned (its meta page is in the page cache) before it was queued:
    // an fdatasync that starts now covers them all.
    const uint64_t target = held_.back().txn_id;
    lock.unlock();
    Status st = env_.sync_data_file();
    lock.lock();
    if (st.ok()) durable_txn_ = std::max(durable_txn_, target);
    const size_t before = held_.size();
    bool released = release_held_locked(st.ok() ? durable_txn_ : target, st);
    if (!released) continue;
    released_by_meta_sync_.fetch_add(before - held_.size(), std::memory_order_relaxed);
    lock.unlock();
    if (wake_) wake_();
    lock.lock();
  }
}

void GroupCommitter::run() {
  std::vector<Mutation> batch;
  Completions done;
  auto last_sync = std::chrono::steady_clock::now();
  bool dirty = false;
  const bool relaxed = env_.durability() == Durability::kRelaxed;
  for (;;) {
    {
      std::unique_lock lock(in_mu_);
      if (relaxed && dirty) {
        in_cv_.wait_until(lock, last_sync + relaxed_sync_interval_,
                          [&] { return stopping_ || !pending_.empty(); });
      } else {
        in_cv_.wait(lock, [&] { return stopping_ || !pending_.empty(); });
      }
      batch.swap(pending_);
      if (batch.empty() && stopping_) break;
    }
    if (!batch.empty()) {
      auto t0 = std::chrono::steady_clock::now();
      bool synced = commit_batch(batch, done);
      auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      commits_.fetch_add(1, std::memory_order_relaxed);
      if (observer_) observer_(CommitObservation{batch.size(), seconds});
      batch.clear();
      dirty = true;
      if (relaxed) {
        release(done);
      } else {
        hold(env_.last_txn_id(), synced, done);
      }
    }
    if (relaxed && dirty &&
        std::chrono::steady_clock::now() - last_sync >= relaxed_sync_interval_) {
      (void)env_.sync();
      last_sync = std::chrono::steady_clock::now();
      dirty = false;
    }
  }
  if (relaxed) (void)env_.sync();
}

bool GroupCommitter::commit_batch(std::vector<Mutation>& batch, Completions& out) {
  const uint64_t before = env_.last_txn_id();
  WriteTxn txn(env_);
  int rc = txn.begin();
  if (rc == 0) {
    for (auto& m : batch) {
      rc = m.apply(txn);
      if (rc) break;
    }
    if (rc == 0) rc = txn.commit();
  }
  if (rc == 0) {
    for (auto& m : batch) out.emplace_back(std::move(m), Status{});
    // A commit that wrote nothing returns without syncing.
    return env_.last_txn_id() != before;
  }
  txn.abort();
  if (batch.size() == 1) {
    out.emplace_back(std::move(batch[0]), lmdb_error(rc, "commit"));
    return false;
  }
  // Isolate the failure: one transaction per mutation, so the ones that fit still land.
  bool synced = false;
  for (auto& m : batch) {
    const uint64_t id = env_.last_txn_id();
    WriteTxn one(env_);
    int rc1 = one.begin();
    if (rc1 == 0) rc1 = m.apply(one);
    if (rc1 == 0) rc1 = one.commit();
    synced = rc1 == 0 && env_.last_txn_id() != id;
    out.emplace_back(std::move(m), rc1 ? Status(lmdb_error(rc1, "commit")) : Status{});
  }
  return synced;
}

size_t GroupCommitter::run_completions() {
  std::vector<std::pair<Mutation, Status>> ready;
  {
    std::lock_guard lock(out_mu_);
    ready.swap(finished_);
  }
  for (auto& [m, st] : ready) {
    if (m.done) m.done(std::move(st));
  }
  outstanding_.fetch_sub(ready.size(), std::memory_order_relaxed);
  return ready.size();
}

size_t GroupCommitter::wait_and_run_completions(std::chrono::milliseconds timeout) {
  {
    std::unique_lock lock(out_mu_);
    out_cv_.wait_for(lock, timeout, [&] { return !finished_.empty(); });
  }
  return run_completions();
}

}  // namespace sluice::storage
