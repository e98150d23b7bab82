// Val: a JSONata value during evaluation. JSONata values are JavaScript values: undefined, null,
// booleans, numbers (doubles), strings, arrays (with the sequence flags JSONata hangs on them),
// objects and functions. A Val either borrows from the caller's json::Value tree (the input and
// the bindings, which outlive the evaluation) or owns a reference-counted heap node built during
// the evaluation. Borrowing is what lets `$states.input.a.b` run without copying the input.
//
// Reference counts are not atomic: a Val never leaves the thread that evaluates; results cross
// back to the caller as json::Value. Destroying a node never recurses (see release()), so a deep
// structure built by a tail-recursive lambda cannot overflow the C++ stack when it dies.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/json/json_value.h"

namespace sluice::engine::jsonata {

// Memory accounting. An evaluation may build values without bound from a few characters of
// expression (`$a & $a` doubles a string, a path step flattens a big array once per input item),
// and the time limit alone does not stop that before the process runs out of memory: so the
// nodes, strings, arrays and object members an evaluation builds are charged to its budget
// (Limits::max_memory_bytes) while they live, and a charge beyond it fails the evaluation with
// U1001. The count is approximate (container slots and node sizes, not the allocator's
// overhead); it only has to be proportional to what is really held.
struct MemoryBudget {
  std::size_t used = 0;
  std::size_t limit = 0;  // 0: no limit
};
// The budget of the evaluation running on this thread (the Evaluator installs it); nullptr
// outside evaluations, where nothing is charged.
inline MemoryBudget*& current_budget() {
  thread_local MemoryBudget* budget = nullptr;
  return budget;
}
// U1001 "Out of memory", whatever the budget (also for a size no process could hold).
[[noreturn]] void fail_out_of_memory();
// U1001 if bytes more would not fit the current budget (for a string about to be built).
inline void ensure_memory(std::size_t bytes) {
  MemoryBudget* b = current_budget();
  if (b != nullptr && b->limit != 0 && (b->used > b->limit || bytes > b->limit - b->used)) {
    fail_out_of_memory();
  }
}
// Charges bytes to the current budget; U1001 (an EvalError) beyond its limit, charging nothing.
// Inline: every node an evaluation builds passes here.
inline void charge_memory(std::size_t bytes) {
  ensure_memory(bytes);
  if (MemoryBudget* b = current_budget()) b->used += bytes;
}
inline void refund_memory(std::size_t bytes) noexcept {
  if (MemoryBudget* b = current_budget()) b->used = bytes < b->used ? b->used - bytes : 0;
}

// An allocator that charges what it allocates to the current budget: the arrays and object
// member lists of owned values grow through it, wherever they are filled.
template <class T>
struct Counted {
  using value_type = T;
  Counted() = default;
  template <class U>
  Counted(const Counted<U>&) noexcept {}
  T* allocate(std::size_t n) {
    charge_memory(n * sizeof(T));
    try {
      return std::allocator<T>().allocate(n);
    } catch (...) {
      refund_memory(n * sizeof(T));
      throw;
    }
  }
  void deallocate(T* p, std::size_t n) noexcept {
    refund_memory(n * sizeof(T));
    std::allocator<T>().deallocate(p, n);
  }
  friend bool operator==(const Counted&, const Counted&) { return true; }
};

class Val;
using ValVector = std::vector<Val, Counted<Val>>;
using Members = std::vector<std::pair<std::string, Val>, Counted<std::pair<std::string, Val>>>;

struct HeapNode;
struct StrNode;
struct ArrNode;
struct ObjNode;
struct FnNode;
struct TupleNode;

// What JSONata (and $type) sees.
enum class Kind : uint8_t {
  kUndefined,
  kNull,
  kBool,
  kNumber,
  kString,
  kArray,
  kObject,
  kFunction,
  kTuple  // internal: one binding tuple of a tuple stream (focus/index/parent operators)
};

class Val {
 public:
  // How the value is held: immediate, borrowed from a json::Value, or an owned heap node.
  enum class Rep : uint8_t {
    kUndefined,
    kNull,
    kBool,
    kNumber,
    kJsonString,  // const std::string* (input, bindings or a literal in the compiled AST)
    kJsonArray,   // const json::Array*
    kJsonObject,  // const json::Object*
    // Owned from here on (owned() relies on the order).
    kString,    // StrNode*
    kArray,     // ArrNode*
    kObject,    // ObjNode*
    kFunction,  // FnNode*
    kTuple      // TupleNode*
  };

  Val() = default;
  Val(const Val& o) : rep_(o.rep_), u_(o.u_) { retain(); }
  Val(Val&& o) noexcept : rep_(o.rep_), u_(o.u_) { o.rep_ = Rep::kUndefined; }
  Val& operator=(const Val& o) {
    if (this != &o) {
      Val tmp(o);
      swap(tmp);
    }
    return *this;
  }
  Val& operator=(Val&& o) noexcept {
    if (this != &o) {
      Val tmp(std::move(o));
      swap(tmp);
    }
    return *this;
  }
  ~Val() { release(); }

  void swap(Val& o) noexcept {
    std::swap(rep_, o.rep_);
    std::swap(u_, o.u_);
  }

  static Val null() {
    Val v;
    v.rep_ = Rep::kNull;
    return v;
  }
  static Val boolean(bool b) {
    Val v;
    v.rep_ = Rep::kBool;
    v.u_.b = b;
    return v;
  }
  static Val number(double d) {
    Val v;
    v.rep_ = Rep::kNumber;
    v.u_.d = d;
    return v;
  }
  // Borrows s: it must outlive the evaluation.
  static Val borrowed_string(const std::string* s) {
    Val v;
    v.rep_ = Rep::kJsonString;
    v.u_.js = s;
    return v;
  }
  static Val string(std::string s);
  static Val string(std::string_view s) { return string(std::string(s)); }
  static Val string(const char* s) { return string(std::string(s)); }
  // A view of a json::Value: scalars are copied, strings/arrays/objects are borrowed.
  static Val from_json(const json::Value& j);
  // Takes ownership of a freshly allocated node (refcount 1).
  static Val adopt_array(ArrNode* n) { return adopt(Rep::kArray, n); }
  static Val adopt_object(ObjNode* n) { return adopt(Rep::kObject, n); }
  static Val adopt_function(FnNode* n) { return adopt(Rep::kFunction, n); }
  static Val adopt_tuple(TupleNode* n) { return adopt(Rep::kTuple, n); }

  Rep rep() const { return rep_; }
  Kind kind() const {
    switch (rep_) {
      case Rep::kUndefined:
        return Kind::kUndefined;
      case Rep::kNull:
        return Kind::kNull;
      case Rep::kBool:
        return Kind::kBool;
      case Rep::kNumber:
        return Kind::kNumber;
      case Rep::kJsonString:
      case Rep::kString:
        return Kind::kString;
      case Rep::kJsonArray:
      case Rep::kArray:
        return Kind::kArray;
      case Rep::kJsonObject:
      case Rep::kObject:
        return Kind::kObject;
      case Rep::kFunction:
        return Kind::kFunction;
      case Rep::kTuple:
        return Kind::kTuple;
    }
    return Kind::kUndefined;
  }
  bool is_undefined() const { return rep_ == Rep::kUndefined; }
  bool is_defined() const { return rep_ != Rep::kUndefined; }
  bool is_null() const { return rep_ == Rep::kNull; }
  bool is_bool() const { return rep_ == Rep::kBool; }
  bool is_number() const { return rep_ == Rep::kNumber; }
  bool is_string() const { return rep_ == Rep::kJsonString || rep_ == Rep::kString; }
  bool is_array() const { return rep_ == Rep::kJsonArray || rep_ == Rep::kArray; }
  bool is_object() const { return rep_ == Rep::kJsonObject || rep_ == Rep::kObject; }
  bool is_function() const { return rep_ == Rep::kFunction; }
  bool is_tuple() const { return rep_ == Rep::kTuple; }
  // An owned array (the only kind that carries sequence flags).
  bool is_owned_array() const { return rep_ == Rep::kArray; }

  bool as_bool() const { return u_.b; }
  double as_number() const { return u_.d; }
  const std::string& str() const;
  std::string_view sv() const { return str(); }

  // Arrays, borrowed or owned.
  std::size_t size() const;
  Val at(std::size_t i) const;
  ArrNode* arr() const { return u_.a; }
  const json::Array* jarr() const { return u_.ja; }

  // Objects, borrowed or owned. get() returns undefined when the key is missing.
  Val get(std::string_view key) const;
  std::size_t object_size() const;
  const json::Object* jobj() const { return u_.jo; }
  ObjNode* obj() const { return u_.o; }

  FnNode* fn() const { return u_.f; }
  TupleNode* tuple() const { return u_.t; }

  // Sequence flags (false for anything but an owned array).
  bool is_sequence() const;
  bool keep_singleton() const;
  bool is_cons() const;
  bool outer_wrapper() const;
  bool tuple_stream() const;

  // Same underlying object (JavaScript ===) for arrays, objects and functions; value equality for
  // scalars. Used by the `in` operator.
  bool strict_equals(const Val& o) const;

 private:
  static Val adopt(Rep r, void* n) {
    Val v;
    v.rep_ = r;
    v.u_.p = n;
    return v;
  }
  bool owned() const { return rep_ >= Rep::kString; }
  void retain() const;
  void release();

  Rep rep_ = Rep::kUndefined;
  union U {
    bool b;
    double d;
    const std::string* js;
    StrNode* s;
    const json::Array* ja;
    ArrNode* a;
    const json::Object* jo;
    ObjNode* o;
    FnNode* f;
    TupleNode* t;
    HeapNode* h;
    void* p;
  } u_{};
};

enum class NodeType : uint8_t { kString, kArray, kObject, kFunction, kTuple, kEnv };

struct HeapNode {
  uint32_t refs = 1;
  NodeType type;
  explicit HeapNode(NodeType t) : type(t) {}
};

// The string's own bytes are charged by Val::string (and refunded when the node is freed).
struct StrNode : HeapNode {
  std::string s;
  explicit StrNode(std::string v) : HeapNode(NodeType::kString), s(std::move(v)) {}
};

// An owned array. `sequence` marks a JSONata result sequence (flattened and unwrapped when it
// holds one item); `keep_singleton` stops that unwrapping (the `[]` operator); `cons` marks an
// array built by an array constructor, which path steps do not flatten; `outer_wrapper` marks the
// singleton sequence that wraps an input array; `tuple_stream` holds TupleNode items.
struct ArrNode : HeapNode {
  ValVector items;
  bool sequence = false;
  bool keep_singleton = false;
  bool cons = false;
  bool outer_wrapper = false;
  bool tuple_stream = false;
  ArrNode() : HeapNode(NodeType::kArray) {}
};

// An owned object: members in insertion order (JavaScript keeps string keys so for the keys
// JSONata produces, apart from integer-like keys, which JavaScript sorts first: see README).
// Lookup is linear until the object grows, then an index is built.
struct ObjNode : HeapNode {
  Members members;
  ObjNode() : HeapNode(NodeType::kObject) {}
  ~ObjNode();
  Val* find(std::string_view key);
  // Sets key (replacing its value in place, or appending).
  void set(std::string_view key, Val v);
  // Appends a member whose key is not there yet (charging a long key's bytes).
  void append(std::string key, Val v);
  bool erase(std::string_view key);

 private:
  struct Index;
  Index* index_ = nullptr;
  std::size_t key_bytes_ = 0;  // charged for keys too long to live inside std::string
  void reindex();
};

struct TupleNode : HeapNode {
  Val focus;  // '@'
  std::vector<std::pair<uint32_t, Val>> binds;
  TupleNode() : HeapNode(NodeType::kTuple) { charge_memory(sizeof(TupleNode)); }
  ~TupleNode() { refund_memory(sizeof(TupleNode)); }
  const Val* find(uint32_t id) const {
    for (const auto& b : binds) {
      if (b.first == id) return &b.second;
    }
    return nullptr;
  }
  void set(uint32_t id, Val v) {
    for (auto& b : binds) {
      if (b.first == id) {
        b.second = std::move(v);
        return;
      }
    }
    binds.emplace_back(id, std::move(v));
  }
};

struct Node;
struct Builtin;
class Signature;
class Regex;

// A frame of variable bindings: a block, a lambda call, a tuple of the focus/index operators.
// Frames are reference counted because closures capture them.
struct Env : HeapNode {
  Env* parent = nullptr;  // retained
  std::vector<std::pair<uint32_t, Val>> vars;
  explicit Env(Env* p) : HeapNode(NodeType::kEnv), parent(p) {
    if (p != nullptr) ++p->refs;
  }
  const Val* find(uint32_t id) const {
    for (const Env* e = this; e != nullptr; e = e->parent) {
      for (const auto& v : e->vars) {
        if (v.first == id) return &v.second;
      }
    }
    return nullptr;
  }
  void bind(uint32_t id, Val v) {
    for (auto& b : vars) {
      if (b.first == id) {
        b.second = std::move(v);
        return;
      }
    }
    vars.emplace_back(id, std::move(v));
  }
};

enum class FnKind : uint8_t {
  kLambda,          // node (the lambda), env, input, params (fewer after partial application)
  kBuiltin,         // builtin
  kPartialBuiltin,  // builtin, args with holes (the `?` placeholders)
  kRegex,           // regex: a regular expression literal is a matcher function
  kRegexNext,       // regex, args[0] = subject, from: the `next` of a match result
  kTransform,       // node (the | ... | expression), env
  kChain,           // args[0] then args[1]: the function `f ~> g`
  kThunk            // node (a call in tail position), env, input: taken by the trampoline
};

struct FnNode : HeapNode {
  FnKind kind;
  const Node* node = nullptr;
  Env* env = nullptr;  // retained
  Val input;
  const Builtin* builtin = nullptr;
  const Signature* signature = nullptr;
  const Regex* regex = nullptr;
  std::vector<Val> args;
  std::vector<uint32_t> params;
  std::vector<bool> holes;
  std::size_t from = 0;
  explicit FnNode(FnKind k) : HeapNode(NodeType::kFunction), kind(k) {
    charge_memory(sizeof(FnNode));
  }
  ~FnNode() { refund_memory(sizeof(FnNode)); }
  void set_env(Env* e) {
    if (e != nullptr) ++e->refs;
    env = e;
  }
};

// An owning pointer to a frame.
class EnvRef {
 public:
  EnvRef() = default;
  explicit EnvRef(Env* adopted) : p_(adopted) {}
  EnvRef(const EnvRef& o) : p_(o.p_) {
    if (p_ != nullptr) ++p_->refs;
  }
  EnvRef& operator=(const EnvRef& o) {
    EnvRef tmp(o);
    std::swap(p_, tmp.p_);
    return *this;
  }
  ~EnvRef();
  Env* get() const { return p_; }
  Env* operator->() const { return p_; }

 private:
  Env* p_ = nullptr;
};

// Helpers to build owned values. Arrays and frames come from per-thread free lists: a path step
// builds and drops a sequence per item, and the allocator would otherwise dominate.
Env* new_env(Env* parent);
ArrNode* new_array();
ArrNode* new_sequence();
inline Val make_sequence() {
  return Val::adopt_array(new_sequence());
}
Val make_sequence(Val single);
ObjNode* new_object();

// Frees a node whose count reached zero. Children are released through a worklist, not by
// recursion.
void destroy_node(HeapNode* n);

inline EnvRef::~EnvRef() {
  if (p_ != nullptr && --p_->refs == 0) destroy_node(p_);
}

inline void Val::retain() const {
  if (owned()) ++u_.h->refs;
}
inline void Val::release() {
  if (owned()) {
    if (--u_.h->refs == 0) destroy_node(u_.h);
    rep_ = Rep::kUndefined;
  }
}

inline const std::string& Val::str() const {
  return rep_ == Rep::kJsonString ? *u_.js : u_.s->s;
}
inline std::size_t Val::size() const {
  return rep_ == Rep::kJsonArray ? u_.ja->size() : u_.a->items.size();
}
inline Val Val::at(std::size_t i) const {
  return rep_ == Rep::kJsonArray ? from_json((*u_.ja)[i]) : u_.a->items[i];
}
inline bool Val::is_sequence() const {
  return rep_ == Rep::kArray && u_.a->sequence;
}
inline bool Val::keep_singleton() const {
  return rep_ == Rep::kArray && u_.a->keep_singleton;
}
inline bool Val::is_cons() const {
  return rep_ == Rep::kArray && u_.a->cons;
}
inline bool Val::outer_wrapper() const {
  return rep_ == Rep::kArray && u_.a->outer_wrapper;
}
inline bool Val::tuple_stream() const {
  return rep_ == Rep::kArray && u_.a->tuple_stream;
}

}  // namespace sluice::engine::jsonata
