// The index snapshot: used only when it describes exactly the LMDB state a start reads, and then
// the indexes it builds behave as the cold scan's do (standard queues with delayed and in-flight
// messages, FIFO groups with a member in flight, the deduplication window).
#include "storage/queue/index_snapshot.h"

#include <filesystem>
#include <fstream>

#include "tests/storage/queue/owned_state_row.h"
#include "tests/storage/storage_fixture.h"

namespace sluice::storage::testing {
namespace {

namespace fs = std::filesystem;

class IndexSnapshotTest : public StoreFixture {
 protected:
  std::string snapshot() const { return index_snapshot_path(dir_); }

  // What a clean shutdown does: the committer stops, then the snapshot is the last commit.
  void clean_shutdown() {
    committer_->stop();
    committer_->run_completions();
    auto saved = store_->write_index_snapshot();
    ASSERT_TRUE(saved.ok()) << saved.error().message;
    close();
  }

  // FIFO messages of one group, each deduplicated by "dedup-" + its body.
  std::vector<Result<SentMessage>> send_fifo(const std::string& q,
                                             const std::vector<std::string>& bodies,
                                             const std::string& group) {
    std::vector<NewMessage> msgs(bodies.size());
    for (size_t i = 0; i < bodies.size(); ++i) {
      msgs[i].body = bodies[i];
      msgs[i].body_md5 = "md5-of-" + bodies[i];
      msgs[i].group_id = group;
      msgs[i].dedup_id = "dedup-" + bodies[i];
    }
    auto sent = send_messages(q, std::move(msgs));
    for (auto& r : sent) EXPECT_TRUE(r.ok());
    return sent;
  }

  // Standard queue: ready, delayed and in-flight messages, one deleted. FIFO queue: two groups,
  // one blocked by a message in flight; a deduplication record.
  void fill() {
    create("std");
    create("q.fifo", {{"FifoQueue", "true"}});
    send("std", {"s1", "s2", "s3", "s4"});
    send("std", {"late"}, 600);
    auto got = receive("std", 2, 300);
    ASSERT_EQ(got.size(), 2u);
    ASSERT_TRUE(remove("std", {got[1].receipt_handle})[0].ok());
    send_fifo("q.fifo", {"a1", "a2", "a3"}, "ga");
    send_fifo("q.fifo", {"b1", "b2"}, "gb");
    auto f = receive("q.fifo", 1, 300);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].body, "a1");
    now_ms_ += 1000;
  }

  std::vector<Row> scanned() {
    ReadTxn txn(*env_);
    EXPECT_EQ(txn.begin(), 0);
    std::vector<Row> rows;
    EXPECT_TRUE(scan_state_rows(txn.get(), env_->dbs(), [&](const StateRow& r) {
                  rows.push_back(owned(r));
                }).ok());
    return rows;
  }
  SnapshotUse read_snapshot(std::vector<Row>* rows) {
    ReadTxn txn(*env_);
    EXPECT_EQ(txn.begin(), 0);
    return read_index_snapshot(txn.get(), env_->dbs().meta, snapshot(),
                               [&](const StateRow& r) { rows->push_back(owned(r)); });
  }

  // Everything a client could observe of the two queues, receiving (and so changing) them.
  std::vector<std::string> observe() {
    std::vector<std::string> seen;
    for (const char* q : {"std", "q.fifo"}) {
      auto c = counts(q);
      seen.push_back(std::string(q) + " " + std::to_string(c.visible) + "/" +
                     std::to_string(c.in_flight) + "/" + std::to_string(c.delayed));
    }
    // The deduplication window outlived the restart (before time moves past it): a resend is the
    // original.
    auto again = send_fifo("q.fifo", {"b2"}, "gb");
    seen.push_back(again.size() == 1 && again[0].ok() && again[0]->duplicate ? "dup" : "new");
    for (int64_t step : {0, 301'000, 300'000}) {
      now_ms_ += step;
      for (const char* q : {"std", "q.fifo"}) {
        for (auto& m : receive(q, 10, 1)) {
          seen.push_back(m.body + "#" + std::to_string(m.receive_count));
        }
      }
    }
    return seen;
  }

  // Copies the data dir (LMDB files and snapshot) aside, for a second start from the same state.
  std::string copy_dir() {
    std::string other = dir_ + "-copy";
    fs::remove_all(other);
    fs::copy(dir_, other);
    return other;
  }
};

TEST_F(IndexSnapshotTest, MissingSnapshotScans) {
  fill();
  reopen();
  EXPECT_EQ(store_->recovered_from(), SnapshotUse::kMissing);
  EXPECT_EQ(counts("std").visible, 2u);
  EXPECT_EQ(counts("std").in_flight, 1u);
  EXPECT_EQ(counts("std").delayed, 1u);
}

TEST_F(IndexSnapshotTest, SnapshotHoldsExactlyTheScannedRows) {
  fill();
  clean_shutdown();
  open();  // consumes the snapshot: save another one to compare against a scan
  EXPECT_EQ(store_->recovered_from(), SnapshotUse::kUsed);
  committer_->stop();
  ASSERT_TRUE(store_->write_index_snapshot().ok());
  std::vector<Row> from_file;
  ASSERT_EQ(read_snapshot(&from_file), SnapshotUse::kUsed);
  const auto from_scan = scanned();
  EXPECT_EQ(from_file, from_scan);
  EXPECT_EQ(from_scan.size(), 9u);  // standard: 5 sent, 1 deleted; FIFO: 5
}

TEST_F(IndexSnapshotTest, RestartFromSnapshotBehavesAsColdScan) {
  fill();
  clean_shutdown();
  const std::string with_snapshot = copy_dir();
  fs::remove(snapshot());
  open();
  ASSERT_EQ(store_->recovered_from(), SnapshotUse::kMissing);
  const int64_t start = now_ms_;
  const auto cold = observe();
  close();
  fs::remove_all(dir_);
  fs::rename(with_snapshot, dir_);
  now_ms_ = start;
  open();
  ASSERT_EQ(store_->recovered_from(), SnapshotUse::kUsed);
  EXPECT_FALSE(fs::exists(snapshot()));  // read once
  EXPECT_EQ(observe(), cold);
  EXPECT_EQ(cold.front(), "std 2/1/1");
  EXPECT_EQ(cold[2], "dup");
}

// A snapshot followed by more commits (a start that used it, then sends and a receive, then a
// crash) describes an older state: the next start scans, and sees everything.
TEST_F(IndexSnapshotTest, WritesAfterTheSnapshotMakeItStale) {
  fill();
  clean_shutdown();
  const std::string saved = dir_ + "-saved.snapshot";
  fs::copy_file(snapshot(), saved);
  open();
  ASSERT_EQ(store_->recovered_from(), SnapshotUse::kUsed);
  send("std", {"after1", "after2"});
  receive("std", 1, 300);
  close();  // kill -9: no snapshot written
  fs::rename(saved, snapshot());
  open();
  EXPECT_EQ(store_->recovered_from(), SnapshotUse::kStale);
  EXPECT_EQ(counts("std").visible + counts("std").in_flight + counts("std").delayed, 6u);
  EXPECT_EQ(counts("std").in_flight, 2u);
}

// The same LMDB transaction id in another environment (here: a fresh one that made as many
// commits) does not pass for the snapshot's state: the marker in meta differs.
TEST_F(IndexSnapshotTest, SnapshotOfAnotherEnvironmentIsStale) {
  create("std");
  send("std", {"x"});
  clean_shutdown();
  const std::string saved = dir_ + "-saved.snapshot";
  fs::rename(snapshot(), saved);
  fs::remove(dir_ + "/data.mdb");
  fs::remove(dir_ + "/lock.mdb");
  open();
  create("std");
  send("std", {"y", "z"});
  committer_->stop();
  // One commit more, as the snapshot's own was.
  {
    WriteTxn t(*env_);
    ASSERT_EQ(t.begin(), 0);
    ASSERT_EQ(t.put(env_->dbs().meta, "index_snapshot", "0123456789abcdef"), 0);
    ASSERT_EQ(t.commit(), 0);
  }
  // Same transaction id as the snapshot's (bytes 12..19 of its header): only the marker differs.
  std::ifstream in(saved, std::ios::binary);
  char id[8];
  in.seekg(12);
  in.read(id, 8);
  uint64_t snapshot_txn = 0;
  for (char c : id) snapshot_txn = (snapshot_txn << 8) | static_cast<uint8_t>(c);
  EXPECT_EQ(snapshot_txn, env_->last_txn_id());
  close();
  fs::rename(saved, snapshot());
  open();
  EXPECT_EQ(store_->recovered_from(), SnapshotUse::kStale);
  EXPECT_EQ(counts("std").visible, 2u);
}

TEST_F(IndexSnapshotTest, TornOrDamagedSnapshotIsNotUsed) {
  fill();
  clean_shutdown();
  const std::string good = dir_ + "-good.snapshot";
  fs::copy_file(snapshot(), good);
  const auto size = fs::file_size(good);
  const std::vector<std::function<void()>> damages = {
      [&] { fs::resize_file(snapshot(), size - 1); },  // torn at the end
      [&] { fs::resize_file(snapshot(), 30); },        // torn in the header
      [&] { fs::resize_file(snapshot(), 0); },
      [&] {  // a payload byte flipped
        std::fstream f(snapshot(), std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(static_cast<std::streamoff>(size - 3));
        f.put('\x7f');
      },
      [&] {  // the transaction id changed
        std::fstream f(snapshot(), std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(19);
        f.put('\x01');
      },
  };
  for (size_t i = 0; i < damages.size(); ++i) {
    SCOPED_TRACE(i);
    fs::copy_file(good, snapshot(), fs::copy_options::overwrite_existing);
    damages[i]();
    open();
    EXPECT_EQ(store_->recovered_from(), SnapshotUse::kCorrupt);
    EXPECT_FALSE(fs::exists(snapshot()));
    EXPECT_EQ(counts("std").visible, 2u);
    EXPECT_EQ(counts("std").in_flight, 1u);
    EXPECT_EQ(counts("q.fifo").visible + counts("q.fifo").in_flight, 5u);
    close();
  }
  // The undamaged file is still good: nothing above wrote to LMDB.
  fs::copy_file(good, snapshot(), fs::copy_options::overwrite_existing);
  open();
  EXPECT_EQ(store_->recovered_from(), SnapshotUse::kUsed);
  EXPECT_EQ(counts("std").visible, 2u);
}

}  // namespace
}  // namespace sluice::storage::testing
