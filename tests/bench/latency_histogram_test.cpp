// LatencyHistogram: percentiles within the promised 1/128 relative error, exact max, merging.
#include "bench/load/latency_histogram.h"

#include <gtest/gtest.h>

#include <cmath>

namespace sluice::bench {
namespace {

TEST(LatencyHistogram, EmptyReportsZero) {
  LatencyHistogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.percentile(50), 0u);
  EXPECT_EQ(h.max(), 0u);
  EXPECT_EQ(h.min(), 0u);
}

TEST(LatencyHistogram, SmallValuesAreExact) {
  LatencyHistogram h;
  for (uint64_t v = 1; v <= 100; ++v) h.record(v);
  EXPECT_EQ(h.percentile(50), 50u);
  EXPECT_EQ(h.percentile(90), 90u);
  EXPECT_EQ(h.percentile(99), 99u);
  EXPECT_EQ(h.percentile(100), 100u);
  EXPECT_EQ(h.min(), 1u);
  EXPECT_DOUBLE_EQ(h.mean(), 50.5);
}

TEST(LatencyHistogram, UniformDistributionPercentilesWithinOnePercent) {
  LatencyHistogram h;
  for (uint64_t v = 1; v <= 100000; ++v) h.record(v);
  for (double p : {50.0, 90.0, 99.0, 99.9}) {
    const double expected = p / 100.0 * 100000;
    const double got = static_cast<double>(h.percentile(p));
    EXPECT_NEAR(got, expected, expected * 0.01) << "p" << p;
    EXPECT_GE(got, expected) << "reported value is the bucket's top, never below the truth";
  }
  EXPECT_EQ(h.max(), 100000u);
}

TEST(LatencyHistogram, OneSlowOutlierShowsOnlyAtTheTail) {
  LatencyHistogram h;
  h.record(200, 9990);      // 0.2 ms
  h.record(2'000'000, 10);  // 2 s
  EXPECT_EQ(h.percentile(50), 200u);
  EXPECT_EQ(h.percentile(99), 200u);
  EXPECT_NEAR(static_cast<double>(h.percentile(99.95)), 2e6, 2e6 / 128);
  EXPECT_EQ(h.max(), 2'000'000u);
}

TEST(LatencyHistogram, MinutesKeepPrecisionAndMaxIsExact) {
  LatencyHistogram h;
  const uint64_t five_minutes = 300'000'000;  // us
  h.record(five_minutes + 12345);
  EXPECT_EQ(h.max(), five_minutes + 12345);
  EXPECT_EQ(h.percentile(50), five_minutes + 12345) << "clamped to max";
  LatencyHistogram g;
  g.record(five_minutes);
  g.record(2 * five_minutes);
  const double p50 = static_cast<double>(g.percentile(50));
  EXPECT_NEAR(p50, static_cast<double>(five_minutes), five_minutes / 128.0);
}

TEST(LatencyHistogram, BeyondTrackedRangeLandsInLastBucket) {
  LatencyHistogram h;
  h.record(100);
  h.record(uint64_t{1} << 40);  // 12 days
  EXPECT_EQ(LatencyHistogram::bucket_index(uint64_t{1} << 40), LatencyHistogram::kBucketCount - 1);
  EXPECT_EQ(h.max(), uint64_t{1} << 40) << "max stays exact";
  EXPECT_EQ(h.percentile(99), (uint64_t{1} << 32) - 1) << "percentiles saturate at 71 minutes";
}

TEST(LatencyHistogram, BucketsTileTheRangeWithBoundedWidth) {
  for (size_t i = 1; i < LatencyHistogram::kBucketCount; ++i) {
    ASSERT_EQ(LatencyHistogram::bucket_lowest(i), LatencyHistogram::bucket_highest(i - 1) + 1) << i;
    const uint64_t lo = LatencyHistogram::bucket_lowest(i);
    const uint64_t width = LatencyHistogram::bucket_highest(i) - lo + 1;
    if (i < LatencyHistogram::kExactLimit) {
      ASSERT_EQ(width, 1u) << i;
    } else {
      ASSERT_LE(static_cast<double>(width) / static_cast<double>(lo), 1.0 / 128 + 1e-12) << i;
    }
    ASSERT_EQ(LatencyHistogram::bucket_index(lo), i);
    ASSERT_EQ(LatencyHistogram::bucket_index(LatencyHistogram::bucket_highest(i)), i);
  }
  EXPECT_EQ(LatencyHistogram::bucket_highest(LatencyHistogram::kBucketCount - 1),
            (uint64_t{1} << 32) - 1);
}

TEST(LatencyHistogram, MergeEqualsRecordingEverything) {
  LatencyHistogram a, b, all;
  for (uint64_t v = 1; v < 5000; v += 3) {
    (v % 2 ? a : b).record(v * 7);
    all.record(v * 7);
  }
  a.merge(b);
  EXPECT_EQ(a.count(), all.count());
  EXPECT_EQ(a.max(), all.max());
  EXPECT_EQ(a.min(), all.min());
  for (double p : {10.0, 50.0, 99.0, 99.9}) EXPECT_EQ(a.percentile(p), all.percentile(p));
}

TEST(LatencyHistogram, ResetForgets) {
  LatencyHistogram h;
  h.record(1000, 5);
  h.reset();
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.max(), 0u);
  h.record(7);
  EXPECT_EQ(h.min(), 7u);
}

}  // namespace
}  // namespace sluice::bench
