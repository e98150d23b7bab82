// The raw parse tree the Pratt parser (parser.cpp) builds and the post-parse pass (post_parse.cpp)
// turns into the Program's nodes. Its shape is JSONata's: binary `.` and `[` chains, unary array
// and object constructors, function calls with their procedure expression.
#pragma once

#include <deque>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engine/jsonata/ast.h"
#include "engine/jsonata/lexer.h"

namespace sluice::engine::jsonata {

enum class PType : uint8_t {
  kEnd,
  kName,
  kVariable,
  kString,
  kNumber,
  kValue,
  kRegex,
  kOperator,  // `?` placeholder, or and/or/in used as names
  kBinary,
  kUnary,  // value "-", "[" or "{"
  kFunction,
  kPartial,
  kLambda,
  kCondition,
  kBlock,
  kTransform,
  kWildcard,
  kDescendant,
  kParent,
};

struct PNode {
  PType type = PType::kEnd;
  std::string id;     // the parser symbol: "(name)", "(literal)", "(regex)", "(end)" or an operator
  std::string value;  // operator / name / variable / string literal / regex pattern
  std::string flags;  // regex
  double number = 0;
  Literal literal = Literal::kNull;
  int position = 0;
  bool keep_array = false;

  PNode* lhs = nullptr;
  PNode* rhs = nullptr;
  PNode* expression = nullptr;                   // unary minus
  std::vector<PNode*> items;                     // array items, block expressions, call arguments
  std::vector<std::pair<PNode*, PNode*>> pairs;  // object constructor / group-by
  std::vector<std::pair<bool, PNode*>> terms;    // order-by: (descending, expression)
  PNode* procedure = nullptr;
  PNode* body = nullptr;
  std::unique_ptr<Signature> signature;
  PNode* condition = nullptr;
  PNode* then = nullptr;
  PNode* otherwise = nullptr;
  PNode* pattern = nullptr;
  PNode* update = nullptr;
  PNode* del = nullptr;
};

struct ParseTree {
  std::deque<PNode> nodes;
  PNode* root = nullptr;
};

// Parses text into a raw tree. Throws EvalError (S0xxx).
void parse_tree(std::string_view text, ParseTree& tree);

// Turns the raw tree into the program's nodes. Throws EvalError (S02xx).
Node* post_parse(PNode* root, Program& program);

}  // namespace sluice::engine::jsonata
