// See value.h.
#include "engine/jsonata/value.h"

#include <unordered_map>

#include "engine/jsonata/error.h"

namespace sluice::engine::jsonata {

void fail_out_of_memory() {
  EvalError e;
  e.code = "U1001";
  e.message = "Out of memory: the expression needs more memory than an evaluation may use";
  throw e;
}

namespace {

// What a string holds beyond its node: nothing while it fits inside std::string.
std::size_t string_bytes(const std::string& s) {
  return s.capacity() > std::string().capacity() ? s.capacity() : 0;
}

}  // namespace

Val Val::string(std::string s) {
  charge_memory(sizeof(StrNode) + string_bytes(s));
  Val v;
  v.rep_ = Rep::kString;
  v.u_.s = new StrNode(std::move(s));
  return v;
}

Val Val::from_json(const json::Value& j) {
  Val v;
  switch (j.type()) {
    case json::Type::kNull:
      v.rep_ = Rep::kNull;
      break;
    case json::Type::kBool:
      v.rep_ = Rep::kBool;
      v.u_.b = j.as_bool();
      break;
    case json::Type::kInt:
      v.rep_ = Rep::kNumber;
      v.u_.d = static_cast<double>(j.as_int());
      break;
    case json::Type::kDouble:
      v.rep_ = Rep::kNumber;
      v.u_.d = j.as_number();
      break;
    case json::Type::kString:
      v.rep_ = Rep::kJsonString;
      v.u_.js = &j.as_string();
      break;
    case json::Type::kArray:
      v.rep_ = Rep::kJsonArray;
      v.u_.ja = &j.as_array();
      break;
    case json::Type::kObject:
      v.rep_ = Rep::kJsonObject;
      v.u_.jo = &j.as_object();
      break;
  }
  return v;
}

Val Val::get(std::string_view key) const {
  if (rep_ == Rep::kJsonObject) {
    const json::Value* m = u_.jo->find(key);
    return m == nullptr ? Val() : from_json(*m);
  }
  if (rep_ == Rep::kObject) {
    Val* m = u_.o->find(key);
    return m == nullptr ? Val() : *m;
  }
  return Val();
}

std::size_t Val::object_size() const {
  if (rep_ == Rep::kJsonObject) return u_.jo->size();
  if (rep_ == Rep::kObject) return u_.o->members.size();
  return 0;
}

bool Val::strict_equals(const Val& o) const {
  switch (kind()) {
    case Kind::kUndefined:
      return o.is_undefined();
    case Kind::kNull:
      return o.is_null();
    case Kind::kBool:
      return o.is_bool() && o.as_bool() == as_bool();
    case Kind::kNumber:
      return o.is_number() && o.as_number() == as_number();
    case Kind::kString:
      return o.is_string() && o.str() == str();
    default:
      return rep_ == o.rep_ && u_.p == o.u_.p;
  }
}

namespace {

// Free lists of nodes, per thread. A pooled node keeps its vector's capacity (up to a bound).
constexpr std::size_t kPoolMax = 512;
constexpr std::size_t kKeepCapacity = 64;

struct Pools {
  std::vector<ArrNode*> arrays;
  std::vector<Env*> envs;
  ~Pools() {
    for (ArrNode* a : arrays) delete a;
    for (Env* e : envs) delete e;
  }
};

Pools& pools() {
  thread_local Pools p;
  return p;
}

}  // namespace

ArrNode* new_array() {
  charge_memory(sizeof(ArrNode));
  std::vector<ArrNode*>& pool = pools().arrays;
  if (pool.empty()) return new ArrNode();
  ArrNode* a = pool.back();
  pool.pop_back();
  return a;
}

ArrNode* new_sequence() {
  ArrNode* a = new_array();
  a->sequence = true;
  return a;
}

Env* new_env(Env* parent) {
  charge_memory(sizeof(Env));
  std::vector<Env*>& pool = pools().envs;
  if (pool.empty()) return new Env(parent);
  Env* e = pool.back();
  pool.pop_back();
  e->parent = parent;
  if (parent != nullptr) ++parent->refs;
  return e;
}

Val make_sequence(Val single) {
  ArrNode* a = new_sequence();
  a->items.push_back(std::move(single));
  return Val::adopt_array(a);
}

ObjNode* new_object() {
  charge_memory(sizeof(ObjNode));
  return new ObjNode();
}

// Large objects (group-by results, $merge of many objects) get a hash index over the member
// names; it is dropped whenever the member vector moves.
struct ObjNode::Index {
  std::unordered_map<std::string_view, std::size_t> pos;
  const void* data = nullptr;
};

namespace {
constexpr std::size_t kIndexThreshold = 16;
}

ObjNode::~ObjNode() {
  delete index_;
  refund_memory(sizeof(ObjNode) + key_bytes_);
}

void ObjNode::reindex() {
  if (index_ == nullptr) index_ = new Index();
  index_->pos.clear();
  index_->pos.reserve(members.size());
  for (std::size_t i = 0; i < members.size(); ++i) index_->pos.emplace(members[i].first, i);
  index_->data = members.data();
}

Val* ObjNode::find(std::string_view key) {
  if (members.size() <= kIndexThreshold) {
    for (auto& m : members) {
      if (m.first == key) return &m.second;
    }
    return nullptr;
  }
  if (index_ == nullptr || index_->data != members.data() || index_->pos.size() != members.size()) {
    reindex();
  }
  auto it = index_->pos.find(key);
  return it == index_->pos.end() ? nullptr : &members[it->second].second;
}

void ObjNode::set(std::string_view key, Val v) {
  if (Val* existing = find(key)) {
    *existing = std::move(v);
    return;
  }
  append(std::string(key), std::move(v));
}

void ObjNode::append(std::string key, Val v) {
  std::size_t bytes = string_bytes(key);
  charge_memory(bytes);
  key_bytes_ += bytes;
  members.emplace_back(std::move(key), std::move(v));
  if (index_ != nullptr) {
    if (index_->data != members.data()) {
      index_->data = nullptr;  // moved: rebuilt on the next find
    } else {
      index_->pos.emplace(members.back().first, members.size() - 1);
    }
  }
}

bool ObjNode::erase(std::string_view key) {
  for (auto it = members.begin(); it != members.end(); ++it) {
    if (it->first == key) {
      members.erase(it);
      if (index_ != nullptr) index_->data = nullptr;
      return true;
    }
  }
  return false;
}

namespace {

void free_one(HeapNode* n) {
  switch (n->type) {
    case NodeType::kString: {
      auto* str = static_cast<StrNode*>(n);
      refund_memory(sizeof(StrNode) + string_bytes(str->s));
      delete str;
      break;
    }
    case NodeType::kArray: {
      auto* a = static_cast<ArrNode*>(n);
      refund_memory(sizeof(ArrNode));
      a->items.clear();  // children released here land on the worklist
      std::vector<ArrNode*>& pool = pools().arrays;
      if (pool.size() < kPoolMax && a->items.capacity() <= kKeepCapacity) {
        a->refs = 1;
        a->sequence = a->keep_singleton = a->cons = a->outer_wrapper = a->tuple_stream = false;
        pool.push_back(a);
      } else {
        delete a;
      }
      break;
    }
    case NodeType::kObject:
      delete static_cast<ObjNode*>(n);
      break;
    case NodeType::kFunction: {
      auto* f = static_cast<FnNode*>(n);
      Env* e = f->env;
      delete f;
      if (e != nullptr && --e->refs == 0) destroy_node(e);
      break;
    }
    case NodeType::kTuple:
      delete static_cast<TupleNode*>(n);
      break;
    case NodeType::kEnv: {
      auto* e = static_cast<Env*>(n);
      refund_memory(sizeof(Env));
      Env* parent = e->parent;
      e->vars.clear();
      std::vector<Env*>& pool = pools().envs;
      if (pool.size() < kPoolMax && e->vars.capacity() <= kKeepCapacity) {
        e->refs = 1;
        e->parent = nullptr;
        pool.push_back(e);
      } else {
        delete e;
      }
      if (parent != nullptr && --parent->refs == 0) destroy_node(parent);
      break;
    }
  }
}

}  // namespace

void destroy_node(HeapNode* n) {
  // Children released while a node is freed land here instead of recursing.
  thread_local std::vector<HeapNode*> pending;
  thread_local bool draining = false;
  if (draining) {
    pending.push_back(n);
    return;
  }
  draining = true;
  free_one(n);  // the first node directly: most frees (a string, a flat sequence) end here
  while (!pending.empty()) {
    HeapNode* h = pending.back();
    pending.pop_back();
    free_one(h);
  }
  draining = false;
}

}  // namespace sluice::engine::jsonata
