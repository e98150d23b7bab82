#include "engine/asl/choice_rule.h"

#include <gtest/gtest.h>

#include "engine/json/json_parse.h"

namespace sluice::engine::asl {
namespace {

using json::Value;

const Value kInput = *json::parse(R"J({
  "s": "banana", "n": 10, "d": 2.5, "b": true, "z": null, "t": "2020-01-01T00:00:00Z",
  "t2": "2021-06-01T12:00:00+02:00", "other": "apple", "ten": 10.0, "list": [1, 2],
  "pat": "log-*.txt", "star": "a*b", "back": "a\\b"
})J");
const Value kContext = *json::parse(R"J({"State":{"Name":"Check"}})J");

ChoiceRule compile(std::string_view text, bool top_level = false) {
  std::vector<Diagnostic> diags;
  auto rule = ChoiceRule::compile(*json::parse(text), top_level, "/States/C/Choices/0", diags);
  EXPECT_TRUE(rule) << text << ": " << (diags.empty() ? "" : diags[0].message);
  return rule ? std::move(*rule) : ChoiceRule();
}

// "true", "false" or "ERR" (a States.Runtime failure).
std::string eval(std::string_view text) {
  auto r = compile(text).evaluate(kInput, kContext);
  if (!r.ok()) return r.error().code == ErrorCode::kStatesRuntime ? "ERR" : "OTHER";
  return *r ? "true" : "false";
}

TEST(ChoiceRule, StringOperators) {
  EXPECT_EQ(eval(R"({"Variable":"$.s","StringEquals":"banana"})"), "true");
  EXPECT_EQ(eval(R"({"Variable":"$.s","StringEquals":"Banana"})"), "false");
  EXPECT_EQ(eval(R"({"Variable":"$.s","StringLessThan":"cherry"})"), "true");
  EXPECT_EQ(eval(R"({"Variable":"$.s","StringLessThan":"banana"})"), "false");
  EXPECT_EQ(eval(R"({"Variable":"$.s","StringLessThanEquals":"banana"})"), "true");
  EXPECT_EQ(eval(R"({"Variable":"$.s","StringGreaterThan":"apple"})"), "true");
  EXPECT_EQ(eval(R"({"Variable":"$.s","StringGreaterThanEquals":"banana"})"), "true");
  EXPECT_EQ(eval(R"({"Variable":"$.s","StringGreaterThanEquals":"bananas"})"), "false");
  // Wrong type: false, not an error.
  EXPECT_EQ(eval(R"({"Variable":"$.n","StringEquals":"10"})"), "false");
  EXPECT_EQ(eval(R"({"Variable":"$.s","StringEqualsPath":"$.s"})"), "true");
  EXPECT_EQ(eval(R"({"Variable":"$.s","StringGreaterThanPath":"$.other"})"), "true");
  EXPECT_EQ(eval(R"({"Variable":"$.s","StringLessThanPath":"$.other"})"), "false");
  EXPECT_EQ(eval(R"({"Variable":"$.s","StringLessThanEqualsPath":"$.other"})"), "false");
  EXPECT_EQ(eval(R"({"Variable":"$.other","StringGreaterThanEqualsPath":"$.s"})"), "false");
  EXPECT_EQ(eval(R"({"Variable":"$$.State.Name","StringEquals":"Check"})"), "true");
}

TEST(ChoiceRule, StringMatchesWithEscapes) {
  EXPECT_EQ(eval(R"({"Variable":"$.s","StringMatches":"b*a"})"), "true");
  EXPECT_EQ(eval(R"({"Variable":"$.s","StringMatches":"*nan*"})"), "true");
  EXPECT_EQ(eval(R"({"Variable":"$.s","StringMatches":"*"})"), "true");
  EXPECT_EQ(eval(R"({"Variable":"$.s","StringMatches":"b*x"})"), "false");
  EXPECT_EQ(eval(R"({"Variable":"$.s","StringMatches":"banan"})"), "false");
  EXPECT_EQ(eval(R"({"Variable":"$.pat","StringMatches":"log-*.txt"})"), "true");
  // \\* is a literal star; \\\\ a literal backslash.
  EXPECT_EQ(eval(R"({"Variable":"$.star","StringMatches":"a\\*b"})"), "true");
  EXPECT_EQ(eval(R"({"Variable":"$.s","StringMatches":"b\\*a"})"), "false");
  EXPECT_EQ(eval(R"({"Variable":"$.back","StringMatches":"a\\\\b"})"), "true");
  EXPECT_EQ(eval(R"({"Variable":"$.n","StringMatches":"*"})"), "false");
}

TEST(ChoiceRule, NumericOperators) {
  EXPECT_EQ(eval(R"({"Variable":"$.n","NumericEquals":10})"), "true");
  EXPECT_EQ(eval(R"({"Variable":"$.n","NumericEquals":10.0})"), "true");
  EXPECT_EQ(eval(R"({"Variable":"$.d","NumericLessThan":3})"), "true");
  EXPECT_EQ(eval(R"({"Variable":"$.d","NumericGreaterThan":2.5})"), "false");
  EXPECT_EQ(eval(R"({"Variable":"$.d","NumericGreaterThanEquals":2.5})"), "true");
  EXPECT_EQ(eval(R"({"Variable":"$.n","NumericLessThanEquals":9})"), "false");
  EXPECT_EQ(eval(R"({"Variable":"$.s","NumericEquals":10})"), "false");
  EXPECT_EQ(eval(R"({"Variable":"$.n","NumericEqualsPath":"$.ten"})"), "true");
  EXPECT_EQ(eval(R"({"Variable":"$.d","NumericLessThanPath":"$.n"})"), "true");
  EXPECT_EQ(eval(R"({"Variable":"$.d","NumericGreaterThanPath":"$.n"})"), "false");
  EXPECT_EQ(eval(R"({"Variable":"$.n","NumericLessThanEqualsPath":"$.ten"})"), "true");
  EXPECT_EQ(eval(R"({"Variable":"$.n","NumericGreaterThanEqualsPath":"$.d"})"), "true");
  EXPECT_EQ(eval(R"({"Variable":"$.n","NumericEqualsPath":"$.s"})"), "false");
}

TEST(ChoiceRule, BooleanOperators) {
  EXPECT_EQ(eval(R"({"Variable":"$.b","BooleanEquals":true})"), "true");
  EXPECT_EQ(eval(R"({"Variable":"$.b","BooleanEquals":false})"), "false");
  EXPECT_EQ(eval(R"({"Variable":"$.s","BooleanEquals":true})"), "false");
  EXPECT_EQ(eval(R"({"Variable":"$.b","BooleanEqualsPath":"$.b"})"), "true");
}

TEST(ChoiceRule, TimestampOperators) {
  EXPECT_EQ(eval(R"({"Variable":"$.t","TimestampEquals":"2020-01-01T01:00:00+01:00"})"), "true");
  EXPECT_EQ(eval(R"({"Variable":"$.t","TimestampLessThan":"2020-01-01T00:00:01Z"})"), "true");
  EXPECT_EQ(eval(R"({"Variable":"$.t","TimestampGreaterThan":"2019-12-31T23:59:59Z"})"), "true");
  EXPECT_EQ(eval(R"({"Variable":"$.t","TimestampLessThanEquals":"2020-01-01T00:00:00Z"})"), "true");
  EXPECT_EQ(eval(R"({"Variable":"$.t","TimestampGreaterThanEquals":"2020-01-01T00:00:00.001Z"})"),
            "false");
  EXPECT_EQ(eval(R"({"Variable":"$.s","TimestampEquals":"2020-01-01T00:00:00Z"})"), "false");
  EXPECT_EQ(eval(R"({"Variable":"$.t","TimestampLessThanPath":"$.t2"})"), "true");
  EXPECT_EQ(eval(R"({"Variable":"$.t2","TimestampGreaterThanPath":"$.t"})"), "true");
  EXPECT_EQ(eval(R"({"Variable":"$.t","TimestampEqualsPath":"$.t"})"), "true");
  EXPECT_EQ(eval(R"({"Variable":"$.t","TimestampLessThanEqualsPath":"$.s"})"), "false");
  EXPECT_EQ(eval(R"({"Variable":"$.t","TimestampGreaterThanEqualsPath":"$.t"})"), "true");
}

TEST(ChoiceRule, TypeTests) {
  EXPECT_EQ(eval(R"({"Variable":"$.z","IsNull":true})"), "true");
  EXPECT_EQ(eval(R"({"Variable":"$.s","IsNull":true})"), "false");
  EXPECT_EQ(eval(R"({"Variable":"$.s","IsNull":false})"), "true");
  EXPECT_EQ(eval(R"({"Variable":"$.z","IsPresent":true})"), "true");
  EXPECT_EQ(eval(R"({"Variable":"$.missing","IsPresent":true})"), "false");
  EXPECT_EQ(eval(R"({"Variable":"$.missing","IsPresent":false})"), "true");
  EXPECT_EQ(eval(R"({"Variable":"$.list[5]","IsPresent":true})"), "false");
  EXPECT_EQ(eval(R"({"Variable":"$.d","IsNumeric":true})"), "true");
  EXPECT_EQ(eval(R"({"Variable":"$.s","IsNumeric":true})"), "false");
  EXPECT_EQ(eval(R"({"Variable":"$.s","IsString":true})"), "true");
  EXPECT_EQ(eval(R"({"Variable":"$.b","IsBoolean":true})"), "true");
  EXPECT_EQ(eval(R"({"Variable":"$.t","IsTimestamp":true})"), "true");
  EXPECT_EQ(eval(R"({"Variable":"$.s","IsTimestamp":true})"), "false");
}

TEST(ChoiceRule, LogicalOperators) {
  EXPECT_EQ(eval(R"({"And":[{"Variable":"$.n","NumericEquals":10},
                             {"Variable":"$.b","BooleanEquals":true}]})"),
            "true");
  EXPECT_EQ(eval(R"({"And":[{"Variable":"$.n","NumericEquals":10},
                             {"Variable":"$.b","BooleanEquals":false}]})"),
            "false");
  EXPECT_EQ(eval(R"({"Or":[{"Variable":"$.n","NumericEquals":1},
                            {"Variable":"$.s","StringEquals":"banana"}]})"),
            "true");
  EXPECT_EQ(eval(R"({"Not":{"Variable":"$.s","StringEquals":"banana"}})"), "false");
  EXPECT_EQ(eval(R"({"Not":{"Or":[{"Variable":"$.n","NumericEquals":1},
                                   {"And":[{"Variable":"$.z","IsNull":true},
                                           {"Variable":"$.d","NumericGreaterThan":2}]}]}})"),
            "false");
  // And short-circuits: the missing path after a false term is never read.
  EXPECT_EQ(eval(R"({"And":[{"Variable":"$.n","NumericEquals":1},
                             {"Variable":"$.missing","NumericEquals":1}]})"),
            "false");
}

TEST(ChoiceRule, MissingVariableIsStatesRuntime) {
  EXPECT_EQ(eval(R"({"Variable":"$.missing","StringEquals":"x"})"), "ERR");
  EXPECT_EQ(eval(R"({"Variable":"$.missing","IsNull":true})"), "ERR");
  EXPECT_EQ(eval(R"({"Variable":"$.s","StringEqualsPath":"$.missing"})"), "ERR");
  auto r = compile(R"({"Variable":"$.missing","NumericEquals":1})").evaluate(kInput, kContext);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "Invalid path '$.missing': The choice state's condition path references an invalid "
            "value.");
}

TEST(ChoiceRule, TopLevelRuleCarriesNext) {
  auto rule = compile(R"({"Variable":"$.n","NumericEquals":10,"Next":"Done"})", true);
  EXPECT_EQ(rule.next(), "Done");
  EXPECT_EQ(rule.op(), ChoiceOperator::kNumericEquals);
  EXPECT_FALSE(rule.compares_with_path());
}

std::vector<Diagnostic> errors(std::string_view text, bool top_level = true) {
  std::vector<Diagnostic> diags;
  auto rule = ChoiceRule::compile(*json::parse(text), top_level, "/States/C/Choices/0", diags);
  EXPECT_FALSE(rule) << text;
  return diags;
}

TEST(ChoiceRule, ValidationErrors) {
  auto d = errors(R"({"Variable":"$.n","NumericEquals":"10","Next":"X"})");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].code, "SCHEMA_VALIDATION_FAILED");
  EXPECT_EQ(d[0].message, "The value for the field 'NumericEquals' must be a NUMBER");
  EXPECT_EQ(d[0].location, "/States/C/Choices/0/NumericEquals");

  d = errors(R"({"Variable":"$.n","NumericEquals":1})");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].message, "These fields are required: [Next]");

  d = errors(R"({"Variable":"$.n","NumericEquals":1,"Next":"X"})", false);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].location, "/States/C/Choices/0/Next");

  d = errors(R"({"Variable":"$.n","Bogus":1,"NumericEquals":1,"Next":"X"})");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].message, "The field \"Bogus\" is not supported by Step Functions");

  EXPECT_FALSE(errors(R"({"Variable":"n","NumericEquals":1,"Next":"X"})").empty());
  EXPECT_FALSE(errors(R"({"NumericEquals":1,"Next":"X"})").empty());
  EXPECT_FALSE(errors(R"({"Variable":"$.n","Next":"X"})").empty());
  EXPECT_FALSE(
      errors(R"({"Variable":"$.n","NumericEquals":1,"NumericLessThan":2,"Next":"X"})").empty());
  EXPECT_FALSE(errors(R"({"Variable":"$.t","TimestampEquals":"2020-01-01","Next":"X"})").empty());
  EXPECT_FALSE(errors(R"({"Variable":"$.s","StringMatchesPath":"$.p","Next":"X"})").empty());
  EXPECT_FALSE(errors(R"({"Variable":"$.s","IsNull":"yes","Next":"X"})").empty());
  EXPECT_FALSE(errors(R"({"Variable":"$.s","StringEqualsPath":"nope","Next":"X"})").empty());
  EXPECT_FALSE(errors(R"({"And":[],"Next":"X"})").empty());
  d = errors(R"({"And":[{"Variable":"$.a","IsNull":true},{"Variable":"$.b"}],"Next":"X"})");
  ASSERT_FALSE(d.empty());
  EXPECT_EQ(d[0].location, "/States/C/Choices/0/And/1");
}

}  // namespace
}  // namespace sluice::engine::asl
