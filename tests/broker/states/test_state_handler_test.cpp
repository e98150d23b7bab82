// The TestState action: request members and their errors, the output shape, inspection levels,
// and Task states reaching the server's task integrations (a fake TaskHandler here).
#include <gtest/gtest.h>

#include "tests/broker/states/states_fixture.h"

namespace sluice::states {
namespace {

namespace ex = engine::executor;

// Records every Task attempt; answers at once with `answer` unless told to hold the handle.
class FakeTasks final : public ex::TaskHandler {
 public:
  void start(const ex::TaskRequest& request, std::shared_ptr<ex::TaskHandle> handle) override {
    requests.push_back(request);
    if (hold) {
      held = std::move(handle);
    } else if (error) {
      handle->fail(*error, "it broke");
    } else {
      handle->succeed(answer);
    }
  }
  std::vector<ex::TaskRequest> requests;
  json::Value answer = json::Value(json::Object{{"MessageId", json::Value("m-1")}});
  std::optional<std::string> error;
  bool hold = false;
  std::shared_ptr<ex::TaskHandle> held;
};

class TestStateHandlerTest : public testing::StatesFixture {
 protected:
  void SetUp() override {
    StatesFixture::SetUp();
    parts_.tasks = &tasks_;
    register_test_state_action(actions_, clock_, *timers_);
  }
  // A TestState request for `definition` with extra members.
  static std::string req(const std::string& definition, const std::string& extra = "") {
    return "{\"definition\":" + quote(definition) + extra + "}";
  }
  static constexpr const char* kRole = R"(,"roleArn":"arn:aws:iam::000000000000:role/r")";
  FakeTasks tasks_;
};

TEST_F(TestStateHandlerTest, PassAtInfoReportsOutputNextStateAndStatusOnly) {
  auto out = ok("TestState", req(R"({"Type":"Pass","Result":{"a":1},"ResultPath":"$.r",
                                     "Next":"After"})",
                                 R"(,"input":"{\"b\":2}")"));
  EXPECT_EQ(str(out, "status"), "SUCCEEDED");
  EXPECT_EQ(str(out, "output"), R"({"b":2,"r":{"a":1}})");
  EXPECT_EQ(str(out, "nextState"), "After");
  EXPECT_EQ(out.as_object().find("inspectionData"), nullptr);
  EXPECT_EQ(out.as_object().find("error"), nullptr);
}

TEST_F(TestStateHandlerTest, DebugShowsTheProcessingStages) {
  auto out = ok("TestState", req(R"({"Type":"Pass","InputPath":"$.x","Parameters":{"v.$":"$.y"},
                                     "End":true})",
                                 R"(,"input":"{\"x\":{\"y\":7}}","inspectionLevel":"DEBUG")"));
  const json::Value* d = out.as_object().find("inspectionData");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(str(*d, "input"), R"({"x":{"y":7}})");
  EXPECT_EQ(str(*d, "afterInputPath"), R"({"y":7})");
  EXPECT_EQ(str(*d, "afterParameters"), R"({"v":7})");
  EXPECT_EQ(str(*d, "afterResultPath"), R"({"v":7})");
  EXPECT_EQ(str(out, "output"), R"({"v":7})");
  EXPECT_EQ(out.as_object().find("nextState"), nullptr);
}

TEST_F(TestStateHandlerTest, ChoiceAndFail) {
  auto choice = ok("TestState", req(R"({"Type":"Choice","Choices":[{"Variable":"$.n",
      "NumericGreaterThan":5,"Next":"Big"}],"Default":"Small"})",
                                    R"(,"input":"{\"n\":9}")"));
  EXPECT_EQ(str(choice, "nextState"), "Big");
  auto fail = ok("TestState", req(R"({"Type":"Fail","Error":"Oops","Cause":"bad"})"));
  EXPECT_EQ(str(fail, "status"), "FAILED");
  EXPECT_EQ(str(fail, "error"), "Oops");
  EXPECT_EQ(str(fail, "cause"), "bad");
  EXPECT_EQ(fail.as_object().find("output"), nullptr);
}

TEST_F(TestStateHandlerTest, StateNameSelectsAStateOfAWholeMachine) {
  std::string machine = R"({"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},
      "B":{"Type":"Pass","Result":"b","End":true}}})";
  auto out = ok("TestState", req(machine, R"(,"stateName":"B")"));
  EXPECT_EQ(str(out, "output"), "\"b\"");
  SfnError e = err("TestState", req(machine, R"(,"stateName":"Z")"));
  EXPECT_EQ(e.type, "ValidationException");
}

TEST_F(TestStateHandlerTest, RequestErrors) {
  SfnError e = err("TestState", "{}");
  EXPECT_EQ(e.type, "ValidationException");
  EXPECT_NE(e.message.find("'definition'"), std::string::npos) << e.message;

  e = err("TestState", req(R"({"Type":"Pass","Nex":"X"})"));
  EXPECT_EQ(e.type, "InvalidDefinition");
  EXPECT_NE(e.message.find("SCHEMA_VALIDATION_FAILED"), std::string::npos) << e.message;

  e = err("TestState", req(R"({"Type":"Pass","End":true})", R"(,"input":"{nope")"));
  EXPECT_EQ(e.type, "InvalidExecutionInput");

  e = err("TestState", req(R"({"Type":"Pass","End":true})", R"(,"roleArn":"not-a-role")"));
  EXPECT_EQ(e.type, "InvalidArn");
  EXPECT_EQ(e.message, "Invalid Role Arn: 'not-a-role'");

  e = err("TestState", req(R"({"Type":"Pass","End":true})", R"(,"inspectionLevel":"ALL")"));
  EXPECT_EQ(e.type, "ValidationException");
  EXPECT_NE(e.message.find("[INFO, DEBUG, TRACE]"), std::string::npos) << e.message;

  e = err(
      "TestState",
      req(R"({"Type":"Parallel","End":true,"Branches":[{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}]})"));
  EXPECT_EQ(e.type, "ValidationException");
  EXPECT_EQ(e.message, "TestState does not support Parallel states");

  // A Task calls its service: AWS wants the role that would (a mocked Task calls nothing).
  e = err("TestState", req(R"({"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage",
      "Parameters":{"QueueUrl":"q","MessageBody":"x"},"End":true})"));
  EXPECT_EQ(e.type, "ValidationException");
  EXPECT_EQ(e.message, "RoleArn must be specified when testing a Task state");
  EXPECT_TRUE(tasks_.requests.empty());
}

TEST_F(TestStateHandlerTest, AnUnservedResourceIsAnInvalidDefinition) {
  parts_.check_resource = [](std::string_view r) -> std::optional<std::string> {
    if (r.find("dynamodb") == std::string_view::npos) return std::nullopt;
    return "The resource provided " + std::string(r) + " is not recognized.";
  };
  const std::string task =
      R"({"Type":"Task","Resource":"arn:aws:states:::dynamodb:putItem","End":true})";
  SfnError e = err("TestState", req(task));
  EXPECT_EQ(e.type, "InvalidDefinition");
  EXPECT_NE(e.message.find("is not recognized. at /Resource"), std::string::npos) << e.message;
  e = err("TestState",
          req(R"({"StartAt":"T","States":{"T":)" + task + "}}", R"(,"stateName":"T")"));
  EXPECT_EQ(e.type, "InvalidDefinition");
  EXPECT_NE(e.message.find("at /States/T/Resource"), std::string::npos) << e.message;
  EXPECT_TRUE(tasks_.requests.empty());
}

TEST_F(TestStateHandlerTest, MembersThatNeedAMockOrAnotherStateAreRefused) {
  const std::string task =
      R"({"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","End":true})";
  for (const char* extra :
       {R"(,"context":"{}")",  // only with a mock
        R"(,"mock":{"result":"{}"},"context":"[]")",
        R"(,"mock":{"result":"{}"},"stateConfiguration":{"retrierRetryCount":-1})",
        R"(,"mock":{"result":"{}"},"stateConfiguration":{"errorCausedByState":"X"})",
        R"(,"mock":{"result":"{}"},"stateConfiguration":{"mapIterationFailureCount":1})",
        R"(,"mock":{"result":"{}"},"stateConfiguration":{"mapItemReaderData":"[]"})",
        R"(,"mock":{"result":"{}"},"revealSecrets":true)"}) {
    SfnError e = err("TestState", req(task, extra + std::string(kRole)));
    EXPECT_EQ(e.type, "ValidationException") << extra;
  }
  EXPECT_TRUE(tasks_.requests.empty());
  // revealSecrets is accepted: nothing here adds secrets to a request.
  ok("TestState", req(R"({"Type":"Pass","End":true})", R"(,"revealSecrets":true)"));
}

TEST_F(TestStateHandlerTest, StrictAndPresentCheckTheMockAgainstTheModel) {
  const std::string task =
      R"({"Type":"Task","Resource":"arn:aws:states:::aws-sdk:sfn:startExecution","End":true})";
  SfnError e = err("TestState", req(task, R"(,"mock":{"result":"{\"ExecutionArn\":\"a\"}"})"));
  EXPECT_EQ(e.type, "ValidationException");
  EXPECT_EQ(e.message,
            "Mock result schema validation error: Required field 'StartDate' is missing");
  auto out = ok("TestState", req(task, R"(,"mock":{"result":"{\"ExecutionArn\":\"a\"}",)"
                                       R"("fieldValidationMode":"PRESENT"})"));
  EXPECT_EQ(str(out, "status"), "SUCCEEDED");
  e = err("TestState", req(task, R"(,"mock":{"result":"[]","fieldValidationMode":"PRESENT"})"));
  EXPECT_EQ(e.message,
            "Mock result schema validation error: The mock result must be a JSON object");
  EXPECT_TRUE(tasks_.requests.empty());
}

TEST_F(TestStateHandlerTest, AMockedMapOrParallelAnswersForTheWholeState) {
  const std::string map = R"({"Type":"Map","ItemsPath":"$.items","ToleratedFailureCount":1,
      "ItemProcessor":{"StartAt":"Work","States":{"Work":{"Type":"Task",
        "Resource":"arn:aws:states:::lambda:invoke","End":true}}},
      "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Recover"}],"ResultPath":"$.out","End":true})";
  const std::string input = R"(,"input":"{\"items\":[1,2,3]}")";
  auto out = ok("TestState", req(map, input + R"(,"mock":{"result":"[10,20,30]"},)"
                                              R"("inspectionLevel":"DEBUG")"));
  EXPECT_EQ(str(out, "status"), "SUCCEEDED");
  EXPECT_EQ(str(out, "output"), R"({"items":[1,2,3],"out":[10,20,30]})");
  const json::Object& d = out.as_object().find("inspectionData")->as_object();
  EXPECT_EQ(d.find("afterItemsPath")->as_string(), "[1,2,3]");
  EXPECT_EQ(d.find("toleratedFailureCount")->as_int(), 1);
  // Two failed iterations exceed the tolerated one: the Catch takes it.
  out = ok("TestState", req(map, input + R"(,"mock":{"result":"[]"},)"
                                         R"("stateConfiguration":{"mapIterationFailureCount":2})"));
  EXPECT_EQ(str(out, "status"), "CAUGHT_ERROR");
  EXPECT_EQ(str(out, "error"), "States.ExceedToleratedFailureThreshold");
  // More failures than items is refused.
  SfnError e =
      err("TestState", req(map, input + R"(,"mock":{"result":"[]"},)"
                                        R"("stateConfiguration":{"mapIterationFailureCount":4})"));
  EXPECT_EQ(e.type, "ValidationException");
  // A mocked error names the state inside that raised it.
  e = err("TestState", req(map, input + R"(,"mock":{"errorOutput":{"error":"E"}})"));
  EXPECT_EQ(e.type, "ValidationException");
  e = err("TestState", req(map, input + R"(,"mock":{"errorOutput":{"error":"E"}},)"
                                        R"("stateConfiguration":{"errorCausedByState":"Nope"})"));
  EXPECT_EQ(e.type, "ValidationException");
  out = ok("TestState", req(map, input + R"(,"mock":{"errorOutput":{"error":"E"}},)"
                                         R"("stateConfiguration":{"errorCausedByState":"Work"})"));
  EXPECT_EQ(str(out, "status"), "CAUGHT_ERROR");
  EXPECT_EQ(str(out, "nextState"), "Recover");
  EXPECT_TRUE(tasks_.requests.empty());
}

TEST_F(TestStateHandlerTest, AMockAnswersTheTaskInsteadOfTheService) {
  parts_.check_resource = [](std::string_view r) -> std::optional<std::string> {
    if (r.find("dynamodb") == std::string_view::npos) return std::nullopt;
    return "not served";
  };
  // A mocked Task may name a resource no integration here serves: nothing is called.
  const std::string task = R"({"Type":"Task","Resource":"arn:aws:states:::dynamodb:getItem",
      "ResultSelector":{"v.$":"$.Item.v"},"Catch":[{"ErrorEquals":["Boom"],"Next":"H"}],
      "End":true})";
  auto out = ok("TestState", req(task, R"(,"mock":{"result":"{\"Item\":{\"v\":4}}",)"
                                       R"("fieldValidationMode":"NONE"})"));
  EXPECT_EQ(str(out, "status"), "SUCCEEDED");
  EXPECT_EQ(str(out, "output"), R"({"v":4})");
  out = ok("TestState", req(task, R"(,"mock":{"errorOutput":{"error":"Boom","cause":"c"},)"
                                  R"("fieldValidationMode":"NONE"})"));
  EXPECT_EQ(str(out, "status"), "CAUGHT_ERROR");
  EXPECT_EQ(str(out, "nextState"), "H");
  EXPECT_TRUE(tasks_.requests.empty());

  for (const char* bad :
       {R"(,"mock":{"fieldValidationMode":"NONE"})",
        R"(,"mock":{"result":"1","errorOutput":{"error":"E"},"fieldValidationMode":"NONE"})",
        R"(,"mock":{"errorOutput":{"cause":"c"},"fieldValidationMode":"NONE"})",
        R"(,"mock":{"result":"{nope","fieldValidationMode":"NONE"})"}) {
    SfnError e = err("TestState", req(task, bad));
    EXPECT_EQ(e.type, "ValidationException") << bad;
  }
  SfnError e = err("TestState", req(R"({"Type":"Pass","End":true})",
                                    R"(,"mock":{"result":"1","fieldValidationMode":"NONE"})"));
  EXPECT_EQ(e.type, "ValidationException");
  EXPECT_EQ(e.message, "A mock can only be specified for Task, Map, or Parallel states");
}

TEST_F(TestStateHandlerTest, TaskCallsTheTaskIntegrationWithTheEffectiveInput) {
  auto out = ok("TestState", req(R"({"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage",
                        "Parameters":{"QueueUrl":"q","MessageBody.$":"$.m"},
                        "ResultSelector":{"id.$":"$.MessageId"},"Next":"Done"})",
                                 R"(,"input":"{\"m\":\"hi\"}","inspectionLevel":"TRACE",)"
                                 R"("roleArn":"arn:aws:iam::000000000000:role/r")"));
  ASSERT_EQ(tasks_.requests.size(), 1u);
  EXPECT_EQ(tasks_.requests[0].resource, "arn:aws:states:::sqs:sendMessage");
  EXPECT_EQ(tasks_.requests[0].input.as_object().find("MessageBody")->as_string(), "hi");
  EXPECT_EQ(str(out, "status"), "SUCCEEDED");
  EXPECT_EQ(str(out, "output"), R"({"id":"m-1"})");
  EXPECT_EQ(str(out, "nextState"), "Done");
  const json::Value* d = out.as_object().find("inspectionData");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(str(*d, "result"), R"({"MessageId":"m-1"})");
  EXPECT_EQ(str(*d, "afterResultSelector"), R"({"id":"m-1"})");
}

TEST_F(TestStateHandlerTest, AnAsynchronousTaskAnswersWhenItCompletes) {
  tasks_.hold = true;
  const SfnHandler* h = actions_.find("TestState");
  ASSERT_NE(h, nullptr);
  std::optional<SfnOutcome> answer;
  SfnContext ctx{parts_, identity_, [] { return true; }};
  auto body = engine::json::parse(req(R"({"Type":"Task","Resource":"arn:aws:states:::http:invoke",
              "Parameters":{"ApiEndpoint":"http://127.0.0.1:1/x","Method":"GET"},"End":true})",
                                      kRole));
  ASSERT_TRUE(body.ok());
  (*h)(ctx, std::move(*body), [&](SfnOutcome o) { answer = std::move(o); });
  settle();
  EXPECT_FALSE(answer.has_value());
  ASSERT_TRUE(tasks_.held);
  tasks_.held->succeed(json::Value(json::Object{{"StatusCode", json::Value(int64_t{200})}}));
  settle();
  ASSERT_TRUE(answer.has_value());
  ASSERT_TRUE(answer->ok());
  EXPECT_EQ(*answer->text(), R"({"output":"{\"StatusCode\":200}","status":"SUCCEEDED"})");
}

TEST_F(TestStateHandlerTest, TaskErrorsReportRetriableAndCaught) {
  tasks_.error = "SQS.AmazonSQSException";
  const std::string retry = R"({"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage",
      "Parameters":{"QueueUrl":"q","MessageBody":"x"},
      "Retry":[{"ErrorEquals":["States.ALL"],"IntervalSeconds":3,"MaxAttempts":2}],"End":true})";
  auto out = ok("TestState", req(retry, std::string(kRole) + R"(,"inspectionLevel":"DEBUG")"));
  EXPECT_EQ(str(out, "status"), "RETRIABLE");
  EXPECT_EQ(str(out, "error"), "SQS.AmazonSQSException");
  const json::Value* d = out.as_object().find("inspectionData");
  ASSERT_NE(d, nullptr);
  const json::Value* details = d->as_object().find("errorDetails");
  ASSERT_NE(details, nullptr);
  EXPECT_EQ(details->as_object().find("retryIndex")->as_int(), 0);
  EXPECT_EQ(details->as_object().find("retryBackoffIntervalSeconds")->as_int(), 3);

  const std::string caught = R"({"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage",
      "Parameters":{"QueueUrl":"q","MessageBody":"x"},
      "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.err","Next":"Handler"}],"End":true})";
  out = ok("TestState", req(caught, std::string(kRole) + R"(,"input":"{\"k\":1}")"));
  EXPECT_EQ(str(out, "status"), "CAUGHT_ERROR");
  EXPECT_EQ(str(out, "nextState"), "Handler");
  EXPECT_EQ(str(out, "output"),
            R"({"k":1,"err":{"Error":"SQS.AmazonSQSException","Cause":"it broke"}})");
}

}  // namespace
}  // namespace sluice::states
