// Long polls as the reactor drives them: one timer armed at next_deadline_ms(), advance() only when
// it fires. A sleeping receive must be answered as soon as a message it can take is visible.
#include "storage/queue/queue_store.h"

#include "tests/storage/storage_fixture.h"

namespace sluice::storage::testing {
namespace {

using LongPollTest = StoreFixture;

TEST_F(LongPollTest, DelayEndingIsNoticedEvenAfterCountsWereRead) {
  create("q");
  run_due_timers();
  auto poll = long_poll("q", 20);
  send("q", {"later"}, 5);
  run_due_timers();
  EXPECT_FALSE(poll->out.has_value());
  now_ms_ += 5000;
  // GetQueueAttributes (or a /metrics scrape) reads the counts first.
  auto c = counts("q");
  EXPECT_EQ(c.visible + c.in_flight, 1u);
  EXPECT_EQ(c.delayed, 0u);
  run_due_timers();
  settle([&] { return poll->out.has_value(); });
  ASSERT_TRUE(poll->out.has_value());
  ASSERT_TRUE(poll->out->ok());
  ASSERT_EQ(poll->out->value().size(), 1u);
  EXPECT_EQ(poll->out->value()[0].body, "later");
}

TEST_F(LongPollTest, DelayEndingIsNoticedEvenAfterAMetricsScrape) {
  create("q");
  run_due_timers();
  auto poll = long_poll("q", 20);
  send("q", {"later"}, 5);
  run_due_timers();
  now_ms_ += 5000;
  store_->for_each_queue([](const std::string&, const QueueCounts&) {});
  run_due_timers();
  settle([&] { return poll->out.has_value(); });
  ASSERT_TRUE(poll->out.has_value());
  ASSERT_TRUE(poll->out->ok());
  EXPECT_EQ(poll->out->value().size(), 1u);
}

TEST_F(LongPollTest, SleepingReceiveIsServedBeforeALaterShortReceive) {
  create("q");
  run_due_timers();
  auto poll = long_poll("q", 20, 1);
  send("q", {"a", "b"}, 5);
  run_due_timers();
  now_ms_ += 5000;
  // A short receive arrives just as both become visible: the sleeper, first in line, gets one.
  auto got = receive("q", 1);
  EXPECT_EQ(got.size(), 1u);
  run_due_timers();
  settle([&] { return poll->out.has_value(); });
  ASSERT_TRUE(poll->out.has_value());
  ASSERT_TRUE(poll->out->ok());
  EXPECT_EQ(poll->out->value().size(), 1u);
}

TEST_F(LongPollTest, VisibilityTimeoutEndingWakesSleepingReceive) {
  create("q", {{"VisibilityTimeout", "5"}});
  send("q", {"a"});
  ASSERT_EQ(receive("q").size(), 1u);
  auto poll = long_poll("q", 20);
  now_ms_ += 4999;
  run_due_timers();
  EXPECT_FALSE(poll->out.has_value());
  now_ms_ += 1;
  run_due_timers();
  settle([&] { return poll->out.has_value(); });
  ASSERT_TRUE(poll->out.has_value());
  ASSERT_TRUE(poll->out->ok());
  ASSERT_EQ(poll->out->value().size(), 1u);
  EXPECT_EQ(poll->out->value()[0].receive_count, 2u);
}

TEST_F(LongPollTest, AnsweredWaiterLeavesNoTimerBehind) {
  create("q");
  run_due_timers();
  auto poll = long_poll("q", 20);
  send("q", {"a"});
  settle([&] { return poll->out.has_value(); });
  // Only the retention sweep (4 days away) is left to wake up for.
  auto next = store_->next_deadline_ms();
  ASSERT_TRUE(next.has_value());
  EXPECT_GT(*next, now_ms_ + 20'000);
}

TEST_F(LongPollTest, WaiterTimesOutEmptyAndOnlyOnce) {
  create("q");
  int answers = 0;
  ReceiveOptions o;
  o.wait_seconds = 3;
  store_->receive("q", o, [&](Result<std::vector<ReceivedMessage>> r) {
    ++answers;
    EXPECT_TRUE(r.ok());
    EXPECT_TRUE(r->empty());
  });
  now_ms_ += 2999;
  run_due_timers();
  EXPECT_EQ(answers, 0);
  now_ms_ += 1;
  run_due_timers();
  EXPECT_EQ(answers, 1);
  send("q", {"a"});
  now_ms_ += 60'000;
  run_due_timers();
  EXPECT_EQ(answers, 1);
  EXPECT_EQ(counts("q").visible, 1u);
}

TEST_F(LongPollTest, ReceiverThatWentAwayLeavesTheMessageForTheNext) {
  create("q");
  ReceiveOptions gone;
  gone.wait_seconds = 20;
  gone.still_wanted = [] { return false; };
  bool gone_answered = false;
  store_->receive("q", gone, [&](auto) { gone_answered = true; });
  auto poll = long_poll("q", 20);
  send("q", {"a"});
  settle([&] { return poll->out.has_value(); });
  EXPECT_FALSE(gone_answered);
  ASSERT_EQ(poll->out->value().size(), 1u);
}

TEST_F(LongPollTest, DeletingTheQueueAnswersSleepingReceivesOnce) {
  create("q");
  int answers = 0;
  ReceiveOptions o;
  o.wait_seconds = 20;
  store_->receive("q", o, [&](Result<std::vector<ReceivedMessage>> r) {
    ++answers;
    EXPECT_TRUE(r.ok() && r->empty());
  });
  std::optional<Status> deleted;
  store_->delete_queue("q", [&](Status s) { deleted = std::move(s); });
  settle([&] { return deleted.has_value(); });
  EXPECT_EQ(answers, 1);
  now_ms_ += 21'000;
  run_due_timers();
  EXPECT_EQ(answers, 1);
}

TEST_F(LongPollTest, ReleaseWaitersAnswersEveryoneEmpty) {
  create("a");
  create("b");
  auto pa = long_poll("a", 20);
  auto pb = long_poll("b", 20);
  store_->release_waiters();
  ASSERT_TRUE(pa->out.has_value() && pb->out.has_value());
  EXPECT_TRUE(pa->out->value().empty());
  EXPECT_TRUE(pb->out->value().empty());
  // A send afterwards stays in the queue.
  send("a", {"x"});
  EXPECT_EQ(counts("a").visible, 1u);
}

// A delete that fails to commit puts the message back; if its visibility ended meanwhile, a
// sleeping receive must get it at once.
TEST_F(LongPollTest, FailedDeleteThatMakesAMessageVisibleWakesWaiter) {
  reopen(1ull << 20);
  create("q", {{"VisibilityTimeout", "1"}});
  send("q", {"a"});
  auto got = receive("q");
  ASSERT_EQ(got.size(), 1u);
  run_due_timers();
  auto poll = long_poll("q", 20);
  fill_map_and_pin("q");
  std::optional<Result<std::vector<Status>>> out;
  const uint64_t commits = committer_->commits();
  store_->delete_messages("q", {got[0].receipt_handle}, [&](auto r) { out = std::move(r); });
  now_ms_ += 1000;  // the visibility timeout ends while the delete commits
  run_due_timers();
  // Let the delete fail, then make room before its completion runs, so the waiter can be served.
  for (int i = 0; i < 500 && committer_->commits() == commits; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  unpin();
  settle([&] { return out.has_value(); });
  ASSERT_FALSE(out->ok());
  EXPECT_EQ(out->error().code, ErrorCode::kStorageFull);
  run_due_timers();
  settle([&] { return poll->out.has_value(); });
  ASSERT_TRUE(poll->out.has_value());
  ASSERT_TRUE(poll->out->ok());
  EXPECT_EQ(poll->out->value().size(), 1u);
}

// An answer handed out by release_waiters() may start a new long poll at once; that one must
// still be answered (at its own timeout), not dropped with the old ones.
TEST_F(LongPollTest, ReceiveStartedWhileReleasingWaitersIsNotLost) {
  create("q");
  run_due_timers();
  std::shared_ptr<Poll> second;
  ReceiveOptions o;
  o.wait_seconds = 20;
  store_->receive("q", o, [&](auto) { second = long_poll("q", 5); });
  store_->release_waiters();
  ASSERT_TRUE(second != nullptr);
  EXPECT_FALSE(second->out.has_value());
  now_ms_ += 5000;
  run_due_timers();
  ASSERT_TRUE(second->out.has_value());
  EXPECT_TRUE(second->out->ok());
}

}  // namespace
}  // namespace sluice::storage::testing
