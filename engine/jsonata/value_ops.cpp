// See value_ops.h.
#include "engine/jsonata/value_ops.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "engine/json/json_serialize.h"
#include "engine/jsonata/error.h"
#include "engine/jsonata/evaluator.h"
#include "engine/jsonata/utf8.h"

namespace sluice::engine::jsonata {

namespace {

// Recursion over a value's structure stops here: a structure this deep can only have been built
// on purpose, and walking it further would risk the C++ stack.
constexpr int kMaxNesting = 3000;

void check_nesting(int depth) {
  if (depth > kMaxNesting) {
    EvalError e;
    e.code = "U1001";
    e.message =
        "Stack overflow error: Check for non-terminating recursive function.  Consider rewriting "
        "as tail-recursive.";
    throw e;
  }
}

bool raw_function_truth(const Val& v) {
  // JSONata's lambdas, built-ins, partials and transforms are objects (true); a regular
  // expression is a plain JavaScript function (false).
  FnKind k = v.fn()->kind;
  return k != FnKind::kRegex && k != FnKind::kRegexNext;
}

}  // namespace

void check_value_depth(int depth) {
  check_nesting(depth);
}

namespace {

// An array's truth: any item's (nested arrays as deep as check_nesting lets them).
bool array_truth(const Val& v, int depth) {
  check_nesting(depth);
  std::size_t n = v.size();
  for (std::size_t i = 0; i < n; ++i) {
    Val item = v.at(i);
    if (item.is_array() ? array_truth(item, depth + 1) : to_boolean(item).value_or(false)) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::optional<bool> to_boolean(const Val& v, bool as_argument) {
  switch (v.kind()) {
    case Kind::kUndefined:
      return std::nullopt;
    case Kind::kNull:
      return false;
    case Kind::kBool:
      return v.as_bool();
    case Kind::kNumber:
      if (!is_numeric(v)) return false;
      return v.as_number() != 0;
    case Kind::kString:
      return !v.str().empty();
    case Kind::kArray:
      return array_truth(v, 0);
    case Kind::kObject:
      return v.object_size() > 0;
    case Kind::kFunction:
      return !as_argument && raw_function_truth(v);
    case Kind::kTuple:
      return true;
  }
  return false;
}

bool js_truthy(const Val& v) {
  switch (v.kind()) {
    case Kind::kUndefined:
    case Kind::kNull:
      return false;
    case Kind::kBool:
      return v.as_bool();
    case Kind::kNumber:
      return v.as_number() != 0 && !std::isnan(v.as_number());
    case Kind::kString:
      return !v.str().empty();
    default:
      return true;
  }
}

bool is_numeric(const Val& v) {
  if (!v.is_number()) return false;
  double d = v.as_number();
  if (std::isnan(d)) return false;
  if (std::isinf(d)) throw_value_error("D1001", v);
  return true;
}

namespace {

// Equality of two values when it needs no walk (different kinds, or scalars); nullopt for two
// arrays, objects, functions or tuples.
std::optional<bool> shallow_equal(const Val& a, const Val& b) {
  Kind ka = a.kind();
  if (ka != b.kind()) return false;
  switch (ka) {
    case Kind::kUndefined:
    case Kind::kNull:
      return true;
    case Kind::kBool:
      return a.as_bool() == b.as_bool();
    case Kind::kNumber:
      return a.as_number() == b.as_number();
    case Kind::kString:
      return a.str() == b.str();
    default:
      return std::nullopt;
  }
}

bool deep_equal_at(const Val& a, const Val& b, int depth, Evaluator* ev) {
  check_nesting(depth);
  if (ev != nullptr) ev->tick();
  if (std::optional<bool> shallow = shallow_equal(a, b)) return *shallow;
  switch (a.kind()) {
    case Kind::kArray: {
      // The same array is equal to itself, whatever it holds (JavaScript's ===, which JSONata
      // tries first): this also spares walking a shared part once per path to it.
      if (a.strict_equals(b)) return true;
      std::size_t n = a.size();
      if (n != b.size()) return false;
      for (std::size_t i = 0; i < n; ++i) {
        if (!deep_equal_at(a.at(i), b.at(i), depth + 1, ev)) return false;
      }
      return true;
    }
    case Kind::kObject: {
      if (a.strict_equals(b)) return true;  // as for arrays
      if (a.object_size() != b.object_size()) return false;
      auto member_equal = [&](std::string_view key, const Val& value) {
        Val other = b.get(key);
        // A key present with an undefined value is still a key in JavaScript; here an object
        // never holds undefined, so absence is enough.
        if (other.is_undefined()) return false;
        return deep_equal_at(value, other, depth + 1, ev);
      };
      if (a.rep() == Val::Rep::kJsonObject) {
        for (const auto& [k, v] : *a.jobj()) {
          if (!member_equal(k, Val::from_json(v))) return false;
        }
      } else {
        for (const auto& [k, v] : a.obj()->members) {
          if (!member_equal(k, v)) return false;
        }
      }
      return true;
    }
    case Kind::kFunction:
    case Kind::kTuple:
      return a.strict_equals(b);
    case Kind::kUndefined:
    case Kind::kNull:
    case Kind::kBool:
    case Kind::kNumber:
    case Kind::kString:
      break;  // settled by shallow_equal
  }
  return false;
}

}  // namespace

bool deep_equal(const Val& a, const Val& b, Evaluator* ev) {
  // Scalars (nearly every `=` and `!=`) need neither the nesting nor the time check.
  if (std::optional<bool> shallow = shallow_equal(a, b)) return *shallow;
  return deep_equal_at(a, b, 0, ev);
}

Val append(Val a, Val b) {
  if (a.is_undefined()) return b;
  if (b.is_undefined()) return a;
  ArrNode* out = new_array();
  if (a.is_array()) {
    std::size_t n = a.size();
    out->items.reserve(n + (b.is_array() ? b.size() : 1));
    for (std::size_t i = 0; i < n; ++i) out->items.push_back(a.at(i));
  } else {
    out->items.push_back(std::move(a));
  }
  if (b.is_array()) {
    std::size_t n = b.size();
    for (std::size_t i = 0; i < n; ++i) out->items.push_back(b.at(i));
  } else {
    out->items.push_back(std::move(b));
  }
  return Val::adopt_array(out);
}

Val lookup(const Val& input, std::string_view key, int depth) {
  if (input.is_array()) {
    check_nesting(depth);
    ArrNode* out = new_sequence();
    Val result = Val::adopt_array(out);
    std::size_t n = input.size();
    for (std::size_t i = 0; i < n; ++i) {
      Val res = lookup(input.at(i), key, depth + 1);
      if (res.is_undefined()) continue;
      if (res.is_array()) {
        std::size_t m = res.size();
        for (std::size_t j = 0; j < m; ++j) out->items.push_back(res.at(j));
      } else {
        out->items.push_back(std::move(res));
      }
    }
    return result;
  }
  if (input.is_object()) return input.get(key);
  return Val();
}

void flatten_into(const Val& v, ArrNode* out, int depth) {
  if (v.is_array()) {
    check_nesting(depth);
    std::size_t n = v.size();
    for (std::size_t i = 0; i < n; ++i) flatten_into(v.at(i), out, depth + 1);
  } else {
    out->items.push_back(v);
  }
}

ArrNode* copy_array(const Val& a) {
  ArrNode* out = new_array();
  std::size_t n = a.size();
  out->items.reserve(n);
  for (std::size_t i = 0; i < n; ++i) out->items.push_back(a.at(i));
  return out;
}

void append_js_number(double d, std::string& out) {
  if (std::isnan(d)) {
    out += "NaN";
    return;
  }
  if (std::isinf(d)) {
    out += d < 0 ? "-Infinity" : "Infinity";
    return;
  }
  if (d == 0) {
    out.push_back('0');
    return;
  }
  // Integers print exactly and fast.
  if (std::fabs(d) < 1e15 && d == std::floor(d)) {
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof buf, static_cast<int64_t>(d));
    out.append(buf, r.ptr);
    return;
  }
  char buf[40];
  auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<std::size_t>(r.ptr - buf));
  if (sci.front() == '-') {
    out.push_back('-');
    sci.remove_prefix(1);
  }
  std::size_t e_pos = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e_pos)) {
    if (c != '.') digits.push_back(c);
  }
  int exponent = std::atoi(std::string(sci.substr(e_pos + 1)).c_str());
  int k = static_cast<int>(digits.size());
  int n = exponent + 1;  // position of the decimal point
  if (k <= n && n <= 21) {
    out += digits;
    out.append(static_cast<std::size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out.append(digits, 0, static_cast<std::size_t>(n));
    out.push_back('.');
    out.append(digits, static_cast<std::size_t>(n));
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-n), '0');
    out += digits;
  } else {
    out.push_back(digits[0]);
    if (k > 1) {
      out.push_back('.');
      out.append(digits, 1);
    }
    out.push_back('e');
    out.push_back(n - 1 < 0 ? '-' : '+');
    out += std::to_string(std::abs(n - 1));
  }
}

std::string js_number(double d) {
  std::string s;
  append_js_number(d, s);
  return s;
}

double to_precision_15(double d) {
  if (!std::isfinite(d) || d == 0) return d;
  // An integer of at most 15 digits already is its own 15-digit rounding.
  if (std::fabs(d) < 1e15 && d == std::floor(d)) return d;
  // to_chars/from_chars, not printf/strtod: the same correctly rounded digits at a fraction of
  // the cost, and no locale.
  char buf[40];
  auto w = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific, 14);
  double out = d;
  std::from_chars(buf, w.ptr, out, std::chars_format::scientific);
  return out;
}

void append_json_string(std::string_view s, std::string& out) {
  // JSON.stringify's escaping is json::append_escaped's, plus one case of its own: an unpaired
  // surrogate (WTF-8, which JSONata strings can hold) is written as \uXXXX.
  out.push_back('"');
  std::size_t run = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    if (static_cast<unsigned char>(s[i]) == 0xED && i + 2 < s.size() &&
        (static_cast<unsigned char>(s[i + 1]) & 0xE0) == 0xA0) {
      json::append_escaped(s.substr(run, i - run), out);
      uint32_t cp = next_code_point(s, i);
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", cp);
      out += buf;
      run = i;
      continue;
    }
    ++i;
  }
  json::append_escaped(s.substr(run), out);
  out.push_back('"');
}

namespace {

struct JsonWriter {
  bool rounding;  // $string's replacer: 15 significant digits, functions as ""
  bool pretty;
  std::string& out;
  Evaluator* ev = nullptr;

  void newline(int indent) {
    if (!pretty) return;
    out.push_back('\n');
    out.append(static_cast<std::size_t>(indent) * 2, ' ');
  }

  // Returns false when v writes nothing (undefined, or a function outside $string).
  bool write(const Val& v, int indent) {
    check_nesting(indent);
    // The text can outgrow what it describes: a structure that holds one big value many times.
    // Twice its size: growing the string copies it into a block twice as large.
    ensure_memory(2 * out.size());
    if (ev != nullptr) ev->tick();
    switch (v.kind()) {
      case Kind::kUndefined:
        return false;
      case Kind::kNull:
        out += "null";
        return true;
      case Kind::kBool:
        out += v.as_bool() ? "true" : "false";
        return true;
      case Kind::kNumber: {
        double d = v.as_number();
        if (rounding && is_numeric(v)) d = to_precision_15(d);
        if (!std::isfinite(d)) {
          out += "null";
        } else {
          append_js_number(d, out);
        }
        return true;
      }
      case Kind::kString:
        append_json_string(v.str(), out);
        return true;
      case Kind::kFunction:
        if (!rounding) return false;
        out += "\"\"";
        return true;
      case Kind::kArray: {
        std::size_t n = v.size();
        out.push_back('[');
        for (std::size_t i = 0; i < n; ++i) {
          if (i > 0) out.push_back(',');
          newline(indent + 1);
          if (!write(v.at(i), indent + 1)) out += "null";
        }
        if (n > 0) newline(indent);
        out.push_back(']');
        return true;
      }
      case Kind::kObject: {
        out.push_back('{');
        bool first = true;
        auto member = [&](std::string_view k, const Val& m) {
          std::size_t mark = out.size();
          if (!first) out.push_back(',');
          newline(indent + 1);
          append_json_string(k, out);
          out.push_back(':');
          if (pretty) out.push_back(' ');
          if (write(m, indent + 1)) {
            first = false;
          } else {
            out.resize(mark);
          }
        };
        if (v.rep() == Val::Rep::kJsonObject) {
          for (const auto& [k, m] : *v.jobj()) member(k, Val::from_json(m));
        } else {
          for (const auto& [k, m] : v.obj()->members) member(k, m);
        }
        if (!first) newline(indent);
        out.push_back('}');
        return true;
      }
      case Kind::kTuple:
        out += "{}";
        return true;
    }
    return false;
  }
};

}  // namespace

std::string stringify(const Val& v, bool pretty, Evaluator* ev) {
  std::string out;
  JsonWriter w{true, pretty, out, ev};
  w.write(v, 0);
  return out;
}

void append_json(const Val& v, std::string& out) {
  JsonWriter w{false, false, out};
  w.write(v, 0);
}

std::string to_js_string(const Val& v, Evaluator* ev) {
  if (v.is_string()) return v.str();
  if (v.is_function()) return "";
  if (v.is_number() && !std::isfinite(v.as_number())) throw_value_error("D3001", v);
  Val unwrapped = v.outer_wrapper() ? v.at(0) : v;
  return stringify(unwrapped, false, ev);
}

namespace {

// What a copy of a document part weighs, roughly, for the memory budget.
std::size_t json_weight(const json::Value& j);

std::size_t json_weight(const json::Array& a) {
  std::size_t w = 0;
  for (const json::Value& item : a) w += json_weight(item);
  return w;
}

std::size_t json_weight(const json::Object& o) {
  std::size_t w = 0;
  for (const auto& [k, m] : o) w += k.size() + json_weight(m);
  return w;
}

std::size_t json_weight(const json::Value& j) {
  std::size_t w = sizeof(json::Value);
  if (j.is_string()) w += j.as_string().size();
  if (j.is_array()) w += json_weight(j.as_array());
  if (j.is_object()) w += json_weight(j.as_object());
  return w;
}

// A number as JSON: an integer when it is a whole one that a double holds exactly, else a double;
// D1001 when it is not finite.
json::Value number_json(const Val& v) {
  double d = v.as_number();
  if (!std::isfinite(d)) throw_value_error("D1001", v);
  if (d == std::floor(d) && std::fabs(d) <= 9007199254740992.0) {
    return json::Value(static_cast<int64_t>(d));
  }
  return json::Value(d);
}

std::optional<json::Value> to_json_at(const Val& v, int depth, Evaluator* ev) {
  check_nesting(depth);
  if (ev != nullptr) ev->tick();
  // The result is charged to the evaluation's memory budget as it is built (and kept: it leaves
  // with the caller): a value that holds one part many times becomes that many copies here.
  charge_memory(sizeof(json::Value) + (v.is_string() ? v.str().size() : 0));
  switch (v.kind()) {
    case Kind::kUndefined:
      return std::nullopt;
    case Kind::kFunction:
      // JSONata renders a function as "" wherever it turns values into JSON ($string).
      return json::Value(std::string());
    case Kind::kNull:
      return json::Value(nullptr);
    case Kind::kBool:
      return json::Value(v.as_bool());
    case Kind::kNumber:
      return number_json(v);
    case Kind::kString:
      return json::Value(v.str());
    case Kind::kArray: {
      if (v.rep() == Val::Rep::kJsonArray) {
        charge_memory(json_weight(*v.jarr()));
        return json::Value(*v.jarr());
      }
      json::Array arr;
      std::size_t n = v.size();
      arr.reserve(n);
      for (std::size_t i = 0; i < n; ++i) {
        std::optional<json::Value> item = to_json_at(v.at(i), depth + 1, ev);
        arr.push_back(item ? std::move(*item) : json::Value(nullptr));
      }
      return json::Value(std::move(arr));
    }
    case Kind::kObject: {
      if (v.rep() == Val::Rep::kJsonObject) {
        charge_memory(json_weight(*v.jobj()));
        return json::Value(*v.jobj());
      }
      json::Object obj;
      obj.reserve(v.obj()->members.size());
      for (const auto& [k, m] : v.obj()->members) {
        std::optional<json::Value> item = to_json_at(m, depth + 1, ev);
        if (item) obj.append_new(k, std::move(*item));
      }
      return json::Value(std::move(obj));
    }
    case Kind::kTuple:
      return json::Value(json::Object());
  }
  return std::nullopt;
}

Val clone_at(const Val& v, int depth) {
  check_nesting(depth);
  switch (v.kind()) {
    case Kind::kNumber:
      return Val::number(to_precision_15(v.as_number()));
    case Kind::kArray: {
      ArrNode* out = new_array();
      Val result = Val::adopt_array(out);  // owned before a deeper level can throw
      std::size_t n = v.size();
      out->items.reserve(n);
      for (std::size_t i = 0; i < n; ++i) {
        Val item = v.at(i);
        if (item.is_undefined() || item.is_function()) {
          out->items.push_back(item.is_function() ? Val::string(std::string()) : Val::null());
        } else {
          out->items.push_back(clone_at(item, depth + 1));
        }
      }
      return result;
    }
    case Kind::kObject: {
      ObjNode* out = new_object();
      Val result = Val::adopt_object(out);
      auto member = [&](std::string_view k, const Val& m) {
        if (m.is_undefined()) return;
        out->append(std::string(k),
                    m.is_function() ? Val::string(std::string()) : clone_at(m, depth + 1));
      };
      if (v.rep() == Val::Rep::kJsonObject) {
        for (const auto& [k, m] : *v.jobj()) member(k, Val::from_json(m));
      } else {
        for (const auto& [k, m] : v.obj()->members) member(k, m);
      }
      return result;
    }
    case Kind::kFunction:
      return Val::string(std::string());
    default:
      return v;
  }
}

}  // namespace

std::optional<json::Value> to_json(const Val& v, Evaluator* ev) {
  // Numbers and booleans (most results: a Choice's Condition is one) need neither the nesting,
  // time nor memory checks.
  if (v.kind() == Kind::kNumber) return number_json(v);
  if (v.kind() == Kind::kBool) return json::Value(v.as_bool());
  return to_json_at(v, 0, ev);
}

Val clone_value(const Val& v) {
  return clone_at(v, 0);
}

}  // namespace sluice::engine::jsonata
