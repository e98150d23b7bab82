// The post-parse pass: JSONata's semantic shaping of the raw tree (its "processAST"). `.` chains
// become paths of steps; predicates become stages of the step they follow (or predicates of a
// non-step expression); `^(...)` becomes a sort step; `{...}` after an expression becomes its
// group-by; `@$v` and `#$i` mark their step and turn the path into a tuple stream; the parent
// operator `%` is resolved to the step whose input it names (an ancestor slot); calls in tail
// position of a lambda body become thunks for the trampoline. Then variable names are interned,
// built-in names resolved, and blocks that bind nothing are marked as not needing a frame.
#include <unordered_map>
#include <unordered_set>

#include "engine/jsonata/error.h"
#include "engine/jsonata/functions.h"
#include "engine/jsonata/parse_tree.h"
#include "engine/jsonata/regex.h"

namespace sluice::engine::jsonata {

namespace {

// JSONata's name for a node type (the token of S0217).
const char* type_name(const Node* n) {
  switch (n->type) {
    case NType::kPath:
      return "path";
    case NType::kBinary:
    case NType::kAnd:
    case NType::kOr:
      return "binary";
    case NType::kNegate:
    case NType::kArray:
    case NType::kObject:
      return "unary";
    case NType::kName:
      return "name";
    case NType::kString:
      return "string";
    case NType::kNumber:
      return "number";
    case NType::kValue:
      return "value";
    case NType::kWildcard:
      return "wildcard";
    case NType::kDescendant:
      return "descendant";
    case NType::kParent:
      return "parent";
    case NType::kCondition:
      return "condition";
    case NType::kBlock:
      return "block";
    case NType::kBind:
      return "bind";
    case NType::kRegex:
      return "regex";
    case NType::kFunction:
      return "function";
    case NType::kPartial:
      return "partial";
    case NType::kLambda:
      return "lambda";
    case NType::kVariable:
      return "variable";
    case NType::kApply:
      return "apply";
    case NType::kTransform:
      return "transform";
    case NType::kSort:
      return "sort";
    case NType::kPlaceholder:
      return "operator";
  }
  return "unknown";
}

class PostParser {
 public:
  explicit PostParser(Program& p) : prog_(p) {}

  Node* run(PNode* root) {
    Node* expr = process(root);
    if (expr->type == NType::kParent || seeking_.count(expr) != 0) {
      // JSONata's processed path and parent nodes carry no position, so neither does its error.
      bool unplaced = expr->type == NType::kPath || expr->type == NType::kParent;
      fail("S0217", unplaced ? -1 : expr->position, Val::string(type_name(expr)));
    }
    for (Slot& s : prog_.slots) {
      std::string label = std::to_string(s.label);
      label.insert(label.begin(), '!');
      s.var = prog_.symbols.intern(label);
    }
    return expr;
  }

 private:
  // Parameters by const reference: see throw_value_error in error.h.
  [[noreturn]] static void fail(const char* code, int position, const std::optional<Val>& token,
                                const std::optional<Val>& value = std::nullopt) {
    EvalError e;
    e.code = code;
    e.position = position;
    e.token = token;
    e.value = value;
    throw e;
  }

  uint32_t intern(const std::string& name) { return prog_.symbols.intern(name); }

  Node* make_path(Node* first) {
    Node* p = prog_.make(NType::kPath, first->position);
    p->items.push_back(first);
    return p;
  }

  Slot* seek_parent(Node* node, Slot* slot) {
    switch (node->type) {
      case NType::kName:
      case NType::kWildcard:
        if (--slot->level == 0) {
          if (node->ancestor != nullptr) slot->label = node->ancestor->label;
          node->ancestor = slot;
          node->tuple = true;
        }
        break;
      case NType::kParent:
        ++slot->level;
        break;
      case NType::kBlock:
        if (!node->items.empty()) {
          node->tuple = true;
          slot = seek_parent(node->items.back(), slot);
        }
        break;
      case NType::kPath: {
        node->tuple = true;
        auto index = static_cast<int>(node->items.size()) - 1;
        slot = seek_parent(node->items[static_cast<std::size_t>(index--)], slot);
        while (slot->level > 0 && index >= 0) {
          slot = seek_parent(node->items[static_cast<std::size_t>(index--)], slot);
        }
        break;
      }
      default:
        fail("S0217", node->position, Val::string(type_name(node)));
    }
    return slot;
  }

  void push_ancestry(Node* result, Node* value) {
    auto it = seeking_.find(value);
    if (it == seeking_.end() && value->type != NType::kParent) return;
    std::vector<Slot*> slots;
    if (it != seeking_.end()) slots = it->second;
    if (value->type == NType::kParent) slots.push_back(value->slot);
    auto& target = seeking_[result];
    target.insert(target.end(), slots.begin(), slots.end());
  }

  void resolve_ancestry(Node* path) {
    Node* last = path->items.back();
    std::vector<Slot*> slots;
    auto it = seeking_.find(last);
    if (it != seeking_.end()) slots = it->second;
    if (last->type == NType::kParent) slots.push_back(last->slot);
    for (Slot* slot : slots) {
      auto index = static_cast<int>(path->items.size()) - 2;
      while (slot->level > 0) {
        if (index < 0) {
          seeking_[path].push_back(slot);
          break;
        }
        Node* step = path->items[static_cast<std::size_t>(index--)];
        // Contiguous steps that bind the focus count as one.
        while (index >= 0 && step->focus != kNoVar &&
               path->items[static_cast<std::size_t>(index)]->focus != kNoVar) {
          step = path->items[static_cast<std::size_t>(index--)];
        }
        slot = seek_parent(step, slot);
      }
    }
  }

  static Val literal_value(const Node* n) {
    if (n->type == NType::kNumber) return Val::number(n->number);
    return n->literal == Literal::kNull ? Val::null() : Val::boolean(n->literal == Literal::kTrue);
  }

  Node* process_dot(PNode* expr) {
    Node* lstep = process(expr->lhs);
    Node* result = lstep->type == NType::kPath ? lstep : make_path(lstep);
    if (lstep->type == NType::kParent) seeking_[result] = {lstep->slot};
    Node* rest = process(expr->rhs);
    if (rest->type == NType::kPath) {
      result->items.insert(result->items.end(), rest->items.begin(), rest->items.end());
    } else {
      if (!rest->predicate.empty()) {
        for (Node* p : rest->predicate) {
          rest->stages.push_back(Stage{Stage::Kind::kFilter, p, kNoVar, predicate_pos_[p]});
        }
        rest->predicate.clear();
      }
      result->items.push_back(rest);
    }
    for (Node* step : result->items) {
      if (step->type == NType::kNumber || step->type == NType::kValue) {
        fail("S0213", step->position, std::nullopt, literal_value(step));
      }
      if (step->type == NType::kString) step->type = NType::kName;
    }
    for (Node* step : result->items) {
      if (step->keep_array) result->keep_singleton_array = true;
    }
    Node* first = result->items.front();
    if (first->type == NType::kArray) first->consarray = true;
    Node* last = result->items.back();
    if (last->type == NType::kArray) last->consarray = true;
    resolve_ancestry(result);
    return result;
  }

  Node* process_binary(PNode* expr) {
    const std::string& op = expr->value;
    if (op == ".") return process_dot(expr);
    if (op == "[") {
      Node* result = process(expr->lhs);
      Node* step = result;
      bool stages = false;
      if (result->type == NType::kPath) {
        step = result->items.back();
        stages = true;
      }
      if (step->group != nullptr) fail("S0209", expr->position, std::nullopt);
      Node* predicate = process(expr->rhs);
      auto it = seeking_.find(predicate);
      if (it != seeking_.end()) {
        std::vector<Slot*> slots = it->second;
        for (Slot* slot : slots) {
          if (slot->level == 1) {
            seek_parent(step, slot);
          } else {
            --slot->level;
          }
        }
        push_ancestry(step, predicate);
      }
      if (stages) {
        step->stages.push_back(Stage{Stage::Kind::kFilter, predicate, kNoVar, expr->position});
      } else {
        step->predicate.push_back(predicate);
        predicate_pos_[predicate] = expr->position;
      }
      return result;
    }
    if (op == "{") {
      Node* result = process(expr->lhs);
      if (result->group != nullptr) fail("S0210", expr->position, std::nullopt);
      prog_.groups.emplace_back();
      GroupSpec* g = &prog_.groups.back();
      g->position = expr->position;
      for (auto& [k, v] : expr->pairs) {
        Node* key = process(k);
        Node* value = process(v);
        g->pairs.emplace_back(key, value);
      }
      result->group = g;
      return result;
    }
    if (op == "^") {
      Node* result = process(expr->lhs);
      if (result->type != NType::kPath) result = make_path(result);
      Node* sort = prog_.make(NType::kSort, expr->position);
      for (auto& [descending, term] : expr->terms) {
        Node* e = process(term);
        push_ancestry(sort, e);
        sort->terms.push_back(SortTerm{descending, e});
      }
      result->items.push_back(sort);
      resolve_ancestry(result);
      return result;
    }
    if (op == ":=") {
      Node* result = prog_.make(NType::kBind, expr->position);
      Node* var = process(expr->lhs);
      result->var = var->var;
      result->str = var->str;
      result->rhs = process(expr->rhs);
      push_ancestry(result, result->rhs);
      return result;
    }
    if (op == "@") {
      Node* result = process(expr->lhs);
      Node* step = result->type == NType::kPath ? result->items.back() : result;
      if (!step->stages.empty() || !step->predicate.empty()) fail("S0215", expr->position, {});
      if (step->type == NType::kSort) fail("S0216", expr->position, {});
      if (expr->keep_array) step->keep_array = true;
      step->focus = intern(expr->rhs->value);
      step->tuple = true;
      return result;
    }
    if (op == "#") {
      Node* result = process(expr->lhs);
      Node* step = result;
      if (result->type == NType::kPath) {
        step = result->items.back();
      } else {
        result = make_path(result);
        if (!step->predicate.empty()) {
          for (Node* p : step->predicate) {
            step->stages.push_back(Stage{Stage::Kind::kFilter, p, kNoVar, predicate_pos_[p]});
          }
          step->predicate.clear();
        }
      }
      uint32_t var = intern(expr->rhs->value);
      if (step->stages.empty()) {
        step->index_var = var;
      } else {
        step->stages.push_back(Stage{Stage::Kind::kIndex, nullptr, var, expr->position});
      }
      step->tuple = true;
      return result;
    }
    if (op == "~>") {
      Node* result = prog_.make(NType::kApply, expr->position);
      result->lhs = process(expr->lhs);
      result->rhs = process(expr->rhs);
      result->keep_array = result->lhs->keep_array || result->rhs->keep_array;
      return result;
    }
    NType type = NType::kBinary;
    BinOp bop = BinOp::kAdd;
    if (op == "and") {
      type = NType::kAnd;
    } else if (op == "or") {
      type = NType::kOr;
    } else {
      static const std::pair<const char*, BinOp> kOps[] = {
          {"+", BinOp::kAdd},    {"-", BinOp::kSub}, {"*", BinOp::kMul}, {"/", BinOp::kDiv},
          {"%", BinOp::kMod},    {"=", BinOp::kEq},  {"!=", BinOp::kNe}, {"<", BinOp::kLt},
          {"<=", BinOp::kLe},    {">", BinOp::kGt},  {">=", BinOp::kGe}, {"&", BinOp::kConcat},
          {"..", BinOp::kRange}, {"in", BinOp::kIn}};
      bool found = false;
      for (const auto& [text, o] : kOps) {
        if (op == text) {
          bop = o;
          found = true;
        }
      }
      if (!found) fail("S0201", expr->position, Val::string(op));
    }
    Node* result = prog_.make(type, expr->position);
    result->op = bop;
    result->str = op;
    result->lhs = process(expr->lhs);
    result->rhs = process(expr->rhs);
    push_ancestry(result, result->lhs);
    push_ancestry(result, result->rhs);
    return result;
  }

  Node* tail_call_optimize(Node* expr) {
    if (expr->type == NType::kFunction && expr->predicate.empty()) {
      Node* thunk = prog_.make(NType::kLambda, expr->position);
      thunk->thunk = true;
      thunk->body = expr;
      return thunk;
    }
    if (expr->type == NType::kCondition) {
      expr->rhs = tail_call_optimize(expr->rhs);
      if (expr->third != nullptr) expr->third = tail_call_optimize(expr->third);
      return expr;
    }
    if (expr->type == NType::kBlock && !expr->items.empty()) {
      expr->items.back() = tail_call_optimize(expr->items.back());
    }
    return expr;
  }

  Node* process(PNode* expr) {
    Node* result = nullptr;
    switch (expr->type) {
      case PType::kBinary:
        result = process_binary(expr);
        break;
      case PType::kUnary:
        if (expr->value == "[") {
          result = prog_.make(NType::kArray, expr->position);
          for (PNode* item : expr->items) {
            Node* v = process(item);
            push_ancestry(result, v);
            result->items.push_back(v);
          }
        } else if (expr->value == "{") {
          result = prog_.make(NType::kObject, expr->position);
          for (auto& [k, v] : expr->pairs) {
            Node* key = process(k);
            push_ancestry(result, key);
            Node* value = process(v);
            push_ancestry(result, value);
            result->pairs.emplace_back(key, value);
          }
        } else {
          Node* operand = process(expr->expression);
          if (operand->type == NType::kNumber) {
            operand->number = -operand->number;
            result = operand;
          } else {
            result = prog_.make(NType::kNegate, expr->position);
            result->lhs = operand;
            push_ancestry(result, operand);
          }
        }
        break;
      case PType::kFunction:
      case PType::kPartial:
        result = prog_.make(expr->type == PType::kFunction ? NType::kFunction : NType::kPartial,
                            expr->position);
        for (PNode* arg : expr->items) {
          Node* a = process(arg);
          push_ancestry(result, a);
          result->items.push_back(a);
        }
        result->procedure = process(expr->procedure);
        break;
      case PType::kLambda:
        result = prog_.make(NType::kLambda, expr->position);
        for (PNode* arg : expr->items) result->params.push_back(intern(arg->value));
        result->signature = std::move(expr->signature);
        result->body = tail_call_optimize(process(expr->body));
        break;
      case PType::kCondition:
        result = prog_.make(NType::kCondition, expr->position);
        result->lhs = process(expr->condition);
        push_ancestry(result, result->lhs);
        result->rhs = process(expr->then);
        push_ancestry(result, result->rhs);
        if (expr->otherwise != nullptr) {
          result->third = process(expr->otherwise);
          push_ancestry(result, result->third);
        }
        break;
      case PType::kTransform:
        result = prog_.make(NType::kTransform, expr->position);
        result->lhs = process(expr->pattern);
        result->rhs = process(expr->update);
        if (expr->del != nullptr) result->third = process(expr->del);
        break;
      case PType::kBlock:
        result = prog_.make(NType::kBlock, expr->position);
        for (PNode* item : expr->items) {
          Node* part = process(item);
          push_ancestry(result, part);
          if (part->consarray || (part->type == NType::kPath && part->items[0]->consarray)) {
            result->consarray = true;
          }
          result->items.push_back(part);
        }
        break;
      case PType::kName: {
        Node* name = prog_.make(NType::kName, expr->position);
        name->str = expr->value;
        name->keep_array = expr->keep_array;
        result = make_path(name);
        if (expr->keep_array) result->keep_singleton_array = true;
        break;
      }
      case PType::kParent: {
        result = prog_.make(NType::kParent, expr->position);
        prog_.slots.emplace_back();
        Slot* slot = &prog_.slots.back();
        slot->label = ancestor_label_++;
        slot->level = 1;
        slot->index = ancestor_index_++;
        result->slot = slot;
        break;
      }
      case PType::kString:
        result = prog_.make(NType::kString, expr->position);
        result->str = expr->value;
        break;
      case PType::kNumber:
        result = prog_.make(NType::kNumber, expr->position);
        result->number = expr->number;
        break;
      case PType::kValue:
        result = prog_.make(NType::kValue, expr->position);
        result->literal = expr->literal;
        break;
      case PType::kWildcard:
        result = prog_.make(NType::kWildcard, expr->position);
        break;
      case PType::kDescendant:
        result = prog_.make(NType::kDescendant, expr->position);
        break;
      case PType::kVariable:
        result = prog_.make(NType::kVariable, expr->position);
        result->str = expr->value;
        result->var = intern(expr->value);
        break;
      case PType::kRegex: {
        result = prog_.make(NType::kRegex, expr->position);
        result->str = expr->value;
        auto compiled = Regex::compile(expr->value, expr->flags);
        if (!compiled.ok()) {
          EvalError e;
          e.code = "S0303";
          e.position = expr->position;
          e.message = compiled.error();
          throw e;
        }
        prog_.regexes.push_back(std::make_unique<Regex>(std::move(compiled).value()));
        result->regex = prog_.regexes.back().get();
        break;
      }
      case PType::kOperator:
        if (expr->value == "and" || expr->value == "or" || expr->value == "in") {
          Node* name = prog_.make(NType::kName, expr->position);
          name->str = expr->value;
          name->keep_array = expr->keep_array;
          result = make_path(name);
          if (expr->keep_array) result->keep_singleton_array = true;
        } else if (expr->value == "?") {
          result = prog_.make(NType::kPlaceholder, expr->position);
        } else {
          fail("S0201", expr->position, Val::string(expr->value));
        }
        break;
      case PType::kEnd:
        fail("S0207", expr->position, Val::string("(end)"));
    }
    if (expr->keep_array) result->keep_array = true;
    return result;
  }

  Program& prog_;
  int ancestor_label_ = 0;
  int ancestor_index_ = 0;
  std::unordered_map<Node*, std::vector<Slot*>> seeking_;
  std::unordered_map<Node*, int> predicate_pos_;
};

// Marks variables no frame can bind, resolves built-in names and finds the blocks that bind.
class Resolver {
 public:
  explicit Resolver(Program& p) : prog_(p) {}

  void run(Node* root) {
    collect(root);
    resolve(root, nullptr);
  }

 private:
  void collect(Node* n) {
    if (n == nullptr || !seen_.insert(n).second) return;
    if (n->type == NType::kBind) bound_.insert(n->var);
    if (n->type == NType::kLambda || n->type == NType::kTransform) prog_.has_closures = true;
    for (uint32_t p : n->params) bound_.insert(p);
    if (n->focus != kNoVar) bound_.insert(n->focus);
    if (n->index_var != kNoVar) bound_.insert(n->index_var);
    for (const Stage& s : n->stages) {
      if (s.kind == Stage::Kind::kIndex) bound_.insert(s.var);
      collect(s.expr);
    }
    for_children(n, [&](Node* c) { collect(c); });
  }

  void resolve(Node* n, Node* block) {
    if (n == nullptr || !resolved_.insert(n).second) return;
    switch (n->type) {
      case NType::kVariable:
        n->may_be_local = bound_.count(n->var) != 0;
        n->builtin = find_builtin(n->str);
        break;
      case NType::kBind:
        if (block != nullptr) block->needs_frame = true;
        break;
      case NType::kBlock:
        n->needs_frame = false;
        for (Node* c : n->items) resolve(c, n);
        // Predicates, stages and group-by of the block itself run in the enclosing frame.
        for (Node* p : n->predicate) resolve(p, block);
        for (const Stage& s : n->stages) resolve(s.expr, block);
        if (n->group != nullptr) {
          for (auto& [k, v] : n->group->pairs) {
            resolve(k, block);
            resolve(v, block);
          }
        }
        return;
      case NType::kLambda:
        // The body runs in the call's own frame.
        resolve(n->body, nullptr);
        return;
      case NType::kPath:
        n->simple_path = is_simple_path(n);
        break;
      default:
        break;
    }
    for (const Stage& s : n->stages) resolve(s.expr, block);
    for_children(n, [&](Node* c) { resolve(c, block); });
  }

  static bool plain_step(const Node* s) {
    return s->stages.empty() && s->predicate.empty() && s->group == nullptr && s->focus == kNoVar &&
           s->index_var == kNoVar && s->ancestor == nullptr && !s->tuple && !s->keep_array &&
           !s->consarray;
  }

  static bool is_simple_path(const Node* n) {
    if (n->keep_singleton_array || n->group != nullptr || n->tuple || n->items.empty()) {
      return false;
    }
    for (std::size_t i = 0; i < n->items.size(); ++i) {
      const Node* s = n->items[i];
      bool kind_ok = s->type == NType::kName || (i == 0 && s->type == NType::kVariable);
      if (!kind_ok || !plain_step(s)) return false;
    }
    return true;
  }

  template <class F>
  static void for_children(Node* n, F&& f) {
    for (Node* p : n->predicate) f(p);
    if (n->group != nullptr) {
      for (auto& [k, v] : n->group->pairs) {
        f(k);
        f(v);
      }
    }
    if (n->lhs != nullptr) f(n->lhs);
    if (n->rhs != nullptr) f(n->rhs);
    if (n->third != nullptr) f(n->third);
    if (n->procedure != nullptr) f(n->procedure);
    for (Node* c : n->items) f(c);
    for (auto& [k, v] : n->pairs) {
      f(k);
      f(v);
    }
    for (SortTerm& t : n->terms) f(t.expr);
    if (n->body != nullptr) f(n->body);
  }

  Program& prog_;
  std::unordered_set<uint32_t> bound_;
  std::unordered_set<Node*> seen_;
  std::unordered_set<Node*> resolved_;
};

}  // namespace

Node* post_parse(PNode* root, Program& program) {
  PostParser pp(program);
  Node* expr = pp.run(root);
  program.var_root = program.symbols.intern("$");
  program.var_clone = program.symbols.intern("clone");
  Resolver(program).run(expr);
  return expr;
}

uint32_t SymbolTable::intern(const std::string& name) {
  auto it = ids_.find(name);
  if (it != ids_.end()) return it->second;
  auto id = static_cast<uint32_t>(names_.size());
  names_.push_back(name);
  ids_.emplace(name, id);
  return id;
}

Program::~Program() = default;

}  // namespace sluice::engine::jsonata
