// Realistic SQS inputs shared by the micro-benchmarks: a 1 KiB JSON-ish message body, three
// message attributes (String, Number, Binary), the query-form and JSON 1.0 bodies of SendMessage,
// SendMessageBatch (10 entries) and ReceiveMessage as an AWS SDK sends them, whole HTTP requests
// with SDK-like headers (SigV4 Authorization, User-Agent, ...), and typed results to encode.
// Built once, deterministically; read-only afterwards (any thread).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "broker/sqs/api/requests.h"
#include "broker/sqs/api/results.h"

namespace sluice::microbench {

inline constexpr std::string_view kQueueUrl = "http://localhost:9324/000000000000/orders";
inline constexpr std::string_view kQueuePath = "/000000000000/orders";
inline constexpr std::size_t kBodyBytes = 1024;
inline constexpr std::size_t kBatchEntries = 10;

// Exactly kBodyBytes of JSON text (quotes, braces, colons: what a producer really sends, and what
// percent-encoding and JSON escaping have work to do on).
const std::string& message_body();

// TraceId (String, a UUID), Priority (Number), Checksum (Binary, 16 bytes).
const std::vector<sqs::MessageAttribute>& message_attributes();

// application/x-www-form-urlencoded bodies, percent-encoded as the SDKs do (RFC 3986 unreserved
// characters kept, everything else %XX).
const std::string& send_message_form();
const std::string& send_message_batch_form();  // kBatchEntries entries
const std::string& receive_message_form();     // MaxNumberOfMessages=10, All attributes

// AWS JSON 1.0 bodies of the same requests.
const std::string& send_message_json();
const std::string& send_message_batch_json();
const std::string& receive_message_json();

// A full HTTP/1.1 request, head and body, as an SDK sends it over a keep-alive connection.
// `target` empty: query protocol (form POST to the queue URL path); otherwise JSON 1.0 with
// "X-Amz-Target: AmazonSQS.<target>" (POST to /).
std::string http_request(std::string_view body, std::string_view target);

// Results as the handlers produce them: a SendMessage result, and a receive of `n` messages, each
// with the 1 KiB body, the three attributes and the four system attributes of AttributeName=All.
sqs::SendMessageResult send_message_result();
sqs::ReceiveMessageResult receive_message_result(std::size_t n);

// Percent-encodes one form component (RFC 3986 unreserved characters kept).
void form_encode(std::string_view in, std::string& out);

}  // namespace sluice::microbench
