// QueueIndex: states, counts, the ready FIFO and the deadline heap of one queue, and the memory it
// holds (it must follow the live messages, not the range of sequence numbers ever used).
#include "storage/queue/queue_index.h"

#include <gtest/gtest.h>

#include <set>

namespace sluice::storage {
namespace {

constexpr int64_t kNow = 1'000'000;

void insert_ready(QueueIndex& ix, uint64_t seq) {
  ix.insert(seq, kNow, kNow, 0, 0, kNow);
}

// Receives everything ready: each becomes in flight until `visible_at`.
std::vector<uint64_t> drain_ready(QueueIndex& ix, int64_t visible_at) {
  std::vector<uint64_t> out;
  while (auto seq = ix.pop_ready()) {
    out.push_back(*seq);
    ix.make_inflight(*seq, *ix.find(*seq), visible_at);
  }
  return out;
}

TEST(QueueIndexTest, InsertCountsEachState) {
  QueueIndex ix;
  ix.insert(1, kNow, kNow, 0, 0, kNow);             // ready
  ix.insert(2, kNow, kNow + 5, 0, 0, kNow);         // delayed
  ix.insert(3, kNow, kNow + 5, 2, kNow - 9, kNow);  // in flight (recovered)
  EXPECT_EQ(ix.counts().visible, 1u);
  EXPECT_EQ(ix.counts().delayed, 1u);
  EXPECT_EQ(ix.counts().in_flight, 1u);
  EXPECT_EQ(ix.size(), 3u);
  EXPECT_EQ(ix.find(3)->receive_count, 2u);
  EXPECT_EQ(ix.find(4), nullptr);
  EXPECT_EQ(ix.find(0), nullptr);
}

TEST(QueueIndexTest, DuplicateInsertIsIgnored) {
  QueueIndex ix;
  insert_ready(ix, 5);
  insert_ready(ix, 5);
  EXPECT_EQ(ix.counts().visible, 1u);
  EXPECT_EQ(ix.size(), 1u);
  EXPECT_EQ(drain_ready(ix, kNow + 10), (std::vector<uint64_t>{5}));
}

TEST(QueueIndexTest, ReadyInSendOrderAndGapsAreSkipped) {
  QueueIndex ix;
  insert_ready(ix, 10);
  insert_ready(ix, 12);  // 11 failed to commit
  insert_ready(ix, 13);
  EXPECT_EQ(ix.find(11), nullptr);
  EXPECT_EQ(drain_ready(ix, kNow + 10), (std::vector<uint64_t>{10, 12, 13}));
  EXPECT_EQ(ix.counts().in_flight, 3u);
  EXPECT_EQ(ix.counts().visible, 0u);
}

TEST(QueueIndexTest, AdvanceMovesDueEntriesOnly) {
  QueueIndex ix;
  ix.insert(1, kNow, kNow + 100, 0, 0, kNow);
  ix.insert(2, kNow, kNow + 200, 0, 0, kNow);
  EXPECT_EQ(ix.next_deadline(), kNow + 100);
  EXPECT_EQ(ix.advance(kNow + 99), 0u);
  EXPECT_EQ(ix.advance(kNow + 100), 1u);
  EXPECT_EQ(ix.counts().visible, 1u);
  EXPECT_EQ(ix.counts().delayed, 1u);
  EXPECT_EQ(ix.advance(kNow + 1000), 1u);
  EXPECT_EQ(ix.counts().visible, 2u);
  EXPECT_FALSE(ix.next_deadline().has_value());
}

TEST(QueueIndexTest, StaleDeadlineDoesNotEndANewerVisibilityTimeout) {
  QueueIndex ix;
  insert_ready(ix, 1);
  ASSERT_EQ(ix.pop_ready(), 1u);
  ix.make_inflight(1, *ix.find(1), kNow + 10);
  ix.make_inflight(1, *ix.find(1), kNow + 50);  // ChangeMessageVisibility
  EXPECT_EQ(ix.advance(kNow + 10), 0u);
  EXPECT_EQ(ix.counts().in_flight, 1u);
  EXPECT_EQ(ix.advance(kNow + 50), 1u);
  EXPECT_EQ(ix.counts().visible, 1u);
}

TEST(QueueIndexTest, BusyEntryIsNeitherReadyNorCountedAndUndoRestoresIt) {
  QueueIndex ix;
  insert_ready(ix, 1);
  ix.insert(2, kNow, kNow + 100, 0, 0, kNow);  // delayed
  ix.make_busy(1, *ix.find(1));
  ix.make_busy(2, *ix.find(2));
  EXPECT_EQ(ix.counts().visible, 0u);
  EXPECT_EQ(ix.counts().delayed, 0u);
  EXPECT_FALSE(ix.pop_ready().has_value());
  EXPECT_EQ(ix.advance(kNow + 1000), 0u);
  ix.undo_busy(1, *ix.find(1), kNow);
  ix.undo_busy(2, *ix.find(2), kNow);
  EXPECT_EQ(ix.counts().visible, 1u);
  EXPECT_EQ(ix.counts().delayed, 1u);
  EXPECT_EQ(ix.pop_ready(), 1u);
  EXPECT_FALSE(ix.pop_ready().has_value());  // not twice
  EXPECT_EQ(ix.advance(kNow + 100), 1u);
}

TEST(QueueIndexTest, UndoneBusyEntryIsHandedOutOnce) {
  QueueIndex ix;
  insert_ready(ix, 1);
  ix.make_busy(1, *ix.find(1));
  ix.undo_busy(1, *ix.find(1), kNow);
  EXPECT_EQ(drain_ready(ix, kNow + 10), (std::vector<uint64_t>{1}));
  ix.advance(kNow + 10);  // visible again
  EXPECT_EQ(drain_ready(ix, kNow + 20), (std::vector<uint64_t>{1}));
}

TEST(QueueIndexTest, RemoveUpdatesCountsAndSize) {
  QueueIndex ix;
  for (uint64_t s = 1; s <= 3; ++s) insert_ready(ix, s);
  ix.remove(2, *ix.find(2));
  EXPECT_EQ(ix.size(), 2u);
  EXPECT_EQ(ix.counts().visible, 2u);
  ix.make_busy(1, *ix.find(1));
  ix.remove(1, *ix.find(1));
  EXPECT_EQ(ix.size(), 1u);
  EXPECT_EQ(ix.counts().visible, 1u);
  EXPECT_EQ(drain_ready(ix, kNow + 10), (std::vector<uint64_t>{3}));
}

TEST(QueueIndexTest, RemoveBelowDropsOnlyOlderMessages) {
  QueueIndex ix;
  for (uint64_t s = 1; s <= 600; ++s) insert_ready(ix, s);
  ix.make_busy(7, *ix.find(7));
  ix.remove_below(500);
  EXPECT_EQ(ix.size(), 101u);
  EXPECT_EQ(ix.counts().visible, 101u);
  EXPECT_EQ(ix.find(499), nullptr);
  EXPECT_EQ(ix.find(7), nullptr);
  ASSERT_NE(ix.find(500), nullptr);
  EXPECT_EQ(ix.pop_ready(), 500u);
  ix.remove_below(10'000);
  EXPECT_EQ(ix.size(), 0u);
  EXPECT_EQ(ix.counts().visible, 0u);
  insert_ready(ix, 10'000);
  EXPECT_EQ(ix.pop_ready(), 10'000u);
}

TEST(QueueIndexTest, OldestLiveSkipsBusyEntries) {
  QueueIndex ix;
  for (uint64_t s = 1; s <= 1000; ++s) insert_ready(ix, s);
  for (uint64_t s = 1; s <= 999; ++s) ix.make_busy(s, *ix.find(s));
  auto oldest = ix.oldest_live();
  ASSERT_TRUE(oldest.has_value());
  EXPECT_EQ(oldest->first, 1000u);
}

TEST(QueueIndexTest, ForEachFromOldestVisitsInOrderAndStops) {
  QueueIndex ix;
  for (uint64_t s : {3, 4, 900, 901}) insert_ready(ix, s);
  std::vector<uint64_t> seen;
  ix.for_each_from_oldest([&](uint64_t seq, IndexEntry&) {
    seen.push_back(seq);
    return seq < 900;
  });
  EXPECT_EQ(seen, (std::vector<uint64_t>{3, 4, 900}));
}

// After a restart new messages start a whole reserved block (up to 2^20 numbers) after the old
// ones; that gap must not cost memory per missing number.
TEST(QueueIndexTest, GapInSequenceNumbersCostsAlmostNothing) {
  QueueIndex ix;
  insert_ready(ix, 1);
  insert_ready(ix, 1 + (uint64_t{1} << 20));
  EXPECT_EQ(ix.size(), 2u);
  EXPECT_LT(ix.memory_bytes(), 256u * 1024);
  EXPECT_EQ(drain_ready(ix, kNow + 10), (std::vector<uint64_t>{1, 1 + (uint64_t{1} << 20)}));
}

// One old message that never goes away (a poison message that keeps being received) must not
// make the index grow with every message sent and deleted after it.
TEST(QueueIndexTest, StuckOldestMessageDoesNotPinMemory) {
  QueueIndex ix;
  insert_ready(ix, 1);
  for (uint64_t s = 2; s < 500'000; ++s) {
    insert_ready(ix, s);
    ASSERT_EQ(ix.pop_ready(), s == 2 ? 1u : s);
    if (s == 2) {
      ix.make_inflight(1, *ix.find(1), kNow + 1'000'000);
      ASSERT_EQ(ix.pop_ready(), 2u);
    }
    ix.make_inflight(s, *ix.find(s), kNow + 30'000);
    ix.remove(s, *ix.find(s));
  }
  EXPECT_EQ(ix.size(), 1u);
  EXPECT_EQ(ix.counts().in_flight, 1u);
  EXPECT_LT(ix.memory_bytes(), 256u * 1024);
}

// Each visibility change leaves the old deadline in the heap until it comes up; with long
// visibility timeouts and heartbeats those must not pile up.
TEST(QueueIndexTest, RepeatedVisibilityChangesDoNotPileUp) {
  QueueIndex ix;
  insert_ready(ix, 1);
  ASSERT_EQ(ix.pop_ready(), 1u);
  for (int i = 0; i < 200'000; ++i) {
    ix.make_inflight(1, *ix.find(1), kNow + 43'200'000 + i);
  }
  EXPECT_LT(ix.memory_bytes(), 256u * 1024);
  EXPECT_EQ(ix.next_deadline(), kNow + 43'200'000 + 199'999);
  EXPECT_EQ(ix.advance(kNow + 43'200'000 + 199'998), 0u);
  EXPECT_EQ(ix.advance(kNow + 43'200'000 + 199'999), 1u);
}

TEST(QueueIndexTest, MessagesMadeReadyAgainAndAgainDoNotPileUp) {
  QueueIndex ix;
  insert_ready(ix, 1);
  insert_ready(ix, 2);
  for (int i = 0; i < 200'000; ++i) {
    ix.make_busy(2, *ix.find(2));  // a delete that fails to commit, over and over
    ix.undo_busy(2, *ix.find(2), kNow);
  }
  EXPECT_LT(ix.memory_bytes(), 256u * 1024);
  EXPECT_EQ(drain_ready(ix, kNow + 10), (std::vector<uint64_t>{1, 2}));
}

TEST(QueueIndexTest, IdleIndexHoldsNoMemory) {
  QueueIndex ix;
  for (uint64_t s = 1; s <= 10'000; ++s) insert_ready(ix, s);
  for (uint64_t s = 1; s <= 10'000; ++s) ix.remove(s, *ix.find(s));
  EXPECT_EQ(ix.size(), 0u);
  EXPECT_LT(ix.memory_bytes(), 4096u);
}

// Randomised: counts always equal a recount of entry states, and no sequence is handed out twice
// while it is in flight.
TEST(QueueIndexTest, CountsMatchStatesUnderRandomOperations) {
  QueueIndex ix;
  uint64_t next = 1;
  int64_t now = kNow;
  uint64_t rng = 42;
  auto rand = [&] {
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return rng >> 33;
  };
  std::set<uint64_t> live;
  for (int step = 0; step < 100'000; ++step) {
    switch (rand() % 7) {
      case 0:
      case 1: {
        uint64_t seq = next++;
        if (rand() % 10 == 0) break;  // a failed send leaves a gap
        ix.insert(seq, now, now + static_cast<int64_t>(rand() % 3) * 50, 0, 0, now);
        live.insert(seq);
        break;
      }
      case 2:
        if (auto seq = ix.pop_ready()) {
          IndexEntry* e = ix.find(*seq);
          ASSERT_NE(e, nullptr);
          ASSERT_EQ(e->state, EntryState::kReady);
          ix.make_inflight(*seq, *e, now + static_cast<int64_t>(rand() % 100));
        }
        break;
      case 3:
        now += static_cast<int64_t>(rand() % 40);
        ix.advance(now);
        break;
      case 4:
        if (auto it = live.lower_bound(rand() % next); it != live.end()) {
          uint64_t seq = *it;
          IndexEntry* e = ix.find(seq);
          if (e && e->state != EntryState::kBusy) {
            ix.make_busy(seq, *e);
            if (rand() % 3 == 0) {
              ix.undo_busy(seq, *e, now);
            } else {
              ix.remove(seq, *e);
              live.erase(seq);
            }
          }
        }
        break;
      case 5:
        if (auto it = live.lower_bound(rand() % next); it != live.end()) {
          IndexEntry* e = ix.find(*it);
          if (e && e->state == EntryState::kInflight) {
            if (rand() % 2) {
              e->visible_at_ms = now;
              ix.make_ready(*it, *e);
            } else {
              ix.make_inflight(*it, *e, now + static_cast<int64_t>(rand() % 200));
            }
          }
        }
        break;
      case 6:
        if (rand() % 200 == 0 && next > 10) {
          uint64_t bound = next - 5;
          ix.remove_below(bound);
          live.erase(live.begin(), live.lower_bound(bound));
        }
        break;
    }
    if (step % 997 == 0) {
      QueueCounts c;
      size_t n = 0;
      for (uint64_t seq : live) {
        IndexEntry* e = ix.find(seq);
        ASSERT_NE(e, nullptr) << seq;
        ++n;
        if (e->state == EntryState::kReady) ++c.visible;
        if (e->state == EntryState::kInflight) ++c.in_flight;
        if (e->state == EntryState::kDelayed) ++c.delayed;
      }
      ASSERT_EQ(ix.size(), n);
      ASSERT_EQ(ix.counts().visible, c.visible);
      ASSERT_EQ(ix.counts().in_flight, c.in_flight);
      ASSERT_EQ(ix.counts().delayed, c.delayed);
    }
  }
  // Everything ready can be drained, each once.
  now += 1'000'000;
  ix.advance(now);
  std::set<uint64_t> drained;
  while (auto seq = ix.pop_ready()) {
    ASSERT_TRUE(drained.insert(*seq).second);
    ix.make_inflight(*seq, *ix.find(*seq), now + 10);
  }
  size_t not_busy = 0;
  for (uint64_t seq : live) not_busy += ix.find(seq)->state != EntryState::kBusy;
  EXPECT_EQ(drained.size(), not_busy);
}

}  // namespace
}  // namespace sluice::storage
