// Prometheus text format primitives.
#include "broker/metrics/text_format.h"

#include <charconv>
#include <cmath>

namespace sluice::metrics {

namespace {

bool is_alpha_(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

bool valid_metric_name(std::string_view name) {
  if (name.empty() || !(is_alpha_(name[0]) || name[0] == ':')) return false;
  for (char c : name) {
    if (!(is_alpha_(c) || is_digit(c) || c == ':')) return false;
  }
  return true;
}

bool valid_label_name(std::string_view name) {
  if (name.empty() || !is_alpha_(name[0]) || name.substr(0, 2) == "__") return false;
  for (char c : name) {
    if (!(is_alpha_(c) || is_digit(c))) return false;
  }
  return true;
}

void append_label_value(std::string& out, std::string_view value) {
  for (char c : value) {
    switch (c) {
      case '\\':
        out.append("\\\\");
        break;
      case '"':
        out.append("\\\"");
        break;
      case '\n':
        out.append("\\n");
        break;
      default:
        out.push_back(c);
    }
  }
}

void append_help_text(std::string& out, std::string_view help) {
  for (char c : help) {
    switch (c) {
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      default:
        out.push_back(c);
    }
  }
}

void append_value(std::string& out, double v) {
  if (std::isnan(v)) {
    out.append("NaN");
  } else if (std::isinf(v)) {
    out.append(v > 0 ? "+Inf" : "-Inf");
  } else if (v == std::trunc(v) && std::fabs(v) < 9007199254740992.0) {
    // Integral values (byte counts, depths) read better without an exponent.
    char buf[24];
    auto res = std::to_chars(buf, buf + sizeof buf, static_cast<int64_t>(v));
    out.append(buf, res.ptr);
  } else {
    // Shortest round-trip digits, %g-style: 0.0001 rather than 1e-04 (as Go's 'g', -1).
    char buf[32];
    auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general);
    out.append(buf, res.ptr);
  }
}

void append_value(std::string& out, uint64_t v) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, res.ptr);
}

}  // namespace sluice::metrics
