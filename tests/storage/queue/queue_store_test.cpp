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

TEST_F(QueueStoreTest, ADeletedQueuesNameIsFreeAtOnceByDefault) {
  create("q");
  send("q", {"a"});
  std::optional<Status> out;
  store_->delete_queue("q", [&](Status s) { out = std::move(s); });
  settle([&] { return out.has_value(); });
  ASSERT_TRUE(out->ok());
  auto q = create("q");
  EXPECT_EQ(q.counts.visible, 0u);
  reopen();
  EXPECT_EQ(counts("q").visible, 0u);
}

TEST_F(QueueStoreTest, DeleteQueueRemovesMessagesAndBlocksRecreateFor60s) {
  store_->set_enforce_recreate_wait(true);
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

// The wall clock can step back (NTP). A message sent after the step is older by its timestamp than
// one sent before it; when it expires first, receives must neither hang nor hand it out.
TEST_F(QueueStoreTest, ClockSteppingBackDoesNotBreakRetentionOrReceive) {
  create("q", {{"MessageRetentionPeriod", "60"}});
  send("q", {"before-step"});
  now_ms_ -= 10'000;
  send("q", {"after-step"});
  now_ms_ += 60'000;  // "after-step" is past retention, "before-step" is not
  auto got = receive("q", 10);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].body, "before-step");
  settle([&] { return counts("q").visible + counts("q").in_flight == 1; });
}

// Receipt handles are plain encodings; one that names a receive that never happened (count 0)
// must not delete a message nobody received.
TEST_F(QueueStoreTest, HandleForAReceiveThatNeverHappenedIsInvalid) {
  auto q = create("q");
  auto sent = send("q", {"a"});
  ASSERT_TRUE(sent[0].ok());
  const std::string forged = ReceiptHandle{q.id, sent[0]->seq, 0, 7}.encode();
  auto r = remove("q", {forged});
  ASSERT_FALSE(r[0].ok());
  EXPECT_EQ(r[0].error().code, ErrorCode::kReceiptHandleIsInvalid);
  EXPECT_EQ(counts("q").visible, 1u);
}

// CreateQueue answers success only once the queue is durable, also for a second caller that asks
// for the same queue while the first create is still committing.
TEST_F(QueueStoreTest, SecondCreateOfAQueueBeingCreatedIsNotAnsweredBeforeTheFirst) {
  reopen(1ull << 20);
  create("other");
  fill_map_and_pin("other");
  std::optional<Result<QueueView>> a, b;
  store_->create_queue("q", {}, {}, [&](auto r) { a = std::move(r); });
  store_->create_queue("q", {}, {}, [&](auto r) { b = std::move(r); });
  EXPECT_FALSE(b.has_value());
  settle([&] { return a.has_value() && b.has_value(); });
  ASSERT_FALSE(a->ok());
  EXPECT_EQ(a->error().code, ErrorCode::kStorageFull);
  EXPECT_FALSE(b->ok());
  EXPECT_FALSE(store_->get_queue("q").ok());
  unpin();
  auto v = create("q");
  EXPECT_EQ(v.name, "q");
}

TEST_F(QueueStoreTest, ConcurrentCreatesOfOneQueueGetTheSameQueue) {
  std::optional<Result<QueueView>> a, b;
  store_->create_queue("q", {{"DelaySeconds", "2"}}, {}, [&](auto r) { a = std::move(r); });
  store_->create_queue("q", {{"DelaySeconds", "2"}}, {}, [&](auto r) { b = std::move(r); });
  settle([&] { return a.has_value() && b.has_value(); });
  ASSERT_TRUE(a->ok());
  ASSERT_TRUE(b->ok());
  EXPECT_EQ((*a)->id, (*b)->id);
  EXPECT_EQ(store_->list_queues("").size(), 1u);
}

TEST_F(QueueStoreTest, ListQueuesFiltersByPrefixInNameOrder) {
  create("beta");
  create("alpha-2");
  create("alpha-1");
  EXPECT_EQ(store_->list_queues("alpha"), (std::vector<std::string>{"alpha-1", "alpha-2"}));
  EXPECT_EQ(store_->list_queues("").size(), 3u);
  EXPECT_TRUE(store_->list_queues("gamma").empty());
}

TEST_F(QueueStoreTest, SetAttributesChangesBehaviourAndTimestamp) {
  create("q");
  now_ms_ += 5000;
  std::optional<Status> out;
  store_->set_attributes("q", {{"DelaySeconds", "4"}}, [&](Status s) { out = std::move(s); });
  settle([&] { return out.has_value(); });
  ASSERT_TRUE(out->ok());
  auto v = store_->get_queue("q");
  EXPECT_EQ(v->last_modified_s, now_ms_ / 1000);
  send("q", {"a"});
  EXPECT_EQ(counts("q").delayed, 1u);
  out.reset();
  store_->set_attributes("q", {{"FifoQueue", "true"}}, [&](Status s) { out = std::move(s); });
  settle([&] { return out.has_value(); });
  ASSERT_FALSE(out->ok());
  EXPECT_EQ(out->error().code, ErrorCode::kInvalidAttributeName);
}

TEST_F(QueueStoreTest, TagAndUntagQueue) {
  create("q");
  std::optional<Status> out;
  store_->tag_queue("q", {{"a", "1"}, {"b", "2"}}, [&](Status s) { out = std::move(s); });
  settle([&] { return out.has_value(); });
  out.reset();
  store_->untag_queue("q", {"a", "missing"}, [&](Status s) { out = std::move(s); });
  settle([&] { return out.has_value(); });
  ASSERT_TRUE(out->ok());
  EXPECT_EQ(store_->get_queue("q")->tags, (Tags{{"b", "2"}}));
  Tags many;
  for (int i = 0; i < 50; ++i) {
    many.emplace(std::string{static_cast<char>('a' + i / 26), static_cast<char>('a' + i % 26)},
                 std::string(1, 'v'));
  }
  out.reset();
  store_->tag_queue("q", many, [&](Status s) { out = std::move(s); });
  settle([&] { return out.has_value(); });
  ASSERT_FALSE(out->ok());  // 51 tags
  EXPECT_EQ(out->error().code, ErrorCode::kInvalidParameterValue);
  EXPECT_EQ(store_->get_queue("q")->tags.size(), 1u);
}

TEST_F(QueueStoreTest, OperationsOnMissingQueueFail) {
  std::optional<Status> st;
  store_->purge_queue("nope", [&](Status s) { st = std::move(s); });
  ASSERT_TRUE(st.has_value());
  EXPECT_EQ(st->error().code, ErrorCode::kQueueDoesNotExist);
  std::optional<Result<std::vector<ReceivedMessage>>> got;
  store_->receive("nope", {}, [&](auto r) { got = std::move(r); });
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->error().code, ErrorCode::kQueueDoesNotExist);
  EXPECT_EQ(store_->get_queue("nope").error().code, ErrorCode::kQueueDoesNotExist);
}

TEST_F(QueueStoreTest, ChangeVisibilityErrors) {
  create("q");
  send("q", {"a"});
  auto first = receive("q", 1, 0);  // visible again at once
  ASSERT_EQ(first.size(), 1u);
  auto second = receive("q", 1, 30);
  ASSERT_EQ(second.size(), 1u);
  auto change = [&](const std::string& h, uint32_t t) {
    std::optional<Result<std::vector<Status>>> out;
    store_->change_visibility("q", {{h, t}}, [&](auto r) { out = std::move(r); });
    settle([&] { return out.has_value(); });
    return std::move(out->value()[0]);
  };
  Status stale = change(first[0].receipt_handle, 10);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, ErrorCode::kInvalidParameterValue);
  Status ok = change(second[0].receipt_handle, 100);
  EXPECT_TRUE(ok.ok());
  now_ms_ += 99'000;
  EXPECT_TRUE(receive("q").empty());
  now_ms_ += 1000;
  EXPECT_EQ(counts("q").visible, 1u);
  Status not_inflight = change(second[0].receipt_handle, 10);
  ASSERT_FALSE(not_inflight.ok());
  EXPECT_EQ(not_inflight.error().code, ErrorCode::kMessageNotInflight);
  Status bad = change("garbage", 10);
  EXPECT_EQ(bad.error().code, ErrorCode::kReceiptHandleIsInvalid);
}

TEST_F(QueueStoreTest, DeletingTwiceInOneBatchAnswersSuccessOnce) {
  create("q");
  send("q", {"a", "b"});
  auto got = receive("q", 10);
  ASSERT_EQ(got.size(), 2u);
  auto r = remove("q", {got[0].receipt_handle, got[0].receipt_handle, got[1].receipt_handle});
  ASSERT_EQ(r.size(), 3u);
  for (auto& s : r) EXPECT_TRUE(s.ok());
  EXPECT_EQ(counts("q").in_flight, 0u);
  EXPECT_EQ(store_->stats().deleted, 2u);
}

TEST_F(QueueStoreTest, ExpiredInflightMessageIsGoneAndItsHandleDeletesNothing) {
  create("q", {{"MessageRetentionPeriod", "60"}});
  send("q", {"a"});
  auto got = receive("q", 1, 600);
  now_ms_ += 60'000;
  store_->advance();
  EXPECT_EQ(counts("q").in_flight, 0u);
  settle([&] { return store_->stats().expired == 1; });
  EXPECT_TRUE(remove("q", {got[0].receipt_handle})[0].ok());
  reopen();
  EXPECT_EQ(counts("q").in_flight + counts("q").visible, 0u);
}

// A purge that failed to commit purged nothing; retrying it must not be refused as "in progress".
TEST_F(QueueStoreTest, FailedPurgeCanBeRetriedAtOnce) {
  reopen(1ull << 20);
  create("q");
  send("q", {"a", "b"});
  fill_map_and_pin("q");
  std::optional<Status> out;
  store_->purge_queue("q", [&](Status s) { out = std::move(s); });
  settle([&] { return out.has_value(); });
  ASSERT_FALSE(out->ok());
  EXPECT_EQ(out->error().code, ErrorCode::kStorageFull);
  EXPECT_EQ(counts("q").visible, 2u);
  unpin();
  out.reset();
  store_->purge_queue("q", [&](Status s) { out = std::move(s); });
  settle([&] { return out.has_value(); });
  EXPECT_TRUE(out->ok());
  EXPECT_EQ(counts("q").visible, 0u);
}

TEST_F(QueueStoreTest, FailedReceiveCommitPutsMessagesBack) {
  reopen(1ull << 20);
  create("q");
  send("q", {"a", "b"});
  fill_map_and_pin("q");
  ReceiveOptions o;
  o.max_messages = 10;
  o.wait_seconds = 0;
  std::optional<Result<std::vector<ReceivedMessage>>> got;
  store_->receive("q", o, [&](auto r) { got = std::move(r); });
  EXPECT_EQ(counts("q").in_flight, 2u);  // taken at once, so no one else gets them meanwhile
  settle([&] { return got.has_value(); });
  ASSERT_FALSE(got->ok());
  EXPECT_EQ(got->error().code, ErrorCode::kStorageFull);
  EXPECT_EQ(counts("q").visible, 2u);
  EXPECT_EQ(counts("q").in_flight, 0u);
  unpin();
  auto again = receive("q", 10);
  ASSERT_EQ(again.size(), 2u);
  EXPECT_EQ(again[0].receive_count, 1u);  // the failed receive does not count
}

// The retention sweep reschedules itself from the oldest message not being deleted. If it runs
// while many of the oldest are being deleted, it must still find the next one, or the rest never
// expire (until some later send happens to schedule a sweep).
TEST_F(QueueStoreTest, RetentionStaysScheduledWhileOldestMessagesAreBeingDeleted) {
  create("q", {{"MessageRetentionPeriod", "60"}});
  std::vector<std::string> bodies(100, "m");
  send("q", bodies);
  std::vector<std::string> handles;
  for (int i = 0; i < 7; ++i) {
    for (auto& m : receive("q", 10)) handles.push_back(m.receipt_handle);
  }
  ASSERT_EQ(handles.size(), 70u);
  std::optional<Result<std::vector<Status>>> deleted;
  store_->delete_messages("q", handles, [&](auto r) { deleted = std::move(r); });
  run_due_timers();  // the sweep runs while those 70 deletes commit
  settle([&] { return deleted.has_value(); });
  EXPECT_EQ(counts("q").visible, 30u);
  now_ms_ += 61'000;
  run_due_timers();
  settle([&] { return counts("q").visible == 0; });
}

}  // namespace
}  // namespace sluice::storage::testing
