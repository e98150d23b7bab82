// QueueIndex in FIFO mode: order within a group, a group blocked while any member is in flight,
// several messages of one group per receive, the head coming back first after its visibility
// ends, out-of-order removal, purge, and memory (small per message, nothing per idle group).
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <vector>

#include "storage/queue/queue_index.h"

namespace sluice::storage {
namespace {

constexpr int64_t kNow = 1'000'000;

// prefix + number (GCC 12 warns falsely on "literal" + std::to_string(n)).
std::string named(std::string prefix, uint64_t n) {
  prefix += std::to_string(n);
  return prefix;
}

QueueIndex fifo_index() {
  QueueIndex ix;
  ix.enable_fifo();
  return ix;
}

void send(QueueIndex& ix, uint64_t seq, std::string_view group, int64_t visible_at = kNow) {
  ix.insert(seq, kNow, visible_at, 0, 0, kNow, group);
}

// What one ReceiveMessage with MaxNumberOfMessages=max takes: runs of one group, in flight until
// `visible_at`.
std::vector<uint64_t> receive(QueueIndex& ix, size_t max, int64_t visible_at = kNow + 30'000) {
  std::vector<uint64_t> out;
  std::optional<uint64_t> last;
  while (out.size() < max) {
    auto seq = ix.pop_ready(last);
    if (!seq) break;
    last = seq;
    out.push_back(*seq);
    IndexEntry* e = ix.find(*seq);
    e->receive_count += 1;
    ix.make_inflight(*seq, *e, visible_at);
  }
  return out;
}

void remove(QueueIndex& ix, uint64_t seq) {
  IndexEntry* e = ix.find(seq);
  ASSERT_NE(e, nullptr) << seq;
  ix.make_busy(seq, *e);
  ix.remove(seq, *e);
}

using Seqs = std::vector<uint64_t>;

TEST(FifoIndexTest, OneGroupIsDeliveredInOrderAndBlockedWhileInFlight) {
  QueueIndex ix = fifo_index();
  for (uint64_t s = 1; s <= 5; ++s) send(ix, s, "g");
  EXPECT_EQ(receive(ix, 2), (Seqs{1, 2}));
  EXPECT_EQ(receive(ix, 10), Seqs{});  // 3..5 wait for 1 and 2
  EXPECT_EQ(ix.counts().visible, 3u);
  remove(ix, 1);
  EXPECT_EQ(receive(ix, 10), Seqs{});  // 2 is still in flight
  remove(ix, 2);
  EXPECT_EQ(receive(ix, 10), (Seqs{3, 4, 5}));
}

TEST(FifoIndexTest, OneReceiveTakesAsManyOfOneGroupAsItCanThenTheNextGroup) {
  QueueIndex ix = fifo_index();
  send(ix, 1, "a");
  send(ix, 2, "b");
  send(ix, 3, "a");
  send(ix, 4, "b");
  send(ix, 5, "a");
  send(ix, 6, "c");
  // a's run first (it holds the oldest message), then b's, then c's.
  EXPECT_EQ(receive(ix, 4), (Seqs{1, 3, 5, 2}));
  // b is now in flight (2): its 4 waits, but c can deliver.
  EXPECT_EQ(receive(ix, 10), (Seqs{6}));
}

TEST(FifoIndexTest, GroupsAreOfferedOldestHeadFirst) {
  QueueIndex ix = fifo_index();
  send(ix, 1, "a");
  send(ix, 2, "b");
  send(ix, 3, "c");
  EXPECT_EQ(receive(ix, 1), (Seqs{1}));
  EXPECT_EQ(receive(ix, 1), (Seqs{2}));
  remove(ix, 1);
  send(ix, 4, "a");
  EXPECT_EQ(receive(ix, 1), (Seqs{3}));  // c's head (3) is older than a's new head (4)
  EXPECT_EQ(receive(ix, 1), (Seqs{4}));
}

TEST(FifoIndexTest, VisibilityTimeoutEndingGivesTheHeadBackFirst) {
  QueueIndex ix = fifo_index();
  for (uint64_t s = 1; s <= 3; ++s) send(ix, s, "g");
  EXPECT_EQ(receive(ix, 2, kNow + 5), (Seqs{1, 2}));
  EXPECT_EQ(ix.advance(kNow + 5), 2u);
  EXPECT_EQ(receive(ix, 10), (Seqs{1, 2, 3}));
  EXPECT_EQ(ix.find(1)->receive_count, 2u);
  EXPECT_EQ(ix.find(3)->receive_count, 1u);
}

TEST(FifoIndexTest, GroupStaysBlockedUntilTheLastInFlightMemberIsSettled) {
  QueueIndex ix = fifo_index();
  for (uint64_t s = 1; s <= 3; ++s) send(ix, s, "g");
  EXPECT_EQ(receive(ix, 2), (Seqs{1, 2}));
  // 1 is made visible at once (ChangeMessageVisibility 0) while 2 is still in flight.
  ix.make_ready(1, *ix.find(1));
  EXPECT_EQ(receive(ix, 10), Seqs{});
  remove(ix, 2);  // out of order: 2 is not the head
  EXPECT_EQ(receive(ix, 10), (Seqs{1, 3}));
}

TEST(FifoIndexTest, DelayedHeadHoldsBackItsGroupOnly) {
  QueueIndex ix = fifo_index();
  send(ix, 1, "a", kNow + 10);  // queue DelaySeconds
  send(ix, 2, "a");
  send(ix, 3, "b");
  EXPECT_EQ(receive(ix, 10), (Seqs{3}));
  EXPECT_EQ(ix.advance(kNow + 10), 1u);
  EXPECT_EQ(receive(ix, 10), (Seqs{1, 2}));
}

TEST(FifoIndexTest, RecoveredInFlightMessageBlocksItsGroup) {
  QueueIndex ix = fifo_index();
  ix.insert(1, kNow, kNow + 20, 1, kNow - 5, kNow, "g");  // in flight before the restart
  send(ix, 2, "g");
  send(ix, 3, "h");
  EXPECT_EQ(receive(ix, 10), (Seqs{3}));
  ix.advance(kNow + 20);
  EXPECT_EQ(receive(ix, 10), (Seqs{1, 2}));
}

TEST(FifoIndexTest, FailedDeleteUndoneKeepsTheGroupBlocked) {
  QueueIndex ix = fifo_index();
  send(ix, 1, "g");
  send(ix, 2, "g");
  EXPECT_EQ(receive(ix, 1), (Seqs{1}));
  ix.make_busy(1, *ix.find(1));
  EXPECT_EQ(receive(ix, 10), Seqs{});  // the head is being deleted
  ix.undo_busy(1, *ix.find(1), kNow);  // the delete failed to commit: still in flight
  EXPECT_EQ(receive(ix, 10), Seqs{});
  ix.make_busy(1, *ix.find(1));
  ix.remove(1, *ix.find(1));
  EXPECT_EQ(receive(ix, 10), (Seqs{2}));
}

TEST(FifoIndexTest, OutOfOrderInsertKeepsSequenceOrder) {
  QueueIndex ix = fifo_index();
  send(ix, 5, "g");
  send(ix, 3, "g");
  send(ix, 9, "g");
  send(ix, 7, "g");
  EXPECT_EQ(receive(ix, 10), (Seqs{3, 5, 7, 9}));
}

TEST(FifoIndexTest, PurgeRemovesWholePagesAndGroups) {
  QueueIndex ix = fifo_index();
  for (uint64_t s = 1; s <= 1000; ++s) send(ix, s, s % 2 ? "odd" : "even");
  EXPECT_EQ(ix.group_count(), 2u);
  ix.remove_below(601);
  EXPECT_EQ(ix.size(), 400u);
  EXPECT_EQ(receive(ix, 3), (Seqs{601, 603, 605}));
  EXPECT_EQ(receive(ix, 3), (Seqs{602, 604, 606}));
  ix.remove_below(2000);
  EXPECT_EQ(ix.size(), 0u);
  EXPECT_EQ(ix.group_count(), 0u);
  send(ix, 2001, "odd");
  EXPECT_EQ(receive(ix, 10), (Seqs{2001}));
}

TEST(FifoIndexTest, GroupNamesAreInternedAndForgottenWhenEmpty) {
  QueueIndex ix = fifo_index();
  send(ix, 1, "alpha");
  send(ix, 2, "beta");
  send(ix, 3, "alpha");
  EXPECT_EQ(ix.group_count(), 2u);
  EXPECT_EQ(ix.group_of(3), "alpha");
  EXPECT_EQ(ix.group_of(2), "beta");
  receive(ix, 10);
  remove(ix, 2);
  EXPECT_EQ(ix.group_count(), 1u);
  send(ix, 4, "gamma");  // reuses beta's id
  EXPECT_EQ(ix.group_of(4), "gamma");
  EXPECT_EQ(ix.group_of(1), "alpha");
  remove(ix, 1);
  remove(ix, 3);
  EXPECT_EQ(receive(ix, 10), (Seqs{4}));
}

TEST(FifoIndexTest, RetentionStyleBusyHeadLetsTheRunContinue) {
  QueueIndex ix = fifo_index();
  send(ix, 1, "g");
  send(ix, 2, "g");
  // A receive finds 1 past retention: it is marked busy (to be deleted) and 2 follows it.
  auto first = ix.pop_ready();
  ASSERT_EQ(first, 1u);
  ix.make_busy(1, *ix.find(1));
  auto next = ix.pop_ready(first);
  EXPECT_EQ(next, 2u);
}

// Bounded memory: per message the entry plus 12 bytes of group links; an idle queue holds nothing.
TEST(FifoIndexTest, MemoryIsSmallPerMessageAndFreedWhenIdle) {
  QueueIndex ix = fifo_index();
  constexpr uint64_t kMessages = 100'000;
  for (uint64_t s = 1; s <= kMessages; ++s) send(ix, s, named("g", s % 100));
  const double per_message = static_cast<double>(ix.memory_bytes()) / kMessages;
  EXPECT_LT(per_message, 56.0);
  while (true) {
    auto got = receive(ix, 10);
    if (got.empty()) {
      // Every group is blocked by its in-flight run; settle them.
      break;
    }
    for (uint64_t s : got) remove(ix, s);
  }
  EXPECT_EQ(ix.size(), 0u);
  EXPECT_EQ(ix.group_count(), 0u);
  EXPECT_LT(ix.memory_bytes(), 4096u);
}

TEST(FifoIndexTest, ManySingleMessageGroupsCostOneGroupEach) {
  QueueIndex ix = fifo_index();
  constexpr uint64_t kMessages = 50'000;
  for (uint64_t s = 1; s <= kMessages; ++s) send(ix, s, named("tenant-", s));
  EXPECT_EQ(ix.group_count(), kMessages);
  // The message (44 bytes), its group's record, name and offer: about 180 bytes in all.
  EXPECT_LT(static_cast<double>(ix.memory_bytes()) / kMessages, 200.0);
  size_t got = 0;
  for (auto batch = receive(ix, 10); !batch.empty(); batch = receive(ix, 10)) {
    got += batch.size();
    for (uint64_t s : batch) remove(ix, s);
  }
  EXPECT_EQ(got, kMessages);
  EXPECT_EQ(ix.group_count(), 0u);
}

// Random receives, visibility expiries, visibility changes and deletes: a message is handed out
// only when every older message of its group is gone, and never while a member is in flight.
TEST(FifoIndexTest, RandomOperationsNeverBreakGroupOrder) {
  QueueIndex ix = fifo_index();
  std::mt19937 rng(7);
  int64_t now = kNow;
  uint64_t next_seq = 1;
  std::map<uint64_t, std::string> live;  // seq -> group
  for (int step = 0; step < 20000; ++step) {
    const int op = static_cast<int>(rng() % 10);
    if (op < 3) {
      const std::string g = named("g", rng() % 5);
      ix.insert(next_seq, now, now, 0, 0, now, g);
      live[next_seq++] = g;
    } else if (op < 6) {
      auto got = receive(ix, 1 + rng() % 10, now + 1 + static_cast<int64_t>(rng() % 50));
      std::map<std::string, uint64_t> last_of_group;
      for (uint64_t s : got) {
        const std::string& g = live.at(s);
        // Every older live message of the group was handed out earlier in this receive.
        for (auto& [seq, group] : live) {
          if (seq >= s) break;
          if (group != g) continue;
          ASSERT_TRUE(last_of_group.count(g) && seq <= last_of_group[g])
              << "message " << s << " of " << g << " before " << seq;
        }
        last_of_group[g] = s;
      }
    } else if (op < 8) {
      // Delete something in flight.
      for (auto& [seq, g] : live) {
        IndexEntry* e = ix.find(seq);
        if (e && e->state == EntryState::kInflight && rng() % 3 == 0) {
          remove(ix, seq);
          live.erase(seq);
          break;
        }
      }
    } else if (op == 8) {
      now += static_cast<int64_t>(rng() % 20);
      ix.advance(now);
    } else {
      for (auto& [seq, g] : live) {
        IndexEntry* e = ix.find(seq);
        if (e && e->state == EntryState::kInflight && rng() % 4 == 0) {
          ix.make_ready(seq, *e);  // ChangeMessageVisibility 0
          break;
        }
      }
    }
    ASSERT_EQ(ix.size(), live.size());
  }
}

}  // namespace
}  // namespace sluice::storage
