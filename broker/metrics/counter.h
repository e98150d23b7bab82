// Counter: a monotonically increasing count. inc() is a relaxed atomic add, so any thread may
// feed it; pre-resolve the child once (`Counter& c = family.with({...})`) and keep it.
#pragma once

#include <atomic>
#include <cstdint>

#include "broker/metrics/family.h"

namespace sluice::metrics {

class Counter {
 public:
  void inc(uint64_t n = 1) { v_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t value() const { return v_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> v_{0};
};

class CounterFamily final : public FamilyOf<Counter> {
 public:
  using FamilyOf<Counter>::FamilyOf;
  std::string_view type() const override { return "counter"; }

 protected:
  std::unique_ptr<Counter> make_child() override { return std::make_unique<Counter>(); }
  void render_samples(std::string& out) const override;
};

}  // namespace sluice::metrics
