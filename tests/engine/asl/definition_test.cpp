#include "engine/asl/definition.h"

#include <gtest/gtest.h>

#include "engine/json/json_parse.h"
#include "engine/json/json_serialize.h"

namespace sluice::engine::asl {
namespace {

using json::Value;

constexpr const char* kFull = R"J({
  "Comment": "every state type",
  "StartAt": "Start",
  "TimeoutSeconds": 300,
  "States": {
    "Start": {"Type": "Pass", "Result": {"x": 1}, "ResultPath": "$.pass", "Next": "Route"},
    "Route": {
      "Type": "Choice",
      "Choices": [
        {"Variable": "$.pass.x", "NumericEquals": 1, "Next": "Work"},
        {"Not": {"Variable": "$.flag", "IsPresent": true}, "Next": "Stop"}
      ],
      "Default": "Broken"
    },
    "Work": {
      "Type": "Task",
      "Resource": "arn:aws:states:::sqs:sendMessage",
      "Parameters": {"QueueUrl": "q", "MessageBody.$": "States.JsonToString($)"},
      "ResultSelector": {"id.$": "$.MessageId"},
      "ResultPath": "$.sent",
      "OutputPath": "$",
      "InputPath": "$",
      "TimeoutSeconds": 60,
      "HeartbeatSecondsPath": "$.hb",
      "Retry": [
        {"ErrorEquals": ["States.Timeout"], "IntervalSeconds": 2, "MaxAttempts": 5,
         "BackoffRate": 1.5, "MaxDelaySeconds": 30, "JitterStrategy": "FULL"},
        {"ErrorEquals": ["States.ALL"]}
      ],
      "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Broken"}],
      "Next": "Pause"
    },
    "Pause": {"Type": "Wait", "SecondsPath": "$.delay", "Next": "Fan"},
    "Fan": {
      "Type": "Parallel",
      "Branches": [
        {"StartAt": "B1", "States": {"B1": {"Type": "Pass", "End": true}}},
        {"StartAt": "B2", "States": {"B2": {"Type": "Wait", "Seconds": 1, "Next": "B3"},
                                     "B3": {"Type": "Succeed"}}}
      ],
      "Next": "Each"
    },
    "Each": {
      "Type": "Map",
      "ItemsPath": "$.items",
      "ItemSelector": {"item.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index"},
      "MaxConcurrency": 2,
      "ToleratedFailurePercentage": 10,
      "ItemProcessor": {
        "ProcessorConfig": {"Mode": "INLINE"},
        "StartAt": "Inner",
        "States": {"Inner": {"Type": "Pass", "End": true}}
      },
      "Next": "Stop"
    },
    "Stop": {"Type": "Succeed"},
    "Broken": {"Type": "Fail", "Error": "Custom.Error", "CausePath": "States.Format('bad {}', $.x)"}
  }
})J";

TEST(Definition, CompilesEveryStateType) {
  auto parsed = parse_definition(kFull);
  ASSERT_TRUE(parsed.machine) << invalid_definition_message(parsed.diagnostics);
  const StateMachine& m = *parsed.machine;
  EXPECT_EQ(m.comment, "every state type");
  EXPECT_EQ(m.timeout_seconds, 300);
  ASSERT_EQ(m.states.size(), 8u);
  EXPECT_EQ(m.states[m.start_at].name, "Start");

  const State& start = *m.find("Start");
  EXPECT_EQ(start.type, StateType::kPass);
  EXPECT_EQ(json::serialize(*start.result), R"({"x":1})");
  EXPECT_EQ(start.next, m.index_of("Route"));
  EXPECT_EQ(start.io.result_path.mode, PathField::Mode::kPath);

  const State& route = *m.find("Route");
  ASSERT_EQ(route.choices.size(), 2u);
  EXPECT_EQ(route.choices[0].next, m.index_of("Work"));
  EXPECT_EQ(route.choices[1].rule.op(), ChoiceOperator::kNot);
  EXPECT_EQ(route.default_next, m.index_of("Broken"));

  const State& work = *m.find("Work");
  EXPECT_EQ(work.resource, "arn:aws:states:::sqs:sendMessage");
  EXPECT_TRUE(work.io.parameters && work.io.parameters->is_dynamic());
  EXPECT_TRUE(work.io.result_selector.has_value());
  EXPECT_EQ(work.timeout_seconds, 60);
  ASSERT_TRUE(work.heartbeat_seconds_path);
  EXPECT_EQ(work.heartbeat_seconds_path->text(), "$.hb");
  ASSERT_EQ(work.retry.size(), 2u);
  EXPECT_EQ(work.retry[0].interval_seconds, 2);
  EXPECT_EQ(work.retry[0].max_attempts, 5);
  EXPECT_DOUBLE_EQ(work.retry[0].backoff_rate, 1.5);
  EXPECT_EQ(work.retry[0].max_delay_seconds, 30);
  EXPECT_TRUE(work.retry[0].full_jitter);
  EXPECT_EQ(work.retry[1].interval_seconds, 1);  // defaults
  EXPECT_EQ(work.retry[1].max_attempts, 3);
  EXPECT_DOUBLE_EQ(work.retry[1].backoff_rate, 2.0);
  ASSERT_EQ(work.catchers.size(), 1u);
  EXPECT_EQ(work.catchers[0].next, m.index_of("Broken"));
  EXPECT_EQ(work.catchers[0].result_path.path.text(), "$.error");

  EXPECT_EQ(m.find("Pause")->seconds_path->text(), "$.delay");

  const State& fan = *m.find("Fan");
  ASSERT_EQ(fan.branches.size(), 2u);
  EXPECT_EQ(fan.branches[1]->states.size(), 2u);
  EXPECT_EQ(fan.branches[1]->find("B2")->seconds, 1);

  const State& each = *m.find("Each");
  EXPECT_EQ(each.items_path->text(), "$.items");
  EXPECT_EQ(each.max_concurrency, 2);
  EXPECT_DOUBLE_EQ(*each.tolerated_failure_percentage, 10);
  ASSERT_TRUE(each.item_processor);
  EXPECT_EQ(each.item_processor->states[0].name, "Inner");
  ASSERT_TRUE(each.io.parameters);  // ItemSelector
  Value ctx = *json::parse(R"({"Map":{"Item":{"Value":"v","Index":3}}})");
  EXPECT_EQ(json::serialize(*each.io.parameters->evaluate(Value(json::Object{}), ctx)),
            R"({"item":"v","index":3})");

  const State& broken = *m.find("Broken");
  EXPECT_EQ(broken.error, "Custom.Error");
  ASSERT_TRUE(broken.cause_path);
  EXPECT_EQ(json::serialize(*broken.cause_path->evaluate(*json::parse(R"({"x":7})"), ctx)),
            R"("bad 7")");
  EXPECT_EQ(state_type_name(broken.type), "Fail");
}

TEST(Definition, LegacyIteratorAndParametersOnMap) {
  auto m = compile_definition(R"J({"StartAt":"M","States":{"M":{"Type":"Map",
      "Parameters":{"v.$":"$$.Map.Item.Value"},
      "Iterator":{"StartAt":"I","States":{"I":{"Type":"Succeed"}}},"End":true}}})J");
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_TRUE((*m)->states[0].item_processor);
  EXPECT_TRUE((*m)->states[0].end);
}

std::vector<Diagnostic> diagnose(std::string_view text) {
  auto parsed = parse_definition(text);
  EXPECT_FALSE(parsed.machine) << text;
  return parsed.diagnostics;
}

bool has(const std::vector<Diagnostic>& d, std::string_view code, std::string_view message,
         std::string_view location) {
  for (const auto& x : d) {
    if (x.code == code && x.message == message && x.location == location) return true;
  }
  std::string all;
  for (const auto& x : d) all += x.code + ": " + x.message + " at " + x.location + "\n";
  ADD_FAILURE() << "missing " << code << ": " << message << " at " << location << "\ngot:\n" << all;
  return false;
}

TEST(Definition, MissingTargetsAndUnreachableStates) {
  auto d = diagnose(R"J({"StartAt":"pass1","States":{
      "pass1":{"Type":"Pass","Next":"pass3"},
      "pass2":{"Type":"Pass","End":true}}})J");
  has(d, "MISSING_TRANSITION_TARGET", "Missing 'Next' target: pass3", "/States/pass1/Next");
  has(d, "MISSING_TRANSITION_TARGET", "State \"pass2\" is not reachable.", "/States/pass2");
  auto r = compile_definition(R"J({"StartAt":"pass1","States":{
      "pass1":{"Type":"Pass","Next":"pass3"},
      "pass2":{"Type":"Pass","End":true}}})J");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidDefinition);
  EXPECT_EQ(r.error().message,
            "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: "
            "pass3 at /States/pass1/Next, MISSING_TRANSITION_TARGET: State \"pass2\" is not "
            "reachable. at /States/pass2'");

  d = diagnose(R"J({"StartAt":"Nope","States":{"A":{"Type":"Succeed"}}})J");
  has(d, "MISSING_TRANSITION_TARGET", "Missing 'Next' target: Nope", "/StartAt");

  d = diagnose(R"J({"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[
      {"Variable":"$.a","IsNull":true,"Next":"X"}],"Default":"Y"}}})J");
  has(d, "MISSING_TRANSITION_TARGET", "Missing 'Next' target: X", "/States/C/Choices/0/Next");
  has(d, "MISSING_TRANSITION_TARGET", "Missing 'Default' target: Y", "/States/C/Default");
}

TEST(Definition, BranchesCannotJumpOutAndNamesAreUniqueEverywhere) {
  auto d = diagnose(R"J({"StartAt":"P","States":{
      "P":{"Type":"Parallel","End":true,"Branches":[
        {"StartAt":"A","States":{"A":{"Type":"Pass","Next":"Done"}}},
        {"StartAt":"Done","States":{"Done":{"Type":"Succeed"}}}]},
      "Done":{"Type":"Succeed"}}})J");
  has(d, "MISSING_TRANSITION_TARGET", "Missing 'Next' target: Done",
      "/States/P/Branches/0/States/A/Next");
  // Branches compile with their Parallel state, so the top-level "Done" is the second one seen.
  has(d, "DUPLICATE_STATE_NAME", "Duplicate State name: Done", "/States/Done");
  has(d, "MISSING_END_STATE", "Workflow has no terminal state", "/States/P/Branches/0");
}

TEST(Definition, SchemaErrors) {
  auto d = diagnose(R"J({"States":{}})J");
  has(d, "SCHEMA_VALIDATION_FAILED", "These fields are required: [StartAt]", "/");

  d = diagnose(R"J({"StartAt":"A","States":{"A":{"Type":"Bogus","End":true}}})J");
  has(d, "SCHEMA_VALIDATION_FAILED",
      "The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, "
      "Choice, Parallel, Map]",
      "/States/A/Type");

  d = diagnose(R"J({"StartAt":"A","States":{"A":{"Type":"Pass","End":true,"Foo":1}}})J");
  has(d, "SCHEMA_VALIDATION_FAILED", "The field \"Foo\" is not supported by Step Functions",
      "/States/A");

  d = diagnose(R"J({"StartAt":"A","States":{"A":{"Type":"Succeed","Next":"A"}}})J");
  has(d, "SCHEMA_VALIDATION_FAILED", "The field \"Next\" is not supported by Step Functions",
      "/States/A");

  d = diagnose(R"J({"StartAt":"A","States":{"A":{"Type":"Pass"}}})J");
  has(d, "SCHEMA_VALIDATION_FAILED", "One of 'Next' and 'End: true' must be set", "/States/A");
  has(d, "MISSING_END_STATE", "Workflow has no terminal state", "/");

  d = diagnose(R"J({"StartAt":"A","States":{"A":{"Type":"Task","End":true}}})J");
  has(d, "SCHEMA_VALIDATION_FAILED", "These fields are required: [Resource]", "/States/A");

  d = diagnose(
      R"J({"StartAt":"A","States":{"A":{"Type":"Task","Resource":"lambda","End":true}}})J");
  has(d, "INVALID_RESOURCE", "Resource is not a valid ARN: lambda", "/States/A/Resource");

  d = diagnose(R"J({"StartAt":"A","States":{"A":{"Type":"Pass","End":true,
      "Parameters":{"x.$":"nope"}}}})J");
  has(d, "SCHEMA_VALIDATION_FAILED",
      "The value for the field 'x.$' must be a valid JSONPath or a valid intrinsic function call",
      "/States/A/Parameters");

  d = diagnose(R"J({"StartAt":"A","States":{"A":{"Type":"Pass","End":true,
      "ResultPath":"$.a[*]","InputPath":5}}})J");
  has(d, "SCHEMA_VALIDATION_FAILED",
      "The value for the field 'ResultPath' must be a valid "
      "Reference Path",
      "/States/A/ResultPath");
  has(d, "SCHEMA_VALIDATION_FAILED", "The value for the field 'InputPath' must be a valid JSONPath",
      "/States/A/InputPath");

  d = diagnose(R"J({"StartAt":"A","States":{"A":{"Type":"Wait","Seconds":1,"Timestamp":
      "2020-01-01T00:00:00Z","End":true}}})J");
  has(d, "SCHEMA_VALIDATION_FAILED",
      "Exactly one of 'Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath' must be set",
      "/States/A");

  d = diagnose(R"J({"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:x","End":true,
      "TimeoutSeconds":0,"Retry":[{"ErrorEquals":["States.ALL"]},{"ErrorEquals":["X"],
      "BackoffRate":0.5}]}}})J");
  has(d, "SCHEMA_VALIDATION_FAILED",
      "The value for the field 'TimeoutSeconds' must be a positive "
      "INTEGER",
      "/States/A/TimeoutSeconds");
  has(d, "SCHEMA_VALIDATION_FAILED", "A retrier with \"States.ALL\" must be the last one",
      "/States/A/Retry/0/ErrorEquals");
  has(d, "SCHEMA_VALIDATION_FAILED",
      "The value for the field 'BackoffRate' must be a NUMBER greater than or equal to 1.0",
      "/States/A/Retry/1/BackoffRate");

  // DISTRIBUTED needs an ExecutionType; other modes do not exist.
  d = diagnose(R"J({"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemProcessor":{
      "ProcessorConfig":{"Mode":"DISTRIBUTED"},"StartAt":"I","States":{"I":{"Type":"Succeed"}}}}}})J");
  has(d, "SCHEMA_VALIDATION_FAILED", "These fields are required: [ExecutionType]",
      "/States/M/ItemProcessor/ProcessorConfig");
  d = diagnose(R"J({"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemProcessor":{
      "ProcessorConfig":{"Mode":"SIDEWAYS"},"StartAt":"I","States":{"I":{"Type":"Succeed"}}}}}})J");
  has(d, "SCHEMA_VALIDATION_FAILED", "Value should be one of the following: [INLINE, DISTRIBUTED]",
      "/States/M/ItemProcessor/ProcessorConfig/Mode");

  d = diagnose(R"J({"StartAt":"M","States":{"M":{"Type":"Map","End":true}}})J");
  has(d, "SCHEMA_VALIDATION_FAILED", "These fields are required: [ItemProcessor]", "/States/M");

  d = diagnose(R"J({"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[
      {"Variable":"$.a","NumericEquals":"1","Next":"C"}]}}})J");
  has(d, "SCHEMA_VALIDATION_FAILED", "The value for the field 'NumericEquals' must be a NUMBER",
      "/States/C/Choices/0/NumericEquals");
}

TEST(Definition, TextLevelErrors) {
  auto d = diagnose("");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].code, "MISSING_DESCRIPTION");
  d = diagnose("{\"StartAt\":");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].code, "INVALID_JSON_DESCRIPTION");
  d = diagnose("[]");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].code, "SCHEMA_VALIDATION_FAILED");
}

}  // namespace
}  // namespace sluice::engine::asl
