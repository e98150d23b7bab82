// Dead-letter queues through the QueueStore: RedrivePolicy checks that need the queues, the move of
// a message a receive would take past maxReceiveCount (in that receive's transaction), what the
// moved message looks like, retention in the dead-letter queue, and ListDeadLetterSourceQueues.
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

class DeadLetterQueueTest : public StoreFixture {
 protected:
  Status set_attributes(const std::string& q, AttributePairs attrs) {
    std::optional<Status> out;
    store_->set_attributes(q, attrs, [&](Status s) { out = std::move(s); });
    settle([&] { return out.has_value(); });
    return *out;
  }
  Result<QueueView> try_create(const std::string& name, AttributePairs attrs) {
    std::optional<Result<QueueView>> out;
    store_->create_queue(name, attrs, {}, [&](Result<QueueView> r) { out = std::move(r); });
    settle([&] { return out.has_value(); });
    return std::move(*out);
  }
  // Receives `q`'s message n times, each receive making it visible again at once.
  void receive_times(const std::string& q, int n) {
    for (int i = 0; i < n; ++i) ASSERT_EQ(receive(q, 10, 0).size(), 1u) << "receive " << i + 1;
  }
};

TEST_F(DeadLetterQueueTest, ReceivePastMaxReceiveCountMovesTheMessage) {
  create("dlq");
  create("src", {{"RedrivePolicy", policy("dlq", 2)}});
  NewMessage m;
  m.body = "poison";
  m.body_md5 = "md5";
  m.sender_id = "000000000000";
  m.attributes.push_back({"kind", "String", "bad", false});
  std::optional<Result<std::vector<Result<SentMessage>>>> sent;
  std::vector<NewMessage> batch;
  batch.push_back(m);
  store_->send("src", std::move(batch), [&](auto r) { sent = std::move(r); });
  settle([&] { return sent.has_value(); });
  const int64_t sent_at = now_ms_;
  const std::string id = (*sent)->front()->message_id;

  now_ms_ += 1000;
  receive_times("src", 2);
  // The third receive would exceed maxReceiveCount 2: the message moves instead of being handed
  // out, and the receive is answered empty.
  EXPECT_TRUE(receive("src", 10, 0).empty());
  EXPECT_EQ(counts("src").visible + counts("src").in_flight, 0u);
  EXPECT_EQ(counts("dlq").visible, 1u);
  EXPECT_EQ(store_->stats().dead_lettered, 1u);

  auto got = receive("dlq");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].message_id, id);  // the same message, not a copy
  EXPECT_EQ(got[0].body, "poison");
  EXPECT_EQ(got[0].body_md5, "md5");
  ASSERT_EQ(got[0].attributes.size(), 1u);
  EXPECT_EQ(got[0].attributes[0].value, "bad");
  EXPECT_EQ(got[0].dead_letter_source_arn, arn("src"));
  EXPECT_EQ(got[0].sent_ms, sent_at);   // a standard queue keeps the original enqueue time
  EXPECT_EQ(got[0].receive_count, 3u);  // maxReceiveCount + this receive
  EXPECT_EQ(got[0].first_receive_ms, sent_at + 1000);
}

TEST_F(DeadLetterQueueTest, TheSameReceiveDeliversOtherMessages) {
  create("dlq");
  create("src", {{"RedrivePolicy", policy("dlq", 1)}});
  send("src", {"old"});
  receive_times("src", 1);
  send("src", {"new"});
  auto got = receive("src", 10, 0);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].body, "new");
  EXPECT_EQ(counts("dlq").visible, 1u);
  EXPECT_EQ(receive("dlq")[0].body, "old");
}

TEST_F(DeadLetterQueueTest, AReceiveMovesEveryDueMessageAheadOfADeliverableOne) {
  create("dlq");
  create("src", {{"RedrivePolicy", policy("dlq", 1)}});
  std::vector<std::string> bodies;
  for (int i = 0; i < 250; ++i) bodies.push_back("dead" + std::to_string(i));
  send("src", bodies);
  while (counts("src").visible > 0) receive("src", 10, 1);  // each received once
  advance(1000);
  ASSERT_EQ(counts("src").visible, 250u);  // visible again, ahead of what comes next
  send("src", {"good"});
  // More than one commit's worth of moves stand before "good": the receive moves them all
  // (a commit at a time) and still answers with "good".
  auto got = receive("src", 10, 0);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].body, "good");
  EXPECT_EQ(counts("dlq").visible, 250u);
  EXPECT_EQ(store_->stats().dead_lettered, 250u);
}

TEST_F(DeadLetterQueueTest, AMovedMessageWakesALongPollOnTheDeadLetterQueue) {
  create("dlq");
  create("src", {{"RedrivePolicy", policy("dlq", 1)}});
  send("src", {"m"});
  receive_times("src", 1);
  auto poll = long_poll("dlq", 20);
  EXPECT_FALSE(poll->out.has_value());
  EXPECT_TRUE(receive("src", 10, 0).empty());
  settle([&] { return poll->out.has_value(); });
  ASSERT_TRUE(poll->out->ok());
  ASSERT_EQ((*poll->out)->size(), 1u);
  EXPECT_EQ((*poll->out)->front().body, "m");
}

TEST_F(DeadLetterQueueTest, RetentionInTheDeadLetterQueueCountsFromTheOriginalSend) {
  create("dlq", {{"MessageRetentionPeriod", "100"}});
  create("src", {{"RedrivePolicy", policy("dlq", 1)}});
  send("src", {"m"});
  now_ms_ += 60'000;
  receive_times("src", 1);
  EXPECT_TRUE(receive("src", 10, 0).empty());
  EXPECT_EQ(counts("dlq").visible, 1u);
  advance(39'000);  // 99 s after the send
  EXPECT_EQ(counts("dlq").visible, 1u);
  advance(1'000);  // 100 s after the send: past the DLQ's retention
  run_due_timers();
  settle([&] { return counts("dlq").visible == 0; });
  EXPECT_TRUE(receive("dlq").empty());
}

TEST_F(DeadLetterQueueTest, MovedMessagesSurviveARestart) {
  create("dlq");
  create("src", {{"RedrivePolicy", policy("dlq", 1)}});
  send("src", {"a", "b"});
  receive_times("src", 0);
  ASSERT_EQ(receive("src", 10, 0).size(), 2u);
  EXPECT_TRUE(receive("src", 10, 0).empty());
  reopen();
  EXPECT_EQ(counts("src").visible + counts("src").in_flight, 0u);
  auto got = receive("dlq", 10);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].dead_letter_source_arn, arn("src"));
  EXPECT_EQ(got[0].receive_count, 2u);
  // New messages of the dead-letter queue never reuse a moved message's sequence number.
  send("dlq", {"later"});
  advance(30'000);
  EXPECT_EQ(receive("dlq", 10).size(), 3u);
}

TEST_F(DeadLetterQueueTest, WithItsDeadLetterQueueGoneAMessageStaysDeliverable) {
  create("dlq");
  create("src", {{"RedrivePolicy", policy("dlq", 1)}});
  send("src", {"m"});
  receive_times("src", 1);
  std::optional<Status> deleted;
  store_->delete_queue("dlq", [&](Status s) { deleted = std::move(s); });
  settle([&] { return deleted.has_value(); });
  auto got = receive("src", 10, 0);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].receive_count, 2u);
}

TEST_F(DeadLetterQueueTest, RedrivePolicyMustNameALiveQueueOfTheSameType) {
  create("src");
  Status s = set_attributes("src", {{"RedrivePolicy", policy("missing", 3)}});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidParameterValue);
  EXPECT_EQ(s.error().message, "Value " + policy("missing", 3) +
                                   " for parameter RedrivePolicy is invalid. Reason: Dead letter "
                                   "target does not exist.");
  // Another region's or account's queue of that name is not ours.
  create("dlq");
  s = set_attributes("src", {{"RedrivePolicy",
                              R"({"deadLetterTargetArn":"arn:aws:sqs:eu-west-1:000000000000:dlq",
                                  "maxReceiveCount":3})"}});
  EXPECT_FALSE(s.ok());
  // A FIFO source needs a FIFO dead-letter queue, and the other way round.
  create("dlq.fifo", {{"FifoQueue", "true"}});
  s = set_attributes("src", {{"RedrivePolicy", policy("dlq.fifo", 3)}});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("same type"), std::string::npos);
  auto fifo = try_create("src.fifo", {{"FifoQueue", "true"}, {"RedrivePolicy", policy("dlq", 3)}});
  ASSERT_FALSE(fifo.ok());
  EXPECT_NE(fifo.error().message.find("same type"), std::string::npos);
  EXPECT_TRUE(
      try_create("src2.fifo", {{"FifoQueue", "true"}, {"RedrivePolicy", policy("dlq.fifo", 3)}})
          .ok());
  // A policy that fails leaves the queue as it was.
  EXPECT_FALSE(store_->get_queue("src")->attributes.redrive_policy.has_value());
  EXPECT_TRUE(set_attributes("src", {{"RedrivePolicy", policy("dlq", 3)}}).ok());
  EXPECT_EQ(store_->get_queue("src")->attributes.redrive_policy->max_receive_count, 3u);
  // Other attributes can change without the policy being checked again.
  std::optional<Status> deleted;
  store_->delete_queue("dlq", [&](Status st) { deleted = std::move(st); });
  settle([&] { return deleted.has_value(); });
  EXPECT_TRUE(set_attributes("src", {{"VisibilityTimeout", "5"}}).ok());
  // "" removes it.
  EXPECT_TRUE(set_attributes("src", {{"RedrivePolicy", ""}}).ok());
  EXPECT_FALSE(store_->get_queue("src")->attributes.redrive_policy.has_value());
}

TEST_F(DeadLetterQueueTest, RedriveAllowPolicyDecidesWhichSourcesMayNameTheQueue) {
  create("a");
  create("b");
  create("deny", {{"RedriveAllowPolicy", R"({"redrivePermission":"denyAll"})"}});
  create("only-a",
         {{"RedriveAllowPolicy",
           R"({"redrivePermission":"byQueue","sourceQueueArns":[")" + arn("a") + R"("]})"}});
  Status s = set_attributes("a", {{"RedrivePolicy", policy("deny", 2)}});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidParameterValue);
  EXPECT_NE(s.error().message.find("does not allow this queue"), std::string::npos);
  EXPECT_TRUE(set_attributes("a", {{"RedrivePolicy", policy("only-a", 2)}}).ok());
  EXPECT_FALSE(set_attributes("b", {{"RedrivePolicy", policy("only-a", 2)}}).ok());
  EXPECT_FALSE(try_create("c", {{"RedrivePolicy", policy("only-a", 2)}}).ok());
  // allowAll (or no policy) lets anyone.
  EXPECT_TRUE(set_attributes("only-a", {{"RedriveAllowPolicy", ""}}).ok());
  EXPECT_TRUE(set_attributes("b", {{"RedrivePolicy", policy("only-a", 2)}}).ok());
}

TEST_F(DeadLetterQueueTest, CreateQueueIsIdempotentWithTheSamePolicy) {
  create("dlq");
  create("src", {{"RedrivePolicy", policy("dlq", 2)}});
  // The same policy in another spelling is the same attribute value.
  auto again =
      try_create("src", {{"RedrivePolicy", R"({"maxReceiveCount":"2","deadLetterTargetArn":")" +
                                               arn("dlq") + R"("})"}});
  EXPECT_TRUE(again.ok());
  auto other = try_create("src", {{"RedrivePolicy", policy("dlq", 3)}});
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code, ErrorCode::kQueueNameExists);
}

TEST_F(DeadLetterQueueTest, DeadLetterSourcesListsTheQueuesNamingIt) {
  create("dlq");
  create("other-dlq");
  create("z-src", {{"RedrivePolicy", policy("dlq", 2)}});
  create("a-src", {{"RedrivePolicy", policy("dlq", 5)}});
  create("elsewhere", {{"RedrivePolicy", policy("other-dlq", 5)}});
  auto sources = store_->dead_letter_sources("dlq");
  ASSERT_TRUE(sources.ok());
  EXPECT_EQ(*sources, (std::vector<std::string>{"a-src", "z-src"}));
  EXPECT_TRUE(store_->dead_letter_sources("a-src")->empty());
  auto missing = store_->dead_letter_sources("nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kQueueDoesNotExist);
}

TEST_F(DeadLetterQueueTest, ARecreatedQueueIsFreshAfterTheWait) {
  store_->set_enforce_recreate_wait(true);
  create("q", {{"VisibilityTimeout", "7"}});
  send("q", {"old"});
  auto handle = receive("q")[0].receipt_handle;
  std::optional<Status> deleted;
  store_->delete_queue("q", [&](Status s) { deleted = std::move(s); });
  settle([&] { return deleted.has_value(); });
  auto early = try_create("q", {});
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().code, ErrorCode::kQueueDeletedRecently);
  now_ms_ += 59'999;
  EXPECT_FALSE(try_create("q", {}).ok());
  now_ms_ += 1;
  auto fresh = try_create("q", {});
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(fresh->attributes.visibility_timeout, 30u);
  EXPECT_EQ(counts("q").visible + counts("q").in_flight, 0u);
  auto r = remove("q", {handle});
  ASSERT_FALSE(r[0].ok());
  EXPECT_EQ(r[0].error().code, ErrorCode::kReceiptHandleIsInvalid);
  advance(60'000);
  EXPECT_TRUE(receive("q").empty());
}

}  // namespace
}  // namespace sluice::storage::testing
