// ChoiceRule: one rule of a Choice state (JSONPath query language), compiled once: a comparison
// of the Variable with a literal or with another path (the "...Path" operators), a type test
// (IsNull, IsPresent, IsNumeric, IsString, IsBoolean, IsTimestamp), or And/Or/Not over nested
// rules. Top-level rules carry the Next state name; nested ones must not.
//
// Evaluation follows AWS: a comparison against a value of the wrong type is simply false, but a
// Variable (or ...Path operand) that selects nothing fails with kStatesRuntime, except under
// IsPresent, which exists to ask exactly that.
//
// A compiled ChoiceRule is immutable and may be shared by any number of threads.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/asl/diagnostic.h"
#include "engine/asl/json_path.h"
#include "engine/asl/timestamp.h"
#include "engine/json/json_value.h"
#include "storage/result.h"

namespace sluice::engine::asl {

enum class ChoiceOperator : uint8_t {
  kAnd,
  kOr,
  kNot,
  kStringEquals,
  kStringLessThan,
  kStringGreaterThan,
  kStringLessThanEquals,
  kStringGreaterThanEquals,
  kStringMatches,
  kNumericEquals,
  kNumericLessThan,
  kNumericGreaterThan,
  kNumericLessThanEquals,
  kNumericGreaterThanEquals,
  kBooleanEquals,
  kTimestampEquals,
  kTimestampLessThan,
  kTimestampGreaterThan,
  kTimestampLessThanEquals,
  kTimestampGreaterThanEquals,
  kIsNull,
  kIsPresent,
  kIsNumeric,
  kIsString,
  kIsBoolean,
  kIsTimestamp,
};

class ChoiceRule {
 public:
  // Compiles rule (the JSON object at location, e.g. "/States/Check/Choices/0"). On failure
  // returns nullopt and appends SCHEMA_VALIDATION_FAILED diagnostics.
  static std::optional<ChoiceRule> compile(const json::Value& rule, bool top_level,
                                           const std::string& location,
                                           std::vector<Diagnostic>& diagnostics);

  Result<bool> evaluate(const json::Value& input, const EvalScope& scope) const;

  // Adds the variables the rule reads ("Variable": "$x", "...Path": "$y"), nested rules included.
  void collect_variables(std::set<std::string>& names) const;

  // Whether `key` names a comparison or type-test operator ("StringEquals", "IsNull", ...).
  static bool is_operator(std::string_view key);

  ChoiceOperator op() const { return op_; }
  bool compares_with_path() const { return operand_is_path_; }
  const std::string& next() const { return next_; }  // empty for nested rules
  const std::vector<ChoiceRule>& children() const { return children_; }

 private:
  struct GlobToken {
    bool star = false;
    char ch = 0;
  };

  Result<bool> compare(const json::Value& v, const json::Value& operand) const;
  bool glob_match(std::string_view s) const;

  ChoiceOperator op_ = ChoiceOperator::kIsPresent;
  bool operand_is_path_ = false;
  JsonPath variable_;
  json::Value operand_;    // the literal operand
  JsonPath operand_path_;  // the ...Path operand
  std::optional<Timestamp> timestamp_operand_;
  std::vector<GlobToken> pattern_;
  std::vector<ChoiceRule> children_;
  std::string next_;
};

}  // namespace sluice::engine::asl
