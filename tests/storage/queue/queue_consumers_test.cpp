// In-process consumers through the QueueStore: watches fire when messages can be taken (sent,
// visible again, given back), take() hands messages over busy (nobody else gets them) without
// writing anything, consume() removes them in a Mutation that may carry other writes (one
// transaction), release() gives them back untried or failed (receive count written, in flight
// until the given time), FIFO takes one group at a time in order, the dead-letter queue still
// works, and a crash between take and consume loses nothing.
#include "storage/queue/queue_store.h"
#include "tests/storage/storage_fixture.h"

namespace sluice::storage::testing {
namespace {

class QueueConsumersTest : public StoreFixture {
 protected:
  QueueStore::Taken take(const std::string& q, uint32_t max = 10, bool one_group = false) {
    QueueStore::TakeOptions o;
    o.max_messages = max;
    o.one_group = one_group;
    auto t = store_->take(q, o);
    EXPECT_TRUE(t.ok());
    return t.ok() ? std::move(t).value() : QueueStore::Taken{};
  }
  static std::vector<uint64_t> seqs(const QueueStore::Taken& t) {
    std::vector<uint64_t> out;
    for (const auto& m : t.messages) out.push_back(m.seq);
    return out;
  }
  static std::vector<std::string> bodies(const std::vector<ReceivedMessage>& ms) {
    std::vector<std::string> out;
    for (const auto& m : ms) out.push_back(m.body);
    return out;
  }
  Status commit(Mutation m) {
    std::optional<Status> out;
    auto inner = std::move(m.done);
    m.done = [&, inner](Status st) {
      if (inner) inner(st);
      out = st;
    };
    committer_->submit(std::move(m));
    settle([&] { return out.has_value(); });
    return *out;
  }
  void send_fifo(const std::string& q, const std::string& body, const std::string& group) {
    NewMessage m;
    m.body = body;
    m.body_md5 = "md5";
    m.group_id = group;
    m.dedup_id = body;
    std::optional<Result<std::vector<Result<SentMessage>>>> out;
    store_->send(q, {std::move(m)}, [&](auto r) { out = std::move(r); });
    settle([&] { return out.has_value(); });
    ASSERT_TRUE(out->ok());
  }
};

TEST_F(QueueConsumersTest, WatchFiresWhenSentMessagesCanBeTaken) {
  int fired = 0;
  uint64_t id = store_->watch("q", [&] { ++fired; });  // before the queue exists
  create("q");
  EXPECT_EQ(fired, 0);
  send("q", {"a"});
  EXPECT_GE(fired, 1);
  EXPECT_EQ(take("q").messages.size(), 1u);
  store_->unwatch(id);
  fired = 0;
  send("q", {"b"});
  EXPECT_EQ(fired, 0) << "an unwatched hook is never called";
}

TEST_F(QueueConsumersTest, DelayedMessagesFireTheWatchWhenTheirDelayEnds) {
  create("q");
  int fired = 0;
  store_->watch("q", [&] { ++fired; });
  send("q", {"later"}, 5);
  EXPECT_EQ(fired, 0);
  EXPECT_TRUE(take("q").messages.empty());
  now_ms_ += 5000;
  run_due_timers();  // only the deadline the store asked the reactor for
  EXPECT_GE(fired, 1);
  EXPECT_EQ(bodies(take("q").messages), (std::vector<std::string>{"later"}));
}

TEST_F(QueueConsumersTest, TakenMessagesAreBusyUntilConsumedAndNothingIsWritten) {
  create("q");
  send("q", {"a", "b", "c"});
  auto t = take("q", 2);
  ASSERT_EQ(bodies(t.messages), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(t.messages[0].receive_count, 1u);
  EXPECT_EQ(t.messages[0].first_receive_ms, now_ms_);
  EXPECT_FALSE(t.messages[0].receipt_handle.empty());
  // Nobody else gets them, and they are not counted visible.
  EXPECT_EQ(bodies(receive("q")), (std::vector<std::string>{"c"}));
  EXPECT_EQ(counts("q").visible, 0u);
  EXPECT_EQ(counts("q").in_flight, 3u) << "taken messages are not visible, as received ones";
  // A crash now: they are simply there again, never received.
  reopen();
  auto again = receive("q", 10, 0);
  ASSERT_EQ(bodies(again), (std::vector<std::string>{"a", "b"}));  // c: in flight (received)
  for (const auto& m : again) EXPECT_EQ(m.receive_count, 1u) << m.body;
}

TEST_F(QueueConsumersTest, ConsumeJoinsOtherWritesInOneTransaction) {
  create("q");
  send("q", {"a", "b"});
  auto t = take("q");
  bool removed = false;
  Mutation m = store_->consume(t.queue_id, seqs(t), [&](Status st) { removed = st.ok(); });
  // Another store's write joined to the same commit.
  auto inner = std::move(m.apply);
  m.apply = [inner](WriteTxn& txn) {
    if (int rc = inner(txn)) return rc;
    return txn.put(txn.dbs().meta, "joined-marker", "1");
  };
  ASSERT_TRUE(commit(std::move(m)).ok());
  EXPECT_TRUE(removed);
  EXPECT_EQ(counts("q").visible + counts("q").in_flight, 0u);
  reopen();
  EXPECT_TRUE(receive("q").empty());
  ReadTxn r(*env_);
  ASSERT_EQ(r.begin(), 0);
  std::string_view v;
  EXPECT_EQ(r.get(r.dbs().meta, "joined-marker", &v), 0);
}

TEST_F(QueueConsumersTest, AFailedJoinedCommitRemovesNothing) {
  create("q");
  send("q", {"a"});
  auto t = take("q");
  std::optional<Status> seen;
  Mutation m = store_->consume(t.queue_id, seqs(t), [&](Status st) { seen = st; });
  auto inner = std::move(m.apply);
  m.apply = [inner](WriteTxn& txn) {
    if (int rc = inner(txn)) return rc;
    return MDB_BAD_VALSIZE;  // the other store's part fails: the whole transaction does
  };
  EXPECT_FALSE(commit(std::move(m)).ok());
  ASSERT_TRUE(seen.has_value());
  EXPECT_FALSE(seen->ok());
  // Back as it was: visible, never received.
  auto back = receive("q");
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].receive_count, 1u);
}

TEST_F(QueueConsumersTest, ReleaseUntriedMakesThemReadyAgainWithoutAReceive) {
  create("q");
  send("q", {"a"});
  int fired = 0;
  store_->watch("q", [&] { ++fired; });
  auto t = take("q");
  store_->release(t.queue_id, seqs(t), std::nullopt);
  EXPECT_GE(fired, 1);
  auto again = take("q");
  ASSERT_EQ(again.messages.size(), 1u);
  EXPECT_EQ(again.messages[0].receive_count, 1u);
}

TEST_F(QueueConsumersTest, ReleaseFailedCountsTheReceiveAndHoldsUntilTheTimeout) {
  create("q", {{"VisibilityTimeout", "30"}});
  send("q", {"a"});
  auto t = take("q");
  store_->release(t.queue_id, seqs(t), now_ms_ + 30'000);
  EXPECT_EQ(counts("q").in_flight, 1u);
  EXPECT_TRUE(take("q").messages.empty());
  // The receipt handle the take reported is the one of that counted receive.
  std::optional<Result<std::vector<Status>>> changed;
  store_->change_visibility("q", {{t.messages[0].receipt_handle, 0}},
                            [&](auto r) { changed = std::move(r); });
  settle([&] { return changed.has_value(); });
  ASSERT_TRUE(changed->ok());
  EXPECT_TRUE((*changed)->at(0).ok());
  auto again = take("q");
  ASSERT_EQ(again.messages.size(), 1u);
  EXPECT_EQ(again.messages[0].receive_count, 2u);
  // Written: a restart keeps the count.
  store_->release(again.queue_id, seqs(again), now_ms_);
  settle([&] { return true; });
  committer_->wait_and_run_completions(std::chrono::milliseconds(50));
  reopen();
  auto stored = receive("q");
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].receive_count, 3u);
}

TEST_F(QueueConsumersTest, FailedReleasesEndInTheDeadLetterQueue) {
  create("dlq");
  create(
      "src",
      {{"RedrivePolicy",
        R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":2})"}});
  send("src", {"poison"});
  for (int i = 0; i < 2; ++i) {
    auto t = take("src");
    ASSERT_EQ(t.messages.size(), 1u) << "attempt " << i + 1;
    EXPECT_EQ(t.messages[0].receive_count, static_cast<uint32_t>(i + 1));
    store_->release(t.queue_id, seqs(t), now_ms_);
  }
  committer_->wait_and_run_completions(std::chrono::milliseconds(50));
  // The third take would be one too many: the message moves instead.
  EXPECT_TRUE(take("src").messages.empty());
  settle([&] { return store_->stats().dead_lettered == 1; });
  EXPECT_EQ(bodies(receive("dlq")), (std::vector<std::string>{"poison"}));
}

TEST_F(QueueConsumersTest, FifoTakesOneGroupAtATimeInOrderAndHoldsIt) {
  create("q.fifo", {{"FifoQueue", "true"}});
  send_fifo("q.fifo", "a1", "a");
  send_fifo("q.fifo", "b1", "b");
  send_fifo("q.fifo", "a2", "a");
  send_fifo("q.fifo", "b2", "b");
  auto first = take("q.fifo", 10, true);
  EXPECT_EQ(bodies(first.messages), (std::vector<std::string>{"a1", "a2"}));
  auto second = take("q.fifo", 10, true);
  EXPECT_EQ(bodies(second.messages), (std::vector<std::string>{"b1", "b2"}));
  // Group a is held while taken: a new a-message waits behind it.
  send_fifo("q.fifo", "a3", "a");
  EXPECT_TRUE(take("q.fifo", 10, true).messages.empty());
  EXPECT_TRUE(receive("q.fifo").empty());
  ASSERT_TRUE(commit(store_->consume(first.queue_id, seqs(first), {})).ok());
  EXPECT_EQ(bodies(take("q.fifo", 10, true).messages), (std::vector<std::string>{"a3"}));
  // Without one_group a take crosses groups as a receive does.
  store_->release(second.queue_id, seqs(second), std::nullopt);
  send_fifo("q.fifo", "c1", "c");
  EXPECT_EQ(bodies(take("q.fifo", 10, false).messages),
            (std::vector<std::string>{"b1", "b2", "c1"}));
}

TEST_F(QueueConsumersTest, TakingFromAMissingQueueSaysSo) {
  QueueStore::TakeOptions o;
  auto t = store_->take("nope", o);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().code, ErrorCode::kQueueDoesNotExist);
}

}  // namespace
}  // namespace sluice::storage::testing
