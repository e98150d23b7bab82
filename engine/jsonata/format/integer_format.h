// Internal to engine/jsonata/format/: format-integer pictures (XPath F&O §4.6) as JSONata
// analyses them, shared by $formatInteger/$parseInteger and the integer-valued components of
// $fromMillis/$toMillis pictures; and JSONata's error messages for these functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/jsonata/format/format_error.h"
#include "storage/result.h"

namespace sluice::engine::jsonata::format::detail {

// The error with JSONata's message for `code`; `value_json` fills {{value}} (already in
// JSON.stringify form, e.g. "\"foo\"" or "37").
FormatError jsonata_error(std::string_view code, std::string_view value_json = "undefined");

// A failure the reference does not report as a JSONata error but as a JavaScript exception
// (TypeError, RangeError): no code, the JavaScript message.
FormatError script_error(std::string message);

// The reference never returns (an endless loop inside the built-in); reported as JSONata's
// evaluation time-out would report it.
FormatError non_terminating();

enum class Primary { kDecimal, kLetters, kRoman, kWords, kSequence };
enum class LetterCase { kUpper, kLower, kTitle };

struct GroupingSeparator {
  int position = 0;  // digits to its right
  char32_t character = ',';
};

struct IntegerPicture {
  Primary primary = Primary::kDecimal;
  LetterCase letter_case = LetterCase::kLower;
  bool ordinal = false;
  // Decimal digit patterns only.
  char32_t zero_code = '0';
  double mandatory_digits = 0;  // a date/time width modifier may make it NaN, as in JavaScript
  int optional_digits = 0;
  bool regular = false;
  GroupingSeparator regular_separator;        // when regular: the repeating interval and character
  std::vector<GroupingSeparator> separators;  // when not: right to left
  // kSequence: the picture JSONata refuses with D3130 when it is used.
  std::u32string token;
};

// analyseIntegerPicture. Errors: D3131.
Result<IntegerPicture, FormatError> analyse_integer_picture(std::u32string_view picture);

// _formatInteger: appends `value` (an integer, or NaN for an invalid date) formatted by
// `picture` to `out`. Errors: D3130 (sequence), and the reference's JavaScript failures.
Result<bool, FormatError> format_integer_to(double value, const IntegerPicture& picture,
                                            std::string& out);

// The reference's readers of a formatted integer (no validation: unreadable text gives NaN).
double letters_to_decimal(std::u32string_view text, char32_t a_char);
double roman_to_decimal(std::u32string_view upper_text);
double words_to_number(std::u32string_view text);  // any case
// Reads `text` with a decimal picture (ordinal suffix, separators, digit family).
Result<double, FormatError> parse_decimal(std::u32string_view text, const IntegerPicture& picture);

// The English words that may make up a number written in words, in the order the reference's
// regular expression tries them (longest alternatives are not first: the order matters).
const std::vector<std::u32string>& number_words();

char32_t ascii_upper(char32_t c);
char32_t ascii_lower(char32_t c);

}  // namespace sluice::engine::jsonata::format::detail
