// QueueStore: the durable SQS queue service. It owns every queue's metadata and in-memory
// QueueIndex, and turns each operation into Mutations for the GroupCommitter.
//
// Thread: one owner thread (the reactor) calls everything here, including advance() and the
// committer's run_completions(); no locks. Callbacks run on that thread.
//
// Promises:
//  - A mutating operation calls back with success only after its change is committed (durable in
//    kSync mode). A message becomes receivable only once its send is durable.
//  - A receive marks messages in flight in memory at once (no one else can get them) and writes the
//    new receive count and visibility deadline before answering; if that write fails the messages
//    are put back.
//  - A receipt handle from an earlier receive never deletes or changes the message (the receive
//    count moved on), also across restarts (sequence numbers are never reused); after a restart,
//    in-flight messages stay invisible until their stored deadline.
//  - Long-poll receives sleep as waiters; a message that becomes visible wakes at most one waiter
//    per message, whatever noticed it first (the timer, a receive, reading the counts). Nothing
//    polls: the owner arms one timer at next_deadline_ms() and calls advance() when it fires.
//  - FIFO queues: messages of one group are handed out in send order, and none while another of
//    the group is in flight; deduplication ids are remembered for five minutes in LMDB (a duplicate
//    answers with the original's id and sequence number); ReceiveRequestAttemptId retries return
//    the same messages and handles. Order, in-flight blocking, the dedup window and sequence
//    numbers all survive a restart.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "storage/group_committer.h"
#include "storage/lmdb/environment.h"
#include "storage/queue/dedup_window.h"
#include "storage/queue/message.h"
#include "storage/queue/queue_attributes.h"
#include "storage/queue/queue_index.h"
#include "storage/queue/receive_attempts.h"
#include "storage/result.h"

namespace sluice::storage {

using Tags = std::map<std::string, std::string>;
template <class T>
using Callback = std::function<void(T)>;

struct QueueView {
  uint64_t id = 0;
  std::string name;
  QueueAttributes attributes;
  Tags tags;
  int64_t created_s = 0;
  int64_t last_modified_s = 0;
  QueueCounts counts;
};

struct ReceiveOptions {
  uint32_t max_messages = 1;
  std::optional<uint32_t> visibility_timeout;  // absent: the queue's
  std::optional<uint32_t> wait_seconds;        // absent: the queue's ReceiveMessageWaitTimeSeconds
  // Asked before a sleeping receive is handed messages; false = the caller is gone (connection
  // closed), so the messages stay in the queue.
  std::function<bool()> still_wanted;
  // FIFO queues: ReceiveRequestAttemptId (empty = none). Ignored on standard queues, as by AWS.
  std::string receive_request_attempt_id;
};

// What a handler must know of a queue before it can check a send (FIFO rules that apply to a
// whole batch).
struct QueueKind {
  bool fifo = false;
  bool content_based_deduplication = false;
};

// An existing message to be put into a queue by another operation's transaction (a dead-letter
// move, a message move task); see QueueStore::stage_insert.
struct TransferredMessage {
  // Message id, body, MD5, attributes, sender, trace header, group id (required by a FIFO
  // queue), deduplication id: kept as they are.
  MessageRecord record;
  int64_t sent_ms = 0;        // SentTimestamp: AWS keeps the original one
  int64_t visible_at_ms = 0;  // 0 = visible at once
  uint32_t receive_count = 0;
  int64_t first_receive_ms = 0;
};

// A message placed but not yet committed (stage_insert). apply() runs inside the caller's
// Mutation::apply on the committer thread (safe to run again, like any apply); the caller's
// Mutation::done must then call QueueStore::finish_insert on the owner thread.
class StagedInsert {
 public:
  int apply(WriteTxn& t) const;
  uint64_t queue_id() const { return queue_id_; }
  uint64_t seq() const { return seq_; }
  const std::string& message_id() const { return record_.message_id; }

 private:
  friend class QueueStore;
  uint64_t queue_id_ = 0;
  std::string queue_name_;
  uint64_t seq_ = 0;
  uint64_t reserve_ = 0;  // 0, or the seq block this insert must record in the queue's record
  MessageRecord record_;
  MessageState state_;
};

struct VisibilityChange {
  std::string receipt_handle;
  uint32_t visibility_timeout = 0;
};

struct QueueStoreStats {
  uint64_t sent = 0, received = 0, deleted = 0, expired = 0;
  uint64_t deduplicated = 0;  // FIFO sends answered with an earlier message
};

class QueueStore {
 public:
  using Clock = std::function<int64_t()>;  // milliseconds since the Unix epoch
  static int64_t system_now_ms();

  QueueStore(Environment& env, GroupCommitter& committer, Clock clock = &system_now_ms);
  ~QueueStore();
  QueueStore(const QueueStore&) = delete;
  QueueStore& operator=(const QueueStore&) = delete;

  // Rebuilds every queue and index from LMDB. Call once, before serving.
  Status recover();

  // --- queues ---
  void create_queue(std::string name, const AttributePairs& attributes, Tags tags,
                    Callback<Result<QueueView>> done);
  Result<QueueView> get_queue(std::string_view name);
  std::vector<std::string> list_queues(std::string_view prefix) const;  // sorted by name
  // Answers once the queue is gone for good (its record deleted); a large queue's messages are
  // then removed in the background, and recovery finishes that job after a crash.
  void delete_queue(std::string_view name, Callback<Status> done);
  void set_attributes(std::string_view name, const AttributePairs& attributes,
                      Callback<Status> done);
  void tag_queue(std::string_view name, const Tags& tags, Callback<Status> done);
  void untag_queue(std::string_view name, const std::vector<std::string>& keys,
                   Callback<Status> done);
  void purge_queue(std::string_view name, Callback<Status> done);

  // Whether a queue is FIFO, and deduplicates by content (for handlers' batch-level checks).
  Result<QueueKind> queue_kind(std::string_view name) const;

  // --- messages ---
  // One commit for the whole batch. Per-message results in input order. FIFO queues: a message
  // needs a group id, takes the queue's DelaySeconds (a per-message delay is an error), and is
  // deduplicated (dedup_id, or the body's SHA-256 with ContentBasedDeduplication).
  void send(std::string_view queue, std::vector<NewMessage> messages,
            Callback<Result<std::vector<Result<SentMessage>>>> done);

  // The entry point for moving an existing message into `queue` inside another operation's
  // write transaction (dead-letter moves, message move tasks): reserves its sequence number and,
  // for a FIFO queue, its place at the end of its group. The message is not deduplicated (a
  // move must never be dropped) and not receivable until finish_insert(ok); finish_insert(error)
  // forgets it. Errors: QueueDoesNotExist; MissingParameter for a FIFO queue without a group id.
  // Owner thread.
  Result<std::shared_ptr<StagedInsert>> stage_insert(std::string_view queue,
                                                     TransferredMessage message);
  void finish_insert(const StagedInsert& staged, const Status& committed);
  void receive(std::string_view queue, ReceiveOptions options,
               Callback<Result<std::vector<ReceivedMessage>>> done);
  void delete_messages(std::string_view queue, std::vector<std::string> receipt_handles,
                       Callback<Result<std::vector<Status>>> done);
  void change_visibility(std::string_view queue, std::vector<VisibilityChange> changes,
                         Callback<Result<std::vector<Status>>> done);

  // --- time ---
  // Fires what is due: delays and visibility timeouts end (waking waiters), long polls time out,
  // retention expires messages.
  void advance();
  std::optional<int64_t> next_deadline_ms() const;
  // Answers every sleeping receive now (empty), e.g. on shutdown.
  void release_waiters();

  const QueueStoreStats& stats() const { return stats_; }
  // Visits every queue (metrics).
  void for_each_queue(const std::function<void(const std::string&, const QueueCounts&)>& fn);

 private:
  struct Queue;
  struct Waiter;

  Queue* find(std::string_view name);
  Queue* find_id(uint64_t id);
  QueueView view(Queue& q);
  int64_t now() const { return clock_(); }

  struct Picked;
  struct SendBatch;
  Mutation queue_record_mutation(const Queue& q);
  uint64_t take_seq(Queue& q);
  StagedInsert stage(Queue& q, MessageRecord record, MessageState state);
  // Makes a committed insert receivable; the caller wakes the waiters.
  void index_insert(Queue& q, const StagedInsert& s, int64_t now_ms);
  // FIFO: answers a retried ReceiveRequestAttemptId (true), or arranges for `done` to record
  // what this receive returns under that id (false).
  bool retry_attempt(Queue& q, const std::string& attempt_id, uint32_t visibility,
                     Callback<Result<std::vector<ReceivedMessage>>>& done);
  void sweep_dedup(int64_t now_ms);
  std::vector<Picked> pick(Queue& q, uint32_t max, uint32_t visibility, int64_t now_ms);
  void commit_receive(Queue& q, std::vector<Picked> picked,
                      Callback<Result<std::vector<ReceivedMessage>>> done);
  // Advances the queue's index to now and wakes its sleeping receives if anything became visible.
  void tick(Queue& q, int64_t now_ms);
  void serve_waiters(Queue& q);
  // Marks a waiter answered (or abandoned) and drops its timeout. The caller holds a reference.
  void retire(Waiter& w);
  void expire_waiters(int64_t now_ms);
  void expire_retention(Queue& q, int64_t now_ms);
  // Deletes messages already marked busy because they are past retention.
  void delete_expired(Queue& q, std::shared_ptr<std::vector<uint64_t>> doomed);
  // Deletes the queue's messages with seq < below_seq, one commit per chunk. `done` runs after the
  // last chunk or the first failure; when queue_record_name is set, the first chunk also deletes
  // that record and `done` runs right after it (the rest of the queue goes in the background).
  void delete_range(uint64_t queue_id, uint64_t below_seq, std::string queue_record_name,
                    Callback<Status> done);

  Environment& env_;
  GroupCommitter& committer_;
  Clock clock_;
  std::map<std::string, std::shared_ptr<Queue>, std::less<>> queues_;
  std::unordered_map<uint64_t, Queue*> by_id_;
  std::map<std::string, int64_t, std::less<>> recently_deleted_;  // name -> deleted at (ms)
  uint64_t next_queue_id_ = 1;
  std::multimap<int64_t, std::shared_ptr<Waiter>> waiter_deadlines_;
  std::unordered_map<uint64_t, Queue*> waiting_queues_;  // queues with sleeping receives
  int64_t next_retention_ms_ = 0;
  DedupWindow dedup_;
  int64_t next_dedup_sweep_ms_ = std::numeric_limits<int64_t>::max();
  bool dedup_sweeping_ = false;
  QueueStoreStats stats_;
  std::unique_ptr<ReadTxn> reader_;
};

}  // namespace sluice::storage
