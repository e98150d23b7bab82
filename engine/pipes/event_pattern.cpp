// See event_pattern.h.
#include "engine/pipes/event_pattern.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <span>
#include <string>
#include <utility>

#include "engine/json/json_parse.h"

namespace sluice::engine::pipes {

using json::Value;

namespace {

// ---------------------------------------------------------------------------------------------
// Numbers: event-ruler's ComparableNumber works in millionths within +-5e9, so that is the
// precision and the range of every numeric comparison.

constexpr int64_t kMicrosPerUnit = 1'000'000;
constexpr int64_t kLimitUnits = 5'000'000'000;
constexpr int kMaxDecimals = 6;

enum class NumberCheck : uint8_t { kOk, kTooManyDecimals, kOutOfRange };

// The number in millionths. Decimals are checked before the range, as event-ruler does (that
// decides which message a pattern gets). A double is read through its shortest decimal form, the
// text a JSON writer gives it: event-ruler compares the number's text as a decimal, so 0.1 is
// exactly 100000 millionths here too, not whatever 0.1 * 1e6 rounds to.
NumberCheck to_micros(const Value& v, int64_t& out) {
  if (v.is_int()) {
    int64_t i = v.as_int();
    if (i < -kLimitUnits || i > kLimitUnits) return NumberCheck::kOutOfRange;
    out = i * kMicrosPerUnit;
    return NumberCheck::kOk;
  }
  double d = v.as_number();
  const bool in_range = std::fabs(d) <= static_cast<double>(kLimitUnits);
  if (in_range && d == std::trunc(d)) {
    out = static_cast<int64_t>(d) * kMicrosPerUnit;
    return NumberCheck::kOk;
  }
  // Shortest form "[-]D[.DDD]e[+-]X": the value is the digits times 10^(X - fraction digits).
  std::array<char, 64> buf;
  auto [end, ec] =
      std::to_chars(buf.data(), buf.data() + buf.size(), d, std::chars_format::scientific);
  std::string_view s(buf.data(),
                     ec == std::errc() ? static_cast<std::size_t>(end - buf.data()) : 0);
  std::size_t e = s.find('e');
  if (e == std::string_view::npos) return NumberCheck::kOutOfRange;  // inf or nan
  int64_t digits = 0;
  int digit_count = 0;
  for (char c : s.substr(0, e)) {
    if (c < '0' || c > '9') continue;
    if (digit_count < 18) digits = digits * 10 + (c - '0');  // shortest forms have <= 17
    ++digit_count;
  }
  std::size_t exp_at = e + 1;
  if (exp_at < s.size() && s[exp_at] == '+') ++exp_at;
  int exponent = 0;
  std::from_chars(s.data() + exp_at, s.data() + s.size(), exponent);
  int scale = exponent - (digit_count - 1);  // value = digits * 10^scale
  if (-scale > kMaxDecimals) return NumberCheck::kTooManyDecimals;
  if (!in_range) return NumberCheck::kOutOfRange;
  for (int i = 0; i < scale + kMaxDecimals; ++i) digits *= 10;  // <= 5e15: no overflow
  out = d < 0 ? -digits : digits;
  return NumberCheck::kOk;
}

std::string_view number_message(NumberCheck c) {
  return c == NumberCheck::kTooManyDecimals ? "Only values upto 6 decimals are supported"
                                            : "Value must be between -5.0E9 and 5.0E9, inclusive";
}

// What Jackson's getText() shows for the token at v (nullptr: the closing bracket), for the
// messages that quote an offending numeric member.
std::string token_text(const Value* v) {
  if (v == nullptr) return "]";
  switch (v->type()) {
    case json::Type::kNull:
      return "null";
    case json::Type::kBool:
      return v->as_bool() ? "true" : "false";
    case json::Type::kInt:
      return std::to_string(v->as_int());
    case json::Type::kDouble: {
      std::array<char, 64> buf;
      auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v->as_number());
      return ec == std::errc() ? std::string(buf.data(), end) : std::string();
    }
    case json::Type::kString:
      return v->as_string();
    case json::Type::kArray:
      return "[";
    case json::Type::kObject:
      return "{";
  }
  return std::string();
}

// ---------------------------------------------------------------------------------------------
// IP addresses, parsed the way event-ruler screens them: a dotted quad or a string of hex digits
// and colons (anything else, such as a host name, is not an address).

struct IpAddress {
  std::array<uint8_t, 16> bytes{};
  uint8_t size = 0;  // 4 or 16; 0: not an address
};

bool looks_like_ipv4(std::string_view s) {
  int groups = 0;
  std::size_t i = 0;
  while (true) {
    std::size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == start) return false;
    ++groups;
    if (i == s.size()) return groups == 4;
    if (s[i] != '.' || groups == 4) return false;
    ++i;
  }
}

bool looks_like_ipv6(std::string_view s) {
  bool colon = false;
  for (char c : s) {
    bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (c == ':') {
      colon = true;
    } else if (!hex) {
      return false;
    }
  }
  return colon;
}

// Parses a string that looks_like_ipv4. Leading zeros are refused, as current JDKs refuse such
// ambiguous (octal-looking) literals.
bool parse_ipv4(std::string_view s, IpAddress& out) {
  std::size_t i = 0;
  for (int g = 0; g < 4; ++g) {
    std::size_t start = i;
    unsigned value = 0;
    while (i < s.size() && s[i] != '.') {
      value = value * 10 + static_cast<unsigned>(s[i] - '0');
      if (value > 255) return false;
      ++i;
    }
    if (i - start > 1 && s[start] == '0') return false;
    out.bytes[static_cast<std::size_t>(g)] = static_cast<uint8_t>(value);
    ++i;  // the dot
  }
  out.size = 4;
  return true;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

// Parses hex groups separated by ':' (at most four digits each) into out, returning the group
// count, or -1.
int parse_ipv6_groups(std::string_view s, std::array<uint16_t, 8>& out) {
  if (s.empty()) return 0;
  int n = 0;
  std::size_t i = 0;
  while (true) {
    std::size_t start = i;
    unsigned value = 0;
    while (i < s.size() && s[i] != ':') {
      value = value * 16 + static_cast<unsigned>(hex_value(s[i]));
      ++i;
    }
    if (i == start || i - start > 4 || n == 8) return -1;
    out[static_cast<std::size_t>(n++)] = static_cast<uint16_t>(value);
    if (i == s.size()) return n;
    ++i;  // the colon
  }
}

// Parses a string that looks_like_ipv6: eight groups, or fewer around one "::".
bool parse_ipv6(std::string_view s, IpAddress& out) {
  std::array<uint16_t, 8> head{}, tail{};
  int head_n = 0, tail_n = 0;
  std::size_t gap = s.find("::");
  if (gap == std::string_view::npos) {
    head_n = parse_ipv6_groups(s, head);
    if (head_n != 8) return false;
  } else {
    if (s.find("::", gap + 1) != std::string_view::npos) return false;
    head_n = parse_ipv6_groups(s.substr(0, gap), head);
    tail_n = parse_ipv6_groups(s.substr(gap + 2), tail);
    if (head_n < 0 || tail_n < 0 || head_n + tail_n > 7) return false;
  }
  std::array<uint16_t, 8> groups{};
  for (int i = 0; i < head_n; ++i) groups[static_cast<std::size_t>(i)] = head[i];
  for (int i = 0; i < tail_n; ++i) groups[static_cast<std::size_t>(8 - tail_n + i)] = tail[i];
  for (std::size_t i = 0; i < 8; ++i) {
    out.bytes[2 * i] = static_cast<uint8_t>(groups[i] >> 8);
    out.bytes[2 * i + 1] = static_cast<uint8_t>(groups[i] & 0xff);
  }
  out.size = 16;
  return true;
}

// An event value as an address, if it is one.
bool parse_ip(std::string_view s, IpAddress& out) {
  if (looks_like_ipv4(s)) return parse_ipv4(s, out);
  if (looks_like_ipv6(s)) return parse_ipv6(s, out);
  return false;
}

bool same_address(const IpAddress& a, const IpAddress& b) {
  return a.size == b.size && std::equal(a.bytes.begin(), a.bytes.begin() + a.size, b.bytes.begin());
}

// a <= b, for addresses of one family.
bool address_le(const IpAddress& a, const IpAddress& b) {
  return !std::lexicographical_compare(b.bytes.begin(), b.bytes.begin() + b.size, a.bytes.begin(),
                                       a.bytes.begin() + a.size);
}

// ---------------------------------------------------------------------------------------------
// Strings.

char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c;
}

std::string to_lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

// s equals lowered (already lower case) ignoring ASCII case.
bool equals_folded(std::string_view s, std::string_view lowered) {
  if (s.size() != lowered.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (ascii_lower(s[i]) != lowered[i]) return false;
  }
  return true;
}

bool starts_with_folded(std::string_view s, std::string_view lowered) {
  return s.size() >= lowered.size() && equals_folded(s.substr(0, lowered.size()), lowered);
}

bool ends_with_folded(std::string_view s, std::string_view lowered) {
  return s.size() >= lowered.size() && equals_folded(s.substr(s.size() - lowered.size()), lowered);
}

// A wildcard pattern: the literal pieces between its '*'s ("a*b*" -> "a", "b", "").
struct Wildcard {
  std::vector<std::string> pieces;

  bool matches(std::string_view s) const {
    if (pieces.size() == 1) return s == pieces.front();
    const std::string& first = pieces.front();
    const std::string& last = pieces.back();
    if (s.size() < first.size() + last.size()) return false;
    if (!s.starts_with(first) || !s.ends_with(last)) return false;
    // Each middle piece at its leftmost place: for '*'-only globs that choice never loses a match.
    std::size_t pos = first.size();
    std::size_t limit = s.size() - last.size();
    for (std::size_t i = 1; i + 1 < pieces.size(); ++i) {
      std::size_t at = s.find(pieces[i], pos);
      if (at == std::string_view::npos || at + pieces[i].size() > limit) return false;
      pos = at + pieces[i].size();
    }
    return true;
  }
};

// event-ruler's WildcardParser: '*' is a wildcard (never two in a row), "\*" and "\\" are the
// literal characters, any other backslash is an error. Positions count the opening quote
// event-ruler puts before the value.
Result<Wildcard> parse_wildcard(std::string_view text) {
  Wildcard w;
  w.pieces.emplace_back();
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '*') {
      if (i + 1 < text.size() && text[i + 1] == '*') {
        return make_error(ErrorCode::kInvalidParameterValue,
                          "Consecutive wildcard characters at pos " + std::to_string(i + 1));
      }
      w.pieces.emplace_back();
    } else if (c == '\\') {
      if (i + 1 < text.size() && (text[i + 1] == '*' || text[i + 1] == '\\')) {
        w.pieces.back() += text[++i];
      } else {
        return make_error(ErrorCode::kInvalidParameterValue,
                          "Invalid escape character at pos " + std::to_string(i + 1));
      }
    } else {
      w.pieces.back() += c;
    }
  }
  return w;
}

// ---------------------------------------------------------------------------------------------
// Compiled form.

enum class Kind : uint8_t {
  kString,                // exact string
  kIp,                    // exact string that is an address literal: any spelling of the address
  kNumber,                // exact number (numerically)
  kTrue,                  //
  kFalse,                 //
  kNull,                  //
  kPrefix,                // string starts with text
  kPrefixFolded,          // ... ignoring case (text lower-cased)
  kSuffix,                //
  kSuffixFolded,          //
  kEqualsFolded,          //
  kWildcard,              //
  kRange,                 // number within [low, high] (millionths; ends open or closed)
  kCidr,                  // address string within [ip_low, ip_high]
  kExists,                // any leaf value
  kAnythingButStrings,    // any leaf but these strings
  kAnythingButNumbers,    // any leaf but these numbers (millionths)
  kAnythingButPrefixes,   // any leaf but a string with one of these prefixes
  kAnythingButSuffixes,   //
  kAnythingButFolded,     // any leaf but these strings, ignoring case (texts lower-cased)
  kAnythingButWildcards,  //
};

struct Matcher {
  Kind kind = Kind::kString;
  bool low_open = false;
  bool high_open = false;
  int64_t low = 0;
  int64_t high = 0;
  std::string text;
  Value number;
  IpAddress ip_low, ip_high;
  std::vector<std::string> texts;
  std::vector<int64_t> numbers;
  std::vector<Wildcard> wildcards;
};

Matcher matcher(Kind kind, std::string text = {}) {
  Matcher m;
  m.kind = kind;
  m.text = std::move(text);
  return m;
}

// One pattern field: the path to it and its alternatives. event-ruler names a field by its path
// joined with '.', and that name orders the fields of a rule and replaces an earlier field of
// the same name.
struct Field {
  std::vector<std::string> path;
  std::string key;
  bool absent = false;  // {"exists": false} is one of the alternatives
  std::vector<Matcher> matchers;
};

bool any_string_of(std::string_view s, const std::vector<std::string>& texts) {
  return std::find(texts.begin(), texts.end(), s) != texts.end();
}

// Whether one leaf value (not an object or array) satisfies m.
bool leaf_matches(const Matcher& m, const Value& v) {
  switch (m.kind) {
    case Kind::kString:
      return v.is_string() && v.as_string() == m.text;
    case Kind::kIp: {
      IpAddress a;
      return v.is_string() && parse_ip(v.as_string(), a) && same_address(a, m.ip_low);
    }
    case Kind::kNumber:
      return v.is_number() && v == m.number;
    case Kind::kTrue:
      return v.is_bool() && v.as_bool();
    case Kind::kFalse:
      return v.is_bool() && !v.as_bool();
    case Kind::kNull:
      return v.is_null();
    case Kind::kPrefix:
      return v.is_string() && std::string_view(v.as_string()).starts_with(m.text);
    case Kind::kPrefixFolded:
      return v.is_string() && starts_with_folded(v.as_string(), m.text);
    case Kind::kSuffix:
      return v.is_string() && std::string_view(v.as_string()).ends_with(m.text);
    case Kind::kSuffixFolded:
      return v.is_string() && ends_with_folded(v.as_string(), m.text);
    case Kind::kEqualsFolded:
      return v.is_string() && equals_folded(v.as_string(), m.text);
    case Kind::kWildcard:
      return v.is_string() && m.wildcards.front().matches(v.as_string());
    case Kind::kRange: {
      int64_t n = 0;
      if (!v.is_number() || to_micros(v, n) != NumberCheck::kOk) return false;
      return (m.low_open ? n > m.low : n >= m.low) && (m.high_open ? n < m.high : n <= m.high);
    }
    case Kind::kCidr: {
      IpAddress a;
      return v.is_string() && parse_ip(v.as_string(), a) && a.size == m.ip_low.size &&
             address_le(m.ip_low, a) && address_le(a, m.ip_high);
    }
    case Kind::kExists:
      return true;
    case Kind::kAnythingButStrings:
      return !(v.is_string() && any_string_of(v.as_string(), m.texts));
    case Kind::kAnythingButNumbers: {
      int64_t n = 0;
      if (!v.is_number() || to_micros(v, n) != NumberCheck::kOk) return true;
      return std::find(m.numbers.begin(), m.numbers.end(), n) == m.numbers.end();
    }
    case Kind::kAnythingButPrefixes:
      return !(v.is_string() && std::any_of(m.texts.begin(), m.texts.end(), [&](const auto& t) {
                 return std::string_view(v.as_string()).starts_with(t);
               }));
    case Kind::kAnythingButSuffixes:
      return !(v.is_string() && std::any_of(m.texts.begin(), m.texts.end(), [&](const auto& t) {
                 return std::string_view(v.as_string()).ends_with(t);
               }));
    case Kind::kAnythingButFolded:
      return !(v.is_string() && std::any_of(m.texts.begin(), m.texts.end(), [&](const auto& t) {
                 return equals_folded(v.as_string(), t);
               }));
    case Kind::kAnythingButWildcards:
      return !(v.is_string() &&
               std::any_of(m.wildcards.begin(), m.wildcards.end(),
                           [&](const Wildcard& w) { return w.matches(v.as_string()); }));
  }
  return false;
}

// The event array elements a match has committed to (event-ruler's ArrayMembership), as a list
// threaded through the stack so that matching never allocates.
struct Pin {
  const json::Array* array;
  std::size_t index;
  const Pin* prev;
  std::size_t depth;  // pins in the chain, this one included
};

// Which pins walks have consulted, by depth (bit d-1 for depth d; depths past 64 share the last
// bit). A field checks the depths of the pins it added itself to know whether the rest of the
// match depended on its choice of element.
struct MatchState {
  uint64_t hits = 0;
};

uint64_t depth_bit(std::size_t depth) {
  return uint64_t{1} << (std::min<std::size_t>(depth, 64) - 1);
}

// The bits of depths base+1 .. top.
uint64_t depth_bits(std::size_t base, std::size_t top) {
  if (top <= base) return 0;
  std::size_t lo = std::min<std::size_t>(base + 1, 64), hi = std::min<std::size_t>(top, 64);
  uint64_t upto_hi = hi == 64 ? ~uint64_t{0} : (uint64_t{1} << hi) - 1;
  uint64_t below_lo = (uint64_t{1} << (lo - 1)) - 1;
  return upto_hi & ~below_lo;
}

// Calls visit(leaf, pins) for each leaf value at path below v that is consistent with pins (an
// array already pinned contributes only its pinned element; any other array contributes each
// element, pinned). Stops, returning true, as soon as visit returns true. Objects and pinned
// arrays are stepped through in a loop, so the stack grows only with the arrays it expands.
template <class Visit>
bool walk(const Value* v, std::span<const std::string> path, const Pin* pins, MatchState& state,
          Visit& visit) {
  while (true) {
    if (v->is_array()) {
      const json::Array& array = v->as_array();
      const Pin* pin = pins;
      while (pin != nullptr && pin->array != &array) pin = pin->prev;
      if (pin != nullptr) {
        state.hits |= depth_bit(pin->depth);
        v = &array[pin->index];
        continue;
      }
      const std::size_t depth = pins == nullptr ? 1 : pins->depth + 1;
      for (std::size_t i = 0; i < array.size(); ++i) {
        Pin element{&array, i, pins, depth};
        if (walk(&array[i], path, &element, state, visit)) return true;
      }
      return false;
    }
    if (path.empty()) return !v->is_object() && visit(*v, pins);
    if (!v->is_object()) return false;
    v = v->as_object().find(path.front());
    if (v == nullptr) return false;
    path = path.subspan(1);
  }
}

Error invalid(std::string message) {
  return Error{ErrorCode::kInvalidParameterValue, std::move(message)};
}

bool is_reserved_in_or(std::string_view name) {
  // event-ruler's RESERVED_FIELD_NAMES_IN_OR_RELATIONSHIP.
  static constexpr std::string_view kReserved[] = {"exactly",
                                                   "equals-ignore-case",
                                                   "prefix",
                                                   "suffix",
                                                   "anything-but",
                                                   "exists",
                                                   "wildcard",
                                                   "numeric",
                                                   "cidr",
                                                   "html",
                                                   "=",
                                                   "<",
                                                   "<=",
                                                   ">",
                                                   ">=",
                                                   "regex",
                                                   "not-wildcard",
                                                   "not-equals-ignore-case",
                                                   "date-after",
                                                   "date-on-or-after",
                                                   "date-before",
                                                   "date-on-or-before",
                                                   "in-date-range",
                                                   "ip-address-in-range",
                                                   "ip-address-not-in-range"};
  return std::find(std::begin(kReserved), std::end(kReserved), name) != std::end(kReserved);
}

}  // namespace

struct EventPattern::Compiled {
  std::vector<Field> fields;
  // Each $or combination: indexes into fields, sorted by Field::key. The pattern matches when
  // any branch does.
  std::vector<std::vector<uint32_t>> branches;

  // Whether fields branch[i..] all match, given the array elements pinned so far: event-ruler's
  // array-consistent search, depth first in field order.
  bool matches_branch(const std::vector<uint32_t>& branch, std::size_t i, const Value& root,
                      const Pin* pins, MatchState& state) const {
    if (i == branch.size()) return true;
    const Field& field = fields[branch[i]];
    if (field.absent) {
      bool present = false;
      auto probe = [&](const Value&, const Pin*) { return present = true; };
      walk(&root, field.path, pins, state, probe);
      if (!present && matches_branch(branch, i + 1, root, pins, state)) return true;
    }
    if (field.matchers.empty()) return false;
    const std::size_t base = pins == nullptr ? 0 : pins->depth;
    bool matched = false;
    auto visit = [&](const Value& leaf, const Pin* leaf_pins) {
      if (std::none_of(field.matchers.begin(), field.matchers.end(),
                       [&](const Matcher& m) { return leaf_matches(m, leaf); })) {
        return false;
      }
      const std::size_t top = leaf_pins == nullptr ? 0 : leaf_pins->depth;
      const uint64_t outer_hits = state.hits;
      state.hits = 0;
      matched = matches_branch(branch, i + 1, root, leaf_pins, state);
      const bool used_choice = (state.hits & depth_bits(base, top)) != 0;
      state.hits |= outer_hits;
      // If the rest of the branch never looked at an element this leaf pinned, it fails the same
      // way for every other leaf: stop, rather than retry it once per array element (which is
      // exponential in the number of array-valued fields).
      return matched || !used_choice;
    };
    walk(&root, field.path, pins, state, visit);
    return matched;
  }
};

namespace {

using Branch = std::vector<uint32_t>;

// Turns pattern JSON into fields and branches, following JsonRuleCompiler step by step so that
// the first problem found is the one event-ruler would report.
class Compiler {
 public:
  Compiler(PatternDialect dialect, EventPattern::Compiled& out) : dialect_(dialect), out_(out) {}

  Status compile(const Value& root) {
    if (!root.is_object()) return invalid("Filter is not an object");
    std::vector<Branch> branches;
    std::vector<std::string> path;
    if (auto s = object(root.as_object(), path, branches, false); !s) return s;
    for (Branch& b : branches) {
      std::sort(b.begin(), b.end(),
                [&](uint32_t x, uint32_t y) { return out_.fields[x].key < out_.fields[y].key; });
    }
    out_.branches = std::move(branches);
    return {};
  }

 private:
  Status object(const json::Object& obj, std::vector<std::string>& path,
                std::vector<Branch>& branches, bool inside_or) {
    for (const auto& [name, value] : obj) {
      if (name == "$or") {
        if (auto s = or_array(value, path, branches); !s) return s;
        continue;
      }
      if (inside_or && is_reserved_in_or(name)) {
        return invalid(name + " is Ruler reserved fieldName which cannot be used inside $or.");
      }
      path.push_back(name);
      Status s;
      if (value.is_object()) {
        s = object(value.as_object(), path, branches, inside_or);
      } else if (value.is_array()) {
        s = leaf(value.as_array(), path, branches);
      } else {
        s = invalid("\"" + name + "\" must be an object or an array");
      }
      path.pop_back();
      if (!s) return s;
    }
    if (obj.empty()) return invalid("Empty objects are not allowed");
    return {};
  }

  // "$or": [ {..}, {..} ]: each object forks a copy of the branches so far; fields after the
  // $or land in every fork.
  Status or_array(const Value& value, std::vector<std::string>& path,
                  std::vector<Branch>& branches) {
    if (!value.is_array()) return invalid("It must be an Array followed with $or.");
    std::vector<Branch> before = std::move(branches);
    branches.clear();
    for (const Value& alternative : value.as_array()) {
      if (!alternative.is_object()) {
        return invalid("Only JSON object is allowed in array of $or relationship.");
      }
      std::vector<Branch> fork = before;
      if (fork.empty()) fork.emplace_back();
      if (auto s = object(alternative.as_object(), path, fork, true); !s) return s;
      for (Branch& b : fork) branches.push_back(std::move(b));
      if (branches.size() > EventPattern::kMaxBranches) {
        return invalid("Rule is too complex - try using fewer $or combinations");
      }
    }
    if (value.as_array().size() < 2) {
      return invalid("There must have at least 2 Objects in $or relationship.");
    }
    return {};
  }

  Status leaf(const json::Array& values, const std::vector<std::string>& path,
              std::vector<Branch>& branches) {
    Field field;
    field.path = path;
    for (const std::string& step : path) {
      if (!field.key.empty()) field.key += '.';
      field.key += step;
    }
    for (const Value& v : values) {
      switch (v.type()) {
        case json::Type::kObject:
          if (auto s = match_expression(v.as_object(), field); !s) return s;
          break;
        case json::Type::kString:
          field.matchers.push_back(exact_string(v.as_string()));
          break;
        case json::Type::kInt:
        case json::Type::kDouble: {
          Matcher m;
          m.kind = Kind::kNumber;
          m.number = v;
          field.matchers.push_back(std::move(m));
          break;
        }
        case json::Type::kBool:
          field.matchers.push_back(matcher(v.as_bool() ? Kind::kTrue : Kind::kFalse));
          break;
        case json::Type::kNull:
          field.matchers.push_back(matcher(Kind::kNull));
          break;
        case json::Type::kArray:
          return invalid("Match value must be String, number, true, false, or null");
      }
    }
    if (values.empty()) return invalid("Empty arrays are not allowed");

    auto index = static_cast<uint32_t>(out_.fields.size());
    if (branches.empty()) branches.emplace_back();
    for (Branch& b : branches) {
      auto same = std::find_if(b.begin(), b.end(),
                               [&](uint32_t i) { return out_.fields[i].key == field.key; });
      if (same != b.end()) {
        *same = index;
      } else {
        b.push_back(index);
      }
    }
    out_.fields.push_back(std::move(field));
    return {};
  }

  static Matcher exact_string(const std::string& s) {
    Matcher m;
    IpAddress ip;
    if (parse_ip(s, ip)) {
      m.kind = Kind::kIp;
      m.ip_low = ip;
    } else {
      m.kind = Kind::kString;
    }
    m.text = s;
    return m;
  }

  bool event_bus() const { return dialect_ == PatternDialect::kEventBus; }

  // One {"operator": operand} object among a field's alternatives.
  Status match_expression(const json::Object& expr, Field& field) {
    if (expr.empty()) return invalid("Match expression name not found");
    const auto& [name, operand] = expr.member(0);
    const bool extra = expr.size() > 1;
    auto only_one_key = [&]() -> Status {
      if (extra) return invalid("Only one key allowed in match expression");
      return {};
    };
    auto too_many = [&]() -> Status {
      if (extra) return invalid("Too many elements in numeric expression");
      return {};
    };
    if (name == "prefix" || name == "suffix") {
      const bool prefix = name == "prefix";
      Matcher m;
      if (operand.is_object()) {
        const json::Object& inner = operand.as_object();
        if (inner.empty()) {
          return invalid(prefix ? "Prefix expression name not found"
                                : "Suffix expression name not found");
        }
        const auto& [inner_name, inner_value] = inner.member(0);
        if (inner_name != "equals-ignore-case") {
          return invalid(
              (prefix ? "Unsupported prefix pattern: " : "Unsupported suffix pattern: ") +
              inner_name);
        }
        if (!inner_value.is_string()) {
          return invalid("equals-ignore-case match pattern must be a string");
        }
        if (inner.size() > 1) return invalid("Only one key allowed in match expression");
        m.kind = prefix ? Kind::kPrefixFolded : Kind::kSuffixFolded;
        m.text = to_lower_ascii(inner_value.as_string());
      } else if (operand.is_string()) {
        m.kind = prefix ? Kind::kPrefix : Kind::kSuffix;
        m.text = operand.as_string();
      } else {
        return invalid(prefix ? "prefix match pattern must be a string"
                              : "suffix match pattern must be a string");
      }
      if (auto s = only_one_key(); !s) return s;
      field.matchers.push_back(std::move(m));
      return {};
    }
    if (name == "equals-ignore-case") {
      if (!operand.is_string()) {
        return invalid("equals-ignore-case match pattern must be a string");
      }
      if (auto s = only_one_key(); !s) return s;
      field.matchers.push_back(matcher(Kind::kEqualsFolded, to_lower_ascii(operand.as_string())));
      return {};
    }
    if (name == "numeric") {
      if (!operand.is_array()) return invalid("Value of numeric must be an array.");
      auto m = numeric(operand.as_array());
      if (!m.ok()) return std::move(m).error();
      if (auto s = too_many(); !s) return s;
      field.matchers.push_back(std::move(*m));
      return {};
    }
    if (name == "anything-but") {
      auto m = anything_but(operand);
      if (!m.ok()) return std::move(m).error();
      if (auto s = too_many(); !s) return s;
      field.matchers.push_back(std::move(*m));
      return {};
    }
    if (name == "exists") {
      if (!operand.is_bool()) return invalid("exists match pattern must be either true or false.");
      if (auto s = only_one_key(); !s) return s;
      if (operand.as_bool()) {
        field.matchers.push_back(matcher(Kind::kExists));
      } else {
        field.absent = true;
      }
      return {};
    }
    if (name == "cidr") {
      // event-ruler's message, copied from its prefix branch.
      if (!operand.is_string()) return invalid("prefix match pattern must be a string");
      auto m = cidr(operand.as_string());
      if (!m.ok()) return std::move(m).error();
      if (auto s = only_one_key(); !s) return s;
      field.matchers.push_back(std::move(*m));
      return {};
    }
    if (name == "wildcard" && event_bus()) {
      if (!operand.is_string()) return invalid("wildcard match pattern must be a string");
      auto w = parse_wildcard(operand.as_string());
      if (!w.ok()) return std::move(w).error();
      if (auto s = only_one_key(); !s) return s;
      Matcher m = matcher(Kind::kWildcard);
      m.wildcards.push_back(std::move(*w));
      field.matchers.push_back(std::move(m));
      return {};
    }
    if (name == "exactly" && event_bus()) {
      if (!operand.is_string()) return invalid("exact match pattern must be a string");
      if (auto s = only_one_key(); !s) return s;
      field.matchers.push_back(matcher(Kind::kString, operand.as_string()));
      return {};
    }
    return invalid("Unrecognized match type " + name);
  }

  // A numeric range end: value checked against event-ruler's limits.
  static Status range_end(const Value& v, int64_t& out) {
    NumberCheck c = to_micros(v, out);
    if (c != NumberCheck::kOk) return invalid(std::string(number_message(c)));
    return {};
  }

  // event-ruler's Range: a bound left out is the limit itself (inclusive), and the bottom must be
  // below the top before either is converted.
  static Result<Matcher> range(const Value& low, bool low_open, const Value& high, bool high_open) {
    if (!(low.as_number() < high.as_number())) return invalid("Bottom must be less than top");
    Matcher m = matcher(Kind::kRange);
    m.low_open = low_open;
    m.high_open = high_open;
    if (auto s = range_end(low, m.low); !s) return std::move(s).error();
    if (auto s = range_end(high, m.high); !s) return std::move(s).error();
    return m;
  }

  static Result<Matcher> numeric(const json::Array& a) {
    const Value kMin(-kLimitUnits), kMax(kLimitUnits);
    auto at = [&](std::size_t i) -> const Value* { return i < a.size() ? &a[i] : nullptr; };
    auto is_num = [&](std::size_t i) { return at(i) != nullptr && at(i)->is_number(); };
    if (a.empty() || !a[0].is_string()) {
      return invalid("Invalid member in numeric match: " + token_text(at(0)));
    }
    const std::string& op = a[0].as_string();
    if (op == "=") {
      if (!is_num(1)) return invalid("Value of equals must be numeric");
      if (a.size() > 2) return invalid("Too many elements in numeric expression");
      Matcher m = matcher(Kind::kRange);
      if (auto s = range_end(a[1], m.low); !s) return std::move(s).error();
      m.high = m.low;
      return m;
    }
    if (op == ">=" || op == ">") {
      if (!is_num(1)) return invalid("Value of " + op + " must be numeric");
      const bool low_open = op == ">";
      if (a.size() == 2) return range(a[1], low_open, kMax, false);
      if (!a[2].is_string()) return invalid("Bad value in numeric range: " + token_text(&a[2]));
      const std::string& op2 = a[2].as_string();
      if (op2 != "<" && op2 != "<=") return invalid("Bad numeric range operator: " + op2);
      if (!is_num(3)) return invalid("Value of " + op2 + " must be numeric");
      if (a.size() > 4) return invalid("Too many terms in numeric range expression");
      return range(a[1], low_open, a[3], op2 == "<");
    }
    if (op == "<=" || op == "<") {
      if (!is_num(1)) return invalid("Value of " + op + " must be numeric");
      if (a.size() > 2) return invalid("Too many elements in numeric expression");
      return range(kMin, false, a[1], op == "<");
    }
    return invalid("Unrecognized numeric range operator: " + op);
  }

  Result<Matcher> anything_but(const Value& operand) {
    static constexpr std::string_view kShape =
        "Value of anything-but must be an array or single string/number value.";
    if (operand.is_object()) return anything_but_set(operand.as_object());
    Matcher m;
    if (operand.is_array()) {
      bool strings = false, numbers = false;
      for (const Value& v : operand.as_array()) {
        if (v.is_string()) {
          strings = true;
          m.texts.push_back(v.as_string());
        } else if (v.is_number()) {
          numbers = true;
          int64_t n = 0;
          if (auto s = range_end(v, n); !s) return std::move(s).error();
          m.numbers.push_back(n);
        } else {
          return invalid("Inside anything but list, start|null|boolean is not supported.");
        }
      }
      if (strings == numbers) {
        return invalid(
            "Inside anything but list, either all values are number or string, mixed type is not "
            "supported");
      }
      m.kind = numbers ? Kind::kAnythingButNumbers : Kind::kAnythingButStrings;
      return m;
    }
    if (operand.is_string()) {
      m.kind = Kind::kAnythingButStrings;
      m.texts.push_back(operand.as_string());
      return m;
    }
    if (operand.is_number()) {
      m.kind = Kind::kAnythingButNumbers;
      int64_t n = 0;
      if (auto s = range_end(operand, n); !s) return std::move(s).error();
      m.numbers.push_back(n);
      return m;
    }
    return invalid(std::string(kShape));
  }

  // {"anything-but": {"prefix" | "suffix" | "equals-ignore-case" | "wildcard": "s" | [..]}}
  Result<Matcher> anything_but_set(const json::Object& inner) {
    if (inner.empty()) return invalid("Anything-But expression name not found");
    const auto& [op, operand] = inner.member(0);
    Matcher m;
    if (op == "equals-ignore-case") {
      m.kind = Kind::kAnythingButFolded;
    } else if (op == "prefix") {
      m.kind = Kind::kAnythingButPrefixes;
    } else if (op == "suffix") {
      m.kind = Kind::kAnythingButSuffixes;
    } else if (op == "wildcard") {
      m.kind = Kind::kAnythingButWildcards;
    }
    // Pipes supports none of these (the Pipes column of EventBridge's operator table).
    if (op != "equals-ignore-case" && op != "prefix" && op != "suffix" && op != "wildcard") {
      return invalid("Unsupported anything-but pattern: " + op);
    }
    if (!event_bus()) return invalid("Unsupported anything-but pattern: " + op);
    if (!operand.is_array() && !operand.is_string() && !operand.is_number()) {
      return invalid("Value of anything-but must be an array or single string/number value.");
    }
    auto add = [&](const Value& v) -> Status {
      if (!v.is_string()) {
        switch (m.kind) {
          case Kind::kAnythingButFolded:
            return invalid(
                "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not "
                "supported.");
          case Kind::kAnythingButWildcards:
            return invalid("wildcard match pattern must be a string");
          default:
            return invalid("prefix/suffix match pattern must be a string");
        }
      }
      const std::string& s = v.as_string();
      if (s.empty() &&
          (m.kind == Kind::kAnythingButPrefixes || m.kind == Kind::kAnythingButSuffixes)) {
        return invalid("Null prefix/suffix not allowed");
      }
      m.texts.push_back(m.kind == Kind::kAnythingButFolded ? to_lower_ascii(s) : s);
      return {};
    };
    if (operand.is_array()) {
      for (const Value& v : operand.as_array()) {
        if (auto s = add(v); !s) return std::move(s).error();
      }
    } else if (auto s = add(operand); !s) {
      return std::move(s).error();
    }
    if (m.kind == Kind::kAnythingButWildcards) {
      for (const std::string& t : m.texts) {
        auto w = parse_wildcard(t);
        if (!w.ok()) return std::move(w).error();
        m.wildcards.push_back(std::move(*w));
      }
    }
    if (inner.size() > 1) return invalid("Too many elements in numeric expression");
    return m;
  }

  // event-ruler's CIDR.cidr: "address/bits"; the range runs from the address as written (it is
  // not masked) to the address with all host bits set.
  static Result<Matcher> cidr(std::string_view text) {
    // Java's String.split("/"): trailing empty pieces are dropped.
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
      std::size_t slash = text.find('/', start);
      parts.push_back(text.substr(start, slash == std::string_view::npos ? slash : slash - start));
      if (slash == std::string_view::npos) break;
      start = slash + 1;
    }
    while (parts.size() > 1 && parts.back().empty()) parts.pop_back();
    if (parts.size() != 2) return invalid("Malformed CIDR, one '/' required");

    std::string_view bits_text = parts[1];
    bool negative = false;
    if (!bits_text.empty() && (bits_text[0] == '-' || bits_text[0] == '+')) {
      negative = bits_text[0] == '-';
      bits_text.remove_prefix(1);
    }
    int64_t bits = 0;
    auto [end, ec] = std::from_chars(bits_text.data(), bits_text.data() + bits_text.size(), bits);
    if (bits_text.empty() || ec != std::errc() || end != bits_text.data() + bits_text.size() ||
        bits > 2147483647) {
      return invalid("Malformed CIDR, mask bits must be an integer");
    }
    if (negative && bits != 0) return invalid("Malformed CIDR, mask bits must not be negative");

    std::string address(parts[0]);
    IpAddress ip;
    if (looks_like_ipv4(address) || looks_like_ipv6(address)) {
      if (!parse_ip(address, ip)) return invalid("Invalid IP address: " + address);
    } else {
      return invalid("Nonstandard IP address: " + address);
    }
    if (ip.size == 4 && bits > 31) return invalid("IPv4 mask bits must be < 32");
    if (ip.size == 16 && bits > 127) return invalid("IPv6 mask bits must be < 128");

    Matcher m = matcher(Kind::kCidr);
    m.ip_low = ip;
    m.ip_high = ip;
    int host_bits = ip.size * 8 - static_cast<int>(bits);
    for (int i = ip.size - 1; i >= 0 && host_bits > 0; --i, host_bits -= 8) {
      auto mask = static_cast<uint8_t>(host_bits >= 8 ? 0xff : (1u << host_bits) - 1);
      m.ip_high.bytes[static_cast<std::size_t>(i)] |= mask;
    }
    return m;
  }

  PatternDialect dialect_;
  EventPattern::Compiled& out_;
};

}  // namespace

Result<EventPattern> EventPattern::compile(std::string_view pattern_json, PatternDialect dialect) {
  if (pattern_json.size() > kMaxPatternLength) {
    return invalid("Member must have length less than or equal to 4096");
  }
  auto parsed = json::parse(pattern_json);
  if (!parsed.ok()) return invalid(std::move(parsed).error().message);
  auto compiled = std::make_shared<Compiled>();
  Compiler compiler(dialect, *compiled);
  if (auto s = compiler.compile(*parsed); !s) return std::move(s).error();
  return EventPattern(std::move(compiled));
}

bool EventPattern::matches(const json::Value& event) const {
  for (const auto& branch : compiled_->branches) {
    MatchState state;
    if (compiled_->matches_branch(branch, 0, event, nullptr, state)) return true;
  }
  return false;
}

FieldUse EventPattern::field_use(std::string_view top_level_field) const {
  auto use = static_cast<uint8_t>(FieldUse::kUnused);
  for (const auto& branch : compiled_->branches) {
    for (uint32_t i : branch) {
      const Field& f = compiled_->fields[i];
      if (f.path.front() != top_level_field) continue;
      use |= static_cast<uint8_t>(f.path.size() == 1 ? FieldUse::kValue : FieldUse::kObject);
    }
  }
  return static_cast<FieldUse>(use);
}

bool matches_any(const std::vector<EventPattern>& patterns, const json::Value& event) {
  if (patterns.empty()) return true;
  return std::any_of(patterns.begin(), patterns.end(),
                     [&](const EventPattern& p) { return p.matches(event); });
}

}  // namespace sluice::engine::pipes
