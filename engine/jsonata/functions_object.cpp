// $keys, $lookup, $spread, $merge, $each, $sift, $type, $error, $assert, $clone.
#include <cmath>
#include <unordered_set>

#include "engine/jsonata/evaluator.h"
#include "engine/jsonata/function_util.h"
#include "engine/jsonata/functions.h"
#include "engine/jsonata/value_ops.h"

namespace sluice::engine::jsonata {

namespace {

// Calls f(value, key, object) on each member, in order.
template <class F>
void for_each_member(const Val& obj, F&& f) {
  if (obj.rep() == Val::Rep::kJsonObject) {
    for (const auto& [k, v] : *obj.jobj()) f(std::string_view(k), Val::from_json(v));
  } else if (obj.rep() == Val::Rep::kObject) {
    // Copy first: the callback may run user code.
    Members members = obj.obj()->members;
    for (const auto& [k, v] : members) f(std::string_view(k), v);
  }
}

void collect_keys(const Val& v, ArrNode* out, std::unordered_set<std::string>& seen,
                  int depth = 0) {
  if (v.is_array()) {
    check_value_depth(depth);
    std::size_t n = v.size();
    for (std::size_t i = 0; i < n; ++i) collect_keys(v.at(i), out, seen, depth + 1);
  } else if (v.is_object()) {
    for_each_member(v, [&](std::string_view k, const Val&) {
      if (seen.insert(std::string(k)).second) out->items.push_back(Val::string(k));
    });
  }
}

Val fn_keys(Evaluator&, std::vector<Val>& args, const CallInfo&) {
  ArrNode* out = new_sequence();
  Val result = Val::adopt_array(out);
  std::unordered_set<std::string> seen;
  collect_keys(arg(args, 0), out, seen);
  return result;
}

Val fn_lookup(Evaluator&, std::vector<Val>& args, const CallInfo&) {
  const Val& key = arg(args, 1);
  return lookup(arg(args, 0), key.is_string() ? key.sv() : std::string_view("undefined"));
}

// Adds what $spread makes of v to out: an object's members as single-member objects, an array's
// items spread in turn (JSONata appends them one by one, so out becomes a plain array as soon as
// an item is defined), anything else as it is. In place: appending copy by copy is quadratic.
void spread_into(Evaluator& ev, const Val& v, ArrNode* out, int depth) {
  if (v.is_array()) {
    check_value_depth(depth);
    std::size_t n = v.size();
    for (std::size_t i = 0; i < n; ++i) {
      Val item = v.at(i);
      if (item.is_undefined()) continue;
      out->sequence = false;
      spread_into(ev, item, out, depth + 1);
      ev.tick();
    }
  } else if (v.is_object()) {
    for_each_member(v, [&](std::string_view k, const Val& m) {
      ObjNode* o = new_object();
      o->append(std::string(k), m);
      out->items.push_back(Val::adopt_object(o));
    });
  } else {
    out->items.push_back(v);
  }
}

Val fn_spread(Evaluator& ev, std::vector<Val>& args, const CallInfo&) {
  const Val& v = arg(args, 0);
  if (!v.is_array() && !v.is_object()) return v;
  ArrNode* out = new_sequence();
  Val result = Val::adopt_array(out);
  spread_into(ev, v, out, 0);
  return result;
}

Val fn_merge(Evaluator&, std::vector<Val>& args, const CallInfo&) {
  const Val& a = arg(args, 0);
  if (a.is_undefined()) return Val();
  ObjNode* out = new_object();
  Val result = Val::adopt_object(out);
  std::size_t n = a.size();
  for (std::size_t i = 0; i < n; ++i) {
    for_each_member(a.at(i), [&](std::string_view k, const Val& v) { out->set(k, v); });
  }
  return result;
}

// The arguments JSONata passes a callback: the value, then the key, then the object, as many as
// the callback declares.
std::vector<Val> callback_args(const Val& fn, Val value, Val key, const Val& whole) {
  int n = Evaluator::arity(fn);
  std::vector<Val> out{std::move(value)};
  if (n >= 2) out.push_back(std::move(key));
  if (n >= 3) out.push_back(whole);
  return out;
}

Val fn_each(Evaluator& ev, std::vector<Val>& args, const CallInfo& call) {
  const Val& obj = arg(args, 0);
  const Val& fn = arg(args, 1);
  ArrNode* out = new_sequence();
  Val result = Val::adopt_array(out);
  for_each_member(obj, [&](std::string_view k, const Val& v) {
    Val r = ev.call(fn, callback_args(fn, v, Val::string(k), obj), call.env);
    if (r.is_defined()) out->items.push_back(std::move(r));
  });
  return result;
}

Val fn_sift(Evaluator& ev, std::vector<Val>& args, const CallInfo& call) {
  const Val& obj = arg(args, 0);
  const Val& fn = arg(args, 1);
  ObjNode* out = new_object();
  Val result = Val::adopt_object(out);
  for_each_member(obj, [&](std::string_view k, const Val& v) {
    Val r = ev.call(fn, callback_args(fn, v, Val::string(k), obj), call.env);
    if (truthy(r)) out->append(std::string(k), v);
  });
  if (out->members.empty()) return Val();
  return result;
}

Val fn_type(Evaluator&, std::vector<Val>& args, const CallInfo&) {
  const Val& v = arg(args, 0);
  switch (v.kind()) {
    case Kind::kUndefined:
      return Val();
    case Kind::kNull:
      return str_val("null");
    case Kind::kNumber:
      return str_val(is_numeric(v) ? "number" : "object");  // NaN is an "object" to JSONata
    case Kind::kString:
      return str_val("string");
    case Kind::kBool:
      return str_val("boolean");
    case Kind::kArray:
      return str_val("array");
    case Kind::kFunction:
      return str_val("function");
    default:
      return str_val("object");
  }
}

Val fn_error(Evaluator&, std::vector<Val>& args, const CallInfo&) {
  const Val& m = arg(args, 0);
  EvalError e;
  e.code = "D3137";
  e.message = m.is_string() && !m.str().empty() ? m.str() : "$error() function evaluated";
  throw e;
}

Val fn_assert(Evaluator&, std::vector<Val>& args, const CallInfo&) {
  const Val& c = arg(args, 0);
  if (!(c.is_bool() && c.as_bool())) {
    const Val& m = arg(args, 1);
    EvalError e;
    e.code = "D3141";
    e.message = m.is_string() && !m.str().empty() ? m.str() : "$assert() statement failed";
    throw e;
  }
  return Val();
}

Val fn_clone(Evaluator&, std::vector<Val>& args, const CallInfo&) {
  const Val& v = arg(args, 0);
  if (v.is_undefined()) return Val();
  return clone_value(v);
}

}  // namespace

void register_object_functions(std::vector<Builtin>& t) {
  add_builtin(t, "keys", "<x-:a<s>>", 1, fn_keys);
  add_builtin(t, "lookup", "<x-s:x>", 2, fn_lookup);
  add_builtin(t, "spread", "<x-:a<o>>", 1, fn_spread);
  add_builtin(t, "merge", "<a<o>:o>", 1, fn_merge);
  add_builtin(t, "each", "<o-f:a>", 2, fn_each);
  add_builtin(t, "sift", "<o-f?:o>", 2, fn_sift);
  add_builtin(t, "type", "<x:s>", 1, fn_type);
  add_builtin(t, "error", "<s?:x>", 1, fn_error);
  add_builtin(t, "assert", "<bs?:x>", 2, fn_assert);
  add_builtin(t, "clone", "<(oa)-:o>", 1, fn_clone);
}

}  // namespace sluice::engine::jsonata
