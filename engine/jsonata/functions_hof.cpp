// $map, $filter, $single, $reduce: the higher-order functions. A callback receives as many of
// (value, index, array) as it declares.
#include "engine/jsonata/evaluator.h"
#include "engine/jsonata/function_util.h"
#include "engine/jsonata/functions.h"
#include "engine/jsonata/value_ops.h"

namespace sluice::engine::jsonata {

namespace {

std::vector<Val> callback_args(const Val& fn, Val value, std::size_t index, const Val& whole) {
  int n = Evaluator::arity(fn);
  std::vector<Val> out{std::move(value)};
  if (n >= 2) out.push_back(Val::number(static_cast<double>(index)));
  if (n >= 3) out.push_back(whole);
  return out;
}

Val fn_map(Evaluator& ev, std::vector<Val>& args, const CallInfo& call) {
  const Val& arr = arg(args, 0);
  if (arr.is_undefined()) return Val();
  const Val& fn = arg(args, 1);
  ArrNode* out = new_sequence();
  Val result = Val::adopt_array(out);
  std::size_t n = arr.size();
  for (std::size_t i = 0; i < n; ++i) {
    Val r = ev.call(fn, callback_args(fn, arr.at(i), i, arr), call.env);
    if (r.is_defined()) out->items.push_back(std::move(r));
  }
  return result;
}

Val fn_filter(Evaluator& ev, std::vector<Val>& args, const CallInfo& call) {
  const Val& arr = arg(args, 0);
  if (arr.is_undefined()) return Val();
  const Val& fn = arg(args, 1);
  ArrNode* out = new_sequence();
  Val result = Val::adopt_array(out);
  std::size_t n = arr.size();
  for (std::size_t i = 0; i < n; ++i) {
    Val item = arr.at(i);
    if (truthy(ev.call(fn, callback_args(fn, item, i, arr), call.env))) {
      out->items.push_back(std::move(item));
    }
  }
  return result;
}

Val fn_single(Evaluator& ev, std::vector<Val>& args, const CallInfo& call) {
  const Val& arr = arg(args, 0);
  if (arr.is_undefined()) return Val();
  const Val& fn = arg(args, 1);
  bool found = false;
  Val result;
  std::size_t n = arr.size();
  for (std::size_t i = 0; i < n; ++i) {
    Val item = arr.at(i);
    bool positive = true;
    if (fn.is_defined()) positive = truthy(ev.call(fn, callback_args(fn, item, i, arr), call.env));
    if (!positive) continue;
    if (found) fail("D3138", std::nullopt, static_cast<int>(i));
    result = std::move(item);
    found = true;
  }
  if (!found) fail("D3139");
  return result;
}

Val fn_reduce(Evaluator& ev, std::vector<Val>& args, const CallInfo& call) {
  const Val& seq = arg(args, 0);
  if (seq.is_undefined()) return Val();
  const Val& fn = arg(args, 1);
  int arity = Evaluator::arity(fn);
  if (arity < 2) fail("D3050", std::nullopt, 1);
  const Val& init = arg(args, 2);
  std::size_t n = seq.size();
  std::size_t index = 0;
  Val result;
  if (init.is_undefined() && n > 0) {
    result = seq.at(0);
    index = 1;
  } else {
    result = init;
  }
  for (; index < n; ++index) {
    std::vector<Val> call_args{result, seq.at(index)};
    if (arity >= 3) call_args.push_back(Val::number(static_cast<double>(index)));
    if (arity >= 4) call_args.push_back(seq);
    result = ev.call(fn, std::move(call_args), call.env);
  }
  return result;
}

}  // namespace

void register_hof_functions(std::vector<Builtin>& t) {
  add_builtin(t, "map", "<af>", 2, fn_map);
  add_builtin(t, "filter", "<af>", 2, fn_filter);
  add_builtin(t, "single", "<af?>", 2, fn_single);
  add_builtin(t, "reduce", "<afj?:j>", 3, fn_reduce);
}

}  // namespace sluice::engine::jsonata
