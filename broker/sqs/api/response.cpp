// See response.h.
#include "broker/sqs/api/response.h"

#include "broker/protocol/json_writer.h"
#include "broker/protocol/xml_writer.h"
#include "broker/sqs/api/error_table.h"
#include "broker/sqs/api/json_encoder.h"
#include "broker/sqs/api/xml_encoder.h"

namespace sluice::sqs {

namespace {

constexpr std::string_view kRequestIdHeader = "x-amzn-RequestId";
constexpr std::string_view kQueryErrorHeader = "x-amzn-query-error";
// Room for the common answers (SendMessage's is ~110 bytes of JSON, ~400 of XML) in the body's
// first allocation; the writers append member by member and would otherwise regrow it 3-4 times.
constexpr std::size_t kInitialBodyCapacity = 512;

// The text AWS sends for `code` whatever raised it, in `protocol`'s wording; empty when the
// error's own message stands. Whoever raises these (the store, a handler, the SQS task of a state
// machine) need not know the caller's protocol.
std::string_view fixed_message(ErrorCode code, Protocol protocol) {
  switch (code) {
    case ErrorCode::kQueueDoesNotExist:
      // The query endpoint still words it as in the WSDL days.
      return protocol == Protocol::kQuery
                 ? "The specified queue does not exist for this wsdl version."
                 : "The specified queue does not exist.";
    default:
      return {};
  }
}

// The text AWS sends when the error carries none of its own.
std::string_view default_message(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInternal:
    case ErrorCode::kStorageFull:
      return "The request processing has failed because of an unknown error, exception or "
             "failure.";
    case ErrorCode::kServiceUnavailable:
      return "The request has failed due to a temporary failure of the server.";
    case ErrorCode::kMalformedQueryString:
      return "The query string contains a syntax error.";
    case ErrorCode::kMissingAction:
      return "The request is missing an action or a required parameter.";
    case ErrorCode::kInvalidAction:
      return "The action or operation requested is invalid. Verify that the action is typed "
             "correctly.";
    case ErrorCode::kRequestTooLarge:
      return "The request body is larger than this server accepts.";
    case ErrorCode::kUnsupportedOperation:
      return "This operation is not supported.";
    default:
      return {};
  }
}

}  // namespace

WireResponse render_result(Protocol protocol, Action action, const AnyResult& result,
                           std::string_view request_id) {
  WireResponse r;
  r.status = 200;
  r.headers.emplace_back(kRequestIdHeader, request_id);
  r.body.reserve(kInitialBodyCapacity);
  if (protocol == Protocol::kJson) {
    r.content_type = kJsonContentType;
    encode_json(result, r.body);
  } else {
    r.content_type = kXmlContentType;
    encode_xml(action, result, request_id, r.body);
  }
  return r;
}

WireResponse render_error(Protocol protocol, const Error& error, std::string_view request_id) {
  const ErrorInfo& info = error_info(error.code);
  std::string_view message = fixed_message(error.code, protocol);
  if (message.empty()) message = error.message;
  if (message.empty()) message = default_message(error.code);
  return render_error(protocol, info.json_type, info.query_code, info.http_status,
                      info.sender_fault, message, request_id);
}

WireResponse render_error(Protocol protocol, std::string_view json_type,
                          std::string_view query_code, int http_status, bool sender_fault,
                          std::string_view message, std::string_view request_id) {
  std::string_view fault = sender_fault ? "Sender" : "Receiver";

  WireResponse r;
  r.status = http_status;
  r.headers.emplace_back(kRequestIdHeader, request_id);
  if (protocol == Protocol::kJson) {
    r.content_type = kJsonContentType;
    std::string query_error(query_code);
    query_error.push_back(';');
    query_error.append(fault);
    r.headers.emplace_back(kQueryErrorHeader, std::move(query_error));
    protocol::JsonWriter w(r.body);
    w.begin_object();
    w.string_member("__type", json_type);
    if (!message.empty()) w.string_member("message", message);
    w.end_object();
  } else {
    r.content_type = kXmlContentType;
    r.body.reserve(256 + message.size());
    protocol::XmlWriter w(r.body);
    w.open_with_namespace("ErrorResponse", kSqsXmlNamespace);
    w.open("Error");
    w.raw_element("Type", fault);
    w.element("Code", query_code);
    w.element("Message", message);
    w.empty_element("Detail");
    w.close("Error");
    w.element("RequestId", request_id);
    w.close("ErrorResponse");
  }
  return r;
}

}  // namespace sluice::sqs
