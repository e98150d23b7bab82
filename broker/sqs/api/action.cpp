// See action.h.
#include "broker/sqs/api/action.h"

#include <array>

namespace sluice::sqs {

namespace {

// Indexed by Action; sorted by name, as the enum is, so lookup can binary-search.
constexpr std::array<std::string_view, kActionCount> kNames = {
    "AddPermission",
    "CancelMessageMoveTask",
    "ChangeMessageVisibility",
    "ChangeMessageVisibilityBatch",
    "CreateQueue",
    "DeleteMessage",
    "DeleteMessageBatch",
    "DeleteQueue",
    "GetQueueAttributes",
    "GetQueueUrl",
    "ListDeadLetterSourceQueues",
    "ListMessageMoveTasks",
    "ListQueueTags",
    "ListQueues",
    "PurgeQueue",
    "ReceiveMessage",
    "RemovePermission",
    "SendMessage",
    "SendMessageBatch",
    "SetQueueAttributes",
    "StartMessageMoveTask",
    "TagQueue",
    "UntagQueue",
};

constexpr bool sorted() {
  for (std::size_t i = 1; i < kNames.size(); ++i) {
    if (!(kNames[i - 1] < kNames[i])) return false;
  }
  return true;
}
static_assert(sorted(), "kNames must stay sorted for the binary search");
static_assert(static_cast<std::size_t>(Action::UntagQueue) + 1 == kActionCount);

}  // namespace

std::optional<Action> action_from_name(std::string_view name) {
  std::size_t lo = 0, hi = kNames.size();
  while (lo < hi) {
    std::size_t mid = (lo + hi) / 2;
    if (kNames[mid] < name) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  if (lo < kNames.size() && kNames[lo] == name) return static_cast<Action>(lo);
  return std::nullopt;
}

std::string_view action_name(Action action) {
  auto i = static_cast<std::size_t>(action);
  return i < kNames.size() ? kNames[i] : std::string_view("Unknown");
}

bool action_takes_queue_url(Action action) {
  switch (action) {
    case Action::CancelMessageMoveTask:
    case Action::CreateQueue:
    case Action::GetQueueUrl:
    case Action::ListMessageMoveTasks:
    case Action::ListQueues:
    case Action::StartMessageMoveTask:
      return false;
    default:
      return true;
  }
}

bool action_has_empty_result(Action action) {
  switch (action) {
    case Action::AddPermission:
    case Action::ChangeMessageVisibility:
    case Action::DeleteMessage:
    case Action::DeleteQueue:
    case Action::PurgeQueue:
    case Action::RemovePermission:
    case Action::SetQueueAttributes:
    case Action::TagQueue:
    case Action::UntagQueue:
      return true;
    default:
      return false;
  }
}

}  // namespace sluice::sqs
