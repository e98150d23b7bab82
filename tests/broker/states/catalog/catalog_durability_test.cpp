// Everything the catalog holds survives a restart: machines with their definitions, revisions
// and configuration, versions (with their own definitions and the next number), aliases, tags and
// activities; a definition is compiled again exactly once at recovery.
#include "tests/broker/states/states_fixture.h"

namespace sluice::states::testing {
namespace {

class CatalogDurabilityTest : public StatesFixture {};

TEST_F(CatalogDurabilityTest, CatalogSurvivesRestart) {
  std::string arn = create_machine("orders", kPassDefinition,
                                   ",\"publish\":true,\"versionDescription\":\"v1\",\"tags\":"
                                   "[{\"key\":\"team\",\"value\":\"x\"}]");
  auto u = ok("UpdateStateMachine", "{\"stateMachineArn\":" + quote(arn) + ",\"definition\":" +
                                        quote(kWaitDefinition) + ",\"publish\":true}");
  std::string rev = str(u, "revisionId");
  ok("CreateStateMachineAlias",
     "{\"name\":\"PROD\",\"routingConfiguration\":[{\"stateMachineVersionArn\":" +
         quote(arn + ":1") + ",\"weight\":100}]}");
  ok("CreateActivity", "{\"name\":\"approve\",\"tags\":[{\"key\":\"k\",\"value\":\"v\"}]}");
  create_machine("fast", kPassDefinition, ",\"type\":\"EXPRESS\"");
  auto before = ok("DescribeStateMachine", "{\"stateMachineArn\":" + quote(arn) + "}");

  reopen();

  auto after = ok("DescribeStateMachine", "{\"stateMachineArn\":" + quote(arn) + "}");
  EXPECT_EQ(after, before);
  EXPECT_EQ(str(after, "revisionId"), rev);
  auto v1 = ok("DescribeStateMachine", "{\"stateMachineArn\":" + quote(arn + ":1") + "}");
  EXPECT_EQ(str(v1, "definition"), kPassDefinition);
  EXPECT_EQ(str(v1, "description"), "v1");
  auto v2 = ok("DescribeStateMachine", "{\"stateMachineArn\":" + quote(arn + ":2") + "}");
  EXPECT_EQ(str(v2, "definition"), kWaitDefinition);
  auto alias =
      ok("DescribeStateMachineAlias", "{\"stateMachineAliasArn\":" + quote(arn + ":PROD") + "}");
  EXPECT_EQ(str(arr(alias, "routingConfiguration")[0], "stateMachineVersionArn"), arn + ":1");
  auto tags = ok("ListTagsForResource", "{\"resourceArn\":" + quote(arn) + "}");
  EXPECT_EQ(str(arr(tags, "tags")[0], "value"), "x");
  auto act = ok("ListActivities", "{}");
  ASSERT_EQ(arr(act, "activities").size(), 1u);
  auto fast = ok("DescribeStateMachine",
                 "{\"stateMachineArn\":\"" + std::string(kPrefix) + "stateMachine:fast\"}");
  EXPECT_EQ(str(fast, "type"), "EXPRESS");
  // The next version number continues where it was.
  ok("UpdateStateMachine",
     "{\"stateMachineArn\":" + quote(arn) + ",\"roleArn\":\"" + kRole + "2\"}");
  EXPECT_EQ(str(ok("PublishStateMachineVersion", "{\"stateMachineArn\":" + quote(arn) + "}"),
                "stateMachineVersionArn"),
            arn + ":3");
  // The recovered definitions run (they were compiled at recovery).
  std::string e = start(arn + ":1", "after-restart");
  EXPECT_EQ(status(e), "SUCCEEDED");
}

TEST_F(CatalogDurabilityTest, DeletedThingsStayDeleted) {
  std::string arn = create_machine("gone", kPassDefinition, ",\"publish\":true");
  ok("CreateActivity", "{\"name\":\"gone\"}");
  ok("DeleteStateMachine", "{\"stateMachineArn\":" + quote(arn) + "}");
  ok("DeleteActivity", "{\"activityArn\":\"" + std::string(kPrefix) + "activity:gone\"}");
  reopen();
  EXPECT_TRUE(arr(ok("ListStateMachines", "{}"), "stateMachines").empty());
  EXPECT_TRUE(arr(ok("ListActivities", "{}"), "activities").empty());
  EXPECT_EQ(err("DescribeStateMachine", "{\"stateMachineArn\":" + quote(arn + ":1") + "}").type,
            "StateMachineDoesNotExist");
}

}  // namespace
}  // namespace sluice::states::testing
