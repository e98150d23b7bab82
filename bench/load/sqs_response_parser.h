// SqsResponseParser: reads SQS responses in either protocol into the typed results of sqs_types.h.
// JSON 1.0 bodies are parsed in place with simdjson on-demand; query-protocol XML with XmlScanner.
// A non-2xx response becomes a Failure labelled with the AWS error code the server sent (JSON
// __type after '#', or x-amzn-query-error, or XML <Error><Code>), else "http-<status>". A 2xx
// response that does not parse becomes "bad-response". Holds a simdjson parser: one per thread.
#pragma once

#include <simdjson.h>

#include "bench/load/http_response.h"
#include "bench/load/outcome.h"
#include "bench/load/sqs_types.h"

namespace sluice::bench {

inline constexpr std::string_view kBadResponse = "bad-response";

class SqsResponseParser {
 public:
  explicit SqsResponseParser(Protocol protocol) : protocol_(protocol) {}

  // CreateQueue and GetQueueUrl.
  Outcome<QueueUrlResult> queue_url(const HttpResponse& response);
  Outcome<SendResult> send_message(const HttpResponse& response);
  // SendMessageBatch and DeleteMessageBatch.
  Outcome<BatchResult> batch(const HttpResponse& response);
  Outcome<ReceiveResult> receive_message(const HttpResponse& response);
  // DeleteMessage, PurgeQueue: success is a 2xx status.
  Outcome<Empty> empty(const HttpResponse& response);

  // The failure of a non-2xx response.
  Failure error(const HttpResponse& response);

 private:
  simdjson::ondemand::parser json_;
  Protocol protocol_;
};

}  // namespace sluice::bench
