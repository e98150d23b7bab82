// json::Value -> compact JSON text, formatted as AWS formats state data: no whitespace, members in
// insertion order, integers as written, doubles as Java's Double.toString writes them ("1.0",
// "0.5", "1.0E20", "1.0E-5"), non-ASCII characters raw, control characters escaped.
#pragma once

#include <string>

#include "engine/json/json_value.h"

namespace sluice::engine::json {

std::string serialize(const Value& v);
void serialize_to(const Value& v, std::string& out);

// A double as Java's Double.toString writes it (shortest digits that round-trip). Non-finite
// values, which JSON cannot hold, come out as "null".
std::string format_double(double d);

// Appends s as a quoted, escaped JSON string.
void append_quoted(std::string_view s, std::string& out);
// The same without the quotes (s escaped for the inside of a JSON string).
void append_escaped(std::string_view s, std::string& out);

}  // namespace sluice::engine::json
