// Connection lifecycle: idle timeout, many connections, late or forgotten answers, and the
// shutdown drain.
#include <gtest/gtest.h>

#include "tests/broker/http/http_test_support.h"

namespace sluice::http::testing {
namespace {

using Clock = std::chrono::steady_clock;

ServerOptions idle(uint32_t seconds) {
  ServerOptions o;
  o.idle_timeout_seconds = seconds;
  return o;
}

TEST(HttpLifecycle, IdleConnectionIsClosedAfterTheTimeout) {
  TestServer s(idle(1), [](Request&&, Responder res) { res.send(text(200, "ok")); });
  RawClient c(s.port());
  ASSERT_TRUE(c.send(get("/")));
  ASSERT_TRUE(c.read_response());
  auto t0 = Clock::now();
  EXPECT_TRUE(c.closed_by_peer(3000));
  auto waited = Clock::now() - t0;
  EXPECT_GE(waited, std::chrono::milliseconds(800));
  EXPECT_EQ(s.call([&] { return s.server().stats().idle_timeouts; }), 1u);
}

TEST(HttpLifecycle, ActivityResetsTheIdleTimer) {
  TestServer s(idle(1), [](Request&&, Responder res) { res.send(text(200, "ok")); });
  RawClient c(s.port());
  for (int i = 0; i < 4; ++i) {  // 4 x 400 ms > 1 s of connection age
    ASSERT_TRUE(c.send(get("/")));
    ASSERT_TRUE(c.read_response()) << i;
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
  }
}

TEST(HttpLifecycle, RequestInFlightIsNotIdle) {
  TestServer s(idle(1), [&s](Request&&, Responder res) {
    auto r = std::make_shared<Responder>(std::move(res));
    s.after(2200, [r] { r->send(text(200, "slow")); });
  });
  RawClient c(s.port());
  ASSERT_TRUE(c.send(get("/")));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "slow");
}

TEST(HttpLifecycle, ManyConnectionsAtOnce) {
  TestServer s({}, [](Request&& req, Responder res) { res.send(text(200, req.target)); });
  constexpr int kConns = 300;
  std::vector<std::unique_ptr<RawClient>> clients;
  for (int i = 0; i < kConns; ++i) {
    clients.push_back(std::make_unique<RawClient>(s.port()));
    ASSERT_TRUE(clients.back()->connected()) << i;
  }
  for (int i = 0; i < kConns; ++i) ASSERT_TRUE(clients[i]->send(get("/" + std::to_string(i))));
  for (int i = 0; i < kConns; ++i) {
    auto r = clients[i]->read_response();
    ASSERT_TRUE(r) << i;
    EXPECT_EQ(r->body, "/" + std::to_string(i));
  }
  EXPECT_EQ(s.call([&] { return s.server().open_connections(); }), size_t{kConns});
  clients.clear();
  for (int i = 0; i < 100 && s.call([&] { return s.server().open_connections(); }) != 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(s.call([&] { return s.server().open_connections(); }), 0u);
}

TEST(HttpLifecycle, DroppedResponderAnswers500) {
  TestServer s({}, [](Request&&, Responder) {});
  RawClient c(s.port());
  ASSERT_TRUE(c.send(get("/") + get("/")));
  for (int i = 0; i < 2; ++i) {
    auto r = c.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 500);
  }
}

TEST(HttpLifecycle, SendAfterThePeerLeftIsANoOp) {
  std::shared_ptr<Responder> held;
  TestServer s(
      {}, [&](Request&&, Responder res) { held = std::make_shared<Responder>(std::move(res)); });
  {
    RawClient c(s.port());
    ASSERT_TRUE(c.send(get("/")));
    for (int i = 0; i < 100 && !s.call([&] { return held != nullptr; }); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    EXPECT_TRUE(s.call([&] { return held->alive(); }));
  }  // client closes with the request unanswered
  bool alive = true;
  for (int i = 0; i < 200 && alive; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    alive = s.call([&] { return held->alive(); });
  }
  EXPECT_FALSE(alive);
  s.call([&] {
    held->send(text(200, "nobody listens"));
    held.reset();
  });
  EXPECT_EQ(s.call([&] { return s.server().open_connections(); }), 0u);
}

TEST(HttpLifecycle, ShutdownDrainsInFlightRequestBeforeOnDrained) {
  std::shared_ptr<Responder> held;
  TestServer s(
      {}, [&](Request&&, Responder res) { held = std::make_shared<Responder>(std::move(res)); });
  RawClient busy(s.port());
  RawClient idle_client(s.port());
  ASSERT_TRUE(idle_client.send(get("/warm")));
  for (int i = 0; i < 100 && !s.call([&] { return held != nullptr; }); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  s.call([&] {
    held->send(text(200, "warm"));
    held.reset();
  });
  ASSERT_TRUE(idle_client.read_response());

  ASSERT_TRUE(busy.send(get("/slow")));
  for (int i = 0; i < 100 && !s.call([&] { return held != nullptr; }); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  std::atomic<bool> drained{false};
  std::atomic<bool> answered_before_drained{false};
  s.call([&] {
    s.server().shutdown([&] { drained = true; });
    s.after(300, [&] {
      answered_before_drained = !drained;
      held->send(text(200, "finished"));
      held.reset();
    });
  });
  // The idle connection closes at once, the busy one gets its answer, then closes.
  EXPECT_TRUE(idle_client.closed_by_peer(1000));
  EXPECT_FALSE(drained.load());
  auto r = busy.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "finished");
  EXPECT_EQ(r->header("connection"), "close");
  EXPECT_TRUE(busy.closed_by_peer());
  for (int i = 0; i < 200 && !drained; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_TRUE(drained.load());
  EXPECT_TRUE(answered_before_drained.load());
  // No longer accepting.
  RawClient late(s.port(), 500);
  EXPECT_FALSE(late.connected() && late.send(get("/")) && late.read_response());
}

TEST(HttpLifecycle, ShutdownWithNothingOpenDrainsPromptly) {
  TestServer s({}, [](Request&&, Responder res) { res.send(text(200, "ok")); });
  std::atomic<bool> drained{false};
  s.call([&] { s.server().shutdown([&] { drained = true; }); });
  for (int i = 0; i < 200 && !drained; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_TRUE(drained.load());
}

TEST(HttpLifecycle, DestroyingTheServerWithOpenConnectionsIsSafe) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  std::shared_ptr<Responder> held;
  auto server = std::make_unique<Server>(&loop, ServerOptions{}, [&](Request&&, Responder res) {
    held = std::make_shared<Responder>(std::move(res));
  });
  ASSERT_TRUE(server->listen("127.0.0.1", 0).ok());
  RawClient c(server->port());
  ASSERT_TRUE(c.send(get("/")));
  while (!held) uv_run(&loop, UV_RUN_ONCE);
  server.reset();
  uv_run(&loop, UV_RUN_NOWAIT);
  EXPECT_FALSE(held->alive());
  held->send(text(200, "late"));  // no-op, no crash
  held.reset();
  uv_run(&loop, UV_RUN_DEFAULT);
  EXPECT_EQ(uv_loop_close(&loop), 0);
  EXPECT_TRUE(c.closed_by_peer());
}

}  // namespace
}  // namespace sluice::http::testing
