// See analysis.h. One recursive walk; `at_input` says whether the node is evaluated against the
// expression's input (true at the top, false inside path steps after the first, predicates,
// stages and lambda bodies, whose context is something else).
#include "engine/jsonata/analysis.h"

#include "engine/jsonata/ast.h"

namespace sluice::engine::jsonata {

namespace {

class Walker {
 public:
  explicit Walker(ExpressionFacts& facts) : facts_(facts) {}

  void walk(const Node* n, bool at_input) {
    if (n == nullptr) return;
    switch (n->type) {
      case NType::kName:
        if (at_input && facts_.top_level_name.empty()) facts_.top_level_name = n->str;
        break;
      case NType::kVariable:
        variable(*n, false);
        break;
      case NType::kPath:
        path(*n, at_input);
        side_parts(*n);
        return;
      case NType::kLambda:
        walk(n->body, false);
        return;
      default:
        break;
    }
    side_parts(*n);
    walk(n->lhs, at_input);
    walk(n->rhs, at_input);
    walk(n->third, at_input);
    walk(n->procedure, at_input);
    walk(n->body, false);
    for (const Node* c : n->items) walk(c, at_input);
    for (const auto& [k, v] : n->pairs) {
      walk(k, at_input);
      walk(v, at_input);
    }
    for (const SortTerm& t : n->terms) walk(t.expr, false);
  }

 private:
  // Predicates, stages and grouping run against the items the node produced.
  void side_parts(const Node& n) {
    for (const Node* p : n.predicate) walk(p, false);
    for (const Stage& s : n.stages) walk(s.expr, false);
    if (n.group != nullptr) {
      for (const auto& [k, v] : n.group->pairs) {
        walk(k, false);
        walk(v, false);
      }
    }
  }

  void variable(const Node& n, bool member_follows) {
    if (n.str == "$") {
      facts_.reads_input_root = true;
      return;
    }
    if (n.str.empty() || n.builtin != nullptr || n.may_be_local) return;
    facts_.variables.insert(n.str);
    if (n.str == "states" && !member_follows) facts_.states_whole = true;
  }

  void path(const Node& n, bool at_input) {
    if (n.items.empty()) return;
    const Node* head = n.items.front();
    if (head->type == NType::kVariable && head->str == "states" && n.items.size() > 1 &&
        n.items[1]->type == NType::kName) {
      variable(*head, true);
      facts_.states_members.insert(n.items[1]->str);
      side_parts(*head);
    } else {
      walk(head, at_input);
    }
    for (std::size_t i = 1; i < n.items.size(); ++i) walk(n.items[i], false);
  }

  ExpressionFacts& facts_;
};

}  // namespace

ExpressionFacts analyze(const Expression& expression) {
  ExpressionFacts facts;
  Walker(facts).walk(expression.program().root, true);
  return facts;
}

}  // namespace sluice::engine::jsonata
