// Definitions in the JSONata query language and with Assign: QueryLanguage and its mixing
// rules, the fields each language owns, JSONata syntax and what an expression may read, and the
// names Assign may give.
#include <gtest/gtest.h>

#include "engine/asl/definition.h"
#include "engine/asl/variable_references.h"

namespace sluice::engine::asl {
namespace {

// "CODE|message|location" of each diagnostic.
std::vector<std::string> problems(std::string_view text) {
  std::vector<std::string> out;
  for (const auto& d : parse_definition(text).diagnostics)
    out.push_back(d.code + "|" + d.message + "|" + d.location);
  return out;
}

using V = std::vector<std::string>;

TEST(JsonataDefinitionTest, JsonataMachineCompilesEveryStateKind) {
  auto parsed = parse_definition(R"J({"QueryLanguage":"JSONata","StartAt":"P","States":{
      "P":{"Type":"Pass","Output":{"a":"{% $states.input.a %}"},"Assign":{"x":1},"Next":"T"},
      "T":{"Type":"Task","Resource":"arn:aws:states:::http:invoke","Arguments":"{% $x %}",
        "TimeoutSeconds":"{% 5 %}","Output":"{% $states.result %}",
        "Catch":[{"ErrorEquals":["States.ALL"],"Output":"{% $states.errorOutput %}",
                  "Assign":{"e":"{% $states.errorOutput.Error %}"},"Next":"F"}],"Next":"C"},
      "C":{"Type":"Choice","Choices":[{"Condition":"{% $x = 1 %}","Next":"W",
        "Assign":{"y":2}}],"Default":"F"},
      "W":{"Type":"Wait","Seconds":"{% $x %}","Next":"M"},
      "M":{"Type":"Map","Items":"{% [1,2] %}","ItemSelector":{"v":"{% $states.context.Map.Item.Value %}"},
        "ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}},"Next":"S"},
      "S":{"Type":"Succeed","Output":"{% $y %}"},
      "F":{"Type":"Fail","Error":"{% 'E' %}","Cause":"literal"}}})J");
  ASSERT_TRUE(parsed.diagnostics.empty()) << parsed.diagnostics[0].message;
  const StateMachine& m = *parsed.machine;
  EXPECT_EQ(m.language, QueryLanguage::kJsonata);
  EXPECT_EQ(m.find("P")->language, QueryLanguage::kJsonata);
  EXPECT_TRUE(m.find("T")->jsonata.timeout_seconds.has_value());
  EXPECT_EQ(*m.find("F")->cause, "literal");
  EXPECT_EQ(m.find("M")->item_processor->language, QueryLanguage::kJsonata);
  EXPECT_EQ(m.find("M")->item_processor->find("I")->language, QueryLanguage::kJsonata);

  auto refs = variable_references(m);
  EXPECT_EQ(refs.size(), 4u);
  EXPECT_EQ(refs["T"], (V{"x"}));
  EXPECT_EQ(refs["C"], (V{"x"}));
  EXPECT_EQ(refs["W"], (V{"x"}));
  EXPECT_EQ(refs["S"], (V{"y"}));
}

TEST(JsonataDefinitionTest, QueryLanguageValuesAndMixing) {
  EXPECT_EQ(problems(R"J({"QueryLanguage":"JSONata","StartAt":"P","States":{
      "P":{"Type":"Pass","QueryLanguage":"JSONPath","End":true}}})J"),
            (V{"SCHEMA_VALIDATION_FAILED|'QueryLanguage' can not be 'JSONPath' if set to "
               "'JSONata' for whole state machine|/States/P"}));
  // The other way round is allowed.
  EXPECT_TRUE(problems(R"J({"StartAt":"P","States":{
      "P":{"Type":"Pass","QueryLanguage":"JSONata","Output":"{% 1 %}","End":true}}})J")
                  .empty());
  EXPECT_EQ(problems(R"J({"QueryLanguage":"jq","StartAt":"P","States":{
      "P":{"Type":"Pass","End":true}}})J"),
            (V{"SCHEMA_VALIDATION_FAILED|Value should be one of the following: [JSONPath, "
               "JSONata]|/QueryLanguage"}));
  EXPECT_EQ(
      problems(R"J({"StartAt":"P","States":{
      "P":{"Type":"Pass","QueryLanguage":1,"End":true}}})J"),
      (V{"SCHEMA_VALIDATION_FAILED|Expected value of type [STRING]|/States/P/QueryLanguage"}));
}

TEST(JsonataDefinitionTest, FieldsOfTheOtherLanguageAreRefused) {
  EXPECT_EQ(problems(R"J({"QueryLanguage":"JSONata","StartAt":"P","States":{
      "P":{"Type":"Pass","InputPath":"$.a","ResultPath":"$.b","End":true}}})J"),
            (V{"SCHEMA_VALIDATION_FAILED|The QueryLanguage is set to 'JSONata', but field "
               "'InputPath' is only supported for the 'JSONPath' QueryLanguage|/States/P",
               "SCHEMA_VALIDATION_FAILED|The QueryLanguage is set to 'JSONata', but field "
               "'ResultPath' is only supported for the 'JSONPath' QueryLanguage|/States/P"}));
  EXPECT_EQ(problems(R"J({"StartAt":"P","States":{
      "P":{"Type":"Pass","Output":{},"End":true}}})J"),
            (V{"SCHEMA_VALIDATION_FAILED|The QueryLanguage is set to 'JSONPath', but field "
               "'Output' is only supported for the 'JSONata' QueryLanguage|/States/P"}));
  EXPECT_EQ(problems(R"J({"QueryLanguage":"JSONata","StartAt":"C","States":{
      "C":{"Type":"Choice","Choices":[{"Variable":"$.x","IsPresent":true,"Next":"E"}]},
      "E":{"Type":"Succeed"}}})J"),
            (V{"SCHEMA_VALIDATION_FAILED|The QueryLanguage is set to 'JSONata', but field "
               "'Variable' is only supported for the 'JSONPath' QueryLanguage|/States/C/Choices/0",
               "SCHEMA_VALIDATION_FAILED|The QueryLanguage is set to 'JSONata', but field "
               "'IsPresent' is only supported for the 'JSONPath' QueryLanguage|/States/C/Choices/0",
               "SCHEMA_VALIDATION_FAILED|These fields are required: [Condition]|"
               "/States/C/Choices/0",
               "MISSING_TRANSITION_TARGET|State \"E\" is not reachable.|/States/E"}));
}

TEST(JsonataDefinitionTest, SyntaxErrorsAndUnsupportedReferences) {
  EXPECT_EQ(problems(R"J({"QueryLanguage":"JSONata","StartAt":"P","States":{
      "P":{"Type":"Pass","Output":{"v":"{% 1 + %}"},"End":true}}})J"),
            (V{"INVALID_JSONATA_EXPRESSION|Unexpected end of expression|/States/P/Output/v"}));
  EXPECT_EQ(problems(R"J({"QueryLanguage":"JSONata","StartAt":"P","States":{
      "P":{"Type":"Pass","Output":"{% $$ %}","End":true}}})J"),
            (V{"UNSUPPORTED_JSONATA_EXPRESSION|Reference to '$$' is not supported.|"
               "/States/P/Output"}));
  EXPECT_EQ(problems(R"J({"QueryLanguage":"JSONata","StartAt":"P","States":{
      "P":{"Type":"Pass","Output":{"v":"{% phone.number %}"},"End":true}}})J"),
            (V{"UNSUPPORTED_JSONATA_EXPRESSION|Reference to 'phone' at the top level is not "
               "supported.|/States/P/Output/v"}));
  EXPECT_EQ(problems(R"J({"QueryLanguage":"JSONata","StartAt":"P","States":{
      "P":{"Type":"Pass","Output":"{% $states.errorOutput %}","Next":"Q"},
      "Q":{"Type":"Pass","Assign":{"r":"{% $states.result %}"},"End":true}}})J"),
            (V{"UNSUPPORTED_JSONATA_EXPRESSION|Field '$states.errorOutput' does not exist.|"
               "/States/P/Output",
               "UNSUPPORTED_JSONATA_EXPRESSION|Field '$states.result' does not exist.|"
               "/States/Q/Assign/r"}));
  // Paths inside a step, a predicate or a lambda are not at the top.
  EXPECT_TRUE(problems(R"J({"QueryLanguage":"JSONata","StartAt":"P","States":{
      "P":{"Type":"Pass","Output":"{% $states.input.items[price > 1].{'n': name} ~> $map(function($v){$v.x}) %}",
        "End":true}}})J")
                  .empty());
}

TEST(JsonataDefinitionTest, AssignNamesAreChecked) {
  EXPECT_EQ(problems(R"J({"StartAt":"P","States":{
      "P":{"Type":"Pass","Assign":{"x.y":1,"states":2,"1st":3,"ok_ÿ":4,"fine.$":"$"},
        "End":true}}})J"),
            (V{"SCHEMA_VALIDATION_FAILED|The field 'x.y' in 'Assign' is not a valid variable "
               "name: the character '.' cannot appear in a variable name|/States/P/Assign/x.y",
               "SCHEMA_VALIDATION_FAILED|The field 'states' in 'Assign' is not a valid variable "
               "name: the variable name 'states' is reserved|/States/P/Assign/states",
               "SCHEMA_VALIDATION_FAILED|The field '1st' in 'Assign' is not a valid variable "
               "name: the character '1' cannot appear in a variable name|/States/P/Assign/1st"}));
  std::string long_name(81, 'v');
  EXPECT_EQ(problems(R"J({"StartAt":"P","States":{"P":{"Type":"Pass","Assign":{")J" + long_name +
                     R"J(":1},"End":true}}})J")
                .size(),
            1u);
  EXPECT_EQ(problems(R"J({"StartAt":"P","States":{"P":{"Type":"Succeed","Assign":{"a":1}}}})J"),
            (V{"SCHEMA_VALIDATION_FAILED|The field \"Assign\" is not supported by Step "
               "Functions|/States/P"}));
  // A variable cannot be a ResultPath.
  EXPECT_EQ(problems(R"J({"StartAt":"P","States":{"P":{"Type":"Pass","ResultPath":"$x",
      "End":true}}})J"),
            (V{"SCHEMA_VALIDATION_FAILED|The value for the field 'ResultPath' must be a valid "
               "Reference Path|/States/P/ResultPath"}));
}

TEST(JsonataDefinitionTest, JsonPathVariableReferencesAreListedByState) {
  auto parsed = parse_definition(R"J({"StartAt":"A","States":{
      "A":{"Type":"Pass","Assign":{"guess":1,"answer":2,"lit":"$notARef"},"Next":"C"},
      "C":{"Type":"Choice","Choices":[{"Variable":"$guess","NumericEqualsPath":"$answer",
        "Next":"M"}],"Default":"M"},
      "M":{"Type":"Map","ItemsPath":"$items","ItemProcessor":{"StartAt":"Sum","States":{
        "Sum":{"Type":"Pass","Parameters":{"v.$":"States.MathAdd($bias, $.x)"},"End":true}}},
        "End":true}}})J");
  ASSERT_TRUE(parsed.diagnostics.empty()) << parsed.diagnostics[0].message;
  auto refs = variable_references(*parsed.machine);
  EXPECT_EQ(refs.size(), 3u);
  EXPECT_EQ(refs["C"], (V{"answer", "guess"}));
  EXPECT_EQ(refs["M"], (V{"items"}));
  EXPECT_EQ(refs["Sum"], (V{"bias"}));
}

}  // namespace
}  // namespace sluice::engine::asl
