// Execution: workflow variables (Assign) in JSONPath states: what "$" means in Assign, the
// evaluation order (every field of a state sees the variables from before it), references from
// paths and intrinsics, Choice and Catch assignments, Map and Parallel scopes, the limits, and
// the assignedVariables of the history.
#include "engine/executor/execution.h"

#include "tests/engine/executor/executor_fixture.h"

namespace sluice::engine::executor {
namespace {

using T = HistoryEventType;
using V = std::vector<std::string>;
using json::Object;
using json::Value;

// The assignedVariables of the nth event of `type`, or "<none>".
std::string assigned(const Execution& ex, HistoryEventType type, int nth = 0) {
  for (const auto& e : ex.history()) {
    if (e.type != type || nth-- != 0) continue;
    const Value* v = e.details.as_object().find("assignedVariables");
    return v != nullptr ? json::serialize(*v) : "<none>";
  }
  return "<no event>";
}

TEST_F(ExecutorTest, AssignSeesTheResultAndEveryFieldSeesTheOldValues) {
  // AWS's evaluation-order example: OutputPath reads "answer" as it was before the state.
  auto ex = run(R"J({"StartAt":"State0","States":{
      "State0":{"Type":"Pass","Result":{"theQuestion":"What is the answer?"},
        "Assign":{"question.$":"$.theQuestion","answer":42},"Next":"State1"},
      "State1":{"Type":"Pass","InputPath":"$answer","ResultPath":"$.theAnswer",
        "OutputPath":"$answer","Assign":{"answer":"<omitted>"},"End":true}}})J");
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded) << ex->outcome().cause.value_or("");
  EXPECT_EQ(output(*ex), "42");
  EXPECT_EQ(assigned(*ex, T::kPassStateExited, 0),
            R"J({"answer":"42","question":"\"What is the answer?\""})J");
  EXPECT_EQ(assigned(*ex, T::kPassStateExited, 1), R"J({"answer":"\"<omitted>\""})J");
  const HistoryEvent* exited = find(*ex, T::kPassStateExited);
  EXPECT_EQ(details(*exited),
            R"J({"name":"State0","output":"{\"theQuestion\":\"What is the answer?\"}",)J"
            R"J("outputDetails":{"truncated":false},"assignedVariables":{"answer":"42",)J"
            R"J("question":"\"What is the answer?\""},"assignedVariablesDetails":)J"
            R"J({"truncated":false}})J");
}

TEST_F(ExecutorTest, AssignValuesInOneStateAllSeeTheStateEntry) {
  auto ex = run(R"J({"StartAt":"A","States":{
      "A":{"Type":"Pass","Assign":{"x":3,"a":6},"Next":"B"},
      "B":{"Type":"Pass","Assign":{"x.$":"$a","nextX.$":"$x"},"Next":"C"},
      "C":{"Type":"Pass","Parameters":{"x.$":"$x","nextX.$":"$nextX"},"End":true}}})J");
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded) << ex->outcome().cause.value_or("");
  EXPECT_EQ(output(*ex), R"J({"x":6,"nextX":3})J");
}

TEST_F(ExecutorTest, AssignLiteralsArePlainValuesAndPathsReachEveryRoot) {
  auto ex = run(R"J({"StartAt":"A","States":{
      "A":{"Type":"Pass","Assign":{"obj":{"k":[1,"$.not.a.path"]},"s":"$x","n":null,
        "ctx.$":"$$.State.Name","in.$":"$.v","call.$":"States.Format('v={}', $.v)"},
        "Next":"B"},
      "B":{"Type":"Pass","Assign":{"deep.$":"$obj.k[0]","merged.$":"States.JsonMerge($obj, $$.Execution.Input, false)"},
        "End":true}}})J",
                R"J({"v":7})J");
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded) << ex->outcome().cause.value_or("");
  // Sorted by name, each value as compact JSON text.
  EXPECT_EQ(assigned(*ex, T::kPassStateExited, 0),
            R"J({"call":"\"v=7\"","ctx":"\"A\"","in":"7","n":"null",)J"
            R"J("obj":"{\"k\":[1,\"$.not.a.path\"]}","s":"\"$x\""})J");
  EXPECT_EQ(assigned(*ex, T::kPassStateExited, 1),
            R"J({"deep":"1","merged":"{\"k\":[1,\"$.not.a.path\"],\"v\":7}"})J");
}

TEST_F(ExecutorTest, EmptyAssignAndStatesWithoutAssignRecordNoVariables) {
  auto ex = run(R"J({"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{},"Next":"B"},
      "B":{"Type":"Pass","End":true}}})J");
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(assigned(*ex, T::kPassStateExited, 0), "<none>");
  EXPECT_EQ(assigned(*ex, T::kPassStateExited, 1), "<none>");
}

TEST_F(ExecutorTest, VariablesInPathsOfEveryKind) {
  auto ex = run(R"J({"StartAt":"Set","States":{
      "Set":{"Type":"Pass","Assign":{"items":[1,2,3],"wait":"0","pick":{"a":{"b":5}},
        "limit":"1","guess":"x","answer":"x"},"Next":"Choose"},
      "Choose":{"Type":"Choice","Choices":[{"Variable":"$guess","StringEqualsPath":"$answer",
        "Next":"Sleep"}],"Default":"Bad"},
      "Sleep":{"Type":"Wait","SecondsPath":"$wait","Next":"Each"},
      "Each":{"Type":"Map","ItemsPath":"$items","MaxConcurrencyPath":"$limit",
        "ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}},
        "ResultPath":"$.mapped","Next":"Out"},
      "Out":{"Type":"Pass","InputPath":"$pick.a","OutputPath":"$.b","End":true},
      "Bad":{"Type":"Fail","Error":"Bad"}}})J");
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded) << ex->outcome().cause.value_or("");
  EXPECT_EQ(output(*ex), "5");
}

TEST_F(ExecutorTest, FailReadsErrorAndCauseFromVariables) {
  auto ex = run(R"J({"StartAt":"Set","States":{
      "Set":{"Type":"Pass","Assign":{"errorVar":"Exception","causeVar":"An Exception"},
        "Next":"F"},
      "F":{"Type":"Fail","ErrorPath":"$errorVar","CausePath":"$causeVar"}}})J");
  ASSERT_EQ(ex->status(), ExecutionStatus::kFailed);
  EXPECT_EQ(ex->outcome().error, "Exception");
  EXPECT_EQ(ex->outcome().cause, "An Exception");
}

TEST_F(ExecutorTest, AnUnknownVariableInAPathIsStatesRuntime) {
  auto ex = run(R"J({"StartAt":"P","States":{"P":{"Type":"Pass",
      "Parameters":{"x.$":"$nope"},"End":true}}})J");
  ASSERT_EQ(ex->status(), ExecutionStatus::kFailed);
  EXPECT_EQ(ex->outcome().error, "States.Runtime");
  EXPECT_EQ(ex->outcome().cause,
            "An error occurred while executing the state 'P' (entered at the event id #2). The "
            "JSONPath '$nope' specified for the field 'x.$' could not be found: there is no "
            "variable 'nope'");
}

TEST_F(ExecutorTest, ChoiceRuleAssignReplacesTheStateAssign) {
  constexpr const char* kMachine = R"J({"StartAt":"C","States":{
      "C":{"Type":"Choice","Choices":[{"Variable":"$.go","BooleanEquals":true,
        "Assign":{"which":"rule","seen.$":"$.go"},"Next":"E"}],
        "Default":"E","Assign":{"which":"default"}},
      "E":{"Type":"Pass","Parameters":{"which.$":"$which"},"End":true}}})J";
  auto yes = run(kMachine, R"J({"go":true})J");
  EXPECT_EQ(output(*yes), R"J({"which":"rule"})J");
  EXPECT_EQ(assigned(*yes, T::kChoiceStateExited), R"J({"seen":"true","which":"\"rule\""})J");
  auto no = run(kMachine, R"J({"go":false})J");
  EXPECT_EQ(output(*no), R"J({"which":"default"})J");
  EXPECT_EQ(assigned(*no, T::kChoiceStateExited), R"J({"which":"\"default\""})J");
}

TEST_F(ExecutorTest, WaitAssignReadsTheInputAfterInputPath) {
  auto ex = run(R"J({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":0,"InputPath":"$.in",
      "Assign":{"got.$":"$.v"},"Next":"E"},
      "E":{"Type":"Pass","Parameters":{"got.$":"$got"},"End":true}}})J",
                R"J({"in":{"v":"w"}})J");
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded) << ex->outcome().cause.value_or("");
  EXPECT_EQ(output(*ex), R"J({"got":"w"})J");
}

TEST_F(ExecutorTest, TaskAssignSeesTheRawResultAndCatchAssignTheError) {
  auto ex = run(R"J({"StartAt":"T","States":{
      "T":{"Type":"Task","Resource":"arn:aws:states:::http:invoke",
        "ResultSelector":{"only.$":"$.a"},"Assign":{"raw.$":"$"},"Next":"U"},
      "U":{"Type":"Task","Resource":"arn:aws:states:::http:invoke","Assign":{"never":1},
        "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.err",
                  "Assign":{"error.$":"$.Error","cause.$":"$.Cause","raw2.$":"$raw"},
                  "Next":"E"}],"End":true},
      "E":{"Type":"Pass","Parameters":{"error.$":"$error","raw.$":"$raw2"},"End":true}}})J");
  ASSERT_TRUE(tasks.last().succeed(parse(R"J({"a":1,"b":2})J")));
  EXPECT_EQ(assigned(*ex, T::kTaskStateExited, 0), R"J({"raw":"{\"a\":1,\"b\":2}"})J");
  ASSERT_TRUE(tasks.last().fail("Boom", "it broke"));
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded) << ex->outcome().cause.value_or("");
  EXPECT_EQ(output(*ex), R"J({"error":"Boom","raw":{"a":1,"b":2}})J");
  // The catcher's variables are shown on the failed state's exit; the state's own are dropped.
  EXPECT_EQ(assigned(*ex, T::kTaskStateExited, 1),
            R"J({"cause":"\"it broke\"","error":"\"Boom\"","raw2":"{\"a\":1,\"b\":2}"})J");
}

TEST_F(ExecutorTest, MapIterationsReadOuterVariablesAndTheirOwnStayInside) {
  auto ex = run(R"J({"StartAt":"State0","States":{
      "State0":{"Type":"Pass","Assign":{"x":42,"items":[1,2,3]},"Next":"State1"},
      "State1":{"Type":"Map","ItemsPath":"$items","MaxConcurrency":1,
        "ItemProcessor":{"StartAt":"Inner","States":{
          "Inner":{"Type":"Pass","Assign":{"innerX.$":"$x","mine.$":"$"},"Next":"Read"},
          "Read":{"Type":"Pass","Parameters":{"x.$":"$innerX","item.$":"$mine"},"End":true}}},
        "Next":"State2"},
      "State2":{"Type":"Pass","Assign":{"final.$":"$x"},"Next":"State3"},
      "State3":{"Type":"Pass","Parameters":{"final.$":"$final"},"End":true}}})J");
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded) << ex->outcome().cause.value_or("");
  EXPECT_EQ(json::serialize(*find(*ex, T::kMapStateExited)->details.as_object().find("output")),
            R"J("[{\"x\":42,\"item\":1},{\"x\":42,\"item\":2},{\"x\":42,\"item\":3}]")J");
  EXPECT_EQ(assigned(*ex, T::kPassStateExited, 1), R"J({"innerX":"42","mine":"1"})J");
  EXPECT_EQ(assigned(*ex, T::kPassStateExited, 7), R"J({"final":"42"})J");
  EXPECT_EQ(output(*ex), R"J({"final":42})J");
}

TEST_F(ExecutorTest, AnInnerVariableDoesNotLeakOutOfItsScope) {
  auto ex = run(R"J({"StartAt":"P","States":{
      "P":{"Type":"Parallel","Branches":[{"StartAt":"B","States":{"B":{"Type":"Pass",
        "Assign":{"inner":1},"End":true}}}],"Next":"After"},
      "After":{"Type":"Pass","Parameters":{"x.$":"$inner"},"End":true}}})J");
  ASSERT_EQ(ex->status(), ExecutionStatus::kFailed);
  EXPECT_EQ(ex->outcome().error, "States.Runtime");
}

TEST_F(ExecutorTest, AStateInsideAMapCannotAssignAnOuterVariable) {
  auto ex = run(R"J({"StartAt":"Set","States":{
      "Set":{"Type":"Pass","Assign":{"x":1},"Next":"M"},
      "M":{"Type":"Map","ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass",
        "Assign":{"x":2},"End":true}}},"End":true}}})J",
                "[1]");
  ASSERT_EQ(ex->status(), ExecutionStatus::kFailed);
  EXPECT_EQ(ex->outcome().error, "States.Runtime");
  EXPECT_NE(ex->outcome().cause.value_or("").find("The variable 'x' belongs to an outer scope"),
            std::string::npos)
      << ex->outcome().cause.value_or("");
}

TEST_F(ExecutorTest, ParallelCatchAssignWritesTheOuterScope) {
  auto ex = run(R"J({"StartAt":"P","States":{
      "P":{"Type":"Parallel","Branches":[{"StartAt":"B","States":{"B":{"Type":"Fail",
        "Error":"E1","Cause":"c1"}}}],
        "Catch":[{"ErrorEquals":["E1"],"Assign":{"errorVar.$":"$.Error"},"Next":"After"}],
        "End":true},
      "After":{"Type":"Pass","Parameters":{"e.$":"$errorVar"},"End":true}}})J");
  ASSERT_EQ(ex->status(), ExecutionStatus::kSucceeded) << ex->outcome().cause.value_or("");
  EXPECT_EQ(output(*ex), R"J({"e":"E1"})J");
  EXPECT_EQ(assigned(*ex, T::kParallelStateExited), R"J({"errorVar":"\"E1\""})J");
}

TEST_F(ExecutorTest, AVariableOverItsLimitIsDataLimitExceeded) {
  std::string big(300 * 1024, 'x');
  auto ex = run(R"J({"StartAt":"P","States":{"P":{"Type":"Pass",
      "Assign":{"big.$":"$.s"},"End":true}}})J",
                R"J({"s":")J" + big + R"J("})J", ExecutionOptions{true, 1024 * 1024, nullptr});
  ASSERT_EQ(ex->status(), ExecutionStatus::kFailed);
  EXPECT_EQ(ex->outcome().error, "States.DataLimitExceeded");
  EXPECT_NE(ex->outcome().cause.value_or("").find("the variable 'big'"), std::string::npos);
}

TEST_F(ExecutorTest, AnAssignPathThatSelectsNothingIsStatesRuntimeWhichNoCatcherCatches) {
  auto ex = run(R"J({"StartAt":"T","States":{
      "T":{"Type":"Task","Resource":"arn:aws:states:::http:invoke",
        "Assign":{"x.$":"$.missing"},
        "Catch":[{"ErrorEquals":["States.ALL"],"Next":"E"}],"End":true},
      "E":{"Type":"Pass","End":true}}})J");
  ASSERT_TRUE(tasks.last().succeed(parse("{}")));
  ASSERT_EQ(ex->status(), ExecutionStatus::kFailed);
  EXPECT_EQ(ex->outcome().error, "States.Runtime");
}

}  // namespace
}  // namespace sluice::engine::executor
