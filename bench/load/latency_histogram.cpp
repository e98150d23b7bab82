#include "bench/load/latency_histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace sluice::bench {

namespace {
constexpr uint64_t kHalf = uint64_t{1} << LatencyHistogram::kSubBucketBits;  // 128
}

size_t LatencyHistogram::bucket_index(uint64_t v) {
  if (v < kExactLimit) return static_cast<size_t>(v);
  const unsigned top = 63u - static_cast<unsigned>(std::countl_zero(v));  // >= 8
  if (top >= kMaxBits) return kBucketCount - 1;
  const unsigned shift = top - kSubBucketBits;       // keeps the leading 8 bits
  const uint64_t sub = v >> shift;                   // in [128, 256)
  const size_t octave = top - (kSubBucketBits + 1);  // 0 for [256, 512)
  return static_cast<size_t>(kExactLimit + octave * kHalf + (sub - kHalf));
}

uint64_t LatencyHistogram::bucket_lowest(size_t index) {
  if (index < kExactLimit) return index;
  const size_t octave = (index - kExactLimit) / kHalf;
  const uint64_t sub = kHalf + (index - kExactLimit) % kHalf;
  return sub << (octave + 1);
}

uint64_t LatencyHistogram::bucket_highest(size_t index) {
  if (index < kExactLimit) return index;
  const size_t octave = (index - kExactLimit) / kHalf;
  return bucket_lowest(index) + (uint64_t{1} << (octave + 1)) - 1;
}

void LatencyHistogram::record(uint64_t micros, uint64_t count) {
  if (count == 0) return;
  buckets_[bucket_index(micros)] += count;
  count_ += count;
  sum_ += micros * count;
  min_ = std::min(min_, micros);
  max_ = std::max(max_, micros);
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  if (other.count_ == 0) return;
  for (size_t i = 0; i < kBucketCount; ++i) buckets_[i] += other.buckets_[i];
  count_ += other.count_;
  sum_ += other.sum_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
}

void LatencyHistogram::reset() {
  *this = LatencyHistogram();
}

uint64_t LatencyHistogram::percentile(double p) const {
  if (count_ == 0) return 0;
  if (p <= 0) return min();
  if (p >= 100) return max_;
  const auto rank = static_cast<uint64_t>(std::ceil(p / 100.0 * static_cast<double>(count_)));
  const uint64_t target = std::max<uint64_t>(rank, 1);
  uint64_t seen = 0;
  for (size_t i = 0; i < kBucketCount; ++i) {
    seen += buckets_[i];
    if (seen >= target) return std::clamp(bucket_highest(i), min(), max_);
  }
  return max_;
}

}  // namespace sluice::bench
