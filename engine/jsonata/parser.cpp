// The JSONata grammar as a Pratt (top-down operator precedence) parser, with JSONata's binding
// powers, its prefix (nud) and infix (led) forms per symbol, and its S02xx errors. It builds the
// raw tree of parse_tree.h; post_parse.cpp gives it meaning.
#include <string>

#include "engine/jsonata/error.h"
#include "engine/jsonata/parse_tree.h"

namespace sluice::engine::jsonata {

namespace {

// Left binding power of each symbol JSONata knows; -1 for an operator it does not.
int binding_power(const std::string& id) {
  static const std::pair<const char*, int> kTable[] = {
      {"(end)", 0}, {"(name)", 0}, {"(literal)", 0}, {"(regex)", 0}, {":", 0},   {";", 0},
      {",", 0},     {")", 0},      {"]", 0},         {"}", 0},       {"..", 0},  {".", 75},
      {"+", 50},    {"-", 50},     {"*", 60},        {"/", 60},      {"%", 60},  {"=", 40},
      {"<", 40},    {">", 40},     {"!=", 40},       {"<=", 40},     {">=", 40}, {"&", 50},
      {"and", 30},  {"or", 25},    {"in", 40},       {"~>", 40},     {"**", 0},  {"(", 80},
      {"[", 80},    {"^", 40},     {"{", 70},        {":=", 10},     {"@", 80},  {"#", 80},
      {"?", 20},    {"|", 0}};
  for (const auto& [name, bp] : kTable) {
    if (id == name) return bp;
  }
  return -1;
}

constexpr int kMaxNesting = 400;
// How deep the tree may grow: nestings plus the operators of left-deep chains (1+1+1..., a.b.c...),
// which the parser builds in a loop but every later pass over the tree walks recursively.
constexpr int kMaxTreeDepth = 1000;

class Parser {
 public:
  Parser(std::string_view src, ParseTree& tree) : src_(src), lexer_(src), tree_(tree) {}

  PNode* parse() {
    advance("", false);
    PNode* expr = expression(0);
    if (node_->id != "(end)") {
      fail("S0201", node_->position, token_of(*node_));
    }
    return expr;
  }

 private:
  PNode* make() {
    tree_.nodes.emplace_back();
    return &tree_.nodes.back();
  }

  static Val token_of(const PNode& n) {
    switch (n.type) {
      case PType::kNumber:
        return Val::number(n.number);
      case PType::kValue:
        return n.literal == Literal::kNull ? Val::null()
                                           : Val::boolean(n.literal == Literal::kTrue);
      default:
        return Val::string(n.value);
    }
  }

  // Parameters by const reference: see throw_value_error in error.h.
  [[noreturn]] void fail(const char* code, int position, const std::optional<Val>& token,
                         const std::optional<Val>& value = std::nullopt) {
    EvalError e;
    e.code = code;
    e.position = position;
    e.token = token;
    e.value = value;
    throw e;
  }

  PNode* advance(const std::string& id, bool infix) {
    if (!id.empty() && node_->id != id) {
      fail(node_->id == "(end)" ? "S0203" : "S0202", node_->position, token_of(*node_),
           Val::string(id));
    }
    Token t = lexer_.next(infix);
    PNode* n = make();
    n->position = t.position;
    switch (t.type) {
      case TokType::kEnd:
        n->type = PType::kEnd;
        n->id = "(end)";
        n->value = "(end)";
        n->position = static_cast<int>(src_.size());
        break;
      case TokType::kName:
        n->type = PType::kName;
        n->id = "(name)";
        n->value = std::move(t.value);
        break;
      case TokType::kVariable:
        n->type = PType::kVariable;
        n->id = "(name)";
        n->value = std::move(t.value);
        break;
      case TokType::kOperator:
        if (binding_power(t.value) < 0) fail("S0204", t.position, Val::string(t.value));
        n->type = PType::kOperator;
        n->id = t.value;
        n->value = std::move(t.value);
        break;
      case TokType::kString:
        n->type = PType::kString;
        n->id = "(literal)";
        n->value = std::move(t.value);
        break;
      case TokType::kNumber:
        n->type = PType::kNumber;
        n->id = "(literal)";
        n->value = std::move(t.value);
        n->number = t.number;
        break;
      case TokType::kValue:
        n->type = PType::kValue;
        n->id = "(literal)";
        n->value = std::move(t.value);
        n->literal = t.literal;
        break;
      case TokType::kRegex:
        n->type = PType::kRegex;
        n->id = "(regex)";
        n->value = std::move(t.value);
        n->flags = std::move(t.flags);
        break;
    }
    node_ = n;
    return n;
  }

  int lbp(const PNode* n) const { return std::max(0, binding_power(n->id)); }

  PNode* expression(int rbp) {
    if (++nesting_ > kMaxNesting || ++depth_ > kMaxTreeDepth) too_deep();
    PNode* t = node_;
    advance("", true);
    PNode* left = nud(t);
    int chained = 0;
    while (rbp < lbp(node_)) {
      if (++depth_ > kMaxTreeDepth) too_deep();
      ++chained;
      t = node_;
      advance("", false);
      left = led(t, left);
    }
    --nesting_;
    depth_ -= chained + 1;
    return left;
  }

  [[noreturn]] void too_deep() {
    EvalError e;
    e.code = "U1001";
    e.position = node_->position;
    e.message =
        "Stack overflow error: Check for non-terminating recursive function.  Consider "
        "rewriting as tail-recursive.";
    throw e;
  }

  PNode* nud(PNode* t) {
    const std::string& id = t->id;
    if (id == "(end)" || id == "(name)" || id == "(literal)" || id == "(regex)" || id == "and" ||
        id == "or" || id == "in") {
      return t;
    }
    if (id == "-") {
      t->expression = expression(70);
      t->type = PType::kUnary;
      return t;
    }
    if (id == "*") {
      t->type = PType::kWildcard;
      return t;
    }
    if (id == "**") {
      t->type = PType::kDescendant;
      return t;
    }
    if (id == "%") {
      t->type = PType::kParent;
      return t;
    }
    if (id == "(") {
      while (node_->id != ")") {
        t->items.push_back(expression(0));
        if (node_->id != ";") break;
        advance(";", false);
      }
      advance(")", true);
      t->type = PType::kBlock;
      return t;
    }
    if (id == "[") {
      if (node_->id != "]") {
        for (;;) {
          PNode* item = expression(0);
          if (node_->id == "..") {
            PNode* range = make();
            range->type = PType::kBinary;
            range->id = "..";
            range->value = "..";
            range->position = node_->position;
            range->lhs = item;
            advance("..", false);
            range->rhs = expression(0);
            item = range;
          }
          t->items.push_back(item);
          if (node_->id != ",") break;
          advance(",", false);
        }
      }
      advance("]", true);
      t->type = PType::kUnary;
      return t;
    }
    if (id == "{") return object(t, nullptr);
    if (id == "|") {
      t->type = PType::kTransform;
      t->pattern = expression(0);
      advance("|", false);
      t->update = expression(0);
      if (node_->id == ",") {
        advance(",", false);
        t->del = expression(0);
      }
      advance("|", false);
      return t;
    }
    fail("S0211", t->position, token_of(*t));
  }

  PNode* object(PNode* t, PNode* left) {
    if (node_->id != "}") {
      for (;;) {
        PNode* n = expression(0);
        advance(":", false);
        PNode* v = expression(0);
        t->pairs.emplace_back(n, v);
        if (node_->id != ",") break;
        advance(",", false);
      }
    }
    advance("}", true);
    if (left == nullptr) {
      t->type = PType::kUnary;
    } else {
      t->lhs = left;
      t->type = PType::kBinary;
    }
    return t;
  }

  PNode* led(PNode* t, PNode* left) {
    const std::string& id = t->id;
    if (id == "(") return call(t, left);
    if (id == "[") {
      if (node_->id == "]") {
        // An empty predicate keeps singleton arrays.
        PNode* step = left;
        while (step != nullptr && step->type == PType::kBinary && step->value == "[") {
          step = step->lhs;
        }
        step->keep_array = true;
        advance("]", false);
        return left;
      }
      t->lhs = left;
      t->rhs = expression(0);
      t->type = PType::kBinary;
      advance("]", true);
      return t;
    }
    if (id == "^") {
      advance("(", false);
      for (;;) {
        bool descending = false;
        if (node_->id == "<") {
          advance("<", false);
        } else if (node_->id == ">") {
          descending = true;
          advance(">", false);
        }
        t->terms.emplace_back(descending, expression(0));
        if (node_->id != ",") break;
        advance(",", false);
      }
      advance(")", false);
      t->lhs = left;
      t->type = PType::kBinary;
      return t;
    }
    if (id == "{") return object(t, left);
    if (id == ":=") {
      if (left->type != PType::kVariable) fail("S0212", left->position, token_of(*left));
      t->lhs = left;
      t->rhs = expression(9);
      t->type = PType::kBinary;
      return t;
    }
    if (id == "@" || id == "#") {
      t->lhs = left;
      t->rhs = expression(80);
      if (t->rhs->type != PType::kVariable) fail("S0214", t->rhs->position, Val::string(id));
      t->type = PType::kBinary;
      return t;
    }
    if (id == "?") {
      t->type = PType::kCondition;
      t->condition = left;
      t->then = expression(0);
      if (node_->id == ":") {
        advance(":", false);
        t->otherwise = expression(0);
      }
      return t;
    }
    // Plain left-associative infix operators.
    t->lhs = left;
    t->rhs = expression(binding_power(id));
    t->type = PType::kBinary;
    return t;
  }

  PNode* call(PNode* t, PNode* left) {
    t->procedure = left;
    t->type = PType::kFunction;
    if (node_->id != ")") {
      for (;;) {
        if (node_->type == PType::kOperator && node_->id == "?") {
          t->type = PType::kPartial;
          t->items.push_back(node_);
          advance("?", false);
        } else {
          t->items.push_back(expression(0));
        }
        if (node_->id != ",") break;
        advance(",", false);
      }
    }
    advance(")", true);
    if (left->type == PType::kName && (left->value == "function" || left->value == "\xCE\xBB")) {
      for (std::size_t i = 0; i < t->items.size(); ++i) {
        PNode* arg = t->items[i];
        if (arg->type != PType::kVariable) {
          fail("S0208", arg->position, token_of(*arg), Val::number(static_cast<double>(i + 1)));
        }
      }
      t->type = PType::kLambda;
      if (node_->id == "<") {
        int sig_pos = node_->position;
        int depth = 1;
        std::string sig = "<";
        while (depth > 0 && node_->id != "{" && node_->id != "(end)") {
          PNode* tok = advance("", false);
          if (tok->id == ">") {
            --depth;
          } else if (tok->id == "<") {
            ++depth;
          }
          sig += tok->value;
        }
        advance(">", false);
        try {
          t->signature = std::make_unique<Signature>(Signature::parse(sig));
        } catch (EvalError& e) {
          e.position = sig_pos + e.position;
          throw;
        }
      }
      advance("{", false);
      t->body = expression(0);
      advance("}", false);
    }
    return t;
  }

  std::string_view src_;
  Lexer lexer_;
  ParseTree& tree_;
  PNode* node_ = nullptr;
  int nesting_ = 0;
  int depth_ = 0;  // of the tree built so far on the way down (kMaxTreeDepth)
};

}  // namespace

void parse_tree(std::string_view text, ParseTree& tree) {
  Parser parser(text, tree);
  tree.root = parser.parse();
}

}  // namespace sluice::engine::jsonata
