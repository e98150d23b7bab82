// Actions of later issues. Each answers UnsupportedOperation with what is missing, so a client sees
// an honest AWS error instead of a success that did nothing.
#include "broker/sqs/handlers.h"

namespace sluice::sqs {

namespace {
void unsupported(Reply& reply, std::string_view what) {
  reply(make_error(ErrorCode::kUnsupportedOperation,
                   std::string(what) + " is not supported by this server yet."));
}
}  // namespace

void handle(HandlerContext&, AddPermissionRequest&&, Reply reply) {
  unsupported(reply, "AddPermission");
}
void handle(HandlerContext&, RemovePermissionRequest&&, Reply reply) {
  unsupported(reply, "RemovePermission");
}
void handle(HandlerContext&, ListDeadLetterSourceQueuesRequest&&, Reply reply) {
  unsupported(reply, "ListDeadLetterSourceQueues (dead-letter queues)");
}
void handle(HandlerContext&, StartMessageMoveTaskRequest&&, Reply reply) {
  unsupported(reply, "StartMessageMoveTask (message move tasks)");
}
void handle(HandlerContext&, ListMessageMoveTasksRequest&&, Reply reply) {
  unsupported(reply, "ListMessageMoveTasks (message move tasks)");
}
void handle(HandlerContext&, CancelMessageMoveTaskRequest&&, Reply reply) {
  unsupported(reply, "CancelMessageMoveTask (message move tasks)");
}

}  // namespace sluice::sqs
