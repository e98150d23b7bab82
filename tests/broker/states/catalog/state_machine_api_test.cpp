// CreateStateMachine, DescribeStateMachine, UpdateStateMachine, DeleteStateMachine,
// ListStateMachines and ValidateStateMachineDefinition through their handlers, against the real
// catalog and LMDB: outputs, idempotency, revisions, and every error the handlers raise.
#include "tests/broker/states/states_fixture.h"

namespace sluice::states::testing {
namespace {

class StateMachineApiTest : public StatesFixture {};

TEST_F(StateMachineApiTest, CreateThenDescribeReturnsWhatWasGiven) {
  std::string arn = create_machine("orders", kPassDefinition);
  EXPECT_EQ(arn, std::string(kPrefix) + "stateMachine:orders");
  auto d = ok("DescribeStateMachine", "{\"stateMachineArn\":" + quote(arn) + "}");
  EXPECT_EQ(str(d, "name"), "orders");
  EXPECT_EQ(str(d, "status"), "ACTIVE");
  EXPECT_EQ(str(d, "type"), "STANDARD");
  EXPECT_EQ(str(d, "definition"), kPassDefinition);
  EXPECT_EQ(str(d, "roleArn"), kRole);
  const json::Value* logging = d.as_object().find("loggingConfiguration");
  ASSERT_NE(logging, nullptr);
  EXPECT_EQ(*logging, *engine::json::parse(R"({"level":"OFF","includeExecutionData":false})"));
  EXPECT_EQ(*d.as_object().find("tracingConfiguration"),
            *engine::json::parse(R"({"enabled":false})"));
  EXPECT_TRUE(d.as_object().find("creationDate")->is_number());
  EXPECT_EQ(d.as_object().find("revisionId"), nullptr);  // none before the first update
}

TEST_F(StateMachineApiTest, CreateIsIdempotentForTheSameConfiguration) {
  std::string a = create_machine("orders", kPassDefinition);
  // Same definition, different role and tags: the same machine, unchanged.
  auto again =
      ok("CreateStateMachine", "{\"name\":\"orders\",\"definition\":" + quote(kPassDefinition) +
                                   ",\"roleArn\":\"arn:aws:iam::123456789012:role/other\","
                                   "\"tags\":[{\"key\":\"k\",\"value\":\"v\"}]}");
  EXPECT_EQ(str(again, "stateMachineArn"), a);
  auto d = ok("DescribeStateMachine", "{\"stateMachineArn\":" + quote(a) + "}");
  EXPECT_EQ(str(d, "roleArn"), kRole);
  auto e =
      err("CreateStateMachine", "{\"name\":\"orders\",\"definition\":" + quote(kWaitDefinition) +
                                    ",\"roleArn\":\"" + kRole + "\"}");
  EXPECT_EQ(e.type, "StateMachineAlreadyExists");
  EXPECT_EQ(e.message, "State Machine Already Exists: '" + a + "'");
  e = err("CreateStateMachine", "{\"name\":\"orders\",\"definition\":" + quote(kPassDefinition) +
                                    ",\"roleArn\":\"" + kRole + "\",\"type\":\"EXPRESS\"}");
  EXPECT_EQ(e.type, "StateMachineAlreadyExists");
}

TEST_F(StateMachineApiTest, InvalidDefinitionUsesAwsMessageShape) {
  auto e = err("CreateStateMachine", std::string("{\"name\":\"bad\",\"definition\":") +
                                         quote(R"({"StartAt":"X"})") + ",\"roleArn\":\"" + kRole +
                                         "\"}");
  EXPECT_EQ(e.type, "InvalidDefinition");
  EXPECT_EQ(e.message,
            "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are "
            "required: [States] at /'");
  EXPECT_EQ(err("DescribeStateMachine",
                "{\"stateMachineArn\":\"" + std::string(kPrefix) + "stateMachine:bad\"}")
                .type,
            "StateMachineDoesNotExist");
}

TEST_F(StateMachineApiTest, ExpressMachinesRejectCallbacksSyncAndActivities) {
  std::string wait_def =
      R"({"StartAt":"S","States":{"S":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","End":true}}})";
  auto e = err("CreateStateMachine", "{\"name\":\"x\",\"type\":\"EXPRESS\",\"definition\":" +
                                         quote(wait_def) + ",\"roleArn\":\"" + kRole + "\"}");
  EXPECT_EQ(e.type, "InvalidDefinition");
  EXPECT_EQ(e.message,
            "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Express state machine "
            "does not support '.waitForTaskToken' service integration  at /States/S/Resource'");
  std::string activity_def =
      R"({"StartAt":"S","States":{"S":{"Type":"Task","Resource":"arn:aws:states:us-east-1:000000000000:activity:a","End":true}}})";
  e = err("CreateStateMachine", "{\"name\":\"x\",\"type\":\"EXPRESS\",\"definition\":" +
                                    quote(activity_def) + ",\"roleArn\":\"" + kRole + "\"}");
  EXPECT_NE(e.message.find("Express state machine does not support Activity ARN"),
            std::string::npos);
  // The same definitions are fine for a Standard machine.
  create_machine("std", wait_def);
}

TEST_F(StateMachineApiTest, NameRoleTagAndConfigurationErrors) {
  auto base = [&](const std::string& name, const std::string& role, const std::string& extra) {
    return "{\"name\":" + quote(name) + ",\"definition\":" + quote(kPassDefinition) +
           ",\"roleArn\":" + quote(role) + extra + "}";
  };
  auto e = err("CreateStateMachine", base("has space", kRole, ""));
  EXPECT_EQ(e.type, "InvalidName");
  EXPECT_EQ(e.message, "Invalid Name: 'has space'");
  e = err("CreateStateMachine", base(std::string(81, 'a'), kRole, ""));
  EXPECT_EQ(e.type, "ValidationException");
  e = err("CreateStateMachine", base("ok", "arn:aws:iam::aws:policy/P", ""));
  EXPECT_EQ(e.type, "InvalidArn");
  EXPECT_EQ(e.message, "Invalid Role Arn: 'arn:aws:iam::aws:policy/P'");
  std::string tags = ",\"tags\":" + tag_list(51);
  EXPECT_EQ(err("CreateStateMachine", base("ok", kRole, tags)).type, "TooManyTags");
  e = err("CreateStateMachine", base("ok", kRole, ",\"loggingConfiguration\":{\"level\":\"ALL\"}"));
  EXPECT_EQ(e.type, "InvalidLoggingConfiguration");
  EXPECT_EQ(e.message, "Invalid Logging Configuration: Must specify exactly one Log Destination.");
  e = err("CreateStateMachine", base("ok", kRole, ",\"versionDescription\":\"d\""));
  EXPECT_EQ(e.type, "ValidationException");
  EXPECT_EQ(e.message, "Version description can only be set when publish is true");
  e = err("CreateStateMachine", base("ok", kRole, ",\"type\":\"FAST\""));
  EXPECT_EQ(e.message,
            "1 validation error detected: Value 'FAST' at 'type' failed to satisfy constraint: "
            "Member must satisfy enum value set: [STANDARD, EXPRESS]");
  e = err("CreateStateMachine", "{\"name\":\"x\"}");
  EXPECT_EQ(e.type, "ValidationException");
  EXPECT_NE(e.message.find("2 validation errors detected"), std::string::npos);
}

TEST_F(StateMachineApiTest, LoggingAndTracingAreKeptAndReturned) {
  std::string arn = create_machine(
      "logged", kPassDefinition,
      ",\"loggingConfiguration\":{\"level\":\"ERROR\",\"includeExecutionData\":true,"
      "\"destinations\":[{\"cloudWatchLogsLogGroup\":{\"logGroupArn\":\"arn:aws:logs:us-east-1:"
      "123456789012:log-group:g:*\"}}]},\"tracingConfiguration\":{\"enabled\":true}");
  auto d = ok("DescribeStateMachine", "{\"stateMachineArn\":" + quote(arn) + "}");
  const json::Object& logging = d.as_object().find("loggingConfiguration")->as_object();
  EXPECT_EQ(logging.find("level")->as_string(), "ERROR");
  EXPECT_TRUE(logging.find("includeExecutionData")->as_bool());
  EXPECT_EQ(logging.find("destinations")->as_array().size(), 1u);
  EXPECT_TRUE(d.as_object().find("tracingConfiguration")->as_object().find("enabled")->as_bool());
}

TEST_F(StateMachineApiTest, UpdateMakesRevisionsOnlyForChanges) {
  std::string arn = create_machine("orders", kPassDefinition);
  auto e = err("UpdateStateMachine", "{\"stateMachineArn\":" + quote(arn) + "}");
  EXPECT_EQ(e.type, "MissingRequiredParameter");
  EXPECT_EQ(e.message,
            "Either the definition, the role ARN, the LoggingConfiguration, or the "
            "TracingConfiguration must be specified");
  auto u1 = ok("UpdateStateMachine", "{\"stateMachineArn\":" + quote(arn) +
                                         ",\"definition\":" + quote(kWaitDefinition) + "}");
  std::string rev1 = str(u1, "revisionId");
  EXPECT_EQ(rev1.size(), 36u);
  EXPECT_TRUE(u1.as_object().find("updateDate")->is_number());
  auto d = ok("DescribeStateMachine", "{\"stateMachineArn\":" + quote(arn) + "}");
  EXPECT_EQ(str(d, "definition"), kWaitDefinition);
  EXPECT_EQ(str(d, "revisionId"), rev1);
  // The same definition again changes nothing: the revision stays.
  auto u2 = ok("UpdateStateMachine", "{\"stateMachineArn\":" + quote(arn) +
                                         ",\"definition\":" + quote(kWaitDefinition) + "}");
  EXPECT_EQ(str(u2, "revisionId"), rev1);
  auto u3 = ok("UpdateStateMachine", "{\"stateMachineArn\":" + quote(arn) +
                                         ",\"roleArn\":\"arn:aws:iam::123456789012:role/r2\"}");
  EXPECT_NE(str(u3, "revisionId"), rev1);
  e = err("UpdateStateMachine",
          "{\"stateMachineArn\":" + quote(arn) + ",\"definition\":" + quote("{}") + "}");
  EXPECT_EQ(e.type, "InvalidDefinition");
  e = err("UpdateStateMachine", "{\"stateMachineArn\":\"" + std::string(kPrefix) +
                                    "stateMachine:nope\",\"roleArn\":\"" + kRole + "\"}");
  EXPECT_EQ(e.type, "StateMachineDoesNotExist");
}

TEST_F(StateMachineApiTest, DeleteIsQuietForMissingMachinesAndRejectsQualifiedArns) {
  std::string arn = create_machine("gone", kPassDefinition);
  ok("DeleteStateMachine", "{\"stateMachineArn\":" + quote(arn) + "}");
  EXPECT_EQ(err("DescribeStateMachine", "{\"stateMachineArn\":" + quote(arn) + "}").type,
            "StateMachineDoesNotExist");
  ok("DeleteStateMachine", "{\"stateMachineArn\":" + quote(arn) + "}");
  EXPECT_EQ(err("DeleteStateMachine", "{\"stateMachineArn\":" + quote(arn + ":1") + "}").type,
            "ValidationException");
  EXPECT_EQ(err("DeleteStateMachine", "{\"stateMachineArn\":\"nope\"}").type, "InvalidArn");
  // The name is free again.
  create_machine("gone", kWaitDefinition);
}

TEST_F(StateMachineApiTest, ListPagesInNameOrder) {
  for (const char* n : {"c", "a", "e", "b", "d"}) create_machine(n, kPassDefinition);
  std::vector<std::string> seen;
  std::string token;
  int pages = 0;
  do {
    std::string body =
        "{\"maxResults\":2" + (token.empty() ? "" : ",\"nextToken\":" + quote(token)) + "}";
    auto page = ok("ListStateMachines", body);
    for (const auto& m : arr(page, "stateMachines")) seen.push_back(str(m, "name"));
    token = str(page, "nextToken");
    ++pages;
  } while (!token.empty());
  EXPECT_EQ(seen, (std::vector<std::string>{"a", "b", "c", "d", "e"}));
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(err("ListStateMachines", "{\"nextToken\":\"bogus\"}").type, "InvalidToken");
  EXPECT_EQ(err("ListStateMachines", "{\"maxResults\":1001}").message,
            "1 validation error detected: Value '1001' at 'maxResults' failed to satisfy "
            "constraint: Member must have value less than or equal to 1000");
}

TEST_F(StateMachineApiTest, ValidateReportsDiagnostics) {
  auto okay =
      ok("ValidateStateMachineDefinition", "{\"definition\":" + quote(kPassDefinition) + "}");
  EXPECT_EQ(str(okay, "result"), "OK");
  EXPECT_TRUE(arr(okay, "diagnostics").empty());
  EXPECT_FALSE(okay.as_object().find("truncated")->as_bool());
  auto bad = ok("ValidateStateMachineDefinition", "{\"definition\":" + quote("{}") + "}");
  EXPECT_EQ(str(bad, "result"), "FAIL");
  ASSERT_EQ(arr(bad, "diagnostics").size(), 1u);
  const json::Value& d = arr(bad, "diagnostics")[0];
  EXPECT_EQ(str(d, "severity"), "ERROR");
  EXPECT_EQ(str(d, "code"), "SCHEMA_VALIDATION_FAILED");
  EXPECT_EQ(str(d, "location"), "/");
  std::string two =
      R"({"StartAt":"A","States":{"A":{"Type":"Pass","Next":"X"},"B":{"Type":"Pass","Next":"Y"}}})";
  auto t =
      ok("ValidateStateMachineDefinition", "{\"definition\":" + quote(two) + ",\"maxResults\":1}");
  EXPECT_EQ(arr(t, "diagnostics").size(), 1u);
  EXPECT_TRUE(t.as_object().find("truncated")->as_bool());
  std::string wftt =
      R"({"StartAt":"S","States":{"S":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","End":true}}})";
  auto ex = ok("ValidateStateMachineDefinition",
               "{\"definition\":" + quote(wftt) + ",\"type\":\"EXPRESS\"}");
  EXPECT_EQ(str(ex, "result"), "FAIL");
  EXPECT_EQ(str(arr(ex, "diagnostics")[0], "location"), "/States/S/Resource");
}

TEST_F(StateMachineApiTest, DescribeChecksArnKinds) {
  EXPECT_EQ(err("DescribeStateMachine", "{\"stateMachineArn\":\"not_a_valid_arn\"}").message,
            "Invalid Arn: 'Invalid ARN prefix: not_a_valid_arn'");
  auto e = err("DescribeStateMachine",
               "{\"stateMachineArn\":\"" + std::string(kPrefix) + "activity:a\"}");
  EXPECT_EQ(e.message, "Invalid Arn: 'Resource type not valid in this context: activity'");
  e = err("DescribeStateMachine",
          "{\"stateMachineArn\":\"arn:aws:states:us-west-2:000000000000:stateMachine:x\"}");
  EXPECT_EQ(e.type, "StateMachineDoesNotExist");
}

}  // namespace
}  // namespace sluice::states::testing
