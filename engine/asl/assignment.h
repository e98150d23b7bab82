// Assignment: a state's Assign field (workflow variables), compiled once, in either query
// language. Its keys are variable names; the values are evaluated together and assigned only
// after every expression of the state has been evaluated, so each of them sees the variables
// as they were when the state was entered.
//
//   JSONPath: a payload template over the Assign object: "name.$" takes a JSONPath ("$" is the
//             state's result, see the executor; "$$" the context, "$other" a variable) or an
//             intrinsic call and assigns `name`; every other value is assigned as written.
//   JSONata:  every "{% ... %}" string at any depth is an expression ($states, variables).
//
// Names are checked when the definition is compiled: Unicode identifiers of at most 80
// characters, not "states" (reserved for $states), never a path into a variable ("x.y", "x[0]").
//
// A compiled Assignment is immutable and may be shared by any number of threads.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/asl/diagnostic.h"
#include "engine/asl/eval_scope.h"
#include "engine/asl/jsonata_template.h"
#include "engine/asl/payload_template.h"
#include "engine/json/json_value.h"
#include "storage/result.h"

namespace sluice::engine::asl {

// AWS's limits on variables: one value, one Assign's values together, and everything an
// execution holds at once (the scope chain of a state), in bytes of JSON text.
inline constexpr std::size_t kMaxVariableBytes = 256 * 1024;
inline constexpr std::size_t kMaxAssignBytes = 256 * 1024;
inline constexpr std::size_t kMaxExecutionVariableBytes = 10 * 1024 * 1024;
inline constexpr std::size_t kMaxVariableNameLength = 80;

// Whether `name` may name a variable; when not, why (for the diagnostic).
std::optional<std::string> invalid_variable_name(std::string_view name);

class Assignment {
 public:
  // `field` is where the Assign sits inside the state ("Assign", "Catch[0]/Assign",
  // "Choices[1]/Assign"); `location` the definition path of the Assign object. nullopt (with
  // diagnostics) when it does not compile.
  static std::optional<Assignment> compile_jsonpath(const json::Value& assign,
                                                    const std::string& location,
                                                    std::vector<Diagnostic>& diagnostics);
  static std::optional<Assignment> compile_jsonata(const json::Value& assign,
                                                   const std::string& field,
                                                   const std::string& state_location,
                                                   unsigned access,
                                                   std::vector<Diagnostic>& diagnostics);

  // JSONPath: "$" in the values is `value`.
  Result<json::Object> evaluate(const json::Value& value, const EvalScope& scope) const;
  // JSONata.
  Result<json::Object> evaluate(const ExpressionScope& scope, const jsonata::Limits& limits) const;

  bool empty() const { return empty_; }
  // The variables the values read (for DescribeStateMachine's variableReferences).
  void collect_references(std::set<std::string>& names) const;

 private:
  std::optional<PayloadTemplate> paths_;
  std::optional<JsonataTemplate> expressions_;
  bool empty_ = true;
};

}  // namespace sluice::engine::asl
