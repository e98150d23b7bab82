// The stored encodings of messages, message states and queue records: round trips, and truncated
// or foreign bytes reported as errors rather than misread.
#include <gtest/gtest.h>

#include <limits>

#include "storage/byte_codec.h"
#include "storage/queue/message.h"
#include "storage/queue/queue_record.h"

namespace sluice::storage {
namespace {

TEST(RecordCodecTest, MessageRecordRoundTrips) {
  MessageRecord m;
  m.message_id = "id";
  m.body_md5 = "md5";
  m.sender_id = "sender";
  m.aws_trace_header = "Root=1";
  m.attributes = {{"a", "String", "v", false}, {"b", "Binary", std::string("\0\1", 2), true}};
  m.body = std::string("body\0with nul", 13);
  auto back = MessageRecord::deserialize(m.serialize());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->message_id, "id");
  EXPECT_EQ(back->body, m.body);
  ASSERT_EQ(back->attributes.size(), 2u);
  EXPECT_EQ(back->attributes[1].value, m.attributes[1].value);
  EXPECT_TRUE(back->attributes[1].is_binary);
  EXPECT_EQ(back->aws_trace_header, "Root=1");
}

TEST(RecordCodecTest, TruncatedMessageRecordIsAnError) {
  MessageRecord m;
  m.body = "hello";
  std::string bytes = m.serialize();
  for (size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_FALSE(MessageRecord::deserialize(bytes.substr(0, n)).ok()) << n;
  }
}

TEST(RecordCodecTest, MessageStateRoundTripsNegativeAndLargeTimes) {
  MessageState s{-5, std::numeric_limits<int64_t>::max(), 1'700'000'000'000, 4'000'000'000u, ""};
  auto back = MessageState::deserialize(s.serialize());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->sent_ms, -5);
  EXPECT_EQ(back->visible_at_ms, std::numeric_limits<int64_t>::max());
  EXPECT_EQ(back->first_receive_ms, 1'700'000'000'000);
  EXPECT_EQ(back->receive_count, 4'000'000'000u);
  EXPECT_FALSE(MessageState::deserialize(s.serialize().substr(0, 28)).ok());
}

TEST(RecordCodecTest, FifoFieldsRoundTrip) {
  MessageRecord m;
  m.message_id = "id";
  m.body = "b";
  m.group_id = "group-1";
  m.dedup_id = "dedup-1";
  auto back = MessageRecord::deserialize(m.serialize());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->group_id, "group-1");
  EXPECT_EQ(back->dedup_id, "dedup-1");
  EXPECT_EQ(back->body, "b");
  MessageState s{1, 2, 3, 4, "group-1"};
  auto sb = MessageState::deserialize(s.serialize());
  ASSERT_TRUE(sb.ok());
  EXPECT_EQ(sb->group_id, "group-1");
  EXPECT_EQ(sb->receive_count, 4u);
}

// Records written before FIFO support (no tagged fields) still read, with no group.
TEST(RecordCodecTest, RecordsWithoutTaggedFieldsStillRead) {
  ByteWriter w;
  w.u8(1);
  w.str("old-id");
  w.str("md5");
  w.str("sender");
  w.str("");
  w.u32(0);
  w.str("old body");
  auto m = MessageRecord::deserialize(w.view());
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->message_id, "old-id");
  EXPECT_EQ(m->body, "old body");
  EXPECT_TRUE(m->group_id.empty());
  ByteWriter sw;
  sw.u8(1);
  sw.i64(10);
  sw.i64(20);
  sw.i64(0);
  sw.u32(0);
  auto s = MessageState::deserialize(sw.view());
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->visible_at_ms, 20);
  EXPECT_TRUE(s->group_id.empty());
  EXPECT_EQ(MessageState{}.serialize().size(), MessageState::kFixedSize);
}

TEST(RecordCodecTest, DeadLetterSourceRoundTripsBesideTheFifoFields) {
  MessageRecord m;
  m.message_id = "id";
  m.body = "b";
  m.group_id = "arn:looks-like-an-arn";  // a group id may look like anything allowed
  m.dead_letter_source_arn = "arn:aws:sqs:us-east-1:000000000000:src.fifo";
  const std::string bytes = m.serialize();
  auto back = MessageRecord::deserialize(bytes);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->group_id, m.group_id);
  EXPECT_EQ(back->dedup_id, "");
  EXPECT_EQ(back->dead_letter_source_arn, m.dead_letter_source_arn);
  EXPECT_EQ(dead_letter_source_arn_of(bytes), m.dead_letter_source_arn);
  m.dead_letter_source_arn.clear();
  EXPECT_EQ(dead_letter_source_arn_of(m.serialize()), "");
}

// Version 1 records came from two lines of development that both used tag 1: FIFO queues for the
// group id (with tag 2, the deduplication id), dead-letter queues for the source queue's ARN.
std::string version1_record(uint8_t tag1, std::string_view value1, std::string_view dedup = {}) {
  ByteWriter w;
  w.u8(1);
  w.str("old-id");
  w.str("md5");
  w.str("sender");
  w.str("");
  w.u32(1);
  w.str("attr");
  w.str("String");
  w.u8(0);
  w.str("v");
  w.str("old body");
  w.u8(tag1);
  w.str(value1);
  if (!dedup.empty()) {
    w.u8(2);
    w.str(dedup);
  }
  return std::move(w).take();
}

TEST(RecordCodecTest, Version1RecordsOfEitherKindStillRead) {
  const std::string arn = "arn:aws:sqs:us-east-1:000000000000:src";
  const std::string dead_lettered = version1_record(1, arn);
  auto d = MessageRecord::deserialize(dead_lettered);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->dead_letter_source_arn, arn);
  EXPECT_EQ(d->group_id, "");
  EXPECT_EQ(d->body, "old body");
  EXPECT_EQ(dead_letter_source_arn_of(dead_lettered), arn);

  const std::string fifo = version1_record(1, "group-1", "dedup-1");
  auto f = MessageRecord::deserialize(fifo);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->group_id, "group-1");
  EXPECT_EQ(f->dedup_id, "dedup-1");
  EXPECT_EQ(f->dead_letter_source_arn, "");
  EXPECT_EQ(dead_letter_source_arn_of(fifo), "");
  // A FIFO record whose group id reads as an ARN has its deduplication id beside it.
  auto g = MessageRecord::deserialize(version1_record(1, arn, "d"));
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->group_id, arn);
  EXPECT_EQ(g->dead_letter_source_arn, "");
  // A fair-queue record (a group, no deduplication id) of version 1.
  auto fair = MessageRecord::deserialize(version1_record(1, "orders"));
  ASSERT_TRUE(fair.ok());
  EXPECT_EQ(fair->group_id, "orders");
  // A version 1 tag 3 is nobody's: skipped.
  auto unknown = MessageRecord::deserialize(version1_record(3, arn));
  ASSERT_TRUE(unknown.ok());
  EXPECT_EQ(unknown->dead_letter_source_arn, "");
  // Versions this build does not know are refused.
  std::string future = fifo;
  future[0] = 9;
  EXPECT_FALSE(MessageRecord::deserialize(future).ok());
}

// A receive rewrites the fixed part of a state and keeps its group.
TEST(RecordCodecTest, StateRewriteKeepsTheStoredGroup) {
  const std::string stored = MessageState{1, 2, 0, 0, "g"}.serialize();
  const std::string rewritten = MessageState{1, 99, 5, 1, ""}.serialize_over(stored);
  auto s = MessageState::deserialize(rewritten);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->visible_at_ms, 99);
  EXPECT_EQ(s->receive_count, 1u);
  EXPECT_EQ(s->group_id, "g");
}

TEST(RecordCodecTest, QueueRecordRoundTrips) {
  QueueRecord r;
  r.id = 9;
  r.created_ms = 1;
  r.modified_ms = 2;
  r.seq_reserved = uint64_t{1} << 40;
  r.attributes.visibility_timeout = 99;
  r.tags = {{"k", "v"}, {"", ""}};
  auto back = QueueRecord::deserialize(r.serialize());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->id, 9u);
  EXPECT_EQ(back->seq_reserved, r.seq_reserved);
  EXPECT_EQ(back->attributes, r.attributes);
  EXPECT_EQ(back->tags, r.tags);
  std::string bytes = r.serialize();
  EXPECT_FALSE(QueueRecord::deserialize(bytes.substr(0, bytes.size() - 1)).ok());
}

TEST(RecordCodecTest, MessageKeysSortByQueueThenSeq) {
  EXPECT_LT(message_key(1, 0xffffffffffffffffULL), message_key(2, 0));
  EXPECT_LT(message_key(1, 255), message_key(1, 256));
  EXPECT_EQ(message_key(1, 2).size(), 16u);
}

TEST(RecordCodecTest, MessageSizeCountsBodyAndAttributes) {
  NewMessage m;
  m.body = "12345";
  m.attributes = {{"ab", "String", "xyz", false}};
  EXPECT_EQ(message_size(m), 5u + 2 + 6 + 3);
}

}  // namespace
}  // namespace sluice::storage
