// Gauge: a value that goes up and down. Either set/add it (relaxed atomics: any thread), or
// bind a function that computes it at scrape time (bind() and the function itself: the
// scraping thread, i.e. the loop thread), e.g. open connections or queue depth.
#pragma once

#include <atomic>
#include <functional>

#include "broker/metrics/family.h"

namespace sluice::metrics {

class Gauge {
 public:
  void set(double v) { v_.store(v, std::memory_order_relaxed); }
  void add(double d) { v_.fetch_add(d, std::memory_order_relaxed); }
  void bind(std::function<double()> fn) { fn_ = std::move(fn); }
  double value() const { return fn_ ? fn_() : v_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> v_{0};
  std::function<double()> fn_;
};

class GaugeFamily final : public FamilyOf<Gauge> {
 public:
  using FamilyOf<Gauge>::FamilyOf;
  std::string_view type() const override { return "gauge"; }

 protected:
  std::unique_ptr<Gauge> make_child() override { return std::make_unique<Gauge>(); }
  void render_samples(std::string& out) const override;
};

}  // namespace sluice::metrics
