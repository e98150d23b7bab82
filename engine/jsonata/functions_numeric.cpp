// $number, $abs, $floor, $ceil, $round, $sqrt, $power, $formatNumber, $formatBase,
// $formatInteger, $parseInteger. (Step Functions' $random is in functions_aws.cpp.) The
// formatting pictures are format/'s pure functions.
#include <cctype>
#include <cmath>
#include <cstdlib>

#include "engine/jsonata/evaluator.h"
#include "engine/jsonata/format/number_format.h"
#include "engine/jsonata/function_util.h"
#include "engine/jsonata/functions.h"
#include "engine/jsonata/value_ops.h"

namespace sluice::engine::jsonata {

namespace {

// A format/ error as a JSONata error (the message is already JSONata's).
[[noreturn]] void fail_format(const format::FormatError& f) {
  EvalError e;
  e.code = f.code;
  e.message = f.message;
  e.preformatted = true;
  throw e;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// JSONata's decimal number syntax for $number: -?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?
bool decimal_syntax(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && s[i] == '-') ++i;
  std::size_t start = i;
  while (i < s.size() && is_digit(s[i])) ++i;
  if (i == start) return false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    std::size_t f = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == f) return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t e = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == e) return false;
  }
  return i == s.size();
}

// JavaScript's Number() of a 0x / 0o / 0b literal (NaN when the rest is not all digits).
double radix_literal(std::string_view s) {
  int radix = 0;
  char p = s.size() > 1 ? static_cast<char>(s[1] | 0x20) : 0;
  if (p == 'x') radix = 16;
  if (p == 'o') radix = 8;
  if (p == 'b') radix = 2;
  if (radix == 0 || s.size() < 3) return NAN;
  double v = 0;
  for (std::size_t i = 2; i < s.size(); ++i) {
    char c = static_cast<char>(s[i] | 0x20);
    int d = is_digit(s[i]) ? s[i] - '0' : (c >= 'a' && c <= 'z') ? c - 'a' + 10 : 99;
    if (d >= radix) return NAN;
    v = v * radix + d;
  }
  return v;
}

// The prefix test JSONata applies (its regex /^(0[xX][0-9A-Fa-f]+)|(0[oO][0-7]+)|(0[bB][0-1]+)$/
// anchors the first alternative at the start and the others at the end).
bool radix_syntax(std::string_view s) {
  auto run = [](std::string_view t, auto pred) {
    std::size_t n = 0;
    while (n < t.size() && pred(t[n])) ++n;
    return n;
  };
  if (s.size() >= 3 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
      run(s.substr(2), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }) >
          0) {
    return true;
  }
  auto suffix = [&](char lower, auto digit) {
    for (std::size_t i = 0; i + 2 < s.size(); ++i) {
      if (s[i] == '0' && (s[i + 1] | 0x20) == lower) {
        std::string_view rest = s.substr(i + 2);
        if (!rest.empty() && run(rest, digit) == rest.size()) return true;
      }
    }
    return false;
  };
  return suffix('o', [](char c) { return c >= '0' && c <= '7'; }) ||
         suffix('b', [](char c) { return c == '0' || c == '1'; });
}

Val fn_number(Evaluator&, std::vector<Val>& args, const CallInfo&) {
  const Val& a = arg(args, 0);
  if (a.is_undefined()) return Val();
  if (a.is_number()) return a;
  if (a.is_string()) {
    const std::string& s = a.str();
    if (decimal_syntax(s)) {
      double d = std::strtod(s.c_str(), nullptr);
      if (std::isfinite(d)) return num_val(d);
    }
    if (radix_syntax(s)) return num_val(radix_literal(s));
  }
  if (a.is_bool()) return num_val(a.as_bool() ? 1 : 0);
  fail("D3030", a, 1);
}

template <double (*F)(double)>
Val fn_math(Evaluator&, std::vector<Val>& args, const CallInfo&) {
  const Val& a = arg(args, 0);
  if (a.is_undefined()) return Val();
  return num_val(F(a.as_number()));
}

double js_abs(double d) {
  return std::fabs(d);
}
double js_floor(double d) {
  return std::floor(d);
}
double js_ceil(double d) {
  return std::ceil(d);
}

// JavaScript's unary + of a string: the whole string must be a number.
double js_to_number(const std::string& s) {
  char* end = nullptr;
  double d = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || s.empty()) return NAN;
  return d;
}

double math_round(double x) {
  if (!std::isfinite(x)) return x;
  double r = std::floor(x);
  if (x - r >= 0.5) r += 1;
  if (r == 0 && std::signbit(x)) return -0.0;
  return r;
}

// $round: half to even at a decimal position, shifting the exponent in the number's text as
// JSONata does (multiplying by a power of ten would round twice).
double jsonata_round(double arg, double precision) {
  bool shift = precision != 0 && !std::isnan(precision);
  if (shift) {
    std::string text = js_number(arg);
    std::size_t e = text.find('e');
    std::string mantissa = text.substr(0, e);
    double exp = e == std::string::npos ? precision : js_to_number(text.substr(e + 1)) + precision;
    arg = js_to_number(mantissa + "e" + js_number(exp));
  }
  double result = math_round(arg);
  double diff = result - arg;
  if (std::fabs(diff) == 0.5 && std::fabs(std::fmod(result, 2)) == 1) result -= 1;
  if (shift) {
    std::string text = js_number(result);
    std::size_t e = text.find('e');
    std::string mantissa = text.substr(0, e);
    double exp = e == std::string::npos ? -precision : js_to_number(text.substr(e + 1)) - precision;
    result = js_to_number(mantissa + "e" + js_number(exp));
  }
  if (result == 0) result = 0;  // no -0 in JSON
  return result;
}

Val fn_round(Evaluator&, std::vector<Val>& args, const CallInfo&) {
  const Val& a = arg(args, 0);
  if (a.is_undefined()) return Val();
  const Val& p = arg(args, 1);
  return num_val(jsonata_round(a.as_number(), p.is_number() ? p.as_number() : 0));
}

Val fn_sqrt(Evaluator&, std::vector<Val>& args, const CallInfo&) {
  const Val& a = arg(args, 0);
  if (a.is_undefined()) return Val();
  if (a.as_number() < 0) fail("D3060", a, 1);
  return num_val(std::sqrt(a.as_number()));
}

Val fn_power(Evaluator&, std::vector<Val>& args, const CallInfo&) {
  const Val& a = arg(args, 0);
  if (a.is_undefined()) return Val();
  double base = a.as_number();
  double exp = arg(args, 1).as_number();
  double result = (std::fabs(base) == 1 && std::isinf(exp)) ? NAN : std::pow(base, exp);
  if (!std::isfinite(result)) {
    EvalError e;
    e.code = "D3061";
    e.value = a;
    e.exp = arg(args, 1);
    e.index = 1;
    throw e;
  }
  return num_val(result);
}

Val fn_format_number(Evaluator&, std::vector<Val>& args, const CallInfo&) {
  const Val& a = arg(args, 0);
  if (a.is_undefined()) return Val();
  format::DecimalFormat options;
  const Val& o = arg(args, 2);
  if (o.is_object()) {
    auto set = [&](std::string_view k, const Val& v) {
      if (v.is_string()) options.set(k, v.str());
    };
    if (o.rep() == Val::Rep::kJsonObject) {
      for (const auto& [k, v] : *o.jobj()) set(k, Val::from_json(v));
    } else {
      for (const auto& [k, v] : o.obj()->members) set(k, v);
    }
  }
  if (arg(args, 1).is_undefined()) fail_undefined("split");
  auto r = format::format_number(a.as_number(), arg(args, 1).str(), options);
  if (!r.ok()) fail_format(r.error());
  return str_val(std::move(r).value());
}

Val fn_format_base(Evaluator&, std::vector<Val>& args, const CallInfo&) {
  const Val& a = arg(args, 0);
  if (a.is_undefined()) return Val();
  const Val& radix = arg(args, 1);
  auto r = format::format_base(
      a.as_number(), radix.is_number() ? std::optional<double>(radix.as_number()) : std::nullopt);
  if (!r.ok()) fail_format(r.error());
  return str_val(std::move(r).value());
}

Val fn_format_integer(Evaluator&, std::vector<Val>& args, const CallInfo&) {
  const Val& a = arg(args, 0);
  if (a.is_undefined()) return Val();
  if (arg(args, 1).is_undefined()) fail_undefined("lastIndexOf");
  auto r = format::format_integer(a.as_number(), arg(args, 1).str());
  if (!r.ok()) fail_format(r.error());
  return str_val(std::move(r).value());
}

Val fn_parse_integer(Evaluator&, std::vector<Val>& args, const CallInfo&) {
  const Val& a = arg(args, 0);
  if (a.is_undefined()) return Val();
  if (arg(args, 1).is_undefined()) fail_undefined("lastIndexOf");
  auto r = format::parse_integer(a.str(), arg(args, 1).str());
  if (!r.ok()) fail_format(r.error());
  return num_val(r.value());
}

}  // namespace

void register_numeric_functions(std::vector<Builtin>& t) {
  add_builtin(t, "number", "<(nsb)-:n>", 1, fn_number);
  add_builtin(t, "abs", "<n-:n>", 1, fn_math<js_abs>);
  add_builtin(t, "floor", "<n-:n>", 1, fn_math<js_floor>);
  add_builtin(t, "ceil", "<n-:n>", 1, fn_math<js_ceil>);
  add_builtin(t, "round", "<n-n?:n>", 2, fn_round);
  add_builtin(t, "sqrt", "<n-:n>", 1, fn_sqrt);
  add_builtin(t, "power", "<n-n:n>", 2, fn_power);
  add_builtin(t, "formatNumber", "<n-so?:s>", 3, fn_format_number);
  add_builtin(t, "formatBase", "<n-n?:s>", 2, fn_format_base);
  add_builtin(t, "formatInteger", "<n-s:s>", 2, fn_format_integer);
  add_builtin(t, "parseInteger", "<s-s:n>", 2, fn_parse_integer);
}

}  // namespace sluice::engine::jsonata
