// Histogram observation and rendering.
#include "broker/metrics/histogram.h"

#include <algorithm>
#include <cmath>

#include "broker/metrics/text_format.h"

namespace sluice::metrics {

const std::vector<double>& default_latency_buckets() {
  static const std::vector<double> b = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                        0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,    10};
  return b;
}

Histogram::Histogram(const std::vector<double>& bounds)
    : bounds_(bounds), counts_(new std::atomic<uint64_t>[bounds.size() + 1]) {
  for (size_t i = 0; i <= bounds.size(); ++i) counts_[i].store(0, std::memory_order_relaxed);
}

void Histogram::observe(double v) {
  // First bound >= v: Prometheus buckets are "less than or equal".
  size_t i =
      static_cast<size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), v) - bounds_.begin());
  if (std::isnan(v)) i = bounds_.size();
  counts_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(v, std::memory_order_relaxed);
}

HistogramFamily::HistogramFamily(std::string name, std::string help,
                                 std::vector<std::string> label_names, std::vector<double> bounds)
    : FamilyOf<Histogram>(std::move(name), std::move(help), std::move(label_names)) {
  bounds.erase(
      std::remove_if(bounds.begin(), bounds.end(), [](double b) { return !std::isfinite(b); }),
      bounds.end());
  std::sort(bounds.begin(), bounds.end());
  bounds.erase(std::unique(bounds.begin(), bounds.end()), bounds.end());
  bounds_ = std::move(bounds);
  for (double b : bounds_) {
    std::string s;
    append_value(s, b);
    le_text_.push_back(std::move(s));
  }
}

std::unique_ptr<Histogram> HistogramFamily::make_child() {
  return std::make_unique<Histogram>(bounds_);
}

void HistogramFamily::render_samples(std::string& out) const {
  for_each_child([&](const LabelValues& values, const Histogram& h) {
    uint64_t cumulative = 0;
    for (size_t i = 0; i < bounds_.size(); ++i) {
      cumulative += h.bucket_count(i);
      append_series(out, "_bucket", values, "le", le_text_[i]);
      append_value(out, cumulative);
      out.push_back('\n');
    }
    cumulative += h.bucket_count(bounds_.size());
    append_series(out, "_bucket", values, "le", "+Inf");
    append_value(out, cumulative);
    out.push_back('\n');
    append_series(out, "_sum", values);
    append_value(out, h.sum());
    out.push_back('\n');
    append_series(out, "_count", values);
    append_value(out, cumulative);
    out.push_back('\n');
  });
}

}  // namespace sluice::metrics
