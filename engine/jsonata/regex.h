// Regular expressions. JSONata's are JavaScript regular expressions (flags i and m; JSONata adds
// g). They run on PCRE2 (Debian's libpcre2-8, JIT-compiled): std::regex has no JIT, recurses per
// character (a long subject overflows the stack), has no match limit and is slow. A JavaScript
// pattern is translated where the two dialects differ: `.` excludes JavaScript's line terminators
// only, `\s` is JavaScript's Unicode white space, `[^]` and `[]` mean any / no character, `$`
// matches only at the very end without m, \uXXXX and \xXX are JavaScript escapes
// (PCRE2_ALT_BSUX), and a back reference to a group that did not take part matches the empty
// string. Known differences: lookbehind must have a bounded length, and case folding is
// Unicode's (JavaScript without the u flag folds with toUpperCase).
//
// A compiled Regex is immutable and shared between threads; matching uses per-thread scratch.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/result.h"

namespace sluice::engine::jsonata {

class Regex {
 public:
  struct Match {
    std::size_t start = 0;  // byte offsets
    std::size_t end = 0;
    // Capture groups 1..n: byte ranges, or nullopt for a group that did not take part.
    std::vector<std::optional<std::pair<std::size_t, std::size_t>>> groups;
  };

  static Result<Regex, std::string> compile(std::string_view pattern, std::string_view flags);

  Regex(Regex&& o) noexcept;
  Regex& operator=(Regex&&) = delete;
  Regex(const Regex&) = delete;
  ~Regex();

  // Finds the first match at or after byte offset `from`. Throws EvalError U1001 when the match
  // limit is exceeded (catastrophic backtracking).
  bool search(std::string_view subject, std::size_t from, Match& m) const;

  const std::string& source() const { return source_; }

 private:
  Regex() = default;
  std::string source_;
  void* code_ = nullptr;  // pcre2_code_8*
};

}  // namespace sluice::engine::jsonata
