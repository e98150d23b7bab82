// Action: the 23 operations of the SQS 2012-11-05 API (shared/aws-models/sqs.json), and the
// name <-> enum table both protocols use (query "Action=" and JSON "X-Amz-Target: AmazonSQS.X").
// Pure functions; any thread.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace sluice::sqs {

enum class Action {
  AddPermission,
  CancelMessageMoveTask,
  ChangeMessageVisibility,
  ChangeMessageVisibilityBatch,
  CreateQueue,
  DeleteMessage,
  DeleteMessageBatch,
  DeleteQueue,
  GetQueueAttributes,
  GetQueueUrl,
  ListDeadLetterSourceQueues,
  ListMessageMoveTasks,
  ListQueueTags,
  ListQueues,
  PurgeQueue,
  ReceiveMessage,
  RemovePermission,
  SendMessage,
  SendMessageBatch,
  SetQueueAttributes,
  StartMessageMoveTask,
  TagQueue,
  UntagQueue,
};

inline constexpr std::size_t kActionCount = 23;

// Exact, case-sensitive match on the model's operation name ("SendMessage").
std::optional<Action> action_from_name(std::string_view name);
std::string_view action_name(Action action);

// True when the action's input has a QueueUrl member (the query protocol may then name the
// queue by the request path instead).
bool action_takes_queue_url(Action action);

// True when the action's model output is empty (the response carries only ResponseMetadata).
bool action_has_empty_result(Action action);

}  // namespace sluice::sqs
