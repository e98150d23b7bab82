// ReactorTimers on a real libuv loop: due order, cancellation, past deadlines that fire on the
// next loop turn (never inside schedule()), and many timers behind one uv_timer.
#include "broker/states/executions/reactor_time.h"

#include <gtest/gtest.h>

#include <vector>

#include "engine/executor/manual_time.h"

namespace sluice::states {
namespace {

class ReactorTimersTest : public ::testing::Test {
 protected:
  void SetUp() override { uv_loop_init(&loop_); }
  void TearDown() override {
    timers_.reset();
    uv_run(&loop_, UV_RUN_NOWAIT);
    EXPECT_EQ(uv_loop_close(&loop_), 0);
  }
  uv_loop_t loop_{};
  SystemClock clock_;
  std::unique_ptr<ReactorTimers> timers_ = nullptr;
};

TEST_F(ReactorTimersTest, FiresInDueOrderAndSkipsCancelled) {
  timers_ = std::make_unique<ReactorTimers>(&loop_, clock_);
  std::vector<int> fired;
  int64_t now = clock_.now_ms();
  timers_->schedule(now + 30, [&] { fired.push_back(3); });
  timers_->schedule(now + 10, [&] { fired.push_back(1); });
  auto cancelled = timers_->schedule(now + 20, [&] { fired.push_back(2); });
  timers_->schedule(now + 20, [&] { fired.push_back(22); });
  timers_->cancel(cancelled);
  timers_->cancel(9999);  // unknown ids are ignored
  while (timers_->pending() > 0) uv_run(&loop_, UV_RUN_ONCE);
  EXPECT_EQ(fired, (std::vector<int>{1, 22, 3}));
  EXPECT_GE(clock_.now_ms(), now + 30);
}

TEST_F(ReactorTimersTest, PastDeadlinesFireOnTheNextTurnNotInsideSchedule) {
  timers_ = std::make_unique<ReactorTimers>(&loop_, clock_);
  bool fired = false;
  timers_->schedule(clock_.now_ms() - 1000, [&] { fired = true; });
  EXPECT_FALSE(fired);
  uv_run(&loop_, UV_RUN_NOWAIT);
  EXPECT_TRUE(fired);
}

TEST_F(ReactorTimersTest, CallbacksMayScheduleMoreWithoutStarvingTheLoop) {
  timers_ = std::make_unique<ReactorTimers>(&loop_, clock_);
  int count = 0;
  std::function<void()> again = [&] {
    if (++count < 5) timers_->schedule(0, again);  // always already due
  };
  timers_->schedule(0, again);
  uv_run(&loop_, UV_RUN_NOWAIT);
  EXPECT_EQ(count, 1);  // one per loop turn
  for (int i = 0; i < 10; ++i) uv_run(&loop_, UV_RUN_NOWAIT);
  EXPECT_EQ(count, 5);
}

TEST_F(ReactorTimersTest, ManyTimersAndCancelsStayCheap) {
  // Driven by a manual clock through fire_due(): 100k schedules and cancels, then the rest fire.
  engine::executor::ManualClock manual(1000);
  ReactorTimers t(nullptr, manual);  // no loop: fire_due() by hand
  int fired = 0;
  std::vector<engine::executor::TimerId> ids;
  for (int i = 0; i < 100000; ++i) ids.push_back(t.schedule(1000 + i % 1000, [&] { ++fired; }));
  for (int i = 0; i < 100000; i += 2) t.cancel(ids[static_cast<std::size_t>(i)]);
  EXPECT_EQ(t.pending(), 50000u);
  manual.set(5000);
  t.fire_due();
  EXPECT_EQ(fired, 50000);
  EXPECT_EQ(t.pending(), 0u);
}

TEST_F(ReactorTimersTest, ShutdownStopsFiring) {
  timers_ = std::make_unique<ReactorTimers>(&loop_, clock_);
  bool fired = false;
  timers_->schedule(clock_.now_ms(), [&] { fired = true; });
  timers_->shutdown();
  uv_run(&loop_, UV_RUN_NOWAIT);
  EXPECT_FALSE(fired);
}

}  // namespace
}  // namespace sluice::states
