// See regex.h.
#define PCRE2_CODE_UNIT_WIDTH 8
#include "engine/jsonata/regex.h"

#include <pcre2.h>

#include "engine/jsonata/error.h"

namespace sluice::engine::jsonata {

namespace {

// JavaScript's \s: white space and line terminators.
// (PCRE2_ALT_BSUX takes \\uhhhh, not \\x{...}.)
constexpr const char* kJsSpace =
    "\\t\\n\\u000B\\f\\r \\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000"
    "\\uFEFF";

// Rewrites the parts of a JavaScript pattern whose meaning differs in PCRE2.
std::string translate(std::string_view js) {
  std::string out;
  out.reserve(js.size() + 16);
  bool in_class = false;
  for (std::size_t i = 0; i < js.size(); ++i) {
    char c = js[i];
    if (c == '\\' && i + 1 < js.size()) {
      char n = js[i + 1];
      if (n == 's') {
        if (in_class) {
          out += kJsSpace;
        } else {
          out += "[";
          out += kJsSpace;
          out += "]";
        }
        ++i;
        continue;
      }
      if (n == 'S' && !in_class) {
        out += "[^";
        out += kJsSpace;
        out += "]";
        ++i;
        continue;
      }
      out.push_back(c);
      out.push_back(n);
      ++i;
      continue;
    }
    if (in_class) {
      if (c == ']') in_class = false;
      out.push_back(c);
      continue;
    }
    if (c == '[') {
      if (js.substr(i, 3) == "[^]") {
        out += "[\\s\\S]";
        i += 2;
        continue;
      }
      if (js.substr(i, 2) == "[]") {
        out += "(?!)";
        ++i;
        continue;
      }
      in_class = true;
      out.push_back(c);
      // A ']' right after '[' or '[^' closes an empty class in JavaScript but is a literal in
      // PCRE2; the two cases above took the empty classes.
      continue;
    }
    if (c == '.') {
      out += "[^\\n\\r\\u2028\\u2029]";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

struct Scratch {
  pcre2_match_data* data = nullptr;
  pcre2_match_context* context = nullptr;
  pcre2_jit_stack* jit_stack = nullptr;
  Scratch() {
    data = pcre2_match_data_create(64, nullptr);
    context = pcre2_match_context_create(nullptr);
    pcre2_set_match_limit(context, 50'000'000);
    pcre2_set_depth_limit(context, 100'000);
    jit_stack = pcre2_jit_stack_create(64 * 1024, 4 * 1024 * 1024, nullptr);
    pcre2_jit_stack_assign(context, nullptr, jit_stack);
  }
  ~Scratch() {
    pcre2_match_data_free(data);
    pcre2_match_context_free(context);
    pcre2_jit_stack_free(jit_stack);
  }
};

Scratch& scratch() {
  thread_local Scratch s;
  return s;
}

}  // namespace

Result<Regex, std::string> Regex::compile(std::string_view pattern, std::string_view flags) {
  uint32_t options = PCRE2_UTF | PCRE2_ALT_BSUX | PCRE2_MATCH_UNSET_BACKREF;
  bool multiline = flags.find('m') != std::string_view::npos;
  if (flags.find('i') != std::string_view::npos) options |= PCRE2_CASELESS;
  options |= multiline ? PCRE2_MULTILINE : PCRE2_DOLLAR_ENDONLY;
  std::string translated = translate(pattern);
  pcre2_compile_context* cc = pcre2_compile_context_create(nullptr);
  pcre2_set_newline(cc, PCRE2_NEWLINE_ANYCRLF);
  int error = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(translated.data()),
                                   translated.size(), options, &error, &offset, cc);
  pcre2_compile_context_free(cc);
  if (code == nullptr) {
    PCRE2_UCHAR buf[256];
    pcre2_get_error_message(error, buf, sizeof buf);
    return std::string("Invalid regular expression: /") + std::string(pattern) +
           "/: " + reinterpret_cast<const char*>(buf);
  }
  pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);  // falls back to the interpreter if unavailable
  Regex r;
  r.source_ = std::string(pattern);
  r.code_ = code;
  return r;
}

Regex::Regex(Regex&& o) noexcept : source_(std::move(o.source_)), code_(o.code_) {
  o.code_ = nullptr;
}

Regex::~Regex() {
  if (code_ != nullptr) pcre2_code_free(static_cast<pcre2_code*>(code_));
}

bool Regex::search(std::string_view subject, std::size_t from, Match& m) const {
  Scratch& s = scratch();
  auto* code = static_cast<pcre2_code*>(code_);
  uint32_t captures = 0;
  pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &captures);
  pcre2_match_data* data = s.data;
  pcre2_match_data* owned = nullptr;
  if (captures + 1 > 64) data = owned = pcre2_match_data_create_from_pattern(code, nullptr);
  int rc = pcre2_match(code, reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), from, 0,
                       data, s.context);
  if (rc == PCRE2_ERROR_BADUTFOFFSET || rc == PCRE2_ERROR_UTF8_ERR1 ||
      (rc <= PCRE2_ERROR_UTF8_ERR1 && rc >= PCRE2_ERROR_UTF8_ERR21)) {
    // A string holding an unpaired surrogate (from a \ud800 escape) is not valid UTF-8: match
    // it byte by byte instead of failing.
    rc = PCRE2_ERROR_NOMATCH;
  }
  if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
      rc == PCRE2_ERROR_JIT_STACKLIMIT || rc == PCRE2_ERROR_HEAPLIMIT) {
    if (owned != nullptr) pcre2_match_data_free(owned);
    EvalError e;
    e.code = "U1001";
    e.message = "Expression evaluation timeout: Check for infinite loop";
    throw e;
  }
  if (rc < 0) {
    if (owned != nullptr) pcre2_match_data_free(owned);
    return false;
  }
  PCRE2_SIZE* ov = pcre2_get_ovector_pointer(data);
  m.start = ov[0];
  m.end = ov[1];
  m.groups.clear();
  for (uint32_t g = 1; g <= captures; ++g) {
    if (g < static_cast<uint32_t>(rc) && ov[2 * g] != PCRE2_UNSET) {
      m.groups.emplace_back(std::make_pair(ov[2 * g], ov[2 * g + 1]));
    } else {
      m.groups.emplace_back(std::nullopt);
    }
  }
  if (owned != nullptr) pcre2_match_data_free(owned);
  return true;
}

}  // namespace sluice::engine::jsonata
