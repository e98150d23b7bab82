// StatesPrefetch: threads that read the states table's pages into the page cache ahead of the cold
// scan (scan_state_rows), many at a time.
//
// Why: the environment is opened with MDB_NORDAHEAD (MADV_RANDOM), right for serving's random body
// reads, so one thread walking the states table from a cold page cache waits for one random 4 KiB
// read per leaf page, one at a time (222,000 of them for 10 M messages: 21-29 s on this machine's
// virtual disk). Read-ahead instead reads the bodies' pages that lie between the states' (the
// whole 5 GB file). The disk serves many concurrent random reads almost as fast as one, so
// several threads, each faulting in the pages of its own key range, give it a queue depth of
// `threads` and read only the states' pages (bench/RESULTS.md, 2026-12-07: 3.9-4.4 s).
//
// How: the key space is cut into chunks per queue (queue records name the queues and bound their
// sequence numbers; keys are (queue id, seq) big-endian, so a chunk is a key range), handed out in
// key order so the threads stay ahead of the scan. Each thread has its own read transaction and
// cursor, and walks its chunk with MDB_NEXT, which faults in every leaf page of it. A chunk whose
// first and last rows the thread reached without a disk read (no major fault) is skipped: the
// cache is warm, and walking it would only take CPU from the scan.
// Sequence numbers are sparse (a restart starts a queue's numbers at a fresh block of 2^20), so
// many chunks are empty: a thread that finds its chunk empty moves the hand-out on to the chunk
// of the key it found, and the empty chunks between cost nothing.
//
// It only warms the page cache: the scan reads the rows itself, in key order, on its own thread,
// so the rows and their order do not depend on it (a chunk missed or a thread slow only costs the
// scan that page's read). Rows of a queue that has no record (a deletion interrupted by a crash)
// are not prefetched.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "storage/lmdb/environment.h"

namespace sluice::storage {

// The threads a cold scan uses when its caller does not say. They wait on the disk, not on a core;
// 8 and 16 were slower, 64 no faster (bench/RESULTS.md, 2026-12-07).
inline constexpr unsigned kStatesPrefetchThreads = 32;

class StatesPrefetch {
 public:
  // Reads the queue records through `txn` (the scan's transaction) and starts `threads` threads
  // (none when 0 or when there is nothing to read) on the environment `txn` belongs to.
  StatesPrefetch(MDB_txn* txn, const Databases& dbs, unsigned threads);
  ~StatesPrefetch();  // stops the threads (each finishes the page it waits for) and joins them
  StatesPrefetch(const StatesPrefetch&) = delete;
  StatesPrefetch& operator=(const StatesPrefetch&) = delete;

  unsigned threads() const { return static_cast<unsigned>(threads_.size()); }

 private:
  // A queue's chunks: sequence numbers [k * step, (k + 1) * step) for k < chunks, the last one
  // open-ended (to the next queue id).
  struct QueueChunks {
    uint64_t queue_id = 0;
    uint64_t step = 0;
    uint64_t chunks = 0;
    uint64_t first = 0;  // index of its first chunk among all
  };
  // A message key, built without allocating: the threads allocate nothing (an allocator's
  // per-thread heap would outlive them).
  using Key = std::string;  // message_key()
  void run(MDB_env* env, MDB_dbi states);
  // The key range [from, to) of chunk `i`.
  void chunk_keys(uint64_t i, Key* from, Key* to) const;
  // The index of the chunk that holds `key` (the next queue's first when no queue holds it).
  uint64_t chunk_of(const MDB_val& key) const;

  std::vector<QueueChunks> queues_;  // by queue id
  uint64_t chunks_ = 0;
  std::atomic<uint64_t> next_chunk_{0};
  std::atomic<bool> stop_{false};
  std::vector<std::thread> threads_;
};

}  // namespace sluice::storage
