// Limits that protect everyone else from one client: too many header fields (431), requests
// trickling in (408), and more connections than the server serves (503). Each time, another
// client on the same server keeps being answered.
#include <gtest/gtest.h>

#include "tests/broker/http/http_test_support.h"

namespace sluice::http::testing {
namespace {

using Clock = std::chrono::steady_clock;

void ok(Request&&, Responder res) {
  res.send(text(200, "ok"));
}

void expect_served(uint16_t port) {
  RawClient other(port);
  ASSERT_TRUE(other.send(get("/")));
  auto r = other.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST(HttpLimits, TooManyHeaderFieldsGet431AndClose) {
  ServerOptions o;
  o.max_header_fields = 8;
  TestServer s(o, ok);
  RawClient c(s.port());
  std::string req = "GET / HTTP/1.1\r\n";
  for (int i = 0; i < 9; ++i) req.append("X-").append(std::to_string(i)).append(": v\r\n");
  ASSERT_TRUE(c.send(req + "\r\n"));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 431);
  EXPECT_EQ(r->header("connection"), "close");
  EXPECT_TRUE(c.closed_by_peer());
  expect_served(s.port());
}

TEST(HttpLimits, HeadersTricklingInGet408AfterTheReadTimeout) {
  ServerOptions o;
  o.request_read_timeout_seconds = 1;
  o.idle_timeout_seconds = 60;
  TestServer s(o, ok);
  RawClient slow(s.port(), 5000);
  auto t0 = Clock::now();
  // One header byte every 200 ms: never idle, never complete.
  std::string head = "GET / HTTP/1.1\r\nX-Slow: abcdefghijklmnopqrstuvwxyz";
  bool answered = false;
  for (char ch : head) {
    if (!slow.send(std::string(1, ch))) break;
    if (!slow.quiet_for(ch == 'G' ? 0 : 200)) {
      answered = true;
      break;
    }
  }
  ASSERT_TRUE(answered) << "the server waited for the whole trickle";
  auto r = slow.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 408);
  EXPECT_EQ(r->header("connection"), "close");
  auto waited = Clock::now() - t0;
  EXPECT_GE(waited, std::chrono::milliseconds(900));
  EXPECT_LT(waited, std::chrono::milliseconds(4000));
  EXPECT_EQ(s.call([&] { return s.server().stats().request_timeouts; }), 1u);
  expect_served(s.port());
}

TEST(HttpLimits, ABodyTricklingInGets408AndEarlierRequestsAreStillAnswered) {
  ServerOptions o;
  o.request_read_timeout_seconds = 1;
  TestServer s(o, ok);
  RawClient slow(s.port(), 5000);
  ASSERT_TRUE(slow.send(get("/") + "POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\nab"));
  auto first = slow.read_response();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 200);
  auto r = slow.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 408);
  EXPECT_TRUE(slow.closed_by_peer());
}

TEST(HttpLimits, AnIdleKeepAliveConnectionIsNotTimedOutAsAReadTimeout) {
  ServerOptions o;
  o.request_read_timeout_seconds = 1;
  o.idle_timeout_seconds = 60;
  TestServer s(o, ok);
  RawClient c(s.port());
  ASSERT_TRUE(c.send(get("/")));
  ASSERT_TRUE(c.read_response());
  EXPECT_TRUE(c.quiet_for(1800));  // between requests: no 408, no close
  ASSERT_TRUE(c.send(get("/")));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST(HttpLimits, ConnectionsOverTheLimitGet503AndTheOthersAreServed) {
  ServerOptions o;
  o.max_connections = 2;
  TestServer s(o, ok);
  RawClient a(s.port());
  RawClient b(s.port());
  ASSERT_TRUE(a.send(get("/")));
  ASSERT_TRUE(a.read_response());
  ASSERT_TRUE(b.send(get("/")));
  ASSERT_TRUE(b.read_response());
  {
    RawClient third(s.port());
    ASSERT_TRUE(third.connected());
    third.send(get("/"));
    auto r = third.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 503);
    EXPECT_EQ(r->header("connection"), "close");
    EXPECT_TRUE(third.closed_by_peer());
  }
  EXPECT_EQ(s.call([&] { return s.server().stats().connections_refused; }), 1u);
  ASSERT_TRUE(a.send(get("/")));
  auto again = a.read_response();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200);
  // Once the refused connection has gone, a new one fits again.
  for (int i = 0; i < 50 && s.call([&] { return s.server().open_connections(); }) > 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  b.shutdown_write();
  ASSERT_TRUE(b.closed_by_peer());
  for (int i = 0; i < 50 && s.call([&] { return s.server().open_connections(); }) > 1; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  expect_served(s.port());
}

}  // namespace
}  // namespace sluice::http::testing
