// Micro-benchmarks of storage::QueueIndex (the reactor's per-queue index, which takes no lock)
// against a naive broker's queue: one std::mutex around a std::deque of ready ids and a
// std::unordered_map of messages, with visibility expiry done by scanning the map. Both are driven
// through the same four operations, done as QueueStore does them (storage/queue/queue_store.cpp):
//   enqueue  a committed send becomes ready
//   receive  oldest ready -> in flight (receive count + visibility deadline)
//   delete   receipt check, then remove
//   expire   every in-flight message whose visibility deadline passed becomes ready again
// The index is only ever touched by the reactor thread, so it is measured single-threaded; the
// baseline also with two threads sharing one queue, which is what its lock is for.
//
// Operations that need a prepared queue run in blocks of kBlock with the set-up under
// PauseTiming; BM_PauseResumeOverhead measures what one pause/resume pair adds to a block.
// Thread: BM_Baseline_Cycle runs on 1 and 2 threads over one shared queue; the rest on one.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "storage/queue/queue_index.h"

namespace sluice::microbench {
namespace {

constexpr int64_t kVisibilityMs = 30'000;
constexpr size_t kBlock = 4096;

// QueueIndex::remove gained the sequence number (remove(seq, e)) in the paged rewrite; accept
// both so the benchmark builds on either side of that change.
template <class Index>
void remove_entry(Index& index, uint64_t seq, storage::IndexEntry& e) {
  if constexpr (requires { index.remove(seq, e); }) {
    index.remove(seq, e);
  } else {
    index.remove(e);
  }
}

// The reactor's way: QueueIndex, no lock.
class IndexQueue {
 public:
  uint64_t enqueue(int64_t now_ms) {
    uint64_t seq = next_seq_++;
    index_.insert(seq, now_ms, now_ms, 0, 0, now_ms);
    return seq;
  }
  std::optional<uint64_t> receive(int64_t now_ms, int64_t visibility_ms) {
    std::optional<uint64_t> seq = index_.pop_ready();
    if (!seq) return seq;
    storage::IndexEntry* e = index_.find(*seq);
    e->receive_count += 1;
    if (e->first_receive_ms == 0) e->first_receive_ms = now_ms;
    index_.make_inflight(*seq, *e, now_ms + visibility_ms);
    return seq;
  }
  // As QueueStore::delete: mark busy while the delete commits, remove once it has.
  bool remove(uint64_t seq, uint32_t receive_count) {
    storage::IndexEntry* e = index_.find(seq);
    if (!e || e->state == storage::EntryState::kBusy || e->receive_count != receive_count) {
      return false;
    }
    index_.make_busy(seq, *e);
    e = index_.find(seq);  // the commit completion looks it up again
    remove_entry(index_, seq, *e);
    return true;
  }
  size_t expire(int64_t now_ms) { return index_.advance(now_ms); }

 private:
  storage::QueueIndex index_;
  uint64_t next_seq_ = 0;
};

// The naive broker's way: one lock, a ready FIFO, a hash map of every live message.
class NaiveQueue {
 public:
  uint64_t enqueue(int64_t now_ms) {
    std::lock_guard lock(mu_);
    uint64_t seq = next_seq_++;
    messages_.emplace(seq, Entry{now_ms, now_ms, 0, false});
    ready_.push_back(seq);
    return seq;
  }
  std::optional<uint64_t> receive(int64_t now_ms, int64_t visibility_ms) {
    std::lock_guard lock(mu_);
    while (!ready_.empty()) {
      uint64_t seq = ready_.front();
      ready_.pop_front();
      auto it = messages_.find(seq);
      if (it == messages_.end() || it->second.in_flight) continue;
      it->second.in_flight = true;
      it->second.visible_at_ms = now_ms + visibility_ms;
      it->second.receive_count += 1;
      return seq;
    }
    return std::nullopt;
  }
  bool remove(uint64_t seq, uint32_t receive_count) {
    std::lock_guard lock(mu_);
    auto it = messages_.find(seq);
    if (it == messages_.end() || it->second.receive_count != receive_count) return false;
    messages_.erase(it);
    return true;
  }
  size_t expire(int64_t now_ms) {
    std::lock_guard lock(mu_);
    size_t moved = 0;
    for (auto& [seq, e] : messages_) {
      if (e.in_flight && e.visible_at_ms <= now_ms) {
        e.in_flight = false;
        ready_.push_back(seq);
        ++moved;
      }
    }
    return moved;
  }

 private:
  struct Entry {
    int64_t visible_at_ms;
    int64_t sent_ms;
    uint32_t receive_count;
    bool in_flight;
  };
  std::mutex mu_;
  uint64_t next_seq_ = 0;
  std::deque<uint64_t> ready_;
  std::unordered_map<uint64_t, Entry> messages_;
};

template <class Q>
void BM_Enqueue(benchmark::State& state) {
  auto q = std::make_unique<Q>();
  for (auto _ : state) {
    for (size_t i = 0; i < kBlock; ++i) benchmark::DoNotOptimize(q->enqueue(1000));
    state.PauseTiming();
    q = std::make_unique<Q>();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kBlock));
}

template <class Q>
std::unique_ptr<Q> ready_queue(size_t n) {
  auto q = std::make_unique<Q>();
  for (size_t i = 0; i < n; ++i) q->enqueue(1000);
  return q;
}

template <class Q>
void BM_Receive(benchmark::State& state) {
  std::unique_ptr<Q> q;
  for (auto _ : state) {
    state.PauseTiming();
    q = ready_queue<Q>(kBlock);
    state.ResumeTiming();
    for (size_t i = 0; i < kBlock; ++i) {
      if (!q->receive(2000, kVisibilityMs)) state.SkipWithError("queue ran dry");
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kBlock));
}

template <class Q>
void BM_Delete(benchmark::State& state) {
  std::unique_ptr<Q> q;
  for (auto _ : state) {
    state.PauseTiming();
    q = ready_queue<Q>(kBlock);
    for (size_t i = 0; i < kBlock; ++i) q->receive(2000, kVisibilityMs);
    state.ResumeTiming();
    for (uint64_t seq = 0; seq < kBlock; ++seq) {
      if (!q->remove(seq, 1)) state.SkipWithError("delete refused");
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kBlock));
}

// Expiry of N due messages out of kInFlight in flight. Message i's deadline is kInFlight + i; each
// iteration moves the clock N ms forward, so exactly N are due; they are then received again
// (untimed) with a deadline kInFlight ahead, so the queue stays the same size forever.
constexpr size_t kInFlight = 65536;

template <class Q>
void BM_Expire(benchmark::State& state) {
  const auto n = static_cast<size_t>(state.range(0));
  auto q = std::make_unique<Q>();
  for (size_t i = 0; i < kInFlight; ++i) q->enqueue(0);
  for (size_t i = 0; i < kInFlight; ++i) q->receive(static_cast<int64_t>(i), kInFlight);
  int64_t now = kInFlight - 1;
  size_t moved = 0;
  for (auto _ : state) {
    now += static_cast<int64_t>(n);
    size_t m = q->expire(now);
    moved += m;
    state.PauseTiming();
    if (m != n) state.SkipWithError("expiry moved the wrong number of messages");
    for (size_t i = 0; i < m; ++i) q->receive(now, kInFlight);
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<int64_t>(moved));
  state.counters["in_flight"] = kInFlight;
}

// Steady state: one send, one receive (of the oldest ready message) and one delete per
// iteration, on a queue holding kDepth ready messages.
constexpr size_t kDepth = 1024;

template <class Q>
void cycle(benchmark::State& state, Q& q) {
  for (auto _ : state) {
    q.enqueue(1000);
    std::optional<uint64_t> seq = q.receive(2000, kVisibilityMs);
    if (!seq || !q.remove(*seq, 1)) {
      state.SkipWithError("cycle broke");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_Index_Cycle(benchmark::State& state) {
  auto q = ready_queue<IndexQueue>(kDepth);
  cycle(state, *q);
}

// Shared by the threads of one run: made by Setup before any thread starts, dropped by Teardown
// after all have finished.
std::unique_ptr<NaiveQueue> shared_naive;

void make_shared_naive(const benchmark::State&) {
  shared_naive = ready_queue<NaiveQueue>(kDepth);
}
void drop_shared_naive(const benchmark::State&) {
  shared_naive.reset();
}

void BM_Baseline_Cycle(benchmark::State& state) {
  cycle(state, *shared_naive);
}

void BM_PauseResumeOverhead(benchmark::State& state) {
  for (auto _ : state) {
    state.PauseTiming();
    state.ResumeTiming();
  }
}

BENCHMARK(BM_PauseResumeOverhead);
BENCHMARK(BM_Enqueue<IndexQueue>)->Name("BM_Index_Enqueue");
BENCHMARK(BM_Enqueue<NaiveQueue>)->Name("BM_Baseline_Enqueue");
BENCHMARK(BM_Receive<IndexQueue>)->Name("BM_Index_Receive");
BENCHMARK(BM_Receive<NaiveQueue>)->Name("BM_Baseline_Receive");
BENCHMARK(BM_Delete<IndexQueue>)->Name("BM_Index_Delete");
BENCHMARK(BM_Delete<NaiveQueue>)->Name("BM_Baseline_Delete");
BENCHMARK(BM_Expire<IndexQueue>)->Name("BM_Index_Expire")->Arg(64)->Arg(1024)->Arg(16384);
BENCHMARK(BM_Expire<NaiveQueue>)->Name("BM_Baseline_Expire")->Arg(64)->Arg(1024)->Arg(16384);
// CPU time: cost per message in CPU-seconds (for two threads, summed over both, so lock
// contention shows as a lower rate). Real time: wall-clock throughput.
BENCHMARK(BM_Index_Cycle);
BENCHMARK(BM_Baseline_Cycle)
    ->Setup(make_shared_naive)
    ->Teardown(drop_shared_naive)
    ->Threads(1)
    ->Threads(2);
BENCHMARK(BM_Index_Cycle)->UseRealTime();
BENCHMARK(BM_Baseline_Cycle)
    ->Setup(make_shared_naive)
    ->Teardown(drop_shared_naive)
    ->Threads(1)
    ->Threads(2)
    ->UseRealTime();

}  // namespace
}  // namespace sluice::microbench
