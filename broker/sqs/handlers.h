// Every SQS action this server answers, in one place: each handler validates its typed request,
// calls the queue store (or, to send, the message service), and replies with a typed result or an
// Error. Handlers hold no queue logic and know nothing of HTTP or the wire protocol (see
// sqs_endpoint.h for that).
#pragma once

#include "broker/sqs/api/requests.h"
#include "broker/sqs/handler_context.h"

namespace sluice::sqs {

// Queues (queue_handlers.cpp).
void handle(HandlerContext& ctx, CreateQueueRequest&& req, Reply reply);
void handle(HandlerContext& ctx, GetQueueUrlRequest&& req, Reply reply);
void handle(HandlerContext& ctx, ListQueuesRequest&& req, Reply reply);
void handle(HandlerContext& ctx, DeleteQueueRequest&& req, Reply reply);
void handle(HandlerContext& ctx, GetQueueAttributesRequest&& req, Reply reply);
void handle(HandlerContext& ctx, SetQueueAttributesRequest&& req, Reply reply);
void handle(HandlerContext& ctx, PurgeQueueRequest&& req, Reply reply);
void handle(HandlerContext& ctx, TagQueueRequest&& req, Reply reply);
void handle(HandlerContext& ctx, UntagQueueRequest&& req, Reply reply);
void handle(HandlerContext& ctx, ListQueueTagsRequest&& req, Reply reply);

// Messages (message_handlers.cpp).
void handle(HandlerContext& ctx, SendMessageRequest&& req, Reply reply);
void handle(HandlerContext& ctx, SendMessageBatchRequest&& req, Reply reply);
void handle(HandlerContext& ctx, ReceiveMessageRequest&& req, Reply reply);
void handle(HandlerContext& ctx, DeleteMessageRequest&& req, Reply reply);
void handle(HandlerContext& ctx, DeleteMessageBatchRequest&& req, Reply reply);
void handle(HandlerContext& ctx, ChangeMessageVisibilityRequest&& req, Reply reply);
void handle(HandlerContext& ctx, ChangeMessageVisibilityBatchRequest&& req, Reply reply);

// Permissions (permission_handlers.cpp): the queue Policy, stored and returned, not enforced.
void handle(HandlerContext& ctx, AddPermissionRequest&& req, Reply reply);
void handle(HandlerContext& ctx, RemovePermissionRequest&& req, Reply reply);

// Dead-letter queues and message move tasks (dead_letter_handlers.cpp).
void handle(HandlerContext& ctx, ListDeadLetterSourceQueuesRequest&& req, Reply reply);
void handle(HandlerContext& ctx, StartMessageMoveTaskRequest&& req, Reply reply);
void handle(HandlerContext& ctx, ListMessageMoveTasksRequest&& req, Reply reply);
void handle(HandlerContext& ctx, CancelMessageMoveTaskRequest&& req, Reply reply);

}  // namespace sluice::sqs
