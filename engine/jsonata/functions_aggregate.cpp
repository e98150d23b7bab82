// $sum, $count, $max, $min, $average.
#include <algorithm>
#include <cmath>

#include "engine/jsonata/evaluator.h"
#include "engine/jsonata/function_util.h"
#include "engine/jsonata/functions.h"

namespace sluice::engine::jsonata {

namespace {

Val fn_sum(Evaluator&, std::vector<Val>& args, const CallInfo&) {
  const Val& a = arg(args, 0);
  if (a.is_undefined()) return Val();
  double total = 0;
  std::size_t n = a.size();
  for (std::size_t i = 0; i < n; ++i) total += a.at(i).as_number();
  return num_val(total);
}

Val fn_count(Evaluator&, std::vector<Val>& args, const CallInfo&) {
  const Val& a = arg(args, 0);
  if (a.is_undefined()) return num_val(0);
  return num_val(static_cast<double>(a.size()));
}

template <bool kMax>
Val fn_extreme(Evaluator&, std::vector<Val>& args, const CallInfo&) {
  const Val& a = arg(args, 0);
  if (a.is_undefined() || a.size() == 0) return Val();
  double best = kMax ? -INFINITY : INFINITY;
  std::size_t n = a.size();
  for (std::size_t i = 0; i < n; ++i) {
    double d = a.at(i).as_number();
    if (std::isnan(d)) return num_val(NAN);  // Math.max/min propagate NaN
    best = kMax ? std::max(best, d) : std::min(best, d);
  }
  return num_val(best);
}

Val fn_average(Evaluator&, std::vector<Val>& args, const CallInfo&) {
  const Val& a = arg(args, 0);
  if (a.is_undefined() || a.size() == 0) return Val();
  double total = 0;
  std::size_t n = a.size();
  for (std::size_t i = 0; i < n; ++i) total += a.at(i).as_number();
  return num_val(total / static_cast<double>(n));
}

}  // namespace

void register_aggregate_functions(std::vector<Builtin>& t) {
  add_builtin(t, "sum", "<a<n>:n>", 1, fn_sum);
  add_builtin(t, "count", "<a:n>", 1, fn_count);
  add_builtin(t, "max", "<a<n>:n>", 1, fn_extreme<true>);
  add_builtin(t, "min", "<a<n>:n>", 1, fn_extreme<false>);
  add_builtin(t, "average", "<a<n>:n>", 1, fn_average);
}

}  // namespace sluice::engine::jsonata
