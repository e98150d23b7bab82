// QueueStore: message move tasks (StartMessageMoveTask, ListMessageMoveTasks,
// CancelMessageMoveTask). A task moves, in batches, the messages its dead-letter queue held when it
// started, to one destination or each back to the queue it was dead-lettered from. Each batch
// commits its moves and the task's progress together, so after a crash the record says exactly
// what moved; a RUNNING task resumes at recovery. With MaxNumberOfMessagesPerSecond, batches are
// spaced by the store's deadline timer (next_deadline_ms()/advance()); without it the next batch
// starts as soon as the previous one committed. Reactor thread only.
#include <algorithm>

#include "storage/queue/queue_store.h"
#include "storage/queue/redrive_policy.h"
#include "storage/random_id.h"

namespace sluice::storage {

namespace {

constexpr size_t kUnlimitedBatch = 100;         // moves per commit when no rate is set
constexpr int64_t kRetryAfterFailureMs = 1000;  // after a batch failed to commit
constexpr size_t kTasksKeptPerQueue = 10;       // ListMessageMoveTasks shows at most 10
constexpr int64_t kMaxRate = 500;
constexpr std::string_view kNonExistentQueue = "AWS.SimpleQueueService.NonExistentQueue";

Error invalid(std::string message) {
  return make_error(ErrorCode::kInvalidParameterValue, std::move(message));
}

Error arn_format(std::string_view parameter) {
  return invalid("You must use this format to specify the " + std::string(parameter) +
                 ": arn:<partition>:<service>:<region>:<account-id>:<resource-id>");
}

Error resource_missing(std::string_view parameter) {
  return make_error(ErrorCode::kResourceNotFound, "The resource that you specified for the " +
                                                      std::string(parameter) +
                                                      " parameter doesn't exist.");
}

// Moves per batch and the batch spacing that together keep `rate` messages per second.
size_t batch_size(uint32_t rate) {
  if (rate == 0) return kUnlimitedBatch;
  return std::max<size_t>(1, rate / 10);
}

}  // namespace

Status QueueStore::recover_move_tasks(ReadTxn& txn) {
  Cursor c(txn.get(), env_.dbs().move_tasks);
  if (!c.ok()) return make_error(ErrorCode::kInternal, "recover: move task cursor");
  std::vector<MessageMoveTask> tasks;
  auto orphans = std::make_shared<std::vector<std::string>>();
  MDB_val k, v;
  for (int rc = mdb_cursor_get(c.get(), &k, &v, MDB_FIRST); rc == 0;
       rc = mdb_cursor_get(c.get(), &k, &v, MDB_NEXT)) {
    auto task = MessageMoveTask::deserialize(from_val(v));
    if (!task) return task.error();
    if (!facts_of(task->source_queue_id)) {
      orphans->emplace_back(from_val(k));  // its dead-letter queue was deleted
      continue;
    }
    tasks.push_back(std::move(*task));
  }
  std::stable_sort(tasks.begin(), tasks.end(),
                   [](const auto& a, const auto& b) { return a.started_ms < b.started_ms; });
  const int64_t now_ms = now();
  for (MessageMoveTask& task : tasks) {
    MoveTaskRun run;
    run.order = ++move_task_order_;
    run.next_at_ms = now_ms;  // a running task resumes at once
    run.task = std::move(task);
    const std::string id = run.task.task_id;
    move_tasks_.emplace(id, std::move(run));
  }
  if (!orphans->empty()) {
    Mutation m;
    m.apply = [orphans](WriteTxn& t) {
      for (const std::string& key : *orphans) {
        if (int rc = t.del(t.dbs().move_tasks, key)) return rc;
      }
      return 0;
    };
    m.done = [](Status) {};  // retried at the next recovery if it failed
    committer_.submit(std::move(m));
  }
  return {};
}

void QueueStore::start_move_task(StartMoveTask request, Callback<Result<std::string>> done) {
  if (!is_queue_arn(request.source_arn)) return done(arn_format("SourceArn"));
  const std::string_view source_name = queue_name_in(request.source_arn, arn_prefix_);
  auto source = source_name.empty() ? std::nullopt : facts_of(source_name);
  if (!source) return done(resource_missing("SourceArn"));
  auto sources = dead_letter_sources(source->name);
  if (!sources || sources->empty()) {
    return done(invalid("Source queue must be configured as a Dead Letter Queue."));
  }
  std::string destination_arn;
  if (request.destination_arn && !request.destination_arn->empty()) {
    destination_arn = *request.destination_arn;
    if (!is_queue_arn(destination_arn)) return done(arn_format("DestinationArn"));
    const std::string_view name = queue_name_in(destination_arn, arn_prefix_);
    if (name.empty() || !facts_of(name)) return done(resource_missing("DestinationArn"));
    if (name == source->name) {
      return done(invalid("Source queue and destination queue must be different."));
    }
    if (is_fifo_name(name) != is_fifo_name(source->name)) {
      return done(invalid("The destination queue must be the same type of queue as the source."));
    }
  }
  uint32_t rate = 0;
  if (request.max_messages_per_second) {
    const int64_t r = *request.max_messages_per_second;
    if (r < 1 || r > kMaxRate) {
      return done(invalid("Value " + std::to_string(r) +
                          " for parameter MaxNumberOfMessagesPerSecond is invalid. Reason: Must be "
                          "between 1 and 500."));
    }
    rate = static_cast<uint32_t>(r);
  }
  std::vector<const MoveTaskRun*> earlier;
  for (const auto& [id, run] : move_tasks_) {
    if (run.task.source_queue_id != source->id) continue;
    if (is_active(run.task.status)) {
      return done(invalid(
          "There is already a task running. Only one active task is allowed for a source queue "
          "arn at a given time."));
    }
    earlier.push_back(&run);
  }
  // Keep the newest finished tasks: with this one, ListMessageMoveTasks' 10.
  std::sort(earlier.begin(), earlier.end(),
            [](const MoveTaskRun* a, const MoveTaskRun* b) { return a->order > b->order; });
  auto dropped = std::make_shared<std::vector<std::string>>();
  for (size_t i = kTasksKeptPerQueue - 1; i < earlier.size(); ++i) {
    dropped->push_back(earlier[i]->task.task_id);
  }
  for (const std::string& id : *dropped) move_tasks_.erase(id);

  MessageMoveTask task;
  task.task_id = random_uuid();
  task.source_queue_id = source->id;
  task.source_arn = request.source_arn;
  task.destination_arn = std::move(destination_arn);
  task.max_per_second = rate;
  task.status = MoveTaskStatus::kRunning;
  task.to_move = source->visible;
  task.started_ms = now();
  task.below_seq = source->next_seq;
  const std::string id = task.task_id;
  MoveTaskRun run;
  run.task = task;
  run.order = ++move_task_order_;
  run.committing = true;
  move_tasks_.emplace(id, std::move(run));

  Mutation m;
  m.apply = [task, dropped](WriteTxn& t) {
    for (const std::string& old : *dropped) {
      if (int rc = t.del(t.dbs().move_tasks, old)) return rc;
    }
    return t.put(t.dbs().move_tasks, task.task_id, task.serialize());
  };
  m.done = [this, id, done = std::move(done)](Status st) {
    auto it = move_tasks_.find(id);
    if (it == move_tasks_.end()) return done(make_error(ErrorCode::kInternal, "task vanished"));
    if (!st) {
      move_tasks_.erase(it);
      return done(std::move(st).error());
    }
    it->second.committing = false;
    it->second.next_at_ms = now();
    const std::string handle = it->second.task.handle();
    done(handle);
    run_move_task(id);
  };
  committer_.submit(std::move(m));
}

Result<std::vector<MessageMoveTask>> QueueStore::list_move_tasks(
    std::string_view source_arn, std::optional<int64_t> max_results) {
  if (max_results && (*max_results < 1 || *max_results > int64_t{kTasksKeptPerQueue})) {
    return invalid("Value " + std::to_string(*max_results) +
                   " for parameter MaxResults is invalid. Reason: You must enter a number that's "
                   "between 1 and 10.");
  }
  if (!is_queue_arn(source_arn)) return arn_format("SourceArn");
  const std::string_view name = queue_name_in(source_arn, arn_prefix_);
  auto source = name.empty() ? std::nullopt : facts_of(name);
  if (!source) return resource_missing("SourceArn");
  std::vector<const MoveTaskRun*> runs;
  for (const auto& [id, run] : move_tasks_) {
    if (run.task.source_queue_id == source->id) runs.push_back(&run);
  }
  std::sort(runs.begin(), runs.end(),
            [](const MoveTaskRun* a, const MoveTaskRun* b) { return a->order > b->order; });
  runs.resize(std::min<size_t>(runs.size(), static_cast<size_t>(max_results.value_or(1))));
  std::vector<MessageMoveTask> out;
  out.reserve(runs.size());
  for (const MoveTaskRun* run : runs) out.push_back(run->task);
  return out;
}

void QueueStore::cancel_move_task(std::string_view task_handle, Callback<Result<uint64_t>> done) {
  auto handle = MoveTaskHandle::decode(task_handle);
  if (!handle || !is_queue_arn(handle->source_arn)) {
    return done(invalid("Value for parameter TaskHandle is invalid."));
  }
  const std::string_view name = queue_name_in(handle->source_arn, arn_prefix_);
  auto source = name.empty() ? std::nullopt : facts_of(name);
  if (!source) return done(resource_missing("SourceArn"));
  auto it = move_tasks_.find(handle->task_id);
  if (it == move_tasks_.end() || it->second.task.source_queue_id != source->id) {
    return done(make_error(ErrorCode::kResourceNotFound, "Task does not exist."));
  }
  MoveTaskRun& run = it->second;
  if (!is_active(run.task.status)) {
    return done(make_error(ErrorCode::kResourceNotFound,
                           "Only a task in RUNNING status can be cancelled; this task is " +
                               std::string(move_task_status_name(run.task.status)) + "."));
  }
  run.cancel_replies.push_back(std::move(done));
  if (run.task.status == MoveTaskStatus::kCancelling) return;  // already on its way
  run.task.status = MoveTaskStatus::kCancelling;
  // A batch that is committing finishes first; its completion then cancels.
  if (!run.committing) finish_move_task(run, MoveTaskStatus::kCancelled, "");
}

void QueueStore::run_move_task(const std::string& task_id) {
  auto it = move_tasks_.find(task_id);
  if (it == move_tasks_.end()) return;
  MoveTaskRun& run = it->second;
  if (run.committing || !is_active(run.task.status)) return;
  if (run.task.status == MoveTaskStatus::kCancelling) {
    return finish_move_task(run, MoveTaskStatus::kCancelled, "");
  }
  if (!facts_of(run.task.source_queue_id)) {
    // Its dead-letter queue was deleted: the task goes with it (ListMessageMoveTasks cannot name a
    // deleted queue, and a recreated one starts without tasks).
    Mutation m;
    m.apply = [id = task_id](WriteTxn& t) { return t.del(t.dbs().move_tasks, id); };
    m.done = [](Status) {};  // a leftover record is dropped at the next recovery
    committer_.submit(std::move(m));
    move_tasks_.erase(it);
    return;
  }
  std::string destination;
  if (!run.task.destination_arn.empty()) {
    destination = std::string(queue_name_in(run.task.destination_arn, arn_prefix_));
    if (destination.empty()) {
      return finish_move_task(run, MoveTaskStatus::kFailed, std::string(kNonExistentQueue));
    }
  }
  const uint32_t rate = run.task.max_per_second;
  const size_t batch = batch_size(rate);
  bool missing = false;
  auto transfers = std::make_shared<Transfers>(
      plan_redrive(run.task.source_queue_id, run.task.below_seq, batch, destination, &missing));
  if (transfers->empty()) {
    return finish_move_task(run, missing ? MoveTaskStatus::kFailed : MoveTaskStatus::kCompleted,
                            missing ? std::string(kNonExistentQueue) : std::string());
  }
  run.committing = true;
  const int64_t started_ms = now();
  MessageMoveTask progress = run.task;
  progress.status = MoveTaskStatus::kRunning;  // a cancel arriving now is written after the batch
  commit_transfers(
      transfers,
      [progress](WriteTxn& t, size_t moved) mutable {
        MessageMoveTask record = progress;
        record.moved += moved;
        return t.put(t.dbs().move_tasks, record.task_id, record.serialize());
      },
      [this, id = task_id, transfers, missing, started_ms, batch](Status st) {
        auto it = move_tasks_.find(id);
        if (it == move_tasks_.end()) return;
        MoveTaskRun& run = it->second;
        run.committing = false;
        if (!st) {
          // Nothing of the batch happened; try again a little later.
          run.next_at_ms = now() + kRetryAfterFailureMs;
          if (run.task.status == MoveTaskStatus::kCancelling) run_move_task(id);
          return;
        }
        bool target_gone = missing;
        for (const MessageTransfer& m : *transfers) {
          if (m.outcome == TransferOutcome::kMoved) run.task.moved += 1;
          if (m.outcome == TransferOutcome::kTargetGone) target_gone = true;
        }
        if (run.task.status == MoveTaskStatus::kCancelling) {
          return finish_move_task(run, MoveTaskStatus::kCancelled, "");
        }
        if (target_gone) {
          return finish_move_task(run, MoveTaskStatus::kFailed, std::string(kNonExistentQueue));
        }
        const uint32_t rate = run.task.max_per_second;
        if (rate == 0) {
          run.next_at_ms = now();
          return run_move_task(id);
        }
        // The next batch is due one batch-worth of time after this one started.
        run.next_at_ms = started_ms + static_cast<int64_t>(batch) * 1000 / rate;
      });
}

void QueueStore::finish_move_task(MoveTaskRun& run, MoveTaskStatus status,
                                  std::string failure_reason) {
  run.committing = true;
  MessageMoveTask record = run.task;
  record.status = status;
  record.failure_reason = std::move(failure_reason);
  Mutation m;
  m.apply = [record](WriteTxn& t) {
    return t.put(t.dbs().move_tasks, record.task_id, record.serialize());
  };
  m.done = [this, record](Status st) {
    auto it = move_tasks_.find(record.task_id);
    if (it == move_tasks_.end()) return;
    MoveTaskRun& run = it->second;
    run.committing = false;
    auto replies = std::move(run.cancel_replies);
    run.cancel_replies.clear();
    if (!st) {
      // Not recorded: the task keeps running (a cancel that failed is answered with the error).
      run.task.status = MoveTaskStatus::kRunning;
      run.next_at_ms = now() + kRetryAfterFailureMs;
      for (auto& reply : replies) reply(st.error());
      return;
    }
    run.task.status = record.status;
    run.task.failure_reason = record.failure_reason;
    for (auto& reply : replies) {
      if (record.status == MoveTaskStatus::kCancelled) {
        reply(run.task.moved);
      } else {
        reply(make_error(ErrorCode::kResourceNotFound,
                         "Only a task in RUNNING status can be cancelled; this task is " +
                             std::string(move_task_status_name(record.status)) + "."));
      }
    }
  };
  committer_.submit(std::move(m));
}

void QueueStore::run_due_move_tasks(int64_t now_ms) {
  std::vector<std::string> due;
  for (const auto& [id, run] : move_tasks_) {
    if (run.task.status == MoveTaskStatus::kRunning && !run.committing &&
        run.next_at_ms <= now_ms) {
      due.push_back(id);
    }
  }
  for (const std::string& id : due) run_move_task(id);
}

std::optional<int64_t> QueueStore::next_move_task_deadline() const {
  std::optional<int64_t> next;
  for (const auto& [id, run] : move_tasks_) {
    if (run.task.status != MoveTaskStatus::kRunning || run.committing) continue;
    if (!next || run.next_at_ms < *next) next = run.next_at_ms;
  }
  return next;
}

}  // namespace sluice::storage
