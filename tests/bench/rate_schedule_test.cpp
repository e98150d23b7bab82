// RateSchedule: the open-loop timetable (intended times at fixed intervals, due counts, backlog).
#include "bench/load/rate_schedule.h"

#include <gtest/gtest.h>

namespace sluice::bench {
namespace {

TEST(RateSchedule, IntendedTimesAreEvenlySpaced) {
  RateSchedule s(1000, 5'000'000'000);  // 1000/s: every 1 ms
  EXPECT_EQ(s.intended_ns(0), 5'000'000'000u);
  EXPECT_EQ(s.intended_ns(1), 5'001'000'000u);
  EXPECT_EQ(s.intended_ns(1000), 6'000'000'000u);
}

TEST(RateSchedule, FractionalIntervalsDoNotDrift) {
  RateSchedule s(3, 0);  // 333,333,333.33 ns apart
  EXPECT_EQ(s.intended_ns(1), 333'333'333u);
  EXPECT_EQ(s.intended_ns(3), 1'000'000'000u);
  EXPECT_EQ(s.intended_ns(3'000'000), 1'000'000'000'000'000u) << "no accumulated rounding error";
}

TEST(RateSchedule, DueCountsRequestsWhoseTimeHasCome) {
  RateSchedule s(1000, 1'000'000);
  EXPECT_EQ(s.due_by(0), 0u) << "before the start nothing is due";
  EXPECT_EQ(s.due_by(1'000'000), 1u) << "request 0 is due at the start";
  EXPECT_EQ(s.due_by(1'999'999), 1u);
  EXPECT_EQ(s.due_by(2'000'000), 2u);
  EXPECT_EQ(s.due_by(1'000'000 + 1'000'000'000), 1001u) << "one second later: 1000 more";
}

TEST(RateSchedule, DueAgreesWithIntendedForAwkwardRates) {
  for (double rate : {7.0, 333.3, 12345.678, 1e6}) {
    RateSchedule s(rate, 42);
    for (uint64_t i = 0; i < 5000; i += 7) {
      const uint64_t t = s.intended_ns(i);
      ASSERT_EQ(s.due_by(t), i + 1) << "rate " << rate << " index " << i;
      ASSERT_EQ(s.due_by(t - 1), i) << "rate " << rate << " index " << i;
    }
  }
}

TEST(RateSchedule, BacklogIsDueMinusTaken) {
  RateSchedule s(100, 0);           // every 10 ms
  const uint64_t now = 95'000'000;  // requests 0..9 are due
  EXPECT_EQ(s.backlog(now), 10u);
  EXPECT_EQ(s.take(), 0u);
  EXPECT_EQ(s.take(), 10'000'000u) << "take hands out intended times in order";
  EXPECT_EQ(s.next_index(), 2u);
  EXPECT_EQ(s.backlog(now), 8u);
  for (int i = 0; i < 8; ++i) s.take();
  EXPECT_EQ(s.backlog(now), 0u);
  EXPECT_EQ(s.intended_ns(s.next_index()), 100'000'000u) << "next one is in the future";
}

TEST(RateSchedule, LatencyFromIntendedTimeIncludesQueueing) {
  // A stalled server: nothing can be sent for 1 s, then everything goes at once. Open-loop latency
  // of the request due at t=0 is the whole stall, not the last hop.
  RateSchedule s(10, 0);
  const uint64_t resumed = 1'000'000'000;
  ASSERT_EQ(s.backlog(resumed), 11u);
  const uint64_t intended_first = s.take();
  EXPECT_EQ(resumed - intended_first, 1'000'000'000u);
}

}  // namespace
}  // namespace sluice::bench
