// Messages moved into and out of FIFO queues through the QueueStore: the dead-letter move from a
// FIFO source (group kept, new sequence number, deduplication id replaced by the MessageId,
// retention restarted, the rest of the group delivered at once), moves that are never
// deduplicated, restarts, and message move tasks on a FIFO dead-letter queue (groups and order
// kept, a group in flight left alone).
#include <gtest/gtest.h>

#include "storage/queue/queue_store.h"
#include "tests/storage/storage_fixture.h"

namespace sluice::storage::testing {
namespace {

constexpr const char* kPrefix = "arn:aws:sqs:us-east-1:000000000000:";

std::string arn(const std::string& name) {
  return kPrefix + name;
}

std::string policy(const std::string& dlq, int max_receives) {
  return R"({"deadLetterTargetArn":")" + arn(dlq) + R"(","maxReceiveCount":)" +
         std::to_string(max_receives) + "}";
}

struct Fifo {
  std::string body;
  std::string group;
  std::string dedup;
};

using Bodies = std::vector<std::string>;

class FifoDeadLetterTest : public StoreFixture {
 protected:
  // "dlq.fifo" and "src.fifo", the source sending a message to the dead-letter queue when a
  // receive would take it past `max_receives`.
  void create_pair(int max_receives, AttributePairs dlq_attributes = {}) {
    dlq_attributes.emplace_back("FifoQueue", "true");
    create("dlq.fifo", dlq_attributes);
    create("src.fifo",
           {{"FifoQueue", "true"}, {"RedrivePolicy", policy("dlq.fifo", max_receives)}});
  }
  std::vector<SentMessage> send_fifo(const std::string& q, std::vector<Fifo> msgs) {
    std::vector<NewMessage> batch;
    for (auto& f : msgs) {
      NewMessage m;
      m.body = f.body;
      m.body_md5 = "md5";
      m.group_id = f.group;
      m.dedup_id = f.dedup;
      batch.push_back(std::move(m));
    }
    std::optional<Result<std::vector<Result<SentMessage>>>> out;
    store_->send(q, std::move(batch), [&](auto r) { out = std::move(r); });
    settle([&] { return out.has_value(); });
    std::vector<SentMessage> sent;
    EXPECT_TRUE(out->ok());
    if (!out->ok()) return sent;
    for (auto& r : out->value()) {
      EXPECT_TRUE(r.ok());
      if (r.ok()) sent.push_back(*r);
    }
    return sent;
  }
  // Receives every message of `q` (groups of at most 10) once, for a second, and lets them come
  // back (a consumer that failed).
  void fail_once(const std::string& q) {
    for (int i = 0; i < 100 && !receive(q, 10, 1).empty(); ++i) {
    }
    advance(1000);
  }
  static Bodies bodies(const std::vector<ReceivedMessage>& got) {
    Bodies out;
    for (auto& m : got) out.push_back(m.body);
    return out;
  }
  Result<std::string> start(const std::string& source,
                            std::optional<std::string> destination = {}) {
    StartMoveTask req;
    req.source_arn = source;
    req.destination_arn = std::move(destination);
    std::optional<Result<std::string>> out;
    store_->start_move_task(std::move(req), [&](Result<std::string> r) { out = std::move(r); });
    settle([&] { return out.has_value(); });
    return std::move(*out);
  }
  MessageMoveTask latest() {
    auto tasks = store_->list_move_tasks(arn("dlq.fifo"), 1);
    EXPECT_TRUE(tasks.ok() && tasks->size() == 1u);
    return tasks.ok() && !tasks->empty() ? tasks->front() : MessageMoveTask{};
  }
  void run_until_done() {
    for (int i = 0; i < 200 && is_active(latest().status); ++i) {
      committer_->wait_and_run_completions(std::chrono::milliseconds(5));
      run_due_timers();
    }
    EXPECT_EQ(latest().status, MoveTaskStatus::kCompleted);
  }
};

TEST_F(FifoDeadLetterTest, MovedMessageKeepsItsGroupAndTheRestOfTheGroupIsDeliveredAtOnce) {
  create_pair(1);
  const auto direct = send_fifo("dlq.fifo", {{"direct", "other", "d0"}});
  const auto sent = send_fifo("src.fifo", {{"a", "g", "x"}, {"b", "g", "y"}});
  ASSERT_EQ(sent.size(), 2u);
  // The first receive takes the whole group; the consumer fails and both come back.
  ASSERT_EQ(bodies(receive("src.fifo", 10, 0)), (Bodies{"a", "b"}));
  advance(0);
  now_ms_ += 5000;
  // "a" and "b" were received once: a second receive moves both and delivers nothing.
  EXPECT_TRUE(receive("src.fifo", 10, 30).empty());
  EXPECT_EQ(counts("src.fifo").visible + counts("src.fifo").in_flight, 0u);
  const int64_t moved_at = now_ms_;

  auto got = receive("dlq.fifo", 10, 30);
  ASSERT_EQ(bodies(got), (Bodies{"direct", "a", "b"}));
  const ReceivedMessage& a = got[1];
  EXPECT_EQ(a.message_id, sent[0].message_id);  // the same message
  EXPECT_EQ(a.group_id, "g");
  // AWS: the deduplication id becomes the original MessageId in a FIFO dead-letter queue.
  EXPECT_EQ(a.dedup_id, sent[0].message_id);
  EXPECT_EQ(got[2].dedup_id, sent[1].message_id);
  // A new sequence number there, after what the dead-letter queue held, in group order.
  EXPECT_GT(a.seq, direct[0].seq);
  EXPECT_GT(got[2].seq, a.seq);
  EXPECT_EQ(a.dead_letter_source_arn, arn("src.fifo"));
  EXPECT_EQ(a.sent_ms, moved_at);  // a FIFO dead-letter queue restarts the enqueue time
  EXPECT_EQ(a.receive_count, 2u);
  EXPECT_EQ(store_->stats().dead_lettered, 2u);
}

TEST_F(FifoDeadLetterTest, TheNextMessageOfTheGroupGoesOutInTheSameReceive) {
  create_pair(1);
  send_fifo("src.fifo", {{"poison", "g", "1"}});
  ASSERT_EQ(receive("src.fifo", 10, 0).size(), 1u);
  advance(0);
  send_fifo("src.fifo", {{"next", "g", "2"}, {"later", "g", "3"}});
  // "poison" (received once) is at the head of its group: it moves, and the same receive goes on
  // with the rest of the group, in order.
  auto got = receive("src.fifo", 1, 30);
  ASSERT_EQ(bodies(got), (Bodies{"next"}));
  EXPECT_EQ(counts("dlq.fifo").visible, 1u);
  // The group is blocked by "next" in flight, as by any message of the group.
  EXPECT_TRUE(receive("src.fifo", 10, 30).empty());
  ASSERT_TRUE(remove("src.fifo", {got[0].receipt_handle})[0].ok());
  EXPECT_EQ(bodies(receive("src.fifo", 10, 30)), (Bodies{"later"}));
}

TEST_F(FifoDeadLetterTest, AGroupMovedOverSeveralReceivesKeepsItsOrder) {
  create_pair(1);
  std::vector<Fifo> msgs;
  Bodies expected;
  for (int i = 0; i < 8; ++i) {
    msgs.push_back({"m" + std::to_string(i), "g", std::to_string(i)});
    expected.push_back(msgs.back().body);
  }
  send_fifo("src.fifo", msgs);
  // Receives of one message each, whose consumer fails: every receive after the first moves the
  // head of the group (received once) and hands out the next.
  for (int i = 0; i < 20; ++i) {
    if (receive("src.fifo", 1, 1).empty()) break;
    advance(1000);
  }
  EXPECT_EQ(counts("src.fifo").visible + counts("src.fifo").in_flight, 0u);
  EXPECT_EQ(store_->stats().dead_lettered, 8u);
  auto got = receive("dlq.fifo", 10, 30);
  EXPECT_EQ(bodies(got), expected);
  for (size_t i = 1; i < got.size(); ++i) EXPECT_GT(got[i].seq, got[i - 1].seq);
}

TEST_F(FifoDeadLetterTest, MovesAreNeverDeduplicated) {
  create_pair(1);
  send_fifo("dlq.fifo", {{"direct", "g", "same"}});
  const auto sent = send_fifo("src.fifo", {{"moved", "g", "same"}});
  fail_once("src.fifo");
  EXPECT_TRUE(receive("src.fifo", 10, 0).empty());
  EXPECT_EQ(counts("dlq.fifo").visible, 2u);
  // The dead-letter queue's window still holds what was sent to it, and nothing of the move.
  EXPECT_TRUE(send_fifo("dlq.fifo", {{"dup", "g", "same"}})[0].duplicate);
  EXPECT_FALSE(send_fifo("dlq.fifo", {{"new", "g", sent[0].message_id}})[0].duplicate);
  EXPECT_EQ(counts("dlq.fifo").visible, 3u);
}

TEST_F(FifoDeadLetterTest, RetentionInAFifoDeadLetterQueueStartsAtTheMove) {
  create_pair(1, {{"MessageRetentionPeriod", "100"}});
  send_fifo("src.fifo", {{"m", "g", "1"}});
  now_ms_ += 60'000;
  fail_once("src.fifo");
  EXPECT_TRUE(receive("src.fifo", 10, 0).empty());
  ASSERT_EQ(counts("dlq.fifo").visible, 1u);
  advance(99'000);  // 159 s after the send, 99 s after the move
  run_due_timers();
  EXPECT_EQ(counts("dlq.fifo").visible, 1u);
  advance(1'000);
  run_due_timers();
  settle([&] { return counts("dlq.fifo").visible == 0; });
}

TEST_F(FifoDeadLetterTest, MovedMessagesKeepTheirGroupAcrossARestart) {
  create_pair(1);
  send_fifo("src.fifo", {{"a", "g", "1"}});
  fail_once("src.fifo");
  EXPECT_TRUE(receive("src.fifo", 10, 0).empty());
  send_fifo("dlq.fifo", {{"after", "g", "2"}});
  reopen();
  auto got = receive("dlq.fifo", 1, 30);
  ASSERT_EQ(bodies(got), (Bodies{"a"}));
  EXPECT_EQ(got[0].group_id, "g");
  // Its group is blocked while it is in flight: the index rebuilt it from the stored state.
  EXPECT_TRUE(receive("dlq.fifo", 10, 30).empty());
  ASSERT_TRUE(remove("dlq.fifo", {got[0].receipt_handle})[0].ok());
  EXPECT_EQ(bodies(receive("dlq.fifo", 10, 30)), (Bodies{"after"}));
}

TEST_F(FifoDeadLetterTest, MoveTaskBringsGroupsBackInOrder) {
  create_pair(1);
  const auto sent = send_fifo("src.fifo", {{"a1", "a", "1"}, {"b1", "b", "2"}, {"a2", "a", "3"}});
  fail_once("src.fifo");
  EXPECT_TRUE(receive("src.fifo", 10, 0).empty());
  ASSERT_EQ(counts("dlq.fifo").visible, 3u);
  ASSERT_TRUE(start(arn("dlq.fifo")).ok());
  run_until_done();
  EXPECT_EQ(latest().moved, 3u);
  EXPECT_EQ(counts("dlq.fifo").visible + counts("dlq.fifo").in_flight, 0u);
  auto got = receive("src.fifo", 10, 30);
  ASSERT_EQ(bodies(got), (Bodies{"a1", "a2", "b1"}));  // oldest group first, then in group order
  EXPECT_EQ(got[0].group_id, "a");
  EXPECT_EQ(got[1].group_id, "a");
  EXPECT_EQ(got[2].group_id, "b");
  // New messages (new ids and sequence numbers), deduplicated by nothing.
  EXPECT_NE(got[0].message_id, sent[0].message_id);
  EXPECT_GT(got[0].seq, sent[2].seq);
  EXPECT_GT(got[1].seq, got[0].seq);
  EXPECT_EQ(got[0].dead_letter_source_arn, "");
  EXPECT_EQ(got[0].receive_count, 1u);
}

TEST_F(FifoDeadLetterTest, MoveTaskToADestinationLeavesAGroupInFlightAlone) {
  create_pair(1);
  create("other.fifo", {{"FifoQueue", "true"}});
  send_fifo("src.fifo", {{"a1", "a", "1"}, {"a2", "a", "2"}, {"b1", "b", "3"}});
  fail_once("src.fifo");
  EXPECT_TRUE(receive("src.fifo", 10, 0).empty());
  // A consumer of the dead-letter queue holds the head of group "a".
  auto held = receive("dlq.fifo", 1, 30);
  ASSERT_EQ(bodies(held), (Bodies{"a1"}));
  ASSERT_TRUE(start(arn("dlq.fifo"), arn("other.fifo")).ok());
  run_until_done();
  EXPECT_EQ(latest().moved, 1u);
  EXPECT_EQ(bodies(receive("other.fifo", 10, 30)), (Bodies{"b1"}));
  // Group "a" stays whole, in order, in the dead-letter queue.
  ASSERT_TRUE(remove("dlq.fifo", {held[0].receipt_handle})[0].ok());
  EXPECT_EQ(bodies(receive("dlq.fifo", 10, 30)), (Bodies{"a2"}));

  // A standard destination is refused for a FIFO dead-letter queue.
  create("plain");
  auto refused = start(arn("dlq.fifo"), arn("plain"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidParameterValue);
}

}  // namespace
}  // namespace sluice::storage::testing
