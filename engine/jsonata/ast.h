// The compiled form of a JSONata expression: the tree the evaluator walks, after the post-parse
// pass has turned `.` chains into paths of steps, attached predicates, sort terms, group-by
// objects and focus/index bindings to their steps, resolved the parent operator `%` to ancestor
// slots, marked lambda tail calls, interned every variable name and resolved built-in function
// names. Nodes live in the Program's arena and are never mutated after compile(), so a Program is
// shared freely between threads.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/jsonata/signature.h"

namespace sluice::engine::jsonata {

class Regex;
struct Builtin;

constexpr uint32_t kNoVar = UINT32_MAX;

enum class NType : uint8_t {
  kPath,
  kBinary,  // op
  kAnd,
  kOr,
  kNegate,  // unary minus
  kArray,   // array constructor
  kObject,  // object constructor
  kName,    // a field name step
  kString,
  kNumber,
  kValue,       // true / false / null
  kWildcard,    // *
  kDescendant,  // **
  kParent,      // %
  kCondition,   // ? :
  kBlock,       // ( ...; ... )
  kBind,        // :=
  kRegex,
  kFunction,  // call
  kPartial,   // call with ? placeholders
  kLambda,
  kVariable,
  kApply,        // ~>
  kTransform,    // | pattern | update, delete |
  kSort,         // ^( ... ) step
  kPlaceholder,  // ? argument of a partial application
};

enum class BinOp : uint8_t {
  kAdd,
  kSub,
  kMul,
  kDiv,
  kMod,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kConcat,
  kRange,
  kIn
};

enum class Literal : uint8_t { kTrue, kFalse, kNull };

struct Node;

// An ancestor slot of the parent operator: the label is the variable the step that owns the
// ancestor binds (tuple streams carry it).
struct Slot {
  int label = 0;
  int level = 1;
  int index = 0;
  uint32_t var = kNoVar;  // interned "!<label>" once the pass is done
};

struct Stage {
  enum class Kind : uint8_t { kFilter, kIndex } kind;
  Node* expr = nullptr;   // kFilter
  uint32_t var = kNoVar;  // kIndex
  int position = 0;
};

struct GroupSpec {
  std::vector<std::pair<Node*, Node*>> pairs;
  int position = 0;
};

struct SortTerm {
  bool descending = false;
  Node* expr = nullptr;
};

struct Node {
  NType type;
  int position = 0;         // byte offset just past the token, as JSONata reports positions
  bool keep_array = false;  // `[]` on this step
  bool keep_singleton_array = false;  // path: some step had `[]`
  bool consarray = false;             // array constructor as the first or last step
  bool tuple = false;                 // step or path that takes part in a tuple stream
  bool thunk = false;                 // lambda wrapping a tail call

  // Predicates evaluated on the whole result of a non-step node, and stages evaluated per input
  // item of a path step.
  std::vector<Node*> predicate;
  std::vector<Stage> stages;
  GroupSpec* group = nullptr;
  uint32_t focus = kNoVar;      // @$v
  uint32_t index_var = kNoVar;  // #$i
  Slot* ancestor = nullptr;     // step that binds an ancestor for `%`

  BinOp op = BinOp::kAdd;
  Literal literal = Literal::kNull;
  double number = 0;
  std::string str;  // name, string literal, variable name, regex source

  Node* lhs = nullptr;    // binary, bind (value), apply, transform pattern, condition
  Node* rhs = nullptr;    // binary, apply, transform update, condition then
  Node* third = nullptr;  // condition else, transform delete
  Node* procedure = nullptr;
  std::vector<Node*> items;  // path steps, array items, block expressions, call arguments
  std::vector<std::pair<Node*, Node*>> pairs;  // object constructor
  std::vector<SortTerm> terms;
  Slot* slot = nullptr;  // parent operator

  // Lambda.
  std::vector<uint32_t> params;
  std::unique_ptr<Signature> signature;
  Node* body = nullptr;
  bool needs_frame = true;   // block: binds variables of its own
  bool simple_path = false;  // path: plain field names only (evaluated by a fast walk)

  // Variable: interned name, the built-in it names (if any) and whether anything in the
  // expression could bind the name (if not, lookups skip the frames).
  uint32_t var = kNoVar;
  const Builtin* builtin = nullptr;
  bool may_be_local = true;

  const Regex* regex = nullptr;
};

// Interned variable names: frames bind and look up by id.
class SymbolTable {
 public:
  uint32_t intern(const std::string& name);
  const std::string& name(uint32_t id) const { return names_[id]; }
  std::size_t size() const { return names_.size(); }

 private:
  std::unordered_map<std::string, uint32_t> ids_;
  std::vector<std::string> names_;
};

struct Program {
  std::deque<Node> nodes;
  std::deque<Slot> slots;
  std::deque<GroupSpec> groups;
  std::vector<std::unique_ptr<Regex>> regexes;
  SymbolTable symbols;
  Node* root = nullptr;
  // Ids every evaluation needs.
  uint32_t var_root = kNoVar;   // "$" ($$)
  uint32_t var_clone = kNoVar;  // "clone" (transforms call $clone)
  bool has_closures = false;    // a lambda or transform: something may capture a frame
  // Whether the top level binds with := outside any block (then the root frame takes them).
  Node* make(NType t, int position) {
    nodes.emplace_back();
    Node* n = &nodes.back();
    n->type = t;
    n->position = position;
    return n;
  }
  ~Program();
};

}  // namespace sluice::engine::jsonata
