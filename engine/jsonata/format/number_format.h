// Number formatting for JSONata's $formatNumber, $formatInteger, $parseInteger and $formatBase:
// XPath F&O 3.1 format-number (§4.7) and format-integer (§4.6) pictures as JSONata 2.0.6
// implements them, including its quirks, so that results agree with the reference
// implementation character for character. English words only, as JSONata.
//
// Pure functions: no evaluator, no JSON values, no locale. $formatNumber pictures are analysed once
// per thread and kept in a small per-thread cache; results do not depend on it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "engine/jsonata/format/format_error.h"
#include "storage/result.h"

namespace sluice::engine::jsonata::format {

// $formatInteger(value, picture): the value is floored first. Decimal digit patterns ("0",
// "#,##0", "000", any Unicode decimal digit family), "w"/"W"/"Ww" words, "i"/"I" roman
// numerals, "a"/"A" letters, ";o" ordinals. Errors: D3130 (unsupported sequence), D3131, and
// "" where the reference overflows its stack (words for NaN, roman numerals past ~10^7).
Result<std::string, FormatError> format_integer(double value, std::string_view picture);

// $parseInteger(text, picture): the inverse. JSONata does not validate the text against the
// picture; text it cannot read gives NaN (as the reference returns). Errors: D3130, D3131, and
// "" for digits outside a non-ASCII digit family (the reference's invalid code point).
Result<double, FormatError> parse_integer(std::string_view text, std::string_view picture);

// The decimal-format properties of $formatNumber's options object (F&O §4.7.1), UTF-8. The
// engine copies each string property the options object has over the default.
struct DecimalFormat {
  std::string decimal_separator = ".";
  std::string grouping_separator = ",";
  std::string exponent_separator = "e";
  std::string infinity = "Infinity";
  std::string minus_sign = "-";
  std::string nan = "NaN";
  std::string percent = "%";
  std::string per_mille = "\u2030";
  std::string zero_digit = "0";
  std::string digit = "#";
  std::string pattern_separator = ";";

  // Sets the property an options key names ("decimal-separator", "per-mille", "NaN", ...).
  // Returns false for a key that is not a decimal-format property (JSONata ignores those).
  bool set(std::string_view key, std::string_view value);

  bool operator==(const DecimalFormat&) const = default;
};

// $formatNumber(value, picture, options?): rounding half to even as JSONata's $round, then the
// exact decimal digits. Errors: D3080 to D3093; also (see FormatError) "" for a picture without
// digit signs or with more than 100 fraction digits, and U1001 for an exponent picture with a
// zero, negative or infinite value (the reference loops forever).
Result<std::string, FormatError> format_number(double value, std::string_view picture,
                                               const DecimalFormat& options = {});

// $formatBase(value, radix?): value and radix are rounded (half to even) first; radix defaults
// to 10. Errors: D3100 (radix outside 2..36).
Result<std::string, FormatError> format_base(double value, std::optional<double> radix);

}  // namespace sluice::engine::jsonata::format
