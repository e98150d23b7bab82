// Lambda functions served by local HTTP endpoints (LambdaEndpoints), for both resource forms:
//  - arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER] (LambdaFunction* events): the task's
//    effective input is the event, the function's result is the task's result;
//  - arn:aws:states:::lambda:invoke[.waitForTaskToken]: Parameters FunctionName (a name, a partial
//    or a full ARN, with an optional qualifier), Payload, InvocationType (RequestResponse | Event |
//    DryRun), Qualifier, ClientContext, LogType; the result is {ExecutedVersion, Payload,
//    SdkHttpMetadata, SdkResponseMetadata, StatusCode}.
//
// The contract with an endpoint: the event is POSTed as JSON (Content-Type: application/json); the
// response body is the function's result (JSON; anything else is taken as a string). The function
// failed when the status is not 2xx, when the response carries X-Amz-Function-Error, or when its
// body is an object with string "errorType" and "errorMessage" members, as Lambda reports errors:
// the task error is that errorType (Lambda.Unknown when there is none) and the cause the body. A
// function with no endpoint fails with Lambda.ResourceNotFoundException, as AWS does for a missing
// function; an endpoint that cannot be reached with Lambda.SdkClientException.
//
// Thread: the reactor thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "broker/states/tasks/http_client.h"
#include "broker/states/tasks/lambda_endpoints.h"
#include "broker/states/tasks/task_result.h"

namespace sluice::states::tasks {

class LambdaFunctions {
 public:
  LambdaFunctions(HttpClient& client, LambdaEndpoints endpoints, std::string region,
                  std::string account_id, uint64_t timeout_ms)
      : client_(client),
        endpoints_(std::move(endpoints)),
        region_(std::move(region)),
        account_id_(std::move(account_id)),
        timeout_ms_(timeout_ms) {}

  // Both return the HttpClient id to cancel with, or 0 when `done` already ran.
  uint64_t invoke_function(const std::string& resource_arn, const json::Value& event,
                           std::function<void(TaskResult)> done);
  uint64_t invoke(const json::Value& parameters, std::function<void(TaskResult)> done);

  const LambdaEndpoints& endpoints() const { return endpoints_; }

 private:
  struct Target {
    std::string name;
    std::string qualifier;  // "" when none
    std::string url;        // "" when no endpoint serves it
    std::string arn;
  };
  Target resolve(std::string_view function, std::string_view qualifier) const;
  TaskResult missing(const Target& t) const;
  uint64_t post(const Target& t, std::string body, std::string invocation_type,
                std::string client_context,
                std::function<void(TaskResult, const OutboundResponse*)> done);

  HttpClient& client_;
  LambdaEndpoints endpoints_;
  std::string region_;
  std::string account_id_;
  uint64_t timeout_ms_;
};

}  // namespace sluice::states::tasks
