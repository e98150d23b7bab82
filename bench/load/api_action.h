// ApiAction: every API call sluice-bench can make, across services (SQS; Step Functions for the
// sfn-* workloads; Step Functions and EventBridge Pipes for the trigger workload). Statistics are
// kept per action (latency histogram, responses, errors); a new workload adds its actions here and
// its names below.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sluice::bench {

enum class ApiAction : uint8_t {
  kCreateQueue,
  kGetQueueUrl,
  kPurgeQueue,
  kSendMessage,
  kSendMessageBatch,
  kReceiveMessage,
  kDeleteMessage,
  kDeleteMessageBatch,
  kCreateStateMachine,
  kStartSyncExecution,
  kListExecutions,
  kCreatePipe,
  kUpdatePipe,
};
// Sized from the last action: keep kUpdatePipe last or update this line.
inline constexpr size_t kApiActionCount = static_cast<size_t>(ApiAction::kUpdatePipe) + 1;

constexpr std::string_view action_name(ApiAction a) {
  switch (a) {
    case ApiAction::kCreateQueue:
      return "CreateQueue";
    case ApiAction::kGetQueueUrl:
      return "GetQueueUrl";
    case ApiAction::kPurgeQueue:
      return "PurgeQueue";
    case ApiAction::kSendMessage:
      return "SendMessage";
    case ApiAction::kSendMessageBatch:
      return "SendMessageBatch";
    case ApiAction::kReceiveMessage:
      return "ReceiveMessage";
    case ApiAction::kDeleteMessage:
      return "DeleteMessage";
    case ApiAction::kDeleteMessageBatch:
      return "DeleteMessageBatch";
    case ApiAction::kCreateStateMachine:
      return "CreateStateMachine";
    case ApiAction::kStartSyncExecution:
      return "StartSyncExecution";
    case ApiAction::kListExecutions:
      return "ListExecutions";
    case ApiAction::kCreatePipe:
      return "CreatePipe";
    case ApiAction::kUpdatePipe:
      return "UpdatePipe";
  }
  return "?";
}

}  // namespace sluice::bench
