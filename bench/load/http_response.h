// HttpResponse: one parsed HTTP/1.1 response, as the SQS response parsers read it.
#pragma once

#include <string>

namespace sluice::bench {

struct HttpResponse {
  int status = 0;
  bool keep_alive = true;  // false: the server closes the connection after this response
  // The body. Its capacity always leaves simdjson's padding free after size(), so JSON bodies are
  // parsed in place without a copy.
  std::string body;
  // x-amzn-query-error ("Code;Sender"), sent by JSON endpoints that are query-compatible.
  std::string query_error;
};

}  // namespace sluice::bench
