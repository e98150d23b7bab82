// When a pipe hands a batch off: full at BatchSize, at the end of the batching window counted from
// the first message, before a message that would pass the payload limit; a window of 0 sends what
// one take brought; an oversized message goes alone.
#include "engine/pipes/batch_policy.h"

#include <gtest/gtest.h>

namespace sluice::engine::pipes {
namespace {

TEST(BatchPolicyTest, FullAtBatchSize) {
  BatchPolicy p({3, 60'000, 1 << 20});
  EXPECT_FALSE(p.due(0));
  EXPECT_EQ(p.room(), 3u);
  p.add(10, 1000);
  p.add(10, 1001);
  EXPECT_FALSE(p.due(1002));
  EXPECT_EQ(p.room(), 1u);
  p.add(10, 1002);
  EXPECT_TRUE(p.due(1002));
  EXPECT_FALSE(p.fits(1));
  p.reset();
  EXPECT_TRUE(p.empty());
  EXPECT_FALSE(p.deadline().has_value());
}

TEST(BatchPolicyTest, WindowCountsFromTheFirstMessage) {
  BatchPolicy p({100, 5000, 1 << 20});
  p.add(10, 1000);
  p.add(10, 4000);
  ASSERT_TRUE(p.deadline().has_value());
  EXPECT_EQ(*p.deadline(), 6000);
  EXPECT_FALSE(p.due(5999));
  EXPECT_TRUE(p.due(6000));
}

TEST(BatchPolicyTest, ZeroWindowSendsAtOnce) {
  BatchPolicy p({10, 0, 1 << 20});
  p.add(10, 1000);
  EXPECT_TRUE(p.due(1000));
}

TEST(BatchPolicyTest, PayloadLimitClosesTheBatchBeforeTheMessageThatWouldPassIt) {
  BatchPolicy p({10, 60'000, 100});
  EXPECT_TRUE(p.fits(500)) << "an empty batch takes a message bigger than the limit alone";
  p.add(60, 0);
  EXPECT_TRUE(p.fits(40));
  EXPECT_FALSE(p.fits(41));
  p.add(40, 1);
  EXPECT_TRUE(p.due(2)) << "exactly at the limit: nothing more fits";
}

}  // namespace
}  // namespace sluice::engine::pipes
