// MessageMoveTask records, TaskHandles, and the optional DeadLetterQueueSourceArn of message
// records: what the "move_tasks" and "messages" tables hold survives a round trip, and old
// records still read.
#include "storage/queue/message_move_task.h"

#include <gtest/gtest.h>

#include "storage/queue/message.h"

namespace sluice::storage {
namespace {

TEST(MessageMoveTaskTest, RecordRoundTrips) {
  MessageMoveTask t;
  t.task_id = "6f3c1a2e-0000-4000-8000-000000000001";
  t.source_queue_id = 42;
  t.source_arn = "arn:aws:sqs:us-east-1:000000000000:dlq";
  t.destination_arn = "arn:aws:sqs:us-east-1:000000000000:back";
  t.max_per_second = 25;
  t.status = MoveTaskStatus::kFailed;
  t.moved = 7;
  t.to_move = 9;
  t.started_ms = 1'700'000'000'123;
  t.below_seq = 1 << 20;
  t.failure_reason = "AWS.SimpleQueueService.NonExistentQueue";
  auto back = MessageMoveTask::deserialize(t.serialize());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, t);

  std::string bytes = t.serialize();
  EXPECT_FALSE(MessageMoveTask::deserialize(bytes.substr(0, bytes.size() - 1)).ok());
  bytes[0] = 7;
  EXPECT_FALSE(MessageMoveTask::deserialize(bytes).ok());
}

TEST(MessageMoveTaskTest, StatusNamesAreAws) {
  EXPECT_EQ(move_task_status_name(MoveTaskStatus::kRunning), "RUNNING");
  EXPECT_EQ(move_task_status_name(MoveTaskStatus::kCompleted), "COMPLETED");
  EXPECT_EQ(move_task_status_name(MoveTaskStatus::kCancelling), "CANCELLING");
  EXPECT_EQ(move_task_status_name(MoveTaskStatus::kCancelled), "CANCELLED");
  EXPECT_EQ(move_task_status_name(MoveTaskStatus::kFailed), "FAILED");
  EXPECT_TRUE(is_active(MoveTaskStatus::kRunning));
  EXPECT_TRUE(is_active(MoveTaskStatus::kCancelling));
  EXPECT_FALSE(is_active(MoveTaskStatus::kCompleted));
}

TEST(MessageMoveTaskTest, HandleIsBase64JsonOfTaskAndSource) {
  MoveTaskHandle h{"task-1", "arn:aws:sqs:us-east-1:000000000000:dlq"};
  const std::string text = h.encode();
  // base64 of {"taskId":"task-1","sourceArn":"arn:aws:sqs:us-east-1:000000000000:dlq"}
  EXPECT_EQ(text.substr(0, 12), "eyJ0YXNrSWQi");
  auto back = MoveTaskHandle::decode(text);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->task_id, "task-1");
  EXPECT_EQ(back->source_arn, "arn:aws:sqs:us-east-1:000000000000:dlq");
  for (const char* bad : {"", "t", "not base64!", "eyJ0YXNrSWQiOiJ4In0=" /* no sourceArn */,
                          "WzEsMl0=" /* [1,2] */}) {
    EXPECT_FALSE(MoveTaskHandle::decode(bad).has_value()) << bad;
  }
}

TEST(MessageRecordTest, DeadLetterSourceArnIsOptional) {
  MessageRecord m;
  m.message_id = "id";
  m.body = "body";
  m.attributes.push_back({"a", "String", "v", false});
  const std::string without = m.serialize();
  m.dead_letter_source_arn = "arn:aws:sqs:us-east-1:000000000000:src";
  auto back = MessageRecord::deserialize(m.serialize());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->dead_letter_source_arn, m.dead_letter_source_arn);
  EXPECT_EQ(dead_letter_source_arn_of(m.serialize()), m.dead_letter_source_arn);
  EXPECT_EQ(dead_letter_source_arn_of(without), "");
  EXPECT_EQ(dead_letter_source_arn_of("garbage"), "");
  EXPECT_EQ(back->body, "body");
  // A record written without the field (or before it existed) reads with it empty.
  auto old = MessageRecord::deserialize(without);
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(old->dead_letter_source_arn, "");
  EXPECT_EQ(old->attributes.size(), 1u);
  // A cut-off optional field is corruption, not silence.
  std::string cut = m.serialize();
  cut.pop_back();
  EXPECT_FALSE(MessageRecord::deserialize(cut).ok());
}

}  // namespace
}  // namespace sluice::storage
