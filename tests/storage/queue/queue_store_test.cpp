// QueueStore behaviour: what a client of the SQS API would observe, driven through the store.
#include "storage/queue/queue_store.h"

#include "storage/queue/receipt_handle.h"
#include "tests/storage/storage_fixture.h"

namespace sluice::storage::testing {
namespace {

using QueueStoreTest = StoreFixture;

TEST_F(QueueStoreTest, SendThenReceiveReturnsBodyAndCounts) {
  create("q");
  auto sent = send("q", {"hello", "world"});
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(counts("q").visible, 2u);
  auto got = receive("q", 10);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].body, "hello");
  EXPECT_EQ(got[0].body_md5, "md5-of-hello");
  EXPECT_EQ(got[0].message_id, sent[0]->message_id);
  EXPECT_EQ(got[0].receive_count, 1u);
  EXPECT_EQ(got[0].first_receive_ms, now_ms_);
  EXPECT_EQ(counts("q").visible, 0u);
  EXPECT_EQ(counts("q").in_flight, 2u);
}

TEST_F(QueueStoreTest, VisibilityTimeoutReturnsMessageWithNewHandle) {
  create("q", {{"VisibilityTimeout", "5"}});
  send("q", {"m"});
  auto first = receive("q");
  ASSERT_EQ(first.size(), 1u);
  EXPECT_TRUE(receive("q").empty());
  advance(5000);
  auto second = receive("q");
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].receive_count, 2u);
  EXPECT_NE(second[0].receipt_handle, first[0].receipt_handle);
  // The stale handle answers success but leaves the message alone.
  auto r = remove("q", {first[0].receipt_handle});
  EXPECT_TRUE(r[0].ok());
  EXPECT_EQ(counts("q").in_flight, 1u);
  r = remove("q", {second[0].receipt_handle});
  EXPECT_TRUE(r[0].ok());
  EXPECT_EQ(counts("q").in_flight, 0u);
  advance(60000);
  EXPECT_TRUE(receive("q").empty());
}

TEST_F(QueueStoreTest, InvalidReceiptHandleIsRejected) {
  create("q");
  auto r = remove("q", {"not-a-handle"});
  ASSERT_FALSE(r[0].ok());
  EXPECT_EQ(r[0].error().code, ErrorCode::kReceiptHandleIsInvalid);
  create("other");
  send("other", {"x"});
  auto got = receive("other");
  r = remove("q", {got[0].receipt_handle});  // a handle of another queue
  ASSERT_FALSE(r[0].ok());
  EXPECT_EQ(r[0].error().code, ErrorCode::kReceiptHandleIsInvalid);
}

TEST_F(QueueStoreTest, DelayedMessagesAreCountedAndAppearLater) {
  create("q");
  send("q", {"later"}, 10);
  EXPECT_EQ(counts("q").delayed, 1u);
  EXPECT_TRUE(receive("q").empty());
  advance(10000);
  EXPECT_EQ(counts("q").visible, 1u);
  EXPECT_EQ(receive("q").size(), 1u);
}

TEST_F(QueueStoreTest, MessageOverMaximumSizeIsRejected) {
  create("q", {{"MaximumMessageSize", "1024"}});
  std::vector<NewMessage> msgs(2);
  msgs[0].body = std::string(1025, 'x');
  msgs[1].body = std::string(1024, 'x');
  std::optional<Result<std::vector<Result<SentMessage>>>> out;
  store_->send("q", std::move(msgs), [&](auto r) { out = std::move(r); });
  settle([&] { return out.has_value(); });
  ASSERT_TRUE(out->ok());
  EXPECT_FALSE((*out)->at(0).ok());
  EXPECT_EQ((*out)->at(0).error().code, ErrorCode::kInvalidParameterValue);
  EXPECT_TRUE((*out)->at(1).ok());
}

TEST_F(QueueStoreTest, CreateIsIdempotentOnlyWithSameAttributes) {
  create("q", {{"VisibilityTimeout", "40"}});
  std::optional<Result<QueueView>> out;
  store_->create_queue("q", {{"VisibilityTimeout", "40"}}, {}, [&](auto r) { out = std::move(r); });
  settle([&] { return out.has_value(); });
  EXPECT_TRUE(out->ok());
  out.reset();
  store_->create_queue("q", {{"VisibilityTimeout", "41"}}, {}, [&](auto r) { out = std::move(r); });
  settle([&] { return out.has_value(); });
  ASSERT_FALSE(out->ok());
  EXPECT_EQ(out->error().code, ErrorCode::kQueueNameExists);
}

TEST_F(QueueStoreTest, BadAttributeValuesAreRejected) {
  std::optional<Result<QueueView>> out;
  store_->create_queue("q", {{"DelaySeconds", "901"}}, {}, [&](auto r) { out = std::move(r); });
  settle([&] { return out.has_value(); });
  ASSERT_FALSE(out->ok());
  EXPECT_EQ(out->error().code, ErrorCode::kInvalidAttributeValue);
  out.reset();
  store_->create_queue("q", {{"QueueArn", "x"}}, {}, [&](auto r) { out = std::move(r); });
  settle([&] { return out.has_value(); });
  ASSERT_FALSE(out->ok());
  EXPECT_EQ(out->error().code, ErrorCode::kInvalidAttributeName);
}

TEST_F(QueueStoreTest, RecoveryRestoresMessagesAndInflightDeadlines) {
  create("q", {{"VisibilityTimeout", "30"}});
  auto sent = send("q", {"a", "b", "c"});
  auto got = receive("q", 1);  // "a" in flight for 30 s
  ASSERT_EQ(got.size(), 1u);
  auto deleted = receive("q", 1);  // "b" received and deleted
  remove("q", {deleted[0].receipt_handle});
  reopen();
  EXPECT_EQ(counts("q").visible, 1u);
  EXPECT_EQ(counts("q").in_flight, 1u);
  now_ms_ += 1000;
  auto after = receive("q");
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].body, "c");
  advance(29000);
  auto back = receive("q");
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].body, "a");
  EXPECT_EQ(back[0].receive_count, 2u);
  // The handle issued before the restart is stale now.
  EXPECT_TRUE(remove("q", {got[0].receipt_handle})[0].ok());
  EXPECT_EQ(counts("q").in_flight, 2u);
}

TEST_F(QueueStoreTest, NewSequenceNumbersAfterRestartNeverReuseOldOnes) {
  create("q");
  send("q", {"a"});
  auto got = receive("q");
  remove("q", {got[0].receipt_handle});
  reopen();
  send("q", {"b"});
  auto b = receive("q");
  ASSERT_EQ(b.size(), 1u);
  auto hb = ReceiptHandle::decode(b[0].receipt_handle);
  auto ha = ReceiptHandle::decode(got[0].receipt_handle);
  EXPECT_GT(hb->seq, ha->seq);
}

TEST_F(QueueStoreTest, LongPollWakesOneWaiterPerMessage) {
  create("q");
  int answered = 0;
  size_t messages = 0;
  for (int i = 0; i < 2; ++i) {
    ReceiveOptions o;
    o.max_messages = 10;
    o.wait_seconds = 20;
    store_->receive("q", o, [&](Result<std::vector<ReceivedMessage>> r) {
      ++answered;
      messages += r->size();
    });
  }
  committer_->wait_and_run_completions(std::chrono::milliseconds(20));
  EXPECT_EQ(answered, 0);
  send("q", {"one"});
  settle([&] { return answered == 1; });
  EXPECT_EQ(messages, 1u);
  advance(20000);
  EXPECT_EQ(answered, 2);
  EXPECT_EQ(messages, 1u);
}

TEST_F(QueueStoreTest, RetentionExpiresOldMessages) {
  create("q", {{"MessageRetentionPeriod", "60"}});
  send("q", {"old"});
  advance(61000);
  settle([&] { return counts("q").visible == 0; });
  EXPECT_TRUE(receive("q").empty());
}

TEST_F(QueueStoreTest, PurgeRemovesEverythingSentBefore) {
  create("q");
  send("q", {"a", "b"});
  std::optional<Status> out;
  store_->purge_queue("q", [&](Status s) { out = std::move(s); });
  settle([&] { return out.has_value(); });
  EXPECT_TRUE(out->ok());
  EXPECT_EQ(counts("q").visible, 0u);
  out.reset();
  store_->purge_queue("q", [&](Status s) { out = std::move(s); });
  settle([&] { return out.has_value(); });
  ASSERT_FALSE(out->ok());
  EXPECT_EQ(out->error().code, ErrorCode::kPurgeQueueInProgress);
  reopen();
  EXPECT_EQ(counts("q").visible, 0u);
}

TEST_F(QueueStoreTest, DeleteQueueRemovesMessagesAndBlocksRecreateFor60s) {
  create("q");
  send("q", {"a"});
  std::optional<Status> out;
  store_->delete_queue("q", [&](Status s) { out = std::move(s); });
  settle([&] { return out.has_value(); });
  EXPECT_TRUE(out->ok());
  EXPECT_FALSE(store_->get_queue("q").ok());
  std::optional<Result<QueueView>> created;
  store_->create_queue("q", {}, {}, [&](auto r) { created = std::move(r); });
  settle([&] { return created.has_value(); });
  ASSERT_FALSE(created->ok());
  EXPECT_EQ(created->error().code, ErrorCode::kQueueDeletedRecently);
  now_ms_ += 60000;
  auto q = create("q");
  EXPECT_EQ(q.counts.visible, 0u);
  reopen();
  EXPECT_EQ(counts("q").visible, 0u);
}

TEST_F(QueueStoreTest, ChangeVisibilityToZeroMakesMessageVisible) {
  create("q");
  send("q", {"a"});
  auto got = receive("q");
  std::optional<Result<std::vector<Status>>> out;
  store_->change_visibility("q", {{got[0].receipt_handle, 0}}, [&](auto r) { out = std::move(r); });
  settle([&] { return out.has_value(); });
  ASSERT_TRUE(out->ok());
  EXPECT_TRUE((*out)->at(0).ok());
  EXPECT_EQ(receive("q").size(), 1u);
  // The first handle is stale now.
  out.reset();
  store_->change_visibility("q", {{got[0].receipt_handle, 10}},
                            [&](auto r) { out = std::move(r); });
  settle([&] { return out.has_value(); });
  EXPECT_FALSE((*out)->at(0).ok());
}

TEST_F(QueueStoreTest, MapFullFailsTheRequestAndServerKeepsWorking) {
  close();
  open(1ull << 20);  // 1 MiB map: fills fast
  create("q");
  bool saw_full = false;
  for (int i = 0; i < 200 && !saw_full; ++i) {
    std::vector<NewMessage> msgs(1);
    msgs[0].body = std::string(64 * 1024, 'x');
    std::optional<Result<std::vector<Result<SentMessage>>>> out;
    store_->send("q", std::move(msgs), [&](auto r) { out = std::move(r); });
    settle([&] { return out.has_value(); });
    if (!(*out)->at(0).ok()) {
      EXPECT_EQ((*out)->at(0).error().code, ErrorCode::kStorageFull);
      saw_full = true;
    }
  }
  EXPECT_TRUE(saw_full);
  // What was acknowledged is still there and readable.
  auto got = receive("q", 10);
  EXPECT_FALSE(got.empty());
  EXPECT_EQ(got[0].body.size(), 64u * 1024);
}

}  // namespace
}  // namespace sluice::storage::testing
