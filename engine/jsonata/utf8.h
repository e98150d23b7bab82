// UTF-8 helpers. JSONata strings are JavaScript strings (UTF-16); here they are UTF-8. Functions
// that count characters ($length, $substring, $pad) count code points as JSONata does; offsets
// JSONata reports ($match's index, error positions) are UTF-16 code units, converted here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "text/utf8.h"

namespace sluice::engine::jsonata {

using text::append_utf8;

// Decodes the code point at s[i] and advances i. Invalid bytes decode as themselves (one byte).
uint32_t next_code_point(std::string_view s, std::size_t& i);

// Number of code points.
std::size_t code_point_count(std::string_view s);

// Byte offset of code point number n (s.size() when n is past the end).
std::size_t byte_offset_of_code_point(std::string_view s, std::size_t n);

// UTF-16 code units in s (what JavaScript's length would say).
std::size_t utf16_length(std::string_view s);

// JavaScript's toUpperCase / toLowerCase, for the characters they map one to one plus the
// common expansions (ß -> SS, İ -> i̇).
std::string to_upper(std::string_view s);
std::string to_lower(std::string_view s);

// Compares as JavaScript compares strings: by UTF-16 code units.
int compare_utf16(std::string_view a, std::string_view b);

}  // namespace sluice::engine::jsonata
