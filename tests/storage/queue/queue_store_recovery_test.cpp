// What survives a restart: nothing a client was told is gone comes back, in-flight messages stay
// invisible until their stored deadline, and receipt handles are never reused across restarts.
// Races with purge are here too, because what they leave behind shows after a restart.
#include "storage/queue/queue_store.h"

#include "storage/queue/receipt_handle.h"
#include "tests/storage/storage_fixture.h"

namespace sluice::storage::testing {
namespace {

using RecoveryTest = StoreFixture;

std::vector<std::string> numbered(size_t n) {
  std::vector<std::string> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    out.emplace_back("m");  // (GCC 12 warns falsely on "m" + std::to_string(i))
    out.back() += std::to_string(i);
  }
  return out;
}

// A receive picked before a purge commits writes the message's state after the purge deleted it;
// the restart must not bring the message back as an (empty) ghost.
TEST_F(RecoveryTest, ReceiveRacingPurgeLeavesNothingBehind) {
  create("q");
  send("q", {"a", "b"});
  std::optional<Status> purged;
  store_->purge_queue("q", [&](Status s) { purged = std::move(s); });
  std::optional<Result<std::vector<ReceivedMessage>>> got;
  ReceiveOptions o;
  o.max_messages = 10;
  o.wait_seconds = 0;
  store_->receive("q", o, [&](auto r) { got = std::move(r); });
  settle([&] { return purged.has_value() && got.has_value(); });
  ASSERT_TRUE(purged->ok());
  reopen();
  EXPECT_EQ(counts("q").visible, 0u);
  EXPECT_EQ(counts("q").in_flight, 0u);
  now_ms_ += 31'000;
  EXPECT_EQ(counts("q").visible, 0u);
  EXPECT_TRUE(receive("q").empty());
}

TEST_F(RecoveryTest, VisibilityChangeRacingPurgeLeavesNothingBehind) {
  create("q");
  send("q", {"a"});
  auto got = receive("q");
  ASSERT_EQ(got.size(), 1u);
  std::optional<Status> purged;
  store_->purge_queue("q", [&](Status s) { purged = std::move(s); });
  std::optional<Result<std::vector<Status>>> changed;
  store_->change_visibility("q", {{got[0].receipt_handle, 100}},
                            [&](auto r) { changed = std::move(r); });
  settle([&] { return purged.has_value() && changed.has_value(); });
  ASSERT_TRUE(purged->ok());
  reopen();
  EXPECT_EQ(counts("q").in_flight, 0u);
  now_ms_ += 101'000;
  EXPECT_EQ(counts("q").visible, 0u);
}

// A purge of a big queue commits in chunks. A crash between two chunks may leave part of the queue
// (the purge was never acknowledged), but whatever is left must be whole: every message the
// queue counts can be received with its body.
TEST_F(RecoveryTest, CrashBetweenPurgeChunksLeavesOnlyWholeMessages) {
  create("q");
  const size_t n = 20'005;
  send("q", numbered(n));
  const uint64_t commits = committer_->commits();
  bool purged = false;
  store_->purge_queue("q", [&](Status) { purged = true; });
  // Wait for the first chunk to commit, but do not run its completion (which submits the next).
  for (int i = 0; i < 500 && committer_->commits() == commits; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_GT(committer_->commits(), commits);
  reopen();  // completions never run: as if the process died here
  EXPECT_FALSE(purged);
  const uint64_t left = counts("q").visible;
  auto got = receive("q", 10);
  EXPECT_EQ(got.size(), std::min<uint64_t>(left, 10));
  for (auto& m : got) EXPECT_EQ(m.body.substr(0, 1), "m");
}

TEST_F(RecoveryTest, PurgeOfManyChunksRemovesEverything) {
  create("q");
  send("q", numbered(45'000));
  std::optional<Status> purged;
  store_->purge_queue("q", [&](Status s) { purged = std::move(s); });
  settle([&] { return purged.has_value(); });
  ASSERT_TRUE(purged->ok());
  EXPECT_EQ(counts("q").visible, 0u);
  send("q", {"after"});
  reopen();
  EXPECT_EQ(counts("q").visible, 1u);
  auto got = receive("q");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].body, "after");
}

TEST_F(RecoveryTest, DeletedQueueOfManyChunksLeavesNoRowsAfterRestart) {
  create("q");
  send("q", numbered(25'000));
  std::optional<Status> deleted;
  store_->delete_queue("q", [&](Status s) { deleted = std::move(s); });
  settle([&] { return deleted.has_value(); });
  ASSERT_TRUE(deleted->ok());
  // Let any background chunks finish.
  for (int i = 0; i < 20; ++i) committer_->wait_and_run_completions(std::chrono::milliseconds(10));
  reopen();
  EXPECT_TRUE(store_->list_queues("").empty());
  for (int i = 0; i < 20; ++i) committer_->wait_and_run_completions(std::chrono::milliseconds(10));
  ReadTxn r(*env_);
  ASSERT_EQ(r.begin(), 0);
  MDB_stat st;
  ASSERT_EQ(mdb_stat(r.get(), env_->dbs().messages, &st), 0);
  EXPECT_EQ(st.ms_entries, 0u);
  ASSERT_EQ(mdb_stat(r.get(), env_->dbs().states, &st), 0);
  EXPECT_EQ(st.ms_entries, 0u);
}

// The send that crosses into a new block of sequence numbers records the block durably. If that
// write fails, a later send must not use the unrecorded block: after a restart the numbers would
// be handed out again, and a receipt handle from before the restart would delete a new message.
TEST_F(RecoveryTest, FailedReservationNeverLetsOldHandlesMatchNewMessages) {
  reopen(1ull << 20);
  create("q");
  send("q", {"first"});
  reopen(1ull << 20);  // the next send must reserve a fresh block
  fill_map_and_pin("q");
  {
    std::vector<NewMessage> msgs(1);
    msgs[0].body = "x";
    std::optional<Result<std::vector<Result<SentMessage>>>> out;
    store_->send("q", std::move(msgs), [&](auto r) { out = std::move(r); });
    settle([&] { return out.has_value(); });
    ASSERT_TRUE(out->ok());
    ASSERT_FALSE((*out)->at(0).ok());
  }
  unpin();
  send("q", {"y"});
  auto y = receive("q", 10);
  ASSERT_EQ(y.size(), 2u);  // "first" and "y"
  const std::string y_handle = y[1].receipt_handle;
  ASSERT_EQ(y[1].body, "y");
  remove("q", {y[0].receipt_handle, y_handle});
  reopen(1ull << 20);
  send("q", {"c", "d"});
  auto fresh = receive("q", 10);
  ASSERT_EQ(fresh.size(), 2u);
  EXPECT_NE(ReceiptHandle::decode(fresh[1].receipt_handle)->seq,
            ReceiptHandle::decode(y_handle)->seq);
  // The old handle of "y" must not delete anything.
  EXPECT_TRUE(remove("q", {y_handle})[0].ok());
  EXPECT_EQ(counts("q").in_flight, 2u);
}

TEST_F(RecoveryTest, DelayedMessagesStayDelayedAfterRestart) {
  create("q");
  send("q", {"later"}, 60);
  reopen();
  EXPECT_EQ(counts("q").delayed, 1u);
  EXPECT_TRUE(receive("q").empty());
  now_ms_ += 60'000;
  EXPECT_EQ(receive("q").size(), 1u);
}

TEST_F(RecoveryTest, AcknowledgedDeleteStaysDeletedAndCountsMatch) {
  create("q");
  send("q", numbered(5));
  auto got = receive("q", 2);
  ASSERT_EQ(got.size(), 2u);
  remove("q", {got[0].receipt_handle});
  reopen();
  EXPECT_EQ(counts("q").visible, 3u);
  EXPECT_EQ(counts("q").in_flight, 1u);
  now_ms_ += 30'000;
  auto rest = receive("q", 10);
  EXPECT_EQ(rest.size(), 4u);
  for (auto& m : rest) EXPECT_NE(m.body, got[0].body);
}

TEST_F(RecoveryTest, QueueAttributesAndTagsSurviveRestart) {
  create("q", {{"VisibilityTimeout", "77"}, {"DelaySeconds", "3"}});
  std::optional<Status> tagged;
  store_->tag_queue("q", {{"team", "a"}}, [&](Status s) { tagged = std::move(s); });
  settle([&] { return tagged.has_value(); });
  reopen();
  auto v = store_->get_queue("q");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->attributes.visibility_timeout, 77u);
  EXPECT_EQ(v->attributes.delay_seconds, 3u);
  EXPECT_EQ(v->tags.at("team"), "a");
}

}  // namespace
}  // namespace sluice::storage::testing
