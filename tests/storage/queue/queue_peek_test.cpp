// QueueStore::peek: listing a queue's messages changes nothing about them; and purging with the
// interval waived (the admin API's queue reset).
#include "storage/queue/queue_store.h"

#include "tests/storage/storage_fixture.h"

namespace sluice::storage::testing {
namespace {

using QueuePeekTest = StoreFixture;

TEST_F(QueuePeekTest, ListsMessagesWithTheirStatesAndChangesNothing) {
  create("q", {{"VisibilityTimeout", "30"}});
  auto sent = send("q", {"a", "b"});
  send("q", {"later"}, 10);
  auto got = receive("q", 1);
  ASSERT_EQ(got.size(), 1u);

  for (int i = 0; i < 2; ++i) {
    auto page = store_->peek("q", 0, 10);
    ASSERT_TRUE(page);
    ASSERT_EQ(page->messages.size(), 3u);
    EXPECT_FALSE(page->next_after);
    const PeekedMessage& a = page->messages[0];
    EXPECT_EQ(a.record.message_id, sent[0]->message_id);
    EXPECT_EQ(a.record.body, "a");
    EXPECT_EQ(a.state, PeekedState::kInFlight);
    EXPECT_EQ(a.receive_count, 1u);
    EXPECT_EQ(a.first_receive_ms, now_ms_);
    EXPECT_EQ(page->messages[1].state, PeekedState::kVisible);
    EXPECT_EQ(page->messages[1].receive_count, 0u);
    EXPECT_EQ(page->messages[2].state, PeekedState::kDelayed);
  }
  EXPECT_EQ(counts("q").in_flight, 1u);
  EXPECT_EQ(counts("q").visible, 1u);
  EXPECT_EQ(counts("q").delayed, 1u);
  auto next = receive("q", 10);
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].body, "b");
  EXPECT_EQ(next[0].receive_count, 1u);
}

TEST_F(QueuePeekTest, AMessageWhoseTimeoutPassedIsVisibleBeforeTheTimerMovesIt) {
  create("q", {{"VisibilityTimeout", "5"}});
  send("q", {"a"});
  receive("q");
  now_ms_ += 5000;  // the clock moves; advance() has not run
  auto page = store_->peek("q", 0, 10);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->messages.size(), 1u);
  EXPECT_EQ(page->messages[0].state, PeekedState::kVisible);
}

TEST_F(QueuePeekTest, PagesFollowEachOther) {
  create("q");
  send("q", {"1", "2", "3", "4", "5"});
  std::vector<std::string> seen;
  uint64_t after = 0;
  int pages = 0;
  while (true) {
    auto page = store_->peek("q", after, 2);
    ASSERT_TRUE(page);
    ++pages;
    for (const auto& m : page->messages) seen.push_back(m.record.body);
    if (!page->next_after) break;
    after = *page->next_after;
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, (std::vector<std::string>{"1", "2", "3", "4", "5"}));
}

TEST_F(QueuePeekTest, UnknownQueueIsAnError) {
  auto page = store_->peek("nope", 0, 10);
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().code, ErrorCode::kQueueDoesNotExist);
}

TEST_F(QueuePeekTest, AWaivedPurgeIntervalPurgesAgainAtOnce) {
  create("q");
  for (int round = 0; round < 2; ++round) {
    send("q", {"a", "b"});
    std::optional<Status> out;
    store_->purge_queue(
        "q", [&](Status s) { out = std::move(s); }, PurgeInterval::kWaived);
    settle([&] { return out.has_value(); });
    ASSERT_TRUE(out->ok()) << round;
    EXPECT_EQ(counts("q").visible, 0u);
    EXPECT_TRUE(store_->peek("q", 0, 10)->messages.empty());
  }
  reopen();
  EXPECT_EQ(counts("q").visible, 0u);
}

}  // namespace
}  // namespace sluice::storage::testing
