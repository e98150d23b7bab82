// TestState: one state run alone, with its status, next state and inspection data.
#include "engine/executor/test_state.h"

#include <gtest/gtest.h>

#include "engine/executor/manual_time.h"
#include "engine/json/json_parse.h"
#include "engine/json/json_serialize.h"
#include "tests/engine/executor/executor_fakes.h"

namespace sluice::engine::executor {
namespace {

using json::Value;
using Kind = TestStateRejection::Kind;

class TestStateTest : public ::testing::Test {
 protected:
  // Starts the test; the result, once there is one, is in result.
  std::optional<TestStateRejection> test(std::string_view definition,
                                         std::optional<std::string_view> input = std::nullopt,
                                         InspectionLevel level = InspectionLevel::kDebug,
                                         std::optional<std::string_view> state_name = std::nullopt,
                                         std::optional<std::string_view> variables = std::nullopt) {
    TestStateRequest req;
    req.definition = definition;
    req.input = input;
    req.variables = variables;
    req.inspection_level = level;
    req.state_name = state_name;
    req.role_arn = "arn:aws:iam::000000000000:role/tester";
    if (tweak) tweak(req);
    TestStateServices services;
    services.clock = &clock;
    services.timers = &timers;
    services.tasks = &tasks;
    services.info.execution_arn = "arn:aws:states:us-east-1:000000000000:execution:test:t-1";
    services.info.name = "t-1";
    return start_test_state(req, services, [this](TestStateResult r) {
      ++reports;
      result = std::move(r);
    });
  }
  std::string json_of() const { return result ? test_state_result_json(*result) : "<none>"; }

  ManualClock clock{1700000000000};
  ManualTimerService timers{clock};
  FakeTasks tasks;
  std::function<void(TestStateRequest&)> tweak;  // the request's other members
  std::optional<TestStateResult> result;
  int reports = 0;
};

TEST_F(TestStateTest, PassShowsEveryProcessingStageAtDebug) {
  ASSERT_FALSE(test(R"J({"Type":"Pass","InputPath":"$.in","Parameters":{"x.$":"$.a"},
      "ResultPath":"$.out","OutputPath":"$.out","Next":"Later"})J",
                    R"J({"in":{"a":1,"b":2}})J"));
  ASSERT_EQ(reports, 1);
  EXPECT_EQ(json_of(),
            R"J({"output":"{\"x\":1}","inspectionData":{"input":"{\"in\":{\"a\":1,\"b\":2}}",)J"
            R"J("afterInputPath":"{\"a\":1,\"b\":2}","afterParameters":"{\"x\":1}",)J"
            R"J("afterResultSelector":"{\"x\":1}",)J"
            R"J("afterResultPath":"{\"in\":{\"a\":1,\"b\":2},\"out\":{\"x\":1}}"},)J"
            R"J("nextState":"Later","status":"SUCCEEDED"})J");
}

TEST_F(TestStateTest, InfoLevelShowsOnlyTheOutcome) {
  ASSERT_FALSE(
      test(R"J({"Type":"Pass","Result":{"r":true},"End":true})J", "{}", InspectionLevel::kInfo));
  EXPECT_EQ(json_of(), R"J({"output":"{\"r\":true}","status":"SUCCEEDED"})J");
}

TEST_F(TestStateTest, ChoiceNamesTheBranchTaken) {
  const char* choice = R"J({"Type":"Choice","Choices":[
      {"Variable":"$.n","NumericGreaterThan":10,"Next":"Big"},
      {"Variable":"$.n","NumericLessThan":0,"Next":"Negative"}],"OutputPath":"$.n"})J";
  ASSERT_FALSE(test(choice, R"J({"n":-3})J", InspectionLevel::kInfo));
  EXPECT_EQ(json_of(), R"J({"output":"-3","nextState":"Negative","status":"SUCCEEDED"})J");
  ASSERT_FALSE(test(choice, R"J({"n":5})J", InspectionLevel::kInfo));
  EXPECT_EQ(result->status, TestExecutionStatus::kFailed);
  EXPECT_EQ(result->error, "States.NoChoiceMatched");
  EXPECT_FALSE(result->next_state);
}

TEST_F(TestStateTest, FailAndSucceed) {
  ASSERT_FALSE(
      test(R"J({"Type":"Fail","Error":"Custom","CausePath":"$.why"})J", R"J({"why":"because"})J"));
  EXPECT_EQ(json_of(),
            R"J({"error":"Custom","cause":"because",)J"
            R"J("inspectionData":{"input":"{\"why\":\"because\"}"},"status":"FAILED"})J");
  ASSERT_FALSE(
      test(R"J({"Type":"Succeed","InputPath":"$.v"})J", R"J({"v":[1]})J", InspectionLevel::kInfo));
  EXPECT_EQ(json_of(), R"J({"output":"[1]","status":"SUCCEEDED"})J");
}

TEST_F(TestStateTest, WaitDoesNotWait) {
  ASSERT_FALSE(test(R"J({"Type":"Wait","Seconds":3600,"Next":"After"})J", R"J({"k":1})J",
                    InspectionLevel::kInfo));
  ASSERT_EQ(reports, 1);
  EXPECT_EQ(json_of(), R"J({"output":"{\"k\":1}","nextState":"After","status":"SUCCEEDED"})J");
  EXPECT_EQ(timers.pending(), 0u);
}

constexpr const char* kTask = R"J({"Type":"Task","Resource":"arn:aws:states:::http:invoke",
    "Parameters":{"ApiEndpoint":"http://x","Method":"GET","id.$":"$.id"},
    "ResultSelector":{"code.$":"$.StatusCode"},"ResultPath":"$.res",
    "Retry":[{"ErrorEquals":["Throttled"],"IntervalSeconds":3,"BackoffRate":2}],
    "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.error","Next":"Recover"}],
    "Next":"Next"})J";

TEST_F(TestStateTest, TaskCallsTheTaskHandlerAndShowsItsRawResult) {
  ASSERT_FALSE(test(kTask, R"J({"id":7})J"));
  ASSERT_EQ(tasks.calls.size(), 1u);
  EXPECT_EQ(reports, 0);  // the task answers later
  EXPECT_EQ(json::serialize(tasks.calls[0].request.input),
            R"J({"ApiEndpoint":"http://x","Method":"GET","id":7})J");
  tasks.last().succeed(*json::parse(R"J({"StatusCode":200,"Body":"hi"})J"));
  ASSERT_EQ(reports, 1);
  EXPECT_EQ(json_of(),
            R"J({"output":"{\"id\":7,\"res\":{\"code\":200}}","inspectionData":{)J"
            R"J("input":"{\"id\":7}","afterInputPath":"{\"id\":7}",)J"
            R"J("afterParameters":"{\"ApiEndpoint\":\"http://x\",\"Method\":\"GET\",\"id\":7}",)J"
            R"J("result":"{\"StatusCode\":200,\"Body\":\"hi\"}",)J"
            R"J("afterResultSelector":"{\"code\":200}",)J"
            R"J("afterResultPath":"{\"id\":7,\"res\":{\"code\":200}}"},)J"
            R"J("nextState":"Next","status":"SUCCEEDED"})J");
}

TEST_F(TestStateTest, ARetriableErrorIsNotRetried) {
  ASSERT_FALSE(test(kTask, R"J({"id":7})J"));
  tasks.last().fail("Throttled", "slow down");
  ASSERT_EQ(reports, 1);
  EXPECT_EQ(tasks.calls.size(), 1u);
  EXPECT_EQ(result->status, TestExecutionStatus::kRetriable);
  EXPECT_EQ(result->error, "Throttled");
  EXPECT_EQ(result->cause, "slow down");
  ASSERT_TRUE(result->inspection_data);
  EXPECT_EQ(result->inspection_data->retry_index, 0);
  EXPECT_EQ(result->inspection_data->retry_backoff_interval_seconds, 3);
  EXPECT_FALSE(result->output);
  EXPECT_NE(json_of().find(R"J("errorDetails":{"retryIndex":0,"retryBackoffIntervalSeconds":3})J"),
            std::string::npos)
      << json_of();
  EXPECT_EQ(timers.pending(), 0u);
}

TEST_F(TestStateTest, ACaughtErrorNamesTheCatchersNextState) {
  ASSERT_FALSE(test(kTask, R"J({"id":7})J"));
  tasks.last().fail("Broken", "down");
  ASSERT_EQ(reports, 1);
  EXPECT_EQ(result->status, TestExecutionStatus::kCaughtError);
  EXPECT_EQ(result->next_state, "Recover");
  EXPECT_EQ(result->output, R"J({"id":7,"error":{"Error":"Broken","Cause":"down"}})J");
  EXPECT_EQ(result->error, "Broken");
  EXPECT_EQ(result->inspection_data->catch_index, 0);
}

TEST_F(TestStateTest, AnUnhandledErrorFails) {
  ASSERT_FALSE(test(R"J({"Type":"Task","Resource":"arn:aws:states:::http:invoke","End":true})J",
                    "{}", InspectionLevel::kInfo));
  tasks.last().fail("Broken", "down");
  EXPECT_EQ(json_of(), R"J({"error":"Broken","cause":"down","status":"FAILED"})J");
}

TEST_F(TestStateTest, TaskTimeoutsApplyAndTheTestGivesUpAfterFiveMinutes) {
  ASSERT_FALSE(test(R"J({"Type":"Task","Resource":"arn:aws:states:::http:invoke",
      "TimeoutSeconds":10,"Catch":[{"ErrorEquals":["States.Timeout"],"Next":"Late"}],
      "End":true})J"));
  timers.advance_by(10000);
  ASSERT_EQ(reports, 1);
  EXPECT_EQ(result->status, TestExecutionStatus::kCaughtError);
  EXPECT_EQ(result->error, "States.Timeout");

  ASSERT_FALSE(test(R"J({"Type":"Task","Resource":"arn:aws:states:::http:invoke",
      "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Late"}],"End":true})J"));
  timers.advance_by(299999);
  EXPECT_EQ(reports, 1);
  timers.advance_by(1);
  ASSERT_EQ(reports, 2);
  EXPECT_EQ(result->status, TestExecutionStatus::kFailed);  // not the state's error: no Catch
  EXPECT_EQ(result->error, "States.Timeout");
  EXPECT_EQ(tasks.cancelled.size(), 2u);
  EXPECT_EQ(timers.pending(), 0u);
}

TEST_F(TestStateTest, AStateOfAWholeMachineByName) {
  ASSERT_FALSE(test(R"J({"StartAt":"Par","States":{"Par":{"Type":"Parallel","Branches":[
      {"StartAt":"Inner","States":{"Inner":{"Type":"Pass","Result":"in","Next":"Last"},
                                   "Last":{"Type":"Succeed"}}}],"End":true}}})J",
                    "{}", InspectionLevel::kInfo, "Inner"));
  EXPECT_EQ(json_of(), R"J({"output":"\"in\"","nextState":"Last","status":"SUCCEEDED"})J");
  auto missing = test(R"J({"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}})J", "{}",
                      InspectionLevel::kInfo, "Nope");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->kind, Kind::kValidation);
}

TEST_F(TestStateTest, WhatTestStateDoesNotRun) {
  for (const char* def :
       {R"J({"Type":"Parallel","Branches":[{"StartAt":"A","States":{"A":{"Type":"Pass",
            "End":true}}}],"End":true})J",
        R"J({"Type":"Map","ItemProcessor":{"StartAt":"A","States":{"A":{"Type":"Pass",
            "End":true}}},"End":true})J",
        R"J({"Type":"Task","Resource":"arn:aws:states:us-east-1:000000000000:activity:a",
            "End":true})J",
        R"J({"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "End":true})J",
        R"J({"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2",
            "End":true})J"}) {
    auto rejected = test(def);
    ASSERT_TRUE(rejected) << def;
    EXPECT_EQ(rejected->kind, Kind::kValidation) << def;
  }
  EXPECT_TRUE(tasks.calls.empty());
  EXPECT_EQ(reports, 0);
}

TEST_F(TestStateTest, TheStateIsValidatedLikeADefinition) {
  auto bad = test(R"J({"Type":"Pass","Bogus":1,"ResultPath":"nope","End":true})J");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->kind, Kind::kInvalidDefinition);
  ASSERT_EQ(bad->diagnostics.size(), 2u);
  EXPECT_EQ(bad->diagnostics[0].code, "SCHEMA_VALIDATION_FAILED");
  EXPECT_EQ(bad->diagnostics[0].location, "/");
  EXPECT_EQ(bad->diagnostics[1].location, "/ResultPath");
  EXPECT_NE(bad->message.find("Invalid State Machine Definition"), std::string::npos);

  auto not_json = test("{\"Type\":");
  ASSERT_TRUE(not_json);
  EXPECT_EQ(not_json->kind, Kind::kInvalidDefinition);
  EXPECT_EQ(not_json->diagnostics[0].code, "INVALID_JSON_DESCRIPTION");

  auto no_next = test(R"J({"Type":"Pass"})J");
  ASSERT_TRUE(no_next);
  EXPECT_EQ(no_next->kind, Kind::kInvalidDefinition);

  auto input = test(R"J({"Type":"Pass","End":true})J", "{oops");
  ASSERT_TRUE(input);
  EXPECT_EQ(input->kind, Kind::kInvalidExecutionInput);
}

TEST_F(TestStateTest, LevelsAndStatusesByName) {
  EXPECT_EQ(parse_inspection_level("TRACE"), InspectionLevel::kTrace);
  EXPECT_EQ(parse_inspection_level("DEBUG"), InspectionLevel::kDebug);
  EXPECT_EQ(parse_inspection_level("INFO"), InspectionLevel::kInfo);
  EXPECT_EQ(parse_inspection_level("info"), std::nullopt);
  EXPECT_EQ(test_execution_status_name(TestExecutionStatus::kCaughtError), "CAUGHT_ERROR");
  EXPECT_EQ(test_execution_status_name(TestExecutionStatus::kRetriable), "RETRIABLE");
}

TEST_F(TestStateTest, VariablesAreSeenAndReportedAfterTheStateAssigns) {
  ASSERT_FALSE(test(R"J({"Type":"Pass","Parameters":{"v.$":"$given","in.$":"$.a"},
      "Assign":{"given":"changed","more.$":"$given"},"End":true})J",
                    R"J({"a":1})J", InspectionLevel::kTrace, std::nullopt,
                    R"J({"given":"test_value","n":10})J"));
  ASSERT_EQ(reports, 1);
  EXPECT_EQ(json_of(),
            R"J({"output":"{\"v\":\"test_value\",\"in\":1}","inspectionData":)J"
            R"J({"input":"{\"a\":1}","afterInputPath":"{\"a\":1}",)J"
            R"J("afterParameters":"{\"v\":\"test_value\",\"in\":1}",)J"
            R"J("afterResultSelector":"{\"v\":\"test_value\",\"in\":1}",)J"
            R"J("afterResultPath":"{\"v\":\"test_value\",\"in\":1}",)J"
            R"J("variables":"{\"given\":\"changed\",\"n\":10,\"more\":\"test_value\"}"},)J"
            R"J("status":"SUCCEEDED"})J");
}

TEST_F(TestStateTest, JsonataPassShowsOnlyInputAndVariables) {
  ASSERT_FALSE(test(R"J({"Type":"Pass","QueryLanguage":"JSONata",
      "Output":{"sum":"{% $sum($states.input.xs) + $n %}"},"End":true})J",
                    R"J({"xs":[1,2,3]})J", InspectionLevel::kTrace, std::nullopt, R"J({"n":10})J"));
  EXPECT_EQ(json_of(), R"J({"output":"{\"sum\":16}","inspectionData":)J"
                       R"J({"input":"{\"xs\":[1,2,3]}","variables":"{\"n\":10}"},)J"
                       R"J("status":"SUCCEEDED"})J");
  // Without variables given, and none assigned, there are none to show.
  ASSERT_FALSE(test(R"J({"Type":"Pass","QueryLanguage":"JSONata","End":true})J", "{}",
                    InspectionLevel::kTrace));
  EXPECT_EQ(json_of(), R"J({"output":"{}","inspectionData":{"input":"{}"},)J"
                       R"J("status":"SUCCEEDED"})J");
}

TEST_F(TestStateTest, JsonataTaskShowsAfterArgumentsAndResult) {
  ASSERT_FALSE(test(R"J({"Type":"Task","QueryLanguage":"JSONata",
      "Resource":"arn:aws:states:::http:invoke","Arguments":{"x":"{% $states.input.a %}"},
      "Output":"{% $states.result.r %}","End":true})J",
                    R"J({"a":5})J", InspectionLevel::kDebug));
  ASSERT_EQ(tasks.calls.size(), 1u);
  ASSERT_TRUE(tasks.last().succeed(*json::parse(R"J({"r":"done"})J")));
  EXPECT_EQ(json_of(), R"J({"output":"\"done\"","inspectionData":{"input":"{\"a\":5}",)J"
                       R"J("afterArguments":"{\"x\":5}","result":"{\"r\":\"done\"}"},)J"
                       R"J("status":"SUCCEEDED"})J");
}

TEST_F(TestStateTest, JsonataCatchOutputAndAssign) {
  ASSERT_FALSE(test(R"J({"Type":"Task","QueryLanguage":"JSONata",
      "Resource":"arn:aws:states:::http:invoke",
      "Catch":[{"ErrorEquals":["States.ALL"],"Output":"{% $states %}",
                "Assign":{"err":"{% $states.errorOutput.Error %}"},"Next":"Handler"}],
      "End":true})J",
                    "{}", InspectionLevel::kDebug));
  ASSERT_TRUE(tasks.last().fail("Boom", "bad"));
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->status, TestExecutionStatus::kCaughtError);
  EXPECT_EQ(*result->next_state, "Handler");
  auto out = json::parse(*result->output);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(json::serialize(*out->as_object().find("errorOutput")),
            R"J({"Error":"Boom","Cause":"bad"})J");
  EXPECT_EQ(*result->inspection_data->variables, R"J({"err":"Boom"})J");
}

TEST_F(TestStateTest, VariablesMustBeAJsonObjectOfValidNames) {
  auto bad =
      test(R"J({"Type":"Pass","End":true})J", "{}", InspectionLevel::kInfo, std::nullopt, "[1]");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->kind, Kind::kValidation);
  bad = test(R"J({"Type":"Pass","End":true})J", "{}", InspectionLevel::kInfo, std::nullopt,
             R"J({"a.b":1})J");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->kind, Kind::kValidation);
}

}  // namespace
}  // namespace sluice::engine::executor

namespace sluice::engine::executor {
namespace {

// retrierRetryCount: the retries the matching Retrier has made decide between retry and Catch,
// and the backoff is that of the next retry (IntervalSeconds x BackoffRate^count).
TEST_F(TestStateTest, RetrierRetryCountDecidesBetweenRetryAndCatch) {
  // kTask's Retrier: Throttled, IntervalSeconds 3, BackoffRate 2, MaxAttempts 3 (the default).
  tweak = [](TestStateRequest& r) { r.retrier_retry_count = 2; };
  ASSERT_FALSE(test(kTask, R"J({"id":7})J"));
  tasks.last().fail("Throttled", "slow down");
  ASSERT_EQ(reports, 1);
  EXPECT_EQ(result->status, TestExecutionStatus::kRetriable);
  EXPECT_EQ(result->inspection_data->retry_index, 0);
  EXPECT_EQ(result->inspection_data->retry_backoff_interval_seconds, 12);

  tweak = [](TestStateRequest& r) { r.retrier_retry_count = 3; };  // exhausted: Catch applies
  ASSERT_FALSE(test(kTask, R"J({"id":7})J"));
  tasks.last().fail("Throttled", "slow down");
  ASSERT_EQ(reports, 2);
  EXPECT_EQ(result->status, TestExecutionStatus::kCaughtError);
  EXPECT_EQ(result->next_state, "Recover");
  EXPECT_EQ(result->inspection_data->catch_index, 0);
  EXPECT_FALSE(result->inspection_data->retry_index);

  // Without a Catch an exhausted Retrier leaves the error unhandled.
  ASSERT_FALSE(test(R"J({"Type":"Task","Resource":"arn:aws:states:::http:invoke",
      "Retry":[{"ErrorEquals":["States.ALL"],"MaxAttempts":1}],"End":true})J",
                    "{}", InspectionLevel::kInfo));
  tasks.last().fail("Throttled", "slow down");
  EXPECT_EQ(json_of(), R"J({"error":"Throttled","cause":"slow down","status":"FAILED"})J");
}

TEST_F(TestStateTest, RetrierRetryCountIsTheStatesRetryCount) {
  tweak = [](TestStateRequest& r) { r.retrier_retry_count = 2; };
  ASSERT_FALSE(test(R"J({"Type":"Task","Resource":"arn:aws:states:::http:invoke",
      "Parameters":{"n.$":"$$.State.RetryCount"},"End":true})J",
                    "{}", InspectionLevel::kInfo));
  EXPECT_EQ(json::serialize(tasks.last_request().input), R"J({"n":2})J");
  tasks.last().succeed(Value(json::Object{}));  // answered, the test reports (and ends)
  EXPECT_EQ(reports, 1);
}

// The given context is merged over the one the state would see: what it names replaces, the rest
// stays.
TEST_F(TestStateTest, AGivenContextIsMergedOverTheContextObject) {
  tweak = [](TestStateRequest& r) {
    r.mocked = true;
    r.context = R"J({"Execution":{"Id":"arn:given","StartTime":"2024-01-01T10:00:00.000Z"},
        "State":{"Name":"ProcessData"},"Custom":{"v":1}})J";
  };
  ASSERT_FALSE(test(R"J({"Type":"Task","Resource":"arn:aws:states:::http:invoke",
      "Parameters":{"id.$":"$$.Execution.Id","name.$":"$$.Execution.Name",
        "state.$":"$$.State.Name","start.$":"$$.Execution.StartTime","v.$":"$$.Custom.v"},
      "End":true})J",
                    "{}", InspectionLevel::kInfo));
  EXPECT_EQ(json::serialize(tasks.last_request().input),
            R"J({"id":"arn:given","name":"t-1","state":"ProcessData",)J"
            R"J("start":"2024-01-01T10:00:00.000Z","v":1})J");
  tasks.last().succeed(Value(json::Object{}));
  EXPECT_EQ(reports, 1);

  // JSONata sees it as $states.context.
  ASSERT_FALSE(test(R"J({"Type":"Task","QueryLanguage":"JSONata",
      "Resource":"arn:aws:states:::http:invoke",
      "Arguments":{"id":"{% $states.context.Execution.Id %}"},"End":true})J",
                    "{}", InspectionLevel::kInfo));
  EXPECT_EQ(json::serialize(tasks.last_request().input), R"J({"id":"arn:given"})J");
  tasks.last().succeed(Value(json::Object{}));
  EXPECT_EQ(reports, 2);

  tweak = [](TestStateRequest& r) { r.context = "[1]"; };
  auto rejected = test(R"J({"Type":"Pass","End":true})J");
  ASSERT_TRUE(rejected);
  EXPECT_EQ(rejected->kind, Kind::kValidation);
}

// Activities and the .sync / .waitForTaskToken patterns run when the task is mocked.
TEST_F(TestStateTest, MockedTasksMayUseAnyIntegrationPattern) {
  tweak = [](TestStateRequest& r) { r.mocked = true; };
  for (const char* def :
       {R"J({"Type":"Task","Resource":"arn:aws:states:us-east-1:000000000000:activity:a",
            "End":true})J",
        R"J({"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "End":true})J",
        R"J({"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2",
            "End":true})J"}) {
    int before = reports;
    ASSERT_FALSE(test(def, "{}", InspectionLevel::kInfo)) << def;
    tasks.last().succeed(Value(json::Object{{"ok", Value(true)}}));
    ASSERT_EQ(reports, before + 1) << def;
    EXPECT_EQ(json_of(), R"J({"output":"{\"ok\":true}","status":"SUCCEEDED"})J") << def;
  }
}

// At TRACE the task is asked for its HTTP exchange, which inspectionData shows; DEBUG asks not.
TEST_F(TestStateTest, TraceShowsTheExchangeTheTaskReports) {
  const char* http = R"J({"Type":"Task","Resource":"arn:aws:states:::http:invoke","End":true})J";
  ASSERT_FALSE(test(http, "{}", InspectionLevel::kDebug));
  EXPECT_FALSE(tasks.last_request().inspect_exchange);
  tasks.last().succeed(Value(json::Object{}));
  ASSERT_EQ(reports, 1);
  ASSERT_FALSE(test(http, "{}", InspectionLevel::kTrace));
  EXPECT_TRUE(tasks.last_request().inspect_exchange);
  tasks.last().inspected(
      *json::parse(R"J({"request":{"method":"GET"},"response":{"statusCode":"200"}})J"));
  tasks.last().succeed(Value(json::Object{}));
  ASSERT_TRUE(result && result->inspection_data);
  EXPECT_NE(json_of().find(R"J("request":{"method":"GET"},"response":{"statusCode":"200"})J"),
            std::string::npos)
      << json_of();
}

// A mocked Parallel or Map runs no branch or iteration: the TaskHandler is asked once, with an
// empty resource, and its answer is the state's result.
TEST_F(TestStateTest, AMockedParallelIsAnsweredOnceForTheWholeState) {
  tweak = [](TestStateRequest& r) { r.mocked = true; };
  ASSERT_FALSE(test(R"J({"Type":"Parallel","Parameters":{"v.$":"$.a"},"ResultPath":"$.r",
      "Branches":[{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},
                  {"StartAt":"B","States":{"B":{"Type":"Pass","End":true}}}],"Next":"N"})J",
                    R"J({"a":1})J"));
  ASSERT_EQ(tasks.calls.size(), 1u);
  EXPECT_TRUE(tasks.last_request().resource.empty());
  tasks.last().succeed(*json::parse("[1,2]"));
  ASSERT_EQ(reports, 1);
  EXPECT_EQ(result->output, R"J({"a":1,"r":[1,2]})J");
  EXPECT_EQ(result->next_state, "N");
  EXPECT_EQ(result->inspection_data->after_parameters, R"J({"v":1})J");
  EXPECT_EQ(result->inspection_data->result, "[1,2]");
}

TEST_F(TestStateTest, AMockedMapReadsItsItemsAndWeighsItsFailures) {
  const char* map = R"J({"Type":"Map","ToleratedFailurePercentage":50,"MaxConcurrency":2,
      "ItemReader":{"Resource":"arn:aws:states:::s3:getObject",
        "Parameters":{"Bucket":"b","Key":"k"},"ReaderConfig":{"InputType":"JSON"}},
      "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},
        "StartAt":"W","States":{"W":{"Type":"Pass","End":true}}},"End":true})J";
  tweak = [](TestStateRequest& r) {
    r.mocked = true;
    r.map_item_reader_data = "[1,2,3]";
    r.map_iteration_failure_count = 1;  // 33% of 3 items: tolerated
  };
  ASSERT_FALSE(test(map, "{}"));
  ASSERT_EQ(tasks.calls.size(), 1u);
  tasks.last().succeed(*json::parse("[]"));
  ASSERT_EQ(reports, 1);
  EXPECT_EQ(result->status, TestExecutionStatus::kSucceeded);
  EXPECT_EQ(result->inspection_data->after_items_path, "[1,2,3]");
  EXPECT_EQ(result->inspection_data->tolerated_failure_percentage, 50.0);
  EXPECT_EQ(result->inspection_data->max_concurrency, 2);

  tweak = [](TestStateRequest& r) {
    r.mocked = true;
    r.map_item_reader_data = "[1,2,3]";
    r.map_iteration_failure_count = 2;  // 67%: exceeded, before the mock is asked
  };
  ASSERT_FALSE(test(map, "{}"));
  ASSERT_EQ(reports, 2);
  EXPECT_EQ(tasks.calls.size(), 1u);
  EXPECT_EQ(result->status, TestExecutionStatus::kFailed);
  EXPECT_EQ(result->error, "States.ExceedToleratedFailureThreshold");

  tweak = [](TestStateRequest& r) {
    r.mocked = true;
    r.map_item_reader_data = "[1]";
    r.map_iteration_failure_count = 2;  // more failures than items
  };
  auto rejected = test(map, "{}");
  ASSERT_TRUE(rejected);
  EXPECT_EQ(rejected->kind, Kind::kValidation);
  EXPECT_EQ(reports, 2);

  // Without the items read, the reader cannot be reached (no S3 here).
  tweak = [](TestStateRequest& r) { r.mocked = true; };
  ASSERT_FALSE(test(map, "{}", InspectionLevel::kInfo));
  EXPECT_EQ(result->status, TestExecutionStatus::kFailed);
}

// inspectionData of a mocked Map shows each item through ItemSelector, and the batches
// ItemBatcher makes of them.
TEST_F(TestStateTest, AMockedMapShowsItsItemsAfterItemSelectorAndItemBatcher) {
  tweak = [](TestStateRequest& r) { r.mocked = true; };
  ASSERT_FALSE(test(R"J({"Type":"Map","ItemsPath":"$.xs",
      "ItemSelector":{"v.$":"$$.Map.Item.Value","i.$":"$$.Map.Item.Index","k.$":"$.k"},
      "ItemBatcher":{"MaxItemsPerBatch":2,"BatchInput":{"b.$":"$.k"}},
      "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
        "StartAt":"W","States":{"W":{"Type":"Pass","End":true}}},"End":true})J",
                    R"J({"xs":["a","b","c"],"k":7})J"));
  tasks.last().succeed(*json::parse("[]"));
  ASSERT_EQ(reports, 1);
  ASSERT_TRUE(result->inspection_data);
  EXPECT_EQ(result->inspection_data->after_item_selector,
            R"J([{"v":"a","i":0,"k":7},{"v":"b","i":1,"k":7},{"v":"c","i":2,"k":7}])J");
  EXPECT_EQ(result->inspection_data->after_item_batcher,
            R"J([{"Items":[{"v":"a","i":0,"k":7},{"v":"b","i":1,"k":7}],"BatchInput":{"b":7}},)J"
            R"J({"Items":[{"v":"c","i":2,"k":7}],"BatchInput":{"b":7}}])J");
  EXPECT_NE(json_of().find(R"J("afterItemSelector":"[{)J"), std::string::npos) << json_of();

  // JSONata: ItemSelector is an expression over $states.context.Map.Item; no batcher, none shown.
  ASSERT_FALSE(test(R"J({"Type":"Map","QueryLanguage":"JSONata","Items":"{% [1,2] %}",
      "ItemSelector":"{% $states.context.Map.Item.Value * 10 %}",
      "ItemProcessor":{"StartAt":"W","States":{"W":{"Type":"Pass","End":true}}},"End":true})J",
                    "{}"));
  tasks.last().succeed(*json::parse("[]"));
  ASSERT_EQ(reports, 2);
  EXPECT_EQ(result->inspection_data->after_item_selector, "[10,20]");
  EXPECT_FALSE(result->inspection_data->after_item_batcher);
  EXPECT_EQ(result->inspection_data->max_concurrency, 0);
}

TEST_F(TestStateTest, StateConfigurationMustFitTheState) {
  const char* parallel = R"J({"Type":"Parallel","End":true,
      "Branches":[{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}]})J";
  for (auto [def, set] : std::vector<std::pair<const char*, void (*)(TestStateRequest&)>>{
           {R"J({"Type":"Pass","End":true})J",
            [](TestStateRequest& r) { r.error_caused_by_state = "A"; }},
           {parallel, [](TestStateRequest& r) { r.error_caused_by_state = "Nope"; }},
           {parallel, [](TestStateRequest& r) { r.map_iteration_failure_count = 0; }},
           {parallel, [](TestStateRequest& r) { r.map_item_reader_data = "[]"; }}}) {
    tweak = [set](TestStateRequest& r) {
      r.mocked = true;
      set(r);
    };
    auto rejected = test(def);
    ASSERT_TRUE(rejected) << def;
    EXPECT_EQ(rejected->kind, Kind::kValidation) << rejected->message;
  }
  tweak = [](TestStateRequest& r) {
    r.mocked = true;
    r.error_caused_by_state = "A";
  };
  ASSERT_FALSE(test(parallel));
  tasks.last().fail("Boom", "inside A");
  EXPECT_EQ(result->error, "Boom");
}

}  // namespace
}  // namespace sluice::engine::executor
