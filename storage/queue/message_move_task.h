// MessageMoveTask: one StartMessageMoveTask, as the "move_tasks" table keeps it (keyed by task id)
// and as ListMessageMoveTasks reports it, and the TaskHandle that names it on the wire. Plain
// values; any thread. The state machine that runs tasks is QueueStore's (message_move_tasks.cpp).
//
// Status: RUNNING -> COMPLETED (nothing left to move), FAILED (a destination vanished),
// CANCELLING -> CANCELLED (CancelMessageMoveTask; CANCELLING only while a batch is committing).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "storage/result.h"

namespace sluice::storage {

enum class MoveTaskStatus : uint8_t { kRunning, kCompleted, kCancelling, kCancelled, kFailed };

// "RUNNING", "COMPLETED", "CANCELLING", "CANCELLED", "FAILED".
std::string_view move_task_status_name(MoveTaskStatus status);
inline bool is_active(MoveTaskStatus s) {
  return s == MoveTaskStatus::kRunning || s == MoveTaskStatus::kCancelling;
}

// The TaskHandle: base64 of {"taskId":"<uuid>","sourceArn":"<arn>"}, the shape SQS hands out, so
// CancelMessageMoveTask can tell a malformed handle from an unknown task or a vanished queue.
struct MoveTaskHandle {
  std::string task_id;
  std::string source_arn;

  std::string encode() const;
  static std::optional<MoveTaskHandle> decode(std::string_view text);
};

struct MessageMoveTask {
  std::string task_id;
  uint64_t source_queue_id = 0;  // a recreated queue of the same name does not inherit tasks
  std::string source_arn;
  std::string destination_arn;  // empty: each message back to its DeadLetterQueueSourceArn
  uint32_t max_per_second = 0;  // 0: not set (as fast as the store reasonably can)
  MoveTaskStatus status = MoveTaskStatus::kRunning;
  uint64_t moved = 0;
  uint64_t to_move = 0;  // the source's visible messages when the task started
  int64_t started_ms = 0;
  // The task moves the messages that were in the source when it started: sequence numbers below
  // this. Messages that arrive later (even ones a receive moves in meanwhile) stay.
  uint64_t below_seq = 0;
  std::string failure_reason;  // FAILED only: the AWS error code that stopped it

  std::string handle() const { return MoveTaskHandle{task_id, source_arn}.encode(); }
  std::string serialize() const;
  static Result<MessageMoveTask> deserialize(std::string_view bytes);
  bool operator==(const MessageMoveTask&) const = default;
};

}  // namespace sluice::storage
