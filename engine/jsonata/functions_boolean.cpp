// $boolean, $not, $exists.
#include "engine/jsonata/evaluator.h"
#include "engine/jsonata/function_util.h"
#include "engine/jsonata/functions.h"
#include "engine/jsonata/value_ops.h"

namespace sluice::engine::jsonata {

namespace {

Val fn_boolean(Evaluator&, std::vector<Val>& args, const CallInfo&) {
  std::optional<bool> b = to_boolean(arg(args, 0), true);
  return b ? Val::boolean(*b) : Val();
}

Val fn_not(Evaluator&, std::vector<Val>& args, const CallInfo&) {
  std::optional<bool> b = to_boolean(arg(args, 0), true);
  return b ? Val::boolean(!*b) : Val();
}

Val fn_exists(Evaluator&, std::vector<Val>& args, const CallInfo&) {
  return Val::boolean(arg(args, 0).is_defined());
}

}  // namespace

void register_boolean_functions(std::vector<Builtin>& t) {
  add_builtin(t, "boolean", "<x-:b>", 1, fn_boolean);
  add_builtin(t, "not", "<x-:b>", 1, fn_not);
  add_builtin(t, "exists", "<x:b>", 1, fn_exists);
}

}  // namespace sluice::engine::jsonata
