// RedrivePolicy / RedriveAllowPolicy documents: SQS's validation errors, the canonical rendering
// GetQueueAttributes returns, and their place in QueueAttributes (set, remove, store).
#include "storage/queue/redrive_policy.h"

#include <gtest/gtest.h>

#include "storage/queue/queue_attributes.h"

namespace sluice::storage {
namespace {

constexpr const char* kDlq = "arn:aws:sqs:us-east-1:000000000000:dlq";

template <class T>
std::string message_of(const Result<T>& r) {
  return r.ok() ? "" : r.error().message;
}

TEST(RedrivePolicyTest, ParsesNumberOrStringCountAndRendersCanonically) {
  auto a = RedrivePolicy::parse(R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq",
                                    "maxReceiveCount":"10"})");
  ASSERT_TRUE(a.ok()) << message_of(a);
  EXPECT_EQ(a->dead_letter_target_arn, kDlq);
  EXPECT_EQ(a->max_receive_count, 10u);
  EXPECT_EQ(
      a->to_json(),
      R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":10})");
  auto b = RedrivePolicy::parse(
      R"({"maxReceiveCount":1000,"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq"})");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->max_receive_count, 1000u);
  auto again = RedrivePolicy::parse(a->to_json());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *a);
}

TEST(RedrivePolicyTest, ErrorsUseSqsWording) {
  struct Case {
    const char* json;
    const char* reason;
  };
  for (
      const Case& c : {
          Case{"{}", "Redrive policy does not contain mandatory attribute: maxReceiveCount."},
          Case{R"({"maxReceiveCount":3})",
               "Redrive policy does not contain mandatory attribute: deadLetterTargetArn."},
          Case{R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq"})",
               "Redrive policy does not contain mandatory attribute: maxReceiveCount."},
          Case{
              R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":0})",
              "Invalid value for maxReceiveCount: 0, valid values are from 1 to 1000 both "
              "inclusive."},
          Case{
              R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":"1001"})",
              "Invalid value for maxReceiveCount: 1001, valid values are from 1 to 1000 both "
              "inclusive."},
          Case{
              R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":"abc"})",
              "Invalid value for maxReceiveCount: abc, valid values are from 1 to 1000 both "
              "inclusive."},
          Case{R"({"deadLetterTargetArn":"dummy","maxReceiveCount":42})",
               "Invalid value for deadLetterTargetArn."},
          Case{
              R"({"deadLetterTargetArn":"arn:aws:sns:us-east-1:000000000000:t","maxReceiveCount":4})",
              "Invalid value for deadLetterTargetArn."},
          Case{
              R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":4,"x":1})",
              "Only following attributes are supported:[deadLetterTargetArn, maxReceiveCount]."},
      }) {
    auto r = RedrivePolicy::parse(c.json);
    ASSERT_FALSE(r.ok()) << c.json;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidParameterValue);
    EXPECT_EQ(r.error().message,
              std::string("Value ") + c.json +
                  " for parameter RedrivePolicy is invalid. Reason: " + c.reason);
  }
  for (const char* bad : {"", "not json", "[1,2]", "\"text\"", "{\"a\":"}) {
    auto r = RedrivePolicy::parse(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().message,
              "Invalid value for the parameter RedrivePolicy. Reason: Redrive policy is not a "
              "valid JSON map.");
  }
}

TEST(RedriveAllowPolicyTest, PermissionsAndWhomTheyAllow) {
  auto all = RedriveAllowPolicy::parse(R"({"redrivePermission":"allowAll"})");
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->allows("arn:aws:sqs:us-east-1:000000000000:anything"));
  EXPECT_EQ(all->to_json(), R"({"redrivePermission":"allowAll"})");

  auto none = RedriveAllowPolicy::parse(R"({"redrivePermission":"denyAll"})");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->allows("arn:aws:sqs:us-east-1:000000000000:anything"));

  auto some = RedriveAllowPolicy::parse(
      R"({"redrivePermission":"byQueue","sourceQueueArns":["arn:aws:sqs:us-east-1:000000000000:a",
          "arn:aws:sqs:us-east-1:000000000000:b"]})");
  ASSERT_TRUE(some.ok()) << message_of(some);
  EXPECT_TRUE(some->allows("arn:aws:sqs:us-east-1:000000000000:b"));
  EXPECT_FALSE(some->allows("arn:aws:sqs:us-east-1:000000000000:c"));
  EXPECT_EQ(
      some->to_json(),
      R"({"redrivePermission":"byQueue","sourceQueueArns":["arn:aws:sqs:us-east-1:000000000000:a","arn:aws:sqs:us-east-1:000000000000:b"]})");
}

TEST(RedriveAllowPolicyTest, InvalidDocumentsAreRejected) {
  std::string eleven = R"({"redrivePermission":"byQueue","sourceQueueArns":[)";
  for (int i = 0; i < 11; ++i) {
    if (i) eleven += ",";
    eleven += "\"arn:aws:sqs:us-east-1:000000000000:q" + std::to_string(i) + "\"";
  }
  eleven += "]}";
  struct Case {
    std::string json;
    const char* reason_part;
  };
  for (
      const Case& c : {
          Case{"nope", "unsupported format"},
          Case{"{}", "unsupported format"},
          Case{R"({"redrivePermission":"maybe"})", "unsupported format"},
          Case{R"({"redrivePermission":"byQueue"})", "you must also specify one or more"},
          Case{R"({"redrivePermission":"byQueue","sourceQueueArns":[]})",
               "you must also specify one or more"},
          Case{
              R"({"redrivePermission":"allowAll","sourceQueueArns":["arn:aws:sqs:us-east-1:000000000000:a"]})",
              "you can't also specify sourceQueueArns"},
          Case{
              R"({"redrivePermission":"denyAll","sourceQueueArns":["arn:aws:sqs:us-east-1:000000000000:a"]})",
              "you can't also specify sourceQueueArns"},
          Case{eleven, "The maximum number of source queue ARNs you can specify is 10."},
          Case{R"({"redrivePermission":"byQueue","sourceQueueArns":["not-an-arn"]})",
               "isn't a valid Amazon SQS queue ARN"},
      }) {
    auto r = RedriveAllowPolicy::parse(c.json);
    ASSERT_FALSE(r.ok()) << c.json;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidParameterValue);
    EXPECT_NE(r.error().message.find("for parameter RedriveAllowPolicy is invalid"),
              std::string::npos);
    EXPECT_NE(r.error().message.find(c.reason_part), std::string::npos) << r.error().message;
  }
  std::string ten = R"({"redrivePermission":"byQueue","sourceQueueArns":[)";
  for (int i = 0; i < 10; ++i) {
    if (i) ten += ",";
    ten += "\"arn:aws:sqs:us-east-1:000000000000:q" + std::to_string(i) + "\"";
  }
  ten += "]}";
  EXPECT_TRUE(RedriveAllowPolicy::parse(ten).ok());
}

TEST(QueueArnTest, ShapeAndName) {
  EXPECT_TRUE(is_queue_arn("arn:aws:sqs:us-east-1:000000000000:q"));
  EXPECT_TRUE(is_queue_arn("arn:aws-cn:sqs:cn-north-1:123456789012:q.fifo"));
  for (const char* bad : {"", "arn", "arn:aws:sqs:us-east-1:000000000000", "arn:aws:sqs::1:q",
                          "arn:aws:sns:us-east-1:000000000000:q", "xarn:aws:sqs:r:1:q",
                          "arn:aws:sqs:us-east-1:000000000000:", "arn:aws:sqs:r:1:q:extra"}) {
    EXPECT_FALSE(is_queue_arn(bad)) << bad;
  }
  const std::string prefix = "arn:aws:sqs:us-east-1:000000000000:";
  EXPECT_EQ(queue_name_in("arn:aws:sqs:us-east-1:000000000000:q", prefix), "q");
  EXPECT_EQ(queue_name_in("arn:aws:sqs:eu-west-1:000000000000:q", prefix), "");
  EXPECT_EQ(queue_name_in("arn:aws:sqs:us-east-1:111111111111:q", prefix), "");
  EXPECT_EQ(queue_name_in(prefix, prefix), "");
  EXPECT_TRUE(is_fifo_name("a.fifo"));
  EXPECT_FALSE(is_fifo_name("fifo"));
}

TEST(QueueAttributesRedriveTest, SetReturnAndRemove) {
  QueueAttributes a;
  ASSERT_TRUE(
      a.set(
           "RedrivePolicy",
           R"({"maxReceiveCount":"5","deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq"})",
           true)
          .ok());
  ASSERT_TRUE(a.set("RedriveAllowPolicy", R"({"redrivePermission":"denyAll"})", false).ok());
  EXPECT_EQ(
      a.get("RedrivePolicy"),
      R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":5})");
  EXPECT_EQ(a.get("RedriveAllowPolicy"), R"({"redrivePermission":"denyAll"})");
  auto back = QueueAttributes::deserialize(a.serialize());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, a);

  // A failed set leaves the previous policy.
  EXPECT_FALSE(a.set("RedrivePolicy", "{}", false).ok());
  EXPECT_EQ(a.redrive_policy->max_receive_count, 5u);
  // An empty value removes either policy.
  ASSERT_TRUE(a.set("RedrivePolicy", "", false).ok());
  ASSERT_TRUE(a.set("RedriveAllowPolicy", "", false).ok());
  EXPECT_FALSE(a.get("RedrivePolicy").has_value());
  EXPECT_FALSE(a.get("RedriveAllowPolicy").has_value());
  EXPECT_EQ(a, QueueAttributes{});
}

// Records written before the policies existed, or in either version 1 layout:
// QueueAttributesTest.Version1RecordsOfEitherKindStillRead.

}  // namespace
}  // namespace sluice::storage
