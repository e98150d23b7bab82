// The queue indexes' inputs, read fast at start. Every QueueIndex is rebuilt from the "states"
// table: one row per stored message, (queue id, seq) -> MessageState. A clean shutdown saves those
// rows, compactly encoded, to one file in the data dir (the index snapshot), so the next start
// reads a few bytes per message from one file instead of walking the whole table; when the file is
// missing, stale or damaged, the start walks the table (the cold scan). Both hand the caller the
// same rows in the same order (key order), so the indexes they build are the same.
//
// The file is used only if it provably describes the LMDB state the start reads:
//  - write_index_snapshot() puts a fresh random marker into meta ("index_snapshot") and reads the
//    rows it saves inside that same write transaction; the file records the marker and that
//    transaction's id. It runs after the GroupCommitter stopped, so it is the last commit.
//  - read_index_snapshot() accepts the file only if the start's read transaction has that very id
//    (every commit that writes anything advances LMDB's transaction id, so any write after the
//    snapshot makes it stale), meta holds the same marker (another or a re-created environment
//    that reached the same id has another marker, or none), and the checksum over the header and
//    payload matches (a torn or corrupt file), and the payload decodes to exactly the row count
//    the header promises. Only then is any row handed out.
//  - The file is written under a temporary name, fsynced and renamed (and the directory fsynced)
//    only after the transaction committed and LMDB was synced: a crash at any point leaves either
//    no file, or a file whose transaction is durable.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "storage/lmdb/environment.h"
#include "storage/queue/states_prefetch.h"
#include "storage/result.h"

namespace sluice::storage {

// One message's row of the states table, as the index needs it. `group` points into the row's
// bytes (or the snapshot file's), valid only during the callback.
struct StateRow {
  uint64_t queue_id = 0;
  uint64_t seq = 0;
  int64_t sent_ms = 0;
  int64_t visible_at_ms = 0;
  int64_t first_receive_ms = 0;
  uint32_t receive_count = 0;
  std::string_view group;  // FIFO queues only
};
using StateRowSink = std::function<void(const StateRow&)>;

// The cold scan: every row of the states table in key order, decoded without copying, on the
// calling thread, while `prefetch_threads` threads read the table's pages ahead of it
// (states_prefetch.h; 0: none, each page is read when the scan reaches it).
Status scan_state_rows(MDB_txn* txn, const Databases& dbs, const StateRowSink& row,
                       unsigned prefetch_threads = kStatesPrefetchThreads);

// Where the snapshot lives in a data dir.
std::string index_snapshot_path(const std::string& data_dir);

// Writes the snapshot of the current LMDB state (see above). Call only when nothing else writes
// (the committer stopped). Returns how many rows it saved.
Result<uint64_t> write_index_snapshot(Environment& env, const std::string& path);

enum class SnapshotUse {
  kUsed,     // every row was handed to `row`
  kMissing,  // no file
  kStale,    // written for another LMDB state (a later commit, another environment)
  kCorrupt,  // torn, damaged, or of another format version
};
std::string_view snapshot_use_name(SnapshotUse use);

// Hands every row of the snapshot at `path` to `row`, in key order, if the file describes exactly
// the state `txn` reads; otherwise hands out nothing and says why.
SnapshotUse read_index_snapshot(MDB_txn* txn, MDB_dbi meta, const std::string& path,
                                const StateRowSink& row);

// Deletes the snapshot file (it is read once; the next clean shutdown writes a new one).
void remove_index_snapshot(const std::string& path);

}  // namespace sluice::storage
