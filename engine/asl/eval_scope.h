// EvalScope: what an expression of a state can read besides the value it is applied to: the
// context object ("$$" in JSONPath, $states.context in JSONata) and the workflow variables the
// state can see ("$name" in both query languages). Callers that have no variables pass the
// context alone (the conversion is implicit), and every "$name" then reads as undefined.
//
// Borrowed for one evaluation: it never outlives the values it points at.
#pragma once

#include <string_view>

#include "engine/json/json_value.h"

namespace sluice::engine::asl {

// Read access to the variables visible from a state: its own scope, then the enclosing ones
// (a Map iteration or Parallel branch sees the variables of the states around it).
class VariableLookup {
 public:
  virtual ~VariableLookup() = default;
  // nullptr when no visible scope holds the name.
  virtual const json::Value* find(std::string_view name) const = 0;
};

// Variables held in one JSON object (TestState's `variables`).
class ObjectVariables final : public VariableLookup {
 public:
  explicit ObjectVariables(const json::Object& values) : values_(values) {}
  const json::Value* find(std::string_view name) const override { return values_.find(name); }

 private:
  const json::Object& values_;
};

struct EvalScope {
  EvalScope(const json::Value& ctx) : context(ctx) {}  // NOLINT: implicit, see above
  EvalScope(const json::Value& ctx, const VariableLookup* vars) : context(ctx), variables(vars) {}

  const json::Value* variable(std::string_view name) const {
    return variables != nullptr ? variables->find(name) : nullptr;
  }

  const json::Value& context;
  const VariableLookup* variables = nullptr;
};

}  // namespace sluice::engine::asl
