// The queue policy documents AddPermission and RemovePermission write: AWS's shape (Version, Id,
// one statement per label, single values as strings, several as arrays), edits that keep what was
// there, and the errors SQS answers.
#include "broker/sqs/queue_policy.h"

#include <gtest/gtest.h>

namespace sluice::sqs {
namespace {

constexpr const char* kArn = "arn:aws:sqs:us-east-1:000000000000:q";

PermissionGrant grant(std::string label, std::vector<std::string> accounts,
                      std::vector<std::string> actions) {
  return PermissionGrant{std::move(label), std::move(accounts), std::move(actions)};
}

TEST(QueuePolicyTest, FirstPermissionStartsTheDocumentSqsWrites) {
  auto p = add_permission_statement("", kArn, grant("l1", {"111122223333"}, {"SendMessage"}));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(
      *p,
      R"({"Version":"2012-10-17","Id":"arn:aws:sqs:us-east-1:000000000000:q/SQSDefaultPolicy",)"
      R"("Statement":[{"Sid":"l1","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},)"
      R"("Action":"SQS:SendMessage","Resource":"arn:aws:sqs:us-east-1:000000000000:q"}]})");
}

TEST(QueuePolicyTest, SeveralAccountsAndActionsAreArraysAndStatementsAppend) {
  auto p = add_permission_statement("", kArn, grant("l1", {"111122223333"}, {"SendMessage"}));
  ASSERT_TRUE(p.ok());
  p = add_permission_statement(
      *p, kArn, grant("l2", {"111122223333", "444455556666"}, {"ReceiveMessage", "DeleteMessage"}));
  ASSERT_TRUE(p.ok());
  EXPECT_NE(p->find(R"("Sid":"l1")"), std::string::npos);
  EXPECT_NE(
      p->find(
          R"({"Sid":"l2","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root","arn:aws:iam::444455556666:root"]},"Action":["SQS:ReceiveMessage","SQS:DeleteMessage"])"),
      std::string::npos)
      << *p;
  EXPECT_LT(p->find("\"l1\""), p->find("\"l2\""));
  auto dup = add_permission_statement(*p, kArn, grant("l2", {"111122223333"}, {"*"}));
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::kInvalidParameterValue);
  EXPECT_EQ(dup.error().message,
            "Value l2 for parameter Label is invalid. Reason: Already exists.");
}

TEST(QueuePolicyTest, RemoveDropsTheStatementAndTheLastOneTheDocument) {
  auto p = add_permission_statement("", kArn, grant("a", {"111122223333"}, {"*"}));
  p = add_permission_statement(*p, kArn, grant("b", {"111122223333"}, {"GetQueueUrl"}));
  ASSERT_TRUE(p.ok());
  auto r = remove_permission_statement(*p, "a");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->find("\"Sid\":\"a\""), std::string::npos);
  EXPECT_NE(r->find("\"Sid\":\"b\""), std::string::npos);
  auto missing = remove_permission_statement(*r, "a");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message,
            "Value a for parameter Label is invalid. Reason: can't find label on existing policy.");
  auto empty = remove_permission_statement(*r, "b");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, "");
  EXPECT_FALSE(remove_permission_statement("", "b").ok());
}

TEST(QueuePolicyTest, APolicyFromSetQueueAttributesIsEditedInPlace) {
  const std::string own =
      R"({"Version":"2012-10-17","Id":"mine","Statement":{"Sid":"keep","Effect":"Deny",)"
      R"("Principal":"*","Action":"sqs:*","Resource":"*"},"Extra":[1,2]})";
  auto p = add_permission_statement(own, kArn, grant("added", {"111122223333"}, {"SendMessage"}));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->substr(0, 36), R"({"Version":"2012-10-17","Id":"mine",)");
  EXPECT_NE(
      p->find(R"({"Sid":"keep","Effect":"Deny","Principal":"*","Action":"sqs:*","Resource":"*"})"),
      std::string::npos);
  EXPECT_NE(p->find(R"("Extra":[1,2])"), std::string::npos);
  auto back = remove_permission_statement(*p, "added");
  ASSERT_TRUE(back.ok());
  EXPECT_NE(back->find("keep"), std::string::npos);
  EXPECT_EQ(back->find("added"), std::string::npos);
  EXPECT_FALSE(
      add_permission_statement("{not json", kArn, grant("x", {"111122223333"}, {"*"})).ok());
}

TEST(QueuePolicyTest, GrantsAreValidatedAsAddPermissionDoes) {
  EXPECT_TRUE(validate_grant(grant("Ok_label-1", {"111122223333"}, {"*", "SendMessage"})).ok());
  auto code = [](const Status& s) { return s.ok() ? ErrorCode::kInternal : s.error().code; };
  EXPECT_EQ(code(validate_grant(grant("", {"111122223333"}, {"*"}))),
            ErrorCode::kInvalidParameterValue);
  EXPECT_EQ(code(validate_grant(grant("has space", {"111122223333"}, {"*"}))),
            ErrorCode::kInvalidParameterValue);
  EXPECT_EQ(code(validate_grant(grant(std::string(81, 'a'), {"111122223333"}, {"*"}))),
            ErrorCode::kInvalidParameterValue);
  auto text = [](const Status& s) { return s.ok() ? std::string("<ok>") : s.error().message; };
  // No principals: InvalidParameterValue, not MissingParameter (AWS's wording).
  Status no_accounts = validate_grant(grant("l", {}, {"*"}));
  EXPECT_EQ(code(no_accounts), ErrorCode::kInvalidParameterValue);
  EXPECT_EQ(text(no_accounts),
            "Value [] for parameter PrincipalId is invalid. Reason: Unable to verify.");
  Status no_actions = validate_grant(grant("l", {}, {}));  // actions are asked for first
  EXPECT_EQ(code(no_actions), ErrorCode::kMissingParameter);
  EXPECT_EQ(text(no_actions), "The request must contain the parameter Actions.");
  EXPECT_EQ(code(validate_grant(grant("l", {"12345"}, {"*"}))), ErrorCode::kInvalidParameterValue);
  Status bad_action = validate_grant(grant("l", {"111122223333"}, {"FlyAway"}));
  EXPECT_EQ(code(bad_action), ErrorCode::kInvalidParameterValue);
  EXPECT_EQ(text(bad_action),
            "Value SQS:FlyAway for parameter ActionName is invalid. Reason: Please refer to the "
            "appropriate WSDL for a list of valid actions.");
  EXPECT_EQ(text(validate_grant(grant("l", {"111122223333"}, {"SendMessageBatch"}))),
            "Value SQS:SendMessageBatch for parameter ActionName is invalid. Reason: Please refer "
            "to the appropriate WSDL for a list of valid actions.");
  for (const char* owner_only : {"CreateQueue", "DeleteQueue", "SetQueueAttributes", "TagQueue",
                                 "AddPermission", "ListQueues"}) {
    EXPECT_EQ(text(validate_grant(grant("l", {"111122223333"}, {owner_only}))),
              "Value SQS:" + std::string(owner_only) +
                  " for parameter ActionName is invalid. Reason: Only the queue owner is allowed "
                  "to invoke this action.");
  }
  // The count is checked before the names.
  Status over = validate_grant(
      grant("l", {"111122223333"},
            {"SendMessage", "ReceiveMessage", "DeleteMessage", "ChangeMessageVisibility",
             "GetQueueAttributes", "GetQueueUrl", "PurgeQueue", "ListQueueTags"}));
  EXPECT_EQ(code(over), ErrorCode::kOverLimit);
  EXPECT_EQ(text(over), "8 Actions were found, maximum allowed is 7.");
}

TEST(QueuePolicyTest, AtMostTwentyStatements) {
  std::string p;
  for (int i = 0; i < 20; ++i) {
    std::string label = "l";
    label += std::to_string(i);
    auto next = add_permission_statement(p, kArn, grant(label, {"111122223333"}, {"*"}));
    ASSERT_TRUE(next.ok());
    p = *next;
  }
  auto over = add_permission_statement(p, kArn, grant("l20", {"111122223333"}, {"*"}));
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code, ErrorCode::kOverLimit);
}

}  // namespace
}  // namespace sluice::sqs
