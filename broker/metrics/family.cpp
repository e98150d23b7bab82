// Family rendering shared by every metric type.
#include "broker/metrics/family.h"

#include "broker/metrics/text_format.h"

namespace sluice::metrics {

void Family::render(std::string& out) const {
  out.append("# HELP ");
  out.append(name_);
  out.push_back(' ');
  append_help_text(out, help_);
  out.append("\n# TYPE ");
  out.append(name_);
  out.push_back(' ');
  out.append(type());
  out.push_back('\n');
  render_samples(out);
}

void Family::append_series(std::string& out, std::string_view suffix, const LabelValues& values,
                           std::string_view extra_name, std::string_view extra_value) const {
  out.append(name_);
  out.append(suffix);
  if (!values.empty() || !extra_name.empty()) {
    out.push_back('{');
    bool first = true;
    for (size_t i = 0; i < values.size() && i < label_names_.size(); ++i) {
      if (!first) out.push_back(',');
      first = false;
      out.append(label_names_[i]);
      out.append("=\"");
      append_label_value(out, values[i]);
      out.push_back('"');
    }
    if (!extra_name.empty()) {
      if (!first) out.push_back(',');
      out.append(extra_name);
      out.append("=\"");
      out.append(extra_value);
      out.push_back('"');
    }
    out.push_back('}');
  }
  out.push_back(' ');
}

}  // namespace sluice::metrics
