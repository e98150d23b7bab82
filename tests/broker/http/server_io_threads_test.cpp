// The threaded server (ServerOptions::io_threads = 1..4): connections on I/O threads, the handler
// and every Responder on the owner's loop. Ordering of pipelined answers given out of order, a
// peer leaving while its request is on the owner, streams, the drain across loops, the 503 over
// max_connections counted over every loop, many clients at once, and answers that outlive the
// Server. Run under ThreadSanitizer by tools/test (tsan).
#include <gtest/gtest.h>

#include "tests/broker/http/http_test_support.h"

namespace sluice::http::testing {
namespace {

class IoThreads : public ::testing::TestWithParam<size_t> {
 protected:
  ServerOptions options() const {
    ServerOptions o;
    o.io_threads = GetParam();
    return o;
  }
};

// Responders held by the owner until the test answers them.
struct Held {
  std::vector<std::pair<std::string, Responder>> list;  // owner loop only
  size_t size(TestServer& s) {
    return s.call([&] { return list.size(); });
  }
  void wait_for(TestServer& s, size_t n) {
    for (int i = 0; i < 400 && size(s) < n; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ASSERT_EQ(size(s), n);
  }
};

TEST_P(IoThreads, PipelinedAnswersGivenInReverseLeaveInRequestOrder) {
  Held held;
  TestServer s(options(), [&](Request&& req, Responder res) {
    held.list.emplace_back(std::string(req.path()), std::move(res));
  });
  RawClient c(s.port());
  std::string batch;
  for (int i = 0; i < 8; ++i) batch += get("/" + std::to_string(i));
  ASSERT_TRUE(c.send(batch));
  held.wait_for(s, 8);
  s.call([&] {
    for (size_t i = held.list.size(); i-- > 0;) {
      held.list[i].second.send(text(200, held.list[i].first));
    }
  });
  for (int i = 0; i < 8; ++i) {
    auto r = c.read_response();
    ASSERT_TRUE(r) << i;
    EXPECT_EQ(r->body, "/" + std::to_string(i));
  }
  s.call([&] { held.list.clear(); });
}

TEST_P(IoThreads, APeerLeavingWhileItsRequestIsOnTheOwnerMakesTheResponderDead) {
  Held held;
  TestServer s(options(), [&](Request&& req, Responder res) {
    held.list.emplace_back(std::string(req.path()), std::move(res));
  });
  {
    RawClient c(s.port());
    ASSERT_TRUE(c.send(get("/gone")));
    held.wait_for(s, 1);
    EXPECT_TRUE(s.call([&] { return held.list[0].second.alive(); }));
  }  // closed
  bool dead = false;
  for (int i = 0; i < 400 && !dead; ++i) {
    dead = !s.call([&] { return held.list[0].second.alive(); });
    if (!dead) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_TRUE(dead);
  s.call([&] {
    held.list[0].second.send(text(200, "late"));  // no-op
    held.list.clear();
  });
  // The server still serves.
  s.call([&] {});
  RawClient d(s.port());
  ASSERT_TRUE(d.send(get("/next")));
  held.wait_for(s, 1);
  s.call([&] { held.list[0].second.send(text(200, "next")); });
  auto r = d.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "next");
  s.call([&] { held.list.clear(); });
}

TEST_P(IoThreads, AForgottenResponderAnswers500) {
  TestServer s(options(), [](Request&&, Responder) {});
  RawClient c(s.port());
  ASSERT_TRUE(c.send(get("/")));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);
}

TEST_P(IoThreads, AStreamCarriesItsChunksAndSeesThePeerLeave) {
  std::shared_ptr<StreamWriter> writer;
  TestServer s(options(), [&](Request&&, Responder res) {
    Response head;
    head.content_type = "text/event-stream";
    head.body = "first\n";
    writer = std::make_shared<StreamWriter>(res.stream(std::move(head)));
  });
  {
    RawClient c(s.port());
    ASSERT_TRUE(c.send(get("/events")));
    auto r = c.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_FALSE(r->header("content-length"));
    EXPECT_TRUE(s.call([&] { return writer->alive() && writer->send("second\n"); }));
    std::string got;
    ASSERT_TRUE(c.read_exact(std::string("first\nsecond\n").size(), got));
    EXPECT_EQ(got, "first\nsecond\n");
  }  // the reader leaves
  bool dead = false;
  for (int i = 0; i < 400 && !dead; ++i) {
    dead = !s.call([&] { return writer->alive(); });
    if (!dead) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_TRUE(dead);
  EXPECT_FALSE(s.call([&] { return writer->send("nobody\n"); }));
  s.call([&] { writer.reset(); });
}

TEST_P(IoThreads, EndingAStreamClosesTheConnection) {
  std::shared_ptr<StreamWriter> writer;
  TestServer s(options(), [&](Request&&, Responder res) {
    writer = std::make_shared<StreamWriter>(res.stream(text(200, "a\n")));
  });
  RawClient c(s.port());
  ASSERT_TRUE(c.send(get("/events")));
  ASSERT_TRUE(c.read_response());
  s.call([&] {
    writer->send("b\n");
    writer.reset();
  });
  std::string got;
  ASSERT_TRUE(c.read_exact(4, got));
  EXPECT_EQ(got, "a\nb\n");
  EXPECT_TRUE(c.closed_by_peer());
}

TEST_P(IoThreads, ShutdownAnswersWhatIsInFlightOnEveryLoopThenDrainsOnce) {
  Held held;
  TestServer s(options(), [&](Request&& req, Responder res) {
    held.list.emplace_back(std::string(req.path()), std::move(res));
  });
  const size_t n = GetParam() * 2;  // round robin: every loop has some
  std::vector<std::unique_ptr<RawClient>> clients;
  for (size_t i = 0; i < n; ++i) {
    clients.push_back(std::make_unique<RawClient>(s.port()));
    ASSERT_TRUE(clients.back()->send(get("/" + std::to_string(i))));
  }
  held.wait_for(s, n);
  int drained = 0;
  s.call([&] { s.server().shutdown([&] { ++drained; }); });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(s.call([&] { return drained; }), 0);  // answers still owed
  s.call([&] {
    for (auto& [path, res] : held.list) res.send(text(200, path));
  });
  for (size_t i = 0; i < n; ++i) {
    auto r = clients[i]->read_response();
    ASSERT_TRUE(r) << i;
    EXPECT_EQ(r->body, "/" + std::to_string(i));
    EXPECT_EQ(r->header("connection"), "close");
    EXPECT_TRUE(clients[i]->closed_by_peer());
  }
  for (int i = 0; i < 400 && s.call([&] { return drained; }) == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(s.call([&] { return drained; }), 1);
  s.call([&] { held.list.clear(); });
}

TEST_P(IoThreads, ConnectionsOverTheLimitOfAllLoopsGet503) {
  ServerOptions o = options();
  o.max_connections = 2;
  TestServer s(o, [](Request&&, Responder res) { res.send(text(200, "ok")); });
  // Round robin puts these on different loops (N >= 2): the limit is over all of them.
  std::vector<std::unique_ptr<RawClient>> served;
  for (int i = 0; i < 2; ++i) {
    served.push_back(std::make_unique<RawClient>(s.port()));
    ASSERT_TRUE(served.back()->send(get("/")));
    ASSERT_TRUE(served.back()->read_response()) << i;
  }
  RawClient third(s.port());
  third.send(get("/"));
  auto r = third.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);
  EXPECT_TRUE(third.closed_by_peer());
  EXPECT_EQ(s.call([&] { return s.server().stats().connections_refused; }), 1u);
  EXPECT_EQ(s.call([&] { return s.server().stats().connections_accepted; }), 3u);
}

TEST_P(IoThreads, ManyClientsPipeliningAtOnceAreAllAnsweredInOrder) {
  TestServer s(options(),
               [](Request&& req, Responder res) { res.send(text(200, std::string(req.path()))); });
  constexpr int kClients = 8;
  constexpr int kRounds = 50;
  constexpr int kDepth = 4;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kClients; ++t) {
    threads.emplace_back([&, t] {
      RawClient c(s.port());
      for (int round = 0; round < kRounds; ++round) {
        std::string batch;
        for (int k = 0; k < kDepth; ++k) {
          batch += get("/" + std::to_string(t) + "/" + std::to_string(round * kDepth + k));
        }
        if (!c.send(batch)) return;
        for (int k = 0; k < kDepth; ++k) {
          auto r = c.read_response();
          if (!r || r->body != "/" + std::to_string(t) + "/" + std::to_string(round * kDepth + k)) {
            return;
          }
          ok.fetch_add(1);
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), kClients * kRounds * kDepth);
  EXPECT_EQ(s.call([&] { return s.server().stats().requests; }),
            uint64_t{kClients * kRounds * kDepth});
}

TEST_P(IoThreads, AnswersThatOutliveTheServerAreSafe) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  std::shared_ptr<Responder> held;
  std::shared_ptr<StreamWriter> writer;
  auto server = std::make_unique<Server>(&loop, options(), [&](Request&& req, Responder res) {
    if (req.path() == "/stream") {
      writer = std::make_shared<StreamWriter>(res.stream(text(200, "a\n")));
    } else {
      held = std::make_shared<Responder>(std::move(res));
    }
  });
  ASSERT_TRUE(server->listen("127.0.0.1", 0).ok());
  RawClient c(server->port());
  RawClient d(server->port());
  ASSERT_TRUE(c.send(get("/")));
  ASSERT_TRUE(d.send(get("/stream")));
  while (!held || !writer) uv_run(&loop, UV_RUN_ONCE);
  server.reset();  // ends the I/O threads with the answer still owed
  uv_run(&loop, UV_RUN_NOWAIT);
  EXPECT_FALSE(held->alive());
  held->send(text(200, "late"));  // no-op, no crash
  held.reset();
  EXPECT_FALSE(writer->alive());
  EXPECT_FALSE(writer->send("late\n"));
  writer.reset();
  uv_run(&loop, UV_RUN_DEFAULT);
  EXPECT_EQ(uv_loop_close(&loop), 0);
  EXPECT_TRUE(c.closed_by_peer());
}

INSTANTIATE_TEST_SUITE_P(HttpServer, IoThreads, ::testing::Values(1, 2, 3, 4),
                         [](const ::testing::TestParamInfo<size_t>& p) {
                           return std::to_string(p.param) + "_threads";
                         });

}  // namespace
}  // namespace sluice::http::testing
