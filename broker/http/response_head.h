// The HTTP/1.1 status line and header block of a response, serialized into a caller-owned
// string so the connection can reuse its capacity across requests (no allocation per response
// once warm). Pure functions: any thread.
#pragma once

#include <string>
#include <string_view>

#include "broker/http/response.h"

namespace sluice::http {

// Reason phrase for a status code ("OK", "Not Found"; "Unknown" for codes it does not know).
std::string_view reason_phrase(int status);

// Whether a response with this status carries no body (1xx, 204, 304: RFC 9110 6.4.1).
inline bool status_forbids_body(int status) {
  return (status >= 100 && status < 200) || status == 204 || status == 304;
}

struct HeadOptions {
  bool close = false;        // add "Connection: close"
  bool keep_alive = false;   // add "Connection: keep-alive" (HTTP/1.0 client that asked for it)
  bool until_close = false;  // no Content-Length: the body runs until the connection closes
};

// Appends the head (status line through the blank line) to `out`. Content-Length is
// `content_length` (a HEAD answer states the length of the body it does not send); omitted for
// statuses that forbid a body and for a body that runs until the connection closes (a stream). The
// response's own content-length/connection headers are skipped: the server owns framing.
void append_response_head(std::string& out, const Response& r, size_t content_length,
                          HeadOptions opts);

// True if the response asks for the connection to close ("connection: close", any case).
bool response_requests_close(const Response& r);

}  // namespace sluice::http
