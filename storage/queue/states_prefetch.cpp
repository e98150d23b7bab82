// StatesPrefetch (see states_prefetch.h): the chunks and the threads that walk them.
#include "storage/queue/states_prefetch.h"

#include <sys/resource.h>

#include <algorithm>
#include <cstring>
#include <iterator>
#include <system_error>

#include "storage/byte_codec.h"
#include "storage/queue/queue_record.h"

namespace sluice::storage {

namespace {

// A chunk spans this many sequence numbers (about 180 leaf pages of standard queue states), so
// the threads share a queue finely and stay close to the scan; a queue whose numbers run far
// higher (many restarts, each starting a fresh block) is cut into at most kMaxChunksPerQueue.
constexpr uint64_t kChunkSeqs = 8192;
constexpr uint64_t kMaxChunksPerQueue = 1u << 12;

bool before(const MDB_val& key, const std::string& bound) {
  const size_t n = std::min(key.mv_size, bound.size());
  const int c = std::memcmp(key.mv_data, bound.data(), n);
  return c < 0 || (c == 0 && key.mv_size < bound.size());
}

// Page faults of the calling thread that had to read from disk.
long major_faults() {
  rusage u;
  return ::getrusage(RUSAGE_THREAD, &u) == 0 ? u.ru_majflt : -1;
}

}  // namespace

StatesPrefetch::StatesPrefetch(MDB_txn* txn, const Databases& dbs, unsigned threads) {
  if (threads == 0) return;
  {
    Cursor c(txn, dbs.queues);
    if (!c.ok()) return;
    MDB_val k, v;
    for (int rc = mdb_cursor_get(c.get(), &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(c.get(), &k, &v, MDB_NEXT)) {
      // A record that does not decode is recover()'s error to report; here it is only not read.
      auto rec = QueueRecord::deserialize(from_val(v));
      if (!rec) continue;
      QueueChunks q;
      q.queue_id = rec->id;
      q.step = std::max(kChunkSeqs, rec->seq_reserved / kMaxChunksPerQueue + 1);
      q.chunks = rec->seq_reserved / q.step + 1;
      queues_.push_back(q);
    }
  }
  std::sort(queues_.begin(), queues_.end(),
            [](const QueueChunks& a, const QueueChunks& b) { return a.queue_id < b.queue_id; });
  for (auto& q : queues_) {
    q.first = chunks_;
    chunks_ += q.chunks;
  }
  if (chunks_ == 0) return;
  threads = static_cast<unsigned>(std::min<uint64_t>(threads, chunks_));
  MDB_env* env = mdb_txn_env(txn);
  threads_.reserve(threads);
  for (unsigned i = 0; i < threads; ++i) {
    try {
      threads_.emplace_back([this, env, states = dbs.states] { run(env, states); });
    } catch (const std::system_error&) {
      break;  // no more threads (a process limit): fewer read ahead, the scan is the same
    }
  }
}

StatesPrefetch::~StatesPrefetch() {
  stop_.store(true, std::memory_order_relaxed);
  for (auto& t : threads_) t.join();
}

void StatesPrefetch::chunk_keys(uint64_t i, Key* from, Key* to) const {
  const auto q = std::prev(
      std::upper_bound(queues_.begin(), queues_.end(), i,
                       [](uint64_t index, const QueueChunks& qc) { return index < qc.first; }));
  const uint64_t k = i - q->first;
  *from = message_key(q->queue_id, k * q->step);
  // The queue's last chunk runs to the next queue id: rows at or above seq_reserved are not
  // expected, but would be read too.
  if (k + 1 == q->chunks) {
    *to = message_key(q->queue_id + 1, 0);
  } else {
    *to = message_key(q->queue_id, (k + 1) * q->step);
  }
}

uint64_t StatesPrefetch::chunk_of(const MDB_val& key) const {
  ByteReader r(from_val(key));
  const uint64_t id = r.u64();
  const uint64_t seq = r.u64();
  const auto q = std::lower_bound(
      queues_.begin(), queues_.end(), id,
      [](const QueueChunks& qc, uint64_t queue_id) { return qc.queue_id < queue_id; });
  if (q == queues_.end()) return chunks_;
  if (q->queue_id != id) return q->first;  // a queue without a record: on to the next
  return q->first + std::min(seq / q->step, q->chunks - 1);
}

void StatesPrefetch::run(MDB_env* env, MDB_dbi states) {
  // A read transaction of this thread's own, beside the scan's (a read transaction, or the
  // snapshot's write transaction on the scan's thread: LMDB allows both).
  MDB_txn* txn = nullptr;
  if (mdb_txn_begin(env, nullptr, MDB_RDONLY, &txn) != 0) return;
  {
    Cursor c(txn, states);
    Key from, to;
    MDB_val k, v;
    while (c.ok() && !stop_.load(std::memory_order_relaxed)) {
      const uint64_t i = next_chunk_.fetch_add(1, std::memory_order_relaxed);
      if (i >= chunks_) break;
      chunk_keys(i, &from, &to);
      k = MDB_val{from.size(), from.data()};
      const long faults = major_faults();
      int rc = mdb_cursor_get(c.get(), &k, &v, MDB_SET_RANGE);
      if (rc != 0) {  // nothing from here on
        next_chunk_.store(chunks_, std::memory_order_relaxed);
        break;
      }
      if (!before(k, to)) {
        // An empty chunk: the chunks up to the one holding the key found are empty too.
        const uint64_t next = chunk_of(k);
        uint64_t cur = next_chunk_.load(std::memory_order_relaxed);
        while (cur < next && !next_chunk_.compare_exchange_weak(cur, next)) {
        }
        continue;
      }
      // The chunk's last row (the next row from `to` back).
      k = MDB_val{to.size(), to.data()};
      rc = mdb_cursor_get(c.get(), &k, &v, MDB_SET_RANGE);
      mdb_cursor_get(c.get(), &k, &v, rc == 0 ? MDB_PREV : MDB_LAST);
      if (major_faults() == faults) {
        // Both ends of the chunk were in the page cache already (a restart soon after the last
        // one, or after serving that wrote these rows): the pages between most likely are too,
        // and walking them would only take CPU from the scan.
        continue;
      }
      k = MDB_val{from.size(), from.data()};
      rc = mdb_cursor_get(c.get(), &k, &v, MDB_SET_RANGE);
      // Each step reads the next row's node; moving to the next leaf reads that page: a fault,
      // one 4 KiB read, while the other threads' reads are in flight too.
      for (; rc == 0 && before(k, to) && !stop_.load(std::memory_order_relaxed);
           rc = mdb_cursor_get(c.get(), &k, &v, MDB_NEXT)) {
      }
    }
  }
  mdb_txn_abort(txn);
}

}  // namespace sluice::storage
