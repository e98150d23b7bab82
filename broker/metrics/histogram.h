// Histogram: observations counted into fixed buckets (upper bounds, "le"), plus their sum.
// observe() is a binary search and two relaxed atomic adds: any thread may feed it. Rendered
// as cumulative _bucket series ending in le="+Inf", then _sum and _count; _count equals the
// +Inf bucket by construction.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "broker/metrics/family.h"

namespace sluice::metrics {

// Request latency in seconds: 100 µs .. 10 s.
const std::vector<double>& default_latency_buckets();

class Histogram {
 public:
  // `bounds`: strictly increasing upper bounds, finite; owned by the family.
  explicit Histogram(const std::vector<double>& bounds);

  void observe(double v);

  // Non-cumulative count of bucket i; i == bounds.size() is the overflow (+Inf) bucket.
  uint64_t bucket_count(size_t i) const { return counts_[i].load(std::memory_order_relaxed); }
  double sum() const { return sum_.load(std::memory_order_relaxed); }
  const std::vector<double>& bounds() const { return bounds_; }

 private:
  const std::vector<double>& bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;
  std::atomic<double> sum_{0};
};

class HistogramFamily final : public FamilyOf<Histogram> {
 public:
  // Bounds are sorted, de-duplicated, and stripped of non-finite values.
  HistogramFamily(std::string name, std::string help, std::vector<std::string> label_names,
                  std::vector<double> bounds);
  std::string_view type() const override { return "histogram"; }

 protected:
  std::unique_ptr<Histogram> make_child() override;
  void render_samples(std::string& out) const override;

 private:
  std::vector<double> bounds_;
  std::vector<std::string> le_text_;  // formatted bounds, computed once
};

}  // namespace sluice::metrics
