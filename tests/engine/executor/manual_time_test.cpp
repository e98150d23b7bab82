#include "engine/executor/manual_time.h"

#include <gtest/gtest.h>

#include <vector>

namespace sluice::engine::executor {
namespace {

TEST(ManualTimerService, FiresDueTimersInTimeOrderAndMovesTheClock) {
  ManualClock clock(1000);
  ManualTimerService timers(clock);
  std::vector<std::pair<int, int64_t>> fired;
  timers.schedule(3000, [&] { fired.emplace_back(3, clock.now_ms()); });
  timers.schedule(2000, [&] { fired.emplace_back(2, clock.now_ms()); });
  timers.schedule(2000, [&] { fired.emplace_back(22, clock.now_ms()); });
  EXPECT_EQ(timers.next_due(), 2000);
  EXPECT_EQ(timers.advance_to(2500), 2u);
  EXPECT_EQ(clock.now_ms(), 2500);
  ASSERT_EQ(fired.size(), 2u);
  EXPECT_EQ(fired[0], std::make_pair(2, int64_t{2000}));
  EXPECT_EQ(fired[1], std::make_pair(22, int64_t{2000}));
  EXPECT_EQ(timers.pending(), 1u);
}

TEST(ManualTimerService, CancelAndTimersScheduledByCallbacks) {
  ManualClock clock(0);
  ManualTimerService timers(clock);
  int count = 0;
  TimerId dropped = timers.schedule(10, [&] { count += 100; });
  timers.schedule(5, [&] {
    ++count;
    timers.schedule(clock.now_ms() + 1, [&] { ++count; });  // due within the same advance
  });
  timers.cancel(dropped);
  timers.cancel(dropped);  // twice is harmless
  EXPECT_EQ(timers.advance_by(20), 2u);
  EXPECT_EQ(count, 2);
  EXPECT_EQ(timers.pending(), 0u);
  EXPECT_EQ(timers.next_due(), -1);
  EXPECT_EQ(timers.run_due(), 0u);
}

}  // namespace
}  // namespace sluice::engine::executor
