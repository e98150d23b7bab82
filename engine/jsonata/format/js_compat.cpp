#include "engine/jsonata/format/js_compat.h"

#include <bit>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <system_error>

#include "engine/json/json_serialize.h"
#include "engine/jsonata/utf8.h"

namespace sluice::engine::jsonata::format::js {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Parses the decimal strings this file builds ("1.5e2", "-3e-4"); what JavaScript's unary +
// gives for them: NaN for anything that is not a plain decimal literal, +-Infinity or 0 where
// the exponent overflows.
double parse_decimal_literal(std::string_view text) {
  if (text.empty()) return kNaN;
  // from_chars accepts "inf" and "nan"; JavaScript's "Infinitye2" or "NaNe2" are NaN.
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == '-' || c == '+')) return kNaN;
  }
  double value = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(begin, end, value, std::chars_format::general);
  if (ptr != end) return kNaN;
  if (ec == std::errc::result_out_of_range) {
    const bool negative = text.front() == '-';
    const size_t e = text.find('e');
    const bool big = e != std::string_view::npos && e + 1 < text.size() && text[e + 1] != '-';
    if (big)
      return negative ? -std::numeric_limits<double>::infinity()
                      : std::numeric_limits<double>::infinity();
    return negative ? -0.0 : 0.0;
  }
  if (ec != std::errc()) return kNaN;
  return value;
}

// The exponent of the lowest set bit of a finite, non-zero double: x = odd * 2^result.
int lowest_bit_exponent(double x) {
  const uint64_t bits = std::bit_cast<uint64_t>(x);
  const int biased = static_cast<int>((bits >> 52) & 0x7ff);
  uint64_t mantissa = bits & ((uint64_t{1} << 52) - 1);
  int exponent = -1074;
  if (biased != 0) {
    mantissa |= uint64_t{1} << 52;
    exponent = biased - 1075;
  }
  return exponent + std::countr_zero(mantissa);
}

}  // namespace

std::u32string to_u32(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    char32_t cp = 0xFFFD;
    size_t len = 1;
    if (c < 0x80) {
      cp = c;
    } else if ((c >> 5) == 0x6 && i + 1 < s.size()) {
      cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3Fu);
      len = 2;
    } else if ((c >> 4) == 0xE && i + 2 < s.size()) {
      cp = ((c & 0x0Fu) << 12) | ((static_cast<unsigned char>(s[i + 1]) & 0x3Fu) << 6) |
           (static_cast<unsigned char>(s[i + 2]) & 0x3Fu);
      len = 3;
    } else if ((c >> 3) == 0x1E && i + 3 < s.size()) {
      cp = ((c & 0x07u) << 18) | ((static_cast<unsigned char>(s[i + 1]) & 0x3Fu) << 12) |
           ((static_cast<unsigned char>(s[i + 2]) & 0x3Fu) << 6) |
           (static_cast<unsigned char>(s[i + 3]) & 0x3Fu);
      len = 4;
    }
    out.push_back(cp);
    i += len;
  }
  return out;
}

std::string to_utf8(std::u32string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char32_t cp : text) append_utf8(out, cp);
  return out;
}

bool is_space(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000 || c == 0xFEFF;
}

namespace {

// Number::toString into `out` (at least 32 chars); returns the length.
size_t number_to_chars(double value, char* out) {
  char* p = out;
  auto put = [&p](std::string_view text) {
    std::memcpy(p, text.data(), text.size());
    p += text.size();
  };
  if (std::isnan(value)) {
    put("NaN");
    return size_t(p - out);
  }
  if (std::isinf(value)) {
    put(value > 0 ? "Infinity" : "-Infinity");
    return size_t(p - out);
  }
  if (value == 0) {
    *p++ = '0';
    return 1;
  }
  if (value < 0) {
    *p++ = '-';
    value = -value;
  }
  // Shortest round-trip digits, as ECMAScript's Number::toString requires.
  char sci[32];
  const auto res = std::to_chars(sci, sci + sizeof sci, value, std::chars_format::scientific);
  char digits[20];
  int k = 0;
  const char* c = sci;
  for (; c < res.ptr && *c != 'e'; ++c) {
    if (*c != '.') digits[k++] = *c;
  }
  ++c;  // 'e'
  const bool negative_exponent = *c == '-';
  if (*c == '+' || *c == '-') ++c;
  int exp10 = 0;
  std::from_chars(c, res.ptr, exp10);
  if (negative_exponent) exp10 = -exp10;
  const int n = exp10 + 1;  // the decimal point sits after n digits
  if (k <= n && n <= 21) {
    put(std::string_view(digits, size_t(k)));
    for (int i = k; i < n; ++i) *p++ = '0';
  } else if (0 < n && n <= 21) {
    put(std::string_view(digits, size_t(n)));
    *p++ = '.';
    put(std::string_view(digits + n, size_t(k - n)));
  } else if (-6 < n && n <= 0) {
    put("0.");
    for (int i = 0; i < -n; ++i) *p++ = '0';
    put(std::string_view(digits, size_t(k)));
  } else {
    *p++ = digits[0];
    if (k > 1) {
      *p++ = '.';
      put(std::string_view(digits + 1, size_t(k - 1)));
    }
    *p++ = 'e';
    *p++ = n - 1 < 0 ? '-' : '+';
    p = std::to_chars(p, p + 8, n - 1 < 0 ? -(n - 1) : n - 1).ptr;
  }
  return size_t(p - out);
}

// Moves the decimal point of `value`'s string form by `shift` places, by rewriting its exponent,
// and reads the result back: what JSONata's $round does with strings.
double shift_decimal(double value, int shift) {
  char buf[64];
  size_t len = number_to_chars(value, buf);
  const std::string_view text(buf, len);
  const size_t e = text.find('e');
  int exp10 = 0;
  if (e != std::string_view::npos) {
    const char* c = buf + e + 1;
    if (*c == '+') ++c;
    std::from_chars(c, buf + len, exp10);
    len = e;
  }
  buf[len++] = 'e';
  len = size_t(std::to_chars(buf + len, buf + sizeof buf, exp10 + shift).ptr - buf);
  return parse_decimal_literal(std::string_view(buf, len));
}

}  // namespace

std::string number_to_string(double value) {
  char buf[40];
  return std::string(buf, number_to_chars(value, buf));
}

std::string number_to_radix_string(double value, int radix) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  if (radix == 10) return number_to_string(value);
  static constexpr char kDigits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  const bool negative = value < 0;
  double integer = std::floor(negative ? -value : value);
  std::string reversed;
  // Digits below the precision of a double print as '0' (what V8 does), so 1e21 in base 16
  // is "3635c9adc5dea00000" rather than noise.
  while (integer / radix >= 9007199254740992.0) {
    integer /= radix;
    reversed.push_back('0');
  }
  do {
    const double remainder = std::fmod(integer, radix);
    reversed.push_back(kDigits[static_cast<int>(remainder)]);
    integer = (integer - remainder) / radix;
  } while (integer > 0);
  std::string out;
  if (negative) out.push_back('-');
  out.append(reversed.rbegin(), reversed.rend());
  return out;
}

std::string to_fixed(double x, int digits) {
  if (std::isnan(x)) return "NaN";
  if (std::fabs(x) >= 1e21) return number_to_string(x);
  std::string out;
  if (x < 0) {
    out.push_back('-');
    x = -x;
  }
  char buf[160];
  // to_chars (like printf) rounds exact ties to even; toFixed takes the larger candidate. A tie
  // at `digits` places is only possible when the exact binary value ends one place further.
  if (x != 0 && lowest_bit_exponent(x) == -(digits + 1)) {
    const auto res = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::fixed, digits + 1);
    std::string s(buf, res.ptr);  // exact: ends in '5'
    s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    // Round the decimal string up by one unit in its last place.
    int i = static_cast<int>(s.size()) - 1;
    for (; i >= 0; --i) {
      if (s[static_cast<size_t>(i)] == '.') continue;
      if (s[static_cast<size_t>(i)] == '9') {
        s[static_cast<size_t>(i)] = '0';
      } else {
        ++s[static_cast<size_t>(i)];
        break;
      }
    }
    if (i < 0) s.insert(s.begin(), '1');
    return out + s;
  }
  const auto res = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::fixed, digits);
  return out.append(buf, res.ptr);
}

double math_round(double value) {
  if (!std::isfinite(value) || value == 0) return value;
  double r = std::ceil(value);
  if (r - 0.5 > value) r -= 1.0;
  return r;
}

double jsonata_round(double value, int precision) {
  // Shift the decimal point in the string form, as JSONata does, so that 1.005 rounds as the
  // decimal it prints as.
  const double arg = precision != 0 ? shift_decimal(value, precision) : value;
  double result = math_round(arg);
  const double diff = result - arg;
  if (std::fabs(diff) == 0.5 && std::fabs(std::fmod(result, 2)) == 1) result -= 1;
  if (precision != 0) result = shift_decimal(result, -precision);
  if (result == 0) result = 0;  // JSON has no -0
  return result;
}

double parse_int(std::u32string_view text) {
  size_t i = 0;
  while (i < text.size() && is_space(text[i])) ++i;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    negative = text[i] == '-';
    ++i;
  }
  int radix = 10;
  if (i + 1 < text.size() && text[i] == '0' && (text[i + 1] == 'x' || text[i + 1] == 'X')) {
    radix = 16;
    i += 2;
  }
  std::string digits;
  for (; i < text.size(); ++i) {
    const char32_t c = text[i];
    const bool ok = (c >= '0' && c <= '9') ||
                    (radix == 16 && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
    if (!ok) break;
    digits.push_back(static_cast<char>(c));
  }
  if (digits.empty()) return kNaN;
  double value = 0;
  auto [ptr, ec] =
      std::from_chars(digits.data(), digits.data() + digits.size(), value,
                      radix == 16 ? std::chars_format::hex : std::chars_format::general);
  (void)ptr;
  if (ec == std::errc::result_out_of_range) value = std::numeric_limits<double>::infinity();
  return negative ? -value : value;
}

double parse_int(std::string_view text) {
  return parse_int(to_u32(text));
}

std::string json_quote(std::string_view text) {
  // JSON.stringify's escaping of a string is the AWS serializer's (the same seven short escapes,
  // other control characters as lowercase \u00xx).
  std::string out;
  json::append_quoted(text, out);
  return out;
}

}  // namespace sluice::engine::jsonata::format::js
