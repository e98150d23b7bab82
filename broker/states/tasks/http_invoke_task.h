// The HTTP Task (arn:aws:states:::http:invoke): calls any HTTP(S) API from a workflow. Parameters
// as AWS documents them:
//   ApiEndpoint (required)  absolute http:// or https:// URL
//   Method (required)       GET | POST | PUT | DELETE | PATCH | OPTIONS | HEAD
//   Headers                 {name: value}; AWS's reserved headers (Host, Authorization,
//                           Content-Length, X-Amz-*, ...) are refused
//   QueryParameters         {name: value | [values]}, appended to the URL's own query
//   RequestBody             a string is sent as is; any other JSON value as JSON, or as a form when
//   Transform               {RequestBodyEncoding: NONE | URL_ENCODED,
//                            RequestEncodingOptions: {ArrayFormat: INDICES | REPEAT | COMMAS |
//                                                     BRACKETS}} (default INDICES)
//   Authentication / InvocationConfig  accepted and ignored: there are no EventBridge connections
//                           here, so no credentials are added to the request.
// The output is {Headers: {name: [values]}, ResponseBody, StatusCode, StatusText}; ResponseBody is
// parsed when the response says it is JSON, else kept as text. A status outside 2xx fails the
// task with States.Http.StatusCode.NNN, the cause holding that same output as JSON; a request that
// cannot be made (DNS, connection, TLS, timeout) fails with States.Http.Socket.
//
// Thread: the reactor thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "broker/states/tasks/http_client.h"
#include "broker/states/tasks/task_result.h"

namespace sluice::states::tasks {

// Builds and sends the request. Returns the HttpClient id to cancel it with, or 0 when `done` was
// already called (a parameter error). With `inspect` (TestState at TRACE) the result carries the
// exchange as TestState's inspectionData shows it: request {protocol, method, url, headers, body}
// and, when a response came, response {protocol, statusCode, statusMessage, headers, body}, all
// text; headers as "Name: value" lines joined by "\n".
uint64_t http_invoke(HttpClient& client, const std::string& region, const json::Value& parameters,
                     uint64_t timeout_ms, bool inspect, std::function<void(TaskResult)> done);

// The body of a URL_ENCODED request (exposed for tests): nested objects as a[b]=..., arrays per
// ArrayFormat ("INDICES" a[0]=x&a[1]=y, "REPEAT" a=x&a=y, "COMMAS" a=x,y, "BRACKETS" a[]=x&a[]=y).
std::string url_encode_body(const json::Value& body, std::string_view array_format);

// Percent-encodes everything but RFC 3986's unreserved characters.
std::string percent_encode(std::string_view s);

}  // namespace sluice::states::tasks
