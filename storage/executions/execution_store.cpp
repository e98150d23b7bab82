// See execution_store.h.
#include "storage/executions/execution_store.h"

#include <cerrno>
#include <climits>

namespace sluice::storage {

// ---------------------------------------------------------------------------------------------
// Writing

void ExecutionWrites::put_record(const ExecutionKey& key, const ExecutionRecord& record) {
  puts_.emplace_back(execution_record_key(key), encode_execution_record(record));
}

void ExecutionWrites::put_outcome(const ExecutionKey& key, const StoredOutcome& outcome) {
  puts_.emplace_back(execution_outcome_key(key), encode_outcome(outcome));
}

void ExecutionWrites::remove_outcome(const ExecutionKey& key) {
  removed_.push_back(execution_outcome_key(key));
}

void ExecutionWrites::put_heartbeats(const ExecutionKey& key, std::string bytes) {
  puts_.emplace_back(heartbeats_key(key), std::move(bytes));
}

void ExecutionWrites::append_event(uint64_t execution, int64_t event_id, std::string bytes) {
  events_.emplace_back(history_key(execution, event_id), std::move(bytes));
}

void ExecutionWrites::put_map_run(uint64_t parent, std::string_view map_run_arn,
                                  const MapRunRecord& record) {
  puts_.emplace_back(map_run_record_key(parent, map_run_arn), encode_map_run_record(record));
}

void ExecutionWrites::delete_execution(const ExecutionKey& key) {
  deleted_.push_back(key);
}

namespace {

// Deletes every key of `dbi` that starts with `prefix`. The keys are collected first and then
// deleted, so no cursor is used across a deletion.
int delete_prefixed(WriteTxn& txn, MDB_dbi dbi, std::string_view prefix) {
  std::vector<std::string> keys;
  {
    Cursor c(txn.get(), dbi);
    if (!c.ok()) return EINVAL;
    MDB_val k = to_val(prefix), v;
    int rc = mdb_cursor_get(c.get(), &k, &v, MDB_SET_RANGE);
    for (; rc == 0; rc = mdb_cursor_get(c.get(), &k, &v, MDB_NEXT)) {
      std::string_view raw = from_val(k);
      if (raw.substr(0, prefix.size()) != prefix) break;
      keys.emplace_back(raw);
    }
    if (rc != 0 && rc != MDB_NOTFOUND) return rc;
  }
  for (const auto& k : keys) {
    if (int rc = txn.del(dbi, k)) return rc;
  }
  return 0;
}

}  // namespace

int ExecutionWrites::apply(WriteTxn& txn) const {
  for (const ExecutionKey& key : deleted_) {
    for (const std::string& k :
         {execution_record_key(key), execution_outcome_key(key), heartbeats_key(key)}) {
      if (int rc = txn.del(txn.dbs().executions, k)) return rc;
    }
    if (key.id == 0) continue;  // numbers start at 1: no history, no map runs
    // The first 8 bytes of a history key are the execution's number; of a map run record key,
    // 'M' and the parent's number.
    if (int rc = delete_prefixed(txn, txn.dbs().history, history_key(key.id, 0).substr(0, 8))) {
      return rc;
    }
    if (int rc = delete_prefixed(txn, txn.dbs().executions, map_run_record_key(key.id, ""))) {
      return rc;
    }
  }
  for (const auto& k : removed_) {
    if (int rc = txn.del(txn.dbs().executions, k)) return rc;
  }
  // Keys of new executions are their numbers: usually the largest so far (appended).
  for (const auto& [k, v] : puts_) {
    if (int rc = txn.put_usually_last(txn.dbs().executions, k, v)) return rc;
  }
  // Executions are numbered in start order and their events in id order, so history keys usually
  // arrive in key order: appended, pages fill completely.
  for (const auto& [k, v] : events_) {
    if (int rc = txn.put_usually_last(txn.dbs().history, k, v)) return rc;
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Reading

namespace {

Error missing(std::string_view arn) {
  return make_error(ErrorCode::kResourceNotFound, "no stored execution " + std::string(arn));
}

Error corrupt(std::string_view what, std::string_view arn) {
  return make_error(ErrorCode::kInternal,
                    "executions: corrupt " + std::string(what) + " of " + std::string(arn));
}

}  // namespace

Status ExecutionStore::scan(const ScanVisitor& visit) {
  ReadTxn txn(env_);
  if (int rc = txn.begin()) return lmdb_error(rc, "executions: begin");
  Cursor c(txn.get(), txn.dbs().executions);
  if (!c.ok()) return make_error(ErrorCode::kInternal, "executions: cursor");
  // Records keyed by number ('X' id), then the older ones keyed by ARN ('x' ARN).
  for (const char prefix : {'X', 'x'}) {
    std::string first(1, prefix);
    MDB_val k = to_val(first), v;
    for (int rc = mdb_cursor_get(c.get(), &k, &v, MDB_SET_RANGE); rc == 0;
         rc = mdb_cursor_get(c.get(), &k, &v, MDB_NEXT)) {
      std::string_view raw = from_val(k);
      if (raw.empty() || raw[0] != prefix) break;
      auto record = decode_execution_record(from_val(v));
      if (!record) return corrupt("record", raw.substr(1));
      ExecutionKey key;
      key.id = record->id;
      key.by_arn = prefix == 'x';
      key.arn = key.by_arn ? std::string(raw.substr(1)) : record->arn;
      if (key.arn.empty()) return corrupt("record (no ARN)", raw.substr(1));
      std::optional<StoredOutcome> outcome;
      std::string_view out;
      if (txn.get(txn.dbs().executions, execution_outcome_key(key), &out) == 0) {
        outcome = decode_outcome(out);
        if (!outcome) return corrupt("outcome", key.arn);
      }
      visit(key, std::move(*record), std::move(outcome));
    }
  }
  return {};
}

Status ExecutionStore::scan_map_runs(const MapRunVisitor& visit) {
  ReadTxn txn(env_);
  if (int rc = txn.begin()) return lmdb_error(rc, "executions: begin");
  Cursor c(txn.get(), txn.dbs().executions);
  if (!c.ok()) return make_error(ErrorCode::kInternal, "executions: cursor");
  std::string first(1, 'M');
  MDB_val k = to_val(first), v;
  for (int rc = mdb_cursor_get(c.get(), &k, &v, MDB_SET_RANGE); rc == 0;
       rc = mdb_cursor_get(c.get(), &k, &v, MDB_NEXT)) {
    uint64_t parent = 0;
    std::string arn;
    if (!split_map_run_record_key(from_val(k), &parent, &arn)) break;
    auto record = decode_map_run_record(from_val(v));
    if (!record) return corrupt("map run record", arn);
    visit(parent, std::move(arn), std::move(*record));
  }
  return {};
}

Result<std::optional<MapRunRecord>> ExecutionStore::read_map_run(uint64_t parent,
                                                                 std::string_view map_run_arn) {
  ReadTxn txn(env_);
  if (int rc = txn.begin()) return lmdb_error(rc, "executions: begin");
  std::string_view bytes;
  if (txn.get(txn.dbs().executions, map_run_record_key(parent, map_run_arn), &bytes) != 0) {
    return std::optional<MapRunRecord>();
  }
  auto record = decode_map_run_record(bytes);
  if (!record) return corrupt("map run record", map_run_arn);
  return std::optional<MapRunRecord>(std::move(*record));
}

namespace {

// The record and outcome of `key` inside an open read transaction (an output that is the input
// put back).
Result<std::pair<ExecutionRecord, std::optional<StoredOutcome>>> read_in(ReadTxn& txn,
                                                                         const ExecutionKey& key) {
  std::string_view bytes;
  if (txn.get(txn.dbs().executions, execution_record_key(key), &bytes) != 0) {
    return missing(key.arn);
  }
  auto record = decode_execution_record(bytes);
  if (!record) return corrupt("record", key.arn);
  std::optional<StoredOutcome> outcome;
  if (txn.get(txn.dbs().executions, execution_outcome_key(key), &bytes) == 0) {
    outcome = decode_outcome(bytes);
    if (!outcome) return corrupt("outcome", key.arn);
    if (outcome->output_is_input) outcome->output = record->input;
  }
  return std::make_pair(std::move(*record), std::move(outcome));
}

}  // namespace

Result<std::pair<ExecutionRecord, std::optional<StoredOutcome>>> ExecutionStore::read(
    const ExecutionKey& key) {
  ReadTxn txn(env_);
  if (int rc = txn.begin()) return lmdb_error(rc, "executions: begin");
  return read_in(txn, key);
}

Result<StoredExecution> ExecutionStore::load(const ExecutionKey& key) {
  ReadTxn txn(env_);
  if (int rc = txn.begin()) return lmdb_error(rc, "executions: begin");
  auto found = read_in(txn, key);
  if (!found) return std::move(found).error();
  StoredExecution s;
  s.record = std::move(found->first);
  s.outcome = std::move(found->second);
  std::string_view bytes;
  if (txn.get(txn.dbs().executions, heartbeats_key(key), &bytes) == 0) {
    s.heartbeats = std::string(bytes);
  }
  Cursor c(txn.get(), txn.dbs().history);
  if (!c.ok()) return make_error(ErrorCode::kInternal, "history: cursor");
  std::string start = history_key(s.record.id, 1);
  MDB_val k = to_val(start), v;
  for (int rc = mdb_cursor_get(c.get(), &k, &v, MDB_SET_RANGE); rc == 0;
       rc = mdb_cursor_get(c.get(), &k, &v, MDB_NEXT)) {
    uint64_t kid = 0;
    int64_t kev = 0;
    if (!split_history_key(from_val(k), &kid, &kev) || kid != s.record.id) break;
    s.events.emplace_back(kev, std::string(from_val(v)));
  }
  return s;
}

Status ExecutionStore::visit_history(uint64_t id, int64_t from, bool reverse,
                                     const EventVisitor& visit) {
  ReadTxn txn(env_);
  if (int rc = txn.begin()) return lmdb_error(rc, "history: begin");
  Cursor c(txn.get(), txn.dbs().history);
  if (!c.ok()) return make_error(ErrorCode::kInternal, "history: cursor");
  std::string start = history_key(id, reverse ? (from ? from : INT64_MAX) : (from ? from : 1));
  MDB_val k = to_val(start), v;
  int rc = mdb_cursor_get(c.get(), &k, &v, MDB_SET_RANGE);
  if (reverse) {
    // SET_RANGE lands on the first key >= start: step back unless it is exactly `from`.
    uint64_t kid = 0;
    int64_t kev = 0;
    if (rc != 0) {
      rc = mdb_cursor_get(c.get(), &k, &v, MDB_LAST);
    } else if (!split_history_key(from_val(k), &kid, &kev) || kid != id || kev != from) {
      rc = mdb_cursor_get(c.get(), &k, &v, MDB_PREV);
    }
  }
  for (; rc == 0; rc = mdb_cursor_get(c.get(), &k, &v, reverse ? MDB_PREV : MDB_NEXT)) {
    uint64_t kid = 0;
    int64_t kev = 0;
    if (!split_history_key(from_val(k), &kid, &kev) || kid != id) break;
    if (!visit(kev, from_val(v))) break;
  }
  return {};
}

Result<int64_t> ExecutionStore::last_event_id(uint64_t id) {
  int64_t last = 0;
  auto st = visit_history(id, 0, true, [&](int64_t event_id, std::string_view) {
    last = event_id;
    return false;
  });
  if (!st) return std::move(st).error();
  return last;
}

}  // namespace sluice::storage
