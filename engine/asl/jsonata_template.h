// JsonataTemplate: the value of a field of a JSONata state (Arguments, Output, Assign, Items,
// ItemSelector, Seconds, Error, ...) compiled once. A string that starts with "{%" and ends with
// "%}" (nothing outside them, not even a space) is a JSONata expression; every other value is
// literal, and objects and arrays are walked so that expressions at any depth are found. A
// subtree with no expression in it is kept as a ready-made value.
//
// Evaluation replaces each expression by its result, types preserved. An expression that fails
// or returns nothing (undefined) is a States.QueryEvaluationError: Error::location names the
// field as AWS does ("Output", "Output/result", "Items[1]") and the message is AWS's cause
// without the "An error occurred while executing the state ..." prefix the executor adds.
//
// A compiled JsonataTemplate is immutable and may be shared by any number of threads.
#pragma once

#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/asl/diagnostic.h"
#include "engine/asl/eval_scope.h"
#include "engine/json/json_value.h"
#include "engine/jsonata/jsonata.h"
#include "storage/result.h"

namespace sluice::engine::asl {

struct JsonataNode;  // internal to jsonata_template.cpp

// What an expression of a state may read of $states, by field (AWS checks it when the definition
// is created: $states.result only where there is a result, $states.errorOutput only in a Catch).
enum class StatesAccess : uint8_t {
  kInput = 1,        // input and context: every field
  kResult = 2,       // + result: Output and Assign of Task, Map, Parallel
  kErrorOutput = 4,  // + errorOutput: Output and Assign of a Catcher
};

// The values a JSONata state's expressions read, for one evaluation: $states and the variables.
// $states is an object {input, context, result?, errorOutput?}; the executor builds it without
// copying (StatesObject in engine/executor).
class ExpressionScope final : public jsonata::Bindings {
 public:
  ExpressionScope(const json::Value& states, const VariableLookup* variables)
      : states_(states), variables_(variables) {}
  const json::Value* find(std::string_view name) const override {
    if (name == "states") return &states_;
    return variables_ != nullptr ? variables_->find(name) : nullptr;
  }
  const json::Value& states() const { return states_; }

 private:
  const json::Value& states_;
  const VariableLookup* variables_;
};

class JsonataTemplate {
 public:
  // True when `text` is written as an expression: "{%" ... "%}".
  static bool is_expression(std::string_view text);

  // Compiles `value`, the field `field` ("Output", "Choices[0]/Condition") of the state at
  // `state_location` ("/States/X"). Syntax errors and expressions that read what the field
  // cannot (`$$`, a misplaced $states.result or $states.errorOutput, a path with no variable in
  // front) are appended to `diagnostics` (INVALID_JSONATA_EXPRESSION,
  // UNSUPPORTED_JSONATA_EXPRESSION) and the result is then not usable.
  static JsonataTemplate compile(const json::Value& value, const std::string& field,
                                 const std::string& state_location, unsigned access,
                                 std::vector<Diagnostic>& diagnostics);

  JsonataTemplate() = default;

  Result<json::Value> evaluate(const ExpressionScope& scope, const jsonata::Limits& limits) const;

  // False when the value holds no expression (it never changes).
  bool is_dynamic() const;
  // The value itself when it is not dynamic.
  const json::Value& literal() const;
  // Adds the names of the variables the expressions read (not "states").
  void collect_variables(std::set<std::string>& names) const;
  // The field as AWS names it in errors ("Seconds", "Choices[0]/Condition").
  const std::string& field() const { return field_; }
  // The expression when the whole value is one (trimmed, as AWS quotes it), else empty.
  const std::string& text() const;

 private:
  std::shared_ptr<const JsonataNode> root_;
  std::string field_;
};

// The limits every state expression runs under: AWS stops an evaluation after about a second;
// the depth bound keeps a runaway recursion off the reactor's stack.
jsonata::Limits state_expression_limits();

}  // namespace sluice::engine::asl
