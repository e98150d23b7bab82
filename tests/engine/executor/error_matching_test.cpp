#include "engine/executor/error_matching.h"

#include <gtest/gtest.h>

namespace sluice::engine::executor {
namespace {

TEST(ErrorMatching, ExactNamesAndWildcards) {
  EXPECT_TRUE(error_matches({"Custom.Error"}, "Custom.Error"));
  EXPECT_FALSE(error_matches({"Custom.Error"}, "Other"));
  EXPECT_TRUE(error_matches({"States.ALL"}, "Custom.Error"));
  EXPECT_TRUE(error_matches({"States.ALL"}, "States.Timeout"));
  EXPECT_FALSE(error_matches({"States.ALL"}, "States.DataLimitExceeded"));
  EXPECT_TRUE(error_matches({"States.DataLimitExceeded"}, "States.DataLimitExceeded"));
  EXPECT_TRUE(error_matches({"States.TaskFailed"}, "Custom.Error"));
  EXPECT_TRUE(error_matches({"States.TaskFailed"}, "States.HeartbeatTimeout"));
  EXPECT_FALSE(error_matches({"States.TaskFailed"}, "States.Timeout"));
  EXPECT_TRUE(error_matches({"A", "States.Timeout"}, "States.Timeout"));
}

// A lapsed heartbeat is recorded as States.Timeout; only Retry and Catch also know it by
// States.HeartbeatTimeout, and States.TaskFailed takes it no more than any timeout.
TEST(ErrorMatching, ALapsedHeartbeatMatchesItsOwnNameToo) {
  EXPECT_TRUE(error_matches({"States.HeartbeatTimeout"}, "States.Timeout", true));
  EXPECT_FALSE(error_matches({"States.HeartbeatTimeout"}, "States.Timeout", false));
  EXPECT_TRUE(error_matches({"States.Timeout"}, "States.Timeout", true));
  EXPECT_TRUE(error_matches({"States.ALL"}, "States.Timeout", true));
  EXPECT_FALSE(error_matches({"States.TaskFailed"}, "States.Timeout", true));
}

TEST(ErrorMatching, StatesRuntimeIsNeverCaught) {
  EXPECT_TRUE(is_uncatchable("States.Runtime"));
  EXPECT_FALSE(error_matches({"States.ALL"}, "States.Runtime"));
  EXPECT_FALSE(error_matches({"States.Runtime"}, "States.Runtime"));
}

TEST(RetryDelay, BackoffCapAndJitter) {
  asl::Retrier r;
  r.interval_seconds = 2;
  r.backoff_rate = 3.0;
  EXPECT_EQ(retry_delay_ms(r, 1, 1.0), 2000);
  EXPECT_EQ(retry_delay_ms(r, 2, 1.0), 6000);
  EXPECT_EQ(retry_delay_ms(r, 3, 1.0), 18000);
  r.max_delay_seconds = 10;
  EXPECT_EQ(retry_delay_ms(r, 3, 1.0), 10000);
  r.full_jitter = true;
  EXPECT_EQ(retry_delay_ms(r, 3, 0.25), 2500);
  EXPECT_EQ(retry_delay_ms(r, 1, 0.0), 0);
  r.full_jitter = false;
  r.max_delay_seconds.reset();
  r.backoff_rate = 1e6;
  EXPECT_GT(retry_delay_ms(r, 100, 1.0), 0);  // saturates rather than overflowing
}

}  // namespace
}  // namespace sluice::engine::executor
