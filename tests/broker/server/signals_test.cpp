// ShutdownSignals: SIGTERM/SIGINT reach the callback once, on the loop; SIGPIPE is ignored;
// the watchers do not keep the loop alive.
#include "broker/server/signals.h"

#include <csignal>

#include <gtest/gtest.h>

namespace sluice::server {
namespace {

// Runs the loop until cond() holds (a ref'd timer keeps uv_run from returning early).
template <class F>
void run_until(uv_loop_t* loop, F cond) {
  uv_timer_t guard;
  uv_timer_init(loop, &guard);
  uv_timer_start(
      &guard, [](uv_timer_t*) {}, 10, 10);
  for (int i = 0; i < 500 && !cond(); ++i) uv_run(loop, UV_RUN_ONCE);
  uv_close(reinterpret_cast<uv_handle_t*>(&guard), nullptr);
  uv_run(loop, UV_RUN_NOWAIT);
}

TEST(ShutdownSignals, FirstSignalCallsBackOnceThenRepeatsGoToOnRepeat) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  std::vector<int> first, repeats;
  {
    auto s = ShutdownSignals::install(
        &loop, [&](int sig) { first.push_back(sig); }, [&](int sig) { repeats.push_back(sig); });
    ASSERT_TRUE(s.ok());
    EXPECT_FALSE((*s)->fired());
    ::raise(SIGTERM);
    run_until(&loop, [&] { return !first.empty(); });
    ::raise(SIGINT);
    run_until(&loop, [&] { return !repeats.empty(); });
    EXPECT_TRUE((*s)->fired());
  }
  uv_run(&loop, UV_RUN_DEFAULT);
  EXPECT_EQ(uv_loop_close(&loop), 0);
  EXPECT_EQ(first, std::vector<int>{SIGTERM});
  EXPECT_EQ(repeats, std::vector<int>{SIGINT});
}

TEST(ShutdownSignals, RepeatsAreIgnoredWithoutOnRepeat) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  int calls = 0;
  {
    auto s = ShutdownSignals::install(&loop, [&](int) { ++calls; });
    ASSERT_TRUE(s.ok());
    ::raise(SIGINT);
    run_until(&loop, [&] { return calls > 0; });
    ::raise(SIGINT);
    ::raise(SIGTERM);
    run_until(&loop, [] { return false; });  // give them every chance to arrive
  }
  uv_run(&loop, UV_RUN_DEFAULT);
  EXPECT_EQ(uv_loop_close(&loop), 0);
  EXPECT_EQ(calls, 1);
}

TEST(ShutdownSignals, IgnoresSigpipeAndDoesNotKeepTheLoopAlive) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  {
    auto s = ShutdownSignals::install(&loop, [](int) {});
    ASSERT_TRUE(s.ok());
    struct sigaction sa;
    ASSERT_EQ(sigaction(SIGPIPE, nullptr, &sa), 0);
    EXPECT_EQ(sa.sa_handler, SIG_IGN);
    EXPECT_EQ(uv_run(&loop, UV_RUN_DEFAULT), 0);  // returns: nothing ref'd is active
  }
  uv_run(&loop, UV_RUN_DEFAULT);
  EXPECT_EQ(uv_loop_close(&loop), 0);
}

}  // namespace
}  // namespace sluice::server
