// PipeSpec: a pipe's definition as CreatePipe / UpdatePipe set it, and its JSON codec: request
// parsing with every constraint of the model (shared/aws-models/pipes.json), UpdatePipe's merge,
// and the outputs of DescribePipe, ListPipes, the state-changing operations and
// ListTagsForResource.
//
// What Sluice serves: an SQS queue source; an SQS queue, Step Functions state machine or Lambda
// function target; a state machine or Lambda function enrichment (pipe_arn.h). The parameter
// objects of those services are typed here; the parameter objects of every other service
// (Kinesis, DynamoDB, MQ, Kafka, ECS, Batch, HTTP, ...) are only checked to be JSON objects and
// then rejected by validate_pipe_spec, so a stored spec never holds one. LogConfiguration, which
// Sluice keeps but does not act on, is kept as its validated JSON object. DescribePipe echoes the
// parameters as set (no defaults filled in), members in model order.
//
// Errors, checked in this order, each stage reporting everything it finds:
//   1. A member of the wrong JSON type: SerializationException, as AWS's request deserializer
//      words it, e.g. "STRING_VALUE can not be converted to an Integer", "NUMBER_VALUE can not be
//      converted to a String", "Start of structure or map found where not expected." (the first
//      one found; nothing else is checked). Unknown members are ignored and null counts as absent.
//   2. Model constraints: schema_validation_exception (pipes_error.h), e.g.
//      "[numeric instance is lower than the required minimum (minimum: 1, found: 0)]" with
//      fieldList [{"name":"SourceParameters.SqsQueueParameters.BatchSize", "message": ...}].
//      Patterns are matched against the whole value; ".*" (Description) accepts any text.
//   3. The service's rules (validate_pipe_spec): field_validation_exception, message
//      {"ValidationErrorFields":[{"Name":...,"Message":...}]}:
//        - Source / Target / Enrichment must be something Sluice serves (classify_resource);
//        - only the parameter objects of the source's / target's / enrichment's service;
//        - SQS source: BatchSize above 10 needs MaximumBatchingWindowInSeconds of at least 1
//          (the SQS poller's rule, Lambda CreateEventSourceMapping documentation); a FIFO source
//          takes at most 10; an SQS target takes batches of at most 10 ("you can't configure a
//          pipe with a larger batch size than the target supports", EventBridge user guide,
//          Pipes batching);
//        - a FIFO SQS target needs TargetParameters.SqsQueueParameters.MessageGroupId
//          ("Missing required parameter.", the service's own wording for such a field).
//      Whether a Step Functions target may be invoked REQUEST_RESPONSE (an EXPRESS state machine
//      only) depends on the state machine's type, which the caller knows and checks.
//
// Pure functions and plain values; any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "broker/pipes/api/pipe_arn.h"
#include "broker/pipes/api/pipes_error.h"
#include "broker/protocol/json_writer.h"
#include "engine/json/json_value.h"
#include "storage/result.h"

namespace sluice::pipes {

namespace json = engine::json;

// RequestedPipeState (RUNNING, STOPPED); DescribePipe and DeletePipe may also answer DELETED.
enum class DesiredState : uint8_t { kRunning, kStopped, kDeleted };
std::string_view to_string(DesiredState state);
// RUNNING or STOPPED (the values a request may carry).
std::optional<DesiredState> parse_requested_state(std::string_view text);

// PipeState.
enum class CurrentState : uint8_t {
  kRunning,
  kStopped,
  kCreating,
  kUpdating,
  kDeleting,
  kStarting,
  kStopping,
  kCreateFailed,
  kUpdateFailed,
  kStartFailed,
  kStopFailed,
  kDeleteFailed,
  kCreateRollbackFailed,
  kDeleteRollbackFailed,
  kUpdateRollbackFailed,
};
std::string_view to_string(CurrentState state);
std::optional<CurrentState> parse_current_state(std::string_view text);
// Every PipeState value, in model order (ListPipes' CurrentState filter is checked against it).
const std::vector<std::string_view>& current_state_values();

// PipeTargetInvocationType. Absent means REQUEST_RESPONSE for both Lambda and Step Functions
// targets (the model's documentation: "REQUEST_RESPONSE (default)").
enum class InvocationType : uint8_t { kRequestResponse, kFireAndForget };
std::string_view to_string(InvocationType type);

// TagMap: keys unique, in the order first set (the order ListTagsForResource shows).
using TagMap = std::vector<std::pair<std::string, std::string>>;
constexpr std::size_t kMaxTags = 50;

struct Filter {
  std::optional<std::string> pattern;  // an EventBridge event pattern, up to 4096 characters
};
struct FilterCriteria {
  std::vector<Filter> filters;  // at most 5; empty removes filtering (UpdatePipe)
};
struct SqsSourceParameters {
  std::optional<int64_t> batch_size;                          // 1-10000
  std::optional<int64_t> maximum_batching_window_in_seconds;  // 0-300
};
struct SourceParameters {
  std::optional<FilterCriteria> filter_criteria;
  std::optional<SqsSourceParameters> sqs_queue_parameters;
  // Names of other services' parameter objects the request carried ("KinesisStreamParameters",
  // ...); validate_pipe_spec rejects a spec that has any.
  std::vector<std::string> unsupported;
};

struct InvocationParameters {  // PipeTargetLambdaFunctionParameters, ...StateMachineParameters
  std::optional<InvocationType> invocation_type;
};
struct SqsTargetParameters {
  std::optional<std::string> message_group_id;          // 0-100 characters (or a JSON path)
  std::optional<std::string> message_deduplication_id;  // 0-100 characters (or a JSON path)
};
struct TargetParameters {
  std::optional<std::string> input_template;  // up to 8192 characters
  std::optional<InvocationParameters> lambda_function_parameters;
  std::optional<InvocationParameters> step_function_state_machine_parameters;
  std::optional<SqsTargetParameters> sqs_queue_parameters;
  std::vector<std::string> unsupported;  // as in SourceParameters
};
struct EnrichmentParameters {
  std::optional<std::string> input_template;  // up to 8192 characters
  std::vector<std::string> unsupported;       // "HttpParameters" (API destinations only)
};

struct PipeSpec {
  std::optional<std::string> description;     // 0-512 characters
  std::optional<DesiredState> desired_state;  // as requested: RUNNING (the default) or STOPPED
  std::string source;                         // an ARN (or smk:// URL); fixed at creation
  std::optional<SourceParameters> source_parameters;
  std::string enrichment;  // empty: no enrichment
  std::optional<EnrichmentParameters> enrichment_parameters;
  std::string target;
  std::optional<TargetParameters> target_parameters;
  std::string role_arn;
  TagMap tags;                                   // CreatePipe's Tags; later, Tag/UntagResource
  std::optional<json::Value> log_configuration;  // validated object, unknown members dropped
  std::string kms_key_identifier;                // empty: the AWS owned key
};

// UpdatePipe's body. A member left nullopt was absent: the pipe keeps it (apply_update).
struct PipeUpdate {
  std::optional<std::string> description;
  std::optional<DesiredState> desired_state;
  std::optional<SourceParameters> source_parameters;
  std::optional<std::string> enrichment;  // "" removes the enrichment
  std::optional<EnrichmentParameters> enrichment_parameters;
  std::optional<std::string> target;
  std::optional<TargetParameters> target_parameters;
  std::string role_arn;  // required by the model
  std::optional<json::Value> log_configuration;
  std::optional<std::string> kms_key_identifier;  // "" returns to the AWS owned key
};

// What a valid spec's ARNs name (pipe_arn.h).
struct PipeEndpoints {
  ResourceRef source;
  std::optional<ResourceRef> enrichment;
  ResourceRef target;
};

// CreatePipe's body (Name is the URI label): stages 1-3 above.
Result<PipeSpec, PipesError> parse_create_pipe(const json::Value& body, const PipesIdentity& id);

// UpdatePipe's body: stages 1-2 (stage 3 needs the merged pipe: validate_pipe_spec after
// apply_update, or update_pipe_spec for both).
Result<PipeUpdate, PipesError> parse_update_pipe(const json::Value& body);

// UpdatePipe's semantics ("EventBridge only updates the fields you have specified in the
// request; the rest remain unchanged", except that each service-specific parameter object is
// replaced as a whole, members left out returning to their defaults — UpdatePipe API reference):
//   - Description, DesiredState, Target, RoleArn, LogConfiguration (as a whole) replace when
//     present; KmsKeyIdentifier replaces, "" going back to the AWS owned key.
//   - Enrichment replaces; "" removes the enrichment, and with it EnrichmentParameters unless the
//     request sets new ones.
//   - SourceParameters / TargetParameters / EnrichmentParameters merge member by member: a
//     member present replaces the stored one as a whole (SqsQueueParameters,
//     LambdaFunctionParameters, StepFunctionStateMachineParameters, InputTemplate, FilterCriteria
//     — a FilterCriteria with no or empty Filters removes filtering); an absent member is kept.
//   - When Target moves to another kind of service (SQS queue, state machine, Lambda function),
//     the stored parameter objects of the old kind are dropped; the request's are kept (and
//     rejected by validate_pipe_spec if they do not fit the new target).
//   - Source, Name and Tags cannot change (UpdatePipe has no such members).
PipeSpec apply_update(const PipeSpec& current, const PipeUpdate& update);

// Stage 3 on a whole spec.
Result<PipeEndpoints, PipesError> validate_pipe_spec(const PipeSpec& spec, const PipesIdentity& id);

// apply_update, then validate_pipe_spec.
Result<PipeSpec, PipesError> update_pipe_spec(const PipeSpec& current, const PipeUpdate& update,
                                              const PipesIdentity& id);

// The spec as a CreatePipe body (without Name), and back: a storage codec. parse_pipe_spec
// applies stages 1-2 only, so a stored spec reads back whatever server identity it was made on.
json::Value to_json(const PipeSpec& spec);
Result<PipeSpec, PipesError> parse_pipe_spec(const json::Value& body);

// Tag requests.
// TagResource's body {"tags": {...}}: required, 1-50 tags, keys 1-128 and values 0-256
// characters.
Result<TagMap, PipesError> parse_tag_resource(const json::Value& body);
// UntagResource's tagKeys (PipesRequest::tag_keys): required, at most 50, each 1-128 characters.
Result<std::vector<std::string>, PipesError> parse_untag_keys(
    const std::optional<std::vector<std::string>>& keys);
// `current` with each tag of `add` set (a key already there keeps its place); a
// ValidationException ("tags") when the pipe would end up with more than 50.
Result<TagMap, PipesError> merge_tags(const TagMap& current, const TagMap& add);
// `current` without `keys` (keys it does not have are ignored).
TagMap remove_tags(const TagMap& current, const std::vector<std::string>& keys);

// The pipe's runtime state, owned by the caller's runtime: the part of the outputs that is not
// the definition. Times are milliseconds since the epoch. Each render_* output below is the whole
// body of an HTTP 200 with Content-Type application/json.
struct PipeStatus {
  std::string arn;
  std::string name;
  DesiredState desired_state = DesiredState::kRunning;
  CurrentState current_state = CurrentState::kCreating;
  std::string state_reason;  // omitted when empty
  int64_t creation_time_ms = 0;
  int64_t last_modified_time_ms = 0;
};

// Outputs. Timestamps go out as epoch seconds with milliseconds (1700000000.123): the model's
// Timestamp has no timestampFormat, and epoch-seconds is REST-JSON's default.
// DescribePipe: every member that is set, in the model's order ("Tags" always, {} when none,
// so a client indexing it finds it).
std::string render_describe_pipe(const PipeSpec& spec, const PipeStatus& status);
// One entry of ListPipes' "Pipes" (model shape Pipe).
void write_pipe_summary(protocol::JsonWriter& w, const PipeSpec& spec, const PipeStatus& status);
struct PipeListEntry {
  const PipeSpec* spec;
  const PipeStatus* status;
};
// ListPipes: {"Pipes":[...]} plus "NextToken" when `next_token` is not empty.
std::string render_list_pipes(const std::vector<PipeListEntry>& pipes, std::string_view next_token);
// CreatePipe, UpdatePipe, StartPipe, StopPipe, DeletePipe: Arn, Name, DesiredState, CurrentState,
// CreationTime, LastModifiedTime.
std::string render_pipe_state(const PipeStatus& status);
// ListTagsForResource: {"tags":{...}}.
std::string render_tags(const TagMap& tags);

}  // namespace sluice::pipes
