// See lexer.h.
#include "engine/jsonata/lexer.h"

#include <cmath>
#include <cstdlib>
#include <cstring>

#include "engine/jsonata/error.h"
#include "engine/jsonata/utf8.h"

namespace sluice::engine::jsonata {

bool is_operator_char(char c) {
  switch (c) {
    case '.':
    case '[':
    case ']':
    case '{':
    case '}':
    case '(':
    case ')':
    case ',':
    case '@':
    case '#':
    case ';':
    case ':':
    case '?':
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
    case '|':
    case '=':
    case '<':
    case '>':
    case '^':
    case '&':
    case '!':
    case '~':
      return true;
    default:
      return false;
  }
}

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v';
}

[[noreturn]] void lex_error(const char* code, std::size_t position) {
  throw_error(code, static_cast<int64_t>(position));
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Token Lexer::make(TokType t, std::string value) const {
  Token tok;
  tok.type = t;
  tok.value = std::move(value);
  tok.position = static_cast<int>(pos_);
  return tok;
}

Token Lexer::scan_regex() {
  // pos_ is just past the opening '/'. Find the closing one: not escaped, not inside brackets.
  std::size_t start = pos_;
  int depth = 0;
  while (pos_ < src_.size()) {
    char c = src_[pos_];
    if (c == '/' && depth == 0) {
      std::size_t backslashes = 0;
      while (pos_ >= backslashes + 1 && src_[pos_ - backslashes - 1] == '\\') ++backslashes;
      if (backslashes % 2 == 0) {
        std::string pattern(src_.substr(start, pos_ - start));
        if (pattern.empty()) lex_error("S0301", pos_);
        ++pos_;
        std::size_t flags_start = pos_;
        while (at(pos_) == 'i' || at(pos_) == 'm') ++pos_;
        Token tok = make(TokType::kRegex, std::move(pattern));
        tok.flags = std::string(src_.substr(flags_start, pos_ - flags_start));
        return tok;
      }
    }
    bool escaped = pos_ > 0 && src_[pos_ - 1] == '\\';
    if ((c == '(' || c == '[' || c == '{') && !escaped) ++depth;
    if ((c == ')' || c == ']' || c == '}') && !escaped) --depth;
    ++pos_;
  }
  lex_error("S0302", pos_);
}

Token Lexer::scan_string(char quote) {
  ++pos_;
  std::string out;
  while (pos_ < src_.size()) {
    char c = src_[pos_];
    if (c == '\\') {
      ++pos_;
      c = at(pos_);
      switch (c) {
        case '"':
        case '\\':
        case '/':
          out.push_back(c);
          break;
        case 'b':
          out.push_back('\b');
          break;
        case 'f':
          out.push_back('\f');
          break;
        case 'n':
          out.push_back('\n');
          break;
        case 'r':
          out.push_back('\r');
          break;
        case 't':
          out.push_back('\t');
          break;
        case 'u': {
          // Four hex digits (JSONata accepts fewer at the very end of the text).
          uint32_t unit = 0;
          std::size_t n = 0;
          while (n < 4 && pos_ + 1 + n < src_.size() && hex_value(src_[pos_ + 1 + n]) >= 0) {
            unit = unit * 16 + static_cast<uint32_t>(hex_value(src_[pos_ + 1 + n]));
            ++n;
          }
          if (n == 0 || (n < 4 && pos_ + 1 + n < src_.size())) lex_error("S0104", pos_);
          pos_ += 4;
          // A surrogate pair written as two escapes is one character.
          if (unit >= 0xD800 && unit <= 0xDBFF && at(pos_ + 1) == '\\' && at(pos_ + 2) == 'u') {
            uint32_t low = 0;
            bool ok = true;
            for (std::size_t k = 0; k < 4; ++k) {
              int h = hex_value(at(pos_ + 3 + k));
              if (h < 0) {
                ok = false;
                break;
              }
              low = low * 16 + static_cast<uint32_t>(h);
            }
            if (ok && low >= 0xDC00 && low <= 0xDFFF) {
              append_utf8(out, 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00));
              pos_ += 6;
              break;
            }
          }
          append_utf8(out, unit);
          break;
        }
        default: {
          EvalError e;
          e.code = "S0103";
          e.position = static_cast<int64_t>(pos_);
          e.token = Val::string(std::string(1, c));
          throw e;
        }
      }
    } else if (c == quote) {
      ++pos_;
      return make(TokType::kString, std::move(out));
    } else {
      out.push_back(c);
    }
    ++pos_;
  }
  lex_error("S0101", pos_);
}

Token Lexer::next(bool infix) {
  for (;;) {
    while (pos_ < src_.size() && is_space(src_[pos_])) ++pos_;
    if (pos_ >= src_.size()) return make(TokType::kEnd, "");
    if (src_[pos_] == '/' && at(pos_ + 1) == '*') {
      std::size_t comment_start = pos_;
      pos_ += 2;
      while (!(at(pos_) == '*' && at(pos_ + 1) == '/')) {
        ++pos_;
        if (pos_ >= src_.size()) lex_error("S0106", comment_start);
      }
      pos_ += 2;
      continue;
    }
    break;
  }
  char c = src_[pos_];
  if (!infix && c == '/') {
    ++pos_;
    return scan_regex();
  }
  auto two = [&](char a, char b) { return c == a && at(pos_ + 1) == b; };
  static const char* const kTwoChar[] = {"..", ":=", "!=", ">=", "<=", "**", "~>"};
  for (const char* op : kTwoChar) {
    if (two(op[0], op[1])) {
      pos_ += 2;
      return make(TokType::kOperator, op);
    }
  }
  if (is_operator_char(c)) {
    ++pos_;
    return make(TokType::kOperator, std::string(1, c));
  }
  if (c == '"' || c == '\'') return scan_string(c);
  // Numbers: -?(0|[1-9][0-9]*)(\.[0-9]+)?([Ee][-+]?[0-9]+)? ('-' never gets here: it is an
  // operator).
  if (c >= '0' && c <= '9') {
    std::size_t p = pos_;
    if (src_[p] == '0') {
      ++p;
    } else {
      while (p < src_.size() && src_[p] >= '0' && src_[p] <= '9') ++p;
    }
    if (at(p) == '.' && at(p + 1) >= '0' && at(p + 1) <= '9') {
      p += 2;
      while (p < src_.size() && src_[p] >= '0' && src_[p] <= '9') ++p;
    }
    if (at(p) == 'e' || at(p) == 'E') {
      std::size_t q = p + 1;
      if (at(q) == '+' || at(q) == '-') ++q;
      if (at(q) >= '0' && at(q) <= '9') {
        while (q < src_.size() && src_[q] >= '0' && src_[q] <= '9') ++q;
        p = q;
      }
    }
    std::string text(src_.substr(pos_, p - pos_));
    double d = std::strtod(text.c_str(), nullptr);
    if (!std::isfinite(d)) {
      EvalError e;
      e.code = "S0102";
      e.position = static_cast<int64_t>(pos_);
      e.token = Val::string(text);
      throw e;
    }
    pos_ = p;
    Token tok = make(TokType::kNumber, std::move(text));
    tok.number = d;
    return tok;
  }
  if (c == '`') {
    ++pos_;
    std::size_t end = src_.find('`', pos_);
    if (end == std::string_view::npos) {
      pos_ = src_.size();
      lex_error("S0105", pos_);
    }
    std::string name(src_.substr(pos_, end - pos_));
    pos_ = end + 1;
    return make(TokType::kName, std::move(name));
  }
  std::size_t i = pos_;
  while (i < src_.size() && !is_space(src_[i]) && !is_operator_char(src_[i])) ++i;
  if (src_[pos_] == '$') {
    std::string name(src_.substr(pos_ + 1, i - pos_ - 1));
    pos_ = i;
    return make(TokType::kVariable, std::move(name));
  }
  std::string name(src_.substr(pos_, i - pos_));
  pos_ = i;
  if (name == "or" || name == "in" || name == "and") return make(TokType::kOperator, name);
  if (name == "true" || name == "false" || name == "null") {
    Token tok = make(TokType::kValue, name);
    tok.literal = name == "true"    ? Literal::kTrue
                  : name == "false" ? Literal::kFalse
                                    : Literal::kNull;
    return tok;
  }
  return make(TokType::kName, std::move(name));
}

}  // namespace sluice::engine::jsonata
