// Counter rendering.
#include "broker/metrics/counter.h"

#include "broker/metrics/text_format.h"

namespace sluice::metrics {

void CounterFamily::render_samples(std::string& out) const {
  for_each_child([&](const LabelValues& values, const Counter& c) {
    append_series(out, {}, values);
    append_value(out, c.value());
    out.push_back('\n');
  });
}

}  // namespace sluice::metrics
