// The JSONata tokenizer. Token boundaries, escapes and the S01xx errors follow JSONata's
// tokenizer: names run until whitespace or an operator character, `/` starts a regular expression
// only where an operand is expected (the parser says which), and every token's position is the
// offset just past it.
#pragma once

#include <string>
#include <string_view>

#include "engine/jsonata/ast.h"

namespace sluice::engine::jsonata {

enum class TokType : uint8_t {
  kEnd,
  kName,
  kVariable,
  kString,
  kNumber,
  kValue,
  kRegex,
  kOperator
};

struct Token {
  TokType type = TokType::kEnd;
  std::string value;  // name, variable (without $), string, operator, regex pattern
  std::string flags;  // regex flags
  double number = 0;
  Literal literal = Literal::kNull;
  int position = 0;
};

class Lexer {
 public:
  explicit Lexer(std::string_view src) : src_(src) {}
  // The next token; kEnd at the end. `infix`: an operator is expected here, so `/` divides.
  // Throws EvalError (S0101..S0106, S0301, S0302).
  Token next(bool infix);

 private:
  char at(std::size_t i) const { return i < src_.size() ? src_[i] : '\0'; }
  Token make(TokType t, std::string value) const;
  Token scan_regex();
  Token scan_string(char quote);

  std::string_view src_;
  std::size_t pos_ = 0;
};

// Whether c stops a name (an operator character of JSONata's tokenizer).
bool is_operator_char(char c);

}  // namespace sluice::engine::jsonata
