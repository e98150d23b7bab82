// Pipe ARNs and the classification of Source / Target / Enrichment ARNs: what Sluice serves in
// each role, what it refuses (other services, other regions and accounts) and the model's ARN
// patterns.
#include "broker/pipes/api/pipe_arn.h"

#include <gtest/gtest.h>

namespace sluice::pipes {
namespace {

const PipesIdentity kId{"us-east-1", "123456789012"};

std::string rejection(std::string_view arn, PipeRole role) {
  auto r = classify_resource(arn, role, kId);
  EXPECT_FALSE(r);
  if (r) return "";
  EXPECT_EQ(r.error().type, "ValidationException");
  EXPECT_EQ(r.error().field_list.size(), 1u);
  EXPECT_EQ(r.error().field_list[0].name, pipe_role_field(role));
  return r.error().field_list[0].message;
}

TEST(PipeArnTest, BuildsAndParsesPipeArns) {
  EXPECT_EQ(pipe_arn(kId, "orders"), "arn:aws:pipes:us-east-1:123456789012:pipe/orders");
  auto p = parse_pipe_arn("arn:aws:pipes:eu-west-1:000000000000:pipe/a.b-c_d");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->region, "eu-west-1");
  EXPECT_EQ(p->account_id, "000000000000");
  EXPECT_EQ(p->name, "a.b-c_d");

  EXPECT_FALSE(parse_pipe_arn("arn:aws:pipes:us-east-1:123456789012:pipe/"));
  EXPECT_FALSE(parse_pipe_arn("arn:aws:pipes:us-east-1:123456789012:pipe/a/b"));
  EXPECT_FALSE(parse_pipe_arn("arn:aws:pipes:us-east-1:123456789012:rule/a"));
  EXPECT_FALSE(parse_pipe_arn("arn:aws:events:us-east-1:123456789012:pipe/a"));
  EXPECT_FALSE(parse_pipe_arn("arn:aws-cn:pipes:us-east-1:123456789012:pipe/a"));
  EXPECT_FALSE(parse_pipe_arn("pipe/a"));
}

TEST(PipeArnTest, LocalPipeNameOnlyForThisRegionAndAccount) {
  EXPECT_EQ(local_pipe_name("arn:aws:pipes:us-east-1:123456789012:pipe/p", kId), "p");
  EXPECT_FALSE(local_pipe_name("arn:aws:pipes:us-west-2:123456789012:pipe/p", kId));
  EXPECT_FALSE(local_pipe_name("arn:aws:pipes:us-east-1:000000000000:pipe/p", kId));
  EXPECT_FALSE(local_pipe_name("nonsense", kId));
}

TEST(PipeArnTest, ClassifiesSqsQueues) {
  auto q = classify_resource("arn:aws:sqs:us-east-1:123456789012:orders", PipeRole::kSource, kId);
  ASSERT_TRUE(q);
  EXPECT_EQ(q->kind, ResourceKind::kSqsQueue);
  EXPECT_EQ(q->name, "orders");
  EXPECT_FALSE(q->fifo);
  EXPECT_EQ(q->arn, "arn:aws:sqs:us-east-1:123456789012:orders");

  auto f =
      classify_resource("arn:aws:sqs:us-east-1:123456789012:jobs.fifo", PipeRole::kTarget, kId);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->kind, ResourceKind::kSqsQueue);
  EXPECT_EQ(f->name, "jobs.fifo");
  EXPECT_TRUE(f->fifo);
}

TEST(PipeArnTest, ClassifiesStateMachinesAndLambdaFunctions) {
  auto sm = classify_resource("arn:aws:states:us-east-1:123456789012:stateMachine:flow",
                              PipeRole::kTarget, kId);
  ASSERT_TRUE(sm);
  EXPECT_EQ(sm->kind, ResourceKind::kStateMachine);
  EXPECT_EQ(sm->name, "flow");

  auto fn = classify_resource("arn:aws:lambda:us-east-1:123456789012:function:enrich",
                              PipeRole::kEnrichment, kId);
  ASSERT_TRUE(fn);
  EXPECT_EQ(fn->kind, ResourceKind::kLambdaFunction);
  EXPECT_EQ(fn->name, "enrich");
  EXPECT_EQ(fn->qualifier, "");

  auto alias = classify_resource("arn:aws:lambda:us-east-1:123456789012:function:enrich:live",
                                 PipeRole::kTarget, kId);
  ASSERT_TRUE(alias);
  EXPECT_EQ(alias->name, "enrich");
  EXPECT_EQ(alias->qualifier, "live");
}

TEST(PipeArnTest, EachRoleAllowsItsKindsOnly) {
  const std::string queue = "arn:aws:sqs:us-east-1:123456789012:q";
  const std::string machine = "arn:aws:states:us-east-1:123456789012:stateMachine:m";
  const std::string function = "arn:aws:lambda:us-east-1:123456789012:function:f";
  EXPECT_TRUE(classify_resource(queue, PipeRole::kSource, kId));
  EXPECT_TRUE(classify_resource(queue, PipeRole::kTarget, kId));
  EXPECT_TRUE(classify_resource(machine, PipeRole::kTarget, kId));
  EXPECT_TRUE(classify_resource(function, PipeRole::kTarget, kId));
  EXPECT_TRUE(classify_resource(machine, PipeRole::kEnrichment, kId));
  EXPECT_TRUE(classify_resource(function, PipeRole::kEnrichment, kId));

  EXPECT_EQ(rejection(machine, PipeRole::kSource),
            "Source " + machine +
                " is not supported: Sluice serves Amazon SQS queue "
                "(arn:aws:sqs:us-east-1:123456789012:NAME) sources only.");
  EXPECT_EQ(rejection(function, PipeRole::kSource).substr(0, 7 + function.size()),
            "Source " + function);
  EXPECT_EQ(rejection(queue, PipeRole::kEnrichment),
            "Enrichment " + queue +
                " is not supported: Sluice serves Step Functions state machine "
                "(arn:aws:states:us-east-1:123456789012:stateMachine:NAME) and Lambda function "
                "(arn:aws:lambda:us-east-1:123456789012:function:NAME) enrichments.");
}

TEST(PipeArnTest, RefusesWhatSluiceDoesNotServe) {
  const std::string kinesis = "arn:aws:kinesis:us-east-1:123456789012:stream/s";
  EXPECT_EQ(rejection(kinesis, PipeRole::kTarget),
            "Target " + kinesis +
                " is not supported: Sluice serves Amazon SQS queue "
                "(arn:aws:sqs:us-east-1:123456789012:NAME), Step Functions state machine "
                "(arn:aws:states:us-east-1:123456789012:stateMachine:NAME) and Lambda function "
                "(arn:aws:lambda:us-east-1:123456789012:function:NAME) targets.");
  for (std::string_view arn : {
           "arn:aws:kinesis:us-east-1:123456789012:stream/s",
           "arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/2024-01-01T00:00:00.000",
           "arn:aws:mq:us-east-1:123456789012:broker:b:b-1234",
           "arn:aws:kafka:us-east-1:123456789012:cluster/c/uuid",
           "smk://broker1.example.com:9092",
       }) {
    EXPECT_NE(rejection(arn, PipeRole::kSource).find("is not supported"), std::string::npos) << arn;
  }
  for (std::string_view arn : {
           "arn:aws:events:us-east-1:123456789012:api-destination/d/uuid",
           "arn:aws:events:us-east-1:123456789012:event-bus/default",
           "arn:aws:ecs:us-east-1:123456789012:cluster/c",
           "arn:aws:sns:us-east-1:123456789012:topic",
           "arn:aws:states:us-east-1:123456789012:execution:m:e",
           "arn:aws:states:us-east-1:123456789012:activity:a",
           "arn:aws:lambda:us-east-1:123456789012:layer:l",
           "arn:aws:sqs:us-east-1:123456789012:bad name",
           "arn:aws:sqs:us-east-1:123456789012:",
       }) {
    EXPECT_NE(rejection(arn, PipeRole::kTarget).find("is not supported"), std::string::npos) << arn;
  }
}

TEST(PipeArnTest, RefusesOtherRegionsAccountsAndPartitions) {
  const std::string other = "arn:aws:sqs:eu-west-1:123456789012:q";
  EXPECT_EQ(rejection(other, PipeRole::kSource),
            "Source " + other +
                " is not a resource of this server, which serves partition aws, region "
                "us-east-1, account 123456789012.");
  EXPECT_NE(rejection("arn:aws:sqs:us-east-1:000000000000:q", PipeRole::kTarget)
                .find("is not a resource of this server"),
            std::string::npos);
  EXPECT_NE(
      rejection("arn:aws-cn:states:us-east-1:123456789012:stateMachine:m", PipeRole::kEnrichment)
          .find("is not a resource of this server"),
      std::string::npos);
}

TEST(PipeArnTest, ModelArnPattern) {
  EXPECT_TRUE(matches_arn_pattern("arn:aws:sqs:us-east-1:123456789012:q"));
  EXPECT_TRUE(matches_arn_pattern("arn:aws-us-gov:sqs:us-gov-west-1:123456789012:q"));
  EXPECT_TRUE(matches_arn_pattern("arn:aws:s3:::bucket"));  // region and account optional
  EXPECT_TRUE(matches_arn_pattern("arn:aws:x:us-isob-east-1:123456789012:a:b:c"));
  EXPECT_TRUE(matches_arn_pattern("arn:aws:x:eu-central-1:123456789012:r"));
  EXPECT_TRUE(matches_arn_pattern("arn:aws:x:us-gov-1:123456789012:r"));  // "gov" as [a-z]+
  EXPECT_FALSE(matches_arn_pattern("arn:aws:sqs:us-east-1:123456789012:"));
  EXPECT_FALSE(matches_arn_pattern("arn:aws:sqs:us-east-1:12345:q"));
  EXPECT_FALSE(matches_arn_pattern("arn:aws:sqs:useast1:123456789012:q"));
  EXPECT_FALSE(matches_arn_pattern("arn:aws:sqs:us-east-12:123456789012:q"));
  EXPECT_FALSE(matches_arn_pattern("arn:gcp:sqs:us-east-1:123456789012:q"));
  EXPECT_FALSE(matches_arn_pattern("arn:aws::us-east-1:123456789012:q"));
  EXPECT_FALSE(matches_arn_pattern("arn:aws:sqs:us-east-1:123456789012:a\nb"));
  EXPECT_FALSE(matches_arn_pattern("not an arn"));
}

TEST(PipeArnTest, ModelRoleArnPattern) {
  EXPECT_TRUE(matches_role_arn_pattern("arn:aws:iam::123456789012:role/pipe-role"));
  EXPECT_TRUE(matches_role_arn_pattern("arn:aws:iam::123456789012:role/path/to/Role+=,.@-_"));
  EXPECT_TRUE(matches_role_arn_pattern("arn::iam::123456789012:role/r"));
  EXPECT_TRUE(matches_role_arn_pattern("arn:aws-cn:iam::123456789012:rolex"));
  // "/?" may match nothing and the class holds '/', so the model's pattern takes "role/".
  EXPECT_TRUE(matches_role_arn_pattern("arn:aws:iam::123456789012:role/"));
  EXPECT_FALSE(matches_role_arn_pattern("arn:aws:iam::123456789012:role"));
  EXPECT_FALSE(matches_role_arn_pattern("arn:aws:iam::123456789012:user/u"));
  EXPECT_FALSE(matches_role_arn_pattern("arn:aws:iam:us-east-1:123456789012:role/r"));
  EXPECT_FALSE(matches_role_arn_pattern("arn:aws:iam::12345678901:role/r"));
  EXPECT_FALSE(matches_role_arn_pattern("arn:aws:iam::123456789012:role/a b"));
  EXPECT_FALSE(matches_role_arn_pattern("arn:aws2:iam::123456789012:role/r"));
}

TEST(PipeArnTest, ModelPipeArnAndKafkaUrlPatterns) {
  EXPECT_TRUE(matches_pipe_arn_pattern("arn:aws:pipes:us-east-1:123456789012:pipe/p"));
  EXPECT_TRUE(matches_pipe_arn_pattern("arn:aws:pipes::123456789012:pipe/p"));
  EXPECT_FALSE(matches_pipe_arn_pattern("arn:aws:pipes:US:123456789012:pipe/p"));
  EXPECT_FALSE(matches_pipe_arn_pattern("arn:aws:pipes:us-east-1:123456789012:"));
  EXPECT_FALSE(matches_pipe_arn_pattern("pipe/p"));

  EXPECT_TRUE(matches_kafka_url_pattern("smk://broker-1.example.com:9092"));
  EXPECT_TRUE(matches_kafka_url_pattern("smk://b:1"));
  EXPECT_FALSE(matches_kafka_url_pattern("smk://-bad.example.com:9092"));
  EXPECT_FALSE(matches_kafka_url_pattern("smk://broker:123456"));
  EXPECT_FALSE(matches_kafka_url_pattern("smk://broker"));
  EXPECT_FALSE(matches_kafka_url_pattern("kafka://broker:9092"));
}

TEST(PipeArnTest, ModelLogDestinationPatterns) {
  EXPECT_TRUE(matches_firehose_arn_pattern(
      "arn:aws:firehose:us-east-1:123456789012:deliverystream/my_stream-1.x"));
  EXPECT_FALSE(
      matches_firehose_arn_pattern("arn:aws:firehose:us-east-1:123456789012:deliverystream/"));
  EXPECT_FALSE(matches_firehose_arn_pattern("arn:aws:firehose::123456789012:deliverystream/s"));
  EXPECT_TRUE(matches_log_group_arn_pattern(
      "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vendedlogs/pipes#1"));
  EXPECT_TRUE(matches_log_group_arn_pattern("arn:aws:logs:us-east-1:123456789012:log-group:g:*"));
  EXPECT_FALSE(matches_log_group_arn_pattern("arn:aws:logs:us-east-1:123456789012:log-group:"));
  EXPECT_FALSE(matches_log_group_arn_pattern("arn:aws:logs:us-east-1:123456789012:group:g"));
}

}  // namespace
}  // namespace sluice::pipes
