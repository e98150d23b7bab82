#include "broker/sqs/policy_evaluation.h"

#include <gtest/gtest.h>

#include <string>

namespace sluice::sqs {
namespace {

constexpr std::string_view kArn = "arn:aws:sqs:us-east-1:000000000000:orders";
constexpr std::string_view kB = "222222222222";

std::string policy(std::string_view statements) {
  return R"({"Version":"2012-10-17","Statement":[)" + std::string(statements) + "]}";
}

// What AddPermission writes (queue_policy.cpp).
const std::string kAddPermission = policy(
    R"({"Sid":"b-send","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::222222222222:root"]},)"
    R"("Action":["SQS:SendMessage","SQS:ReceiveMessage"],"Resource":"arn:aws:sqs:us-east-1:000000000000:orders"})");

TEST(PolicyEvaluation, NoPolicyDeniesImplicitly) {
  EXPECT_EQ(evaluate_queue_policy("", kB, "SendMessage", kArn), PolicyDecision::kImplicitDeny);
  EXPECT_EQ(evaluate_queue_policy("not json", kB, "SendMessage", kArn),
            PolicyDecision::kImplicitDeny);
}

TEST(PolicyEvaluation, AddPermissionStatementAllowsItsAccountAndActions) {
  EXPECT_EQ(evaluate_queue_policy(kAddPermission, kB, "SendMessage", kArn), PolicyDecision::kAllow);
  EXPECT_EQ(evaluate_queue_policy(kAddPermission, kB, "ReceiveMessage", kArn),
            PolicyDecision::kAllow);
  EXPECT_EQ(evaluate_queue_policy(kAddPermission, kB, "DeleteMessage", kArn),
            PolicyDecision::kImplicitDeny);
  EXPECT_EQ(evaluate_queue_policy(kAddPermission, "333333333333", "SendMessage", kArn),
            PolicyDecision::kImplicitDeny);
  EXPECT_EQ(evaluate_queue_policy(kAddPermission, kB, "SendMessage",
                                  "arn:aws:sqs:us-east-1:000000000000:other"),
            PolicyDecision::kImplicitDeny);
}

TEST(PolicyEvaluation, PrincipalForms) {
  for (std::string_view principal :
       {R"("*")", R"({"AWS":"*"})", R"({"AWS":"222222222222"})",
        R"({"AWS":"arn:aws:iam::222222222222:root"})",
        R"({"AWS":["111111111111","arn:aws:iam::222222222222:user/x"]})"}) {
    std::string p = policy(R"({"Effect":"Allow","Principal":)" + std::string(principal) +
                           R"(,"Action":"sqs:SendMessage","Resource":"*"})");
    EXPECT_EQ(evaluate_queue_policy(p, kB, "SendMessage", kArn), PolicyDecision::kAllow)
        << principal;
  }
}

TEST(PolicyEvaluation, ActionAndResourceWildcards) {
  std::string p = policy(
      R"({"Effect":"Allow","Principal":"*","Action":"SQS:Send*","Resource":"arn:aws:sqs:*:000000000000:ord?rs"})");
  EXPECT_EQ(evaluate_queue_policy(p, kB, "SendMessage", kArn), PolicyDecision::kAllow);
  EXPECT_EQ(evaluate_queue_policy(p, kB, "SendMessageBatch", kArn), PolicyDecision::kAllow);
  EXPECT_EQ(evaluate_queue_policy(p, kB, "ReceiveMessage", kArn), PolicyDecision::kImplicitDeny);
  std::string all = policy(R"({"Effect":"Allow","Principal":"*","Action":"sqs:*"})");
  EXPECT_EQ(evaluate_queue_policy(all, kB, "PurgeQueue", kArn), PolicyDecision::kAllow);
}

TEST(PolicyEvaluation, ExplicitDenyWins) {
  std::string p = policy(
      R"({"Effect":"Allow","Principal":"*","Action":"sqs:*","Resource":"*"},)"
      R"({"Effect":"Deny","Principal":{"AWS":"222222222222"},"Action":"sqs:SendMessage","Resource":"*"})");
  EXPECT_EQ(evaluate_queue_policy(p, kB, "SendMessage", kArn), PolicyDecision::kExplicitDeny);
  EXPECT_EQ(evaluate_queue_policy(p, kB, "ReceiveMessage", kArn), PolicyDecision::kAllow);
  EXPECT_EQ(evaluate_queue_policy(p, "333333333333", "SendMessage", kArn), PolicyDecision::kAllow);
}

TEST(PolicyEvaluation, ConditionsAreNotEvaluatedOnTheSafeSide) {
  std::string allow = policy(
      R"({"Effect":"Allow","Principal":"*","Action":"sqs:*","Condition":{"Bool":{"aws:SecureTransport":"true"}}})");
  EXPECT_EQ(evaluate_queue_policy(allow, kB, "SendMessage", kArn), PolicyDecision::kImplicitDeny);
  std::string deny = policy(
      R"({"Effect":"Allow","Principal":"*","Action":"sqs:*"},)"
      R"({"Effect":"Deny","Principal":"*","Action":"sqs:*","Condition":{"Bool":{"aws:SecureTransport":"false"}}})");
  EXPECT_EQ(evaluate_queue_policy(deny, kB, "SendMessage", kArn), PolicyDecision::kExplicitDeny);
}

TEST(PolicyEvaluation, WildcardMatch) {
  EXPECT_TRUE(wildcard_match("*", "", false));
  EXPECT_TRUE(wildcard_match("a*c", "abbbc", false));
  EXPECT_FALSE(wildcard_match("a*c", "abbbd", false));
  EXPECT_TRUE(wildcard_match("SQS:SEND?ESSAGE", "sqs:SendMessage", true));
  EXPECT_FALSE(wildcard_match("SQS:SendMessage", "sqs:SendMessage", false));
}

}  // namespace
}  // namespace sluice::sqs
