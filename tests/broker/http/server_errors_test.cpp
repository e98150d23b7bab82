// Input the server rejects itself: malformed requests (400), oversized heads (431), and
// arbitrary bytes, which must never bring the server down.
#include <random>

#include <gtest/gtest.h>

#include "tests/broker/http/http_test_support.h"

namespace sluice::http::testing {
namespace {

void ok(Request&&, Responder res) {
  res.send(text(200, "ok"));
}

void expect_rejected(RawClient& c, int status) {
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, status);
  EXPECT_EQ(r->header("connection"), "close");
  EXPECT_EQ(r->header("content-type"), "text/plain; charset=utf-8");
  EXPECT_FALSE(r->body.empty());
  EXPECT_TRUE(c.closed_by_peer());
}

TEST(HttpErrors, GarbageGets400AndClose) {
  TestServer s({}, ok);
  RawClient c(s.port());
  ASSERT_TRUE(c.send("\x01\x02 this is not http\r\n\r\n"));
  expect_rejected(c, 400);
  EXPECT_EQ(s.call([&] { return s.server().stats().bad_requests; }), 1u);
}

TEST(HttpErrors, MalformedHeaderLineGets400) {
  TestServer s({}, ok);
  RawClient c(s.port());
  ASSERT_TRUE(c.send("GET / HTTP/1.1\r\nNo colon here\r\n\r\n"));
  expect_rejected(c, 400);
}

TEST(HttpErrors, ContentLengthWithChunkedGets400) {
  TestServer s({}, ok);
  RawClient c(s.port());
  ASSERT_TRUE(
      c.send("POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: "
             "chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"));
  expect_rejected(c, 400);
}

TEST(HttpErrors, BadChunkSizeGets400) {
  TestServer s({}, ok);
  RawClient c(s.port());
  ASSERT_TRUE(c.send("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"));
  expect_rejected(c, 400);
}

TEST(HttpErrors, ValidRequestBeforeGarbageIsAnsweredFirst) {
  TestServer s({}, ok);
  RawClient c(s.port());
  ASSERT_TRUE(c.send(get("/") + "BLAH\r\n\r\n"));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  expect_rejected(c, 400);
}

TEST(HttpErrors, OversizedHeaderGets431) {
  ServerOptions o;
  o.max_header_bytes = 8 * 1024;
  TestServer s(o, ok);
  RawClient c(s.port());
  ASSERT_TRUE(c.send(get("/", "X-Big: " + std::string(9000, 'a') + "\r\n")));
  expect_rejected(c, 431);
  EXPECT_EQ(s.call([&] { return s.server().stats().headers_too_large; }), 1u);
}

TEST(HttpErrors, ManySmallHeadersOverTheCapGet431) {
  ServerOptions o;
  o.max_header_bytes = 4 * 1024;
  TestServer s(o, ok);
  RawClient c(s.port());
  std::string many;
  for (int i = 0; i < 2000; ++i) many += "a:\r\n";
  ASSERT_TRUE(c.send(get("/", many)));
  expect_rejected(c, 431);
}

TEST(HttpErrors, OversizedTargetGets431) {
  ServerOptions o;
  o.max_header_bytes = 1024;
  TestServer s(o, ok);
  RawClient c(s.port());
  ASSERT_TRUE(c.send(get("/?" + std::string(2000, 'q'))));
  expect_rejected(c, 431);
}

TEST(HttpErrors, HeadJustUnderTheCapIsAccepted) {
  ServerOptions o;
  o.max_header_bytes = 8 * 1024;
  TestServer s(o, ok);
  RawClient c(s.port());
  ASSERT_TRUE(c.send(get("/", "X-Big: " + std::string(7000, 'a') + "\r\n")));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST(HttpErrors, UpgradeRequestIsAnsweredThenClosed) {
  TestServer s({}, ok);
  RawClient c(s.port());
  ASSERT_TRUE(c.send(get("/", "Connection: Upgrade\r\nUpgrade: websocket\r\n") + "garbage"));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->header("connection"), "close");
  EXPECT_TRUE(c.closed_by_peer());
}

TEST(HttpErrors, ConnectIsAnsweredThenClosed) {
  TestServer s({}, ok);
  RawClient c(s.port());
  ASSERT_TRUE(c.send("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\nxx"));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->header("connection"), "close");
  EXPECT_TRUE(c.closed_by_peer());
}

TEST(HttpErrors, Http2PrefaceGets400) {
  TestServer s({}, ok);
  RawClient c(s.port());
  ASSERT_TRUE(c.send(std::string("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\0\4\0\0\0\0\0", 33)));
  expect_rejected(c, 400);
}

TEST(HttpErrors, RandomBytesNeverCrashTheServer) {
  TestServer s({}, ok);
  std::mt19937 rng(12345);
  const std::string seeds[] = {
      get("/"), post("/", "abc"),
      "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n",
      "GET / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nab"};
  for (int round = 0; round < 300; ++round) {
    std::string input = seeds[round % 4] + seeds[(round + 1) % 4];
    // Mutate: flip, insert and delete bytes.
    int edits = 1 + static_cast<int>(rng() % 8);
    for (int e = 0; e < edits && !input.empty(); ++e) {
      size_t pos = rng() % input.size();
      switch (rng() % 3) {
        case 0:
          input[pos] = static_cast<char>(rng());
          break;
        case 1:
          input.insert(pos, 1, static_cast<char>(rng()));
          break;
        default:
          input.erase(pos, 1);
          break;
      }
    }
    RawClient c(s.port(), 200);
    c.send(input);
    if (round % 3 == 0) c.shutdown_write();
    while (c.read_response()) {
    }
  }
  // Still serving.
  RawClient c(s.port());
  ASSERT_TRUE(c.send(get("/")));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

}  // namespace
}  // namespace sluice::http::testing
