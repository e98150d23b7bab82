// Environment: the one LMDB environment of the process, its named databases, and RAII read/write
// transactions. Owns the MDB_env handle. Thread rules (LMDB's): one write transaction at a time
// (the GroupCommitter's thread); read transactions on any thread, each used by one thread only
// (MDB_NOTLS is set so a reader can be reset and renewed cheaply by its owner).
#pragma once

#include <lmdb.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "storage/result.h"

namespace sluice::storage {

enum class Durability { kSync, kRelaxed };

struct EnvironmentOptions {
  std::string data_dir;
  uint64_t map_size_bytes = 4ull << 30;
  Durability durability = Durability::kSync;
};

// The named databases; see DESIGN.md "Storage" for the key layout.
struct Databases {
  MDB_dbi meta = 0;      // "schema" -> u32 version, "next_queue_id" -> u64
  MDB_dbi queues = 0;    // queue name -> QueueRecord
  MDB_dbi messages = 0;  // (queue id, seq) -> MessageRecord (immutable: body, attributes, ids)
  MDB_dbi states = 0;    // (queue id, seq) -> MessageState (small, rewritten on receive/visibility)
  // FIFO deduplication window: (queue id, [group,] dedup id) -> original message id, seq, expiry.
  MDB_dbi dedup = 0;
  MDB_dbi move_tasks = 0;  // SQS message move tasks: task handle -> task record (resumed on start)
  // Step Functions. The catalog's keys are owned by broker/states/catalog; the executions' by
  // storage/executions/execution_record.h.
  MDB_dbi machines = 0;    // state machines, versions, aliases, activities, tags
  MDB_dbi executions = 0;  // execution ARN -> execution record (status, input, output, ...)
  MDB_dbi history = 0;     // (execution id, event id) -> history event
  MDB_dbi tokens = 0;      // task token -> the waiting task (callback pattern, activities)
  // EventBridge Pipes: pipe name -> PipeRecord (storage/pipes/pipe_record.h).
  MDB_dbi pipes = 0;
};

inline MDB_val to_val(std::string_view s) {
  return MDB_val{s.size(), const_cast<char*>(s.data())};
}
inline std::string_view from_val(const MDB_val& v) {
  return std::string_view(static_cast<const char*>(v.mv_data), v.mv_size);
}

// Maps an LMDB return code to a domain error: map/disk full become kStorageFull (a 5xx the server
// survives), everything else kInternal.
Error lmdb_error(int rc, std::string_view what);

class Environment {
 public:
  static Result<std::unique_ptr<Environment>> open(const EnvironmentOptions& options);
  ~Environment();
  Environment(const Environment&) = delete;
  Environment& operator=(const Environment&) = delete;

  MDB_env* env() const { return env_; }
  const Databases& dbs() const { return dbs_; }
  Durability durability() const { return durability_; }
  const std::string& data_dir() const { return data_dir_; }
  Status sync();  // flush everything committed so far to disk
  // The same flush as a plain fdatasync of the data file, callable from a thread other than the
  // writer while it commits (it touches no LMDB state): the GroupCommitter's meta syncer.
  Status sync_data_file();
  uint64_t last_txn_id() const;  // advances only when a commit actually wrote

 private:
  Environment() = default;
  MDB_env* env_ = nullptr;
  Databases dbs_;
  Durability durability_ = Durability::kSync;
  std::string data_dir_;
};

// A write transaction; aborted on destruction unless committed.
class WriteTxn {
 public:
  explicit WriteTxn(Environment& env);
  ~WriteTxn();
  WriteTxn(const WriteTxn&) = delete;
  WriteTxn& operator=(const WriteTxn&) = delete;

  int begin();  // returns an LMDB rc
  int commit();
  void abort();
  MDB_txn* get() const { return txn_; }
  const Databases& dbs() const { return env_.dbs(); }

  int put(MDB_dbi dbi, std::string_view key, std::string_view value, unsigned flags = 0);
  // A put of a key that is usually the largest so far (a queue's newest message): appended when it
  // is, so pages fill completely instead of splitting half-empty; a plain put otherwise.
  int put_usually_last(MDB_dbi dbi, std::string_view key, std::string_view value);
  int del(MDB_dbi dbi, std::string_view key);  // MDB_NOTFOUND is not an error here: returns 0
  int get(MDB_dbi dbi, std::string_view key, std::string_view* value);

 private:
  Environment& env_;
  MDB_txn* txn_ = nullptr;
};

// A read-only snapshot. Reusable: reset() releases the snapshot, renew() takes a fresh one.
class ReadTxn {
 public:
  explicit ReadTxn(Environment& env);
  ~ReadTxn();
  ReadTxn(const ReadTxn&) = delete;
  ReadTxn& operator=(const ReadTxn&) = delete;

  int begin();  // begins or renews
  void reset();
  MDB_txn* get() const { return txn_; }
  const Databases& dbs() const { return env_.dbs(); }
  int get(MDB_dbi dbi, std::string_view key, std::string_view* value);

 private:
  Environment& env_;
  MDB_txn* txn_ = nullptr;
  bool active_ = false;
};

// RAII cursor over one database inside a transaction.
class Cursor {
 public:
  Cursor(MDB_txn* txn, MDB_dbi dbi);
  ~Cursor();
  Cursor(const Cursor&) = delete;
  Cursor& operator=(const Cursor&) = delete;
  MDB_cursor* get() const { return cursor_; }
  bool ok() const { return rc_ == 0; }

 private:
  MDB_cursor* cursor_ = nullptr;
  int rc_ = 0;
};

}  // namespace sluice::storage
