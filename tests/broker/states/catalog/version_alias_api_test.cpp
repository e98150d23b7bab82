// Versions and aliases: publishing (also through create/update), idempotent publish, the revision
// check, newest-first listing, numbers never reused, alias routing rules and their messages.
#include "tests/broker/states/states_fixture.h"

namespace sluice::states::testing {
namespace {

class VersionAliasApiTest : public StatesFixture {
 protected:
  std::string publish(const std::string& arn, const std::string& extra = "") {
    return str(ok("PublishStateMachineVersion", "{\"stateMachineArn\":" + quote(arn) + extra + "}"),
               "stateMachineVersionArn");
  }
  std::string routing(const std::vector<std::pair<std::string, int>>& r) {
    std::string out = "[";
    for (std::size_t i = 0; i < r.size(); ++i) {
      if (i) out += ",";
      out += "{\"stateMachineVersionArn\":" + quote(r[i].first) +
             ",\"weight\":" + std::to_string(r[i].second) + "}";
    }
    return out + "]";
  }
};

TEST_F(VersionAliasApiTest, CreateWithPublishMakesVersionOne) {
  auto out = ok("CreateStateMachine", "{\"name\":\"v\",\"definition\":" + quote(kPassDefinition) +
                                          ",\"roleArn\":\"" + kRole +
                                          "\",\"publish\":true,\"versionDescription\":\"first\"}");
  std::string arn = str(out, "stateMachineArn");
  EXPECT_EQ(str(out, "stateMachineVersionArn"), arn + ":1");
  auto d = ok("DescribeStateMachine", "{\"stateMachineArn\":" + quote(arn + ":1") + "}");
  EXPECT_EQ(str(d, "stateMachineArn"), arn + ":1");
  EXPECT_EQ(str(d, "description"), "first");
  EXPECT_EQ(str(d, "definition"), kPassDefinition);
  EXPECT_EQ(err("DescribeStateMachine", "{\"stateMachineArn\":" + quote(arn + ":2") + "}").type,
            "StateMachineDoesNotExist");
}

TEST_F(VersionAliasApiTest, PublishIsIdempotentPerRevisionAndNumbersAreNeverReused) {
  std::string arn = create_machine("v", kPassDefinition);
  EXPECT_EQ(publish(arn), arn + ":1");
  EXPECT_EQ(publish(arn), arn + ":1");  // nothing changed since
  auto u = ok("UpdateStateMachine", "{\"stateMachineArn\":" + quote(arn) + ",\"definition\":" +
                                        quote(kWaitDefinition) + ",\"publish\":true}");
  EXPECT_EQ(str(u, "stateMachineVersionArn"), arn + ":2");
  ok("DeleteStateMachineVersion", "{\"stateMachineVersionArn\":" + quote(arn + ":2") + "}");
  ok("UpdateStateMachine",
     "{\"stateMachineArn\":" + quote(arn) + ",\"roleArn\":\"" + kRole + "x\"}");
  EXPECT_EQ(publish(arn), arn + ":3");
  auto list = ok("ListStateMachineVersions", "{\"stateMachineArn\":" + quote(arn) + "}");
  ASSERT_EQ(arr(list, "stateMachineVersions").size(), 2u);
  EXPECT_EQ(str(arr(list, "stateMachineVersions")[0], "stateMachineVersionArn"), arn + ":3");
  EXPECT_EQ(str(arr(list, "stateMachineVersions")[1], "stateMachineVersionArn"), arn + ":1");
  auto page =
      ok("ListStateMachineVersions", "{\"stateMachineArn\":" + quote(arn) + ",\"maxResults\":1}");
  ASSERT_EQ(arr(page, "stateMachineVersions").size(), 1u);
  auto rest =
      ok("ListStateMachineVersions", "{\"stateMachineArn\":" + quote(arn) +
                                         ",\"nextToken\":" + quote(str(page, "nextToken")) + "}");
  ASSERT_EQ(arr(rest, "stateMachineVersions").size(), 1u);
  EXPECT_EQ(str(arr(rest, "stateMachineVersions")[0], "stateMachineVersionArn"), arn + ":1");
  // Deleting a version that is not there succeeds.
  ok("DeleteStateMachineVersion", "{\"stateMachineVersionArn\":" + quote(arn + ":2") + "}");
}

TEST_F(VersionAliasApiTest, PublishChecksTheRevision) {
  std::string arn = create_machine("v", kPassDefinition);
  auto u1 = ok("UpdateStateMachine", "{\"stateMachineArn\":" + quote(arn) +
                                         ",\"definition\":" + quote(kWaitDefinition) + "}");
  std::string rev1 = str(u1, "revisionId");
  auto u2 = ok("UpdateStateMachine", "{\"stateMachineArn\":" + quote(arn) +
                                         ",\"definition\":" + quote(kPassDefinition) + "}");
  std::string rev2 = str(u2, "revisionId");
  auto e = err("PublishStateMachineVersion",
               "{\"stateMachineArn\":" + quote(arn) + ",\"revisionId\":" + quote(rev1) + "}");
  EXPECT_EQ(e.type, "ConflictException");
  EXPECT_EQ(e.message, "Failed to publish the State Machine version for revision " + rev1 +
                           ". The current State Machine revision is " + rev2 + ".");
  EXPECT_EQ(publish(arn, ",\"revisionId\":" + quote(rev2) + ",\"description\":\"d\""), arn + ":1");
  auto d = ok("DescribeStateMachine", "{\"stateMachineArn\":" + quote(arn + ":1") + "}");
  EXPECT_EQ(str(d, "revisionId"), rev2);
  EXPECT_EQ(str(d, "description"), "d");
}

TEST_F(VersionAliasApiTest, AliasLifecycle) {
  std::string arn = create_machine("v", kPassDefinition, ",\"publish\":true");
  ok("UpdateStateMachine", "{\"stateMachineArn\":" + quote(arn) +
                               ",\"definition\":" + quote(kWaitDefinition) + ",\"publish\":true}");
  auto c = ok("CreateStateMachineAlias",
              "{\"name\":\"PROD\",\"description\":\"live\",\"routingConfiguration\":" +
                  routing({{arn + ":1", 100}}) + "}");
  std::string alias = str(c, "stateMachineAliasArn");
  EXPECT_EQ(alias, arn + ":PROD");
  // Idempotent with the same configuration; a conflict otherwise.
  EXPECT_EQ(str(ok("CreateStateMachineAlias",
                   "{\"name\":\"PROD\",\"description\":\"live\",\"routingConfiguration\":" +
                       routing({{arn + ":1", 100}}) + "}"),
                "stateMachineAliasArn"),
            alias);
  auto e = err("CreateStateMachineAlias",
               "{\"name\":\"PROD\",\"routingConfiguration\":" + routing({{arn + ":2", 100}}) + "}");
  EXPECT_EQ(e.type, "ConflictException");
  auto d = ok("DescribeStateMachineAlias", "{\"stateMachineAliasArn\":" + quote(alias) + "}");
  EXPECT_EQ(str(d, "name"), "PROD");
  EXPECT_EQ(str(d, "description"), "live");
  ASSERT_EQ(arr(d, "routingConfiguration").size(), 1u);
  EXPECT_TRUE(d.as_object().find("updateDate")->is_number());

  ok("UpdateStateMachineAlias",
     "{\"stateMachineAliasArn\":" + quote(alias) +
         ",\"routingConfiguration\":" + routing({{arn + ":1", 50}, {arn + ":2", 50}}) + "}");
  d = ok("DescribeStateMachineAlias", "{\"stateMachineAliasArn\":" + quote(alias) + "}");
  EXPECT_EQ(arr(d, "routingConfiguration").size(), 2u);
  EXPECT_EQ(str(d, "description"), "live");
  EXPECT_EQ(err("UpdateStateMachineAlias", "{\"stateMachineAliasArn\":" + quote(alias) + "}").type,
            "MissingRequiredParameter");

  e = err("DeleteStateMachineVersion", "{\"stateMachineVersionArn\":" + quote(arn + ":1") + "}");
  EXPECT_EQ(e.type, "ConflictException");
  EXPECT_EQ(e.message,
            "Version to be deleted must not be referenced by an alias. Current list of aliases "
            "referencing this version: [PROD]");

  ok("CreateStateMachineAlias",
     "{\"name\":\"BETA\",\"routingConfiguration\":" + routing({{arn + ":2", 100}}) + "}");
  auto all = ok("ListStateMachineAliases", "{\"stateMachineArn\":" + quote(arn) + "}");
  EXPECT_EQ(arr(all, "stateMachineAliases").size(), 2u);
  auto of1 = ok("ListStateMachineAliases", "{\"stateMachineArn\":" + quote(arn + ":1") + "}");
  ASSERT_EQ(arr(of1, "stateMachineAliases").size(), 1u);
  EXPECT_EQ(str(arr(of1, "stateMachineAliases")[0], "stateMachineAliasArn"), alias);

  ok("DeleteStateMachineAlias", "{\"stateMachineAliasArn\":" + quote(alias) + "}");
  ok("DeleteStateMachineAlias", "{\"stateMachineAliasArn\":" + quote(alias) + "}");
  e = err("DescribeStateMachineAlias", "{\"stateMachineAliasArn\":" + quote(alias) + "}");
  EXPECT_EQ(e.type, "ResourceNotFound");
  e = err("UpdateStateMachineAlias",
          "{\"stateMachineAliasArn\":" + quote(alias) + ",\"description\":\"x\"}");
  EXPECT_EQ(e.type, "ResourceNotFound");
  EXPECT_EQ(e.message, "Request references a resource that does not exist.");
  ok("DeleteStateMachineVersion", "{\"stateMachineVersionArn\":" + quote(arn + ":1") + "}");
}

TEST_F(VersionAliasApiTest, RoutingConfigurationRules) {
  std::string arn = create_machine("v", kPassDefinition, ",\"publish\":true");
  ok("UpdateStateMachine", "{\"stateMachineArn\":" + quote(arn) +
                               ",\"definition\":" + quote(kWaitDefinition) + ",\"publish\":true}");
  ok("UpdateStateMachine",
     "{\"stateMachineArn\":" + quote(arn) + ",\"roleArn\":\"" + kRole + "2\",\"publish\":true}");
  auto create = [&](const std::string& name, const std::string& r) {
    return err("CreateStateMachineAlias",
               "{\"name\":" + quote(name) + ",\"routingConfiguration\":" + r + "}");
  };
  auto e = create("A", routing({{arn + ":1", 70}, {arn + ":2", 29}}));
  EXPECT_EQ(e.message, "Sum of routing configuration weights must equal 100. Received: [70, 29]");
  e = create("A", routing({{arn + ":1", 50}, {arn + ":1", 50}}));
  EXPECT_EQ(e.message,
            "Routing configuration must contain distinct state machine version ARNs. Received: [" +
                arn + ":1, " + arn + ":1]");
  e = create("A", routing({{arn, 100}}));
  EXPECT_EQ(
      e.message,
      "Routing configuration must contain state machine version ARNs. Received: [" + arn + "]");
  e = create("A", routing({{arn + ":1", 101}}));
  EXPECT_EQ(e.message,
            "1 validation error detected: Value '101' at 'routingConfiguration.1.member.weight' "
            "failed to satisfy constraint: Member must have value less than or equal to 100");
  e = create("A", routing({{arn + ":1", 50}, {arn + ":2", 30}, {arn + ":3", 20}}));
  EXPECT_NE(e.message.find("Member must have length less than or equal to 2"), std::string::npos);
  e = create("123", routing({{arn + ":1", 100}}));
  EXPECT_EQ(e.message,
            "1 validation error detected: Value '123' at 'name' failed to satisfy constraint: "
            "Member must satisfy regular expression pattern: "
            "^(?=.*[a-zA-Z_\\-\\.])[a-zA-Z0-9_\\-\\.]+$");
  EXPECT_EQ(create("A B", routing({{arn + ":1", 100}})).type, "ValidationException");
}

}  // namespace
}  // namespace sluice::states::testing
