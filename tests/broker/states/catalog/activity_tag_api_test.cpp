// Activities (create is idempotent, delete is quiet, list pages by name) and tags on state
// machines and activities (TooManyTags at 50, versions are not taggable).
#include "tests/broker/states/states_fixture.h"

namespace sluice::states::testing {
namespace {

class ActivityTagApiTest : public StatesFixture {};

TEST_F(ActivityTagApiTest, ActivityLifecycle) {
  auto c =
      ok("CreateActivity", "{\"name\":\"approve\",\"tags\":[{\"key\":\"t\",\"value\":\"1\"}]}");
  std::string arn = str(c, "activityArn");
  EXPECT_EQ(arn, std::string(kPrefix) + "activity:approve");
  auto again = ok("CreateActivity", "{\"name\":\"approve\"}");
  EXPECT_EQ(str(again, "activityArn"), arn);
  EXPECT_EQ(*again.as_object().find("creationDate"), *c.as_object().find("creationDate"));
  auto d = ok("DescribeActivity", "{\"activityArn\":" + quote(arn) + "}");
  EXPECT_EQ(str(d, "name"), "approve");
  auto tags = ok("ListTagsForResource", "{\"resourceArn\":" + quote(arn) + "}");
  ASSERT_EQ(arr(tags, "tags").size(), 1u);
  EXPECT_EQ(str(arr(tags, "tags")[0], "key"), "t");
  ok("DeleteActivity", "{\"activityArn\":" + quote(arn) + "}");
  auto e = err("DescribeActivity", "{\"activityArn\":" + quote(arn) + "}");
  EXPECT_EQ(e.type, "ActivityDoesNotExist");
  EXPECT_EQ(e.message, "Activity Does Not Exist: '" + arn + "'");
  ok("DeleteActivity", "{\"activityArn\":" + quote(arn) + "}");
  e = err("CreateActivity", "{\"name\":\"TestActivity InvalidName$\"}");
  EXPECT_EQ(e.type, "InvalidName");
  EXPECT_EQ(e.message, "Invalid Name: 'TestActivity InvalidName$'");
  EXPECT_EQ(
      err("DescribeActivity", "{\"activityArn\":\"" + std::string(kPrefix) + "stateMachine:x\"}")
          .type,
      "InvalidArn");
}

TEST_F(ActivityTagApiTest, ListActivitiesPages) {
  for (const char* n : {"b", "a", "c"})
    ok("CreateActivity", "{\"name\":\"" + std::string(n) + "\"}");
  auto p1 = ok("ListActivities", "{\"maxResults\":2}");
  ASSERT_EQ(arr(p1, "activities").size(), 2u);
  EXPECT_EQ(str(arr(p1, "activities")[0], "name"), "a");
  auto p2 = ok("ListActivities", "{\"nextToken\":" + quote(str(p1, "nextToken")) + "}");
  ASSERT_EQ(arr(p2, "activities").size(), 1u);
  EXPECT_EQ(str(arr(p2, "activities")[0], "name"), "c");
  EXPECT_EQ(str(p2, "nextToken"), "");
}

TEST_F(ActivityTagApiTest, TagUntagListOnStateMachines) {
  std::string arn = create_machine("t", kPassDefinition,
                                   ",\"tags\":[{\"key\":\"a\",\"value\":\"1\"}],\"publish\":true");
  ok("TagResource",
     "{\"resourceArn\":" + quote(arn) +
         ",\"tags\":[{\"key\":\"b\",\"value\":\"2\"},{\"key\":\"a\",\"value\":\"3\"}]}");
  auto t = ok("ListTagsForResource", "{\"resourceArn\":" + quote(arn) + "}");
  ASSERT_EQ(arr(t, "tags").size(), 2u);
  EXPECT_EQ(str(arr(t, "tags")[0], "key"), "a");
  EXPECT_EQ(str(arr(t, "tags")[0], "value"), "3");
  ok("UntagResource", "{\"resourceArn\":" + quote(arn) + ",\"tagKeys\":[\"a\",\"zz\"]}");
  t = ok("ListTagsForResource", "{\"resourceArn\":" + quote(arn) + "}");
  ASSERT_EQ(arr(t, "tags").size(), 1u);
  EXPECT_EQ(str(arr(t, "tags")[0], "key"), "b");

  std::string many = tag_list(50);
  auto e = err("TagResource", "{\"resourceArn\":" + quote(arn) + ",\"tags\":" + many + "}");
  EXPECT_EQ(e.type, "TooManyTags");  // 1 + 50 > 50
  EXPECT_EQ(e.extra.find("resourceName")->as_string(), arn);

  e = err("TagResource",
          "{\"resourceArn\":" + quote(arn + ":1") + ",\"tags\":[{\"key\":\"x\",\"value\":\"y\"}]}");
  EXPECT_EQ(e.type, "ResourceNotFound");
  EXPECT_EQ(e.message, "Resource not found: '" + arn + ":1'");
  e = err("ListTagsForResource",
          "{\"resourceArn\":\"" + std::string(kPrefix) + "stateMachine:nope\"}");
  EXPECT_EQ(e.type, "ResourceNotFound");
  EXPECT_EQ(err("ListTagsForResource", "{\"resourceArn\":\"bad\"}").type, "InvalidArn");
}

}  // namespace
}  // namespace sluice::states::testing
