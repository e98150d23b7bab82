// Whole SQS responses for the HTTP layer: a typed result or an Error rendered in the caller's
// protocol, with status, content type and headers (x-amzn-RequestId always; x-amzn-query-error
// on JSON errors). Pure; any thread.
#pragma once

#include <string_view>

#include "broker/protocol/wire_response.h"
#include "broker/sqs/api/action.h"
#include "broker/sqs/api/results.h"
#include "storage/result.h"

namespace sluice::sqs {

using protocol::Protocol;
using protocol::WireResponse;

inline constexpr std::string_view kXmlContentType = "text/xml";
inline constexpr std::string_view kJsonContentType = "application/x-amz-json-1.0";

// 200 with the encoded result. `action` names the XML elements (needed for EmptyResult).
WireResponse render_result(Protocol protocol, Action action, const AnyResult& result,
                           std::string_view request_id);

// The error's status; query: <ErrorResponse> XML; JSON: {"__type":..,"message":..} plus
// x-amzn-query-error: <query code>;Sender|Receiver.
WireResponse render_error(Protocol protocol, const Error& error, std::string_view request_id);

// The same shapes for an error named directly rather than by ErrorCode (the authentication
// errors of broker/auth, which AWS's front end raises before SQS sees the request).
WireResponse render_error(Protocol protocol, std::string_view json_type,
                          std::string_view query_code, int http_status, bool sender_fault,
                          std::string_view message, std::string_view request_id);

}  // namespace sluice::sqs
