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
//  - In-process consumers (a pipe's source, queue_consumers.cpp): take() hands ready messages
//    over without writing a receive (they are busy in memory: nobody else can take them); the
//    consumer then removes them with consume() -- a Mutation it may commit together with its own
//    writes, so handing messages off and recording what they started is one transaction -- or
//    gives them back with release(). After a crash, messages taken but not consumed are simply
//    there again. A watch() tells the consumer when a queue may have something to take.
//  - Dead-letter queues: a receive that would take a message past its queue's maxReceiveCount
//    moves it to the dead-letter queue instead, in the receive's own transaction (never lost,
//    never in both queues). Message move tasks (redrive) move messages back in batches, each
//    batch's moves and the task's progress in one transaction; a task resumes after a restart,
//    and a rate limit is kept by the same deadline/advance() timer. A message moved into a FIFO
//    queue keeps its group, takes the next sequence number and goes to the end of its group; it
//    is never deduplicated (message_transfer.h is the one way a moved message enters a queue).
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
#include "storage/queue/index_snapshot.h"
#include "storage/queue/message.h"
#include "storage/queue/message_move_task.h"
#include "storage/queue/message_transfer.h"
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

// A sent message placed but not yet committed. apply() runs inside the send's Mutation::apply on
// the committer thread (safe to run again, like any apply); the send's Mutation::done then makes
// it receivable on the owner thread.
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
  uint64_t deduplicated = 0;   // FIFO sends answered with an earlier message
  uint64_t dead_lettered = 0;  // moved to a dead-letter queue by a receive
  uint64_t redriven = 0;       // moved by message move tasks
};

// A message as an inspection lists it (QueueStore::peek): read without receiving it, so nothing
// about it changes. A message whose delay or visibility timeout has passed counts as visible even
// before the store's timer has moved it; one being deleted or held by a pipe counts as in flight.
enum class PeekedState { kVisible, kInFlight, kDelayed };

struct PeekedMessage {
  uint64_t seq = 0;
  MessageRecord record;
  PeekedState state = PeekedState::kVisible;
  int64_t sent_ms = 0;
  int64_t first_receive_ms = 0;  // 0: never received
  int64_t visible_at_ms = 0;     // when a delayed or in-flight message becomes visible
  uint32_t receive_count = 0;
};

struct PeekPage {
  std::vector<PeekedMessage> messages;  // oldest first
  std::optional<uint64_t> next_after;   // more follow after this sequence number
};

// PurgeQueue allows one purge per queue every 60 seconds; a test harness resetting state does not.
enum class PurgeInterval { kEnforced, kWaived };

struct StartMoveTask {
  std::string source_arn;
  std::optional<std::string> destination_arn;      // absent: back to each message's source queue
  std::optional<int64_t> max_messages_per_second;  // 1..500
};

class QueueStore {
 public:
  using Clock = std::function<int64_t()>;  // milliseconds since the Unix epoch
  static int64_t system_now_ms();

  QueueStore(Environment& env, GroupCommitter& committer, Clock clock = &system_now_ms);
  ~QueueStore();
  QueueStore(const QueueStore&) = delete;
  QueueStore& operator=(const QueueStore&) = delete;

  // Rebuilds every queue and index from LMDB. Call once, before serving. The indexes come from
  // the index snapshot of a clean shutdown when it matches LMDB exactly, else from a scan of every
  // message's state (index_snapshot.h), which `prefetch_threads` threads read ahead of
  // (states_prefetch.h); the snapshot file is deleted either way.
  Status recover(unsigned prefetch_threads = kStatesPrefetchThreads);
  // How the last recover() built the indexes.
  SnapshotUse recovered_from() const { return recovered_from_; }
  // At clean shutdown, after the committer stopped: saves the index snapshot the next recover()
  // reads (one last commit, a marker in meta). Returns how many messages it holds.
  Result<uint64_t> write_index_snapshot();

  // AWS refuses to create a queue within 60 seconds of deleting one of the same name
  // (kQueueDeletedRecently). Off by default: test suites delete and re-create their queues by
  // name, and other local SQS servers do not enforce it (--queue-deleted-recently on).
  void set_enforce_recreate_wait(bool enforce) { enforce_recreate_wait_ = enforce; }

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
  void purge_queue(std::string_view name, Callback<Status> done,
                   PurgeInterval interval = PurgeInterval::kEnforced);
  // Up to `limit` live messages with sequence numbers above `after_seq`, oldest first, read
  // without any write (queue_peek.cpp): no receive count, visibility or index state changes.
  Result<PeekPage> peek(std::string_view name, uint64_t after_seq, size_t limit);

  // Whether a queue is FIFO, and deduplicates by content (for handlers' batch-level checks).
  Result<QueueKind> queue_kind(std::string_view name) const;

  // --- messages ---
  // One commit for the whole batch. Per-message results in input order. FIFO queues: a message
  // needs a group id, takes the queue's DelaySeconds (a per-message delay is an error), and is
  // deduplicated (dedup_id, or the body's SHA-256 with ContentBasedDeduplication).
  void send(std::string_view queue, std::vector<NewMessage> messages,
            Callback<Result<std::vector<Result<SentMessage>>>> done);

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

  // --- dead-letter queues (queue ARNs are this prefix + the queue name) ---
  void set_arn_prefix(std::string prefix) { arn_prefix_ = std::move(prefix); }
  std::string arn_of(std::string_view queue_name) const;
  // The queues whose RedrivePolicy names `dead_letter_queue`, sorted by name.
  Result<std::vector<std::string>> dead_letter_sources(std::string_view dead_letter_queue);

  // --- message move tasks (message_move_tasks.cpp) ---
  // Answers the TaskHandle once the task is durable; the task then runs on its own.
  void start_move_task(StartMoveTask request, Callback<Result<std::string>> done);
  // The newest tasks of a source queue first; at most `max_results` (1..10).
  Result<std::vector<MessageMoveTask>> list_move_tasks(std::string_view source_arn,
                                                       std::optional<int64_t> max_results);
  // Answers ApproximateNumberOfMessagesMoved once the cancellation is durable.
  void cancel_move_task(std::string_view task_handle, Callback<Result<uint64_t>> done);

  // --- in-process consumers (queue_consumers.cpp) ---
  // Calls `ready` whenever the queue named `queue` may have messages to take: after sends commit,
  // when delays and visibility timeouts end, when messages are given back. It runs on the owner
  // thread from inside store operations, so it must only schedule work, never call into the
  // store. The queue need not exist yet: a queue created later under that name is watched.
  uint64_t watch(std::string queue, std::function<void()> ready);
  void unwatch(uint64_t watch_id);

  struct TakeOptions {
    uint32_t max_messages = 10;
    bool one_group = false;  // FIFO: all from one message group, in order
  };
  struct Taken {
    uint64_t queue_id = 0;
    int64_t taken_ms = 0;
    // receive_count and first_receive_ms are what this take counts as a receive (written only if
    // the messages are released as failed); receipt_handle is valid for that receive.
    std::vector<ReceivedMessage> messages;
  };
  // Takes up to max_messages ready messages, oldest first (FIFO: in group order; a group stays
  // blocked while any of its messages is taken). As receive() does, a message past its queue's
  // maxReceiveCount goes to the dead-letter queue instead and one past retention is deleted.
  Result<Taken> take(std::string_view queue, const TakeOptions& options);
  // The Mutation that deletes taken messages (seqs of queue queue_id): submit it, or join it to
  // another commit. Its done takes them out of the index (or back as they were, when the commit
  // failed) and then calls `done`.
  Mutation consume(uint64_t queue_id, std::vector<uint64_t> seqs, Callback<Status> done);
  // Gives taken messages back. failed_visible_at_ms absent: they were not tried; they are ready
  // again at once and nothing is written. Present: the consumer tried them and failed, so their
  // receive counts (as take() reported them) are written and they stay invisible until then (a
  // time already passed: visible at once), as a failed receive's messages would.
  void release(uint64_t queue_id, const std::vector<uint64_t>& seqs,
               std::optional<int64_t> failed_visible_at_ms);

  // When the oldest message of the queue that is not being taken or deleted was sent (nullopt:
  // none, or no such queue): how long the queue's oldest message has waited (pipe metrics).
  std::optional<int64_t> oldest_sent_ms(std::string_view queue);

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
  using Transfers = std::vector<MessageTransfer>;
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
  // Ready messages for a receive, oldest first (FIFO: in group order; with one_group only the
  // first one's group). Messages past maxReceiveCount are marked busy and added to `dead` instead
  // (the caller commits them with the receive, or alone). With a visibility the picked messages
  // go in flight; without one (a consumer's take) they are only marked busy, and each Picked
  // state says what the receive would write.
  std::vector<Picked> pick(Queue& q, uint32_t max, std::optional<uint32_t> visibility,
                           bool one_group, int64_t now_ms, Transfers& dead);
  // The Mutation that deletes messages already marked busy; its done (owner thread) takes them
  // out of the index, counting them in `counter`, or puts them back if the commit failed, then
  // calls `then` (may be empty).
  Mutation remove_busy(uint64_t queue_id, std::shared_ptr<std::vector<uint64_t>> seqs,
                       uint64_t QueueStoreStats::*counter, Callback<Status> then);
  // Tells the watchers of q that it may have messages to take (queue_consumers.cpp).
  void notify_watchers(Queue& q);
  bool watched(const Queue& q) const;
  void commit_receive(Queue& q, std::vector<Picked> picked, Transfers dead,
                      Callback<Result<std::vector<ReceivedMessage>>> done);

  // --- moving messages between queues ---
  // The checks SQS makes when `pairs` set a RedrivePolicy on queue `source`: the dead-letter queue
  // exists, is of the same type, and its RedriveAllowPolicy lets the source name it.
  Status check_redrive_policy(std::string_view source, const AttributePairs& pairs,
                              const QueueAttributes& attributes);
  // The dead-letter queue of q, if its RedrivePolicy names a live queue of q's type other than q.
  Queue* dead_letter_target(Queue& q);
  // A transfer of q's message `seq` (already marked busy) to `target`, the target's sequence
  // number taken. A FIFO target (whose source is FIFO too) gets the message's group in its state.
  MessageTransfer plan_transfer(Queue& q, uint64_t seq, Queue& target, MessageState state);
  // Runs on the reactor after the transfers' transaction: moved messages leave their source
  // index and enter their target's; the rest (or all, if !committed) are made visible again.
  void finish_transfers(Transfers& transfers, bool committed);
  // Commits transfers alone; `extra` writes in the same transaction (given how many moved).
  void commit_transfers(std::shared_ptr<Transfers> transfers,
                        std::function<int(WriteTxn&, size_t moved)> extra, Callback<Status> done);
  // Up to `max` ready messages of queue `source_id` below `below_seq`, planned for a move task:
  // to `destination` or, when empty, each to its DeadLetterQueueSourceArn. Sets *missing when a
  // destination does not exist (nothing is planned then).
  Transfers plan_redrive(uint64_t source_id, uint64_t below_seq, size_t max,
                         std::string_view destination, bool* missing);
  // What the move tasks need to know of a (committed) queue.
  struct QueueFacts {
    uint64_t id = 0;
    std::string name;
    uint64_t visible = 0;
    uint64_t next_seq = 0;
  };
  std::optional<QueueFacts> facts_of(std::string_view name);
  std::optional<QueueFacts> facts_of(uint64_t id);

  // --- message move tasks (message_move_tasks.cpp) ---
  struct MoveTaskRun {
    MessageMoveTask task;
    uint64_t order = 0;       // start order, for "newest first"
    int64_t next_at_ms = 0;   // when the next batch is due (while running and not committing)
    bool committing = false;  // a batch or a status change is in the committer
    std::vector<Callback<Result<uint64_t>>> cancel_replies;  // answered once CANCELLED is durable
  };
  Status recover_move_tasks(ReadTxn& txn);
  void run_move_task(const std::string& task_id);
  void finish_move_task(MoveTaskRun& run, MoveTaskStatus status, std::string failure_reason);
  void run_due_move_tasks(int64_t now_ms);
  std::optional<int64_t> next_move_task_deadline() const;
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
  bool enforce_recreate_wait_ = false;  // recently_deleted_ is kept only when true
  uint64_t next_queue_id_ = 1;
  SnapshotUse recovered_from_ = SnapshotUse::kMissing;
  std::multimap<int64_t, std::shared_ptr<Waiter>> waiter_deadlines_;
  std::unordered_map<uint64_t, Queue*> waiting_queues_;  // queues with sleeping receives
  // In-process consumers: queue name -> (watch id, hook); watch id -> queue name.
  std::unordered_map<std::string, std::vector<std::pair<uint64_t, std::function<void()>>>>
      watches_by_queue_;
  std::unordered_map<uint64_t, std::string> watch_names_;
  uint64_t next_watch_id_ = 1;
  int64_t next_retention_ms_ = 0;
  DedupWindow dedup_;
  int64_t next_dedup_sweep_ms_ = std::numeric_limits<int64_t>::max();
  bool dedup_sweeping_ = false;
  QueueStoreStats stats_;
  std::unique_ptr<ReadTxn> reader_;
  std::string arn_prefix_ = "arn:aws:sqs:us-east-1:000000000000:";
  std::map<std::string, MoveTaskRun, std::less<>> move_tasks_;  // by task id
  uint64_t move_task_order_ = 0;  // orders tasks started in the same millisecond
};

}  // namespace sluice::storage
