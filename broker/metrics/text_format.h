// Prometheus text exposition format (version 0.0.4) primitives: name validation, escaping and
// number formatting. Pure functions: any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::metrics {

// The Content-Type a /metrics response carries.
inline constexpr std::string_view kTextContentType = "text/plain; version=0.0.4; charset=utf-8";

// [a-zA-Z_:][a-zA-Z0-9_:]*
bool valid_metric_name(std::string_view name);
// [a-zA-Z_][a-zA-Z0-9_]*, not starting with "__" (reserved).
bool valid_label_name(std::string_view name);

// Label value: backslash, double quote and line feed are escaped.
void append_label_value(std::string& out, std::string_view value);
// HELP text: backslash and line feed are escaped.
void append_help_text(std::string& out, std::string_view help);
// Sample value: integral values as integers, others in shortest round-trip %g form; "+Inf",
// "-Inf", "NaN".
void append_value(std::string& out, double v);
void append_value(std::string& out, uint64_t v);

}  // namespace sluice::metrics
