// The cold scan with its pages read ahead by other threads hands out exactly the rows of a plain
// scan, in the same order, whatever the number of threads: over several standard and FIFO queues
// many prefetch chunks long, with delayed, in-flight and deleted messages, in a read transaction
// (a start) and in the write transaction of the index snapshot (a clean shutdown).
#include "storage/queue/states_prefetch.h"

#include "storage/queue/index_snapshot.h"
#include "tests/storage/queue/owned_state_row.h"
#include "tests/storage/storage_fixture.h"

namespace sluice::storage::testing {
namespace {

class StatesPrefetchTest : public StoreFixture {
 protected:
  // Sends `n` messages to `q` in batches of 10, many batches in flight at once (so they share
  // commits). FIFO queues: `groups` groups, each message its own deduplication id; standard
  // queues: every 50th batch delayed.
  void send_many(const std::string& q, int n, int groups = 0) {
    size_t pending = 0;
    bool ok = true;
    for (int sent = 0; sent < n;) {
      std::vector<NewMessage> batch;
      for (int k = 0; k < 10 && sent < n; ++k, ++sent) {
        NewMessage m;
        m.body = q + "-" + std::to_string(sent);
        m.body_md5 = "md5";
        if (groups) {
          m.group_id = "g" + std::to_string(sent % groups);
          m.dedup_id = m.body;
        } else if (sent % 500 == 0) {
          m.delay_seconds = 600;
        }
        batch.push_back(std::move(m));
      }
      ++pending;
      store_->send(q, std::move(batch), [&](auto r) {
        --pending;
        ok = ok && r.ok();
      });
      if (pending >= 200) settle([&] { return pending < 50; });
    }
    settle([&] { return pending == 0; });
    EXPECT_TRUE(ok);
  }

  // Two standard queues, one of them over several prefetch chunks (8,192 sequence numbers each)
  // with its first messages deleted, two FIFO queues with groups, an empty queue; messages in
  // flight in each.
  void fill() {
    reopen(512ull << 20);
    create("big");
    create("small");
    create("empty");
    create("groups.fifo", {{"FifoQueue", "true"}});
    create("few.fifo", {{"FifoQueue", "true"}});
    send_many("big", 30'000);
    send_many("groups.fifo", 12'000, 40);
    send_many("small", 300);
    send_many("few.fifo", 50, 3);
    std::vector<std::string> gone;
    for (int i = 0; i < 20; ++i) {
      for (auto& m : receive("big", 10, 300)) gone.push_back(m.receipt_handle);
    }
    for (size_t i = 0; i < gone.size(); i += 10) {
      std::vector<std::string> part(gone.begin() + i, gone.begin() + std::min(gone.size(), i + 10));
      for (auto& st : remove("big", part)) EXPECT_TRUE(st.ok());
    }
    EXPECT_EQ(receive("big", 10, 300).size(), 10u);
    EXPECT_EQ(receive("small", 5, 300).size(), 5u);
    EXPECT_EQ(receive("groups.fifo", 10, 300).size(), 10u);
    EXPECT_EQ(receive("few.fifo", 2, 300).size(), 2u);
    now_ms_ += 1000;
  }

  uint64_t held() {
    uint64_t n = 0;
    for (const char* q : {"big", "small", "empty", "groups.fifo", "few.fifo"}) {
      auto c = counts(q);
      n += c.visible + c.in_flight + c.delayed;
    }
    return n;
  }

  std::vector<Row> scanned(unsigned threads) {
    ReadTxn txn(*env_);
    EXPECT_EQ(txn.begin(), 0);
    std::vector<Row> rows;
    EXPECT_TRUE(
        scan_state_rows(
            txn.get(), env_->dbs(), [&](const StateRow& r) { rows.push_back(owned(r)); }, threads)
            .ok());
    return rows;
  }
};

TEST_F(StatesPrefetchTest, PrefetchedScanHandsOutThePlainScansRowsInOrder) {
  fill();
  const std::vector<Row> plain = scanned(0);
  ASSERT_EQ(plain.size(), held());
  EXPECT_GT(plain.size(), 42'000u);
  for (unsigned threads : {1u, 2u, 4u, 16u, 64u}) {
    EXPECT_EQ(scanned(threads), plain) << threads << " threads";
  }
}

TEST_F(StatesPrefetchTest, SnapshotWrittenWithPrefetchHoldsThePlainScansRows) {
  fill();
  const std::vector<Row> plain = scanned(0);
  committer_->stop();
  committer_->run_completions();
  // The snapshot's own scan runs inside its write transaction, its prefetch threads in read
  // transactions beside it.
  auto saved = store_->write_index_snapshot();
  ASSERT_TRUE(saved.ok()) << saved.error().message;
  EXPECT_EQ(*saved, plain.size());
  ReadTxn txn(*env_);
  ASSERT_EQ(txn.begin(), 0);
  std::vector<Row> rows;
  EXPECT_EQ(read_index_snapshot(txn.get(), env_->dbs().meta, index_snapshot_path(dir_),
                                [&](const StateRow& r) { rows.push_back(owned(r)); }),
            SnapshotUse::kUsed);
  EXPECT_EQ(rows, plain);
}

TEST_F(StatesPrefetchTest, RestartWithPrefetchIndexesEveryMessage) {
  fill();
  const uint64_t before = held();
  reopen(512ull << 20);  // recover(): no snapshot, the cold scan with the default threads
  EXPECT_EQ(store_->recovered_from(), SnapshotUse::kMissing);
  EXPECT_EQ(held(), before);
  EXPECT_EQ(counts("groups.fifo").in_flight, 10u);
  EXPECT_EQ(counts("big").in_flight, 10u);
}

TEST_F(StatesPrefetchTest, ThreadsOnlyWhenThereIsSomethingToRead) {
  ReadTxn txn(*env_);
  ASSERT_EQ(txn.begin(), 0);
  EXPECT_EQ(StatesPrefetch(txn.get(), env_->dbs(), 8).threads(), 0u);  // no queues
  txn.reset();
  create("one");
  send("one", {"a"});
  ASSERT_EQ(txn.begin(), 0);
  EXPECT_EQ(StatesPrefetch(txn.get(), env_->dbs(), 0).threads(), 0u);
  EXPECT_EQ(StatesPrefetch(txn.get(), env_->dbs(), 8).threads(), 8u);
}

}  // namespace
}  // namespace sluice::storage::testing
