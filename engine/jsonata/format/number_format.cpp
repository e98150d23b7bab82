#include "engine/jsonata/format/number_format.h"

#include <cmath>
#include <vector>

#include "engine/jsonata/format/integer_format.h"
#include "engine/jsonata/format/js_compat.h"
#include "engine/jsonata/format/picture_cache.h"

namespace sluice::engine::jsonata::format {

namespace {

using detail::jsonata_error;
using detail::non_terminating;
using detail::script_error;
using S = std::u32string;
using SV = std::u32string_view;

constexpr long kNotFound = -1;

// The String methods the reference's format-number uses, with JavaScript's index clamping, on
// code points (the same as UTF-16 code units outside the astral planes).
long index_of(SV hay, SV needle, long from = 0) {
  const long len = long(hay.size());
  from = std::min(std::max(from, 0L), len);
  if (needle.empty()) return from;
  const size_t pos = hay.find(needle, static_cast<size_t>(from));
  return pos == SV::npos ? kNotFound : long(pos);
}

long last_index_of(SV hay, SV needle) {
  if (needle.empty()) return long(hay.size());
  const size_t pos = hay.rfind(needle);
  return pos == SV::npos ? kNotFound : long(pos);
}

S substring(SV s, long start, long end) {
  const long len = long(s.size());
  start = std::min(std::max(start, 0L), len);
  end = std::min(std::max(end, 0L), len);
  if (start > end) std::swap(start, end);
  return S(s.substr(static_cast<size_t>(start), static_cast<size_t>(end - start)));
}
S substring(SV s, long start) {
  return substring(s, start, long(s.size()));
}

S slice(SV s, long start, long end) {
  const long len = long(s.size());
  start = start < 0 ? std::max(len + start, 0L) : std::min(start, len);
  end = end < 0 ? std::max(len + end, 0L) : std::min(end, len);
  if (start >= end) return {};
  return S(s.substr(static_cast<size_t>(start), static_cast<size_t>(end - start)));
}
S slice(SV s, long start) {
  return slice(s, start, long(s.size()));
}

S char_at(SV s, long i) {
  if (i < 0 || i >= long(s.size())) return {};
  return S(1, s[static_cast<size_t>(i)]);
}

// String.prototype.split with a string separator.
std::vector<S> split(SV s, SV sep) {
  std::vector<S> parts;
  if (sep.empty()) {
    for (char32_t c : s) parts.emplace_back(1, c);
    return parts;
  }
  size_t start = 0;
  while (true) {
    const size_t pos = s.find(sep, start);
    if (pos == SV::npos) break;
    parts.emplace_back(s.substr(start, pos - start));
    start = pos + sep.size();
  }
  parts.emplace_back(s.substr(start));
  return parts;
}

S repeat(SV s, long n) {
  S out;
  for (long i = 0; i < n; ++i) out += s;
  return out;
}

// The decimal-format properties as code points, and the character classes built from them.
struct Properties {
  S decimal_separator, grouping_separator, exponent_separator, minus_sign, percent, per_mille,
      zero_digit, digit, pattern_separator;
  S family;  // the ten digits from zero-digit on (empty if zero-digit is empty)

  explicit Properties(const DecimalFormat& o)
      : decimal_separator(js::to_u32(o.decimal_separator)),
        grouping_separator(js::to_u32(o.grouping_separator)),
        exponent_separator(js::to_u32(o.exponent_separator)),
        minus_sign(js::to_u32(o.minus_sign)),
        percent(js::to_u32(o.percent)),
        per_mille(js::to_u32(o.per_mille)),
        zero_digit(js::to_u32(o.zero_digit)),
        digit(js::to_u32(o.digit)),
        pattern_separator(js::to_u32(o.pattern_separator)) {
    if (!zero_digit.empty()) {
      for (char32_t i = 0; i < 10; ++i) family.push_back(zero_digit[0] + i);
    }
  }

  static bool is(char32_t c, const S& property) { return property.size() == 1 && property[0] == c; }
  bool in_family(char32_t c) const { return family.find(c) != S::npos; }
  bool is_digit_sign(char32_t c) const { return in_family(c) || is(c, digit); }
  bool is_active(char32_t c) const {
    return in_family(c) || is(c, decimal_separator) || is(c, exponent_separator) ||
           is(c, grouping_separator) || is(c, digit) || is(c, pattern_separator);
  }
  long count_family(SV s) const {
    long n = 0;
    for (char32_t c : s) n += in_family(c) ? 1 : 0;
    return n;
  }
  long count_digit_signs(SV s) const {
    long n = 0;
    for (char32_t c : s) n += is_digit_sign(c) ? 1 : 0;
    return n;
  }
};

struct Parts {
  S prefix, suffix, active, mantissa, integer, fractional, subpicture;
  bool has_exponent = false;
  S exponent;
};

struct Variables {
  std::vector<long> integer_grouping;
  long regular_grouping = 0;
  long minimum_integer = 0;
  long scaling_factor = 0;
  S prefix;
  std::vector<long> fractional_grouping;
  long minimum_fractional = 0;
  long maximum_fractional = 0;
  long minimum_exponent = 0;
  S suffix;
  S picture;
};

// F&O 4.7.3-4.7.4 as the reference splits a sub-picture (including its index slips, which decide
// some error codes, e.g. an exponent after a prefix).
Result<Parts, FormatError> split_parts(const S& sub, const Properties& p) {
  Parts parts;
  parts.subpicture = sub;
  long first = kNotFound;
  for (long i = 0; i < long(sub.size()); ++i) {
    const char32_t c = sub[static_cast<size_t>(i)];
    if (p.is_active(c) && !Properties::is(c, p.exponent_separator)) {
      first = i;
      break;
    }
  }
  if (first == kNotFound) {
    // The reference's prefix is undefined here and reading its length throws.
    return script_error("Cannot read properties of undefined (reading 'length')");
  }
  parts.prefix = sub.substr(0, static_cast<size_t>(first));
  for (long i = long(sub.size()) - 1; i >= 0; --i) {
    const char32_t c = sub[static_cast<size_t>(i)];
    if (p.is_active(c) && !Properties::is(c, p.exponent_separator)) {
      parts.suffix = sub.substr(static_cast<size_t>(i + 1));
      break;
    }
  }
  const long len = long(sub.size());
  parts.active = substring(sub, long(parts.prefix.size()), len - long(parts.suffix.size()));
  const long exponent_position = index_of(sub, p.exponent_separator, long(parts.prefix.size()));
  if (exponent_position == kNotFound || exponent_position > len - long(parts.suffix.size())) {
    parts.mantissa = parts.active;
  } else {
    // Positions in the sub-picture applied to the active part, as the reference does.
    parts.mantissa = substring(parts.active, 0, exponent_position);
    parts.exponent = substring(parts.active, exponent_position + 1);
    parts.has_exponent = true;
  }
  const long decimal_position = index_of(parts.mantissa, p.decimal_separator);
  if (decimal_position == kNotFound) {
    parts.integer = parts.mantissa;
    parts.fractional = parts.suffix;
  } else {
    parts.integer = substring(parts.mantissa, 0, decimal_position);
    parts.fractional = substring(parts.mantissa, decimal_position + 1);
  }
  return parts;
}

// Every check runs and the last one that fails names the error, as in the reference.
std::optional<FormatError> validate(const Parts& parts, const Properties& p) {
  const char* error = nullptr;
  const S& sub = parts.subpicture;
  const long decimal_pos = index_of(sub, p.decimal_separator);
  if (decimal_pos != last_index_of(sub, p.decimal_separator)) error = "D3081";
  if (index_of(sub, p.percent) != last_index_of(sub, p.percent)) error = "D3082";
  if (index_of(sub, p.per_mille) != last_index_of(sub, p.per_mille)) error = "D3083";
  if (index_of(sub, p.percent) != kNotFound && index_of(sub, p.per_mille) != kNotFound) {
    error = "D3084";
  }
  bool valid = false;
  for (char32_t c : parts.mantissa) valid = valid || p.is_digit_sign(c);
  if (!valid) error = "D3085";
  for (char32_t c : parts.active) {
    if (!p.is_active(c)) error = "D3086";
  }
  if (decimal_pos != kNotFound) {
    if (char_at(sub, decimal_pos - 1) == p.grouping_separator ||
        char_at(sub, decimal_pos + 1) == p.grouping_separator) {
      error = "D3087";
    }
  } else if (char_at(parts.integer, long(parts.integer.size()) - 1) == p.grouping_separator) {
    error = "D3088";
  }
  if (index_of(sub, p.grouping_separator + p.grouping_separator) != kNotFound) error = "D3089";
  long optional_pos = index_of(parts.integer, p.digit);
  if (optional_pos != kNotFound && p.count_family(substring(parts.integer, 0, optional_pos)) > 0) {
    error = "D3090";
  }
  optional_pos = last_index_of(parts.fractional, p.digit);
  if (optional_pos != kNotFound && p.count_family(substring(parts.fractional, optional_pos)) > 0) {
    error = "D3091";
  }
  if (parts.has_exponent && !parts.exponent.empty() &&
      (index_of(sub, p.percent) != kNotFound || index_of(sub, p.per_mille) != kNotFound)) {
    error = "D3092";
  }
  if (parts.has_exponent &&
      (parts.exponent.empty() || long(parts.exponent.size()) != p.count_family(parts.exponent))) {
    error = "D3093";
  }
  if (error != nullptr) return jsonata_error(error);
  return std::nullopt;
}

long gcd_long(long a, long b) {
  return b == 0 ? a : gcd_long(b, a % b);
}

Variables analyse(const Parts& parts, const Properties& p) {
  Variables v;
  auto grouping_positions = [&](const S& part, bool to_left) {
    std::vector<long> positions;
    long position = index_of(part, p.grouping_separator);
    while (position != kNotFound) {
      const S side = to_left ? substring(part, 0, position) : substring(part, position);
      positions.push_back(p.count_digit_signs(side));
      // The reference continues the search in the integer part, whichever part this is.
      position = index_of(parts.integer, p.grouping_separator, position + 1);
    }
    return positions;
  };
  v.integer_grouping = grouping_positions(parts.integer, false);
  if (!v.integer_grouping.empty()) {
    long factor = v.integer_grouping[0];
    for (size_t i = 1; i < v.integer_grouping.size(); ++i) {
      factor = gcd_long(factor, v.integer_grouping[i]);
    }
    for (size_t index = 1; index <= v.integer_grouping.size(); ++index) {
      bool found = false;
      for (long pos : v.integer_grouping) found = found || pos == long(index) * factor;
      if (!found) {
        factor = 0;
        break;
      }
    }
    v.regular_grouping = factor;
  }
  v.fractional_grouping = grouping_positions(parts.fractional, true);
  v.minimum_integer = p.count_family(parts.integer);
  v.scaling_factor = v.minimum_integer;
  v.minimum_fractional = p.count_family(parts.fractional);
  v.maximum_fractional = p.count_digit_signs(parts.fractional);
  if (v.minimum_integer == 0 && v.maximum_fractional == 0) {
    if (parts.has_exponent) {
      v.minimum_fractional = 1;
      v.maximum_fractional = 1;
    } else {
      v.minimum_integer = 1;
    }
  }
  if (parts.has_exponent && v.minimum_integer == 0 &&
      index_of(parts.integer, p.digit) != kNotFound) {
    v.minimum_integer = 1;
  }
  if (v.minimum_integer == 0 && v.minimum_fractional == 0) v.minimum_fractional = 1;
  if (parts.has_exponent) v.minimum_exponent = p.count_family(parts.exponent);
  v.prefix = parts.prefix;
  v.suffix = parts.suffix;
  v.picture = parts.subpicture;
  return v;
}

// Math.abs(value).toFixed(dp) in the digit family.
Result<S, FormatError> make_string(double value, long dp, const Properties& p) {
  if (dp < 0 || dp > 100) {
    return script_error("toFixed() digits argument must be between 0 and 100");
  }
  const std::string fixed = js::to_fixed(std::fabs(value), int(dp));
  S out(fixed.begin(), fixed.end());
  if (!(p.zero_digit.size() == 1 && p.zero_digit[0] == U'0')) {
    for (char32_t& c : out) {
      if (c >= U'0' && c <= U'9') c = p.family.empty() ? 0 : p.family[c - U'0'];
    }
    // Without a zero-digit there is no digit family: the digits join as empty strings.
    if (p.family.empty()) std::erase(out, char32_t{0});
  }
  return out;
}

}  // namespace

bool DecimalFormat::set(std::string_view key, std::string_view value) {
  std::string* target = nullptr;
  if (key == "decimal-separator") target = &decimal_separator;
  if (key == "grouping-separator") target = &grouping_separator;
  if (key == "exponent-separator") target = &exponent_separator;
  if (key == "infinity") target = &infinity;
  if (key == "minus-sign") target = &minus_sign;
  if (key == "NaN") target = &nan;
  if (key == "percent") target = &percent;
  if (key == "per-mille") target = &per_mille;
  if (key == "zero-digit") target = &zero_digit;
  if (key == "digit") target = &digit;
  if (key == "pattern-separator") target = &pattern_separator;
  if (target == nullptr) return false;
  target->assign(value);
  return true;
}

Result<std::string, FormatError> format_integer(double value, std::string_view picture) {
  auto format = detail::analyse_integer_picture(js::to_u32(picture));
  if (!format) return std::move(format).error();
  std::string out;
  auto ok = detail::format_integer_to(std::floor(value), *format, out);
  if (!ok) return std::move(ok).error();
  return out;
}

Result<double, FormatError> parse_integer(std::string_view text, std::string_view picture) {
  auto format = detail::analyse_integer_picture(js::to_u32(picture));
  if (!format) return std::move(format).error();
  const S value = js::to_u32(text);
  switch (format->primary) {
    case detail::Primary::kLetters:
      return detail::letters_to_decimal(
          value, format->letter_case == detail::LetterCase::kUpper ? U'A' : U'a');
    case detail::Primary::kRoman: {
      if (format->letter_case == detail::LetterCase::kUpper) {
        return detail::roman_to_decimal(value);
      }
      S upper = value;
      for (char32_t& c : upper) c = c == 0x131 ? U'I' : detail::ascii_upper(c);  // dotless i
      return detail::roman_to_decimal(upper);
    }
    case detail::Primary::kWords:
      return detail::words_to_number(value);
    case detail::Primary::kDecimal:
      return detail::parse_decimal(value, *format);
    case detail::Primary::kSequence:
      break;
  }
  return jsonata_error("D3130", js::json_quote(js::to_utf8(format->token)));
}

namespace {

// A picture analysed with its decimal format (F&O 4.7.3 - 4.7.4): the variables of its positive
// and negative sub-pictures.
struct CompiledPicture {
  Properties p;
  std::vector<Variables> variables;
};

struct PictureProbe {
  std::string_view picture;
  const DecimalFormat& options;
};

struct PictureKey {
  std::string picture;
  DecimalFormat options;
  explicit PictureKey(const PictureProbe& probe) : picture(probe.picture), options(probe.options) {}
  bool operator==(const PictureProbe& probe) const {
    return picture == probe.picture && options == probe.options;
  }
};

Result<CompiledPicture, FormatError> compile(std::string_view picture_text,
                                             const DecimalFormat& options) {
  const Properties p(options);
  const S picture = js::to_u32(picture_text);
  const std::vector<S> subpictures = split(picture, p.pattern_separator);
  if (subpictures.size() > 2) return jsonata_error("D3080");

  std::vector<Parts> parts;
  for (const S& sub : subpictures) {
    auto split_result = split_parts(sub, p);
    if (!split_result) return std::move(split_result).error();
    parts.push_back(std::move(split_result).value());
  }
  for (const Parts& part : parts) {
    if (auto error = validate(part, p)) return std::move(*error);
  }
  std::vector<Variables> variables;
  for (const Parts& part : parts) variables.push_back(analyse(part, p));
  if (variables.size() == 1) {
    variables.push_back(variables[0]);
    variables[1].prefix = p.minus_sign + variables[1].prefix;
  }
  return CompiledPicture{p, std::move(variables)};
}

}  // namespace

Result<std::string, FormatError> format_number(double value, std::string_view picture_text,
                                               const DecimalFormat& options) {
  thread_local detail::PictureCache<PictureKey, Result<CompiledPicture, FormatError>> cache;
  const auto& compiled = cache.get(PictureProbe{picture_text, options},
                                   [&] { return compile(picture_text, options); });
  if (!compiled) return compiled.error();
  const Properties& p = compiled.value().p;
  const std::vector<Variables>& variables = compiled.value().variables;

  // F&O 4.7.5. NaN takes the negative sub-picture (NaN >= 0 is false), as in the reference.
  const Variables& pic = value >= 0 ? variables[0] : variables[1];
  double adjusted = value;
  if (index_of(pic.picture, p.percent) != kNotFound) {
    adjusted = value * 100;
  } else if (index_of(pic.picture, p.per_mille) != kNotFound) {
    adjusted = value * 1000;
  }
  double mantissa = adjusted;
  bool has_exponent = false;
  double exponent = 0;
  if (pic.minimum_exponent != 0) {
    has_exponent = true;
    const double max_mantissa = std::pow(10.0, double(pic.scaling_factor));
    const double min_mantissa = std::pow(10.0, double(pic.scaling_factor - 1));
    // The reference normalises by repeated *10 and /10; for zero, negative or infinite
    // values the loop never ends there.
    if (mantissa <= 0 || std::isinf(mantissa)) return non_terminating();
    while (mantissa < min_mantissa) {
      mantissa *= 10;
      exponent -= 1;
    }
    while (mantissa > max_mantissa) {
      mantissa /= 10;
      exponent += 1;
    }
  }
  const double rounded = js::jsonata_round(mantissa, int(pic.maximum_fractional));
  auto made = make_string(rounded, pic.maximum_fractional, p);
  if (!made) return std::move(made).error();
  S s = std::move(made).value();
  const size_t dot = s.find(U'.');
  if (dot == S::npos) {
    s += p.decimal_separator;
  } else {
    s = s.substr(0, dot) + p.decimal_separator + s.substr(dot + 1);
  }
  if (p.zero_digit.empty() && s.empty()) return non_terminating();
  while (!s.empty() && char_at(s, 0) == p.zero_digit) s.erase(0, 1);
  while (!s.empty() && char_at(s, long(s.size()) - 1) == p.zero_digit) s.pop_back();

  long decimal_pos = index_of(s, p.decimal_separator);
  const long pad_left = pic.minimum_integer - decimal_pos;
  const long pad_right = pic.minimum_fractional - (long(s.size()) - decimal_pos - 1);
  if (pad_left > 0) s = repeat(p.zero_digit, pad_left) + s;
  if (pad_right > 0) s += repeat(p.zero_digit, pad_right);

  decimal_pos = index_of(s, p.decimal_separator);
  if (pic.regular_grouping > 0) {
    const long groups = (decimal_pos - 1) / pic.regular_grouping;
    for (long group = 1; group <= groups; ++group) {
      const long at = decimal_pos - group * pic.regular_grouping;
      s = slice(s, 0, at) + p.grouping_separator + slice(s, at);
    }
  } else {
    for (long pos : pic.integer_grouping) {
      s = slice(s, 0, decimal_pos - pos) + p.grouping_separator + slice(s, decimal_pos - pos);
      ++decimal_pos;
    }
  }
  decimal_pos = index_of(s, p.decimal_separator);
  for (long pos : pic.fractional_grouping) {
    s = slice(s, 0, pos + decimal_pos + 1) + p.grouping_separator + slice(s, pos + decimal_pos + 1);
  }
  decimal_pos = index_of(s, p.decimal_separator);
  if (index_of(pic.picture, p.decimal_separator) == kNotFound ||
      decimal_pos == long(s.size()) - 1) {
    s = substring(s, 0, long(s.size()) - 1);
  }
  if (has_exponent) {
    auto exp_made = make_string(exponent, 0, p);
    if (!exp_made) return std::move(exp_made).error();
    S exp_text = std::move(exp_made).value();
    const long exp_pad = pic.minimum_exponent - long(exp_text.size());
    if (exp_pad > 0) exp_text = repeat(p.zero_digit, exp_pad) + exp_text;
    s += p.exponent_separator;
    if (exponent < 0) s += p.minus_sign;
    s += exp_text;
  }
  return js::to_utf8(pic.prefix + s + pic.suffix);
}

Result<std::string, FormatError> format_base(double value, std::optional<double> radix) {
  value = js::jsonata_round(value, 0);
  const double r = radix ? js::jsonata_round(*radix, 0) : 10;
  // NaN passes the reference's range check and Number#toString then throws.
  if (std::isnan(r)) return script_error("toString() radix argument must be between 2 and 36");
  if (r < 2 || r > 36) {
    // JSON.stringify of a non-finite number is null.
    return jsonata_error("D3100", std::isfinite(r) ? js::number_to_string(r) : "null");
  }
  return js::number_to_radix_string(value, int(r));
}

}  // namespace sluice::engine::jsonata::format
