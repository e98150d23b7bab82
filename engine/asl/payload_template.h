// PayloadTemplate: a Parameters / ItemSelector / ResultSelector object compiled once. Fields whose
// name ends in ".$" take their value from a JSONPath or an intrinsic function call (and lose the
// ".$" suffix); everything else is copied as written. Nested objects and arrays are walked; a
// subtree with nothing dynamic in it is stored as a ready-made value.
//
// A compiled PayloadTemplate is immutable and may be shared by any number of threads.
#pragma once

#include <memory>
#include <string>

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

  // Evaluates against the effective input ("$") and the context object ("$$"). A path that
  // selects nothing fails with kStatesRuntime ("The JSONPath '$.x' specified for the field
  // 'x.$' could not be found in the input '{...}'"); intrinsic failures pass through.
  Result<json::Value> evaluate(const json::Value& input, const json::Value& context) const;

  // False when the template holds no path and no call (its value never changes).
  bool is_dynamic() const;

 private:
  std::shared_ptr<const TemplateNode> root_;
};

}  // namespace sluice::engine::asl
