// Response: what a handler answers. The server adds Content-Length (always) and Connection (when
// it closes, or for an HTTP/1.0 keep-alive client); a "connection: close" header set here makes
// the server close the connection after this response.
#pragma once

#include <string>
#include <vector>

#include "broker/http/request.h"

namespace sluice::http {

struct Response {
  int status = 200;
  std::string content_type;     // omitted from the head when empty
  std::vector<Header> headers;  // written as given; content-length/connection are the server's
  std::string body;
};

}  // namespace sluice::http
