// Micro-benchmarks of LMDB commits with N 1 KiB puts per write transaction, in both durability
// modes, against a fresh environment in a temporary directory under /tmp:
//   BM_LmdbCommit           Environment/WriteTxn driven directly: begin, N puts, commit. In sync
//                           mode every commit fdatasyncs its data pages (MDB_NOMETASYNC), which
//                           also covers the previous commit's meta page: the steady-state cost of
//                           one durable batch.
//   BM_GroupCommit          GroupCommitter, closed loop: submit N mutations, wait until all are
//                           answered. At this low load a sync batch waits for its commit and for
//                           the extra sync that makes its meta page durable (two syncs per batch).
//   BM_GroupCommit_Loaded   GroupCommitter with 4 batches of N outstanding, as under load: the
//                           committer always finds work, one sync per transaction, and batches
//                           that arrive together merge (mut/txn reports the real size).
//   BM_Fdatasync            pwrite 4 KiB + fdatasync on a plain file in the same place: the disk's
//                           sync latency at that moment, to read the sync numbers against (on a
//                           shared VM disk it varies by 10x from one minute to the next).
// Keys are (queue, seq) message keys in increasing order, so the database grows as a backlog does.
// Thread: the benchmark thread is the owner; GroupCommitter runs its own committer thread.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "bench/micro/sample_requests.h"
#include "storage/byte_codec.h"
#include "storage/group_committer.h"
#include "storage/lmdb/environment.h"

namespace sluice::microbench {
namespace {

using storage::Durability;

// A fresh LMDB environment in its own /tmp directory, removed on destruction.
class TempEnvironment {
 public:
  explicit TempEnvironment(Durability durability) {
    char tmpl[] = "/tmp/sluice-microbench-XXXXXX";
    if (::mkdtemp(tmpl) == nullptr) return;
    dir_ = tmpl;
    storage::EnvironmentOptions options;
    options.data_dir = dir_;
    options.durability = durability;
    auto env = storage::Environment::open(options);
    if (env) env_ = std::move(*env);
  }
  ~TempEnvironment() {
    env_.reset();
    if (!dir_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
    }
  }
  TempEnvironment(const TempEnvironment&) = delete;
  TempEnvironment& operator=(const TempEnvironment&) = delete;

  storage::Environment* get() const { return env_.get(); }

 private:
  std::string dir_;
  std::unique_ptr<storage::Environment> env_;
};

Durability durability_of(const benchmark::State& state) {
  return state.range(1) != 0 ? Durability::kSync : Durability::kRelaxed;
}

void finish(benchmark::State& state, size_t batch) {
  const auto items = static_cast<int64_t>(state.iterations() * batch);
  state.SetItemsProcessed(items);
  state.SetBytesProcessed(items * static_cast<int64_t>(kBodyBytes));
  state.SetLabel(durability_of(state) == Durability::kSync ? "sync" : "relaxed");
}

void BM_LmdbCommit(benchmark::State& state) {
  const auto batch = static_cast<size_t>(state.range(0));
  TempEnvironment temp(durability_of(state));
  if (temp.get() == nullptr) {
    state.SkipWithError("cannot open LMDB under /tmp");
    return;
  }
  storage::Environment& env = *temp.get();
  const std::string& body = message_body();
  uint64_t seq = 0;
  for (auto _ : state) {
    storage::WriteTxn txn(env);
    int rc = txn.begin();
    for (size_t i = 0; i < batch && rc == 0; ++i) {
      rc = txn.put(env.dbs().messages, storage::message_key(1, seq++), body);
    }
    if (rc == 0) rc = txn.commit();
    if (rc != 0) {
      state.SkipWithError(mdb_strerror(rc));
      break;
    }
  }
  finish(state, batch);
}

void group_commit(benchmark::State& state, size_t outstanding_batches) {
  const auto batch = static_cast<size_t>(state.range(0));
  TempEnvironment temp(durability_of(state));
  if (temp.get() == nullptr) {
    state.SkipWithError("cannot open LMDB under /tmp");
    return;
  }
  storage::GroupCommitter committer(*temp.get(), {});
  std::atomic<uint64_t> txns{0};
  std::atomic<uint64_t> applied{0};
  committer.set_observer([&](const storage::CommitObservation& o) {
    txns.fetch_add(1, std::memory_order_relaxed);
    applied.fetch_add(o.batch_size, std::memory_order_relaxed);
  });
  committer.start();

  const std::string& body = message_body();
  uint64_t seq = 0;
  size_t submitted = 0;
  size_t completed = 0;
  size_t failed = 0;
  auto submit_batch = [&] {
    std::vector<storage::Mutation> ms(batch);
    for (auto& m : ms) {
      m.apply = [key = storage::message_key(1, seq++), &body](storage::WriteTxn& t) {
        return t.put(t.dbs().messages, key, body);
      };
      m.done = [&](Status st) {
        ++completed;
        if (!st) ++failed;
      };
    }
    committer.submit_many(std::move(ms));
    submitted += batch;
  };
  auto wait_until = [&](size_t target) {
    while (completed < target) committer.wait_and_run_completions(std::chrono::milliseconds(100));
  };

  for (size_t i = 1; i < outstanding_batches; ++i) submit_batch();
  for (auto _ : state) {
    submit_batch();
    wait_until(submitted - (outstanding_batches - 1) * batch);
  }
  // The timer has stopped: drain what the last iterations left outstanding.
  wait_until(submitted);
  committer.stop();
  committer.run_completions();
  if (failed != 0) state.SkipWithError("a commit failed");
  finish(state, batch);
  const uint64_t t = txns.load();
  state.counters["mut/txn"] = t == 0 ? 0.0 : static_cast<double>(applied.load()) / t;
}

void BM_GroupCommit(benchmark::State& state) {
  group_commit(state, 1);
}
void BM_GroupCommit_Loaded(benchmark::State& state) {
  group_commit(state, 4);
}

void BM_Fdatasync(benchmark::State& state) {
  char tmpl[] = "/tmp/sluice-microbench-XXXXXX";
  if (::mkdtemp(tmpl) == nullptr) {
    state.SkipWithError("mkdtemp failed");
    return;
  }
  const std::string dir = tmpl;
  const std::string path = dir + "/sync-probe";
  int fd = ::open(path.c_str(), O_CREAT | O_RDWR, 0644);
  std::string page(4096, 'x');
  off_t offset = 0;
  for (auto _ : state) {
    if (fd < 0 || ::pwrite(fd, page.data(), page.size(), offset) != 4096 || ::fdatasync(fd) != 0) {
      state.SkipWithError("write or fdatasync failed");
      break;
    }
    offset = (offset + 4096) % (1 << 20);
  }
  if (fd >= 0) ::close(fd);
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Fdatasync)->MinTime(0.3)->Unit(benchmark::kMicrosecond)->UseRealTime();

// Args: {puts per transaction, sync (1) or relaxed (0)}.
void commit_args(benchmark::internal::Benchmark* b) {
  b->ArgNames({"batch", "sync"});
  for (int sync : {0, 1}) {
    for (int batch : {1, 8, 64, 512}) b->Args({batch, sync});
  }
  b->MinTime(0.3)->Unit(benchmark::kMicrosecond)->UseRealTime();
}

BENCHMARK(BM_LmdbCommit)->Apply(commit_args);
BENCHMARK(BM_GroupCommit)->Apply(commit_args);
BENCHMARK(BM_GroupCommit_Loaded)->Apply(commit_args);
// The disk's sync latency again, after the commit runs: how much it drifted meanwhile.
BENCHMARK(BM_Fdatasync)
    ->Name("BM_Fdatasync_After")
    ->MinTime(0.3)
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime();

}  // namespace
}  // namespace sluice::microbench
