// Pipe ARNs, and what the ARNs a pipe connects (Source, Target, Enrichment) name on this server.
//
//   arn:aws:pipes:REGION:ACCOUNT:pipe/NAME                        a pipe (built and parsed here)
//   arn:aws:sqs:REGION:ACCOUNT:NAME                               an SQS queue: source or target
//   arn:aws:states:REGION:ACCOUNT:stateMachine:NAME               a state machine: target or
//                                                                 enrichment
//   arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]       a Lambda function: target or
//                                                                 enrichment
//
// Anything else (Kinesis and DynamoDB streams, Amazon MQ, MSK and self-managed Kafka "smk://"
// URLs, API destinations, event buses, ECS, Batch, ...) is not served, and neither is an ARN of
// another partition, region or account: Sluice is one account in one region. Both are a
// ValidationException in the service's own format (see field_validation_exception) whose field
// is "Source", "Target" or "Enrichment" and whose message names the ARN and says what Sluice
// serves. Classification checks shape only; whether the queue, state machine or function exists
// is the caller's business. Pure functions; any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "broker/pipes/api/pipes_error.h"
#include "storage/result.h"

namespace sluice::pipes {

// The model's ARN patterns (shared/aws-models/pipes.json), matched against the whole text, hand
// written so that no input length can make them slow:
//   Arn        arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\-]+):(REGION)?:(\d{12})?:(.+)
//   RoleArn    arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role/?[a-zA-Z0-9+=,.@\-_/]+
//   PipeArn    arn:aws([a-z]|\-)*:([a-zA-Z0-9\-]+):([a-z]|\d|\-)*:([0-9]{12})?:(.+)
//   Kafka URL  smk://HOST:PORT (ArnOrUrl's other branch; HOST dot-separated DNS labels)
//   Firehose   arn:aws([a-z]|\-)*:firehose:REGION:\d{12}:deliverystream/[a-zA-Z0-9_.-]{1,64}
//   Log group  arn:aws([a-z]|\-)*:logs:REGION:\d{12}:log-group:[\.\-_/#A-Za-z0-9]{1,512}(:\*)?
// where REGION is [a-z]{2,4}((-gov)|(-de)|(-iso([a-z]?)))?-[a-z]+(-\d{1})? and (.+) is any text
// without a line terminator.
bool matches_arn_pattern(std::string_view text);
bool matches_role_arn_pattern(std::string_view text);
bool matches_pipe_arn_pattern(std::string_view text);
bool matches_kafka_url_pattern(std::string_view text);
bool matches_firehose_arn_pattern(std::string_view text);
bool matches_log_group_arn_pattern(std::string_view text);

// The one partition/region/account this server stands for (--region, --account-id).
struct PipesIdentity {
  std::string region = "us-east-1";
  std::string account_id = "000000000000";
};

// "arn:aws:pipes:REGION:ACCOUNT:pipe/NAME".
std::string pipe_arn(const PipesIdentity& id, std::string_view name);

struct PipeArnParts {
  std::string region, account_id, name;
};
// Any well-formed pipe ARN (partition "aws", service "pipes", resource "pipe/NAME" with a
// non-empty NAME without '/'), whatever its region and account.
std::optional<PipeArnParts> parse_pipe_arn(std::string_view arn);
// The pipe's name when `arn` is a pipe ARN of this server's region and account; nullopt
// otherwise (a tag request for it is then a NotFoundException: no such pipe here).
std::optional<std::string> local_pipe_name(std::string_view arn, const PipesIdentity& id);

enum class ResourceKind : uint8_t { kSqsQueue, kStateMachine, kLambdaFunction };
// "SQS queue", "Step Functions state machine", "Lambda function".
std::string_view resource_kind_name(ResourceKind kind);

// Where an ARN sits in a pipe: it decides which kinds are allowed and names the field.
enum class PipeRole : uint8_t { kSource, kTarget, kEnrichment };
std::string_view pipe_role_field(PipeRole role);  // "Source", "Target", "Enrichment"

struct ResourceRef {
  ResourceKind kind = ResourceKind::kSqsQueue;
  std::string arn;        // as given
  std::string name;       // the queue, state machine or function name
  std::string qualifier;  // a Lambda version or alias; empty when none
  bool fifo = false;      // an SQS queue whose name ends in ".fifo"
};

// What `arn` names, if it is something this server serves in `role`; otherwise a
// ValidationException with one field (pipe_role_field(role)).
Result<ResourceRef, PipesError> classify_resource(std::string_view arn, PipeRole role,
                                                  const PipesIdentity& id);

}  // namespace sluice::pipes
