// Request bodies: Content-Length, chunked, Expect: 100-continue, and the body cap (413).
#include <gtest/gtest.h>

#include "tests/broker/http/http_test_support.h"

namespace sluice::http::testing {
namespace {

void echo_body(Request&& req, Responder res) {
  res.send(text(200, std::move(req.body)));
}

ServerOptions small_body(size_t cap) {
  ServerOptions o;
  o.max_body_bytes = cap;
  return o;
}

TEST(HttpBody, ContentLengthBody) {
  TestServer s({}, echo_body);
  RawClient c(s.port());
  std::string body(200000, 'x');
  body[12345] = 'y';
  ASSERT_TRUE(c.send(post("/", body)));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, body);
}

TEST(HttpBody, ChunkedBodyIsDechunked) {
  TestServer s({}, echo_body);
  RawClient c(s.port());
  ASSERT_TRUE(c.send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel"));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_TRUE(c.send("lo\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n"));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "hello, world");
  // The connection is still usable.
  ASSERT_TRUE(c.send(post("/", "next")));
  auto r2 = c.read_response();
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2->body, "next");
}

TEST(HttpBody, ExpectContinueGets100BeforeTheBody) {
  TestServer s({}, echo_body);
  RawClient c(s.port());
  ASSERT_TRUE(
      c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n"));
  std::string interim;
  ASSERT_TRUE(c.read_exact(25, interim));
  EXPECT_EQ(interim, "HTTP/1.1 100 Continue\r\n\r\n");
  ASSERT_TRUE(c.send("abcde"));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "abcde");
}

TEST(HttpBody, ExpectContinueOverTheCapGets413AndNo100) {
  TestServer s(small_body(10), echo_body);
  RawClient c(s.port());
  ASSERT_TRUE(
      c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\nExpect: 100-continue\r\n\r\n"));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(r->header("connection"), "close");
  EXPECT_EQ(r->header("content-type"), "text/plain; charset=utf-8");
  EXPECT_TRUE(c.closed_by_peer());
}

TEST(HttpBody, BodyAtTheCapIsAccepted) {
  TestServer s(small_body(10), echo_body);
  RawClient c(s.port());
  ASSERT_TRUE(c.send(post("/", "0123456789")));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "0123456789");
}

TEST(HttpBody, ContentLengthOverTheCapGets413WithoutReadingTheBody) {
  bool called = false;
  TestServer s(small_body(1000), [&](Request&&, Responder res) {
    called = true;
    res.send(text(200, ""));
  });
  RawClient c(s.port());
  // The client keeps sending the (large) body; the 413 must still reach it.
  std::string req = post("/", std::string(500000, 'b'));
  std::thread writer([&] { c.send(req); });
  auto r = c.read_response();
  writer.join();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(r->header("connection"), "close");
  EXPECT_TRUE(c.closed_by_peer());
  EXPECT_FALSE(s.call([&] { return called; }));
  EXPECT_EQ(s.call([&] { return s.server().stats().bodies_too_large; }), 1u);
}

TEST(HttpBody, ChunkedBodyGrowingOverTheCapGets413) {
  TestServer s(small_body(8), echo_body);
  RawClient c(s.port());
  ASSERT_TRUE(c.send("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n12345\r\n"));
  ASSERT_TRUE(c.send("5\r\n67890\r\n0\r\n\r\n"));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_TRUE(c.closed_by_peer());
}

TEST(HttpBody, EarlierPipelinedRequestIsAnsweredBefore413) {
  TestServer s(small_body(4), echo_body);
  RawClient c(s.port());
  ASSERT_TRUE(c.send(post("/", "ok") + post("/", "too long")));
  auto r1 = c.read_response();
  ASSERT_TRUE(r1);
  EXPECT_EQ(r1->status, 200);
  EXPECT_EQ(r1->body, "ok");
  auto r2 = c.read_response();
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2->status, 413);
  EXPECT_TRUE(c.closed_by_peer());
}

}  // namespace
}  // namespace sluice::http::testing
