// The committer thread loop: drain, apply in one transaction, commit, hand back once durable.
#include "storage/group_committer.h"

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
  thread_ = std::thread([this] { run(); });
}

void GroupCommitter::stop() {
  {
    std::lock_guard lock(in_mu_);
    stopping_ = true;
  }
  in_cv_.notify_one();
  if (thread_.joinable()) thread_.join();
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

void GroupCommitter::release(std::vector<std::pair<Mutation, Status>>& done) {
  if (done.empty()) return;
  {
    std::lock_guard lock(out_mu_);
    for (auto& d : done) finished_.push_back(std::move(d));
  }
  done.clear();
  out_cv_.notify_all();
  if (wake_) wake_();
}

void GroupCommitter::sync_into(std::vector<std::pair<Mutation, Status>>& held) {
  Status st = env_.sync();
  if (st) return;
  for (auto& h : held) {
    if (h.second.ok()) h.second = st;
  }
}

void GroupCommitter::run() {
  std::vector<Mutation> batch;
  // kSync: completions of the last commit, durable once the next sync covers its meta page.
  std::vector<std::pair<Mutation, Status>> held;
  std::vector<std::pair<Mutation, Status>> done;
  auto last_sync = std::chrono::steady_clock::now();
  bool dirty = false;
  const bool relaxed = env_.durability() == Durability::kRelaxed;
  for (;;) {
    {
      std::unique_lock lock(in_mu_);
      if (relaxed && dirty) {
        in_cv_.wait_until(lock, last_sync + relaxed_sync_interval_,
                          [&] { return stopping_ || !pending_.empty(); });
      } else if (held.empty()) {
        in_cv_.wait(lock, [&] { return stopping_ || !pending_.empty(); });
      }
      batch.swap(pending_);
      if (batch.empty() && held.empty() && stopping_) break;
    }
    if (batch.empty() && !held.empty()) {
      // Nothing new to commit: sync so the held batch's meta page is on disk, then answer it.
      sync_into(held);
      release(held);
      continue;
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
        if (!synced && !held.empty()) {
          sync_into(held);
        }
        release(held);  // the sync inside this commit (or the one above) covered them
        held.swap(done);
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

bool GroupCommitter::commit_batch(std::vector<Mutation>& batch,
                                  std::vector<std::pair<Mutation, Status>>& out) {
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
