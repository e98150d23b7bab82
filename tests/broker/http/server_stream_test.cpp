// Streamed responses (Responder::stream, StreamWriter): the head without Content-Length, writes
// in order, the end of the stream closing the connection, the peer leaving, the drain, and a
// stream refused behind a pipelined request.
#include <gtest/gtest.h>

#include "tests/broker/http/http_test_support.h"

namespace sluice::http::testing {
namespace {

Response stream_head() {
  Response r;
  r.content_type = "text/event-stream";
  r.body = "first\n";
  return r;
}

// Reads until `want` bytes of body arrived after the head (already parsed away).
bool read_until(RawClient& c, const std::string& want) {
  std::string got;
  while (c.buffered().find(want) == std::string::npos) {
    if (!c.read_exact(c.buffered().size() + 1, got)) return false;
    c.buffered().insert(0, got);
  }
  return true;
}

// A server whose every request opens a stream (the newest one's writer is `writer`).
struct StreamingServer {
  explicit StreamingServer(ServerOptions options = {})
      : s(options, [this](Request&&, Responder res) {
          writer = std::make_shared<StreamWriter>(res.stream(stream_head()));
        }) {}

  // A client that asked for a stream and read its head (checked by `head` if given).
  std::unique_ptr<RawClient> open(std::optional<ParsedResponse>* head = nullptr) {
    auto c = std::make_unique<RawClient>(s.port());
    EXPECT_TRUE(c->send(get("/events")));
    auto r = c->read_response();
    EXPECT_TRUE(r);
    if (head != nullptr) *head = std::move(r);
    return c;
  }

  std::shared_ptr<StreamWriter> writer;
  TestServer s;  // declared last: stopped first
};

TEST(HttpStream, HeadThenWritesInOrderThenClose) {
  StreamingServer server;
  std::optional<ParsedResponse> r;
  auto c = server.open(&r);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->header("content-type"), "text/event-stream");
  EXPECT_FALSE(r->header("content-length"));
  EXPECT_EQ(r->header("connection"), "close");
  ASSERT_TRUE(read_until(*c, "first\n"));
  auto& w = server.writer;
  EXPECT_TRUE(server.s.call([&] { return w->alive() && w->send("second\n"); }));
  EXPECT_TRUE(server.s.call([&] { return w->send("third\n"); }));
  ASSERT_TRUE(read_until(*c, "first\nsecond\nthird\n"));
  c->buffered().clear();
  server.s.call([&] { w.reset(); });  // ends the stream
  EXPECT_TRUE(c->closed_by_peer());
}

TEST(HttpStream, PeerLeavingEndsTheStream) {
  StreamingServer server;
  server.open().reset();  // the client closes its socket
  auto& w = server.writer;
  bool alive = true;
  for (int i = 0; i < 100 && alive; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    alive = server.s.call([&] { return w->alive(); });
  }
  EXPECT_FALSE(alive);
  EXPECT_FALSE(server.s.call([&] { return w->send("late\n"); }));
  server.s.call([&] { w.reset(); });
}

TEST(HttpStream, IdleTimeoutDoesNotCloseAnOpenStream) {
  ServerOptions o;
  o.idle_timeout_seconds = 1;
  StreamingServer server(o);
  auto c = server.open();
  std::this_thread::sleep_for(std::chrono::milliseconds(1600));
  auto& w = server.writer;
  EXPECT_TRUE(server.s.call([&] { return w->send("still here\n"); }));
  ASSERT_TRUE(read_until(*c, "still here\n"));
  server.s.call([&] { w.reset(); });
}

TEST(HttpStream, DrainEndsOpenStreams) {
  StreamingServer server;
  auto c = server.open();
  ASSERT_TRUE(read_until(*c, "first\n"));
  c->buffered().clear();
  server.s.stop();  // returns once every connection is closed
  EXPECT_TRUE(server.s.drained_);
  EXPECT_TRUE(c->closed_by_peer());
  EXPECT_FALSE(server.writer->alive());
  server.writer.reset();  // after the server: only the connection's memory is left to free
}

TEST(HttpStream, AStreamBehindAnAnswerWaitsForIt) {
  // A request answered later, then a stream pipelined behind it: both leave in order.
  std::shared_ptr<Responder> first;
  std::shared_ptr<StreamWriter> writer;
  TestServer s({}, [&](Request&& req, Responder res) {
    if (req.target == "/slow") {
      first = std::make_shared<Responder>(std::move(res));
    } else {
      writer = std::make_shared<StreamWriter>(res.stream(stream_head()));
    }
  });
  RawClient c(s.port());
  ASSERT_TRUE(c.send(get("/slow") + get("/events")));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  s.call([&] { first->send(text(200, "slow")); });
  auto r1 = c.read_response();
  ASSERT_TRUE(r1);
  EXPECT_EQ(r1->body, "slow");
  auto r2 = c.read_response();
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2->header("content-type"), "text/event-stream");
  ASSERT_TRUE(read_until(c, "first\n"));
  s.call([&] { writer.reset(); });
}

TEST(HttpStream, AStreamWithARequestPipelinedBehindIsRefused) {
  std::vector<std::shared_ptr<Responder>> held;
  std::shared_ptr<StreamWriter> writer;
  TestServer s({}, [&](Request&&, Responder res) {
    held.push_back(std::make_shared<Responder>(std::move(res)));
  });
  RawClient c(s.port());
  ASSERT_TRUE(c.send(get("/events") + get("/other")));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_EQ(s.call([&] { return held.size(); }), 2u);
  s.call([&] {
    writer = std::make_shared<StreamWriter>(held[0]->stream(stream_head()));
    held[1]->send(text(200, "other"));
  });
  auto r1 = c.read_response();
  ASSERT_TRUE(r1);
  EXPECT_EQ(r1->status, 409);
  auto r2 = c.read_response();
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2->body, "other");
  EXPECT_FALSE(s.call([&] { return writer->alive(); }));
  s.call([&] {
    writer.reset();
    held.clear();
  });
}

}  // namespace
}  // namespace sluice::http::testing
