#include "engine/jsonata/format/integer_format.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>

#include "engine/jsonata/format/js_compat.h"
#include "engine/jsonata/utf8.h"

namespace sluice::engine::jsonata::format::detail {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

constexpr std::array<const char*, 20> kFew = {
    "Zero",     "One",     "Two",     "Three",     "Four",     "Five",    "Six",
    "Seven",    "Eight",   "Nine",    "Ten",       "Eleven",   "Twelve",  "Thirteen",
    "Fourteen", "Fifteen", "Sixteen", "Seventeen", "Eighteen", "Nineteen"};
constexpr std::array<const char*, 20> kOrdinals = {
    "Zeroth",     "First",     "Second",    "Third",       "Fourth",     "Fifth",     "Sixth",
    "Seventh",    "Eighth",    "Ninth",     "Tenth",       "Eleventh",   "Twelfth",   "Thirteenth",
    "Fourteenth", "Fifteenth", "Sixteenth", "Seventeenth", "Eighteenth", "Nineteenth"};
// "Hundred" is the reference's ninth decade: it only matters for reading words back.
constexpr std::array<const char*, 9> kDecades = {"Twenty",  "Thirty", "Forty",  "Fifty",  "Sixty",
                                                 "Seventy", "Eighty", "Ninety", "Hundred"};
constexpr std::array<const char*, 4> kMagnitudes = {"Thousand", "Million", "Billion", "Trillion"};

// The first code point of each Unicode decimal digit family the reference recognises.
constexpr std::array<char32_t, 37> kDecimalGroups = {
    0x30,   0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6,
    0x0C66, 0x0CE6, 0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0,
    0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620,
    0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10};

// The reference recurses once per numeral; past about this many it overflows V8's stack.
constexpr size_t kMaxRomanNumerals = 10000;

struct WordValue {
  std::u32string word;
  double value;
};

// wordValues in the reference's insertion order (it is also the order of the alternatives in
// its regular expression for words).
const std::vector<WordValue>& word_values() {
  static const std::vector<WordValue> table = [] {
    std::vector<WordValue> t;
    auto lower = [](std::string_view s) {
      std::u32string out;
      for (char c : s) out.push_back(ascii_lower(static_cast<unsigned char>(c)));
      return out;
    };
    for (size_t i = 0; i < kFew.size(); ++i) t.push_back({lower(kFew[i]), double(i)});
    for (size_t i = 0; i < kOrdinals.size(); ++i) t.push_back({lower(kOrdinals[i]), double(i)});
    for (size_t i = 0; i < kDecades.size(); ++i) {
      std::u32string w = lower(kDecades[i]);
      const double v = double((i + 2) * 10);
      t.push_back({w, v});
      // The reference derives each ordinal by replacing the last letter with "ieth" (for
      // "hundred" that makes "hundreieth", worth 100 like "hundred").
      std::u32string ieth = w.substr(0, w.size() - 1) + U"ieth";
      t.push_back({ieth, v});
    }
    t.push_back({U"hundredth", 100});
    for (size_t i = 0; i < kMagnitudes.size(); ++i) {
      const double v = std::pow(10.0, double((i + 1) * 3));
      std::u32string w = lower(kMagnitudes[i]);
      t.push_back({w, v});
      t.push_back({w + U"th", v});
    }
    return t;
  }();
  return table;
}

double word_value(std::u32string_view word) {
  for (const auto& wv : word_values()) {
    if (wv.word == word) return wv.value;
  }
  return kNaN;  // unknown words (and "", and inherited names like "constructor") give NaN
}

void append_ascii_cased(std::string& out, std::string_view text, LetterCase letter_case) {
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (letter_case == LetterCase::kUpper) u = static_cast<unsigned char>(ascii_upper(u));
    if (letter_case == LetterCase::kLower) u = static_cast<unsigned char>(ascii_lower(u));
    out.push_back(static_cast<char>(u));
  }
}

// numberToWords' lookup. Returns false where the reference recurses without end (NaN and
// Infinity), which overflows its stack.
bool words_lookup(double num, bool prev, bool ord, std::string& words, int depth) {
  if (depth > 64 || !std::isfinite(num)) return false;
  if (num <= 19) {
    if (prev) words += " and ";
    // Only whole numbers 0..19 are reachable here (the caller floors, remainders are > 0).
    const auto i = static_cast<size_t>(num < 0 ? 0 : num);
    words += ord ? kOrdinals[i] : kFew[i];
  } else if (num < 100) {
    const auto tens = static_cast<size_t>(std::floor(num / 10));
    const double remainder = std::fmod(num, 10);
    if (prev) words += " and ";
    words += kDecades[tens - 2];
    if (remainder > 0) {
      words += '-';
      if (!words_lookup(remainder, false, ord, words, depth + 1)) return false;
    } else if (ord) {
      words.pop_back();  // "Twenty" -> "Twentieth"
      words += "ieth";
    }
  } else if (num < 1000) {
    const auto hundreds = static_cast<size_t>(std::floor(num / 100));
    const double remainder = std::fmod(num, 100);
    if (prev) words += ", ";
    words += kFew[hundreds];
    words += " Hundred";
    if (remainder > 0) {
      if (!words_lookup(remainder, true, ord, words, depth + 1)) return false;
    } else if (ord) {
      words += "th";
    }
  } else {
    double mag = std::floor(std::log10(num) / 3);
    if (mag > double(kMagnitudes.size())) mag = double(kMagnitudes.size());  // the largest word
    const double factor = std::pow(10.0, mag * 3);
    const double mant = std::floor(num / factor);
    const double remainder = num - mant * factor;
    if (prev) words += ", ";
    if (!words_lookup(mant, false, false, words, depth + 1)) return false;
    words += ' ';
    words += kMagnitudes[static_cast<size_t>(mag) - 1];
    if (remainder > 0) {
      if (!words_lookup(remainder, true, ord, words, depth + 1)) return false;
    } else if (ord) {
      words += "th";
    }
  }
  return true;
}

bool is_decimal_digit_of(char32_t cp, char32_t zero) {
  return cp >= zero && cp <= zero + 9;
}

// String.prototype.substr(start, length) on code points, as the reference inserts separators.
std::u32string js_substr(const std::u32string& s, long start, long length = -1,
                         bool to_end = true) {
  const long len = static_cast<long>(s.size());
  if (start < 0) start = std::max(len + start, 0L);
  if (start > len) start = len;
  long count = to_end ? len - start : std::min(std::max(length, 0L), len - start);
  if (count <= 0) return {};
  return s.substr(static_cast<size_t>(start), static_cast<size_t>(count));
}

int gcd_int(int a, int b) {
  return b == 0 ? a : gcd_int(b, a % b);
}

}  // namespace

char32_t ascii_upper(char32_t c) {
  return (c >= 'a' && c <= 'z') ? c - 32 : c;
}
char32_t ascii_lower(char32_t c) {
  return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

FormatError jsonata_error(std::string_view code, std::string_view value_json) {
  std::string message;
  const std::string v(value_json);
  if (code == "D3080") {
    message = "The picture string must only contain a maximum of two sub-pictures";
  } else if (code == "D3081") {
    message =
        "The sub-picture must not contain more than one instance of the "
        "'decimal-separator' character";
  } else if (code == "D3082") {
    message =
        "The sub-picture must not contain more than one instance of the 'percent' "
        "character";
  } else if (code == "D3083") {
    message =
        "The sub-picture must not contain more than one instance of the 'per-mille' "
        "character";
  } else if (code == "D3084") {
    message = "The sub-picture must not contain both a 'percent' and a 'per-mille' character";
  } else if (code == "D3085") {
    message =
        "The mantissa part of a sub-picture must contain at least one character that is "
        "either an 'optional digit character' or a member of the 'decimal digit family'";
  } else if (code == "D3086") {
    message =
        "The sub-picture must not contain a passive character that is preceded by an "
        "active character and that is followed by another active character";
  } else if (code == "D3087") {
    message =
        "The sub-picture must not contain a 'grouping-separator' character that appears "
        "adjacent to a 'decimal-separator' character";
  } else if (code == "D3088") {
    message =
        "The sub-picture must not contain a 'grouping-separator' at the end of the "
        "integer part";
  } else if (code == "D3089") {
    message =
        "The sub-picture must not contain two adjacent instances of the "
        "'grouping-separator' character";
  } else if (code == "D3090") {
    message =
        "The integer part of the sub-picture must not contain a member of the 'decimal "
        "digit family' that is followed by an instance of the 'optional digit character'";
  } else if (code == "D3091") {
    message =
        "The fractional part of the sub-picture must not contain an instance of the "
        "'optional digit character' that is followed by a member of the 'decimal digit "
        "family'";
  } else if (code == "D3092") {
    message =
        "A sub-picture that contains a 'percent' or 'per-mille' character must not "
        "contain a character treated as an 'exponent-separator'";
  } else if (code == "D3093") {
    message =
        "The exponent part of the sub-picture must comprise only of one or more "
        "characters that are members of the 'decimal digit family'";
  } else if (code == "D3100") {
    message = "The radix of the formatBase function must be between 2 and 36.  It was given " + v;
  } else if (code == "D3110") {
    message =
        "The argument of the toMillis function must be an ISO 8601 formatted timestamp. "
        "Given " +
        v;
  } else if (code == "D3130") {
    message = "Formatting or parsing an integer as a sequence starting with " + v +
              " is not supported by this implementation";
  } else if (code == "D3131") {
    message = "In a decimal digit pattern, all digits must be from the same decimal group";
  } else if (code == "D3132") {
    message = "Unknown component specifier " + v + " in date/time picture string";
  } else if (code == "D3133") {
    message =
        "The 'name' modifier can only be applied to months and days in the date/time "
        "picture string, not " +
        v;
  } else if (code == "D3134") {
    message = "The timezone integer format specifier cannot have more than four digits";
  } else if (code == "D3135") {
    message = "No matching closing bracket ']' in date/time picture string";
  } else if (code == "D3136") {
    message =
        "The date/time picture string is missing specifiers required to parse the "
        "timestamp";
  }
  return FormatError{std::string(code), std::move(message)};
}

FormatError script_error(std::string message) {
  return FormatError{"", std::move(message)};
}

FormatError non_terminating() {
  return FormatError{"U1001", "Expression evaluation timeout: Check for infinite loop"};
}

Result<IntegerPicture, FormatError> analyse_integer_picture(std::u32string_view picture) {
  IntegerPicture format;
  std::u32string_view primary = picture;
  const size_t semicolon = picture.rfind(U';');
  if (semicolon != std::u32string_view::npos) {
    primary = picture.substr(0, semicolon);
    const std::u32string_view modifier = picture.substr(semicolon + 1);
    if (!modifier.empty() && modifier[0] == U'o') format.ordinal = true;
  }
  if (primary == U"A" || primary == U"a") {
    format.primary = Primary::kLetters;
    if (primary == U"A") format.letter_case = LetterCase::kUpper;
  } else if (primary == U"I" || primary == U"i") {
    format.primary = Primary::kRoman;
    if (primary == U"I") format.letter_case = LetterCase::kUpper;
  } else if (primary == U"W") {
    format.primary = Primary::kWords;
    format.letter_case = LetterCase::kUpper;
  } else if (primary == U"Ww") {
    format.primary = Primary::kWords;
    format.letter_case = LetterCase::kTitle;
  } else if (primary == U"w") {
    format.primary = Primary::kWords;
  } else {
    // A decimal digit pattern if it has a digit of any family; walk it right to left so that
    // each grouping separator's position counts the digit signs to its right.
    char32_t zero = 0;
    int mandatory = 0;
    int optional = 0;
    int position = 0;
    std::vector<GroupingSeparator> separators;
    for (auto it = primary.rbegin(); it != primary.rend(); ++it) {
      const char32_t cp = *it;
      bool digit = false;
      for (char32_t group : kDecimalGroups) {
        if (is_decimal_digit_of(cp, group)) {
          digit = true;
          ++mandatory;
          ++position;
          if (zero == 0) {
            zero = group;
          } else if (group != zero) {
            return jsonata_error("D3131");
          }
          break;
        }
      }
      if (digit) continue;
      if (cp == U'#') {
        ++position;
        ++optional;
      } else {
        separators.push_back({position, cp});
      }
    }
    if (mandatory > 0) {
      format.primary = Primary::kDecimal;
      format.zero_code = zero;
      format.mandatory_digits = mandatory;
      format.optional_digits = optional;
      // Regular when every separator is the same character at multiples of one interval.
      int factor = 0;
      if (!separators.empty()) {
        bool same = true;
        for (const auto& s : separators) same = same && s.character == separators[0].character;
        if (same) {
          factor = separators[0].position;
          for (size_t i = 1; i < separators.size(); ++i) {
            factor = gcd_int(factor, separators[i].position);
          }
          for (size_t index = 1; index <= separators.size() && factor != 0; ++index) {
            bool found = false;
            for (const auto& s : separators) found = found || s.position == int(index) * factor;
            if (!found) factor = 0;
          }
        }
      }
      if (factor > 0) {
        format.regular = true;
        format.regular_separator = {factor, separators[0].character};
      } else {
        format.separators = std::move(separators);
      }
    } else {
      // A numbering sequence: implementation-defined, and the reference supports none.
      format.primary = Primary::kSequence;
      format.token = std::u32string(primary);
    }
  }
  return format;
}

namespace {

// The common case of a decimal picture, without building code point strings: ASCII digits,
// regular (or no) grouping, a whole number below 1e19 (so no exponent form). Appends and
// returns true, or returns false for the general path.
bool format_plain_decimal(double value, const IntegerPicture& format, std::string& out) {
  if (format.zero_code != U'0' || !format.separators.empty() || !(value < 1e19) ||
      value != std::floor(value)) {
    return false;
  }
  char digits[24];
  const auto res = std::to_chars(digits, digits + sizeof digits, static_cast<uint64_t>(value));
  const long count = long(res.ptr - digits);
  const double pad_double = format.mandatory_digits - double(count);
  const long pad = pad_double > 0 ? long(pad_double) : 0;
  const long total = pad + count;
  std::string separator;
  if (format.regular) append_utf8(separator, format.regular_separator.character);
  const long interval = format.regular ? format.regular_separator.position : 0;
  const size_t start = out.size();
  for (long i = 0; i < total; ++i) {
    // A separator goes before every digit that has a multiple of the interval to its right.
    if (interval > 0 && i > 0 && (total - i) % interval == 0) out += separator;
    out.push_back(i < pad ? '0' : digits[i - pad]);
  }
  if (format.ordinal) {
    const char last = out.back();
    const char* suffix = last == '1' ? "st" : last == '2' ? "nd" : last == '3' ? "rd" : "th";
    if (out.size() - start > 1 && out[out.size() - 2] == '1') suffix = "th";
    out += suffix;
  }
  return true;
}

}  // namespace

Result<bool, FormatError> format_integer_to(double value, const IntegerPicture& format,
                                            std::string& out) {
  const bool negative = value < 0;
  value = std::fabs(value);
  if (format.primary == Primary::kDecimal) {
    if (negative) out.push_back('-');
    if (format_plain_decimal(value, format, out)) return true;
    if (negative) out.pop_back();
  }
  std::string text;
  switch (format.primary) {
    case Primary::kLetters: {
      if (std::isinf(value)) return non_terminating();
      std::string reversed;
      const char32_t a = format.letter_case == LetterCase::kUpper ? U'A' : U'a';
      while (value > 0) {
        reversed.push_back(static_cast<char>(a + static_cast<int>(std::fmod(value - 1, 26))));
        value = std::floor((value - 1) / 26);
      }
      text.assign(reversed.rbegin(), reversed.rend());
      break;
    }
    case Primary::kRoman: {
      static constexpr std::array<std::pair<int, const char*>, 13> kNumerals = {{
          {1000, "m"},
          {900, "cm"},
          {500, "d"},
          {400, "cd"},
          {100, "c"},
          {90, "xc"},
          {50, "l"},
          {40, "xl"},
          {10, "x"},
          {9, "ix"},
          {5, "v"},
          {4, "iv"},
          {1, "i"},
      }};
      if (std::isinf(value) || value / 1000 > double(kMaxRomanNumerals)) {
        return script_error("Maximum call stack size exceeded");
      }
      size_t count = 0;
      for (const auto& [n, numeral] : kNumerals) {
        while (value >= n) {
          text += numeral;
          value -= n;
          ++count;
        }
      }
      if (count > kMaxRomanNumerals) return script_error("Maximum call stack size exceeded");
      if (format.letter_case == LetterCase::kUpper) {
        for (char& c : text) c = static_cast<char>(ascii_upper(static_cast<unsigned char>(c)));
      }
      break;
    }
    case Primary::kWords: {
      std::string words;
      if (!words_lookup(value, false, format.ordinal, words, 0)) {
        return script_error("Maximum call stack size exceeded");
      }
      append_ascii_cased(text, words, format.letter_case);
      break;
    }
    case Primary::kDecimal: {
      const std::string plain = js::number_to_string(value);
      std::u32string digits(plain.begin(), plain.end());
      const double pad = format.mandatory_digits - double(digits.size());
      if (pad > 0) digits.insert(0, static_cast<size_t>(pad), U'0');
      if (format.zero_code != U'0') {
        // Every character moves by the family offset, as in the reference (even "e+" or "NaN").
        for (char32_t& c : digits) c = c + format.zero_code - U'0';
      }
      if (format.regular) {
        const long interval = format.regular_separator.position;
        const long groups = (long(digits.size()) - 1) / interval;
        for (long g = groups; g > 0; --g) {
          const long pos = long(digits.size()) - g * interval;
          digits.insert(static_cast<size_t>(pos), 1, format.regular_separator.character);
        }
      } else {
        // Leftmost separator first; a position past the digits splices the way substr does.
        for (auto it = format.separators.rbegin(); it != format.separators.rend(); ++it) {
          const long pos = long(digits.size()) - it->position;
          std::u32string next =
              pos > 0 ? digits.substr(0, static_cast<size_t>(pos)) : std::u32string();
          next.push_back(it->character);
          next += js_substr(digits, pos);
          digits = std::move(next);
        }
      }
      if (format.ordinal) {
        const char32_t last = digits.empty() ? 0 : digits.back();
        const char* suffix = last == U'1' ? "st" : last == U'2' ? "nd" : last == U'3' ? "rd" : "";
        if (*suffix == 0 || (digits.size() > 1 && digits[digits.size() - 2] == U'1')) {
          suffix = "th";
        }
        text = js::to_utf8(digits);
        text += suffix;
      } else {
        text = js::to_utf8(digits);
      }
      break;
    }
    case Primary::kSequence:
      return jsonata_error("D3130", js::json_quote(js::to_utf8(format.token)));
  }
  if (negative) out.push_back('-');
  out += text;
  return true;
}

double letters_to_decimal(std::u32string_view text, char32_t a_char) {
  // The reference reads UTF-16 code units from the right, each worth 26^i.
  std::u16string units;
  for (char32_t cp : text) {
    if (cp >= 0x10000) {
      units.push_back(static_cast<char16_t>(0xD800 + ((cp - 0x10000) >> 10)));
      units.push_back(static_cast<char16_t>(0xDC00 + ((cp - 0x10000) & 0x3FF)));
    } else {
      units.push_back(static_cast<char16_t>(cp));
    }
  }
  double decimal = 0;
  const size_t n = units.size();
  for (size_t i = 0; i < n; ++i) {
    const double code = units[n - i - 1];
    decimal += (code - double(a_char) + 1) * std::pow(26.0, double(i));
  }
  return decimal;
}

double roman_to_decimal(std::u32string_view upper_text) {
  double decimal = 0;
  double max = 1;
  for (auto it = upper_text.rbegin(); it != upper_text.rend(); ++it) {
    double value = 0;
    switch (*it) {
      case U'M':
        value = 1000;
        break;
      case U'D':
        value = 500;
        break;
      case U'C':
        value = 100;
        break;
      case U'L':
        value = 50;
        break;
      case U'X':
        value = 10;
        break;
      case U'V':
        value = 5;
        break;
      case U'I':
        value = 1;
        break;
      default:
        return kNaN;  // undefined poisons the sum
    }
    if (value < max) {
      decimal -= value;
    } else {
      max = value;
      decimal += value;
    }
  }
  return decimal;
}

double words_to_number(std::u32string_view text) {
  std::u32string lower(text);
  for (char32_t& c : lower) c = ascii_lower(c);
  // Split on /,\s|\sand\s|[\s\\-]/, trying the alternatives in that order at each position.
  std::vector<std::u32string_view> parts;
  const std::u32string_view s(lower);
  size_t start = 0;
  size_t i = 0;
  while (i < s.size()) {
    size_t len = 0;
    if (s[i] == U',' && i + 1 < s.size() && js::is_space(s[i + 1])) {
      len = 2;
    } else if (js::is_space(s[i]) && i + 4 < s.size() && s.substr(i + 1, 3) == U"and" &&
               js::is_space(s[i + 4])) {
      len = 5;
    } else if (js::is_space(s[i]) || s[i] == U'\\' || s[i] == U'-') {
      len = 1;
    }
    if (len == 0) {
      ++i;
      continue;
    }
    parts.push_back(s.substr(start, i - start));
    i += len;
    start = i;
  }
  parts.push_back(s.substr(start));
  std::vector<double> segs{0};
  for (auto part : parts) {
    const double value = word_value(part);
    if (value < 100) {
      double top = segs.back();
      segs.pop_back();
      if (top >= 1000) {
        segs.push_back(top);
        top = 0;
      }
      segs.push_back(top + value);
    } else {
      // Also the path of NaN (an unknown word): the product is NaN.
      const double top = segs.back();
      segs.back() = top * value;
    }
  }
  return std::accumulate(segs.begin(), segs.end(), 0.0);
}

Result<double, FormatError> parse_decimal(std::u32string_view text, const IntegerPicture& format) {
  std::u32string digits(text);
  if (format.ordinal) digits = digits.substr(0, digits.size() >= 2 ? digits.size() - 2 : 0);
  auto remove_all = [&digits](char32_t c) {
    std::u32string kept;
    for (char32_t d : digits) {
      if (d != c) kept.push_back(d);
    }
    digits = std::move(kept);
  };
  if (format.regular) {
    remove_all(U',');  // the reference strips commas here, whatever the separator is
  } else {
    for (const auto& sep : format.separators) remove_all(sep.character);
  }
  if (format.zero_code != U'0') {
    for (char32_t& c : digits) {
      const long shifted = long(c) - long(format.zero_code) + 0x30;
      if (shifted < 0 || shifted > 0x10FFFF) {
        return script_error("Invalid code point " + std::to_string(shifted));
      }
      c = static_cast<char32_t>(shifted);
    }
  }
  return js::parse_int(std::u32string_view(digits));
}

const std::vector<std::u32string>& number_words() {
  static const std::vector<std::u32string> words = [] {
    std::vector<std::u32string> w;
    for (const auto& wv : word_values()) w.push_back(wv.word);
    return w;
  }();
  return words;
}

}  // namespace sluice::engine::jsonata::format::detail
