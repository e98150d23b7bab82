// Execution: states in the JSONata query language: Output, Assign and Arguments expressions over
// $states and the variables, Choice Conditions, Wait, Fail, Task timeouts, Map and Parallel,
// Catch with $states.errorOutput, and the States.QueryEvaluationError with its EvaluationFailed
// event.
#include "engine/executor/execution.h"

#include "tests/engine/executor/executor_fixture.h"

namespace sluice::engine::executor {
namespace {

using T = HistoryEventType;
using V = std::vector<std::string>;
using json::Object;
using json::Value;

std::string assigned(const Execution& ex, HistoryEventType type, int nth = 0) {
  for (const auto& e : ex.history()) {
    if (e.type != type || nth-- != 0) continue;
    const Value* v = e.details.as_object().find("assignedVariables");
    return v != nullptr ? json::serialize(*v) : "<none>";
  }
  return "<no event>";
}

TEST_F(ExecutorTest, JsonataPassOutputKeepsTypesAndOnlyWholeStringsAreExpressions) {
  auto ex = run(R"J({"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass",
      "Output":{"sum":"{% $sum($states.input.n) %}","obj":"{% $states.input %}",
        "lit":" {% 1 + 1 %} ","also":"$states.input","list":[1,"{% 'a' & 'b' %}",
        {"k":"{% true %}"}],"path.$":"$.n"},"End":true}}})J",
                R"J({"n":[1,2,3]})J");
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded) << ex->outcome().cause.value_or("");
  EXPECT_EQ(output(*ex), R"J({"sum":6,"obj":{"n":[1,2,3]},"lit":" {% 1 + 1 %} ",)J"
                         R"J("also":"$states.input","list":[1,"ab",{"k":true}],"path.$":"$.n"})J");
}

TEST_F(ExecutorTest, JsonataStatesWithoutOutputPassTheirInputOrResult) {
  auto ex = run(R"J({"QueryLanguage":"JSONata","StartAt":"P","States":{
      "P":{"Type":"Pass","Next":"W"},
      "W":{"Type":"Wait","Seconds":0,"Next":"S"},
      "S":{"Type":"Succeed"}}})J",
                R"J({"a":1})J");
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded) << ex->outcome().cause.value_or("");
  EXPECT_EQ(output(*ex), R"J({"a":1})J");
}

TEST_F(ExecutorTest, JsonataAssignAndOutputSeeTheVariablesOfTheStateEntry) {
  auto ex = run(R"J({"QueryLanguage":"JSONata","StartAt":"A","States":{
      "A":{"Type":"Pass","Assign":{"x":3,"a":6},"Next":"B"},
      "B":{"Type":"Pass","Assign":{"x":"{% $a %}","nextX":"{% $x %}"},
        "Output":{"x":"{% $x %}"},"Next":"C"},
      "C":{"Type":"Pass","Output":"{% [$x, $nextX, $states.input.x] %}","End":true}}})J");
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded) << ex->outcome().cause.value_or("");
  EXPECT_EQ(output(*ex), "[6,3,3]");
  EXPECT_EQ(assigned(*ex, T::kPassStateExited, 1), R"J({"nextX":"3","x":"6"})J");
}

TEST_F(ExecutorTest, JsonataUndefinedIsAQueryEvaluationErrorWithAnEvaluationFailedEvent) {
  auto ex = run(R"J({"QueryLanguage":"JSONata","StartAt":"State0","States":{
      "State0":{"Type":"Pass","Next":"State1"},
      "State1":{"Type":"Pass","Output":{"result":"{% $doesNotExist %}"},"End":true}}})J");
  ASSERT_EQ(ex->status(), ExecutionStatus::kFailed);
  EXPECT_EQ(ex->outcome().error, "States.QueryEvaluationError");
  EXPECT_EQ(ex->outcome().cause,
            "An error occurred while executing the state 'State1' (entered at the event id #4). "
            "The JSONata expression '$doesNotExist' specified for the field 'Output/result' "
            "returned nothing (undefined).");
  EXPECT_EQ(types(*ex), (V{"ExecutionStarted", "PassStateEntered", "PassStateExited",
                           "PassStateEntered", "EvaluationFailed", "ExecutionFailed"}));
  // AWS links EvaluationFailed to what the state's entry linked to.
  EXPECT_EQ(links(*ex), (V{"1:0", "2:0", "3:2", "4:3", "5:3", "6:5"}));
  EXPECT_EQ(details(*find(*ex, T::kEvaluationFailed)),
            R"J({"cause":"An error occurred while executing the state 'State1' (entered at the )J"
            R"J(event id #4). The JSONata expression '$doesNotExist' specified for the field )J"
            R"J('Output/result' returned nothing (undefined).","error":)J"
            R"J("States.QueryEvaluationError","location":"Output/result","state":"State1"})J");
}

TEST_F(ExecutorTest, JsonataEvaluationErrorsCarryTheJsonataCode) {
  auto ex = run(R"J({"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass",
      "Output":"{% $sum('x') %}","End":true}}})J");
  ASSERT_EQ(ex->status(), ExecutionStatus::kFailed);
  EXPECT_EQ(ex->outcome().error, "States.QueryEvaluationError");
  EXPECT_NE(ex->outcome().cause.value_or("").find(
                "The JSONata expression '$sum('x')' specified for the field "
                "'Output' threw an error during evaluation. T0412: "),
            std::string::npos)
      << ex->outcome().cause.value_or("");
}

TEST_F(ExecutorTest, JsonataTaskArgumentsResultOutputAndTimeouts) {
  auto ex = run(R"J({"QueryLanguage":"JSONata","StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::http:invoke",
      "Arguments":{"url":"{% $states.input.u %}","token":"{% $states.context.Execution.Name %}"},
      "TimeoutSeconds":"{% $states.input.t * 2 %}","HeartbeatSeconds":"{% $states.input.t %}",
      "Output":{"got":"{% $states.result.v %}","in":"{% $states.input.u %}"},
      "Assign":{"whole":"{% $states.result %}"},"End":true}}})J",
                R"J({"u":"http://x","t":5})J");
  ASSERT_EQ(tasks.calls.size(), 1u);
  EXPECT_EQ(json::serialize(tasks.calls[0].request.input),
            R"J({"url":"http://x","token":"exec-1"})J");
  EXPECT_EQ(tasks.calls[0].request.timeout_seconds, 10);
  EXPECT_EQ(tasks.calls[0].request.heartbeat_seconds, 5);
  ASSERT_TRUE(tasks.last().succeed(parse(R"J({"v":42})J")));
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded) << ex->outcome().cause.value_or("");
  EXPECT_EQ(output(*ex), R"J({"got":42,"in":"http://x"})J");
  EXPECT_EQ(assigned(*ex, T::kTaskStateExited), R"J({"whole":"{\"v\":42}"})J");
}

TEST_F(ExecutorTest, JsonataTaskWithoutOutputGivesItsResult) {
  auto ex = run(R"J({"QueryLanguage":"JSONata","StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::http:invoke","End":true}}})J",
                R"J({"a":1})J");
  EXPECT_EQ(json::serialize(tasks.calls[0].request.input), R"J({"a":1})J");
  ASSERT_TRUE(tasks.last().succeed(parse(R"J({"r":2})J")));
  EXPECT_EQ(output(*ex), R"J({"r":2})J");
}

TEST_F(ExecutorTest, JsonataBadTimeoutIsAQueryEvaluationError) {
  auto ex = run(R"J({"QueryLanguage":"JSONata","StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::http:invoke","TimeoutSeconds":"{% 'ten' %}","End":true}}})J");
  ASSERT_EQ(ex->status(), ExecutionStatus::kFailed);
  EXPECT_EQ(ex->outcome().error, "States.QueryEvaluationError");
  EXPECT_TRUE(tasks.calls.empty());
  EXPECT_EQ(types(*ex),
            (V{"ExecutionStarted", "TaskStateEntered", "EvaluationFailed", "ExecutionFailed"}));
}

constexpr const char* kJsonataChoice = R"J({"QueryLanguage":"JSONata","StartAt":"C","States":{
  "C":{"Type":"Choice","Choices":[
      {"Condition":"{% $states.input.n > 10 %}","Next":"Big","Output":{"size":"big"},
       "Assign":{"rule":0}},
      {"Condition":"{% $states.input.n = 0 %}","Next":"Zero"}],
    "Default":"Other","Output":{"size":"other"},"Assign":{"rule":-1}},
  "Big":{"Type":"Pass","Output":"{% [$states.input.size, $rule] %}","End":true},
  "Zero":{"Type":"Pass","End":true},
  "Other":{"Type":"Pass","Output":"{% [$states.input.size, $rule] %}","End":true}}})J";

TEST_F(ExecutorTest, JsonataChoiceConditionsWithRuleAndDefaultOutputAndAssign) {
  EXPECT_EQ(output(*run(kJsonataChoice, R"J({"n":11})J")), R"J(["big",0])J");
  EXPECT_EQ(output(*run(kJsonataChoice, R"J({"n":0})J")), R"J({"n":0})J");
  EXPECT_EQ(output(*run(kJsonataChoice, R"J({"n":5})J")), R"J(["other",-1])J");
}

TEST_F(ExecutorTest, JsonataChoiceConditionMustBeBoolean) {
  auto ex = run(R"J({"QueryLanguage":"JSONata","StartAt":"C","States":{
      "C":{"Type":"Choice","Choices":[{"Condition":"{% $states.input.n %}","Next":"E"}],
        "Default":"E"},
      "E":{"Type":"Succeed"}}})J",
                R"J({"n":1})J");
  ASSERT_EQ(ex->status(), ExecutionStatus::kFailed);
  EXPECT_EQ(ex->outcome().error, "States.QueryEvaluationError");
  EXPECT_EQ(json::serialize(*find(*ex, T::kEvaluationFailed)->details.as_object().find("location")),
            R"J("Choices[0]/Condition")J");
}

TEST_F(ExecutorTest, JsonataWaitSecondsAndTimestampExpressions) {
  auto ex = run(R"J({"QueryLanguage":"JSONata","StartAt":"W","States":{
      "W":{"Type":"Wait","Seconds":"{% $states.input.s %}","Next":"U"},
      "U":{"Type":"Wait","Timestamp":"{% $states.input.until %}","End":true}}})J",
                R"J({"s":5,"until":"2023-11-14T22:13:40Z"})J");
  EXPECT_EQ(ex->status(), ExecutionStatus::kRunning);
  timers.advance_to(kStart + 5000);
  EXPECT_EQ(ex->status(), ExecutionStatus::kRunning);
  timers.advance_to(kStart + 20000);
  EXPECT_EQ(ex->status(), ExecutionStatus::kSucceeded) << ex->outcome().cause.value_or("");
}

TEST_F(ExecutorTest, JsonataWaitSecondsMustBeANonNegativeInteger) {
  auto ex = run(R"J({"QueryLanguage":"JSONata","StartAt":"W","States":{
      "W":{"Type":"Wait","Seconds":"{% -1 %}","End":true}}})J");
  ASSERT_EQ(ex->status(), ExecutionStatus::kFailed);
  EXPECT_EQ(ex->outcome().error, "States.QueryEvaluationError");
}

TEST_F(ExecutorTest, JsonataFailErrorAndCauseExpressions) {
  auto ex = run(R"J({"QueryLanguage":"JSONata","StartAt":"F","States":{"F":{"Type":"Fail",
      "Error":"{% 'E.' & $states.input.code %}","Cause":"{% $string($states.input) %}"}}})J",
                R"J({"code":"x"})J");
  ASSERT_EQ(ex->status(), ExecutionStatus::kFailed);
  EXPECT_EQ(ex->outcome().error, "E.x");
  EXPECT_EQ(ex->outcome().cause, R"J({"code":"x"})J");
}

TEST_F(ExecutorTest, JsonataMapItemsItemSelectorAndResult) {
  auto ex = run(R"J({"QueryLanguage":"JSONata","StartAt":"Set","States":{
      "Set":{"Type":"Pass","Assign":{"factor":10},"Next":"M"},
      "M":{"Type":"Map","Items":"{% $states.input.xs %}","MaxConcurrency":"{% 1 %}",
        "ItemSelector":{"v":"{% $states.context.Map.Item.Value * $factor %}",
                        "i":"{% $states.context.Map.Item.Index %}"},
        "ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass",
          "Output":"{% $states.input.v + $states.input.i %}","End":true}}},
        "Output":{"total":"{% $sum($states.result) %}"},"Assign":{"all":"{% $states.result %}"},
        "End":true}}})J",
                R"J({"xs":[1,2,3]})J");
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded) << ex->outcome().cause.value_or("");
  EXPECT_EQ(output(*ex), R"J({"total":63})J");
  EXPECT_EQ(assigned(*ex, T::kMapStateExited), R"J({"all":"[10,21,32]"})J");
}

TEST_F(ExecutorTest, JsonataMapItemsMustBeAnArray) {
  auto ex = run(R"J({"QueryLanguage":"JSONata","StartAt":"M","States":{"M":{"Type":"Map",
      "Items":"{% 'no' %}","ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass",
      "End":true}}},"End":true}}})J");
  ASSERT_EQ(ex->status(), ExecutionStatus::kFailed);
  EXPECT_EQ(ex->outcome().error, "States.QueryEvaluationError");
}

TEST_F(ExecutorTest, JsonataParallelArgumentsAndOutput) {
  auto ex = run(R"J({"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Parallel",
      "Arguments":"{% $states.input.x %}",
      "Branches":[{"StartAt":"A","States":{"A":{"Type":"Pass","Output":"{% $states.input + 1 %}",
        "End":true}}},
        {"StartAt":"B","States":{"B":{"Type":"Pass","Output":"{% $states.input * 2 %}",
        "End":true}}}],
      "Output":{"r":"{% $states.result %}"},"End":true}}})J",
                R"J({"x":5})J");
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded) << ex->outcome().cause.value_or("");
  EXPECT_EQ(output(*ex), R"J({"r":[6,10]})J");
}

TEST_F(ExecutorTest, JsonataCatchOutputAndAssignReadErrorOutput) {
  auto ex = run(R"J({"QueryLanguage":"JSONata","StartAt":"T","States":{
      "T":{"Type":"Task","Resource":"arn:aws:states:::http:invoke","Assign":{"never":1},
        "Catch":[{"ErrorEquals":["States.ALL"],"Next":"E",
          "Output":{"stateInput":"{% $states.input %}","err":"{% $states.errorOutput %}"},
          "Assign":{"errorVar":"{% $states.errorOutput.Error %}"}}],"End":true},
      "E":{"Type":"Pass","Output":"{% [$states.input, $errorVar] %}","End":true}}})J",
                R"J({"a":1})J");
  ASSERT_TRUE(tasks.last().fail("Boom", "bad"));
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded) << ex->outcome().cause.value_or("");
  EXPECT_EQ(output(*ex), R"J([{"stateInput":{"a":1},"err":{"Error":"Boom","Cause":"bad"}},)J"
                         R"J("Boom"])J");
  EXPECT_EQ(assigned(*ex, T::kTaskStateExited), R"J({"errorVar":"\"Boom\""})J");
}

TEST_F(ExecutorTest, JsonataCatchWithoutOutputGivesTheErrorOutput) {
  auto ex = run(R"J({"QueryLanguage":"JSONata","StartAt":"T","States":{
      "T":{"Type":"Task","Resource":"arn:aws:states:::http:invoke",
        "Catch":[{"ErrorEquals":["States.ALL"],"Next":"E"}],"End":true},
      "E":{"Type":"Succeed"}}})J");
  ASSERT_TRUE(tasks.last().fail("Boom", "bad"));
  EXPECT_EQ(output(*ex), R"J({"Error":"Boom","Cause":"bad"})J");
}

TEST_F(ExecutorTest, QueryEvaluationErrorIsRetriedAndCaught) {
  auto ex = run(R"J({"QueryLanguage":"JSONata","StartAt":"T","States":{
      "T":{"Type":"Task","Resource":"arn:aws:states:::http:invoke",
        "Output":"{% $states.result.missing %}",
        "Retry":[{"ErrorEquals":["States.QueryEvaluationError"],"MaxAttempts":1,
                  "IntervalSeconds":1}],
        "Catch":[{"ErrorEquals":["States.QueryEvaluationError"],"Next":"E"}],"End":true},
      "E":{"Type":"Pass","Output":"{% $states.input.Error %}","End":true}}})J");
  ASSERT_TRUE(tasks.last().succeed(parse("{}")));
  timers.advance_to(kStart + 1000);
  ASSERT_EQ(tasks.calls.size(), 2u);
  ASSERT_TRUE(tasks.last().succeed(parse("{}")));
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded) << ex->outcome().cause.value_or("");
  EXPECT_EQ(output(*ex), R"J("States.QueryEvaluationError")J");
  int evaluation_failures = 0;
  for (const auto& e : ex->history()) evaluation_failures += e.type == T::kEvaluationFailed;
  EXPECT_EQ(evaluation_failures, 2);
}

TEST_F(ExecutorTest, JsonPathMachineWithAJsonataStateShareVariables) {
  auto ex = run(R"J({"StartAt":"A","States":{
      "A":{"Type":"Pass","Result":{"answer":42},"Assign":{"theAnswer.$":"$.answer"},
        "Next":"B"},
      "B":{"Type":"Pass","QueryLanguage":"JSONata","Assign":{"old":"{% $theAnswer %}",
        "theAnswer":18},"Next":"C"},
      "C":{"Type":"Pass","Parameters":{"old.$":"$old","new.$":"$theAnswer"},"End":true}}})J");
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded) << ex->outcome().cause.value_or("");
  EXPECT_EQ(output(*ex), R"J({"old":42,"new":18})J");
}

}  // namespace
}  // namespace sluice::engine::executor
