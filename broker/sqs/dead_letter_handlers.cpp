// Dead-letter queue handlers: ListDeadLetterSourceQueues and the message move tasks
// (StartMessageMoveTask, ListMessageMoveTasks, CancelMessageMoveTask). Thin adapters: the
// QueueStore validates what needs the queues and runs the tasks.
#include "broker/sqs/api/validation.h"
#include "broker/sqs/handlers.h"
#include "broker/sqs/name_paging.h"

namespace sluice::sqs {

namespace {

ListMessageMoveTasksResultEntry to_wire(const storage::MessageMoveTask& t) {
  ListMessageMoveTasksResultEntry e;
  // SQS hands out the handle only while the task can still be cancelled.
  if (t.status == storage::MoveTaskStatus::kRunning) e.task_handle = t.handle();
  e.status = std::string(storage::move_task_status_name(t.status));
  e.source_arn = t.source_arn;
  e.destination_arn = t.destination_arn;
  if (t.max_per_second) e.max_number_of_messages_per_second = t.max_per_second;
  e.approximate_number_of_messages_moved = static_cast<int64_t>(t.moved);
  e.approximate_number_of_messages_to_move = static_cast<int64_t>(t.to_move);
  if (t.status == storage::MoveTaskStatus::kFailed) e.failure_reason = t.failure_reason;
  e.started_timestamp = t.started_ms;
  return e;
}

}  // namespace

void handle(HandlerContext& ctx, ListDeadLetterSourceQueuesRequest&& req, Reply reply) {
  if (auto st = validate_request(req); !st) return reply(std::move(st).error());
  with_queue(ctx, req.queue_url, reply, [&](const std::string& name) {
    auto sources = ctx.store.dead_letter_sources(name);
    if (!sources) return reply(std::move(sources).error());
    auto page = page_of_names(*sources, req.next_token, req.max_results);
    if (!page) return reply(std::move(page).error());
    ListDeadLetterSourceQueuesResult result;
    for (const auto& source : page->names) result.queue_urls.push_back(ctx.url_of(source));
    result.next_token = std::move(page->next_token);
    reply(AnyResult(std::move(result)));
  });
}

void handle(HandlerContext& ctx, StartMessageMoveTaskRequest&& req, Reply reply) {
  storage::StartMoveTask start;
  start.source_arn = std::move(req.source_arn);
  start.destination_arn = std::move(req.destination_arn);
  start.max_messages_per_second = req.max_number_of_messages_per_second;
  ctx.store.start_move_task(std::move(start),
                            [reply = std::move(reply)](Result<std::string> handle) {
                              if (!handle) return reply(std::move(handle).error());
                              reply(AnyResult(StartMessageMoveTaskResult{std::move(*handle)}));
                            });
}

void handle(HandlerContext& ctx, ListMessageMoveTasksRequest&& req, Reply reply) {
  auto tasks = ctx.store.list_move_tasks(req.source_arn, req.max_results);
  if (!tasks) return reply(std::move(tasks).error());
  ListMessageMoveTasksResult result;
  result.results.reserve(tasks->size());
  for (const auto& t : *tasks) result.results.push_back(to_wire(t));
  reply(AnyResult(std::move(result)));
}

void handle(HandlerContext& ctx, CancelMessageMoveTaskRequest&& req, Reply reply) {
  ctx.store.cancel_move_task(req.task_handle, [reply = std::move(reply)](Result<uint64_t> moved) {
    if (!moved) return reply(std::move(moved).error());
    reply(AnyResult(CancelMessageMoveTaskResult{static_cast<int64_t>(*moved)}));
  });
}

}  // namespace sluice::sqs
