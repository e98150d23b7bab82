// PipesError: how an EventBridge Pipes action fails, and its REST-JSON rendering.
//
// The model (shared/aws-models/pipes.json) names six errors; their HTTP statuses come from each
// shape's "error.httpStatusCode" trait:
//   ValidationException            400  message, fieldList [{name, message}]
//   NotFoundException              404  message
//   ConflictException              409  message, resourceId, resourceType
//   ServiceQuotaExceededException  402  message, resourceId, resourceType, serviceCode, quotaCode
//   ThrottlingException            429  message, serviceCode, quotaCode; Retry-After header
//   InternalException              500  message; Retry-After header
// Two more are not modelled but are what AWS's front end answers before the service sees a
// request, and every SDK handles an unmodelled code as a generic error with that code:
//   SerializationException         400  a member of the wrong JSON type, malformed JSON
//   UnknownOperationException      404  a path/method pair that is no Pipes operation
//
// On the wire (render_error): the status; "x-amzn-ErrorType: <Name>" (botocore's RestJSONParser
// takes the code from this header before the body's "code"; the JS SDK v3's loadRestJsonErrorCode
// reads the same header before the body's "code"/"__type"); "x-amzn-RequestId"; Content-Type
// application/json; and a body holding the shape's members: "message" (lower-case, as every Pipes
// error shape spells it) plus fieldList / resourceId / ... when set. retryAfterSeconds is bound to
// the Retry-After header by the model, so it goes there and not into the body.
//
// Plain values, pure functions; any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "broker/http/response.h"

namespace sluice::pipes {

// One entry of ValidationException's fieldList (model: ValidationExceptionField).
struct FieldError {
  std::string name;     // the member's path, e.g. "SourceParameters.SqsQueueParameters.BatchSize"
  std::string message;  // what is wrong with it
  friend bool operator==(const FieldError&, const FieldError&) = default;
};

struct PipesError {
  std::string type;  // the error shape's name, e.g. "ValidationException"
  std::string message;
  int http_status = 400;
  std::vector<FieldError> field_list;      // ValidationException
  std::string resource_id, resource_type;  // ConflictException, ServiceQuotaExceededException
  std::string service_code, quota_code;    // ServiceQuotaExceededException, ThrottlingException
  std::optional<int> retry_after_seconds;  // ThrottlingException, InternalException
};

PipesError validation_exception(std::string message, std::vector<FieldError> field_list = {});

// The two forms of ValidationException the Pipes service is seen to send (both carry the same
// entries in fieldList as well):
//
// Model constraints (lengths, ranges, patterns, enums, required members, list and map sizes) are
// checked by a JSON-schema validator; its messages are listed Java-style, "[m1, m2]", e.g.
// "[numeric instance is lower than the required minimum (minimum: 1, found: 0)]" (UpdatePipe,
// hashicorp/terraform-provider-aws#32423). A message shared by several fields (one "object has
// missing required properties" for all of an object's missing members) is listed once.
PipesError schema_validation_exception(std::vector<FieldError> fields);
// The service's own rules (which parameters go with which source, cross-field limits) come as a
// JSON document in the message, {"ValidationErrorFields":[{"Name":"...","Message":"..."}]}, e.g.
// Name "SourceParameters.DynamoDBStreamParameters", Message "Missing required parameter."
// (CreatePipe, hashicorp/terraform-provider-aws#30773, #32018; UpdatePipe, #41573).
PipesError field_validation_exception(std::vector<FieldError> fields);

// The JSON-schema validator's message texts (java-json-tools json-schema-validator's
// validation.properties), for the entries of schema_validation_exception. Lengths count
// Unicode code points, as JSON Schema does (schema_length).
std::size_t schema_length(std::string_view utf8);
std::string schema_too_short(std::string_view value, std::size_t min);
std::string schema_too_long(std::string_view value, std::size_t max);
std::string schema_below_minimum(int64_t minimum, int64_t found);
std::string schema_above_maximum(int64_t maximum, int64_t found);
// `regex` is the model's pattern, quoted as it stands.
std::string schema_pattern_mismatch(std::string_view regex, std::string_view value);
std::string schema_not_in_enum(std::string_view value,
                               const std::vector<std::string_view>& allowed);
// `names` are listed sorted, as a JSON array: (["RoleArn","Source"]).
std::string schema_missing_required(std::vector<std::string> names);
std::string schema_array_too_short(std::size_t min, std::size_t found);
std::string schema_array_too_long(std::size_t max, std::size_t found);
std::string schema_too_few_properties(std::size_t found, std::size_t min);
std::string schema_too_many_properties(std::size_t found, std::size_t max);
PipesError not_found_exception(std::string message);
PipesError conflict_exception(std::string message, std::string resource_id,
                              std::string resource_type);
PipesError service_quota_exceeded_exception(std::string message, std::string resource_id,
                                            std::string resource_type, std::string service_code,
                                            std::string quota_code);
PipesError throttling_exception(std::string message, std::string service_code = {},
                                std::string quota_code = {},
                                std::optional<int> retry_after_seconds = std::nullopt);
PipesError internal_exception(std::string message,
                              std::optional<int> retry_after_seconds = std::nullopt);
PipesError serialization_exception(std::string message);
// "No operation matches <METHOD> <path>" (the raw path, as the client sent it).
PipesError unknown_operation_exception(std::string_view method, std::string_view path);

// The complete HTTP response for `error` (see the header comment for its exact form).
http::Response render_error(const PipesError& error, std::string_view request_id);

}  // namespace sluice::pipes
