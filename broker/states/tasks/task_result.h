// TaskResult: how an integration answers one Task attempt (the output, or the error and cause the
// state's Retry/Catch see), plus the helpers every integration uses to shape answers the way AWS's
// optimized integrations do: the Java-SDK cause text of a service error and the SdkHttpMetadata /
// SdkResponseMetadata members AWS adds to request-response outputs. Pure; any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/json/json_value.h"

namespace sluice::states::tasks {

namespace json = engine::json;

struct TaskResult {
  bool ok = false;
  json::Value output;  // when ok
  std::string error;   // when !ok
  std::string cause;
  // Null unless the attempt asked for it (TaskRequest::inspect_exchange): the HTTP exchange
  // TestState shows at TRACE, {"request": {...}, "response": {...}}.
  json::Value exchange;

  static TaskResult success(json::Value output) {
    TaskResult r;
    r.ok = true;
    r.output = std::move(output);
    return r;
  }
  static TaskResult failure(std::string error, std::string cause) {
    TaskResult r;
    r.error = std::move(error);
    r.cause = std::move(cause);
    return r;
  }
};

// The cause AWS records when a service rejects a call made through an optimized integration: the
// AWS SDK for Java's exception text, e.g. "The specified queue does not exist. (Service: AmazonSQS;
// Status Code: 400; Error Code: AWS.SimpleQueueService.NonExistentQueue; Request ID: <uuid>;
// Proxy: null)".
std::string service_error_cause(std::string_view message, std::string_view service, int status,
                                std::string_view error_code);

// Adds SdkHttpMetadata {AllHttpHeaders, HttpHeaders, HttpStatusCode} and SdkResponseMetadata
// {RequestId} to a request-response output, as AWS's integrations return them: the headers
// x-amzn-RequestId, connection, Content-Length, Date and Content-Type. Content-Length is the
// length of the service's response body: by default the output's members as compact JSON (which
// is SQS's body for SendMessage), else the given length.
void add_sdk_metadata(json::Object& output, std::string_view content_type, int status = 200,
                      std::optional<std::size_t> content_length = std::nullopt);

// The same for lambda:invoke, with the headers Lambda's Invoke answers with (as recorded against
// AWS): X-Amz-Executed-Version, x-amzn-Remapped-Content-Length, Connection, x-amzn-RequestId,
// Content-Length (the payload's), Date, X-Amzn-Trace-Id, Content-Type.
void add_lambda_sdk_metadata(json::Object& output, int status, std::string_view version,
                             std::size_t content_length);

// SdkHttpMetadata from response headers in the order sent (AllHttpHeaders; HttpHeaders has them
// sorted, ignoring case) and SdkResponseMetadata {RequestId}.
void add_sdk_metadata_headers(json::Object& output, int status, const std::string& request_id,
                              std::vector<std::pair<std::string, std::string>> headers);

// States.Runtime: the task's parameters cannot be turned into a call (wrong type, unknown field).
TaskResult runtime_failure(std::string cause);

}  // namespace sluice::states::tasks
