// PayloadTemplate: a Parameters / ItemSelector / ResultSelector object compiled once. Fields whose
// name ends in ".$" take their value from a JSONPath or an intrinsic function call (and lose the
// ".$" suffix); everything else is copied as written. Nested objects and arrays are walked; a
// subtree with nothing dynamic in it is stored as a ready-made value.
//
// A compiled PayloadTemplate is immutable and may be shared by any number of threads.
#pragma once

#include <memory>
#include <set>
#include <string>

#include "engine/asl/eval_scope.h"
#include "engine/json/json_value.h"
#include "storage/result.h"

namespace sluice::engine::asl {

struct TemplateNode;  // internal to payload_template.cpp

class PayloadTemplate {
 public:
  // tmpl must be a JSON object. Fails with kInvalidDefinition, e.g. "The value for the field
  // 'x.$' must be a valid JSONPath or a valid intrinsic function call"; the message names the
  // field, the caller adds the location.
  static Result<PayloadTemplate> compile(const json::Value& tmpl);

  // Evaluates against the effective input ("$"), the context object ("$$") and the variables
  // ("$name"). A path that
  // selects nothing fails with kStatesRuntime ("The JSONPath '$.x' specified for the field
  // 'x.$' could not be found in the input '{...}'"); intrinsic failures pass through.
  Result<json::Value> evaluate(const json::Value& input, const EvalScope& scope) const;

  // False when the template holds no path and no call (its value never changes).
  bool is_dynamic() const;

  // Adds the names of the variables its paths and calls read ("$name...").
  void collect_variables(std::set<std::string>& names) const;

 private:
  std::shared_ptr<const TemplateNode> root_;
};

}  // namespace sluice::engine::asl
