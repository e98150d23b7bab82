// Response head serialization: framing headers are the server's.
#include "broker/http/response_head.h"

#include <gtest/gtest.h>

namespace sluice::http {
namespace {

TEST(ResponseHead, StatusLineTypeHeadersLength) {
  Response r;
  r.status = 200;
  r.content_type = "text/xml";
  r.headers = {{"x-amzn-RequestId", "abc"}};
  std::string out;
  append_response_head(out, r, 12, {});
  EXPECT_EQ(out,
            "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nx-amzn-RequestId: abc\r\n"
            "Content-Length: 12\r\n\r\n");
}

TEST(ResponseHead, ServerOwnsContentLengthAndConnection) {
  Response r;
  r.status = 404;
  r.headers = {{"Content-Length", "999"}, {"connection", "keep-alive"}, {"x", "y"}};
  std::string out;
  HeadOptions o;
  o.close = true;
  append_response_head(out, r, 3, o);
  EXPECT_EQ(out,
            "HTTP/1.1 404 Not Found\r\nx: y\r\nContent-Length: 3\r\nConnection: close\r\n\r\n");
}

TEST(ResponseHead, KeepAliveForHttp10AndNoLengthFor204) {
  Response r;
  r.status = 204;
  std::string out;
  HeadOptions o;
  o.keep_alive = true;
  append_response_head(out, r, 0, o);
  EXPECT_EQ(out, "HTTP/1.1 204 No Content\r\nConnection: keep-alive\r\n\r\n");
}

TEST(ResponseHead, OutOfRangeStatusBecomes500) {
  Response r;
  r.status = 42;
  std::string out;
  append_response_head(out, r, 0, {});
  EXPECT_EQ(out.rfind("HTTP/1.1 500 Internal Server Error\r\n", 0), 0u);
}

TEST(ResponseHead, ConnectionCloseRequestDetected) {
  Response r;
  EXPECT_FALSE(response_requests_close(r));
  r.headers = {{"Connection", "Close"}};
  EXPECT_TRUE(response_requests_close(r));
}

}  // namespace
}  // namespace sluice::http
