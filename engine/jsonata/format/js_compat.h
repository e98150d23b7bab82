// The few JavaScript primitives whose exact results JSONata's formatting functions depend on
// (Number#toString, Number#toFixed, parseInt, Math.round, JSONata's own $round, JSON.stringify of
// a string), and UTF-8 <-> code point conversion. Internal to engine/jsonata/format/.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::engine::jsonata::format::js {

// UTF-8 to code points and back. Invalid UTF-8 bytes become U+FFFD (JSON text is valid UTF-8,
// so this only guards against misuse). One code point is appended with jsonata::append_utf8.
std::u32string to_u32(std::string_view utf8);
std::string to_utf8(std::u32string_view text);

// JavaScript's WhiteSpace and LineTerminator code points (what String#trim and \s skip).
bool is_space(char32_t cp);

// Number#toString() (radix 10): shortest round-trip digits, "1e+21" style beyond 1e21,
// "1e-7" style below 1e-6, "NaN", "Infinity", "-Infinity"; -0 prints "0".
std::string number_to_string(double value);

// Number#toString(radix) for 2 <= radix <= 36 (V8's algorithm: digits of the integer part, the
// digits a double cannot represent printed as "0"; fractional digits until the value is exact).
std::string number_to_radix_string(double value, int radix);

// Number#toFixed(digits) for 0 <= digits <= 100: the exact decimal value rounded half up.
std::string to_fixed(double value, int digits);

// Math.round: to the nearest integer, halves toward +Infinity.
double math_round(double value);

// JSONata's $round(value, precision): half to even at a decimal position, computed by shifting
// the decimal exponent in the number's string form; -0 becomes 0.
double jsonata_round(double value, int precision);

// parseInt(text) with no radix: leading white space, a sign, "0x" for hexadecimal, then the
// longest run of digits; NaN when there is none.
double parse_int(std::u32string_view text);
double parse_int(std::string_view text);

// JSON.stringify of a string: the form JSONata's error messages quote values in.
std::string json_quote(std::string_view text);

}  // namespace sluice::engine::jsonata::format::js
