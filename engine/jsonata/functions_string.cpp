// $string, $substring, $substringBefore, $substringAfter, $lowercase, $uppercase, $length, $trim,
// $pad, $join. Character counts and positions are code points, as JSONata counts them.
#include <cmath>

#include "engine/jsonata/evaluator.h"
#include "engine/jsonata/function_util.h"
#include "engine/jsonata/functions.h"
#include "engine/jsonata/utf8.h"
#include "engine/jsonata/value_ops.h"

namespace sluice::engine::jsonata {

namespace {

Val fn_string(Evaluator& ev, std::vector<Val>& args, const CallInfo&) {
  const Val& a = arg(args, 0);
  if (a.is_undefined()) return Val();
  if (a.is_string()) return a;
  if (a.is_function()) return str_val(std::string());
  if (a.is_number() && !std::isfinite(a.as_number())) fail("D3001", a);
  const Val& pretty = arg(args, 1);
  Val v = a.outer_wrapper() ? a.at(0) : a;
  return str_val(stringify(v, pretty.is_bool() && pretty.as_bool(), &ev));
}

// JavaScript's Array.prototype.slice bounds.
std::size_t slice_bound(double rel, std::size_t len) {
  if (std::isnan(rel)) rel = 0;
  rel = std::trunc(rel);
  auto l = static_cast<double>(len);
  if (rel < 0) return static_cast<std::size_t>(std::max(l + rel, 0.0));
  return static_cast<std::size_t>(std::min(rel, l));
}

Val fn_substring(Evaluator&, std::vector<Val>& args, const CallInfo&) {
  const Val& a = arg(args, 0);
  if (a.is_undefined()) return Val();
  const std::string& s = a.str();
  std::size_t len = code_point_count(s);
  double start = arg(args, 1).as_number();
  const Val& length = arg(args, 2);
  if (static_cast<double>(len) + start < 0) start = 0;
  std::size_t from = slice_bound(start, len);
  std::size_t to = len;
  if (length.is_defined()) {
    double l = length.as_number();
    if (l <= 0) return str_val(std::string());
    double end = start >= 0 ? start + l : static_cast<double>(len) + start + l;
    to = slice_bound(end, len);
  }
  if (to <= from) return str_val(std::string());
  std::size_t b0 = byte_offset_of_code_point(s, from);
  std::size_t b1 = byte_offset_of_code_point(s, to);
  return str_val(s.substr(b0, b1 - b0));
}

Val fn_substring_before(Evaluator&, std::vector<Val>& args, const CallInfo&) {
  const Val& a = arg(args, 0);
  if (a.is_undefined()) return Val();
  const Val& chars = arg(args, 1);
  std::size_t pos = a.str().find(chars.is_string() ? chars.str() : std::string("undefined"));
  if (pos == std::string::npos) return a;
  return str_val(a.str().substr(0, pos));
}

Val fn_substring_after(Evaluator&, std::vector<Val>& args, const CallInfo&) {
  const Val& a = arg(args, 0);
  if (a.is_undefined()) return Val();
  const Val& chars = arg(args, 1);
  std::string needle = chars.is_string() ? chars.str() : std::string("undefined");
  std::size_t pos = a.str().find(needle);
  if (pos == std::string::npos) return a;
  return str_val(a.str().substr(pos + needle.size()));
}

Val fn_lowercase(Evaluator&, std::vector<Val>& args, const CallInfo&) {
  const Val& a = arg(args, 0);
  if (a.is_undefined()) return Val();
  return str_val(to_lower(a.str()));
}

Val fn_uppercase(Evaluator&, std::vector<Val>& args, const CallInfo&) {
  const Val& a = arg(args, 0);
  if (a.is_undefined()) return Val();
  return str_val(to_upper(a.str()));
}

Val fn_length(Evaluator&, std::vector<Val>& args, const CallInfo&) {
  const Val& a = arg(args, 0);
  if (a.is_undefined()) return Val();
  return num_val(static_cast<double>(code_point_count(a.str())));
}

Val fn_trim(Evaluator&, std::vector<Val>& args, const CallInfo&) {
  const Val& a = arg(args, 0);
  if (a.is_undefined()) return Val();
  const std::string& s = a.str();
  std::string out;
  out.reserve(s.size());
  bool in_space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (!in_space) out.push_back(' ');
      in_space = true;
    } else {
      out.push_back(c);
      in_space = false;
    }
  }
  if (!out.empty() && out.front() == ' ') out.erase(0, 1);
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return str_val(std::move(out));
}

Val fn_pad(Evaluator&, std::vector<Val>& args, const CallInfo&) {
  const Val& a = arg(args, 0);
  if (a.is_undefined()) return Val();
  const std::string& s = a.str();
  double width = arg(args, 1).as_number();
  const Val& c = arg(args, 2);
  std::string pad = c.is_string() && !c.str().empty() ? c.str() : std::string(" ");
  double pad_length = std::trunc(std::fabs(width) - static_cast<double>(code_point_count(s)));
  if (!(pad_length > 0)) return a;
  if (!std::isfinite(pad_length)) fail("D3001", arg(args, 1));
  // Refused before it is built, like any string past the memory budget (value.h).
  if (pad_length * static_cast<double>(pad.size()) > 0x1p60) fail_out_of_memory();
  auto count = static_cast<std::size_t>(pad_length);
  ensure_memory(count * pad.size());
  std::string padding;
  std::size_t pad_cps = code_point_count(pad);
  if (pad_cps == 1) {
    padding.reserve(pad.size() * count);
    for (std::size_t i = 0; i < count; ++i) padding += pad;
  } else {
    // Repeat the characters, then cut to the length in code points.
    std::size_t i = 0, emitted = 0;
    while (emitted < count) {
      std::size_t start = i;
      next_code_point(pad, i);
      padding.append(pad, start, i - start);
      ++emitted;
      if (i >= pad.size()) i = 0;
    }
  }
  return str_val(width > 0 ? s + padding : padding + s);
}

Val fn_join(Evaluator&, std::vector<Val>& args, const CallInfo&) {
  const Val& a = arg(args, 0);
  if (a.is_undefined()) return Val();
  const Val& sep = arg(args, 1);
  std::string out;
  std::size_t n = a.size();
  // The size first: one string joined a million times is a million times as long.
  std::size_t total = 0;
  for (std::size_t i = 0; i < n; ++i) {
    Val item = a.at(i);
    if (item.is_string()) total += item.str().size();
    if (i > 0 && sep.is_string()) total += sep.str().size();
  }
  ensure_memory(total);
  out.reserve(total);
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0 && sep.is_string()) out += sep.str();
    Val item = a.at(i);
    if (item.is_string()) out += item.str();
  }
  return str_val(std::move(out));
}

}  // namespace

void register_string_functions(std::vector<Builtin>& t) {
  add_builtin(t, "string", "<x-b?:s>", 1, fn_string);
  add_builtin(t, "substring", "<s-nn?:s>", 3, fn_substring);
  add_builtin(t, "substringBefore", "<s-s:s>", 2, fn_substring_before);
  add_builtin(t, "substringAfter", "<s-s:s>", 2, fn_substring_after);
  add_builtin(t, "lowercase", "<s-:s>", 1, fn_lowercase);
  add_builtin(t, "uppercase", "<s-:s>", 1, fn_uppercase);
  add_builtin(t, "length", "<s-:n>", 1, fn_length);
  add_builtin(t, "trim", "<s-:s>", 1, fn_trim);
  add_builtin(t, "pad", "<s-ns?:s>", 3, fn_pad);
  add_builtin(t, "join", "<a<s>s?:s>", 2, fn_join);
}

}  // namespace sluice::engine::jsonata
