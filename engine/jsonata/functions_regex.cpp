// $match, $contains, $replace, $split: the functions that take a pattern, which is a string, a
// regular expression, or any function that behaves like one (returns {match, start, end, groups,
// next}). Matches are walked as JSONata walks them: a further match of the empty string is D1004.
#include <cmath>

#include "engine/jsonata/evaluator.h"
#include "engine/jsonata/format/js_compat.h"
#include "engine/jsonata/function_util.h"
#include "engine/jsonata/functions.h"
#include "engine/jsonata/regex.h"
#include "engine/jsonata/utf8.h"
#include "engine/jsonata/value_ops.h"

namespace sluice::engine::jsonata {

namespace {

// Byte offset of UTF-16 offset `units` in s.
std::size_t byte_offset_of_utf16(std::string_view s, double units) {
  if (!(units > 0)) return 0;
  std::size_t i = 0;
  double seen = 0;
  while (i < s.size() && seen < units) {
    uint32_t cp = next_code_point(s, i);
    seen += cp >= 0x10000 ? 2 : 1;
  }
  return i;
}

struct MatchInfo {
  std::size_t start = 0;  // bytes
  std::size_t end = 0;
  std::string match;
  std::vector<Val> groups;
  Val object;  // the matcher's own result object (what a replacement function receives)
};

// Walks the matches of a pattern function over a subject.
class Matcher {
 public:
  Matcher(Evaluator& ev, const Val& fn, const Val& subject, Env* env)
      : ev_(ev), fn_(fn), subject_(subject), env_(env) {}

  bool first(MatchInfo& m) {
    if (!fn_.is_function()) fail_undefined("apply");  // an undefined pattern
    FnNode* f = fn_.fn();
    if (f->kind == FnKind::kRegex) {
      native_ = f->regex;
      return native(0, m, false);
    }
    Val r = ev_.call(fn_, {subject_}, env_);
    return custom(r, m);
  }

  bool next(MatchInfo& m) {
    if (native_ != nullptr) {
      if (last_end_ >= subject_.str().size()) return false;
      return native(last_end_, m, true);
    }
    Val next = last_.is_object() ? last_.get("next") : Val();
    if (!next.is_function()) return false;
    Val r = ev_.call(next, {}, env_);
    return custom(r, m);
  }

 private:
  bool native(std::size_t from, MatchInfo& m, bool again) {
    const std::string& s = subject_.str();
    Regex::Match rm;
    if (!native_->search(s, from, rm)) return false;
    if (again && rm.start == rm.end) throw_error("D1004");
    m.start = rm.start;
    m.end = rm.end;
    m.match = s.substr(rm.start, rm.end - rm.start);
    m.groups.clear();
    for (const auto& g : rm.groups) {
      m.groups.push_back(g ? Val::string(s.substr(g->first, g->second - g->first)) : Val());
    }
    last_end_ = rm.end;
    m.object = Val();
    return true;
  }

  bool custom(const Val& r, MatchInfo& m) {
    if (r.is_undefined()) return false;
    bool ok = r.is_object() && (r.get("start").is_number() || r.get("groups").is_array() ||
                                r.get("next").is_function());
    if (!ok) {
      if (!to_boolean(r).value_or(false) && !r.is_object()) return false;
      throw_error("T1010");
    }
    const std::string& s = subject_.str();
    Val match = r.get("match");
    m.match = match.is_string() ? match.str() : std::string();
    Val start = r.get("start");
    Val end = r.get("end");
    m.start = byte_offset_of_utf16(s, start.is_number() ? start.as_number() : 0);
    m.end = end.is_number() ? byte_offset_of_utf16(s, end.as_number()) : m.start + m.match.size();
    m.groups.clear();
    Val groups = r.get("groups");
    if (groups.is_array()) {
      for (std::size_t i = 0; i < groups.size(); ++i) m.groups.push_back(groups.at(i));
    }
    m.object = r;
    last_ = r;
    return true;
  }

  Evaluator& ev_;
  Val fn_;
  Val subject_;
  Env* env_;
  const Regex* native_ = nullptr;
  std::size_t last_end_ = 0;
  Val last_;
};

Val fn_match(Evaluator& ev, std::vector<Val>& args, const CallInfo& call) {
  const Val& str = arg(args, 0);
  if (str.is_undefined()) return Val();
  const Val& limit = arg(args, 2);
  if (limit.is_number() && limit.as_number() < 0) fail("D3040", limit, 3);
  ArrNode* out = new_sequence();
  Val result = Val::adopt_array(out);
  if (limit.is_undefined() || limit.as_number() > 0) {
    Matcher matcher(ev, arg(args, 1), str, call.env);
    MatchInfo m;
    double count = 0;
    bool found = matcher.first(m);
    while (found && (limit.is_undefined() || count < limit.as_number())) {
      ObjNode* o = new_object();
      o->members.emplace_back("match", Val::string(m.match));
      o->members.emplace_back("index", num_val(static_cast<double>(utf16_length(
                                           std::string_view(str.str()).substr(0, m.start)))));
      ArrNode* groups = new_array();
      groups->items.assign(m.groups.begin(), m.groups.end());
      o->members.emplace_back("groups", Val::adopt_array(groups));
      out->items.push_back(Val::adopt_object(o));
      ev.tick();
      ++count;
      // JSONata asks for the next match before checking the limit.
      found = matcher.next(m);
    }
  }
  return result;
}

Val fn_contains(Evaluator& ev, std::vector<Val>& args, const CallInfo& call) {
  const Val& str = arg(args, 0);
  if (str.is_undefined()) return Val();
  const Val& token = arg(args, 1);
  if (token.is_string()) return Val::boolean(str.str().find(token.str()) != std::string::npos);
  if (!token.is_function()) return Val::boolean(false);
  Matcher matcher(ev, token, str, call.env);
  MatchInfo m;
  return Val::boolean(matcher.first(m));
}

// Expands $0, $1.. $n and $$ in a replacement string as JSONata does.
std::string substitute(const std::string& replacement, const MatchInfo& m) {
  std::string out;
  std::size_t position = 0;
  std::size_t index = replacement.find('$', position);
  while (index != std::string::npos && position < replacement.size()) {
    out.append(replacement, position, index - position);
    position = index + 1;
    char dollar = position < replacement.size() ? replacement[position] : '\0';
    if (dollar == '$') {
      out.push_back('$');
      ++position;
    } else if (dollar == '0') {
      out += m.match;
      ++position;
    } else {
      std::size_t groups = m.groups.size();
      std::size_t max_digits =
          groups == 0 ? 1 : static_cast<std::size_t>(std::floor(std::log10(groups))) + 1;
      double idx = format::js::parse_int(
          std::string_view(replacement)
              .substr(position, std::min(max_digits, replacement.size() - position)));
      if (max_digits > 1 && idx > static_cast<double>(groups)) {
        idx = format::js::parse_int(
            std::string_view(replacement)
                .substr(position, std::min(max_digits - 1, replacement.size() - position)));
      }
      if (!std::isnan(idx)) {
        if (groups > 0 && idx >= 1 && idx <= static_cast<double>(groups)) {
          const Val& sub = m.groups[static_cast<std::size_t>(idx) - 1];
          if (sub.is_string()) out += sub.str();
        }
        position += js_number(idx).size();
      } else {
        out.push_back('$');
      }
    }
    index = replacement.find('$', position);
  }
  if (position < replacement.size()) out.append(replacement, position, std::string::npos);
  return out;
}

Val fn_replace(Evaluator& ev, std::vector<Val>& args, const CallInfo& call) {
  const Val& str = arg(args, 0);
  if (str.is_undefined()) return Val();
  const Val& pattern = arg(args, 1);
  const Val& replacement = arg(args, 2);
  const Val& limit = arg(args, 3);
  if (pattern.is_string() && pattern.str().empty()) fail("D3010", pattern, 2);
  if (limit.is_number() && limit.as_number() < 0) fail("D3011", limit, 4);
  const std::string& s = str.str();
  if (!(limit.is_undefined() || limit.as_number() > 0)) return str;
  std::string out;
  std::size_t position = 0;
  double count = 0;
  auto under_limit = [&] { return limit.is_undefined() || count < limit.as_number(); };
  if (pattern.is_string()) {
    const std::string& p = pattern.str();
    std::string rep = replacement.is_string() ? replacement.str() : to_js_string(replacement);
    std::size_t index = s.find(p, position);
    while (index != std::string::npos && under_limit()) {
      out.append(s, position, index - position);
      out += rep;
      ensure_memory(out.size());  // a long replacement for every character adds up
      position = index + p.size();
      ++count;
      index = s.find(p, position);
    }
    out.append(s, position, std::string::npos);
    return str_val(std::move(out));
  }
  Matcher matcher(ev, pattern, str, call.env);
  MatchInfo m;
  if (!matcher.first(m)) return str;
  bool found = true;
  while (found && under_limit()) {
    out.append(s, position, m.start > position ? m.start - position : 0);
    if (replacement.is_string()) {
      out += substitute(replacement.str(), m);
    } else {
      Val obj = m.object;
      if (obj.is_undefined()) {
        ObjNode* o = new_object();
        o->members.emplace_back("match", Val::string(m.match));
        o->members.emplace_back(
            "start",
            num_val(static_cast<double>(utf16_length(std::string_view(s).substr(0, m.start)))));
        o->members.emplace_back(
            "end",
            num_val(static_cast<double>(utf16_length(std::string_view(s).substr(0, m.end)))));
        ArrNode* g = new_array();
        g->items.assign(m.groups.begin(), m.groups.end());
        o->members.emplace_back("groups", Val::adopt_array(g));
        obj = Val::adopt_object(o);
      }
      Val replaced = ev.call(replacement, {obj}, call.env);
      if (!replaced.is_string()) fail("D3012", replaced);
      out += replaced.str();
    }
    ensure_memory(out.size());  // a long replacement for every match adds up
    position = m.start + m.match.size();
    ++count;
    ev.tick();
    found = matcher.next(m);
  }
  if (position < s.size()) out.append(s, position, std::string::npos);
  return str_val(std::move(out));
}

Val fn_split(Evaluator& ev, std::vector<Val>& args, const CallInfo& call) {
  const Val& str = arg(args, 0);
  if (str.is_undefined()) return Val();
  const Val& sep = arg(args, 1);
  const Val& limit = arg(args, 2);
  if (limit.is_number() && limit.as_number() < 0) fail("D3020", limit, 3);
  ArrNode* out = new_array();
  Val result = Val::adopt_array(out);
  if (!(limit.is_undefined() || limit.as_number() > 0)) return result;
  const std::string& s = str.str();
  double max = limit.is_undefined() ? INFINITY : std::floor(limit.as_number());
  if (sep.is_string()) {
    const std::string& p = sep.str();
    if (p.empty()) {
      // JavaScript splits into UTF-16 code units: a supplementary character becomes its two
      // surrogates (held as WTF-8, written \uXXXX in JSON).
      std::size_t i = 0;
      auto room = [&] { return static_cast<double>(out->items.size()) < max; };
      while (i < s.size() && room()) {
        std::size_t start = i;
        uint32_t cp = next_code_point(s, i);
        if (cp < 0x10000) {
          out->items.push_back(Val::string(s.substr(start, i - start)));
          continue;
        }
        std::string high, low;
        append_utf8(high, 0xD800 + ((cp - 0x10000) >> 10));
        append_utf8(low, 0xDC00 + ((cp - 0x10000) & 0x3FF));
        out->items.push_back(Val::string(std::move(high)));
        if (room()) out->items.push_back(Val::string(std::move(low)));
      }
      return result;
    }
    std::size_t position = 0;
    for (;;) {
      if (static_cast<double>(out->items.size()) >= max) break;
      std::size_t index = s.find(p, position);
      if (index == std::string::npos) {
        out->items.push_back(Val::string(s.substr(position)));
        break;
      }
      out->items.push_back(Val::string(s.substr(position, index - position)));
      position = index + p.size();
    }
    return result;
  }
  Matcher matcher(ev, sep, str, call.env);
  MatchInfo m;
  if (!matcher.first(m)) {
    out->items.push_back(str);
    return result;
  }
  std::size_t start = 0;
  double count = 0;
  bool found = true;
  while (found && count < max) {
    out->items.push_back(Val::string(s.substr(start, m.start > start ? m.start - start : 0)));
    start = m.end;
    ++count;
    ev.tick();
    found = matcher.next(m);
  }
  if (count < max) out->items.push_back(Val::string(start < s.size() ? s.substr(start) : ""));
  return result;
}

}  // namespace

void register_regex_functions(std::vector<Builtin>& t) {
  add_builtin(t, "match", "<s-f<s:o>n?:a<o>>", 3, fn_match);
  add_builtin(t, "contains", "<s-(sf):b>", 2, fn_contains);
  add_builtin(t, "replace", "<s-(sf)(sf)n?:s>", 4, fn_replace);
  add_builtin(t, "split", "<s-(sf)n?:a<s>>", 3, fn_split);
}

}  // namespace sluice::engine::jsonata
