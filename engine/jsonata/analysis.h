// What an expression reads, found by walking its compiled tree without evaluating it. Step
// Functions checks these when a definition is created: JSONata in a state has no input ("$$"
// and a path from the top are refused), $states has members that exist only in some fields, and
// DescribeStateMachine lists the variables each state reads.
#pragma once

#include <set>
#include <string>

#include "engine/jsonata/jsonata.h"

namespace sluice::engine::jsonata {

struct ExpressionFacts {
  // $name read from the bindings: not a built-in function, not bound inside the expression
  // (":=", a lambda parameter, a focus or index variable).
  std::set<std::string> variables;
  // $states.<member> read as a path ("input", "result", ...).
  std::set<std::string> states_members;
  // $states read some other way ($keys($states), $states[...]): any member may be read.
  bool states_whole = false;
  bool reads_input_root = false;  // $$
  // The first field name the expression reads from its input, where the input is the
  // expression's own (not a path step's or a predicate's): "a" for `a.b` or `{"k": a}`.
  std::string top_level_name;
};

ExpressionFacts analyze(const Expression& expression);

}  // namespace sluice::engine::jsonata
