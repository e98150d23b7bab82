// A pipe's definition compiled for running: AWS's defaults (BatchSize 10, no window), the payload
// limit of its target, the invocation type, and a filter pattern EventBridge would refuse as a
// ValidationException naming it.
#include "broker/pipes/pipe_config.h"

#include <gtest/gtest.h>

#include "engine/json/json_parse.h"

namespace sluice::pipes {
namespace {

const PipesIdentity kId;

Result<PipeConfig, PipesError> compile(const std::string& body) {
  auto spec = parse_create_pipe(*engine::json::parse(body), kId);
  if (!spec) return std::move(spec).error();
  auto endpoints = validate_pipe_spec(*spec, kId);
  if (!endpoints) return std::move(endpoints).error();
  return compile_pipe("compiled-pipe", *spec, *endpoints, kId);
}

const std::string kBase = R"("Source":"arn:aws:sqs:us-east-1:000000000000:orders-queue",)"
                          R"("RoleArn":"arn:aws:iam::000000000000:role/pipe-role")";

TEST(PipeConfigTest, DefaultsAndAStateMachineTarget) {
  auto c = compile("{" + kBase +
                   R"(,"Target":"arn:aws:states:us-east-1:000000000000:stateMachine:handler"})");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->batch.batch_size, 10u);
  EXPECT_EQ(c->batch.window_ms, 0);
  EXPECT_EQ(c->batch.max_bytes, 256u * 1024);
  EXPECT_EQ(c->invocation, InvocationType::kRequestResponse);
  EXPECT_EQ(c->source.name, "orders-queue");
  EXPECT_EQ(c->arn, "arn:aws:pipes:us-east-1:000000000000:pipe/compiled-pipe");
  EXPECT_EQ(c->context.pipe_name, "compiled-pipe");
  EXPECT_TRUE(c->filters.empty());
}

TEST(PipeConfigTest, BatchingInvocationAndALambdaTarget) {
  auto c = compile("{" + kBase +
                   R"(,"Target":"arn:aws:lambda:us-east-1:000000000000:function:handler",)"
                   R"("SourceParameters":{"SqsQueueParameters":{"BatchSize":50,)"
                   R"("MaximumBatchingWindowInSeconds":3}},)"
                   R"("TargetParameters":{"LambdaFunctionParameters":)"
                   R"({"InvocationType":"FIRE_AND_FORGET"}}})");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->batch.batch_size, 50u);
  EXPECT_EQ(c->batch.window_ms, 3000);
  EXPECT_EQ(c->batch.max_bytes, 6u * 1024 * 1024);
  EXPECT_EQ(c->invocation, InvocationType::kFireAndForget);
}

TEST(PipeConfigTest, AnInvalidFilterPatternIsAValidationException) {
  auto c = compile("{" + kBase +
                   R"(,"Target":"arn:aws:states:us-east-1:000000000000:stateMachine:handler",)"
                   R"("SourceParameters":{"FilterCriteria":{"Filters":[)"
                   R"({"Pattern":"{\"body\":{\"n\":[{\"numeric\":[\">\"]}]}}"}]}}})");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().type, "ValidationException");
  ASSERT_EQ(c.error().field_list.size(), 1u);
  EXPECT_EQ(c.error().field_list[0].name, "SourceParameters.FilterCriteria.Filters[0].Pattern");
  EXPECT_NE(c.error().field_list[0].message.find("Event pattern is not valid"), std::string::npos);
}

}  // namespace
}  // namespace sluice::pipes
