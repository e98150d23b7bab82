// Executions through their handlers: Standard executions (start, describe, history, list, stop,
// idempotent start, versions and aliases), Express executions (sync and async), and the errors
// AWS gives for each action.
#include "tests/broker/states/states_fixture.h"

namespace sluice::states::testing {
namespace {

class ExecutionApiTest : public StatesFixture {
 protected:
  json::Value history(const std::string& exec, const std::string& extra = "") {
    return ok("GetExecutionHistory", "{\"executionArn\":" + quote(exec) + extra + "}");
  }
  std::vector<std::string> types(const json::Value& h) {
    std::vector<std::string> out;
    for (const auto& e : arr(h, "events")) out.push_back(str(e, "type"));
    return out;
  }
};

TEST_F(ExecutionApiTest, StandardExecutionRunsThroughAWait) {
  std::string m = create_machine("waits", kWaitDefinition);
  std::string e = start(m, "run-1", R"({"x":1})");
  EXPECT_EQ(e, std::string(kPrefix) + "execution:waits:run-1");
  auto d = ok("DescribeExecution", "{\"executionArn\":" + quote(e) + "}");
  EXPECT_EQ(str(d, "status"), "RUNNING");
  EXPECT_EQ(str(d, "input"), R"({"x":1})");
  EXPECT_EQ(str(d, "stateMachineArn"), m);
  EXPECT_EQ(d.as_object().find("stopDate"), nullptr);
  EXPECT_EQ(str(d, "redriveStatus"), "NOT_REDRIVABLE");
  EXPECT_EQ(str(d, "redriveStatusReason"), "Execution is RUNNING and cannot be redriven");
  EXPECT_EQ(types(history(e)), (std::vector<std::string>{"ExecutionStarted", "WaitStateEntered"}));

  advance(10'000);
  d = ok("DescribeExecution", "{\"executionArn\":" + quote(e) + "}");
  EXPECT_EQ(str(d, "status"), "SUCCEEDED");
  EXPECT_EQ(str(d, "output"), R"({"x":1})");
  EXPECT_TRUE(d.as_object().find("stopDate")->is_number());
  EXPECT_EQ(d.as_object().find("outputDetails")->as_object().find("included")->as_bool(), true);
  EXPECT_EQ(d.as_object().find("redriveCount")->as_int(), 0);
  auto h = history(e);
  EXPECT_EQ(types(h), (std::vector<std::string>{"ExecutionStarted", "WaitStateEntered",
                                                "WaitStateExited", "PassStateEntered",
                                                "PassStateExited", "ExecutionSucceeded"}));
  const auto& evs = arr(h, "events");
  for (std::size_t i = 0; i < evs.size(); ++i) {
    EXPECT_EQ(evs[i].as_object().find("id")->as_int(), static_cast<int64_t>(i + 1));
  }
  EXPECT_EQ(evs[0].as_object().find("previousEventId")->as_int(), 0);
  EXPECT_EQ(evs[2].as_object().find("previousEventId")->as_int(), 2);
  const json::Object& started =
      evs[0].as_object().find("executionStartedEventDetails")->as_object();
  EXPECT_EQ(started.find("input")->as_string(), R"({"x":1})");
  EXPECT_EQ(started.find("roleArn")->as_string(), kRole);
  // The Wait state really waited: 10 s between its entry and exit.
  double entered = evs[1].as_object().find("timestamp")->as_number();
  double exited = evs[2].as_object().find("timestamp")->as_number();
  EXPECT_NEAR(exited - entered, 10.0, 0.001);
}

TEST_F(ExecutionApiTest, HistoryPagingReverseAndExecutionData) {
  std::string m = create_machine("p", kPassDefinition);
  std::string e = start(m, "r", R"({"secret":1})");
  auto all = history(e);
  ASSERT_EQ(arr(all, "events").size(), 4u);
  auto rev = history(e, ",\"reverseOrder\":true,\"maxResults\":3");
  ASSERT_EQ(arr(rev, "events").size(), 3u);
  EXPECT_EQ(arr(rev, "events")[0].as_object().find("id")->as_int(), 4);
  std::string token = str(rev, "nextToken");
  ASSERT_FALSE(token.empty());
  auto rest = history(e, ",\"reverseOrder\":true,\"nextToken\":" + quote(token));
  ASSERT_EQ(arr(rest, "events").size(), 1u);
  EXPECT_EQ(arr(rest, "events")[0].as_object().find("id")->as_int(), 1);
  EXPECT_EQ(str(rest, "nextToken"), "");
  // A token from one direction is not valid in the other.
  EXPECT_EQ(err("GetExecutionHistory",
                "{\"executionArn\":" + quote(e) + ",\"nextToken\":" + quote(token) + "}")
                .type,
            "InvalidToken");
  auto fwd = history(e, ",\"maxResults\":2");
  ASSERT_EQ(arr(fwd, "events").size(), 2u);
  auto fwd2 = history(e, ",\"maxResults\":2,\"nextToken\":" + quote(str(fwd, "nextToken")));
  EXPECT_EQ(arr(fwd2, "events")[0].as_object().find("id")->as_int(), 3);
  auto meta = history(e, ",\"includeExecutionData\":false");
  const json::Object& d0 =
      arr(meta, "events")[0].as_object().find("executionStartedEventDetails")->as_object();
  EXPECT_EQ(d0.find("input"), nullptr);
  EXPECT_NE(d0.find("roleArn"), nullptr);
}

TEST_F(ExecutionApiTest, StartIsIdempotentWhileRunningWithTheSameInput) {
  std::string m = create_machine("w", kWaitDefinition);
  auto first = ok("StartExecution", "{\"stateMachineArn\":" + quote(m) +
                                        ",\"name\":\"same\",\"input\":\"{\\\"a\\\":1}\"}");
  auto again = ok("StartExecution", "{\"stateMachineArn\":" + quote(m) +
                                        ",\"name\":\"same\",\"input\":\"{ \\\"a\\\" : 1 }\"}");
  EXPECT_EQ(again, first);
  auto e = err("StartExecution", "{\"stateMachineArn\":" + quote(m) +
                                     ",\"name\":\"same\",\"input\":\"{\\\"a\\\":2}\"}");
  EXPECT_EQ(e.type, "ExecutionAlreadyExists");
  EXPECT_EQ(e.message, "Execution Already Exists: '" + str(first, "executionArn") + "'");
  advance(10'000);
  e = err("StartExecution",
          "{\"stateMachineArn\":" + quote(m) + ",\"name\":\"same\",\"input\":\"{\\\"a\\\":1}\"}");
  EXPECT_EQ(e.type, "ExecutionAlreadyExists");
}

// Starts faster than their commits: what waits is bounded (ExecutionRunner::start_backlog); the
// start past the bound is throttled at once, the others are answered once committed, and once the
// backlog is empty the same start goes through.
TEST_F(ExecutionApiTest, StartsBeyondTheUncommittedBoundAreThrottled) {
  std::string m = create_machine("w", kWaitDefinition);
  const std::string input = "{\\\"pad\\\":\\\"" + std::string(100'000, 'x') + "\\\"}";
  runner_->start_backlog().set_limit(250'000);  // two starts of this input fit, a third does not
  const SfnHandler* h = actions_.find("StartExecution");
  ASSERT_NE(h, nullptr);
  std::vector<std::optional<SfnOutcome>> out(3);
  SfnContext ctx{parts_, identity_, [] { return true; }};
  for (int i = 0; i < 3; ++i) {  // no loop turn in between: nothing commits
    auto body = engine::json::parse("{\"stateMachineArn\":" + quote(m) + ",\"name\":\"e" +
                                    std::to_string(i) + "\",\"input\":\"" + input + "\"}");
    ASSERT_TRUE(body.ok());
    (*h)(ctx, std::move(*body), [&out, i](SfnOutcome o) { out[i] = std::move(o); });
  }
  ASSERT_TRUE(out[2].has_value());  // at once
  ASSERT_FALSE(out[2]->ok());
  EXPECT_EQ(out[2]->error().type, "ThrottlingException");
  EXPECT_EQ(out[2]->error().message, "Rate exceeded");
  EXPECT_EQ(out[2]->error().http_status, 400);
  EXPECT_EQ(runner_->start_backlog().refused(), 1u);
  EXPECT_FALSE(out[0] || out[1]);  // waiting for their commit
  settle();
  ASSERT_TRUE(out[0] && out[1]);
  EXPECT_TRUE(out[0]->ok() && out[1]->ok());
  EXPECT_EQ(runner_->start_backlog().waiting(), 0u);
  // Throttled, not failed: nothing of e2 was recorded, and it starts now.
  EXPECT_EQ(
      err("DescribeExecution", "{\"executionArn\":\"" + std::string(kPrefix) + "execution:w:e2\"}")
          .type,
      "ExecutionDoesNotExist");
  ok("StartExecution",
     "{\"stateMachineArn\":" + quote(m) + ",\"name\":\"e2\",\"input\":\"" + input + "\"}");
}

TEST_F(ExecutionApiTest, StartValidatesNameAndInput) {
  std::string m = create_machine("p", kPassDefinition);
  auto e = err("StartExecution", "{\"stateMachineArn\":" + quote(m) + ",\"name\":\"a b\"}");
  EXPECT_EQ(e.type, "InvalidName");
  e = err("StartExecution", "{\"stateMachineArn\":" + quote(m) + ",\"input\":\"not json\"}");
  EXPECT_EQ(e.type, "InvalidExecutionInput");
  EXPECT_EQ(e.message.rfind("Invalid State Machine Execution Input: '", 0), 0u);
  e = err("StartExecution", "{\"stateMachineArn\":" + quote(m) + ",\"input\":\"\"}");
  EXPECT_EQ(e.message, "Invalid State Machine Execution Input: 'Invalid execution input.'");
  std::string big(262145, ' ');
  big[0] = '1';
  e = err("StartExecution", "{\"stateMachineArn\":" + quote(m) + ",\"input\":" + quote(big) + "}");
  EXPECT_EQ(e.type, "ValidationException");
  // Any JSON value is an input, not only objects; a generated name is a UUID.
  auto s = ok("StartExecution", "{\"stateMachineArn\":" + quote(m) + ",\"input\":\"42\"}");
  std::string arn = str(s, "executionArn");
  EXPECT_EQ(arn.size() - arn.rfind(':') - 1, 36u);
  EXPECT_EQ(status(arn), "SUCCEEDED");
  e = err("StartExecution",
          "{\"stateMachineArn\":\"" + std::string(kPrefix) + "stateMachine:nope\"}");
  EXPECT_EQ(e.type, "StateMachineDoesNotExist");
  EXPECT_EQ(e.message,
            "State Machine Does Not Exist: '" + std::string(kPrefix) + "stateMachine:nope'");
  e = err("StartExecution", "{\"stateMachineArn\":\"" + std::string(kPrefix) + "activity:a\"}");
  EXPECT_EQ(e.type, "InvalidArn");
}

TEST_F(ExecutionApiTest, ExecutionErrorsAsAws) {
  EXPECT_EQ(err("DescribeExecution", "{\"executionArn\":\"invalid_execution_arn\"}").message,
            "Invalid Arn: 'Invalid ARN prefix: invalid_execution_arn'");
  std::string missing = std::string(kPrefix) + "execution:m:none";
  auto e = err("DescribeExecution", "{\"executionArn\":" + quote(missing) + "}");
  EXPECT_EQ(e.type, "ExecutionDoesNotExist");
  EXPECT_EQ(e.message, "Execution Does Not Exist: '" + missing + "'");
  EXPECT_EQ(err("GetExecutionHistory", "{\"executionArn\":" + quote(missing) + "}").type,
            "ExecutionDoesNotExist");
  EXPECT_EQ(err("StopExecution", "{\"executionArn\":" + quote(missing) + "}").type,
            "ExecutionDoesNotExist");
  e = err("DescribeExecution", "{\"executionArn\":\"" + std::string(kPrefix) + "stateMachine:m\"}");
  EXPECT_EQ(e.message, "Invalid Arn: 'Resource type not valid in this context: stateMachine'");
  e = err("ListExecutions", "{}");
  EXPECT_EQ(e.type, "ValidationException");
  e = err("DescribeMapRun", "{\"mapRunArn\":\"" + std::string(kPrefix) + "mapRun:m/l:abc\"}");
  EXPECT_EQ(e.type, "ResourceNotFound");
  e = err("DescribeMapRun", "{\"mapRunArn\":\"" + std::string(kPrefix) + "stateMachine:m\"}");
  EXPECT_EQ(e.type, "InvalidArn");
  e = err("ListExecutions", "{\"mapRunArn\":\"" + std::string(kPrefix) + "mapRun:m/l:abc\"}");
  EXPECT_EQ(e.type, "ResourceNotFound");
}

TEST_F(ExecutionApiTest, ListExecutionsNewestFirstWithFiltersAndPaging) {
  std::string m = create_machine("w", kWaitDefinition);
  std::string p = create_machine("p", kPassDefinition);
  for (int i = 0; i < 5; ++i) {
    start(m, "run-" + std::to_string(i));
    clock_.set(clock_.now_ms() + 1);
  }
  start(p, "other");
  ok("StopExecution",
     "{\"executionArn\":" + quote(std::string(kPrefix) + "execution:w:run-1") + "}");
  auto all = ok("ListExecutions", "{\"stateMachineArn\":" + quote(m) + "}");
  std::vector<std::string> names;
  for (const auto& x : arr(all, "executions")) names.push_back(str(x, "name"));
  EXPECT_EQ(names, (std::vector<std::string>{"run-4", "run-3", "run-2", "run-1", "run-0"}));
  auto aborted =
      ok("ListExecutions", "{\"stateMachineArn\":" + quote(m) + ",\"statusFilter\":\"ABORTED\"}");
  ASSERT_EQ(arr(aborted, "executions").size(), 1u);
  EXPECT_EQ(str(arr(aborted, "executions")[0], "name"), "run-1");
  EXPECT_TRUE(arr(aborted, "executions")[0].as_object().find("stopDate")->is_number());
  auto page = ok("ListExecutions", "{\"stateMachineArn\":" + quote(m) + ",\"maxResults\":2}");
  ASSERT_EQ(arr(page, "executions").size(), 2u);
  std::vector<std::string> paged;
  std::string token = str(page, "nextToken");
  for (const auto& x : arr(page, "executions")) paged.push_back(str(x, "name"));
  while (!token.empty()) {
    auto next = ok("ListExecutions", "{\"stateMachineArn\":" + quote(m) +
                                         ",\"maxResults\":2,\"nextToken\":" + quote(token) + "}");
    for (const auto& x : arr(next, "executions")) paged.push_back(str(x, "name"));
    token = str(next, "nextToken");
  }
  EXPECT_EQ(paged, names);
  auto e = err("ListExecutions",
               "{\"stateMachineArn\":" + quote(m) + ",\"statusFilter\":\"succeeded\"}");
  EXPECT_EQ(e.message,
            "1 validation error detected: Value 'succeeded' at 'statusFilter' failed to satisfy "
            "constraint: Member must satisfy enum value set: [SUCCEEDED, TIMED_OUT, "
            "PENDING_REDRIVE, ABORTED, FAILED, RUNNING]");
  e = err("ListExecutions", "{\"stateMachineArn\":" + quote(p) +
                                ",\"nextToken\":" + quote(str(page, "nextToken")) + "}");
  EXPECT_EQ(e.type, "InvalidToken");
}

TEST_F(ExecutionApiTest, StopAbortsAndRecordsTheEvent) {
  std::string m = create_machine("w", kWaitDefinition);
  std::string e = start(m, "s");
  auto s = ok("StopExecution",
              "{\"executionArn\":" + quote(e) + ",\"error\":\"Halt\",\"cause\":\"operator\"}");
  EXPECT_TRUE(s.as_object().find("stopDate")->is_number());
  auto d = ok("DescribeExecution", "{\"executionArn\":" + quote(e) + "}");
  EXPECT_EQ(str(d, "status"), "ABORTED");
  EXPECT_EQ(str(d, "error"), "Halt");
  EXPECT_EQ(str(d, "cause"), "operator");
  EXPECT_EQ(str(d, "redriveStatus"), "REDRIVABLE");
  auto h = history(e);
  EXPECT_EQ(str(arr(h, "events").back(), "type"), "ExecutionAborted");
  // Stopping again changes nothing.
  auto again = ok("StopExecution", "{\"executionArn\":" + quote(e) + "}");
  EXPECT_EQ(*again.as_object().find("stopDate"), *s.as_object().find("stopDate"));
  advance(20'000);
  EXPECT_EQ(status(e), "ABORTED");
}

TEST_F(ExecutionApiTest, VersionsAliasesAndTheDefinitionAnExecutionRan) {
  std::string m = create_machine("v", kPassDefinition, ",\"publish\":true");
  ok("UpdateStateMachine",
     "{\"stateMachineArn\":" + quote(m) + ",\"definition\":" + quote(kWaitDefinition) + "}");
  ok("CreateStateMachineAlias",
     "{\"name\":\"PROD\",\"routingConfiguration\":[{\"stateMachineVersionArn\":" + quote(m + ":1") +
         ",\"weight\":100}]}");
  std::string via_alias = start(m + ":PROD", "a");
  std::string via_version = start(m + ":1", "b");
  std::string latest = start(m, "c");
  auto d = ok("DescribeExecution", "{\"executionArn\":" + quote(via_alias) + "}");
  EXPECT_EQ(str(d, "status"), "SUCCEEDED");  // version 1 is the Pass machine
  EXPECT_EQ(str(d, "stateMachineVersionArn"), m + ":1");
  EXPECT_EQ(str(d, "stateMachineAliasArn"), m + ":PROD");
  EXPECT_EQ(str(d, "stateMachineArn"), m);
  EXPECT_EQ(status(latest), "RUNNING");  // the current definition waits
  auto for_v =
      ok("DescribeStateMachineForExecution", "{\"executionArn\":" + quote(via_version) + "}");
  EXPECT_EQ(str(for_v, "definition"), kPassDefinition);
  EXPECT_EQ(str(for_v, "stateMachineArn"), m);
  auto for_latest =
      ok("DescribeStateMachineForExecution", "{\"executionArn\":" + quote(latest) + "}");
  EXPECT_EQ(str(for_latest, "definition"), kWaitDefinition);
  // A later update does not change what an execution ran.
  ok("UpdateStateMachine",
     "{\"stateMachineArn\":" + quote(m) + ",\"definition\":" + quote(kPassDefinition) + "}");
  for_latest = ok("DescribeStateMachineForExecution", "{\"executionArn\":" + quote(latest) + "}");
  EXPECT_EQ(str(for_latest, "definition"), kWaitDefinition);
  auto by_version = ok("ListExecutions", "{\"stateMachineArn\":" + quote(m + ":1") + "}");
  EXPECT_EQ(arr(by_version, "executions").size(), 2u);
  auto by_alias = ok("ListExecutions", "{\"stateMachineArn\":" + quote(m + ":PROD") + "}");
  ASSERT_EQ(arr(by_alias, "executions").size(), 1u);
  EXPECT_EQ(str(arr(by_alias, "executions")[0], "name"), "a");
  auto by_machine = ok("ListExecutions", "{\"stateMachineArn\":" + quote(m) + "}");
  EXPECT_EQ(arr(by_machine, "executions").size(), 3u);
}

TEST_F(ExecutionApiTest, ExpressExecutions) {
  std::string def =
      R"({"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"v.$":"$.v"},"Next":"C"},"C":{"Type":"Choice","Choices":[{"Variable":"$.v","NumericGreaterThan":1,"Next":"Big"}],"Default":"F"},"Big":{"Type":"Succeed"},"F":{"Type":"Fail","Error":"Small","Cause":"too small"}}})";
  std::string m = create_machine("fast", def, ",\"type\":\"EXPRESS\"");
  auto s = ok("StartSyncExecution", "{\"stateMachineArn\":" + quote(m) +
                                        ",\"input\":" + quote(R"({"v":5})") + ",\"name\":\"n1\"}");
  EXPECT_EQ(str(s, "status"), "SUCCEEDED");
  EXPECT_EQ(str(s, "output"), R"({"v":5})");
  EXPECT_EQ(str(s, "name"), "n1");
  EXPECT_EQ(str(s, "executionArn").rfind(std::string(kPrefix) + "express:fast:n1:", 0), 0u);
  const json::Object& billing = s.as_object().find("billingDetails")->as_object();
  EXPECT_EQ(billing.find("billedMemoryUsedInMB")->as_int(), 64);
  EXPECT_EQ(billing.find("billedDurationInMilliseconds")->as_int(), 100);
  auto f = ok("StartSyncExecution",
              "{\"stateMachineArn\":" + quote(m) + ",\"input\":" + quote(R"({"v":0})") + "}");
  EXPECT_EQ(str(f, "status"), "FAILED");
  EXPECT_EQ(str(f, "error"), "Small");
  EXPECT_EQ(str(f, "cause"), "too small");
  EXPECT_EQ(f.as_object().find("output"), nullptr);
  // The same name twice is fine for Express (each run gets its own ARN).
  auto again = ok("StartSyncExecution", "{\"stateMachineArn\":" + quote(m) + ",\"input\":" +
                                            quote(R"({"v":5})") + ",\"name\":\"n1\"}");
  EXPECT_NE(str(again, "executionArn"), str(s, "executionArn"));

  auto a = ok("StartExecution",
              "{\"stateMachineArn\":" + quote(m) + ",\"input\":" + quote(R"({"v":5})") + "}");
  std::string express_arn = str(a, "executionArn");
  EXPECT_NE(express_arn.find(":express:fast:"), std::string::npos);
  std::string in_context = "Invalid Arn: 'Resource type not valid in this context: express'";
  EXPECT_EQ(err("DescribeExecution", "{\"executionArn\":" + quote(express_arn) + "}").message,
            in_context);
  EXPECT_EQ(err("StopExecution", "{\"executionArn\":" + quote(express_arn) + "}").message,
            in_context);
  EXPECT_EQ(err("GetExecutionHistory", "{\"executionArn\":" + quote(express_arn) + "}").message,
            in_context);
  auto e = err("ListExecutions", "{\"stateMachineArn\":" + quote(m) + "}");
  EXPECT_EQ(e.type, "StateMachineTypeNotSupported");
  EXPECT_EQ(e.message, "This operation is not supported by this type of state machine");

  std::string standard = create_machine("std", kPassDefinition);
  e = err("StartSyncExecution", "{\"stateMachineArn\":" + quote(standard) + "}");
  EXPECT_EQ(e.type, "StateMachineTypeNotSupported");
}

TEST_F(ExecutionApiTest, ParallelMapAndFailStates) {
  std::string def = R"({"StartAt":"Par","States":{
    "Par":{"Type":"Parallel","Branches":[
      {"StartAt":"A","States":{"A":{"Type":"Pass","Result":1,"End":true}}},
      {"StartAt":"B","States":{"B":{"Type":"Pass","Result":2,"End":true}}}],"Next":"M"},
    "M":{"Type":"Map","ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}},"End":true}}})";
  std::string m = create_machine("pm", def);
  std::string e = start(m, "x");
  auto d = ok("DescribeExecution", "{\"executionArn\":" + quote(e) + "}");
  EXPECT_EQ(str(d, "status"), "SUCCEEDED");
  EXPECT_EQ(str(d, "output"), "[1,2]");
  auto h = history(e);
  std::vector<std::string> t = types(h);
  EXPECT_NE(std::find(t.begin(), t.end(), "MapIterationSucceeded"), t.end());
  EXPECT_NE(std::find(t.begin(), t.end(), "ParallelStateSucceeded"), t.end());

  std::string fail = create_machine(
      "f", R"({"StartAt":"F","States":{"F":{"Type":"Fail","Error":"E","Cause":"C"}}})");
  std::string fe = start(fail, "y");
  d = ok("DescribeExecution", "{\"executionArn\":" + quote(fe) + "}");
  EXPECT_EQ(str(d, "status"), "FAILED");
  EXPECT_EQ(str(d, "error"), "E");
  EXPECT_EQ(types(history(fe)).back(), "ExecutionFailed");
  // Without a task integration wired, a Task fails with States.TaskFailed and Catch applies.
  std::string task = create_machine(
      "t",
      R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","Catch":[{"ErrorEquals":["States.TaskFailed"],"Next":"Ok"}],"End":true},"Ok":{"Type":"Succeed"}}})");
  EXPECT_EQ(status(start(task, "z")), "SUCCEEDED");
}

TEST_F(ExecutionApiTest, OneCommitPerStepBatch) {
  std::string chain = R"({"StartAt":"S0","States":{)";
  for (int i = 0; i < 20; ++i) {
    chain += "\"S" + std::to_string(i) + "\":{\"Type\":\"Pass\",";
    chain += i == 19 ? "\"End\":true}" : "\"Next\":\"S" + std::to_string(i + 1) + "\"},";
  }
  chain += "}}";
  std::string m = create_machine("chain", chain);
  uint64_t before = committer_->commits();
  std::string e = start(m, "c");
  uint64_t used = committer_->commits() - before;
  // 42 events and the outcome, written together: one batch (a second commit only if the
  // committer split it, never one per event).
  EXPECT_LE(used, 2u);
  EXPECT_EQ(arr(history(e, ",\"maxResults\":1000"), "events").size(), 42u);
}

TEST_F(ExecutionApiTest, ListMapRunsIsEmptyForAnExecution) {
  std::string m = create_machine("p", kPassDefinition);
  std::string e = start(m, "x");
  auto r = ok("ListMapRuns", "{\"executionArn\":" + quote(e) + "}");
  EXPECT_TRUE(arr(r, "mapRuns").empty());
}

}  // namespace
}  // namespace sluice::states::testing

namespace sluice::states::testing {
namespace {

class ExecutionShutdownTest : public StatesFixture {};

TEST_F(ExecutionShutdownTest, ShutdownAnswersWaitingSyncExecutions) {
  std::string m = create_machine("slow", kWaitDefinition, ",\"type\":\"EXPRESS\"");
  std::optional<SfnOutcome> out;
  SfnContext ctx{parts_, identity_, [] { return true; }};
  auto body = engine::json::parse("{\"stateMachineArn\":" + quote(m) + "}");
  (*actions_.find("StartSyncExecution"))(ctx, std::move(*body),
                                         [&](SfnOutcome o) { out = std::move(o); });
  settle();
  EXPECT_FALSE(out.has_value());  // waiting 10 s
  runner_->shutdown();
  ASSERT_TRUE(out.has_value());
  ASSERT_FALSE(out->ok());
  EXPECT_EQ(out->error().type, "ServiceUnavailable");
  EXPECT_EQ(out->error().http_status, 503);
}

}  // namespace
}  // namespace sluice::states::testing
