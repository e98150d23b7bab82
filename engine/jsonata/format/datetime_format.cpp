#include "engine/jsonata/format/datetime_format.h"

#include <array>
#include <cmath>
#include <limits>
#include <vector>

#include "engine/jsonata/format/integer_format.h"
#include "engine/jsonata/format/js_compat.h"
#include "engine/jsonata/format/picture_cache.h"
#include "engine/jsonata/utf8.h"

namespace sluice::engine::jsonata::format {

namespace {

using detail::IntegerPicture;
using detail::jsonata_error;
using detail::LetterCase;
using detail::Primary;
using detail::script_error;
using S = std::u32string;
using SV = std::u32string_view;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kMsPerDay = 86400000.0;
constexpr double kMaxTime = 8.64e15;  // JavaScript's Date range, in ms either side of 1970

constexpr std::array<const char*, 8> kDays = {"",         "Monday", "Tuesday",  "Wednesday",
                                              "Thursday", "Friday", "Saturday", "Sunday"};
constexpr std::array<const char*, 12> kMonths = {"January",   "February", "March",    "April",
                                                 "May",       "June",     "July",     "August",
                                                 "September", "October",  "November", "December"};

// ---------------------------------------------------------------------------------------------
// Calendar arithmetic (proleptic Gregorian, as ECMAScript's Date).

int64_t floor_div(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

// Days from 1970-01-01 to y-m-d (m 1..12).
int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = floor_div(y, 400);
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

struct Civil {
  int64_t year;
  int month;  // 1..12
  int day;
};

Civil civil_from_days(int64_t z) {
  z += 719468;
  const int64_t era = floor_div(z, 146097);
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = yoe + era * 400;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {y + (m <= 2), m, d};
}

// TimeClip: NaN outside the Date range, else truncated toward zero.
double time_clip(double t) {
  if (!std::isfinite(t) || std::fabs(t) > kMaxTime) return kNaN;
  return std::trunc(t) + 0.0;
}

// ECMAScript MakeDay/MakeTime/MakeDate for Date.UTC's arguments (month 0-based).
double make_day(double year, double month, double date) {
  if (!std::isfinite(year) || !std::isfinite(month) || !std::isfinite(date)) return kNaN;
  const double y = std::trunc(year);
  const double m = std::trunc(month);
  const double dt = std::trunc(date);
  const double ym = y + std::floor(m / 12);
  if (std::fabs(ym) > 1e7) return kNaN;  // far outside any representable time
  const double mn = m - std::floor(m / 12) * 12;
  const double day = double(days_from_civil(int64_t(ym), int64_t(mn) + 1, 1));
  return day + dt - 1;
}

double make_time(double h, double m, double s, double ms) {
  if (!std::isfinite(h) || !std::isfinite(m) || !std::isfinite(s) || !std::isfinite(ms)) {
    return kNaN;
  }
  return std::trunc(h) * 3600000.0 + std::trunc(m) * 60000.0 + std::trunc(s) * 1000.0 +
         std::trunc(ms);
}

double make_date(double day, double time) {
  if (!std::isfinite(day) || !std::isfinite(time)) return kNaN;
  return day * kMsPerDay + time;
}

// Date.UTC(year, month, ...): years 0..99 mean 1900..1999.
double date_utc(double year, double month, double date = 1, double h = 0, double m = 0,
                double s = 0, double ms = 0) {
  if (std::isnan(year)) return kNaN;
  double y = year;
  const double yi = std::trunc(year);
  if (yi >= 0 && yi <= 99) y = 1900 + yi;
  return time_clip(make_date(make_day(y, month, date), make_time(h, m, s, ms)));
}

// The UTC fields of a time value, as the Date getters return them (NaN for an invalid date).
struct DateFields {
  bool valid = false;
  double time = kNaN;
  double year = kNaN, month0 = kNaN, day = kNaN, weekday = kNaN;
  double hours = kNaN, minutes = kNaN, seconds = kNaN, millis = kNaN;
};

DateFields fields_of(double t) {
  DateFields f;
  if (std::isnan(t)) return f;
  const auto ms = static_cast<int64_t>(t);
  const int64_t days = floor_div(ms, 86400000);
  const int64_t in_day = ms - days * 86400000;
  const Civil c = civil_from_days(days);
  f.valid = true;
  f.time = t;
  f.year = double(c.year);
  f.month0 = double(c.month - 1);
  f.day = double(c.day);
  f.weekday = double(((days % 7) + 11) % 7);  // 1970-01-01 was a Thursday (4)
  f.hours = double(in_day / 3600000);
  f.minutes = double(in_day / 60000 % 60);
  f.seconds = double(in_day / 1000 % 60);
  f.millis = double(in_day % 1000);
  return f;
}

// ISO 8601 (and F&O, for months): the first week of a year or month is the one with its first
// Thursday; weeks start on Monday. Millis of the Monday it starts on.
double start_of_first_week(double year, double month0) {
  const double first = date_utc(year, month0);
  double weekday = fields_of(first).weekday;
  if (weekday == 0) weekday = 7;
  return weekday > 4 ? first + (8 - weekday) * kMsPerDay : first - (weekday - 1) * kMsPerDay;
}

double delta_weeks(double start, double end) {
  return (end - start) / (kMsPerDay * 7) + 1;
}

// A component's value: a number (maybe NaN), a string (P, C, E), or undefined (an unknown
// component letter, or a name read back that matches nothing).
struct Value {
  enum Kind { kUndefined, kNumber, kString } kind = kUndefined;
  double number = kNaN;
  const char* text = "";
  static Value num(double n) { return {kNumber, n, ""}; }
  static Value str(const char* s) { return {kString, kNaN, s}; }
};

// getDateTimeFragment.
Value fragment(const DateFields& date, char32_t component) {
  switch (component) {
    case U'Y':
      return Value::num(date.year);
    case U'M':
      return Value::num(date.month0 + 1);
    case U'D':
      return Value::num(date.day);
    case U'd': {
      const double today = date_utc(date.year, date.month0, date.day);
      const double first_jan = date_utc(date.year, 0);
      return Value::num((today - first_jan) / kMsPerDay + 1);
    }
    case U'F':
      return Value::num(date.weekday == 0 ? 7 : date.weekday);
    case U'W': {
      const double start = start_of_first_week(date.year, 0);
      const double today = date_utc(date.year, date.month0, date.day);
      double week = delta_weeks(start, today);
      if (week > 52) {
        if (today >= start_of_first_week(date.year + 1, 0)) week = 1;
      } else if (week < 1) {
        week = delta_weeks(start_of_first_week(date.year - 1, 0), today);
      }
      return Value::num(std::floor(week));
    }
    case U'w': {
      const double start = start_of_first_week(date.year, date.month0);
      const double today = date_utc(date.year, date.month0, date.day);
      double week = delta_weeks(start, today);
      if (week > 4) {
        const double next_year = date.month0 == 11 ? date.year + 1 : date.year;
        const double next_month = date.month0 == 11 ? 0 : date.month0 + 1;
        if (today >= start_of_first_week(next_year, next_month)) week = 1;
      } else if (week < 1) {
        const double prev_year = date.month0 == 0 ? date.year - 1 : date.year;
        const double prev_month = date.month0 == 0 ? 11 : date.month0 - 1;
        week = delta_weeks(start_of_first_week(prev_year, prev_month), today);
      }
      return Value::num(std::floor(week));
    }
    case U'X': {
      // JSONata's extension: the ISO week-numbering year.
      const double start = start_of_first_week(date.year, 0);
      const double end = start_of_first_week(date.year + 1, 0);
      if (date.time < start) return Value::num(date.year - 1);
      if (date.time >= end) return Value::num(date.year + 1);
      return Value::num(date.year);
    }
    case U'x': {
      // JSONata's extension: the month the week-in-month belongs to.
      const double start = start_of_first_week(date.year, date.month0);
      const double next_year = date.month0 == 11 ? date.year + 1 : date.year;
      const double next_month = date.month0 == 11 ? 0 : date.month0 + 1;
      const double end = start_of_first_week(next_year, next_month);
      if (date.time < start) return Value::num((date.month0 == 0 ? 11 : date.month0 - 1) + 1);
      if (date.time >= end) return Value::num(next_month + 1);
      return Value::num(date.month0 + 1);
    }
    case U'H':
      return Value::num(date.hours);
    case U'h': {
      double h = std::fmod(date.hours, 12);
      if (h == 0) h = 12;
      return Value::num(h);
    }
    case U'P':
      return Value::str(date.hours >= 12 ? "pm" : "am");
    case U'm':
      return Value::num(date.minutes);
    case U's':
      return Value::num(date.seconds);
    case U'f':
      return Value::num(date.millis);
    case U'C':
    case U'E':
      return Value::str("ISO");
    default:
      return {};  // Z and z are formatted from the offset; anything else is undefined
  }
}

// ---------------------------------------------------------------------------------------------
// Picture analysis (F&O 9.8.4.1), as JSONata's analyseDateTimePicture.

enum class Names { kNone, kLower, kUpper, kTitle };

struct Marker {
  bool literal = false;
  std::string text;  // a literal's text
  char32_t component = 0;
  bool no_component = false;  // "[]": JavaScript's charAt(0) of an empty string
  S presentation1;
  char32_t presentation2 = 0;
  Names names = Names::kNone;
  bool has_width = false;
  std::optional<double> width_min, width_max;  // nullopt: undefined; NaN: parseInt failed
  bool has_integer_format = false;
  IntegerPicture integer_format;
  double n = -1;  // the year's digit count (F&O 9.8.4.4), -1 when not given
};

bool in(char32_t c, std::u32string_view set) {
  return set.find(c) != SV::npos;
}

std::optional<double> parse_width(const std::optional<S>& text) {
  if (!text || *text == U"*") return std::nullopt;
  return js::parse_int(SV(*text));
}

void add_literal(std::vector<Marker>& spec, SV picture, size_t start, size_t end) {
  if (end <= start) return;
  const SV literal = picture.substr(start, end - start);
  Marker m;
  m.literal = true;
  // Doubled "]]" stand for "]".
  for (size_t i = 0; i < literal.size(); ++i) {
    append_utf8(m.text, literal[i]);
    if (literal[i] == U']' && i + 1 < literal.size() && literal[i + 1] == U']') ++i;
  }
  spec.push_back(std::move(m));
}

Result<std::vector<Marker>, FormatError> analyse_picture(SV picture) {
  std::vector<Marker> spec;
  size_t start = 0;
  size_t pos = 0;
  while (pos < picture.size()) {
    if (picture[pos] == U'[') {
      if (pos + 1 < picture.size() && picture[pos + 1] == U'[') {
        add_literal(spec, picture, start, pos);
        Marker m;
        m.literal = true;
        m.text = "[";
        spec.push_back(std::move(m));
        pos += 2;
        start = pos;
        continue;
      }
      add_literal(spec, picture, start, pos);
      start = pos;
      const size_t close = picture.find(U']', start);
      if (close == SV::npos) return jsonata_error("D3135");
      pos = close;
      S marker;
      for (char32_t c : picture.substr(start + 1, pos - start - 1)) {
        if (!js::is_space(c)) marker.push_back(c);  // white space in a marker is ignored
      }
      Marker def;
      def.no_component = marker.empty();
      def.component = marker.empty() ? 0 : marker[0];
      const size_t comma = marker.rfind(U',');
      S pres_mod;
      if (comma != S::npos) {
        def.has_width = true;
        const S width_mod = marker.substr(comma + 1);
        const size_t dash = width_mod.find(U'-');
        std::optional<S> min_text, max_text;
        if (dash == S::npos) {
          min_text = width_mod;
        } else {
          min_text = width_mod.substr(0, dash);
          max_text = width_mod.substr(dash + 1);
        }
        def.width_min = parse_width(min_text);
        def.width_max = parse_width(max_text);
        // substring(1, comma) swaps its bounds when the comma comes first: "[,2]" -> ",".
        pres_mod = comma == 0 ? marker.substr(0, 1) : marker.substr(1, comma - 1);
      } else {
        pres_mod = marker.size() > 1 ? marker.substr(1) : S();
      }
      if (pres_mod.size() == 1) {
        def.presentation1 = pres_mod;
      } else if (pres_mod.size() > 1) {
        const char32_t last = pres_mod.back();
        if (in(last, U"atco")) {
          // 'o' is ordinal, 'c' cardinal (the default); 'a' and 't' are kept ('t' matters to
          // Z), otherwise ignored.
          def.presentation2 = last;
          def.presentation1 = pres_mod.substr(0, pres_mod.size() - 1);
        } else {
          def.presentation1 = pres_mod;
        }
      } else {
        static constexpr std::array<std::pair<char32_t, std::u32string_view>, 19> kDefaults = {{
            {U'Y', U"1"},     {U'M', U"1"},     {U'D', U"1"},  {U'd', U"1"},  {U'F', U"n"},
            {U'W', U"1"},     {U'w', U"1"},     {U'X', U"1"},  {U'x', U"1"},  {U'H', U"1"},
            {U'h', U"1"},     {U'P', U"n"},     {U'm', U"01"}, {U's', U"01"}, {U'f', U"1"},
            {U'Z', U"01:01"}, {U'z', U"01:01"}, {U'C', U"n"},  {U'E', U"n"},
        }};
        bool known = false;
        if (!def.no_component) {
          for (const auto& [c, p] : kDefaults) {
            if (c == def.component) {
              def.presentation1 = S(p);
              known = true;
            }
          }
        }
        if (!known) {
          std::string name;
          if (!def.no_component) append_utf8(name, def.component);
          return jsonata_error("D3132", js::json_quote(name));
        }
      }
      const S& p1 = def.presentation1;
      if (p1[0] == U'n') {
        def.names = Names::kLower;
      } else if (p1[0] == U'N') {
        def.names = (p1.size() > 1 && p1[1] == U'n') ? Names::kTitle : Names::kUpper;
      } else if (def.no_component || in(def.component, U"YMDdFWwXxHhmsf")) {
        // ("" is found in any string by indexOf, so "[]" would count; it never gets here.)
        S integer_pattern = p1;
        if (def.presentation2 != 0) {
          integer_pattern.push_back(U';');
          integer_pattern.push_back(def.presentation2);
        }
        auto format = detail::analyse_integer_picture(integer_pattern);
        if (!format) return std::move(format).error();
        def.integer_format = std::move(format).value();
        def.has_integer_format = true;
        IntegerPicture& f = def.integer_format;
        const bool decimal = f.primary == Primary::kDecimal;  // else mandatoryDigits is undefined
        if (def.width_min && decimal && f.mandatory_digits < *def.width_min) {
          f.mandatory_digits = *def.width_min;
        }
        if (in(def.component, U"YMD")) {
          def.n = -1;
          if (def.width_max) {
            def.n = *def.width_max;
            f.mandatory_digits = def.n;
          } else if (decimal) {
            const double w = f.mandatory_digits + f.optional_digits;
            if (w >= 2) def.n = w;
          }
        }
      }
      if (def.component == U'Z' || def.component == U'z') {
        auto format = detail::analyse_integer_picture(def.presentation1);
        if (!format) return std::move(format).error();
        def.integer_format = std::move(format).value();
        def.has_integer_format = true;
      }
      spec.push_back(std::move(def));
      start = pos + 1;
    }
    ++pos;
  }
  add_literal(spec, picture, start, pos);
  return spec;
}

const std::vector<Marker>& iso8601_spec() {
  static const std::vector<Marker> spec =
      analyse_picture(U"[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]").value();
  return spec;
}

// ---------------------------------------------------------------------------------------------
// Formatting (F&O 9.8.4.3 - 9.8.4.7), as JSONata's formatDateTime.

void append_cased(std::string& out, std::string_view text, Names names, const Marker& m) {
  std::string value(text);
  if (names == Names::kUpper) {
    for (char& c : value) c = static_cast<char>(detail::ascii_upper(static_cast<unsigned char>(c)));
  } else if (names == Names::kLower) {
    for (char& c : value) c = static_cast<char>(detail::ascii_lower(static_cast<unsigned char>(c)));
  }
  if (m.has_width && m.width_max && double(value.size()) > *m.width_max) {
    value = value.substr(0, static_cast<size_t>(std::max(*m.width_max, 0.0)));
  }
  out += value;
}

Result<bool, FormatError> format_marker(const DateFields& date, const Marker& m,
                                        double offset_hours, double offset_minutes,
                                        std::string& out) {
  Value value = fragment(date, m.component);
  if (!m.no_component && in(m.component, U"YMDdFWwXxHhms")) {
    double v = value.number;
    if (m.component == U'Y' && m.n != -1) v = std::fmod(v, std::pow(10.0, m.n));
    if (m.names != Names::kNone) {
      const char* name = nullptr;  // undefined, for an invalid date
      if (m.component == U'M' || m.component == U'x') {
        if (v >= 1 && v <= 12) name = kMonths[static_cast<size_t>(v - 1)];
      } else if (m.component == U'F') {
        if (v >= 0 && v <= 7) name = kDays[static_cast<size_t>(v)];
      } else {
        std::string c;
        append_utf8(c, m.component);
        return jsonata_error("D3133", js::json_quote(c));
      }
      if (name == nullptr) {
        // The reference goes on with undefined: it prints "undefined" unless it calls a
        // method on it first.
        if (m.names == Names::kUpper) {
          return script_error("Cannot read properties of undefined (reading 'toUpperCase')");
        }
        if (m.names == Names::kLower) {
          return script_error("Cannot read properties of undefined (reading 'toLowerCase')");
        }
        if (m.has_width)
          return script_error("Cannot read properties of undefined (reading 'length')");
        out += "undefined";
        return true;
      }
      append_cased(out, name, m.names, m);
      return true;
    }
    return detail::format_integer_to(v, m.integer_format, out);
  }
  if (m.component == U'f') {
    if (!m.has_integer_format) {
      return script_error("Cannot read properties of undefined (reading 'primary')");
    }
    return detail::format_integer_to(value.number, m.integer_format, out);
  }
  if (m.component == U'Z' || m.component == U'z') {
    const double offset = offset_hours * 100 + offset_minutes;
    std::string text;
    const IntegerPicture& f = m.integer_format;
    if (f.regular) {
      auto r = detail::format_integer_to(offset, f, text);
      if (!r) return std::move(r).error();
    } else {
      const double digits = f.primary == Primary::kDecimal ? f.mandatory_digits : kNaN;
      if (digits == 1 || digits == 2) {
        auto r = detail::format_integer_to(offset_hours, f, text);
        if (!r) return std::move(r).error();
        if (offset_minutes != 0) {
          // formatInteger(offsetMinutes, '00')
          text += ':';
          IntegerPicture two;
          two.mandatory_digits = 2;
          auto r2 = detail::format_integer_to(std::floor(offset_minutes), two, text);
          if (!r2) return std::move(r2).error();
        }
      } else if (digits == 3 || digits == 4) {
        auto r = detail::format_integer_to(offset, f, text);
        if (!r) return std::move(r).error();
      } else {
        return jsonata_error("D3134", js::number_to_string(digits));
      }
    }
    if (offset >= 0) text.insert(0, "+");
    if (m.component == U'z') text.insert(0, "GMT");
    if (offset == 0 && m.presentation2 == U't') text = "Z";
    out += text;
    return true;
  }
  if (m.component == U'P') {
    std::string text = value.text;
    if (m.names == Names::kUpper) {
      for (char& c : text)
        c = static_cast<char>(detail::ascii_upper(static_cast<unsigned char>(c)));
    }
    out += text;
    return true;
  }
  out += value.kind == Value::kString ? value.text : "undefined";
  return true;
}

// ---------------------------------------------------------------------------------------------
// Parsing with a picture: JSONata's generateRegex + parseDateTime. The picture becomes a regular
// expression (one capture group per part, case-insensitive, anchored); this is a backtracking
// matcher for exactly the constructs that expression uses, with JavaScript's match order.

enum class AtomKind {
  kLiteral,      // a literal string (case-insensitive)
  kAnyChar,      // '.' (a timezone separator that is '.' is not escaped by the reference)
  kDigits,       // [0-9]{min,max}
  kLetters,      // [a-zA-Z]+ (and [A-Z]+ / [a-z]+ under the i flag)
  kRoman,        // [MDCLXVI]+ under the i flag
  kSign,         // [-+]
  kOrdinalTail,  // (?:th|st|nd|rd)
  kWords,        // (?:zero|one|...|and|[\-, ])+
};

struct Atom {
  AtomKind kind;
  S text;
  long min = 1;
  long max = std::numeric_limits<long>::max();
  size_t group = 0;
};

bool char_eq_i(char32_t a, char32_t b) {
  return detail::ascii_lower(a) == detail::ascii_lower(b);
}

bool literal_at(SV input, size_t pos, SV lit) {
  if (pos + lit.size() > input.size()) return false;
  for (size_t i = 0; i < lit.size(); ++i) {
    if (!char_eq_i(input[pos + i], lit[i])) return false;
  }
  return true;
}

bool atom_char(AtomKind kind, char32_t c) {
  switch (kind) {
    case AtomKind::kDigits:
      return c >= U'0' && c <= U'9';
    case AtomKind::kLetters:
      return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z');
    case AtomKind::kRoman:
      return in(detail::ascii_upper(c), U"MDCLXVI");
    case AtomKind::kSign:
      return c == U'-' || c == U'+';
    case AtomKind::kAnyChar:
      return c != U'\n' && c != U'\r' && c != 0x2028 && c != 0x2029;
    default:
      return false;
  }
}

class Matcher {
 public:
  Matcher(const std::vector<Atom>& atoms, SV input)
      : atoms_(atoms), input_(input), boundary_(atoms.size() + 1, 0) {}

  bool run() { return match(0, 0); }
  bool exhausted() const { return steps_ > kMaxSteps; }

  // The text the atoms of `group` matched.
  SV capture(size_t group) const {
    // A group's atoms are contiguous and groups come in order.
    size_t first = 0;
    while (first < atoms_.size() && atoms_[first].group < group) ++first;
    size_t last = first;
    while (last < atoms_.size() && atoms_[last].group == group) ++last;
    if (first == last) return {};
    return input_.substr(boundary_[first], boundary_[last] - boundary_[first]);
  }

 private:
  static constexpr long kMaxSteps = 2'000'000;

  bool match(size_t k, size_t pos) {
    if (++steps_ > kMaxSteps) return false;
    boundary_[k] = pos;
    if (k == atoms_.size()) return pos == input_.size();
    const Atom& a = atoms_[k];
    switch (a.kind) {
      case AtomKind::kLiteral:
        return literal_at(input_, pos, a.text) && match(k + 1, pos + a.text.size());
      case AtomKind::kOrdinalTail:
        for (SV tail : {SV(U"th"), SV(U"st"), SV(U"nd"), SV(U"rd")}) {
          if (literal_at(input_, pos, tail) && match(k + 1, pos + 2)) return true;
        }
        return false;
      case AtomKind::kWords:
        return words(k, pos);
      default: {
        long run = 0;
        while (run < a.max && pos + size_t(run) < input_.size() &&
               atom_char(a.kind, input_[pos + size_t(run)])) {
          ++run;
        }
        for (long n = run; n >= a.min; --n) {  // greedy, then backtrack
          if (match(k + 1, pos + size_t(n))) return true;
        }
        return false;
      }
    }
  }

  // One more iteration of (?:word|...|and|[\-, ])+ at `pos`, alternatives in order; after each
  // the greedy loop first tries another iteration, then the rest of the expression.
  bool words(size_t k, size_t pos) {
    if (++steps_ > kMaxSteps) return false;
    for (const S& w : detail::number_words()) {
      if (literal_at(input_, pos, w) && words_then_rest(k, pos + w.size())) return true;
    }
    if (literal_at(input_, pos, U"and") && words_then_rest(k, pos + 3)) return true;
    if (pos < input_.size() && in(input_[pos], U"-, ") && words_then_rest(k, pos + 1)) {
      return true;
    }
    return false;
  }
  bool words_then_rest(size_t k, size_t pos) { return words(k, pos) || match(k + 1, pos); }

  const std::vector<Atom>& atoms_;
  SV input_;
  std::vector<size_t> boundary_;
  long steps_ = 0;
};

// How one part of the picture reads its captured text back into a component value.
struct PartReader {
  enum Kind { kNone, kTimezone, kInteger, kNames } kind = kNone;
  char32_t component = 0;
  bool no_component = false;
  // kTimezone
  bool gmt = false;
  bool has_separator = false;
  char32_t separator = 0;
  // kInteger
  IntegerPicture format;
  // kNames: the lookup table, exact case, as the reference's object keys.
  std::vector<std::pair<S, double>> names;
};

// The captured text read as the reference reads it: parseInt on pieces of it.
Value read_timezone(const PartReader& r, SV text) {
  S value(text);
  if (r.gmt) value = value.size() > 3 ? value.substr(3) : S();
  double hours = 0, minutes = 0;
  if (r.has_separator) {
    const size_t at = value.find(r.separator);
    // indexOf -1 makes substring(0, -1) empty and substring(0) the whole text.
    hours = js::parse_int(SV(at == S::npos ? S() : value.substr(0, at)));
    minutes = js::parse_int(SV(at == S::npos ? value : value.substr(at + 1)));
  } else if (value.size() - 1 <= 2) {
    hours = js::parse_int(SV(value));
  } else {
    hours = js::parse_int(SV(value.substr(0, 3)));
    minutes = js::parse_int(SV(value.substr(3)));
  }
  return Value::num(hours * 60 + minutes);
}

Result<Value, FormatError> read_integer(const IntegerPicture& f, SV text) {
  switch (f.primary) {
    case Primary::kLetters:
      return Value::num(
          detail::letters_to_decimal(text, f.letter_case == LetterCase::kUpper ? U'A' : U'a'));
    case Primary::kRoman: {
      if (f.letter_case == LetterCase::kUpper) return Value::num(detail::roman_to_decimal(text));
      S upper(text);
      for (char32_t& c : upper) c = detail::ascii_upper(c);
      return Value::num(detail::roman_to_decimal(upper));
    }
    case Primary::kWords:
      return Value::num(detail::words_to_number(text));
    case Primary::kDecimal: {
      auto v = detail::parse_decimal(text, f);
      if (!v) return std::move(v).error();
      return Value::num(*v);
    }
    case Primary::kSequence:
      break;
  }
  return jsonata_error("D3130", js::json_quote(js::to_utf8(f.token)));
}

bool truthy(const Value& v) {
  if (v.kind == Value::kUndefined) return false;
  if (v.kind == Value::kString) return v.text[0] != 0;
  return v.number != 0 && !std::isnan(v.number);
}

size_t component_index(char32_t c) {
  return c < 128 ? size_t(c) : 0;
}

// A picture compiled for reading: its parts, the atoms of its regular expression (each part's
// atoms are one capture group) and how each part reads its capture back.
struct CompiledParse {
  std::vector<Marker> spec;
  std::vector<Atom> atoms;
  std::vector<PartReader> readers;
};

// generateRegex. Errors: those of the picture, D3130, D3133.
Result<CompiledParse, FormatError> compile_parse(SV picture) {
  auto analysed = analyse_picture(picture);
  if (!analysed) return std::move(analysed).error();
  CompiledParse compiled;
  compiled.spec = std::move(analysed).value();
  const std::vector<Marker>& spec = compiled.spec;
  std::vector<Atom>& atoms = compiled.atoms;
  std::vector<PartReader>& readers = compiled.readers;
  readers.resize(spec.size());
  for (size_t g = 0; g < spec.size(); ++g) {
    const Marker& part = spec[g];
    PartReader& r = readers[g];
    r.component = part.component;
    r.no_component = part.no_component;
    if (part.literal) {
      atoms.push_back({AtomKind::kLiteral, js::to_u32(part.text), 1, 1, g});
    } else if (part.component == U'Z' || part.component == U'z') {
      r.kind = PartReader::kTimezone;
      r.gmt = part.component == U'z';
      if (r.gmt) atoms.push_back({AtomKind::kLiteral, U"GMT", 1, 1, g});
      atoms.push_back({AtomKind::kSign, {}, 1, 1, g});
      atoms.push_back({AtomKind::kDigits, {}, 1, std::numeric_limits<long>::max(), g});
      if (part.integer_format.regular) {
        r.has_separator = true;
        r.separator = part.integer_format.regular_separator.character;
        if (r.separator == U'.') {
          atoms.push_back({AtomKind::kAnyChar, {}, 1, 1, g});
        } else {
          atoms.push_back({AtomKind::kLiteral, S(1, r.separator), 1, 1, g});
        }
        atoms.push_back({AtomKind::kDigits, {}, 1, std::numeric_limits<long>::max(), g});
      }
    } else if (part.has_integer_format) {
      const IntegerPicture& f = part.integer_format;
      r.kind = PartReader::kInteger;
      r.format = f;
      switch (f.primary) {
        case Primary::kLetters:
          atoms.push_back({AtomKind::kLetters, {}, 1, std::numeric_limits<long>::max(), g});
          break;
        case Primary::kRoman:
          atoms.push_back({AtomKind::kRoman, {}, 1, std::numeric_limits<long>::max(), g});
          break;
        case Primary::kWords:
          atoms.push_back({AtomKind::kWords, {}, 1, 1, g});
          break;
        case Primary::kDecimal: {
          Atom digits{AtomKind::kDigits, {}, 1, std::numeric_limits<long>::max(), g};
          // Only the year, month and day have a fixed width (n); "n && n > 0" in the reference.
          const bool ymd = in(part.component, U"YMD") && !part.no_component;
          if (ymd && part.n > 0) {
            const long n = long(part.n);
            digits.min = f.optional_digits == 0 ? n : n - f.optional_digits;
            digits.max = n;
          }
          atoms.push_back(digits);
          if (f.ordinal) atoms.push_back({AtomKind::kOrdinalTail, {}, 1, 1, g});
          break;
        }
        case Primary::kSequence:
          return jsonata_error("D3130", js::json_quote(js::to_utf8(f.token)));
      }
    } else {
      // A month or day name (or am/pm).
      r.kind = PartReader::kNames;
      atoms.push_back({AtomKind::kLetters, {}, 1, std::numeric_limits<long>::max(), g});
      const bool truncate =
          part.has_width && part.width_max && *part.width_max != 0 && !std::isnan(*part.width_max);
      auto add = [&](const char* name, double value) {
        S full = js::to_u32(name);
        if (truncate) {
          const double max = std::max(*part.width_max, 0.0);
          if (max < double(full.size())) full = full.substr(0, static_cast<size_t>(max));
        }
        for (auto& entry : r.names) {
          if (entry.first == full) {
            entry.second = value;  // a later key overwrites an earlier one
            return;
          }
        }
        r.names.emplace_back(full, value);
      };
      if (!part.no_component && (part.component == U'M' || part.component == U'x')) {
        for (size_t i = 0; i < kMonths.size(); ++i) add(kMonths[i], double(i + 1));
      } else if (!part.no_component && part.component == U'F') {
        for (size_t i = 1; i < kDays.size(); ++i) add(kDays[i], double(i));
      } else if (!part.no_component && part.component == U'P') {
        r.names = {{U"am", 0}, {U"AM", 0}, {U"pm", 1}, {U"PM", 1}};
      } else {
        std::string c;
        if (!part.no_component) append_utf8(c, part.component);
        return jsonata_error("D3133", js::json_quote(c));
      }
    }
  }

  return compiled;
}

Result<std::optional<double>, FormatError> parse_compiled(const CompiledParse& compiled, SV text,
                                                          int64_t now_millis) {
  const std::vector<Marker>& spec = compiled.spec;
  const std::vector<PartReader>& readers = compiled.readers;
  Matcher matcher(compiled.atoms, text);
  if (!matcher.run()) return std::optional<double>();

  // The components read from the text, keyed by their letter (a name that matches nothing is
  // undefined); `any` is whether the reference assigned any component at all, even undefined.
  std::array<Value, 128> components{};
  bool any = false;
  for (size_t g = 0; g < spec.size(); ++g) {
    const PartReader& r = readers[g];
    if (r.kind == PartReader::kNone) continue;
    const SV captured = matcher.capture(g);
    Value v;
    if (r.kind == PartReader::kTimezone) {
      v = read_timezone(r, captured);
    } else if (r.kind == PartReader::kInteger) {
      auto read = read_integer(r.format, captured);
      if (!read) return std::move(read).error();
      v = *read;
    } else {
      for (const auto& [name, value] : r.names) {
        if (SV(name) == captured) v = Value::num(value);
      }
    }
    const size_t idx = r.no_component ? 0 : component_index(r.component);
    components[idx] = v;
    any = true;
  }
  if (!any) return std::optional<double>();  // nothing specified

  auto comp = [&](char32_t c) -> Value& { return components[component_index(c)]; };
  // Which of the reference's date and time combinations the picture gives (bit masks):
  //   dateA {Y M D}, dateB {Y d}, dateC {X x w F}, dateD {X W F}; timeA {H m s f},
  //   timeB {P h m s f}. Only truthy values count, as in the reference.
  auto mask_of = [&](std::u32string_view letters) {
    int mask = 0;
    for (char32_t c : letters) mask = (mask << 1) | (truthy(comp(c)) ? 1 : 0);
    return mask;
  };
  auto is_type = [](int type, int mask) { return !(~type & mask) && (type & mask) != 0; };
  int mask = mask_of(U"YXMxWwdD");
  const bool date_a = is_type(161, mask);
  const bool date_b = !date_a && is_type(130, mask);
  const bool date_c = is_type(84, mask);
  const bool date_d = !date_c && is_type(72, mask);
  mask = mask_of(U"PHhmsf");
  const bool time_a = is_type(23, mask);
  const bool time_b = !time_a && is_type(47, mask);

  // ("YD" for dateB is the reference's: the day of the year is not among them.)
  std::u32string comps = date_b ? U"YD" : date_c ? U"XxwF" : date_d ? U"XWF" : U"YMD";
  comps += time_b ? U"Phmsf" : U"Hmsf";

  // Most significant unspecified parts default to now, least significant ones to their
  // minimum; a gap between specified parts is an error.
  const DateFields now = fields_of(time_clip(double(now_millis)));
  bool start_specified = false;
  bool end_specified = false;
  for (char32_t part : comps) {
    Value& v = comp(part);
    if (v.kind == Value::kUndefined) {
      if (start_specified) {
        v = Value::num(in(part, U"MDd") ? 1 : 0);
        end_specified = true;
      } else {
        v = fragment(now, part);
      }
    } else {
      start_specified = true;
      if (end_specified) return jsonata_error("D3136");
    }
  }

  auto number = [](const Value& v) { return v.kind == Value::kNumber ? v.number : kNaN; };
  double month = number(comp(U'M'));
  month = month > 0 ? month - 1 : 0;  // Date.UTC's months count from 0
  double day = number(comp(U'D'));
  if (date_b) {
    const double first_jan = date_utc(number(comp(U'Y')), 0);
    const double offset = (number(comp(U'd')) - 1) * kMsPerDay;
    const DateFields derived = fields_of(time_clip(first_jan + offset));
    month = derived.month0;
    day = derived.day;
  }
  if (date_c || date_d) return jsonata_error("D3136");  // not implemented by the reference
  double hours = number(comp(U'H'));
  if (time_b) {
    const double h = number(comp(U'h'));
    hours = h == 12 ? 0 : h;
    const Value& p = comp(U'P');
    if (p.kind == Value::kNumber && p.number == 1) hours += 12;
  }
  double millis = date_utc(number(comp(U'Y')), month, day, hours, number(comp(U'm')),
                           number(comp(U's')), number(comp(U'f')));
  const Value& zone = truthy(comp(U'Z')) ? comp(U'Z') : comp(U'z');
  if (truthy(zone)) millis -= zone.number * 60 * 1000;
  return std::optional<double>(millis);
}

// ---------------------------------------------------------------------------------------------
// $toMillis without a picture: JSONata's ISO 8601 pattern, then JavaScript's Date.parse.

bool is_digit(char32_t c) {
  return c >= U'0' && c <= U'9';
}

// ^\d{4}(-[01]\d)*(-[0-3]\d)*(T[0-2]\d:[0-5]\d:[0-5]\d)*(\.\d+)?([+-][0-2]\d:?[0-5]\d|Z)?$
bool matches_iso8601(SV s) {
  auto body = [](SV b) {
    size_t i = 0;
    for (; i < 4; ++i) {
      if (i >= b.size() || !is_digit(b[i])) return false;
    }
    // (-[01]\d)*(-[0-3]\d)* accepts exactly the runs of "-[0-3]\d".
    while (i + 2 < b.size() && b[i] == U'-' && b[i + 1] >= U'0' && b[i + 1] <= U'3' &&
           is_digit(b[i + 2])) {
      i += 3;
    }
    while (i + 8 < b.size() && b[i] == U'T' && b[i + 1] >= U'0' && b[i + 1] <= U'2' &&
           is_digit(b[i + 2]) && b[i + 3] == U':' && b[i + 4] >= U'0' && b[i + 4] <= U'5' &&
           is_digit(b[i + 5]) && b[i + 6] == U':' && b[i + 7] >= U'0' && b[i + 7] <= U'5' &&
           is_digit(b[i + 8])) {
      i += 9;
    }
    if (i < b.size() && b[i] == U'.') {
      ++i;
      if (i >= b.size()) return false;
      for (; i < b.size(); ++i) {
        if (!is_digit(b[i])) return false;
      }
    }
    return i == b.size();
  };
  // The optional zone can only end the text; try each form it can take there.
  if (body(s)) return true;
  if (!s.empty() && s.back() == U'Z' && body(s.substr(0, s.size() - 1))) return true;
  for (size_t len : {size_t(5), size_t(6)}) {
    if (s.size() < len) continue;
    const SV z = s.substr(s.size() - len);
    const bool sign = z[0] == U'+' || z[0] == U'-';
    const bool hh = z[1] >= U'0' && z[1] <= U'2' && is_digit(z[2]);
    const bool colon = len == 5 || z[3] == U':';
    const SV mm = z.substr(len - 2);
    const bool mm_ok = mm[0] >= U'0' && mm[0] <= U'5' && is_digit(mm[1]);
    if (sign && hh && colon && mm_ok && body(s.substr(0, s.size() - len))) return true;
  }
  return false;
}

// V8's date parser (ES5 ISO form first, then its legacy parser for what is left), enough of
// it to read every text the pattern above lets through exactly as Date.parse does.
class DateParser {
 public:
  explicit DateParser(SV text) : in_(text) { next_ = scan(); }

  double parse() {
    Token next = parse_es5();
    if (next.kind == Token::kInvalid) return kNaN;
    bool has_read_number = day_.index > 0;
    for (Token token = next; token.kind != Token::kEnd; token = advance()) {
      if (token.kind == Token::kNumber) {
        has_read_number = true;
        const int n = token.value;
        if (skip_symbol(U':')) {
          if (skip_symbol(U':')) {
            if (time_.index != 0) return kNaN;
            time_.add(n);
            time_.add(0);
          } else {
            if (!time_.add(n)) return kNaN;
            if (next_.is_symbol(U'.')) advance();
          }
        } else if (skip_symbol(U'.') && time_.expecting(n)) {
          // (V8 skips the '.' even when no time is expected; the chain then goes on.)
          time_.add(n);
          if (next_.kind != Token::kNumber) return kNaN;
          const int ms = read_milliseconds(advance());
          if (ms < 0) return kNaN;
          time_.add_final(ms);
        } else if (tz_.expecting(n)) {
          tz_.minute = n;
        } else if (time_.expecting(n)) {
          time_.add_final(n);
          const Token peek = next_;
          if (peek.kind != Token::kEnd && peek.kind != Token::kSpace && !peek.is_keyword_z() &&
              !peek.is_sign()) {
            return kNaN;
          }
        } else {
          if (!day_.add(n)) return kNaN;
          skip_symbol(U'-');
        }
      } else if (token.kind == Token::kKeyword) {
        if (token.keyword == Keyword::kAmPm && time_.index != 0) {
          time_.hour_offset = token.value;
        } else if (token.keyword == Keyword::kMonthName) {
          day_.named_month = token.value;
          skip_symbol(U'-');
        } else if (token.keyword == Keyword::kTimeZone && has_read_number) {
          tz_.set(token.value);
        } else {
          if (has_read_number) return kNaN;
          if (next_.kind == Token::kNumber) return kNaN;
        }
      } else if (token.is_sign() && (tz_.is_utc() || time_.index != 0)) {
        tz_.sign = token.value == U'+' ? 1 : -1;
        int n = 0;
        int length = 0;
        if (next_.kind == Token::kNumber) {
          const Token t = advance();
          length = t.length;
          n = t.value;
        }
        has_read_number = true;
        if (next_.is_symbol(U':')) {
          tz_.hour = n;
          tz_.minute = kNone;
        } else if (length == 1 || length == 2) {
          tz_.hour = n;
          tz_.minute = 0;
        } else if (length == 3 || length == 4) {
          tz_.hour = n / 100;
          tz_.minute = n % 100;
        } else {
          return kNaN;
        }
      } else if ((token.is_sign() || token.is_symbol(U')')) && has_read_number) {
        return kNaN;
      }
    }
    double out[8];
    if (!day_.write(out) || !time_.write(out) || !tz_.write(out)) return kNaN;
    double date =
        make_date(make_day(out[0], out[1], out[2]), make_time(out[3], out[4], out[5], out[6]));
    // No offset given: local time, which is UTC here (JSONata's servers run in UTC).
    if (!std::isnan(out[7])) date -= out[7] * 1000.0;
    return time_clip(date);
  }

 private:
  static constexpr int kNone = std::numeric_limits<int>::max();
  enum class Keyword { kInvalid, kMonthName, kTimeZone, kTimeSeparator, kAmPm };

  struct Token {
    enum Kind { kInvalid, kUnknown, kSpace, kNumber, kSymbol, kEnd, kKeyword } kind = kEnd;
    int length = 0;
    int value = 0;
    Keyword keyword = Keyword::kInvalid;
    bool is_symbol(char32_t c) const { return kind == kSymbol && value == int(c); }
    bool is_sign() const { return is_symbol(U'+') || is_symbol(U'-'); }
    bool is_number(int len) const { return kind == kNumber && length == len; }
    bool is_keyword_z() const {
      return kind == kKeyword && keyword == Keyword::kTimeZone && length == 1 && value == 0;
    }
  };

  static bool between(int x, int lo, int hi) {
    return static_cast<unsigned>(x - lo) <= static_cast<unsigned>(hi - lo);
  }

  struct DayComposer {
    int comp[3] = {0, 0, 0};
    int index = 0;
    int named_month = kNone;
    bool iso = false;
    bool add(int n) {
      if (index >= 3) return false;
      comp[index++] = n;
      return true;
    }
    bool write(double* out) {
      if (index < 1) return false;
      while (index < 3) comp[index++] = 1;
      int year = 0, month = kNone, day = kNone;
      if (named_month == kNone) {
        if (iso || (index == 3 && !between(comp[0], 1, 31))) {
          year = comp[0];
          month = comp[1];
          day = comp[2];
        } else {
          month = comp[0];
          day = comp[1];
          if (index == 3) year = comp[2];
        }
      } else {
        month = named_month;
        if (index == 1) {
          day = comp[0];
        } else if (!between(comp[0], 1, 31)) {
          year = comp[0];
          day = comp[1];
        } else {
          day = comp[0];
          year = comp[1];
        }
      }
      if (!iso) {
        if (between(year, 0, 49)) {
          year += 2000;
        } else if (between(year, 50, 99)) {
          year += 1900;
        }
      }
      if (!between(month, 1, 12) || !between(day, 1, 31)) return false;
      out[0] = year;
      out[1] = month - 1;
      out[2] = day;
      return true;
    }
  };

  struct TimeComposer {
    int comp[4] = {0, 0, 0, 0};
    int index = 0;
    int hour_offset = kNone;
    bool expecting(int n) const {
      return (index == 1 && between(n, 0, 59)) || (index == 2 && between(n, 0, 59)) ||
             (index == 3 && between(n, 0, 999));
    }
    bool add(int n) {
      if (index >= 4) return false;
      comp[index++] = n;
      return true;
    }
    bool add_final(int n) {
      if (!add(n)) return false;
      while (index < 4) comp[index++] = 0;
      return true;
    }
    bool write(double* out) {
      while (index < 4) comp[index++] = 0;
      int hour = comp[0];
      const int minute = comp[1], second = comp[2], ms = comp[3];
      if (hour_offset != kNone) {
        if (!between(hour, 0, 12)) return false;
        hour %= 12;
        hour += hour_offset;
      }
      if (!between(hour, 0, 23) || !between(minute, 0, 59) || !between(second, 0, 59) ||
          !between(ms, 0, 999)) {
        if (hour != 24 || minute != 0 || second != 0 || ms != 0) return false;
      }
      out[3] = hour;
      out[4] = minute;
      out[5] = second;
      out[6] = ms;
      return true;
    }
  };

  struct TimeZoneComposer {
    int sign = kNone, hour = kNone, minute = kNone;
    void set(int offset_hours) {
      sign = offset_hours < 0 ? -1 : 1;
      hour = offset_hours * sign;
      minute = 0;
    }
    bool expecting(int n) const { return hour != kNone && minute == kNone && between(n, 0, 59); }
    bool is_utc() const { return hour == 0 && minute == 0; }
    bool write(double* out) {
      if (sign != kNone) {
        if (hour == kNone) hour = 0;
        if (minute == kNone) minute = 0;
        const double total = double(hour) * 3600 + double(minute) * 60;
        if (total > 1073741823.0) return false;  // beyond a Smi
        out[7] = sign < 0 ? -total : total;
      } else {
        out[7] = kNaN;
      }
      return true;
    }
  };

  char32_t ch() const { return pos_ < in_.size() ? in_[pos_] : 0; }

  Token scan() {
    Token t;
    const size_t start = pos_;
    if (pos_ >= in_.size()) {
      t.kind = Token::kEnd;
      return t;
    }
    const char32_t c = ch();
    if (is_digit(c)) {
      int n = 0;
      int i = 0;
      while (ch() == U'0') ++pos_;  // leading zeros are not significant digits
      while (is_digit(ch())) {
        if (i < 9) n = n * 10 + int(ch() - U'0');  // at most 9 significant digits
        ++i;
        ++pos_;
      }
      t.kind = Token::kNumber;
      t.value = n;
      t.length = int(pos_ - start);
      return t;
    }
    if (c == U':' || c == U'-' || c == U'+' || c == U'.' || c == U')') {
      ++pos_;
      t.kind = Token::kSymbol;
      t.value = int(c);
      t.length = 1;
      return t;
    }
    if (c >= U'A') {
      char32_t prefix[3] = {0, 0, 0};
      int len = 0;
      for (; ch() >= U'A' && pos_ < in_.size(); ++pos_, ++len) {
        if (len < 3) prefix[len] = detail::ascii_lower(ch());
      }
      lookup_keyword(prefix, len, t);
      t.kind = Token::kKeyword;
      t.length = len;
      return t;
    }
    if (js::is_space(c)) {
      ++pos_;
      t.kind = Token::kSpace;
      t.length = 1;
      return t;
    }
    if (c == U'(') {
      int balance = 0;
      do {
        if (ch() == U')') {
          --balance;
        } else if (ch() == U'(') {
          ++balance;
        }
        ++pos_;
      } while (balance > 0 && pos_ < in_.size());
      t.kind = Token::kUnknown;
      return t;
    }
    ++pos_;
    t.kind = Token::kUnknown;
    return t;
  }

  static void lookup_keyword(const char32_t* pre, int len, Token& t) {
    struct Entry {
      char a, b, c;
      Keyword type;
      int value;
    };
    static constexpr Entry kTable[] = {
        {'j', 'a', 'n', Keyword::kMonthName, 1},  {'f', 'e', 'b', Keyword::kMonthName, 2},
        {'m', 'a', 'r', Keyword::kMonthName, 3},  {'a', 'p', 'r', Keyword::kMonthName, 4},
        {'m', 'a', 'y', Keyword::kMonthName, 5},  {'j', 'u', 'n', Keyword::kMonthName, 6},
        {'j', 'u', 'l', Keyword::kMonthName, 7},  {'a', 'u', 'g', Keyword::kMonthName, 8},
        {'s', 'e', 'p', Keyword::kMonthName, 9},  {'o', 'c', 't', Keyword::kMonthName, 10},
        {'n', 'o', 'v', Keyword::kMonthName, 11}, {'d', 'e', 'c', Keyword::kMonthName, 12},
        {'a', 'm', 0, Keyword::kAmPm, 0},         {'p', 'm', 0, Keyword::kAmPm, 12},
        {'u', 't', 0, Keyword::kTimeZone, 0},     {'u', 't', 'c', Keyword::kTimeZone, 0},
        {'z', 0, 0, Keyword::kTimeZone, 0},       {'g', 'm', 't', Keyword::kTimeZone, 0},
        {'c', 'd', 't', Keyword::kTimeZone, -5},  {'c', 's', 't', Keyword::kTimeZone, -6},
        {'e', 'd', 't', Keyword::kTimeZone, -4},  {'e', 's', 't', Keyword::kTimeZone, -5},
        {'m', 'd', 't', Keyword::kTimeZone, -6},  {'m', 's', 't', Keyword::kTimeZone, -7},
        {'p', 'd', 't', Keyword::kTimeZone, -7},  {'p', 's', 't', Keyword::kTimeZone, -8},
        {'t', 0, 0, Keyword::kTimeSeparator, 0},
    };
    for (const Entry& e : kTable) {
      const bool prefix =
          pre[0] == char32_t(e.a) && pre[1] == char32_t(e.b) && pre[2] == char32_t(e.c);
      if (prefix && (len <= 3 || e.type == Keyword::kMonthName)) {
        t.keyword = e.type;
        t.value = e.value;
        return;
      }
    }
    t.keyword = Keyword::kInvalid;
    t.value = 0;
  }

  Token advance() {
    const Token t = next_;
    next_ = scan();
    return t;
  }
  bool skip_symbol(char32_t c) {
    if (!next_.is_symbol(c)) return false;
    next_ = scan();
    return true;
  }

  static int read_milliseconds(Token token) {
    int number = token.value;
    int length = token.length;
    if (length == 1) {
      number *= 100;
    } else if (length == 2) {
      number *= 10;
    } else if (length > 3) {
      if (length > 9) length = 9;
      int factor = 1;
      do {
        factor *= 10;
        --length;
      } while (length > 3);
      number /= factor;
    }
    return number;
  }

  Token invalid() const {
    Token t;
    t.kind = Token::kInvalid;
    return t;
  }

  // [('-'|'+')yyyyyy | yyyy][-MM[-DD]][THH:mm[:ss[.sss]][Z|(+|-)hh:mm|(+|-)hhmm]]
  Token parse_es5() {
    if (next_.is_sign()) {
      const Token sign = advance();
      if (!next_.is_number(6)) return sign;
      const int s = sign.value == U'+' ? 1 : -1;
      const int year = advance().value;
      if (s < 0 && year == 0) return sign;
      day_.add(s * year);
    } else if (next_.is_number(4)) {
      day_.add(advance().value);
    } else {
      return advance();
    }
    if (skip_symbol(U'-')) {
      if (!next_.is_number(2) || !between(next_.value, 1, 12)) return advance();
      day_.add(advance().value);
      if (skip_symbol(U'-')) {
        if (!next_.is_number(2) || !between(next_.value, 1, 31)) return advance();
        day_.add(advance().value);
      }
    }
    if (!(next_.kind == Token::kKeyword && next_.keyword == Keyword::kTimeSeparator)) {
      if (next_.kind != Token::kEnd) return advance();
    } else {
      advance();
      if (!next_.is_number(2) || !between(next_.value, 0, 24)) return invalid();
      const bool hour_is_24 = next_.value == 24;
      time_.add(advance().value);
      if (!skip_symbol(U':')) return invalid();
      if (!next_.is_number(2) || !between(next_.value, 0, 59) || (hour_is_24 && next_.value > 0)) {
        return invalid();
      }
      time_.add(advance().value);
      if (skip_symbol(U':')) {
        if (!next_.is_number(2) || !between(next_.value, 0, 59) ||
            (hour_is_24 && next_.value > 0)) {
          return invalid();
        }
        time_.add(advance().value);
        if (skip_symbol(U'.')) {
          if (next_.kind != Token::kNumber || (hour_is_24 && next_.value > 0)) return invalid();
          time_.add(read_milliseconds(advance()));
        }
      }
      if (next_.is_keyword_z()) {
        advance();
        tz_.set(0);
      } else if (next_.is_sign()) {
        tz_.sign = advance().value == U'+' ? 1 : -1;
        if (next_.is_number(4)) {
          const int hourmin = advance().value;
          const int hour = hourmin / 100;
          const int min = hourmin % 100;
          if (!between(hour, 0, 23) || !between(min, 0, 59)) return invalid();
          tz_.hour = hour;
          tz_.minute = min;
        } else {
          if (!next_.is_number(2) || !between(next_.value, 0, 23)) return invalid();
          tz_.hour = advance().value;
          if (!skip_symbol(U':')) return invalid();
          if (!next_.is_number(2) || !between(next_.value, 0, 59)) return invalid();
          tz_.minute = advance().value;
        }
      }
      if (next_.kind != Token::kEnd) return invalid();
    }
    // A date-only form without an offset is UTC; a date-time one is local time.
    if (tz_.hour == kNone && time_.index == 0) tz_.set(0);
    day_.iso = true;
    Token end;
    end.kind = Token::kEnd;
    return end;
  }

  SV in_;
  size_t pos_ = 0;
  Token next_;
  DayComposer day_;
  TimeComposer time_;
  TimeZoneComposer tz_;
};

}  // namespace

Result<std::string, FormatError> format_datetime_number(double millis,
                                                        std::optional<std::string_view> picture,
                                                        std::optional<std::string_view> timezone) {
  double offset_hours = 0;
  double offset_minutes = 0;
  if (timezone) {
    // The reference reads the zone as an integer: "-0530" is -530, so -6 hours and -30
    // minutes; "+01:00" is 1, one minute.
    const double offset = js::parse_int(*timezone);
    offset_hours = std::floor(offset / 100);
    offset_minutes = std::fmod(offset, 100);
  }
  const std::vector<Marker>* spec = &iso8601_spec();
  if (picture) {
    thread_local detail::PictureCache<std::string, Result<std::vector<Marker>, FormatError>> cache;
    const auto& analysed =
        cache.get(*picture, [&] { return analyse_picture(js::to_u32(*picture)); });
    if (!analysed) return analysed.error();
    spec = &analysed.value();
  }
  const double offset_millis = (60 * offset_hours + offset_minutes) * 60 * 1000;
  const DateFields date = fields_of(time_clip(millis + offset_millis));
  std::string result;
  result.reserve(32);
  for (const Marker& part : *spec) {
    if (part.literal) {
      result += part.text;
      continue;
    }
    auto ok = format_marker(date, part, offset_hours, offset_minutes, result);
    if (!ok) return std::move(ok).error();
  }
  return result;
}

Result<std::string, FormatError> format_datetime(int64_t millis,
                                                 std::optional<std::string_view> picture,
                                                 std::optional<std::string_view> timezone) {
  // Beyond 2^53 a double cannot hold every integer, but those are far outside the Date range.
  return format_datetime_number(double(millis), picture, timezone);
}

Result<std::optional<double>, FormatError> parse_datetime(std::string_view text,
                                                          std::optional<std::string_view> picture,
                                                          int64_t now_millis) {
  const S input = js::to_u32(text);
  if (!picture) {
    if (!matches_iso8601(input)) return jsonata_error("D3110", js::json_quote(text));
    return std::optional<double>(DateParser(input).parse());
  }
  thread_local detail::PictureCache<std::string, Result<CompiledParse, FormatError>> cache;
  const auto& compiled = cache.get(*picture, [&] { return compile_parse(js::to_u32(*picture)); });
  if (!compiled) return compiled.error();
  return parse_compiled(compiled.value(), input, now_millis);
}

}  // namespace sluice::engine::jsonata::format
