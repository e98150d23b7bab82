// LatencyHistogram: an HDR-style histogram of latencies in microseconds. Buckets are log-linear:
// values below 256 us are exact; above, every power-of-two range is split into 128 equal buckets,
// so a reported percentile is within 1/128 (0.8%) of the true value. Values up to 2^32 us (71 min)
// are bucketed; larger ones land in the last bucket, and max() is always exact. Fixed size (~26
// KiB), recording is O(1) and allocation-free. Not thread-safe: one per loop thread, merged at the
// end.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace sluice::bench {

class LatencyHistogram {
 public:
  static constexpr unsigned kSubBucketBits = 7;  // 128 buckets per half-octave: <= 0.8% error
  static constexpr uint64_t kExactLimit = uint64_t{2} << kSubBucketBits;  // 256: exact below
  static constexpr unsigned kMaxBits = 32;                                // 2^32 us tracked
  static constexpr size_t kBucketCount =
      kExactLimit + (kMaxBits - (kSubBucketBits + 1)) * (size_t{1} << kSubBucketBits);

  void record(uint64_t micros, uint64_t count = 1);
  void merge(const LatencyHistogram& other);
  void reset();

  uint64_t count() const { return count_; }
  uint64_t min() const { return count_ ? min_ : 0; }
  uint64_t max() const { return max_; }
  double mean() const {
    return count_ ? static_cast<double>(sum_) / static_cast<double>(count_) : 0;
  }
  // The smallest value v such that at least p% of the recorded values are <= v, up to bucket
  // precision (reported as the bucket's highest value, never above max()). p in [0, 100].
  uint64_t percentile(double p) const;

  static size_t bucket_index(uint64_t micros);
  static uint64_t bucket_lowest(size_t index);
  static uint64_t bucket_highest(size_t index);

 private:
  std::array<uint64_t, kBucketCount> buckets_{};
  uint64_t count_ = 0;
  uint64_t sum_ = 0;
  uint64_t min_ = UINT64_MAX;
  uint64_t max_ = 0;
};

}  // namespace sluice::bench
