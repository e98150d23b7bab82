// HTTP server basics over raw sockets: GET, keep-alive, HTTP/1.0, Connection: close, HEAD.
#include <gtest/gtest.h>

#include "tests/broker/http/http_test_support.h"

namespace sluice::http::testing {
namespace {

// Echoes what the server parsed, so tests see the Request the handler got.
void echo(Request&& req, Responder res) {
  std::string b = req.method + " " + std::string(req.path()) + " ?" + std::string(req.query());
  if (const std::string* h = req.header("x-echo")) b += " x-echo=" + *h;
  if (!req.body.empty()) b += " body=" + req.body;
  res.send(text(200, std::move(b)));
}

TEST(HttpServer, SimpleGet) {
  TestServer s({}, echo);
  RawClient c(s.port());
  ASSERT_TRUE(c.connected());
  ASSERT_TRUE(c.send(get("/a/b?x=1&y=%20", "X-Echo: Hello World\r\n")));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "GET /a/b ?x=1&y=%20 x-echo=Hello World");
  EXPECT_EQ(r->header("content-type"), "text/plain");
  EXPECT_EQ(r->header("content-length"), std::to_string(r->body.size()));
  EXPECT_FALSE(r->header("connection"));
}

TEST(HttpServer, HeaderNamesAreLowerCased) {
  TestServer s({}, [](Request&& req, Responder res) {
    std::string names;
    for (auto& h : req.headers) names += h.name + ",";
    res.send(text(200, names));
  });
  RawClient c(s.port());
  ASSERT_TRUE(c.send("GET / HTTP/1.1\r\nHOST: x\r\nX-Amz-Target: a\r\n\r\n"));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "host,x-amz-target,");
}

TEST(HttpServer, KeepAliveReusesTheConnection) {
  TestServer s({}, echo);
  RawClient c(s.port());
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(c.send(get("/n" + std::to_string(i))));
    auto r = c.read_response();
    ASSERT_TRUE(r) << i;
    EXPECT_EQ(r->body, "GET /n" + std::to_string(i) + " ?");
  }
  EXPECT_EQ(s.call([&] { return s.server().open_connections(); }), 1u);
  EXPECT_EQ(s.call([&] { return s.server().stats().connections_accepted; }), 1u);
  EXPECT_EQ(s.call([&] { return s.server().stats().requests; }), 5u);
}

TEST(HttpServer, ConnectionCloseIsHonoured) {
  TestServer s({}, echo);
  RawClient c(s.port());
  ASSERT_TRUE(c.send(get("/", "Connection: close\r\n")));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->header("connection"), "close");
  EXPECT_TRUE(c.closed_by_peer());
}

TEST(HttpServer, RequestsAfterConnectionCloseAreNotAnswered) {
  TestServer s({}, echo);
  RawClient c(s.port());
  ASSERT_TRUE(c.send(get("/first", "Connection: close\r\n") + get("/second")));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "GET /first ?");
  EXPECT_TRUE(c.closed_by_peer());
}

TEST(HttpServer, Http10ClosesByDefault) {
  TestServer s({}, echo);
  RawClient c(s.port());
  ASSERT_TRUE(c.send("GET /old HTTP/1.0\r\n\r\n"));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "GET /old ?");
  EXPECT_EQ(r->header("connection"), "close");
  EXPECT_TRUE(c.closed_by_peer());
}

TEST(HttpServer, Http10KeepAliveStaysOpen) {
  TestServer s({}, echo);
  RawClient c(s.port());
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(c.send("GET /k HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
    auto r = c.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->header("connection"), "keep-alive");
  }
  EXPECT_TRUE(c.quiet_for(200));
}

TEST(HttpServer, HandlerCanCloseTheConnection) {
  TestServer s({}, [](Request&&, Responder res) {
    Response r = text(200, "bye");
    r.headers.push_back({"Connection", "close"});
    res.send(std::move(r));
  });
  RawClient c(s.port());
  ASSERT_TRUE(c.send(get("/")));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "bye");
  EXPECT_EQ(r->header("connection"), "close");
  EXPECT_TRUE(c.closed_by_peer());
}

TEST(HttpServer, HeadSendsLengthButNoBody) {
  TestServer s({}, [](Request&&, Responder res) { res.send(text(200, "twelve bytes")); });
  RawClient c(s.port());
  ASSERT_TRUE(c.send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n" + get("/")));
  auto r = c.read_response(/*head_request=*/true);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->header("content-length"), "12");
  auto r2 = c.read_response();  // the next response starts right after the head
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2->body, "twelve bytes");
}

TEST(HttpServer, NoContentHasNoLengthNorBody) {
  TestServer s({}, [](Request&&, Responder res) { res.send(text(204, "ignored")); });
  RawClient c(s.port());
  ASSERT_TRUE(c.send(get("/") + get("/")));
  for (int i = 0; i < 2; ++i) {
    auto r = c.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 204);
    EXPECT_FALSE(r->header("content-length"));
  }
}

TEST(HttpServer, HalfCloseAfterAnsweredRequestsStillDeliversTheAnswers) {
  if (std::getenv("SLUICE_HTTP_TEST_IO_THREADS") != nullptr) {
    // With I/O threads no answer is given before the EOF is read: it finds the requests in
    // flight and takes the half-close as the client leaving (see connection.cpp, on_read).
    GTEST_SKIP() << "answers are never synchronous with I/O threads";
  }
  TestServer s({}, echo);
  RawClient c(s.port());
  ASSERT_TRUE(c.send(get("/1") + get("/2")));
  c.shutdown_write();
  for (int i = 1; i <= 2; ++i) {
    auto r = c.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->body, "GET /" + std::to_string(i) + " ?");
  }
  EXPECT_TRUE(c.closed_by_peer());
}

TEST(HttpServer, HalfCloseWithRequestInFlightMeansTheClientLeft) {
  std::shared_ptr<Responder> held;
  TestServer s(
      {}, [&](Request&&, Responder res) { held = std::make_shared<Responder>(std::move(res)); });
  RawClient c(s.port());
  ASSERT_TRUE(c.send(get("/")));
  for (int i = 0; i < 200 && !s.call([&] { return held != nullptr; }); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  c.shutdown_write();
  EXPECT_TRUE(c.closed_by_peer());
  EXPECT_FALSE(s.call([&] { return held->alive(); }));
  s.call([&] { held.reset(); });
}

TEST(HttpServer, ListenRejectsBadAddressAndReportsBusyPort) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  {
    Server a(&loop, {}, echo);
    Status bad = a.listen("not-an-ip", 0);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code, ErrorCode::kInvalidParameterValue);
    ASSERT_TRUE(a.listen("127.0.0.1", 0).ok());
    Server b(&loop, {}, echo);
    Status busy = b.listen("127.0.0.1", a.port());
    ASSERT_FALSE(busy.ok());
    EXPECT_NE(busy.error().message.find("address already in use"), std::string::npos)
        << busy.error().message;
  }
  uv_run(&loop, UV_RUN_DEFAULT);  // frees the closed handles
  EXPECT_EQ(uv_loop_close(&loop), 0);
}

TEST(HttpServer, ListensOnIpv6Loopback) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  {
    Server a(&loop, {}, echo);
    Status st = a.listen("[::1]", 0);
    if (!st.ok()) GTEST_SKIP() << "no IPv6 loopback: " << st.error().message;
    EXPECT_NE(a.port(), 0);
  }
  uv_run(&loop, UV_RUN_DEFAULT);
  EXPECT_EQ(uv_loop_close(&loop), 0);
}

}  // namespace
}  // namespace sluice::http::testing
