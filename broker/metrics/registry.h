// Registry: every metric of the process and the Prometheus text rendering of /metrics.
//
// Threads: registration (counter()/gauge()/histogram()/add_collector()) and render() belong to
// the loop thread; values may be fed from any thread (Counter/Histogram/Gauge::set use relaxed
// atomics; see their headers). Collectors and bound gauge functions run inside render().
//
// Layers that must not depend on this code export their stats through a collector: a callback
// that appends complete Prometheus text (HELP/TYPE and samples) at render time.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "broker/metrics/counter.h"
#include "broker/metrics/gauge.h"
#include "broker/metrics/histogram.h"

namespace sluice::metrics {

class Registry {
 public:
  using Collector = std::function<void(std::string& out)>;

  Registry() = default;
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Registering a name again returns the family already registered (the help and labels of
  // the first registration stand). Reusing a name for another type, an invalid metric or label
  // name, or a histogram label named "le" is a programming error: the family returned works
  // but is never rendered (rejected_names() lists them, for a startup log line).
  CounterFamily& counter(const std::string& name, const std::string& help,
                         std::vector<std::string> label_names = {});
  GaugeFamily& gauge(const std::string& name, const std::string& help,
                     std::vector<std::string> label_names = {});
  HistogramFamily& histogram(const std::string& name, const std::string& help,
                             std::vector<std::string> label_names = {},
                             std::vector<double> bounds = default_latency_buckets());

  // An unlabeled gauge computed at scrape time.
  void gauge_function(const std::string& name, const std::string& help, std::function<double()> fn);

  void add_collector(Collector c) { collectors_.push_back(std::move(c)); }

  // Families in registration order, then collectors in the order added.
  std::string render() const;
  void render_into(std::string& out) const;

  std::vector<std::string> rejected_names() const;

 private:
  template <class F, class... Extra>
  F& add(const std::string& name, const std::string& help, std::vector<std::string> label_names,
         Extra&&... extra);
  Family* find(const std::string& name) const;

  std::vector<std::unique_ptr<Family>> families_;  // rendered
  std::vector<std::unique_ptr<Family>> rejected_;  // misregistered: kept alive, not rendered
  std::vector<Collector> collectors_;
};

}  // namespace sluice::metrics
