// Pipelining: responses leave in request order whatever order the handler answers in, and a
// client that pipelines more than the server queues is paused, not dropped.
#include <gtest/gtest.h>

#include "tests/broker/http/http_test_support.h"

namespace sluice::http::testing {
namespace {

TEST(HttpPipelining, OutOfOrderAnswersAreSentInRequestOrder) {
  std::vector<std::pair<std::string, Responder>> held;  // loop thread only
  TestServer s({}, [&](Request&& req, Responder res) {
    held.emplace_back(std::string(req.path()), std::move(res));
    if (held.size() == 4) {
      // Answer last-to-first, spread over time, so each answer finds earlier ones missing.
      for (size_t i = 0; i < held.size(); ++i) {
        size_t k = held.size() - 1 - i;
        auto r = std::make_shared<Responder>(std::move(held[k].second));
        std::string body = "answer" + held[k].first;
        s.after(20 * i, [r, body] { r->send(text(200, body)); });
      }
      held.clear();
    }
  });
  RawClient c(s.port());
  ASSERT_TRUE(c.send(get("/1") + get("/2") + post("/3", "three") + get("/4")));
  for (int i = 1; i <= 4; ++i) {
    auto r = c.read_response();
    ASSERT_TRUE(r) << i;
    EXPECT_EQ(r->body, "answer/" + std::to_string(i));
  }
  EXPECT_TRUE(c.quiet_for(100));
}

TEST(HttpPipelining, RequestsSplitAcrossWritesAtEveryByte) {
  TestServer s({}, [](Request&& req, Responder res) {
    res.send(text(200, std::string(req.path()) + ":" + req.body));
  });
  std::string stream =
      get("/a", "X-Long: " + std::string(300, 'v') + "\r\n") + post("/b", "hello") +
      "POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
  RawClient c(s.port());
  for (char ch : stream) ASSERT_TRUE(c.send(std::string_view(&ch, 1)));
  const char* want[] = {"/a:", "/b:hello", "/c:abc"};
  for (const char* w : want) {
    auto r = c.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->body, w);
  }
}

TEST(HttpPipelining, ThousandsOfPipelinedRequestsAreAllAnsweredInOrder) {
  TestServer s({},
               [](Request&& req, Responder res) { res.send(text(200, std::string(req.query()))); });
  constexpr int kN = 3000;  // far above the per-connection queue limit
  std::string burst;
  for (int i = 0; i < kN; ++i) burst += get("/?" + std::to_string(i));
  RawClient c(s.port());
  // Write from another thread: the server may stop reading until we read responses.
  std::thread writer([&] { c.send(burst); });
  for (int i = 0; i < kN; ++i) {
    auto r = c.read_response();
    ASSERT_TRUE(r) << i;
    ASSERT_EQ(r->body, std::to_string(i));
  }
  writer.join();
}

TEST(HttpPipelining, AsyncAnswersAcrossABackpressurePause) {
  // Every answer is deferred, so the queue fills with unanswered requests and reading pauses.
  TestServer s({}, [&s](Request&& req, Responder res) {
    auto r = std::make_shared<Responder>(std::move(res));
    std::string q(req.query());
    s.after(1, [r, q] { r->send(text(200, q)); });
  });
  constexpr int kN = 500;
  std::string burst;
  for (int i = 0; i < kN; ++i) burst += get("/?" + std::to_string(i));
  RawClient c(s.port());
  std::thread writer([&] { c.send(burst); });
  for (int i = 0; i < kN; ++i) {
    auto r = c.read_response();
    ASSERT_TRUE(r) << i;
    ASSERT_EQ(r->body, std::to_string(i));
  }
  writer.join();
}

}  // namespace
}  // namespace sluice::http::testing
