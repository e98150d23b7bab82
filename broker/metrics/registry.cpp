// Registry: registration and rendering.
#include "broker/metrics/registry.h"

#include <type_traits>

#include "broker/metrics/text_format.h"

namespace sluice::metrics {

Family* Registry::find(const std::string& name) const {
  for (const auto& f : families_) {
    if (f->name() == name) return f.get();
  }
  return nullptr;
}

template <class F, class... Extra>
F& Registry::add(const std::string& name, const std::string& help,
                 std::vector<std::string> label_names, Extra&&... extra) {
  Family* existing = find(name);
  if (existing != nullptr) {
    if (auto* same = dynamic_cast<F*>(existing)) return *same;
  }
  bool ok = existing == nullptr && valid_metric_name(name);
  for (const std::string& l : label_names) {
    ok = ok && valid_label_name(l);
    if constexpr (std::is_same_v<F, HistogramFamily>) ok = ok && l != "le";
  }
  auto family =
      std::make_unique<F>(name, help, std::move(label_names), std::forward<Extra>(extra)...);
  F& ref = *family;
  (ok ? families_ : rejected_).push_back(std::move(family));
  return ref;
}

CounterFamily& Registry::counter(const std::string& name, const std::string& help,
                                 std::vector<std::string> label_names) {
  return add<CounterFamily>(name, help, std::move(label_names));
}

GaugeFamily& Registry::gauge(const std::string& name, const std::string& help,
                             std::vector<std::string> label_names) {
  return add<GaugeFamily>(name, help, std::move(label_names));
}

HistogramFamily& Registry::histogram(const std::string& name, const std::string& help,
                                     std::vector<std::string> label_names,
                                     std::vector<double> bounds) {
  return add<HistogramFamily>(name, help, std::move(label_names), std::move(bounds));
}

void Registry::gauge_function(const std::string& name, const std::string& help,
                              std::function<double()> fn) {
  gauge(name, help).get().bind(std::move(fn));
}

std::string Registry::render() const {
  std::string out;
  render_into(out);
  return out;
}

void Registry::render_into(std::string& out) const {
  for (const auto& f : families_) f->render(out);
  for (const auto& c : collectors_) c(out);
}

std::vector<std::string> Registry::rejected_names() const {
  std::vector<std::string> names;
  for (const auto& f : rejected_) names.push_back(f->name());
  return names;
}

}  // namespace sluice::metrics
