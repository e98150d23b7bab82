// StatesArn: every ARN shape of the API parses to its parts, builders produce what AWS produces,
// and malformed or foreign ARNs get InvalidArn with AWS's message texts.
#include "broker/states/states_arn.h"

#include <gtest/gtest.h>

namespace sluice::states {
namespace {

TEST(StatesArnTest, ParsesEveryKind) {
  auto m = parse_states_arn("arn:aws:states:us-east-1:123456789012:stateMachine:orders");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->kind, ArnKind::kStateMachine);
  EXPECT_EQ(m->machine, "orders");
  EXPECT_EQ(m->region, "us-east-1");
  EXPECT_EQ(m->account, "123456789012");

  auto v = parse_states_arn("arn:aws:states:us-east-1:123456789012:stateMachine:orders:12");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->kind, ArnKind::kStateMachineVersion);
  EXPECT_EQ(v->version, 12u);

  auto a = parse_states_arn("arn:aws:states:us-east-1:123456789012:stateMachine:orders:PROD");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->kind, ArnKind::kStateMachineAlias);
  EXPECT_EQ(a->qualifier, "PROD");

  auto act = parse_states_arn("arn:aws:states:eu-west-1:123456789012:activity:approve");
  ASSERT_TRUE(act);
  EXPECT_EQ(act->kind, ArnKind::kActivity);
  EXPECT_EQ(act->activity, "approve");

  auto e = parse_states_arn("arn:aws:states:us-east-1:123456789012:execution:orders:run-1");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, ArnKind::kExecution);
  EXPECT_EQ(e->machine, "orders");
  EXPECT_EQ(e->execution, "run-1");

  auto x = parse_states_arn("arn:aws:states:us-east-1:123456789012:express:orders:n:u-u-i-d");
  ASSERT_TRUE(x);
  EXPECT_EQ(x->kind, ArnKind::kExpressExecution);
  EXPECT_EQ(x->execution, "n");
  EXPECT_EQ(x->run_id, "u-u-i-d");

  auto mr = parse_states_arn("arn:aws:states:us-east-1:123456789012:mapRun:orders/label:abc");
  ASSERT_TRUE(mr);
  EXPECT_EQ(mr->kind, ArnKind::kMapRun);
}

TEST(StatesArnTest, RejectsWhatIsNotAStatesArnWithAwsMessages) {
  auto bad = parse_states_arn("not_a_valid_arn");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().type, "InvalidArn");
  EXPECT_EQ(bad.error().message, "Invalid Arn: 'Invalid ARN prefix: not_a_valid_arn'");

  auto sqs = parse_states_arn("arn:aws:sqs:us-east-1:123456789012:queue");
  ASSERT_FALSE(sqs);
  EXPECT_EQ(sqs.error().message,
            "Invalid Arn: 'Invalid ARN prefix: arn:aws:sqs:us-east-1:123456789012:queue'");

  EXPECT_FALSE(parse_states_arn("arn:aws:states:us-east-1:12345:stateMachine:x"));
  EXPECT_FALSE(parse_states_arn("arn:aws:states:us-east-1:123456789012:stateMachine:"));
  EXPECT_FALSE(parse_states_arn("arn:aws:states:us-east-1:123456789012:stateMachine:a:b:c"));
  EXPECT_FALSE(parse_states_arn("arn:aws:states:us-east-1:123456789012:execution:only"));
  EXPECT_FALSE(parse_states_arn("arn:aws:states:us-east-1:123456789012:stateMachine:a:01"));
  auto weird = parse_states_arn("arn:aws:states:us-east-1:123456789012:widget:a");
  ASSERT_FALSE(weird);
  EXPECT_EQ(weird.error().message,
            "Invalid Arn: 'Resource type not valid in this context: widget'");
}

TEST(StatesArnTest, WrongKindMessageNamesTheResourceType) {
  EXPECT_EQ(wrong_arn_kind(ArnKind::kExpressExecution).message,
            "Invalid Arn: 'Resource type not valid in this context: express'");
  EXPECT_EQ(wrong_arn_kind(ArnKind::kStateMachineVersion).message,
            "Invalid Arn: 'Resource type not valid in this context: stateMachine'");
  EXPECT_EQ(wrong_arn_kind(ArnKind::kActivity).type, "InvalidArn");
}

TEST(StatesArnTest, BuildsArnsAsAws) {
  StatesIdentity id{"eu-central-1", "111122223333"};
  std::string m = state_machine_arn(id, "orders");
  EXPECT_EQ(m, "arn:aws:states:eu-central-1:111122223333:stateMachine:orders");
  EXPECT_EQ(version_arn(m, 3), m + ":3");
  EXPECT_EQ(alias_arn(m, "PROD"), m + ":PROD");
  EXPECT_EQ(unqualified_arn(m + ":3"), m);
  EXPECT_EQ(activity_arn(id, "a"), "arn:aws:states:eu-central-1:111122223333:activity:a");
  EXPECT_EQ(execution_arn(id, "orders", "e"),
            "arn:aws:states:eu-central-1:111122223333:execution:orders:e");
  EXPECT_EQ(express_execution_arn(id, "orders", "e", "u"),
            "arn:aws:states:eu-central-1:111122223333:express:orders:e:u");
}

TEST(StatesArnTest, RoleArnsMustBeIamRoles) {
  EXPECT_TRUE(is_role_arn("arn:aws:iam::123456789012:role/service-role/x"));
  EXPECT_TRUE(is_role_arn("arn:aws-cn:iam::123456789012:role/x"));
  EXPECT_FALSE(is_role_arn("arn:aws:iam::aws:policy/AWSBatchFullAccess"));
  EXPECT_FALSE(is_role_arn("arn:aws:iam::123456789012:user/x"));
  EXPECT_FALSE(is_role_arn("role"));
  EXPECT_FALSE(is_role_arn("arn:aws:iam:us-east-1:123456789012:role/x"));
}

}  // namespace
}  // namespace sluice::states
