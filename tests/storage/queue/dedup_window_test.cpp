// DedupWindow: scope keys, the window's edges, claims of sends still committing, and the sweep
// that removes records after their five minutes (and only those).
#include "storage/queue/dedup_window.h"

#include "tests/storage/storage_fixture.h"

namespace sluice::storage::testing {
namespace {

// prefix + number (GCC 12 warns falsely on "literal" + std::to_string(n)).
std::string named(std::string prefix, uint64_t n) {
  prefix += std::to_string(n);
  return prefix;
}

class DedupWindowTest : public StoreFixture {
 protected:
  Status write(std::function<int(WriteTxn&)> apply) {
    std::optional<Status> out;
    Mutation m;
    m.apply = std::move(apply);
    m.done = [&](Status s) { out = std::move(s); };
    committer_->submit(std::move(m));
    settle([&] { return out.has_value(); });
    return std::move(*out);
  }
  std::optional<DedupWindow::Original> find(const std::string& key, int64_t now_ms) {
    ReadTxn r(*env_);
    EXPECT_EQ(r.begin(), 0);
    return window_.find(r, key, now_ms);
  }
  size_t records() {
    ReadTxn r(*env_);
    EXPECT_EQ(r.begin(), 0);
    MDB_stat st;
    mdb_stat(r.get(), env_->dbs().dedup, &st);
    return st.ms_entries;
  }
  DedupWindow window_;
};

TEST_F(DedupWindowTest, ScopesAndQueuesDoNotShareKeys) {
  EXPECT_NE(DedupWindow::key(1, "", "d"), DedupWindow::key(2, "", "d"));
  EXPECT_NE(DedupWindow::key(1, "", "d"), DedupWindow::key(1, "g", "d"));
  EXPECT_NE(DedupWindow::key(1, "g1", "d"), DedupWindow::key(1, "g2", "d"));
  // A group name cannot run into the id: the group is length-prefixed.
  EXPECT_NE(DedupWindow::key(1, "ab", "c"), DedupWindow::key(1, "a", "bc"));
  EXPECT_NE(static_cast<unsigned char>(DedupWindow::key(1, "", "d")[0]), 0xFFu);
}

TEST_F(DedupWindowTest, RecordHoldsForFiveMinutesFromTheFirstSend) {
  const std::string key = DedupWindow::key(1, "", "d");
  const int64_t t0 = now_ms_;
  ASSERT_TRUE(write([&](WriteTxn& t) {
                return DedupWindow::put(t, key, "msg-1", 7, t0 + DedupWindow::kWindowMs);
              }).ok());
  auto hit = find(key, t0 + DedupWindow::kWindowMs - 1);
  ASSERT_TRUE(hit.has_value());
  EXPECT_EQ(hit->message_id, "msg-1");
  EXPECT_EQ(hit->seq, 7u);
  EXPECT_EQ(hit->outcome, nullptr);  // committed: nothing to wait for
  EXPECT_FALSE(find(key, t0 + DedupWindow::kWindowMs).has_value());
  EXPECT_FALSE(find(DedupWindow::key(1, "", "other"), t0).has_value());
}

TEST_F(DedupWindowTest, ClaimsAnswerUntilReleased) {
  const std::string key = DedupWindow::key(3, "g", "d");
  auto outcome = window_.claim(key, "msg-2", 9);
  auto hit = find(key, now_ms_);
  ASSERT_TRUE(hit.has_value());
  EXPECT_EQ(hit->message_id, "msg-2");
  ASSERT_NE(hit->outcome, nullptr);
  EXPECT_EQ(*hit->outcome, DedupWindow::Outcome::kCommitting);
  window_.release(key, outcome, false);
  EXPECT_EQ(*hit->outcome, DedupWindow::Outcome::kFailed);  // the duplicate learns it failed
  EXPECT_FALSE(find(key, now_ms_).has_value());
  EXPECT_EQ(window_.claims(), 0u);
}

TEST_F(DedupWindowTest, SweepRemovesOnlyExpiredRecordsAndReportsTheNext) {
  const int64_t t0 = now_ms_;
  ASSERT_TRUE(write([&](WriteTxn& t) {
                for (int i = 0; i < 5; ++i) {
                  const std::string key = DedupWindow::key(1, "", named("d", i));
                  if (int rc = DedupWindow::put(t, key, "m", i, t0 + 1000 * i)) return rc;
                }
                return 0;
              }).ok());
  EXPECT_EQ(records(), 10u);  // a record and an expiry entry each
  {
    ReadTxn r(*env_);
    ASSERT_EQ(r.begin(), 0);
    EXPECT_EQ(DedupWindow::earliest_expiry(r), t0);
  }
  std::optional<int64_t> next;
  ASSERT_TRUE(write([&](WriteTxn& t) { return DedupWindow::sweep(t, t0 + 2000, 100, next); }).ok());
  EXPECT_EQ(next, t0 + 3000);
  EXPECT_EQ(records(), 4u);
  EXPECT_TRUE(find(DedupWindow::key(1, "", "d3"), t0).has_value());
  EXPECT_FALSE(find(DedupWindow::key(1, "", "d2"), t0).has_value());
  // A chunk limit stops early and says where to go on.
  ASSERT_TRUE(write([&](WriteTxn& t) { return DedupWindow::sweep(t, t0 + 9000, 1, next); }).ok());
  EXPECT_EQ(next, t0 + 4000);
  ASSERT_TRUE(write([&](WriteTxn& t) { return DedupWindow::sweep(t, t0 + 9000, 100, next); }).ok());
  EXPECT_FALSE(next.has_value());
  EXPECT_EQ(records(), 0u);
}

TEST_F(DedupWindowTest, ReusedIdAfterItsWindowSurvivesTheOldSweepEntry) {
  const std::string key = DedupWindow::key(1, "", "d");
  const int64_t t0 = now_ms_;
  ASSERT_TRUE(write([&](WriteTxn& t) { return DedupWindow::put(t, key, "old", 1, t0); }).ok());
  // Sent again after the window (the record is stale but not yet swept).
  ASSERT_TRUE(write([&](WriteTxn& t) {
                return DedupWindow::put(t, key, "new", 2, t0 + DedupWindow::kWindowMs);
              }).ok());
  EXPECT_EQ(records(), 2u);  // the old expiry entry went with the old record
  std::optional<int64_t> next;
  ASSERT_TRUE(write([&](WriteTxn& t) { return DedupWindow::sweep(t, t0 + 1, 100, next); }).ok());
  auto hit = find(key, t0 + 1);
  ASSERT_TRUE(hit.has_value());
  EXPECT_EQ(hit->message_id, "new");
}

}  // namespace
}  // namespace sluice::storage::testing
