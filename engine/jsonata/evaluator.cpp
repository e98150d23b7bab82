// See evaluator.h. Each eval_* function is the evaluation rule of one construct; their behaviour
// (including the order in which sub-expressions are evaluated, which decides the error reported
// first) follows JSONata 2.0.6.
#include "engine/jsonata/evaluator.h"

#include <pthread.h>

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "engine/jsonata/error.h"
#include "engine/jsonata/functions.h"
#include "engine/jsonata/regex.h"
#include "engine/jsonata/utf8.h"
#include "engine/jsonata/value_ops.h"

namespace sluice::engine::jsonata {

namespace {

// Marks a binding not looked up yet (a pointer no json::Value can have).
const json::Value* const kUnknownBinding =
    reinterpret_cast<const json::Value*>(alignof(json::Value));

constexpr const char* kStackOverflow =
    "Stack overflow error: Check for non-terminating recursive function.  Consider rewriting as "
    "tail-recursive.";
constexpr const char* kTimeout = "Expression evaluation timeout: Check for infinite loop";

// The lowest usable stack address of this thread, with a safety margin: evaluation stops with
// U1001 before the C++ stack can overflow, whatever max_depth the caller allows.
const char* stack_floor() {
  thread_local const char* floor = [] {
    pthread_attr_t attr;
    const char* result = nullptr;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
      void* addr = nullptr;
      std::size_t size = 0;
      if (pthread_attr_getstack(&attr, &addr, &size) == 0 && addr != nullptr) {
        std::size_t margin = std::min<std::size_t>(size / 4, 256 * 1024);
        result = static_cast<const char*>(addr) + margin;
      }
      pthread_attr_destroy(&attr);
    }
    return result;
  }();
  return floor;
}

// Parameters by const reference: see throw_value_error in error.h.
[[noreturn]] void fail_with(const char* code, int64_t position, const std::optional<Val>& token,
                            const std::optional<Val>& value = std::nullopt,
                            const std::optional<Val>& value2 = std::nullopt) {
  EvalError e;
  e.code = code;
  e.position = position;
  e.token = token;
  e.value = value;
  e.value2 = value2;
  throw e;
}

const char* op_text(BinOp op) {
  switch (op) {
    case BinOp::kAdd:
      return "+";
    case BinOp::kSub:
      return "-";
    case BinOp::kMul:
      return "*";
    case BinOp::kDiv:
      return "/";
    case BinOp::kMod:
      return "%";
    case BinOp::kEq:
      return "=";
    case BinOp::kNe:
      return "!=";
    case BinOp::kLt:
      return "<";
    case BinOp::kLe:
      return "<=";
    case BinOp::kGt:
      return ">";
    case BinOp::kGe:
      return ">=";
    case BinOp::kConcat:
      return "&";
    case BinOp::kRange:
      return "..";
    case BinOp::kIn:
      return "in";
  }
  return "";
}

// Pushes res into out, flattening one level unless it is an array constructor's array.
void push_flattened(ArrNode* out, Val res) {
  if (!res.is_array() || res.is_cons()) {
    out->items.push_back(std::move(res));
    return;
  }
  std::size_t n = res.size();
  if (res.rep() == Val::Rep::kArray) {
    for (const Val& v : res.arr()->items) out->items.push_back(v);
  } else {
    for (std::size_t i = 0; i < n; ++i) out->items.push_back(res.at(i));
  }
}

}  // namespace

// A sequence of step inputs: an array's items, or one value standing for [value] (a path's
// input is often a single value; this spares wrapping it).
struct Evaluator::Seq {
  Val v;
  bool single = true;
  std::size_t size() const { return single ? 1 : v.size(); }
  Val operator[](std::size_t i) const { return single ? v : v.at(i); }
  Val materialize() const { return single ? make_sequence(v) : v; }
};

namespace {

// The items of a value seen as a sequence: an array's items, or the value itself.
struct Items {
  explicit Items(const Val& v) : v_(v), array_(v.is_array()) {}
  std::size_t size() const { return array_ ? v_.size() : 1; }
  Val operator[](std::size_t i) const { return array_ ? v_.at(i) : v_; }

 private:
  const Val& v_;
  bool array_;
};

}  // namespace

Evaluator::Evaluator(const Program& program, const Bindings* bindings, const Limits& limits)
    : program_(program), bindings_(bindings), limits_(limits) {
  // The clock is first read at the first check (after 256 steps), not here: most evaluations are
  // over long before that, and on virtual machines a clock read costs as much as a short
  // evaluation. The budget then starts a few microseconds late, which a limit in milliseconds
  // does not notice.
  has_deadline_ = limits_.time_limit_ms > 0;
  const char* floor = stack_floor();
  char marker;
  // A frame already below the floor (a tiny stack): leave a little room anyway.
  stack_limit_ = floor != nullptr && floor < &marker ? floor : nullptr;
  std::fill(std::begin(binding_inline_), std::end(binding_inline_), kUnknownBinding);
  budget_.limit = limits_.max_memory_bytes;
  outer_budget_ = current_budget();
  current_budget() = &budget_;
}

namespace {

// Whether v holds a closure over env (or a frame inside it): binding v into env makes a cycle.
// Past `budget` values it answers yes: a value that shares its parts ({"p": $a, "q": $a} nested
// 40 deep) has 2^40 paths, and a big array would be walked on every binding of it; the worst a yes
// costs is keeping the frame until the evaluation ends.
bool captures(const Val& v, const Env* env, std::size_t& budget, int depth = 0) {
  if (depth > 64) return false;
  if (budget == 0) return true;
  --budget;
  switch (v.rep()) {
    case Val::Rep::kFunction: {
      const FnNode* f = v.fn();
      for (const Env* e = f->env; e != nullptr; e = e->parent) {
        if (e == env) return true;
      }
      if (captures(f->input, env, budget, depth + 1)) return true;
      for (const Val& a : f->args) {
        if (captures(a, env, budget, depth + 1)) return true;
      }
      return false;
    }
    case Val::Rep::kArray:
      for (const Val& item : v.arr()->items) {
        if (captures(item, env, budget, depth + 1)) return true;
      }
      return false;
    case Val::Rep::kObject:
      for (const auto& member : v.obj()->members) {
        if (captures(member.second, env, budget, depth + 1)) return true;
      }
      return false;
    default:
      return false;
  }
}

}  // namespace

Evaluator::~Evaluator() {
  // Nothing of the evaluation is referenced any more (its result is JSON by now): empty the
  // frames that hold closures over themselves, so that the cycles fall apart.
  for (EnvRef& frame : cyclic_frames_) {
    std::vector<std::pair<uint32_t, Val>> vars;
    vars.swap(frame->vars);
  }
  for (Val& obj : cyclic_objects_) {
    Members members;
    members.swap(obj.obj()->members);
  }
  current_budget() = outer_budget_;
}

int64_t Evaluator::timestamp_ms() {
  if (timestamp_ms_ < 0 && limits_.now_ms) timestamp_ms_ = *limits_.now_ms;
  if (timestamp_ms_ < 0) {
    timestamp_ms_ = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
  }
  return timestamp_ms_;
}

const json::Value* const* Evaluator::binding(uint32_t id) {
  const json::Value** slot;
  if (id < kInlineBindings) {
    slot = &binding_inline_[id];
  } else {
    std::size_t k = id - kInlineBindings;
    if (binding_overflow_.size() <= k) binding_overflow_.resize(k + 1, kUnknownBinding);
    slot = &binding_overflow_[k];
  }
  if (*slot == kUnknownBinding) *slot = bindings_->find(program_.symbols.name(id));
  return slot;
}

std::mt19937_64& Evaluator::rng() {
  if (limits_.random_seed) {
    if (!seeded_rng_) seeded_rng_ = std::make_unique<std::mt19937_64>(*limits_.random_seed);
    return *seeded_rng_;
  }
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return engine;
}

void Evaluator::check_time() {
  if (!has_deadline_) return;
  const auto now = std::chrono::steady_clock::now();
  if (!deadline_set_) {
    deadline_ = now + std::chrono::milliseconds(limits_.time_limit_ms);
    deadline_set_ = true;
    return;
  }
  if (now > deadline_) {
    EvalError e;
    e.code = "U1001";
    e.message = kTimeout;
    throw e;
  }
}

void Evaluator::fail_depth() {
  EvalError e;
  e.code = "U1001";
  e.message = kStackOverflow;
  throw e;
}

void Evaluator::enter() {
  if (++depth_ > limits_.max_depth) fail_depth();
  char marker;
  if (&marker < stack_limit_) fail_depth();
  if (has_deadline_ && (++ticks_ & 255) == 0) check_time();
}

Val Evaluator::run(const json::Value* input) {
  // The root frame: on the heap when a closure (lambda, transform) could capture it and outlive
  // this call, else on the stack.
  Env stack_root(nullptr);
  EnvRef heap_root;
  Env* root = &stack_root;
  if (program_.has_closures) {
    heap_root = EnvRef(new_env(nullptr));
    root = heap_root.get();
  }
  Val in;
  if (input != nullptr) {
    root_input_ = Val::from_json(*input);
    in = root_input_;
    // An input array is wrapped in a singleton sequence so that it is treated as one value.
    if (input->is_array()) {
      ArrNode* wrap = new_sequence();
      wrap->outer_wrapper = true;
      wrap->items.push_back(root_input_);
      in = Val::adopt_array(wrap);
    }
  }
  return eval(program_.root, in, root);
}

// ---------------------------------------------------------------------------------------------
// The dispatcher.

Val Evaluator::eval(const Node* n, const Val& input, Env* env) {
  enter();
  // Literals with nothing applied to them (most leaves of most expressions): no result to move
  // through the predicate, group and sequence handling below.
  if (n->predicate.empty() && n->group == nullptr) {
    switch (n->type) {
      case NType::kString:
        --depth_;
        return Val::borrowed_string(&n->str);
      case NType::kNumber:
        --depth_;
        return Val::number(n->number);
      case NType::kValue:
        --depth_;
        return n->literal == Literal::kNull ? Val::null()
                                            : Val::boolean(n->literal == Literal::kTrue);
      default:
        break;
    }
  }
  Val result;
  switch (n->type) {
    case NType::kPath:
      result = eval_path(n, input, env);
      break;
    case NType::kBinary:
      result = eval_binary(n, input, env);
      break;
    case NType::kAnd:
    case NType::kOr:
      result = eval_bool_op(n, input, env);
      break;
    case NType::kNegate:
      result = eval_negate(n, input, env);
      break;
    case NType::kArray:
      result = eval_array(n, input, env);
      break;
    case NType::kObject:
      result = eval_group(n->pairs, n->position, input, env);
      break;
    case NType::kName:
      result = lookup(input, n->str);
      break;
    case NType::kString:
      result = Val::borrowed_string(&n->str);
      break;
    case NType::kNumber:
      result = Val::number(n->number);
      break;
    case NType::kValue:
      result =
          n->literal == Literal::kNull ? Val::null() : Val::boolean(n->literal == Literal::kTrue);
      break;
    case NType::kWildcard:
      result = eval_wildcard(input);
      break;
    case NType::kDescendant:
      result = eval_descendants(input);
      break;
    case NType::kParent: {
      const Val* v = env->find(n->slot->var);
      if (v != nullptr) result = *v;
      break;
    }
    case NType::kCondition: {
      Val cond = eval(n->lhs, input, env);
      if (truthy(cond)) {
        result = eval(n->rhs, input, env);
      } else if (n->third != nullptr) {
        result = eval(n->third, input, env);
      }
      break;
    }
    case NType::kBlock:
      result = eval_block(n, input, env);
      break;
    case NType::kBind:
      result = eval(n->rhs, input, env);
      if (std::size_t budget = 10000; program_.has_closures && captures(result, env, budget)) {
        ++env->refs;
        cyclic_frames_.emplace_back(env);
      }
      env->bind(n->var, result);
      break;
    case NType::kRegex: {
      FnNode* f = new FnNode(FnKind::kRegex);
      f->regex = n->regex;
      result = Val::adopt_function(f);
      break;
    }
    case NType::kFunction:
      result = eval_function(n, input, env, nullptr);
      break;
    case NType::kPartial:
      result = eval_partial(n, input, env);
      break;
    case NType::kLambda: {
      FnNode* f = new FnNode(n->thunk ? FnKind::kThunk : FnKind::kLambda);
      f->node = n->thunk ? n->body : n;
      f->set_env(env);
      f->input = input;
      if (!n->thunk) {
        f->params = n->params;
        f->signature = n->signature.get();
      }
      result = Val::adopt_function(f);
      break;
    }
    case NType::kVariable:
      result = eval_variable(n, input, env);
      break;
    case NType::kApply:
      result = eval_apply(n, input, env);
      break;
    case NType::kTransform: {
      FnNode* f = new FnNode(FnKind::kTransform);
      f->node = n;
      f->set_env(env);
      result = Val::adopt_function(f);
      break;
    }
    case NType::kSort:
      result = eval_sort(n, input, env);
      break;
    case NType::kPlaceholder:
      break;
  }
  for (const Node* p : n->predicate) result = eval_filter(p, result, env);
  if (n->group != nullptr && n->type != NType::kPath) {
    result = eval_group(n->group->pairs, n->group->position, result, env);
  }
  --depth_;
  if (result.rep() == Val::Rep::kArray) {
    ArrNode* a = result.arr();
    if (a->sequence && !a->tuple_stream) {
      if (n->keep_array) a->keep_singleton = true;
      if (a->items.empty()) return Val();
      if (a->items.size() == 1 && !a->keep_singleton) {
        Val single = std::move(a->items[0]);
        if (a->refs > 1) a->items[0] = single;  // shared: leave it intact
        return single;
      }
    }
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Paths.

Val Evaluator::eval_path(const Node* n, const Val& input, Env* env) {
  const std::vector<Node*>& steps = n->items;
  Seq input_seq;
  std::size_t start = 0;
  if (n->simple_path) {
    // A chain of plain field names (no predicates, bindings or grouping): walk it directly while
    // the value stays a single object, and fall back to the general algorithm at the first
    // array. The outcome is the general algorithm's.
    Val cur;
    if (steps[0]->type == NType::kVariable) {
      cur = eval(steps[0], input, env);
      start = 1;
    } else if (!input.is_array()) {
      cur = input;
    } else {
      input_seq = Seq{input, false};
      return eval_path_from(n, input_seq, 0, env);
    }
    for (; start < steps.size(); ++start) {
      if (cur.is_undefined()) return Val();
      if (cur.is_array()) {
        // The previous step produced an array: the next step iterates over its items.
        input_seq = cur.is_cons() ? Seq{cur, true} : Seq{cur, false};
        return eval_path_from(n, input_seq, start, env);
      }
      if (!cur.is_object()) return Val();
      enter();
      cur = cur.get(steps[start]->str);
      --depth_;
    }
    if (cur.is_sequence()) {
      ArrNode* copy = new_sequence();
      copy->items = cur.arr()->items;
      return Val::adopt_array(copy);
    }
    return cur;
  }
  if (input.is_array() && steps[0]->type != NType::kVariable) {
    input_seq = Seq{input, false};
  } else {
    input_seq = Seq{input, true};
  }
  return eval_path_from(n, input_seq, 0, env);
}

Val Evaluator::eval_path_from(const Node* n, Seq input_seq, std::size_t start, Env* env) {
  const std::vector<Node*>& steps = n->items;
  Val result_seq;
  Val tuples;
  bool is_tuple = false;
  for (std::size_t i = start; i < steps.size(); ++i) {
    const Node* step = steps[i];
    if (step->tuple) is_tuple = true;
    if (i == 0 && step->consarray) {
      result_seq = eval(step, input_seq.materialize(), env);
    } else if (is_tuple) {
      tuples = eval_tuple_step(step, input_seq, tuples, env);
    } else {
      result_seq = eval_step(step, input_seq, env, i == steps.size() - 1);
    }
    if (!is_tuple &&
        (result_seq.is_undefined() || (result_seq.is_array() && result_seq.size() == 0))) {
      break;
    }
    if (step->focus == kNoVar) input_seq = Seq{result_seq, !result_seq.is_array()};
  }
  if (is_tuple) {
    if (n->tuple) {
      result_seq = tuples;
    } else {
      ArrNode* out = new_sequence();
      if (tuples.is_array()) {
        std::size_t m = tuples.size();
        out->items.reserve(m);
        for (std::size_t i = 0; i < m; ++i) {
          Val t = tuples.at(i);
          out->items.push_back(t.is_tuple() ? t.tuple()->focus : Val());
        }
      }
      result_seq = Val::adopt_array(out);
    }
  }
  if (n->keep_singleton_array) {
    if (result_seq.is_cons() && !result_seq.is_sequence()) result_seq = make_sequence(result_seq);
    if (result_seq.rep() == Val::Rep::kArray) result_seq.arr()->keep_singleton = true;
  }
  if (n->group != nullptr) {
    result_seq =
        eval_group(n->group->pairs, n->group->position, is_tuple ? tuples : result_seq, env);
  }
  return result_seq;
}

Val Evaluator::eval_step(const Node* step, const Seq& input, Env* env, bool last) {
  if (step->type == NType::kSort) {
    Val result = eval_sort(step, input.materialize(), env);
    if (!step->stages.empty()) result = eval_stages(step->stages, result, env);
    return result;
  }
  // The results are flattened into one sequence; a single array result of the last step is the
  // result itself. The first result waits until it is known whether another follows.
  std::size_t n = input.size();
  Val first;
  ArrNode* out = nullptr;
  Val out_val;
  std::size_t count = 0;
  for (std::size_t i = 0; i < n; ++i) {
    Val res = eval(step, input[i], env);
    for (const Stage& s : step->stages) {
      if (s.kind == Stage::Kind::kFilter) res = eval_filter(s.expr, res, env);
    }
    if (res.is_undefined()) continue;
    if (count == 0) {
      first = std::move(res);
    } else {
      if (count == 1) {
        out = new_sequence();
        out_val = Val::adopt_array(out);
        push_flattened(out, std::move(first));
      }
      push_flattened(out, std::move(res));
    }
    ++count;
  }
  if (count == 0) return Val();
  if (count == 1) {
    if (last && first.is_array() && !first.is_sequence()) return first;
    out = new_sequence();
    out_val = Val::adopt_array(out);
    push_flattened(out, std::move(first));
  }
  return out_val;
}

EnvRef Evaluator::tuple_frame(const Val& tuple, Env* env) {
  Env* frame = new_env(env);
  if (tuple.is_tuple()) {
    for (const auto& [id, v] : tuple.tuple()->binds) frame->bind(id, v);
  }
  return EnvRef(frame);
}

Val Evaluator::eval_tuple_step(const Node* step, const Seq& input, const Val& tuples_in, Env* env) {
  if (step->type == NType::kSort) {
    Val result;
    if (tuples_in.is_defined()) {
      result = eval_sort(step, tuples_in, env);
    } else {
      Val sorted = eval_sort(step, input.materialize(), env);
      ArrNode* out = new_sequence();
      out->tuple_stream = true;
      Items items(sorted);
      for (std::size_t i = 0; i < items.size(); ++i) {
        auto* t = new TupleNode();
        t->focus = items[i];
        if (step->index_var != kNoVar) t->set(step->index_var, Val::number(static_cast<double>(i)));
        out->items.push_back(Val::adopt_tuple(t));
      }
      result = Val::adopt_array(out);
    }
    if (!step->stages.empty()) result = eval_stages(step->stages, result, env);
    return result;
  }
  ArrNode* out = new_sequence();
  out->tuple_stream = true;
  Val result = Val::adopt_array(out);
  Val tuples = tuples_in;
  if (tuples.is_undefined()) {
    ArrNode* made = new_array();
    for (std::size_t i = 0; i < input.size(); ++i) {
      auto* t = new TupleNode();
      t->focus = input[i];
      made->items.push_back(Val::adopt_tuple(t));
    }
    tuples = Val::adopt_array(made);
  }
  std::size_t n = tuples.size();
  for (std::size_t e = 0; e < n; ++e) {
    Val tv = tuples.at(e);
    if (!tv.is_tuple()) continue;
    TupleNode* te = tv.tuple();
    EnvRef frame = tuple_frame(tv, env);
    Val res = eval(step, te->focus, frame.get());
    if (res.is_undefined()) continue;
    Items items(res);
    bool res_tuples = res.tuple_stream();
    for (std::size_t b = 0; b < items.size(); ++b) {
      auto* t = new TupleNode();
      t->focus = te->focus;
      t->binds = te->binds;
      Val item = items[b];
      if (res_tuples) {
        if (item.is_tuple()) {
          t->focus = item.tuple()->focus;
          for (const auto& [id, v] : item.tuple()->binds) t->set(id, v);
        }
      } else {
        if (step->focus != kNoVar) {
          t->set(step->focus, item);
        } else {
          t->focus = item;
        }
        if (step->index_var != kNoVar) t->set(step->index_var, Val::number(static_cast<double>(b)));
        if (step->ancestor != nullptr) t->set(step->ancestor->var, te->focus);
      }
      out->items.push_back(Val::adopt_tuple(t));
    }
  }
  if (!step->stages.empty()) result = eval_stages(step->stages, result, env);
  return result;
}

Val Evaluator::eval_stages(const std::vector<Stage>& stages, Val input, Env* env) {
  Val result = std::move(input);
  for (const Stage& s : stages) {
    if (s.kind == Stage::Kind::kFilter) {
      result = eval_filter(s.expr, result, env);
    } else if (result.is_array()) {
      std::size_t n = result.size();
      for (std::size_t i = 0; i < n; ++i) {
        Val t = result.at(i);
        if (t.is_tuple()) t.tuple()->set(s.var, Val::number(static_cast<double>(i)));
      }
    }
  }
  return result;
}

Val Evaluator::eval_filter(const Node* predicate, const Val& input_val, Env* env) {
  ArrNode* out = new_sequence();
  Val results = Val::adopt_array(out);
  bool tuple_stream = input_val.tuple_stream();
  if (tuple_stream) out->tuple_stream = true;
  Val input = input_val.is_array() ? input_val : make_sequence(input_val);
  std::size_t n = input.size();
  if (predicate->type == NType::kNumber) {
    double index = std::floor(predicate->number);
    if (index < 0) index += static_cast<double>(n);
    if (index >= 0 && index < static_cast<double>(n)) {
      Val item = input.at(static_cast<std::size_t>(index));
      if (item.is_defined()) {
        if (item.is_array()) return item;
        out->items.push_back(std::move(item));
      }
    }
    return results;
  }
  for (std::size_t i = 0; i < n; ++i) {
    Val item = input.at(i);
    Val res;
    if (tuple_stream && item.is_tuple()) {
      EnvRef frame = tuple_frame(item, env);
      res = eval(predicate, item.tuple()->focus, frame.get());
    } else {
      res = eval(predicate, item, env);
    }
    if (is_numeric(res)) res = make_sequence(res);
    bool numbers = res.is_array();
    if (numbers) {
      std::size_t m = res.size();
      for (std::size_t k = 0; k < m && numbers; ++k) numbers = is_numeric(res.at(k));
    }
    if (numbers) {
      std::size_t m = res.size();
      for (std::size_t k = 0; k < m; ++k) {
        double ii = std::floor(res.at(k).as_number());
        if (ii < 0) ii += static_cast<double>(n);
        if (ii == static_cast<double>(i)) out->items.push_back(item);
      }
    } else if (truthy(res)) {
      out->items.push_back(item);
    }
  }
  return results;
}

// ---------------------------------------------------------------------------------------------
// Operators.

Val Evaluator::eval_binary(const Node* n, const Val& input, Env* env) {
  Val lhs = eval(n->lhs, input, env);
  Val rhs = eval(n->rhs, input, env);
  try {
    switch (n->op) {
      case BinOp::kAdd:
      case BinOp::kSub:
      case BinOp::kMul:
      case BinOp::kDiv:
      case BinOp::kMod: {
        if (lhs.is_defined() && !is_numeric(lhs)) throw_value_error("T2001", lhs);
        if (rhs.is_defined() && !is_numeric(rhs)) throw_value_error("T2002", rhs);
        if (lhs.is_undefined() || rhs.is_undefined()) return Val();
        double a = lhs.as_number(), b = rhs.as_number();
        switch (n->op) {
          case BinOp::kAdd:
            return Val::number(a + b);
          case BinOp::kSub:
            return Val::number(a - b);
          case BinOp::kMul:
            return Val::number(a * b);
          case BinOp::kDiv:
            return Val::number(a / b);
          default:
            return Val::number(std::fmod(a, b));
        }
      }
      case BinOp::kEq:
        if (lhs.is_undefined() || rhs.is_undefined()) return Val::boolean(false);
        return Val::boolean(deep_equal(lhs, rhs, this));
      case BinOp::kNe:
        if (lhs.is_undefined() || rhs.is_undefined()) return Val::boolean(false);
        return Val::boolean(!deep_equal(lhs, rhs, this));
      case BinOp::kLt:
      case BinOp::kLe:
      case BinOp::kGt:
      case BinOp::kGe: {
        Kind lk = lhs.kind(), rk = rhs.kind();
        bool lc = lk == Kind::kUndefined || lk == Kind::kString || lk == Kind::kNumber;
        bool rc = rk == Kind::kUndefined || rk == Kind::kString || rk == Kind::kNumber;
        if (!lc || !rc) {
          bool l_ok = lk == Kind::kString || lk == Kind::kNumber;
          throw_value_error("T2010", l_ok ? rhs : lhs);
        }
        if (lk == Kind::kUndefined || rk == Kind::kUndefined) return Val();
        if (lk != rk) {
          EvalError e;
          e.code = "T2009";
          e.value = lhs;
          e.value2 = rhs;
          throw e;
        }
        int c;
        if (lk == Kind::kNumber) {
          double a = lhs.as_number(), b = rhs.as_number();
          switch (n->op) {
            case BinOp::kLt:
              return Val::boolean(a < b);
            case BinOp::kLe:
              return Val::boolean(a <= b);
            case BinOp::kGt:
              return Val::boolean(a > b);
            default:
              return Val::boolean(a >= b);
          }
        }
        c = compare_utf16(lhs.str(), rhs.str());
        switch (n->op) {
          case BinOp::kLt:
            return Val::boolean(c < 0);
          case BinOp::kLe:
            return Val::boolean(c <= 0);
          case BinOp::kGt:
            return Val::boolean(c > 0);
          default:
            return Val::boolean(c >= 0);
        }
      }
      case BinOp::kConcat: {
        // Refused before it is built: repeated `$s & $s` doubles a string.
        ensure_memory((lhs.is_string() ? lhs.str().size() : 0) +
                      (rhs.is_string() ? rhs.str().size() : 0));
        std::string s;
        if (lhs.is_defined()) s = to_js_string(lhs, this);
        if (rhs.is_defined()) s += to_js_string(rhs, this);
        return Val::string(std::move(s));
      }
      case BinOp::kRange: {
        auto is_integer = [](const Val& v) {
          return v.is_number() && std::isfinite(v.as_number()) &&
                 v.as_number() == std::floor(v.as_number());
        };
        if (lhs.is_defined() && !is_integer(lhs)) throw_value_error("T2003", lhs);
        if (rhs.is_defined() && !is_integer(rhs)) throw_value_error("T2004", rhs);
        if (lhs.is_undefined() || rhs.is_undefined()) return Val();
        double a = lhs.as_number(), b = rhs.as_number();
        if (a > b) return Val();
        double size = b - a + 1;
        if (size > 1e7) throw_value_error("D2014", Val::number(size));
        ArrNode* out = new_sequence();
        Val range = Val::adopt_array(out);  // owned before tick() can throw
        auto count = static_cast<std::size_t>(size);
        out->items.reserve(count);
        for (std::size_t i = 0; i < count; ++i) {
          out->items.push_back(Val::number(a + static_cast<double>(i)));
          tick();  // reads the clock once in 1024
        }
        return range;
      }
      case BinOp::kIn: {
        if (lhs.is_undefined() || rhs.is_undefined()) return Val::boolean(false);
        Items items(rhs);
        for (std::size_t i = 0; i < items.size(); ++i) {
          if (items[i].strict_equals(lhs)) return Val::boolean(true);
        }
        return Val::boolean(false);
      }
    }
  } catch (EvalError& e) {
    e.position = n->position;
    e.token = Val::string(op_text(n->op));
    throw;
  }
  return Val();
}

Val Evaluator::eval_bool_op(const Node* n, const Val& input, Env* env) {
  Val lhs = eval(n->lhs, input, env);
  try {
    bool l = truthy(lhs);
    if (n->type == NType::kAnd) {
      if (!l) return Val::boolean(false);
      return Val::boolean(truthy(eval(n->rhs, input, env)));
    }
    if (l) return Val::boolean(true);
    return Val::boolean(truthy(eval(n->rhs, input, env)));
  } catch (EvalError& e) {
    e.position = n->position;
    e.token = Val::string(n->type == NType::kAnd ? "and" : "or");
    throw;
  }
}

Val Evaluator::eval_negate(const Node* n, const Val& input, Env* env) {
  Val v = eval(n->lhs, input, env);
  if (v.is_undefined()) return v;
  if (is_numeric(v)) return Val::number(-v.as_number());
  fail_with("D1002", n->position, Val::string("-"), v);
}

Val Evaluator::eval_array(const Node* n, const Val& input, Env* env) {
  ArrNode* out = new_array();
  Val result = Val::adopt_array(out);
  for (const Node* item : n->items) {
    Val v = eval(item, input, env);
    if (v.is_undefined()) continue;
    if (item->type == NType::kArray) {
      out->items.push_back(std::move(v));
    } else if (v.is_array()) {
      std::size_t m = v.size();
      // Room for all of it at once: doubling past a big array would charge the memory budget
      // (value.h) with both the old and the new block.
      std::size_t need = out->items.size() + m;
      if (need > out->items.capacity()) {
        out->items.reserve(std::max(need, 2 * out->items.capacity()));
      }
      for (std::size_t i = 0; i < m; ++i) out->items.push_back(v.at(i));
    } else {
      out->items.push_back(std::move(v));
    }
  }
  if (n->consarray) out->cons = true;
  return result;
}

Val Evaluator::eval_block(const Node* n, const Val& input, Env* env) {
  EnvRef frame;
  Env* scope = env;
  if (n->needs_frame) {
    frame = EnvRef(new_env(env));
    scope = frame.get();
  }
  Val result;
  for (const Node* e : n->items) result = eval(e, input, scope);
  return result;
}

// Object constructors and group-by: group the input items by each key expression, then evaluate
// each group's value expression on the group's items.
Val Evaluator::eval_group(const std::vector<std::pair<Node*, Node*>>& pairs, int position,
                          const Val& input, Env* env) {
  bool reduce = input.tuple_stream();
  std::vector<Val> items;
  if (input.is_array()) {
    std::size_t n = input.size();
    items.reserve(n);
    for (std::size_t i = 0; i < n; ++i) items.push_back(input.at(i));
  } else {
    items.push_back(input);
  }
  if (items.empty()) items.emplace_back();
  struct Group {
    Val data;
    std::size_t expr_index;
    bool owned_data = false;  // data is an array this loop built (appended to in place)
  };
  std::vector<std::pair<std::string, Group>> groups;
  std::unordered_map<std::string, std::size_t> index;
  for (const Val& item : items) {
    EnvRef frame;
    Env* scope = env;
    if (reduce) {
      frame = tuple_frame(item, env);
      scope = frame.get();
    }
    const Val& context = reduce && item.is_tuple() ? item.tuple()->focus : item;
    for (std::size_t p = 0; p < pairs.size(); ++p) {
      Val key = eval(pairs[p].first, context, scope);
      if (key.is_undefined()) continue;
      if (!key.is_string()) fail_with("T1003", position, std::nullopt, key);
      auto it = index.find(key.str());
      if (it != index.end()) {
        Group& g = groups[it->second].second;
        if (g.expr_index != p) fail_with("D1009", position, std::nullopt, key);
        if (g.owned_data && g.data.rep() == Val::Rep::kArray && g.data.arr()->refs == 1) {
          ArrNode* a = g.data.arr();
          if (item.is_array()) {
            std::size_t m = item.size();
            for (std::size_t k = 0; k < m; ++k) a->items.push_back(item.at(k));
          } else {
            a->items.push_back(item);
          }
        } else {
          g.data = append(g.data, item);
          g.owned_data = true;
        }
      } else {
        index.emplace(key.str(), groups.size());
        groups.emplace_back(key.str(), Group{item, p, false});
      }
    }
  }
  ObjNode* out = new_object();
  Val result = Val::adopt_object(out);
  out->members.reserve(groups.size());
  for (auto& [key, g] : groups) {
    Val value;
    if (reduce) {
      // Merge the group's tuples: each binding becomes the sequence of its values.
      auto* merged = new TupleNode();
      Val merged_val = Val::adopt_tuple(merged);
      if (g.data.is_array()) {
        std::size_t m = g.data.size();
        for (std::size_t k = 0; k < m; ++k) {
          Val t = g.data.at(k);
          if (!t.is_tuple()) continue;
          if (k == 0) {
            merged->focus = t.tuple()->focus;
            merged->binds = t.tuple()->binds;
            continue;
          }
          merged->focus = append(merged->focus, t.tuple()->focus);
          for (const auto& [id, v] : t.tuple()->binds) {
            const Val* existing = merged->find(id);
            merged->set(id, append(existing != nullptr ? *existing : Val(), v));
          }
        }
      } else if (g.data.is_tuple()) {
        merged->focus = g.data.tuple()->focus;
        merged->binds = g.data.tuple()->binds;
      }
      EnvRef frame = tuple_frame(merged_val, env);
      value = eval(pairs[g.expr_index].second, merged->focus, frame.get());
    } else {
      value = eval(pairs[g.expr_index].second, g.data, env);
    }
    if (value.is_defined()) out->append(key, std::move(value));
  }
  return result;
}

// Order-by: a stable merge sort, top-down like JSONata's, on the terms' values.
Val Evaluator::eval_sort(const Node* n, const Val& input, Env* env) {
  bool tuple_sort = input.tuple_stream();
  if (!input.is_array() || input.size() <= 1) return input;
  std::size_t count = input.size();
  ValVector items;
  items.reserve(count);
  for (std::size_t i = 0; i < count; ++i) items.push_back(input.at(i));

  auto term_value = [&](const SortTerm& term, const Val& item) {
    if (tuple_sort && item.is_tuple()) {
      EnvRef frame = tuple_frame(item, env);
      return eval(term.expr, item.tuple()->focus, frame.get());
    }
    return eval(term.expr, item, env);
  };
  // True when a must come after b.
  auto swap_needed = [&](const Val& a, const Val& b) {
    int comp = 0;
    for (std::size_t t = 0; comp == 0 && t < n->terms.size(); ++t) {
      const SortTerm& term = n->terms[t];
      Val aa = term_value(term, a);
      Val bb = term_value(term, b);
      if (aa.is_undefined()) {
        comp = bb.is_undefined() ? 0 : 1;
        continue;
      }
      if (bb.is_undefined()) {
        comp = -1;
        continue;
      }
      bool a_ok = aa.is_string() || aa.is_number();
      bool b_ok = bb.is_string() || bb.is_number();
      if (!a_ok || !b_ok) fail_with("T2008", n->position, std::nullopt, a_ok ? bb : aa);
      if (aa.kind() != bb.kind()) fail_with("T2007", n->position, std::nullopt, aa, bb);
      int c;
      if (aa.is_number()) {
        double x = aa.as_number(), y = bb.as_number();
        c = x == y ? 0 : x < y ? -1 : 1;
        if (std::isnan(x) || std::isnan(y)) c = 1;
      } else {
        c = compare_utf16(aa.str(), bb.str());
        c = c < 0 ? -1 : c > 0 ? 1 : 0;
      }
      if (c == 0) continue;
      comp = term.descending ? -c : c;
    }
    return comp == 1;
  };
  ValVector scratch(count);
  // Recursive on halves (depth log2 n).
  struct Sorter {
    ValVector& v;
    ValVector& tmp;
    decltype(swap_needed)& after;
    Evaluator& ev;
    void sort(std::size_t lo, std::size_t hi) {
      if (hi - lo <= 1) return;
      std::size_t mid = lo + (hi - lo) / 2;
      sort(lo, mid);
      sort(mid, hi);
      std::size_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi) {
        ev.tick();
        if (after(v[i], v[j])) {
          tmp[k++] = std::move(v[j++]);
        } else {
          tmp[k++] = std::move(v[i++]);
        }
      }
      while (i < mid) tmp[k++] = std::move(v[i++]);
      while (j < hi) tmp[k++] = std::move(v[j++]);
      for (std::size_t x = lo; x < hi; ++x) v[x] = std::move(tmp[x]);
    }
  } sorter{items, scratch, swap_needed, *this};
  sorter.sort(0, count);
  ArrNode* out = new_array();
  out->items = std::move(items);
  return Val::adopt_array(out);
}

Val Evaluator::eval_wildcard(const Val& input_val) {
  Val input = input_val;
  if (input.outer_wrapper() && input.size() > 0) input = input.at(0);
  ArrNode* out = new_sequence();
  Val result = Val::adopt_array(out);
  auto add = [&](const Val& value) {
    if (value.is_array()) {
      flatten_into(value, out);
      out->sequence = false;  // JSONata's append returns a plain array
    } else if (value.is_defined()) {
      out->items.push_back(value);
    }
  };
  if (input.is_object()) {
    if (input.rep() == Val::Rep::kJsonObject) {
      for (const auto& [k, v] : *input.jobj()) add(Val::from_json(v));
    } else {
      for (const auto& [k, v] : input.obj()->members) add(v);
    }
  } else if (input.is_array()) {
    std::size_t n = input.size();
    for (std::size_t i = 0; i < n; ++i) add(input.at(i));
  }
  return result;
}

namespace {
void descend(const Val& v, ArrNode* out, int depth) {
  if (depth > 3000) return;
  if (!v.is_array()) out->items.push_back(v);
  if (v.is_array()) {
    std::size_t n = v.size();
    for (std::size_t i = 0; i < n; ++i) descend(v.at(i), out, depth + 1);
  } else if (v.rep() == Val::Rep::kJsonObject) {
    for (const auto& [k, m] : *v.jobj()) descend(Val::from_json(m), out, depth + 1);
  } else if (v.rep() == Val::Rep::kObject) {
    for (const auto& [k, m] : v.obj()->members) descend(m, out, depth + 1);
  }
}
}  // namespace

Val Evaluator::eval_descendants(const Val& input) {
  if (input.is_undefined()) return Val();
  ArrNode* out = new_sequence();
  Val result = Val::adopt_array(out);
  descend(input, out, 0);
  if (out->items.size() == 1) return out->items[0];
  return result;
}

// ---------------------------------------------------------------------------------------------
// Variables and functions.

Val Evaluator::builtin_value(const Builtin* b) {
  for (const auto& [builtin, v] : builtin_values_) {
    if (builtin == b) return v;
  }
  FnNode* f = new FnNode(FnKind::kBuiltin);
  f->builtin = b;
  f->signature = &b->signature;
  Val v = Val::adopt_function(f);
  builtin_values_.emplace_back(b, v);
  return v;
}

Val Evaluator::lookup_variable(uint32_t id, Env* env) {
  if (const Val* v = env->find(id)) return *v;
  if (id == program_.var_root) return root_input_;
  if (bindings_ != nullptr) {
    if (const json::Value* j = *binding(id)) return Val::from_json(*j);
  }
  if (const Builtin* b = find_builtin(program_.symbols.name(id))) return builtin_value(b);
  return Val();
}

Val Evaluator::eval_variable(const Node* n, const Val& input, Env* env) {
  if (n->str.empty()) {
    if (input.outer_wrapper() && input.size() > 0) return input.at(0);
    return input;
  }
  if (n->may_be_local) {
    if (const Val* v = env->find(n->var)) return *v;
  }
  if (n->var == program_.var_root) return root_input_;
  if (bindings_ != nullptr) {
    if (const json::Value* j = *binding(n->var)) return Val::from_json(*j);
  }
  if (n->builtin != nullptr) return builtin_value(n->builtin);
  return Val();
}

int Evaluator::arity(const Val& fn) {
  if (!fn.is_function()) return 0;
  FnNode* f = fn.fn();
  switch (f->kind) {
    case FnKind::kLambda:
      return static_cast<int>(f->params.size());
    case FnKind::kBuiltin:
      return f->builtin->arity;
    case FnKind::kPartialBuiltin: {
      int holes = 0;
      for (bool h : f->holes) holes += h ? 1 : 0;
      return holes;
    }
    case FnKind::kRegex:
      return 2;
    case FnKind::kRegexNext:
      return 0;
    case FnKind::kTransform:
    case FnKind::kChain:
      return 1;
    case FnKind::kThunk:
      return 0;
  }
  return 0;
}

namespace {
// The name JSONata reports for a call's procedure.
std::string procedure_name(const Node* proc) {
  if (proc->type == NType::kPath && !proc->items.empty()) return proc->items[0]->str;
  return proc->str;
}
}  // namespace

const Builtin* Evaluator::direct_builtin(const Node* procedure, Env* env) {
  if (procedure->type != NType::kVariable || procedure->builtin == nullptr) return nullptr;
  if (procedure->may_be_local && env->find(procedure->var) != nullptr) return nullptr;
  if (procedure->var == program_.var_root) return nullptr;
  if (bindings_ != nullptr && *binding(procedure->var) != nullptr) return nullptr;
  return procedure->builtin;
}

Val Evaluator::eval_function(const Node* n, const Val& input, Env* env, const Val* applyto) {
  // `$name(...)` naming a built-in that nothing shadows: called without making it a function
  // value first (an allocation per call), exactly as apply() would call it.
  if (const Builtin* b = direct_builtin(n->procedure, env)) {
    // The argument vector comes from, and goes back to, a small per-thread pool: a call
    // allocates nothing for it once the pool is warm.
    thread_local std::vector<std::vector<Val>> arg_pool;
    std::vector<Val> args;
    if (!arg_pool.empty()) {
      args = std::move(arg_pool.back());
      arg_pool.pop_back();
    }
    args.reserve(n->items.size() + (applyto != nullptr ? 1 : 0));
    if (applyto != nullptr) args.push_back(*applyto);
    for (const Node* a : n->items) args.push_back(eval(a, input, env));
    try {
      b->signature.validate(args, input);
      CallInfo info{input, env};
      Val result = b->impl(*this, args, info);
      if (arg_pool.size() < kArgPoolSize) {
        args.clear();
        arg_pool.push_back(std::move(args));
      }
      return finish_tail_calls(std::move(result), input, env);
    } catch (EvalError& e) {
      e.position = n->position;
      if (!e.token) e.token = Val::string(procedure_name(n->procedure));
      throw;
    }
  }
  Val proc = eval(n->procedure, input, env);
  if (proc.is_undefined() && n->procedure->type == NType::kPath &&
      n->procedure->items[0]->type == NType::kName) {
    // Help the user out if they simply forgot the leading $.
    const std::string& name = n->procedure->items[0]->str;
    bool known =
        find_builtin(name) != nullptr || (bindings_ != nullptr && bindings_->find(name) != nullptr);
    if (!known) {
      for (uint32_t id = 0; id < program_.symbols.size() && !known; ++id) {
        if (program_.symbols.name(id) == name && env->find(id) != nullptr) known = true;
      }
    }
    if (known) fail_with("T1005", n->position, Val::string(name));
  }
  std::vector<Val> args;
  args.reserve(n->items.size() + (applyto != nullptr ? 1 : 0));
  if (applyto != nullptr) args.push_back(*applyto);
  for (const Node* a : n->items) args.push_back(eval(a, input, env));
  Val result;
  try {
    result = apply_inner(proc, args, input, env);
  } catch (EvalError& e) {
    // JSONata's applyInner: an error inside the function takes the position of this call.
    if (proc.is_function() || e.position < 0) e.position = n->position;
    if (!e.token) e.token = Val::string(procedure_name(n->procedure));
    throw;
  }
  try {
    return finish_tail_calls(std::move(result), input, env);
  } catch (EvalError& e) {
    // A tail call the function ended with failed: the error keeps the position of that call
    // (JSONata's trampoline applies it apart), and takes this one's only when it has none.
    if (e.position < 0) e.position = n->position;
    if (!e.token) e.token = Val::string(procedure_name(n->procedure));
    throw;
  }
}

Val Evaluator::eval_partial(const Node* n, const Val& input, Env* env) {
  std::vector<Val> args;
  std::vector<bool> holes;
  for (const Node* a : n->items) {
    if (a->type == NType::kPlaceholder) {
      args.emplace_back();
      holes.push_back(true);
    } else {
      args.push_back(eval(a, input, env));
      holes.push_back(false);
    }
  }
  Val proc = eval(n->procedure, input, env);
  if (proc.is_undefined() && n->procedure->type == NType::kPath &&
      n->procedure->items[0]->type == NType::kName) {
    const std::string& name = n->procedure->items[0]->str;
    if (find_builtin(name) != nullptr ||
        (bindings_ != nullptr && bindings_->find(name) != nullptr)) {
      fail_with("T1007", n->position, Val::string(name));
    }
  }
  if (proc.is_function() && proc.fn()->kind == FnKind::kLambda) {
    FnNode* src = proc.fn();
    Env* frame = new_env(src->env);
    FnNode* f = new FnNode(FnKind::kLambda);
    f->node = src->node;
    f->input = src->input;
    for (std::size_t i = 0; i < src->params.size(); ++i) {
      if (i < args.size() && !holes[i]) {
        frame->bind(src->params[i], args[i]);
      } else if (i < args.size() && holes[i]) {
        f->params.push_back(src->params[i]);
      } else {
        frame->bind(src->params[i], Val());
      }
    }
    f->set_env(frame);
    --frame->refs;  // f holds the only reference
    return Val::adopt_function(f);
  }
  if (proc.is_function() && proc.fn()->kind == FnKind::kBuiltin) {
    const Builtin* b = proc.fn()->builtin;
    FnNode* f = new FnNode(FnKind::kPartialBuiltin);
    f->builtin = b;
    // Arguments beyond the ones the implementation declares are dropped, as JSONata does.
    auto declared = static_cast<std::size_t>(std::max(b->arity, 0));
    args.resize(std::max(declared, std::size_t{0}));
    holes.resize(declared, false);
    f->args = std::move(args);
    f->holes = std::move(holes);
    return Val::adopt_function(f);
  }
  if (proc.is_function()) {
    // Any other function (a regex, a transform, a chain, an already partial built-in): wrap it.
    FnNode* f = new FnNode(FnKind::kPartialBuiltin);
    f->args = std::move(args);
    f->holes = std::move(holes);
    f->args.push_back(proc);  // the target travels as the last element
    f->builtin = nullptr;
    return Val::adopt_function(f);
  }
  fail_with("T1008", n->position, Val::string(procedure_name(n->procedure)));
}

Val Evaluator::eval_apply(const Node* n, const Val& input, Env* env) {
  Val lhs = eval(n->lhs, input, env);
  if (n->rhs->type == NType::kFunction) return eval_function(n->rhs, input, env, &lhs);
  Val func = eval(n->rhs, input, env);
  if (!func.is_function()) fail_with("T2006", n->position, std::nullopt, func);
  if (lhs.is_function()) {
    FnNode* f = new FnNode(FnKind::kChain);
    f->args.push_back(lhs);
    f->args.push_back(func);
    return Val::adopt_function(f);
  }
  std::vector<Val> args{lhs};
  return apply(func, args, Val::null(), env);
}

Val Evaluator::call(const Val& fn, std::vector<Val> args, Env* env) {
  return apply(fn, args, Val::null(), env);
}

Val Evaluator::apply(const Val& proc, std::vector<Val>& args, const Val& input, Env* env) {
  return finish_tail_calls(apply_inner(proc, args, input, env), input, env);
}

Val Evaluator::finish_tail_calls(Val result, const Val& input, Env* env) {
  while (result.is_function() && result.fn()->kind == FnKind::kThunk) {
    // A tail call: evaluate its procedure and arguments in the callee's frame, then apply it
    // here instead of deeper in the C++ stack.
    FnNode* t = result.fn();
    const Node* call = t->node;
    Val thunk = result;  // keep the frame alive while evaluating
    Val next = eval(call->procedure, t->input, t->env);
    std::vector<Val> next_args;
    next_args.reserve(call->items.size());
    for (const Node* a : call->items) next_args.push_back(eval(a, t->input, t->env));
    try {
      result = apply_inner(next, next_args, input, env);
    } catch (EvalError& e) {
      if (!e.token && call->procedure->type == NType::kVariable) {
        e.token = Val::string(call->procedure->str);
      }
      if (next.is_function() || e.position < 0) e.position = call->procedure->position;
      throw;
    }
  }
  return result;
}

Val Evaluator::apply_inner(const Val& proc, std::vector<Val>& args_in, const Val& input, Env* env) {
  if (!proc.is_function()) throw_error("T1006");
  FnNode* f = proc.fn();
  std::vector<Val>* args = &args_in;
  if (const Signature* sig = f->signature) sig->validate(args_in, input);
  switch (f->kind) {
    case FnKind::kLambda: {
      EnvRef frame(new_env(f->env));
      for (std::size_t i = 0; i < f->params.size(); ++i) {
        frame->bind(f->params[i], i < args->size() ? (*args)[i] : Val());
      }
      return eval(f->node->body, f->input, frame.get());
    }
    case FnKind::kBuiltin: {
      CallInfo info{input, env};
      return f->builtin->impl(*this, *args, info);
    }
    case FnKind::kPartialBuiltin: {
      // Fill the holes with the supplied arguments, in order.
      std::vector<Val> full;
      std::size_t next = 0;
      bool wrapped = f->builtin == nullptr;
      std::size_t count = wrapped ? f->args.size() - 1 : f->args.size();
      for (std::size_t i = 0; i < count; ++i) {
        if (f->holes[i]) {
          full.push_back(next < args->size() ? (*args)[next] : Val());
          ++next;
        } else {
          full.push_back(f->args[i]);
        }
      }
      if (wrapped) return apply(f->args.back(), full, input, env);
      Val target = builtin_value(f->builtin);
      return apply_inner(target, full, input, env);
    }
    case FnKind::kRegex:
      return apply_regex(f->regex, args->empty() ? Val() : (*args)[0],
                         args->size() > 1 && (*args)[1].is_number()
                             ? static_cast<std::size_t>(std::max(0.0, (*args)[1].as_number()))
                             : 0);
    case FnKind::kRegexNext: {
      const Val& subject = f->args[0];
      if (f->from >= subject.str().size()) return Val();
      Val next = apply_regex(f->regex, subject, f->from);
      if (next.is_object()) {
        Val m = next.get("match");
        if (m.is_string() && m.str().empty()) throw_error("D1004");
      }
      return next;
    }
    case FnKind::kTransform:
      return apply_transform(f, args->empty() ? Val() : (*args)[0]);
    case FnKind::kChain: {
      std::vector<Val> first{args->empty() ? Val() : (*args)[0]};
      Val mid = apply(f->args[0], first, Val::null(), env);
      std::vector<Val> second{mid};
      return apply(f->args[1], second, Val::null(), env);
    }
    case FnKind::kThunk:
      return proc;
  }
  return Val();
}

// The regular expression as a function: the first match at or after `from` (a byte offset),
// as JSONata's matcher object {match, start, end, groups, next}.
Val Evaluator::apply_regex(const Regex* re, const Val& subject, std::size_t from) {
  if (!subject.is_string()) return Val();
  const std::string& s = subject.str();
  if (from > s.size()) return Val();
  Regex::Match m;
  if (!re->search(s, from, m)) return Val();
  ObjNode* o = new_object();
  Val result = Val::adopt_object(o);
  o->members.emplace_back("match", Val::string(s.substr(m.start, m.end - m.start)));
  o->members.emplace_back(
      "start",
      Val::number(static_cast<double>(utf16_length(std::string_view(s).substr(0, m.start)))));
  o->members.emplace_back(
      "end", Val::number(static_cast<double>(utf16_length(std::string_view(s).substr(0, m.end)))));
  ArrNode* groups = new_array();
  for (const auto& g : m.groups) {
    groups->items.push_back(g ? Val::string(s.substr(g->first, g->second - g->first)) : Val());
  }
  o->members.emplace_back("groups", Val::adopt_array(groups));
  FnNode* next = new FnNode(FnKind::kRegexNext);
  next->regex = re;
  next->args.push_back(subject);
  next->from = m.end;
  o->members.emplace_back("next", Val::adopt_function(next));
  return result;
}

namespace {

// Whether v may lead back to target: setting it as a member of target would then make a cycle
// that reference counting never frees. Past `budget` nodes or 256 levels it answers yes (the
// worst that costs is emptying target when the evaluation ends, when nothing uses it any more).
bool may_reach(const Val& v, const HeapNode* target, std::size_t& budget, int depth = 0) {
  if (budget == 0 || depth > 256) return true;
  --budget;
  switch (v.rep()) {
    case Val::Rep::kArray:
      if (v.arr() == target) return true;
      for (const Val& item : v.arr()->items) {
        if (may_reach(item, target, budget, depth + 1)) return true;
      }
      return false;
    case Val::Rep::kObject:
      if (v.obj() == target) return true;
      for (const auto& member : v.obj()->members) {
        if (may_reach(member.second, target, budget, depth + 1)) return true;
      }
      return false;
    case Val::Rep::kFunction: {
      const FnNode* fn = v.fn();
      if (may_reach(fn->input, target, budget, depth + 1)) return true;
      for (const Val& a : fn->args) {
        if (may_reach(a, target, budget, depth + 1)) return true;
      }
      for (const Env* e = fn->env; e != nullptr; e = e->parent) {
        for (const auto& var : e->vars) {
          if (may_reach(var.second, target, budget, depth + 1)) return true;
        }
      }
      return false;
    }
    case Val::Rep::kTuple:
      return true;  // never a member value; answer safely
    default:
      return false;  // scalars and the caller's documents hold nothing of the evaluation
  }
}

}  // namespace

Val Evaluator::apply_transform(FnNode* f, const Val& obj) {
  if (obj.is_undefined()) return Val();
  const Node* n = f->node;
  Val clone_fn = lookup_variable(program_.var_clone, f->env);
  if (!clone_fn.is_function()) fail_with("T2013", n->position, std::nullopt);
  std::vector<Val> clone_args{obj};
  Val result = apply(clone_fn, clone_args, Val::null(), f->env);
  Val matches = eval(n->lhs, result, f->env);
  if (matches.is_undefined()) return result;
  Items items(matches);
  for (std::size_t i = 0; i < items.size(); ++i) {
    Val match = items[i];
    Val update = eval(n->rhs, match, f->env);
    if (update.is_defined()) {
      if (!update.is_object()) fail_with("T2011", n->rhs->position, std::nullopt, update);
      if (match.rep() == Val::Rep::kObject) {
        ObjNode* target = match.obj();
        if (update.rep() == Val::Rep::kJsonObject) {
          for (const auto& [k, v] : *update.jobj()) target->set(k, Val::from_json(v));
        } else {
          bool cyclic = false;
          for (const auto& [k, v] : update.obj()->members) {
            std::size_t budget = 4096;
            if (!cyclic && may_reach(v, target, budget)) {
              cyclic = true;
              cyclic_objects_.push_back(match);
            }
            target->set(k, v);
          }
        }
      }
    }
    if (n->third != nullptr) {
      Val deletions = eval(n->third, match, f->env);
      if (deletions.is_defined()) {
        Items del(deletions);
        for (std::size_t k = 0; k < del.size(); ++k) {
          if (!del[k].is_string()) fail_with("T2012", n->third->position, std::nullopt, deletions);
        }
        if (match.rep() == Val::Rep::kObject) {
          for (std::size_t k = 0; k < del.size(); ++k) match.obj()->erase(del[k].str());
        }
      }
    }
  }
  return result;
}

}  // namespace sluice::engine::jsonata
