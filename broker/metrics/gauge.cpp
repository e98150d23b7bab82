// Gauge rendering.
#include "broker/metrics/gauge.h"

#include "broker/metrics/text_format.h"

namespace sluice::metrics {

void GaugeFamily::render_samples(std::string& out) const {
  for_each_child([&](const LabelValues& values, const Gauge& g) {
    append_series(out, {}, values);
    append_value(out, g.value());
    out.push_back('\n');
  });
}

}  // namespace sluice::metrics
