// PipesRequest: which EventBridge Pipes operation an HTTP request is, with its URI labels,
// query parameters and JSON body decoded (REST-JSON, shared/aws-models/pipes.json):
//
//   POST   /v1/pipes/{Name}          CreatePipe            GET    /v1/pipes        ListPipes
//   GET    /v1/pipes/{Name}          DescribePipe          POST   /tags/{resourceArn}  TagResource
//   PUT    /v1/pipes/{Name}          UpdatePipe            DELETE /tags/{resourceArn} UntagResource
//   DELETE /v1/pipes/{Name}          DeletePipe            GET    /tags/{resourceArn}
//   POST   /v1/pipes/{Name}/start    StartPipe                               ListTagsForResource
//   POST   /v1/pipes/{Name}/stop     StopPipe
//
// The port is shared: SQS queue URLs are /ACCOUNT/QUEUE (ACCOUNT is twelve digits), SQS's query
// protocol posts to / or to a queue URL, and the AWS JSON 1.0 APIs (SQS, Step Functions) carry
// X-Amz-Target. So a request is a Pipes request exactly when it has no X-Amz-Target and its path
// is /v1/pipes, or starts with /v1/pipes/ or /tags/; nothing else on the port starts that way.
//
// Inside that space, a method/path pair that is no operation is UnknownOperationException (404),
// the answer AWS's REST front end gives for an unmatched route. Labels are percent-decoded after
// the path is split at '/', so an encoded "%2F" stays inside its label (the SDKs send a
// resourceArn with ':' as %3A and '/' as %2F; an unencoded one is accepted too). Query values are
// form-decoded ('+' is a space). Constraints on the labels and query parameters (PipeName for
// Name and NamePrefix, PipeArn for resourceArn, ListPipes' enums and Limit 1-100) are checked
// here with the service's schema messages (schema_validation_exception); a Limit that is no
// integer is a SerializationException. Bodies are parsed for CreatePipe, UpdatePipe and
// TagResource only (an empty body is {}); malformed JSON or a non-object is a
// SerializationException. Body members are checked by pipe_spec.h.
//
// Pure functions; any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "broker/http/request.h"
#include "broker/pipes/api/pipes_error.h"
#include "engine/json/json_value.h"
#include "storage/result.h"

namespace sluice::pipes {

namespace json = engine::json;

// The model's ten operations.
enum class PipesAction : uint8_t {
  kCreatePipe,
  kDeletePipe,
  kDescribePipe,
  kListPipes,
  kListTagsForResource,
  kStartPipe,
  kStopPipe,
  kTagResource,
  kUntagResource,
  kUpdatePipe,
};

// "CreatePipe", ... (metrics, logs).
std::string_view action_name(PipesAction action);

// ListPipes' query parameters; absent ones stay nullopt. Already validated.
struct ListPipesQuery {
  std::optional<std::string> name_prefix;
  std::optional<std::string> source_prefix;
  std::optional<std::string> target_prefix;
  std::optional<std::string> desired_state;  // RUNNING | STOPPED
  std::optional<std::string> current_state;  // one of the model's PipeState values
  std::optional<std::string> next_token;     // 1-2048 characters; opaque to this layer
  std::optional<int64_t> limit;              // 1-100
};

struct PipesRequest {
  PipesAction action = PipesAction::kListPipes;
  std::string name;          // {Name}: the pipe operations; a valid PipeName
  std::string resource_arn;  // {resourceArn}: the tag operations; a valid PipeArn
  ListPipesQuery list;       // ListPipes
  // UntagResource's repeated tagKeys, in order; nullopt when the request has none at all
  // (parse_untag_keys in pipe_spec.h checks them).
  std::optional<std::vector<std::string>> tag_keys;
  json::Value body = json::Object{};  // CreatePipe, UpdatePipe, TagResource: the JSON object
};

bool is_pipes_request(const http::Request& request);

// `request` must satisfy is_pipes_request.
Result<PipesRequest, PipesError> decode_pipes_request(const http::Request& request);

// Percent-decodes one path segment ('+' stays '+'). False on a '%' without two hex digits.
bool percent_decode_path(std::string_view in, std::string& out);

}  // namespace sluice::pipes
