// QueueStore: queue administration, the message operations, long-poll waiters, retention and
// recovery. Every change goes through the GroupCommitter; in-memory state changes that others must
// not race with (a message taken by a receive, a message being deleted) happen at once and are
// undone if the commit fails.
#include "storage/queue/queue_store.h"

#include <algorithm>
#include <chrono>
#include <deque>
#include <limits>
#include <set>

#include "storage/byte_codec.h"
#include "storage/queue/fifo_rules.h"
#include "storage/queue/index_snapshot.h"
#include "storage/queue/queue_record.h"
#include "storage/queue/queue_store_parts.h"
#include "storage/queue/receipt_handle.h"
#include "storage/random_id.h"

namespace sluice::storage {

namespace {
constexpr uint64_t kSeqBlock = 1 << 20;
constexpr size_t kRangeDeleteChunk = 20000;
constexpr size_t kRetentionChunk = 10000;
// Dead-letter moves one receive commits: each rewrites a message of up to 1 MiB.
constexpr size_t kMaxTransfersPerCommit = 100;
constexpr int64_t kRecreateWaitMs = 60'000;
constexpr int64_t kPurgeIntervalMs = 60'000;
constexpr size_t kDedupSweepChunk = 10000;
constexpr std::string_view kNextQueueIdKey = "next_queue_id";
constexpr std::string_view kSchemaKey = "schema";
constexpr uint32_t kSchemaVersion = 1;

Error queue_missing() {
  return make_error(ErrorCode::kQueueDoesNotExist, "The specified queue does not exist.");
}

std::string u64_bytes(uint64_t v) {
  ByteWriter w(8);
  w.u64(v);
  return std::move(w).take();
}

// Raises the queue record's seq_reserved to `reserved` inside the caller's transaction, reading
// the record as committed (not the in-memory one, whose attributes may still be uncommitted).
int record_reservation(WriteTxn& t, const std::string& name, uint64_t reserved) {
  std::string_view bytes;
  int rc = t.get(t.dbs().queues, name, &bytes);
  if (rc == MDB_NOTFOUND) return 0;  // the queue is gone, and its messages go with it
  if (rc) return rc;
  auto rec = QueueRecord::deserialize(bytes);
  if (!rec) return MDB_CORRUPTED;
  if (rec->seq_reserved >= reserved) return 0;
  rec->seq_reserved = reserved;
  return t.put(t.dbs().queues, name, rec->serialize());
}

}  // namespace

struct QueueStore::SendBatch {
  struct Dedup {
    std::string key;
    std::shared_ptr<DedupWindow::Outcome> outcome;
    size_t staged;  // index in `staged`
    int64_t expires_ms;
    bool replaces;  // an expired record of the key is still stored
  };
  std::vector<std::pair<size_t, StagedInsert>> staged;  // (result index, insert)
  std::vector<Dedup> dedups;                            // a window record per FIFO message stored
  // Duplicates of sends still committing: (result index, the original's outcome).
  std::vector<std::pair<size_t, std::shared_ptr<DedupWindow::Outcome>>> waits;
};

int64_t QueueStore::system_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

QueueStore::QueueStore(Environment& env, GroupCommitter& committer, Clock clock)
    : env_(env),
      committer_(committer),
      clock_(std::move(clock)),
      reader_(std::make_unique<ReadTxn>(env)) {}

QueueStore::~QueueStore() = default;

QueueStore::Queue* QueueStore::find(std::string_view name) {
  auto it = queues_.find(name);
  return it == queues_.end() ? nullptr : it->second.get();
}

QueueStore::Queue* QueueStore::find_id(uint64_t id) {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : it->second;
}

QueueView QueueStore::view(Queue& q) {
  tick(q, now());
  QueueView v;
  v.id = q.id;
  v.name = q.name;
  v.attributes = q.attributes;
  v.tags = q.tags;
  v.created_s = q.created_ms / 1000;
  v.last_modified_s = q.modified_ms / 1000;
  v.counts = q.counts();
  return v;
}

// ---------------------------------------------------------------------------------------------
// Recovery

Status QueueStore::recover(unsigned prefetch_threads) {
  ReadTxn txn(env_);
  if (int rc = txn.begin()) return lmdb_error(rc, "recover: begin");
  const Databases& dbs = env_.dbs();
  std::string_view v;
  if (txn.get(dbs.meta, kNextQueueIdKey, &v) == 0) {
    ByteReader r(v);
    next_queue_id_ = r.u64();
  }
  {
    Cursor c(txn.get(), dbs.queues);
    if (!c.ok()) return make_error(ErrorCode::kInternal, "recover: cursor");
    MDB_val k, val;
    for (int rc = mdb_cursor_get(c.get(), &k, &val, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(c.get(), &k, &val, MDB_NEXT)) {
      auto rec = QueueRecord::deserialize(from_val(val));
      if (!rec) return rec.error();
      auto q = std::make_shared<Queue>();
      q->id = rec->id;
      q->name = std::string(from_val(k));
      q->attributes = rec->attributes;
      q->tags = rec->tags;
      q->created_ms = rec->created_ms;
      q->modified_ms = rec->modified_ms;
      q->seq_reserved = q->seq_durable = rec->seq_reserved;
      q->next_seq = rec->seq_reserved;  // the first send reserves a fresh block
      q->committed = true;
      if (q->attributes.fifo_queue) q->index.enable_fifo();
      by_id_[q->id] = q.get();
      if (q->id >= next_queue_id_) next_queue_id_ = q->id + 1;
      queues_.emplace(q->name, std::move(q));
    }
  }
  std::set<uint64_t> orphans;
  const int64_t now_ms = now();
  Queue* q = nullptr;
  const StateRowSink index_row = [&](const StateRow& r) {
    if (!q || q->id != r.queue_id) q = find_id(r.queue_id);
    if (!q) {
      orphans.insert(r.queue_id);
      return;
    }
    q->index.insert(r.seq, r.sent_ms, r.visible_at_ms, r.receive_count, r.first_receive_ms, now_ms,
                    r.group);
    if (r.seq >= q->next_seq) q->next_seq = r.seq + 1;
  };
  // The snapshot of a clean shutdown when it is exactly this state, else the cold scan; either
  // hands out the same rows in the same order (index_snapshot.h).
  const std::string snapshot = index_snapshot_path(env_.data_dir());
  recovered_from_ = read_index_snapshot(txn.get(), dbs.meta, snapshot, index_row);
  remove_index_snapshot(snapshot);
  if (recovered_from_ != SnapshotUse::kUsed) {
    if (auto st = scan_state_rows(txn.get(), dbs, index_row, prefetch_threads); !st) return st;
  }
  // A queue deleted just before a crash may have left messages behind: finish the job.
  for (uint64_t qid : orphans) delete_range(qid, std::numeric_limits<uint64_t>::max(), "", {});
  next_retention_ms_ = now_ms;
  if (auto expiry = DedupWindow::earliest_expiry(txn)) next_dedup_sweep_ms_ = *expiry;
  return recover_move_tasks(txn);
}

Result<uint64_t> QueueStore::write_index_snapshot() {
  return storage::write_index_snapshot(env_, index_snapshot_path(env_.data_dir()));
}

// ---------------------------------------------------------------------------------------------
// Queues

Mutation QueueStore::queue_record_mutation(const Queue& q) {
  std::string key = q.name;
  std::string value = q.record().serialize();
  Mutation m;
  m.apply = [key = std::move(key), value = std::move(value)](WriteTxn& t) {
    return t.put(t.dbs().queues, key, value);
  };
  return m;
}

uint64_t QueueStore::take_seq(Queue& q) {
  if (q.next_seq >= q.seq_reserved) q.seq_reserved = q.next_seq + kSeqBlock;
  return q.next_seq++;
}

void QueueStore::create_queue(std::string name, const AttributePairs& attributes, Tags tags,
                              Callback<Result<QueueView>> done) {
  const int64_t now_ms = now();
  if (Queue* existing = find(name)) {
    if (!existing->committed) {
      // Its first CreateQueue is still committing. Answer this one after that (a no-op mutation
      // completes after everything submitted before it), as if it had arrived then.
      Mutation m;
      m.apply = [](WriteTxn&) { return 0; };
      m.done = [this, name = std::move(name), attributes, tags = std::move(tags),
                done = std::move(done)](Status) mutable {
        create_queue(std::move(name), attributes, std::move(tags), std::move(done));
      };
      return committer_.submit(std::move(m));
    }
    QueueAttributes wanted = existing->attributes;
    for (const auto& [k, v] : attributes) {
      if (auto st = wanted.set(k, v, true); !st) return done(st.error());
      if (wanted != existing->attributes) {
        return done(make_error(ErrorCode::kQueueNameExists,
                               "A queue already exists with the same name and a different value "
                               "for attribute " +
                                   k));
      }
    }
    return done(view(*existing));
  }
  if (auto it = recently_deleted_.find(name);
      enforce_recreate_wait_ && it != recently_deleted_.end()) {
    if (now_ms - it->second < kRecreateWaitMs) {
      return done(make_error(ErrorCode::kQueueDeletedRecently,
                             "You must wait 60 seconds after deleting a queue before you can "
                             "create another with the same name."));
    }
    recently_deleted_.erase(it);
  }
  auto q = std::make_shared<Queue>();
  if (auto st = q->attributes.set_all(attributes, true); !st) return done(st.error());
  if (auto st = check_redrive_policy(name, attributes, q->attributes); !st) {
    return done(st.error());
  }
  q->id = next_queue_id_++;
  q->name = std::move(name);
  q->tags = std::move(tags);
  q->created_ms = q->modified_ms = now_ms;
  q->seq_reserved = q->seq_durable = q->next_seq = 1;
  if (q->attributes.fifo_queue) q->index.enable_fifo();
  Queue* raw = q.get();
  queues_.emplace(q->name, q);
  by_id_[q->id] = raw;

  Mutation m = queue_record_mutation(*raw);
  m.apply = [record = std::move(m.apply), next_id = u64_bytes(next_queue_id_)](WriteTxn& t) {
    if (int rc = t.put(t.dbs().meta, kNextQueueIdKey, next_id)) return rc;
    ByteWriter w(4);
    w.u32(kSchemaVersion);
    if (int rc = t.put(t.dbs().meta, kSchemaKey, w.view())) return rc;
    return record(t);
  };
  m.done = [this, q, done = std::move(done)](Status st) {
    if (!st) {
      if (find_id(q->id) == q.get()) {
        by_id_.erase(q->id);
        queues_.erase(q->name);
      }
      return done(std::move(st).error());
    }
    q->committed = true;
    done(view(*q));
  };
  committer_.submit(std::move(m));
}

Result<QueueView> QueueStore::get_queue(std::string_view name) {
  Queue* q = find(name);
  if (!q) return queue_missing();
  return view(*q);
}

std::vector<std::string> QueueStore::list_queues(std::string_view prefix) const {
  std::vector<std::string> out;
  for (auto it = queues_.lower_bound(prefix); it != queues_.end(); ++it) {
    if (it->first.compare(0, prefix.size(), prefix) != 0) break;
    out.push_back(it->first);
  }
  return out;
}

void QueueStore::delete_queue(std::string_view name, Callback<Status> done) {
  auto it = queues_.find(name);
  if (it == queues_.end()) return done(queue_missing());
  std::shared_ptr<Queue> q = it->second;
  queues_.erase(it);
  by_id_.erase(q->id);
  waiting_queues_.erase(q->id);
  const int64_t now_ms = now();
  std::erase_if(recently_deleted_,
                [&](const auto& kv) { return now_ms - kv.second >= kRecreateWaitMs; });
  if (enforce_recreate_wait_) recently_deleted_[q->name] = now_ms;
  for (auto& w : q->waiters) {
    if (!w->finished) {
      retire(*w);
      auto cb = std::move(w->done);
      cb(std::vector<ReceivedMessage>{});
    }
  }
  q->waiters.clear();
  delete_range(q->id, std::numeric_limits<uint64_t>::max(), q->name,
               [this, q, done = std::move(done)](Status st) {
                 if (!st && !find(q->name)) {
                   // The first chunk (which removes the queue record) failed: nothing was
                   // removed, so put the queue back and memory matches disk.
                   by_id_[q->id] = q.get();
                   queues_.emplace(q->name, q);
                   recently_deleted_.erase(q->name);
                 }
                 done(std::move(st));
               });
}

void QueueStore::delete_range(uint64_t queue_id, uint64_t below_seq, std::string queue_record_name,
                              Callback<Status> done) {
  auto more = std::make_shared<bool>(false);
  const bool deletes_queue = !queue_record_name.empty();
  Mutation m;
  m.apply = [queue_id, below_seq, name = std::move(queue_record_name), more](WriteTxn& t) {
    *more = false;  // apply may run twice (a failed batch is retried one mutation at a time)
    if (!name.empty()) {
      if (int rc = t.del(t.dbs().queues, name)) return rc;
    }
    const std::string start = message_key(queue_id, 0);
    const std::string end = message_key(queue_id, below_seq);
    size_t deleted = 0;
    // A message is deleted whole (state and body in the same chunk): recovery indexes what has a
    // state, so a crash between chunks must not leave states whose bodies are gone. The second
    // pass only finds bodies without a state, which nothing writes.
    for (MDB_dbi dbi : {t.dbs().states, t.dbs().messages}) {
      Cursor c(t.get(), dbi);
      if (!c.ok()) return EINVAL;
      MDB_val k = to_val(start), v;
      int rc = mdb_cursor_get(c.get(), &k, &v, MDB_SET_RANGE);
      while (rc == 0 && from_val(k) < end) {
        if (deleted >= kRangeDeleteChunk) {
          *more = true;
          return 0;
        }
        const std::string key(from_val(k));
        if (int drc = mdb_cursor_del(c.get(), 0)) return drc;
        if (dbi == t.dbs().states) {
          if (int drc = t.del(t.dbs().messages, key)) return drc;
        }
        ++deleted;
        // Seek again rather than trust the cursor's position after a delete.
        k = to_val(key);
        rc = mdb_cursor_get(c.get(), &k, &v, MDB_SET_RANGE);
      }
      if (rc != 0 && rc != MDB_NOTFOUND) return rc;
    }
    return 0;
  };
  m.done = [this, queue_id, below_seq, deletes_queue, more,
            done = std::move(done)](Status st) mutable {
    if (st && *more) {
      if (!deletes_queue) return delete_range(queue_id, below_seq, "", std::move(done));
      // The queue record went with the first chunk, so the queue is deleted; the rest of its
      // messages go in the background (recovery finishes them if this is interrupted).
      delete_range(queue_id, below_seq, "", {});
    }
    if (done) done(std::move(st));
  };
  committer_.submit(std::move(m));
}

void QueueStore::set_attributes(std::string_view name, const AttributePairs& attributes,
                                Callback<Status> done) {
  Queue* q = find(name);
  if (!q) return done(queue_missing());
  QueueAttributes updated = q->attributes;
  if (auto st = updated.set_all(attributes, false); !st) return done(st);
  if (auto st = check_redrive_policy(q->name, attributes, updated); !st) return done(st);
  QueueAttributes previous = q->attributes;
  int64_t previous_modified = q->modified_ms;
  q->attributes = updated;
  q->modified_ms = now();
  next_retention_ms_ = std::min(next_retention_ms_, now());  // retention may have shrunk
  Mutation m = queue_record_mutation(*q);
  m.done = [this, id = q->id, previous, previous_modified, done = std::move(done)](Status st) {
    if (!st) {
      if (Queue* q = find_id(id)) {
        q->attributes = previous;
        q->modified_ms = previous_modified;
      }
    }
    done(std::move(st));
  };
  committer_.submit(std::move(m));
}

void QueueStore::tag_queue(std::string_view name, const Tags& tags, Callback<Status> done) {
  Queue* q = find(name);
  if (!q) return done(queue_missing());
  Tags merged = q->tags;
  for (auto& [k, v] : tags) merged[k] = v;
  if (merged.size() > 50) {
    return done(make_error(ErrorCode::kInvalidParameterValue,
                           "Too many tags added for queue " + q->name + "."));
  }
  Tags previous = std::move(q->tags);
  q->tags = std::move(merged);
  Mutation m = queue_record_mutation(*q);
  m.done = [this, id = q->id, previous = std::move(previous), done = std::move(done)](Status st) {
    if (!st) {
      if (Queue* q = find_id(id)) q->tags = previous;
    }
    done(std::move(st));
  };
  committer_.submit(std::move(m));
}

void QueueStore::untag_queue(std::string_view name, const std::vector<std::string>& keys,
                             Callback<Status> done) {
  Queue* q = find(name);
  if (!q) return done(queue_missing());
  Tags previous = q->tags;
  for (auto& k : keys) q->tags.erase(k);
  Mutation m = queue_record_mutation(*q);
  m.done = [this, id = q->id, previous = std::move(previous), done = std::move(done)](Status st) {
    if (!st) {
      if (Queue* q = find_id(id)) q->tags = previous;
    }
    done(std::move(st));
  };
  committer_.submit(std::move(m));
}

void QueueStore::purge_queue(std::string_view name, Callback<Status> done, PurgeInterval interval) {
  Queue* q = find(name);
  if (!q) return done(queue_missing());
  const int64_t now_ms = now();
  if (interval == PurgeInterval::kEnforced && now_ms - q->last_purge_ms < kPurgeIntervalMs) {
    return done(make_error(
        ErrorCode::kPurgeQueueInProgress,
        "Only one PurgeQueue operation on " + q->name + " is allowed every 60 seconds."));
  }
  const int64_t previous_purge_ms = q->last_purge_ms;
  q->last_purge_ms = now_ms;
  const uint64_t bound = q->next_seq;
  delete_range(
      q->id, bound, "",
      [this, id = q->id, bound, now_ms, previous_purge_ms, done = std::move(done)](Status st) {
        if (Queue* q = find_id(id)) {
          if (st) {
            q->index.remove_below(bound);
          } else if (q->last_purge_ms == now_ms) {
            q->last_purge_ms = previous_purge_ms;  // a failed purge does not block a retry
          }
        }
        done(std::move(st));
      });
}

// ---------------------------------------------------------------------------------------------
// Messages

Result<QueueKind> QueueStore::queue_kind(std::string_view name) const {
  auto it = queues_.find(name);
  if (it == queues_.end()) return queue_missing();
  const QueueAttributes& a = it->second->attributes;
  return QueueKind{a.fifo_queue, a.content_based_deduplication};
}

int StagedInsert::apply(WriteTxn& t) const {
  if (reserve_) {
    if (int rc = record_reservation(t, queue_name_, reserve_)) return rc;
  }
  const std::string key = message_key(queue_id_, seq_);
  if (int rc = t.put_usually_last(t.dbs().messages, key, record_.serialize())) return rc;
  return t.put_usually_last(t.dbs().states, key, state_.serialize());
}

StagedInsert QueueStore::stage(Queue& q, MessageRecord record, MessageState state) {
  StagedInsert s;
  s.queue_id_ = q.id;
  s.seq_ = take_seq(q);
  // 0: the block this number comes from is already recorded on disk.
  s.reserve_ = s.seq_ >= q.seq_durable ? q.seq_reserved : 0;
  if (s.reserve_) s.queue_name_ = q.name;
  s.record_ = std::move(record);
  s.state_ = std::move(state);
  next_retention_ms_ = std::min(
      next_retention_ms_, s.state_.sent_ms + int64_t{q.attributes.message_retention_period} * 1000);
  return s;
}

void QueueStore::index_insert(Queue& q, const StagedInsert& s, int64_t now_ms) {
  q.seq_durable = std::max(q.seq_durable, s.reserve_);
  const MessageState& st = s.state_;
  q.index.insert(s.seq_, st.sent_ms, st.visible_at_ms, st.receive_count, st.first_receive_ms,
                 now_ms, st.group_id);
}

void QueueStore::send(std::string_view queue, std::vector<NewMessage> messages,
                      Callback<Result<std::vector<Result<SentMessage>>>> done) {
  Queue* q = find(queue);
  if (!q) return done(queue_missing());
  const int64_t now_ms = now();
  const QueueAttributes& attrs = q->attributes;
  const bool fifo = attrs.fifo_queue;
  auto batch = std::make_shared<SendBatch>();
  batch->staged.reserve(messages.size());
  std::vector<Result<SentMessage>> results;
  results.reserve(messages.size());
  bool reading = false;  // reader_ is open for dedup lookups
  for (size_t i = 0; i < messages.size(); ++i) {
    NewMessage& m = messages[i];
    if (message_size(m) > attrs.maximum_message_size) {
      results.emplace_back(
          make_error(ErrorCode::kInvalidParameterValue,
                     "One or more parameters are invalid. Reason: Message must be shorter than " +
                         std::to_string(attrs.maximum_message_size) + " bytes."));
      continue;
    }
    if (auto st = check_message_for_queue(attrs, m); !st) {
      results.emplace_back(std::move(st).error());
      continue;
    }
    std::string key;
    bool stale = false;
    if (fifo) {
      const bool by_group = attrs.deduplication_scope == DeduplicationScope::kMessageGroup;
      key = DedupWindow::key(q->id, by_group ? std::string_view(m.group_id) : "", m.dedup_id);
      if (!reading) {
        if (int rc = reader_->begin()) {
          results.emplace_back(lmdb_error(rc, "send: read"));
          continue;
        }
        reading = true;
      }
      if (auto original = dedup_.find(*reader_, key, now_ms, &stale)) {
        if (original->outcome) batch->waits.emplace_back(results.size(), original->outcome);
        stats_.deduplicated += 1;
        results.emplace_back(SentMessage{std::move(original->message_id), original->seq, true});
        continue;
      }
    }
    const uint32_t delay =
        fifo ? attrs.delay_seconds : m.delay_seconds.value_or(attrs.delay_seconds);
    MessageRecord record;
    record.message_id = random_uuid();
    record.body_md5 = std::move(m.body_md5);
    record.sender_id = std::move(m.sender_id);
    record.aws_trace_header = std::move(m.aws_trace_header);
    record.attributes = std::move(m.attributes);
    record.body = std::move(m.body);
    record.group_id = std::move(m.group_id);
    MessageState state;
    state.sent_ms = now_ms;
    state.visible_at_ms = now_ms + int64_t{delay} * 1000;
    if (fifo) {
      record.dedup_id = std::move(m.dedup_id);
      state.group_id = record.group_id;
    }
    StagedInsert staged = stage(*q, std::move(record), std::move(state));
    if (fifo) {
      batch->dedups.push_back({key, dedup_.claim(key, staged.message_id(), staged.seq()),
                               batch->staged.size(), now_ms + DedupWindow::kWindowMs, stale});
    }
    results.emplace_back(SentMessage{staged.message_id(), staged.seq()});
    batch->staged.emplace_back(results.size() - 1, std::move(staged));
  }
  if (reading) reader_->reset();
  if (batch->staged.empty() && batch->waits.empty()) return done(std::move(results));

  Mutation m;
  // Records are encoded on the committer thread: the reactor only moves the bodies.
  m.apply = [batch](WriteTxn& t) {
    for (const auto& [index, s] : batch->staged) {
      if (int rc = s.apply(t)) return rc;
    }
    for (const SendBatch::Dedup& d : batch->dedups) {
      const StagedInsert& s = batch->staged[d.staged].second;
      if (int rc = DedupWindow::put(t, d.key, s.message_id(), s.seq(), d.expires_ms, d.replaces)) {
        return rc;
      }
    }
    return 0;
  };
  // Also when everything was a duplicate: the answer waits for the originals' commits.
  m.done = [this, id = q->id, batch, results = std::move(results),
            done = std::move(done)](Status st) mutable {
    Queue* q = find_id(id);
    const int64_t now_ms = now();
    for (const auto& [index, s] : batch->staged) {
      if (!st) {
        results[index] = st.error();
      } else if (q) {
        index_insert(*q, s, now_ms);
      }
    }
    if (st) stats_.sent += batch->staged.size();
    for (const SendBatch::Dedup& d : batch->dedups) dedup_.release(d.key, d.outcome, st.ok());
    if (st && !batch->dedups.empty()) {
      next_dedup_sweep_ms_ = std::min(next_dedup_sweep_ms_, batch->dedups.front().expires_ms);
    }
    for (const auto& [index, outcome] : batch->waits) {
      if (*outcome == DedupWindow::Outcome::kFailed && results[index].ok()) {
        results[index] = make_error(ErrorCode::kInternal,
                                    "The message this one duplicates could not be stored.");
      }
    }
    done(std::move(results));
    if (Queue* q = find_id(id)) serve_waiters(*q);
  };
  committer_.submit(std::move(m));
}

std::vector<QueueStore::Picked> QueueStore::pick(Queue& q, uint32_t max,
                                                 std::optional<uint32_t> visibility, bool one_group,
                                                 int64_t now_ms, Transfers& dead) {
  std::vector<Picked> picked;
  const int64_t retention_ms = int64_t{q.attributes.message_retention_period} * 1000;
  std::shared_ptr<std::vector<uint64_t>> expired;
  Queue* dlq = dead_letter_target(q);
  const uint32_t max_receives = dlq ? q.attributes.redrive_policy->max_receive_count : 0;
  std::optional<uint64_t> last;  // FIFO: keep taking from this message's group while it can
  const bool group_only = one_group && q.index.fifo();
  while (picked.size() < max && dead.size() < kMaxTransfersPerCommit) {
    auto seq = group_only && last ? q.index.next_in_group(*last) : q.index.pop_ready(last);
    if (!seq) break;
    last = seq;
    IndexEntry* e = q.index.find(*seq);
    if (e->sent_ms + retention_ms <= now_ms) {
      // Past retention: never handed out, and deleted now rather than left to the sweep (which
      // stops at the first message still within retention, and so may not reach this one when
      // the clock stepped back between sends).
      if (!expired) expired = std::make_shared<std::vector<uint64_t>>();
      q.index.make_busy(*seq, *e);
      expired->push_back(*seq);
      if (expired->size() >= kRetentionChunk) break;  // the sweep takes the rest
      continue;
    }
    if (dlq && e->receive_count >= max_receives) {
      // This receive would be one too many: the message goes to the dead-letter queue instead,
      // with the receive count it has (so its first receive there counts maxReceiveCount + 1).
      // FIFO sources: the group is not blocked by the message that leaves. It is busy, not in
      // flight, so this receive goes on with the next member of its group (`last`), the move and
      // that receive committing together; a later receive finds the group once the move
      // committed (or the message back at its head if the commit failed).
      q.index.make_busy(*seq, *e);
      MessageState s;
      // AWS: a FIFO dead-letter queue restarts the message's retention, a standard one keeps it.
      s.sent_ms = dlq->index.fifo() ? now_ms : e->sent_ms;
      s.visible_at_ms = now_ms;
      s.first_receive_ms = e->first_receive_ms;
      s.receive_count = e->receive_count;
      dead.push_back(plan_transfer(q, *seq, *dlq, std::move(s)));
      dead.back().dead_letter_source_arn = arn_of(q.name);
      // AWS: in a FIFO dead-letter queue the deduplication id becomes the original MessageId, so
      // that two messages sharing a deduplication id are never taken for duplicates there.
      dead.back().dedup_id_from_message_id = dlq->index.fifo();
      continue;
    }
    Picked p;
    p.seq = *seq;
    p.state.sent_ms = e->sent_ms;
    if (visibility) {
      e->receive_count += 1;
      if (e->first_receive_ms == 0) e->first_receive_ms = now_ms;
      q.index.make_inflight(*seq, *e, now_ms + int64_t{*visibility} * 1000);
      p.state.visible_at_ms = e->visible_at_ms;
      p.state.first_receive_ms = e->first_receive_ms;
      p.state.receive_count = e->receive_count;
    } else {
      // Taken by a consumer: nothing changes but that it is busy; the state is what a receive
      // would have written, should the consumer release it as failed.
      q.index.make_busy(*seq, *e);
      p.state.visible_at_ms = now_ms;
      p.state.first_receive_ms = e->first_receive_ms ? e->first_receive_ms : now_ms;
      p.state.receive_count = e->receive_count + 1;
    }
    picked.push_back(p);
  }
  if (expired) delete_expired(q, std::move(expired));
  return picked;
}

void QueueStore::commit_receive(Queue& q, std::vector<Picked> picked, Transfers dead,
                                Callback<Result<std::vector<ReceivedMessage>>> done) {
  auto shared = std::make_shared<std::vector<Picked>>(std::move(picked));
  auto moves = std::make_shared<Transfers>(std::move(dead));
  Mutation m;
  m.apply = [id = q.id, shared, moves](WriteTxn& t) {
    for (const Picked& p : *shared) {
      if (int rc = put_state_if_present(t, message_key(id, p.seq), p.state)) return rc;
    }
    for (MessageTransfer& move : *moves) {
      if (int rc = transfer_message(t, move)) return rc;
    }
    return 0;
  };
  m.done = [this, id = q.id, shared, moves, done = std::move(done)](Status st) {
    if (!moves->empty()) finish_transfers(*moves, st.ok());
    Queue* q = find_id(id);
    if (!st) {
      if (q) {
        const int64_t now_ms = now();
        for (auto it = shared->rbegin(); it != shared->rend(); ++it) {
          IndexEntry* e = q->index.find(it->seq);
          if (!e || e->state != EntryState::kInflight ||
              e->receive_count != it->state.receive_count || !it->receipt_handle.empty()) {
            continue;  // (a retried attempt's message keeps its count: only its deadline moved)
          }
          e->receive_count -= 1;
          if (e->receive_count == 0) e->first_receive_ms = 0;
          e->visible_at_ms = now_ms;
          q->index.make_ready(it->seq, *e);
        }
        serve_waiters(*q);
      }
      return done(std::move(st).error());
    }
    std::vector<ReceivedMessage> out;
    out.reserve(shared->size());
    if (int rc = reader_->begin()) return done(lmdb_error(rc, "receive: read"));
    for (const Picked& p : *shared) {
      std::string_view bytes;
      if (int rc = reader_->get(env_.dbs().messages, message_key(id, p.seq), &bytes)) {
        // Purged (or its queue deleted) while this receive committed. Nothing of it is left on
        // disk, so let go of the index entry too, or it would be received again and again.
        IndexEntry* e = q && rc == MDB_NOTFOUND ? q->index.find(p.seq) : nullptr;
        if (e && e->state == EntryState::kInflight && e->receive_count == p.state.receive_count) {
          q->index.remove(p.seq, *e);
        }
        continue;
      }
      auto rec = MessageRecord::deserialize(bytes);
      if (!rec) continue;
      out.push_back(
          received_from(std::move(*rec), p.seq, p.state,
                        p.receipt_handle.empty()
                            ? ReceiptHandle{id, p.seq, p.state.receive_count, random_u32()}.encode()
                            : p.receipt_handle));
    }
    reader_->reset();
    stats_.received += out.size();
    done(std::move(out));
  };
  committer_.submit(std::move(m));
}

void QueueStore::receive(std::string_view queue, ReceiveOptions options,
                         Callback<Result<std::vector<ReceivedMessage>>> done) {
  Queue* q = find(queue);
  if (!q) return done(queue_missing());
  const int64_t now_ms = now();
  tick(*q, now_ms);
  const uint32_t visibility = options.visibility_timeout.value_or(q->attributes.visibility_timeout);
  const uint32_t wait =
      options.wait_seconds.value_or(q->attributes.receive_message_wait_time_seconds);
  if (q->index.fifo() && !options.receive_request_attempt_id.empty() &&
      retry_attempt(*q, options.receive_request_attempt_id, visibility, done)) {
    return;
  }
  Transfers dead;
  auto picked = pick(*q, options.max_messages, visibility, false, now_ms, dead);
  if (!picked.empty()) {
    return commit_receive(*q, std::move(picked), std::move(dead), std::move(done));
  }
  if (!dead.empty()) {
    // Everything ready was due for the dead-letter queue. Answer once those moves are durable
    // (a client that then reads the dead-letter queue finds them), looking again first: messages
    // behind them may be deliverable.
    const int64_t deadline_ms = now_ms + int64_t{wait} * 1000;
    return commit_transfers(std::make_shared<Transfers>(std::move(dead)), {},
                            [this, name = q->name, options = std::move(options), deadline_ms,
                             done = std::move(done)](Status st) mutable {
                              if (!st) return done(std::move(st).error());
                              options.wait_seconds = static_cast<uint32_t>(
                                  std::max<int64_t>(0, deadline_ms - now()) / 1000);
                              receive(name, std::move(options), std::move(done));
                            });
  }
  if (wait == 0) return done(std::vector<ReceivedMessage>{});
  auto w = std::make_shared<Waiter>();
  w->queue_id = q->id;
  w->max = options.max_messages;
  w->visibility = visibility;
  w->options = std::move(options);
  w->done = std::move(done);
  while (!q->waiters.empty() && q->waiters.front()->finished) q->waiters.pop_front();
  q->waiters.push_back(w);
  waiting_queues_[q->id] = q;
  w->deadline = waiter_deadlines_.emplace(now_ms + int64_t{wait} * 1000, w);
  w->has_deadline = true;
}

bool QueueStore::retry_attempt(Queue& q, const std::string& attempt_id, uint32_t visibility,
                               Callback<Result<std::vector<ReceivedMessage>>>& done) {
  const int64_t now_ms = now();
  if (const std::vector<AttemptMessage>* attempt = q.attempts.find(attempt_id, now_ms)) {
    // Still the same: every message exists, was not received since (same count), and is in flight
    // or visible again (its timeout ended, nobody took it: it is still first in its group).
    bool same = true;
    for (const AttemptMessage& m : *attempt) {
      const IndexEntry* e = q.index.find(m.seq);
      same = same && e && e->receive_count == m.receive_count &&
             (e->state == EntryState::kInflight || e->state == EntryState::kReady);
    }
    if (same) {
      std::vector<Picked> picked;
      picked.reserve(attempt->size());
      for (const AttemptMessage& m : *attempt) {
        IndexEntry* e = q.index.find(m.seq);
        // The retry starts the visibility timeout again.
        q.index.make_inflight(m.seq, *e, now_ms + int64_t{visibility} * 1000);
        Picked p;
        p.seq = m.seq;
        p.state.sent_ms = e->sent_ms;
        p.state.visible_at_ms = e->visible_at_ms;
        p.state.first_receive_ms = e->first_receive_ms;
        p.state.receive_count = e->receive_count;
        p.receipt_handle = m.receipt_handle;
        picked.push_back(std::move(p));
      }
      commit_receive(q, std::move(picked), {}, std::move(done));
      return true;
    }
    q.attempts.forget(attempt_id);
  }
  // An ordinary receive; what it returns is what a retry of this attempt will get.
  done = [this, id = q.id, attempt_id,
          inner = std::move(done)](Result<std::vector<ReceivedMessage>> got) {
    Queue* q = got ? find_id(id) : nullptr;
    if (q) {
      std::vector<AttemptMessage> messages;
      messages.reserve(got->size());
      for (const ReceivedMessage& m : *got) {
        messages.push_back({m.seq, m.receive_count, m.receipt_handle});
      }
      q->attempts.record(attempt_id, std::move(messages), now());
    }
    inner(std::move(got));
  };
  return false;
}

void QueueStore::tick(Queue& q, int64_t now_ms) {
  // Whoever moves a queue's deadlines must also wake its sleeping receives: the deadline that made
  // a message visible has left the heap, so the owner's timer will not fire for it again.
  if (q.index.advance(now_ms) > 0 && (!q.waiters.empty() || watched(q))) serve_waiters(q);
}

void QueueStore::retire(Waiter& w) {
  w.finished = true;
  if (w.has_deadline) {
    w.has_deadline = false;
    waiter_deadlines_.erase(w.deadline);
  }
}

void QueueStore::serve_waiters(Queue& q) {
  notify_watchers(q);
  if (q.waiters.empty()) return;
  const int64_t now_ms = now();
  q.index.advance(now_ms);
  while (!q.waiters.empty() && q.index.counts().visible > 0) {
    std::shared_ptr<Waiter> w = q.waiters.front();
    q.waiters.pop_front();
    if (w->finished) continue;
    if (w->options.still_wanted && !w->options.still_wanted()) {
      retire(*w);
      continue;
    }
    Transfers dead;
    auto picked = pick(q, w->max, w->visibility, false, now_ms, dead);
    if (picked.empty()) {
      if (!dead.empty()) commit_transfers(std::make_shared<Transfers>(std::move(dead)), {}, {});
      q.waiters.push_front(std::move(w));
      break;
    }
    retire(*w);
    commit_receive(q, std::move(picked), std::move(dead), std::move(w->done));
  }
  while (!q.waiters.empty() && q.waiters.front()->finished) q.waiters.pop_front();
  if (q.waiters.empty()) waiting_queues_.erase(q.id);
}

void QueueStore::delete_messages(std::string_view queue, std::vector<std::string> receipt_handles,
                                 Callback<Result<std::vector<Status>>> done) {
  Queue* q = find(queue);
  if (!q) return done(queue_missing());
  tick(*q, now());  // FIFO: a handle whose visibility just ended has expired
  std::vector<Status> results(receipt_handles.size());
  auto doomed = std::make_shared<std::vector<uint64_t>>();
  for (size_t i = 0; i < receipt_handles.size(); ++i) {
    auto h = ReceiptHandle::decode(receipt_handles[i]);
    if (!h || h->queue_id != q->id) {
      results[i] = make_error(
          ErrorCode::kReceiptHandleIsInvalid,
          "The input receipt handle \"" + receipt_handles[i] + "\" is not a valid receipt handle.");
      continue;
    }
    IndexEntry* e = q->index.find(h->seq);
    // FIFO: a handle whose visibility timeout ended (the message is visible again, or was
    // received again) deletes nothing and says so, or a later message of its group could be
    // handed out before it.
    if (e && q->index.fifo() && e->state != EntryState::kBusy &&
        (e->state != EntryState::kInflight || e->receive_count != h->receive_count)) {
      results[i] = make_error(ErrorCode::kInvalidParameterValue,
                              "Value " + receipt_handles[i] +
                                  " for parameter ReceiptHandle is invalid. Reason: The receipt "
                                  "handle has expired.");
      continue;
    }
    // Already deleted, being deleted, or received again since this handle was issued: AWS answers
    // success and (in the last case) leaves the message alone.
    if (!e || e->state == EntryState::kBusy || e->receive_count != h->receive_count) continue;
    q->index.make_busy(h->seq, *e);
    q->attempts.touched(h->seq);
    doomed->push_back(h->seq);
  }
  if (doomed->empty()) return done(std::move(results));
  committer_.submit(
      remove_busy(q->id, std::move(doomed), &QueueStoreStats::deleted,
                  [results = std::move(results), done = std::move(done)](Status st) mutable {
                    if (!st) return done(std::move(st).error());
                    done(std::move(results));
                  }));
}

Mutation QueueStore::remove_busy(uint64_t queue_id, std::shared_ptr<std::vector<uint64_t>> seqs,
                                 uint64_t QueueStoreStats::*counter, Callback<Status> then) {
  Mutation m;
  m.apply = [queue_id, seqs](WriteTxn& t) {
    for (uint64_t seq : *seqs) {
      const std::string key = message_key(queue_id, seq);
      if (int rc = t.del(t.dbs().messages, key)) return rc;
      if (int rc = t.del(t.dbs().states, key)) return rc;
    }
    return 0;
  };
  m.done = [this, queue_id, seqs, counter, then = std::move(then)](Status st) {
    Queue* q = find_id(queue_id);
    if (q) {
      const int64_t now_ms = now();
      for (uint64_t seq : *seqs) {
        IndexEntry* e = q->index.find(seq);
        if (!e) continue;
        if (st) {
          q->index.remove(seq, *e);
        } else {
          q->index.undo_busy(seq, *e, now_ms);
        }
      }
      if (st) {
        stats_.*counter += seqs->size();
      } else {
        next_retention_ms_ = std::min(next_retention_ms_, now_ms);  // they are back: sweep them
      }
    }
    if (then) then(st);
    // A FIFO group whose head left can deliver again; a failed removal may have put back a message
    // whose visibility ended meanwhile.
    if (Queue* after = find_id(queue_id)) serve_waiters(*after);
  };
  return m;
}

void QueueStore::change_visibility(std::string_view queue, std::vector<VisibilityChange> changes,
                                   Callback<Result<std::vector<Status>>> done) {
  Queue* q = find(queue);
  if (!q) return done(queue_missing());
  const int64_t now_ms = now();
  tick(*q, now_ms);
  std::vector<Status> results(changes.size());
  auto writes = std::make_shared<std::vector<std::pair<uint64_t, MessageState>>>();
  bool made_visible = false;
  for (size_t i = 0; i < changes.size(); ++i) {
    const std::string& handle = changes[i].receipt_handle;
    auto h = ReceiptHandle::decode(handle);
    if (!h || h->queue_id != q->id) {
      results[i] =
          make_error(ErrorCode::kReceiptHandleIsInvalid,
                     "The input receipt handle \"" + handle + "\" is not a valid receipt handle.");
      continue;
    }
    IndexEntry* e = q->index.find(h->seq);
    if (!e || e->state == EntryState::kBusy) {
      results[i] = make_error(ErrorCode::kInvalidParameterValue,
                              "Value " + handle +
                                  " for parameter ReceiptHandle is invalid. Reason: Message does "
                                  "not exist or is not available for visibility timeout change.");
      continue;
    }
    if (e->receive_count != h->receive_count) {
      results[i] = make_error(ErrorCode::kInvalidParameterValue,
                              "Value " + handle +
                                  " for parameter ReceiptHandle is invalid. Reason: The receipt "
                                  "handle has expired.");
      continue;
    }
    if (e->state != EntryState::kInflight) {
      results[i] =
          make_error(ErrorCode::kMessageNotInflight, "The message referred to isn't in flight.");
      continue;
    }
    const uint32_t t = changes[i].visibility_timeout;
    q->attempts.touched(h->seq);
    if (t == 0) {
      e->visible_at_ms = now_ms;
      q->index.make_ready(h->seq, *e);
      made_visible = true;
    } else {
      q->index.make_inflight(h->seq, *e, now_ms + int64_t{t} * 1000);
    }
    MessageState s;
    s.sent_ms = e->sent_ms;
    s.visible_at_ms = e->visible_at_ms;
    s.first_receive_ms = e->first_receive_ms;
    s.receive_count = e->receive_count;
    writes->emplace_back(h->seq, s);
  }
  if (made_visible) serve_waiters(*q);
  if (writes->empty()) return done(std::move(results));
  Mutation m;
  m.apply = [id = q->id, writes](WriteTxn& t) {
    for (auto& [seq, s] : *writes) {
      if (int rc = put_state_if_present(t, message_key(id, seq), s)) return rc;
    }
    return 0;
  };
  // The in-memory deadline already moved; if the write fails the stored deadline is the older one,
  // which only matters after a restart.
  m.done = [results = std::move(results), done = std::move(done)](Status st) mutable {
    if (!st) return done(std::move(st).error());
    done(std::move(results));
  };
  committer_.submit(std::move(m));
}

// ---------------------------------------------------------------------------------------------
// Dead-letter queues, and moving messages between queues

std::string QueueStore::arn_of(std::string_view queue_name) const {
  std::string arn = arn_prefix_;
  arn.append(queue_name);
  return arn;
}

Result<std::vector<std::string>> QueueStore::dead_letter_sources(
    std::string_view dead_letter_queue) {
  if (!find(dead_letter_queue)) return queue_missing();
  const std::string arn = arn_of(dead_letter_queue);
  std::vector<std::string> out;
  for (auto& [name, q] : queues_) {
    const auto& policy = q->attributes.redrive_policy;
    if (q->committed && policy && policy->dead_letter_target_arn == arn) out.push_back(name);
  }
  return out;
}

Status QueueStore::check_redrive_policy(std::string_view source, const AttributePairs& pairs,
                                        const QueueAttributes& attributes) {
  const std::string* value = nullptr;  // the value that was applied last
  for (const auto& [k, v] : pairs) {
    if (k == "RedrivePolicy") value = &v;
  }
  if (!value || value->empty() || !attributes.redrive_policy) return {};
  auto invalid = [&](std::string_view reason) {
    return make_error(ErrorCode::kInvalidParameterValue,
                      "Value " + *value + " for parameter RedrivePolicy is invalid. Reason: " +
                          std::string(reason));
  };
  const std::string& target_arn = attributes.redrive_policy->dead_letter_target_arn;
  const std::string_view target_name = queue_name_in(target_arn, arn_prefix_);
  Queue* target = target_name.empty() ? nullptr : find(target_name);
  if (!target || !target->committed) return invalid("Dead letter target does not exist.");
  if (is_fifo_name(target_name) != is_fifo_name(source)) {
    return invalid("Dead-letter queue must be the same type of queue as the source queue.");
  }
  const auto& allow = target->attributes.redrive_allow_policy;
  if (allow && !allow->allows(arn_of(source))) {
    return invalid("The RedriveAllowPolicy of " + target_arn +
                   " does not allow this queue to use it as a dead-letter queue.");
  }
  return {};
}

QueueStore::Queue* QueueStore::dead_letter_target(Queue& q) {
  if (!q.attributes.redrive_policy) return nullptr;
  const std::string_view name =
      queue_name_in(q.attributes.redrive_policy->dead_letter_target_arn, arn_prefix_);
  Queue* target = name.empty() ? nullptr : find(name);
  // A dead-letter queue deleted after the policy was set: messages stay deliverable (never lost).
  // (A queue of the other type cannot be named: check_redrive_policy refuses it.)
  return target && target != &q && target->committed && target->index.fifo() == q.index.fifo()
             ? target
             : nullptr;
}

MessageTransfer QueueStore::plan_transfer(Queue& q, uint64_t seq, Queue& target,
                                          MessageState state) {
  // A FIFO message keeps its group: recovery finds it in the state, the index links it there.
  if (target.index.fifo()) state.group_id = std::string(q.index.group_of(seq));
  MessageTransfer m;
  m.source_queue_id = q.id;
  m.source_seq = seq;
  m.target.queue_id = target.id;
  m.target.queue_name = target.name;
  m.target.seq = take_seq(target);
  m.target.reserve = m.target.seq >= target.seq_durable ? target.seq_reserved : 0;
  m.state = std::move(state);
  return m;
}

void QueueStore::finish_transfers(Transfers& transfers, bool committed) {
  const int64_t now_ms = now();
  std::vector<Queue*> touched;
  for (MessageTransfer& m : transfers) {
    const TransferOutcome outcome = committed ? m.outcome : TransferOutcome::kPending;
    if (Queue* source = find_id(m.source_queue_id)) {
      if (IndexEntry* e = source->index.find(m.source_seq)) {
        if (outcome == TransferOutcome::kMoved || outcome == TransferOutcome::kSourceGone) {
          source->index.remove(m.source_seq, *e);
        } else {
          source->index.undo_busy(m.source_seq, *e, now_ms);
        }
      }
      // Its sleeping receives may now reach messages that were behind the moved ones.
      touched.push_back(source);
    }
    if (outcome != TransferOutcome::kMoved) continue;
    if (m.new_message_id.empty()) {
      stats_.dead_lettered += 1;
    } else {
      stats_.redriven += 1;
    }
    Queue* target = find_id(m.target.queue_id);
    if (!target) continue;  // deleted since: its rows go with it
    target->seq_durable = std::max(target->seq_durable, m.target.reserve);
    target->index.insert(m.target.seq, m.state.sent_ms, m.state.visible_at_ms,
                         m.state.receive_count, m.state.first_receive_ms, now_ms, m.state.group_id);
    next_retention_ms_ =
        std::min(next_retention_ms_,
                 m.state.sent_ms + int64_t{target->attributes.message_retention_period} * 1000);
    touched.push_back(target);
  }
  std::sort(touched.begin(), touched.end());
  touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
  for (Queue* q : touched) {
    if (find_id(q->id) == q) serve_waiters(*q);
  }
}

void QueueStore::commit_transfers(std::shared_ptr<Transfers> transfers,
                                  std::function<int(WriteTxn&, size_t moved)> extra,
                                  Callback<Status> done) {
  Mutation m;
  m.apply = [transfers, extra = std::move(extra)](WriteTxn& t) {
    size_t moved = 0;
    for (MessageTransfer& x : *transfers) {
      if (int rc = transfer_message(t, x)) return rc;
      if (x.outcome == TransferOutcome::kMoved) ++moved;
    }
    return extra ? extra(t, moved) : 0;
  };
  m.done = [this, transfers, done = std::move(done)](Status st) {
    finish_transfers(*transfers, st.ok());
    if (done) done(std::move(st));
  };
  committer_.submit(std::move(m));
}

QueueStore::Transfers QueueStore::plan_redrive(uint64_t source_id, uint64_t below_seq, size_t max,
                                               std::string_view destination, bool* missing) {
  *missing = false;
  Transfers out;
  Queue* q = find_id(source_id);
  if (!q) return out;
  Queue* fixed = nullptr;
  if (!destination.empty()) {
    fixed = find(destination);
    if (!fixed || !fixed->committed) {
      *missing = true;
      return out;
    }
  }
  const int64_t now_ms = now();
  tick(*q, now_ms);
  const int64_t retention_ms = int64_t{q->attributes.message_retention_period} * 1000;
  std::vector<uint64_t> seqs;
  // FIFO: a message moves only as its group would deliver it: when no member is in flight and
  // every older member is leaving (busy: deleted, expiring, or moved by an earlier batch, which
  // commits first) or moves in this batch. So each group arrives in order, and a group a consumer
  // is working through stays whole.
  std::set<std::string_view> stopped;  // groups that move nothing more in this batch
  q->index.for_each_from_oldest([&](uint64_t seq, IndexEntry& e) {
    if (seq >= below_seq || seqs.size() >= max) return false;
    // Expired messages are the retention sweep's.
    const bool movable = e.state == EntryState::kReady && e.sent_ms + retention_ms > now_ms;
    if (!q->index.fifo()) {
      if (movable) seqs.push_back(seq);
      return true;
    }
    if (e.state == EntryState::kBusy) return true;
    const std::string_view group = q->index.group_of(seq);
    if (stopped.contains(group)) return true;
    if (movable && !q->index.group_in_flight(seq)) {
      seqs.push_back(seq);
    } else {
      stopped.insert(group);
    }
    return true;
  });
  if (seqs.empty()) return out;
  if (!fixed && reader_->begin() != 0) return out;  // tried again at the next batch
  for (uint64_t seq : seqs) {
    Queue* target = fixed;
    if (!target) {
      // Back to where the dead-letter move took it from.
      std::string_view bytes;
      if (reader_->get(env_.dbs().messages, message_key(q->id, seq), &bytes) != 0) continue;
      const std::string_view name = queue_name_in(dead_letter_source_arn_of(bytes), arn_prefix_);
      target = name.empty() ? nullptr : find(name);
      // (A queue of the other type is not where it came from: queue types follow their names.)
      if (!target || !target->committed || target->index.fifo() != q->index.fifo()) {
        *missing = true;  // the messages before this one still move
        break;
      }
    }
    IndexEntry* e = q->index.find(seq);
    q->index.make_busy(seq, *e);
    // SQS treats a redriven message as a new one: new MessageId, enqueue time and retention. A
    // FIFO one keeps its group and deduplication id, and takes the destination's next sequence
    // number (the end of its group there).
    MessageState s;
    s.sent_ms = now_ms;
    s.visible_at_ms = now_ms + int64_t{target->attributes.delay_seconds} * 1000;
    out.push_back(plan_transfer(*q, seq, *target, std::move(s)));
    out.back().new_message_id = random_uuid();
  }
  if (!fixed) reader_->reset();
  return out;
}

std::optional<QueueStore::QueueFacts> QueueStore::facts_of(std::string_view name) {
  Queue* q = find(name);
  if (!q || !q->committed) return std::nullopt;
  return facts_of(q->id);
}

std::optional<QueueStore::QueueFacts> QueueStore::facts_of(uint64_t id) {
  Queue* q = find_id(id);
  if (!q || !q->committed) return std::nullopt;
  tick(*q, now());
  return QueueFacts{q->id, q->name, q->index.counts().visible, q->next_seq};
}

// ---------------------------------------------------------------------------------------------
// Time

void QueueStore::expire_waiters(int64_t now_ms) {
  while (!waiter_deadlines_.empty() && waiter_deadlines_.begin()->first <= now_ms) {
    std::shared_ptr<Waiter> w = std::move(waiter_deadlines_.begin()->second);
    waiter_deadlines_.erase(waiter_deadlines_.begin());
    w->has_deadline = false;
    if (w->finished) continue;
    w->finished = true;
    auto cb = std::move(w->done);
    cb(std::vector<ReceivedMessage>{});
    if (Queue* q = find_id(w->queue_id)) {
      while (!q->waiters.empty() && q->waiters.front()->finished) q->waiters.pop_front();
      if (q->waiters.empty()) waiting_queues_.erase(q->id);
    }
  }
}

void QueueStore::expire_retention(Queue& q, int64_t now_ms) {
  const int64_t retention_ms = int64_t{q.attributes.message_retention_period} * 1000;
  auto doomed = std::make_shared<std::vector<uint64_t>>();
  q.index.for_each_from_oldest([&](uint64_t seq, IndexEntry& e) {
    if (e.sent_ms + retention_ms > now_ms || doomed->size() >= kRetentionChunk) return false;
    if (e.state != EntryState::kBusy) {
      q.index.make_busy(seq, e);
      doomed->push_back(seq);
    }
    return true;
  });
  if (!doomed->empty()) delete_expired(q, std::move(doomed));
}

void QueueStore::delete_expired(Queue& q, std::shared_ptr<std::vector<uint64_t>> doomed) {
  committer_.submit(remove_busy(q.id, std::move(doomed), &QueueStoreStats::expired, [this](Status) {
    next_retention_ms_ = std::min(next_retention_ms_, now());
  }));
}

void QueueStore::sweep_dedup(int64_t now_ms) {
  dedup_sweeping_ = true;
  auto next = std::make_shared<std::optional<int64_t>>();
  Mutation m;
  m.apply = [now_ms, next](WriteTxn& t) {
    return DedupWindow::sweep(t, now_ms, kDedupSweepChunk, *next);
  };
  m.done = [this, next](Status st) {
    dedup_sweeping_ = false;
    // A failed sweep is tried again a little later; expired records are ignored meanwhile.
    const int64_t again = st ? next->value_or(std::numeric_limits<int64_t>::max()) : now() + 1000;
    next_dedup_sweep_ms_ = std::min(next_dedup_sweep_ms_, again);
  };
  next_dedup_sweep_ms_ = std::numeric_limits<int64_t>::max();  // sends meanwhile lower it
  committer_.submit(std::move(m));
}

void QueueStore::advance() {
  const int64_t now_ms = now();
  expire_waiters(now_ms);
  if (now_ms >= next_dedup_sweep_ms_ && !dedup_sweeping_) sweep_dedup(now_ms);
  if (!waiting_queues_.empty()) {
    std::vector<Queue*> waiting;
    for (auto& [id, q] : waiting_queues_) waiting.push_back(q);
    for (Queue* q : waiting) serve_waiters(*q);
  }
  // Watched queues: their delays and visibility timeouts ending is what a consumer waits for.
  if (!watches_by_queue_.empty()) {
    std::vector<Queue*> watched_queues;
    for (auto& [name, hooks] : watches_by_queue_) {
      if (Queue* q = find(name)) watched_queues.push_back(q);
    }
    for (Queue* q : watched_queues) tick(*q, now_ms);
  }
  run_due_move_tasks(now_ms);
  if (now_ms >= next_retention_ms_) {
    next_retention_ms_ = std::numeric_limits<int64_t>::max();
    for (auto& [name, q] : queues_) {
      expire_retention(*q, now_ms);
      if (auto oldest = q->index.oldest_live()) {
        const int64_t at =
            oldest->second->sent_ms + int64_t{q->attributes.message_retention_period} * 1000;
        next_retention_ms_ = std::min(next_retention_ms_, std::max(at, now_ms + 1));
      }
    }
  }
}

std::optional<int64_t> QueueStore::next_deadline_ms() const {
  int64_t next = next_retention_ms_;
  if (!dedup_sweeping_) next = std::min(next, next_dedup_sweep_ms_);
  if (!waiter_deadlines_.empty()) next = std::min(next, waiter_deadlines_.begin()->first);
  for (auto& [id, q] : waiting_queues_) {
    if (auto d = q->index.next_deadline()) next = std::min(next, *d);
  }
  for (auto& [name, hooks] : watches_by_queue_) {
    auto it = queues_.find(name);
    if (it == queues_.end()) continue;
    if (auto d = it->second->index.next_deadline()) next = std::min(next, *d);
  }
  if (auto d = next_move_task_deadline()) next = std::min(next, *d);
  if (next == std::numeric_limits<int64_t>::max()) return std::nullopt;
  return next;
}

void QueueStore::release_waiters() {
  // Detach everything first: an answer may start a new receive, which must not be lost.
  auto deadlines = std::move(waiter_deadlines_);
  waiter_deadlines_.clear();
  auto waiting = std::move(waiting_queues_);
  waiting_queues_.clear();
  for (auto& [id, q] : waiting) q->waiters.clear();
  for (auto& [at, w] : deadlines) w->has_deadline = false;
  for (auto& [at, w] : deadlines) {
    if (w->finished) continue;
    w->finished = true;
    auto cb = std::move(w->done);
    cb(std::vector<ReceivedMessage>{});
  }
}

void QueueStore::for_each_queue(
    const std::function<void(const std::string&, const QueueCounts&)>& fn) {
  const int64_t now_ms = now();
  for (auto& [name, q] : queues_) {
    tick(*q, now_ms);
    fn(name, q->counts());
  }
}

}  // namespace sluice::storage
