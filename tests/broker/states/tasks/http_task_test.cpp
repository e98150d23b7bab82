// The HTTP Task (arn:aws:states:::http:invoke) against a local HTTP server on the same loop, and
// the outbound HttpClient underneath it.
#include <gtest/gtest.h>

#include "broker/states/tasks/http_invoke_task.h"
#include "tests/broker/states/tasks/task_fixture.h"

namespace sluice::states::tasks::testing {
namespace {

class HttpTaskTest : public TaskFixture {
 protected:
  void configure(StatesServices&, TaskRouterOptions& options) override {
    options.http_timeout_ms = 500;
  }

  // A server that records each request and answers with `respond`.
  uint16_t serve_with(std::function<http::Response(const http::Request&)> respond) {
    return serve([this, respond](http::Request&& req, http::Responder res) {
      seen_.push_back(req);
      res.send(respond(seen_.back()));
    });
  }
  static http::Response json_response(int status, std::string body) {
    http::Response r;
    r.status = status;
    r.content_type = "application/json";
    r.body = std::move(body);
    r.headers.push_back({"X-Trace", "t1"});
    return r;
  }
  static std::string invoke(const std::string& parameters, const std::string& extra = "") {
    return R"({"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:states:::http:invoke","Parameters":)" +
           parameters + extra + R"(,"End":true}}})";
  }
  std::string base(uint16_t port) { return "http://127.0.0.1:" + std::to_string(port); }

  std::vector<http::Request> seen_;
};

TEST_F(HttpTaskTest, GetWithQueryParametersAndHeaders) {
  uint16_t port = serve_with(
      [](const http::Request&) { return json_response(200, R"({"customers":[{"id":1}]})"); });
  auto ex = start(invoke(R"({"ApiEndpoint":")" + base(port) + R"(/v1/customers?limit=2",
      "Method":"GET","Authentication":{"ConnectionArn":"arn:aws:events:us-east-1:000000000000:connection/x/y"},
      "Headers":{"X-Api":"k 1","Accept":"application/json"},"QueryParameters":{"q":"a b&c","n":3}})"));
  ASSERT_TRUE(wait_finished(ex));
  ASSERT_EQ(ex->status(), executor::ExecutionStatus::kSucceeded)
      << ex->outcome().cause.value_or("");
  ASSERT_EQ(seen_.size(), 1u);
  EXPECT_EQ(seen_[0].method, "GET");
  EXPECT_EQ(seen_[0].target, "/v1/customers?limit=2&q=a%20b%26c&n=3");
  EXPECT_EQ(*seen_[0].header("x-api"), "k 1");
  EXPECT_EQ(*seen_[0].header("user-agent"), "Amazon|StepFunctions|HttpInvoke|us-east-1");
  EXPECT_FALSE(seen_[0].header("authorization"));  // the connection is not used
  json::Value out = output_value(*ex);
  EXPECT_EQ(member(out, "StatusCode")->as_int(), 200);
  EXPECT_EQ(str(out, "StatusText"), "OK");
  EXPECT_EQ(engine::json::serialize(*member(out, "ResponseBody")), R"({"customers":[{"id":1}]})");
  EXPECT_EQ(engine::json::serialize(*member(*member(out, "Headers"), "X-Trace")), R"(["t1"])");
  EXPECT_EQ(detail(event(*ex, "TaskScheduled"), "resourceType"), "http");
  EXPECT_EQ(detail(event(*ex, "TaskScheduled"), "resource"), "invoke");
}

TEST_F(HttpTaskTest, PostsJsonBodies) {
  uint16_t port = serve_with([](const http::Request&) {
    http::Response r;
    r.status = 201;
    r.content_type = "text/plain";
    r.body = "created";
    return r;
  });
  auto ex = start(invoke(R"({"ApiEndpoint":")" + base(port) +
                         R"(/items","Method":"POST","RequestBody":{"name.$":"$.name","n":[1,2]}})"),
                  R"({"name":"x"})");
  ASSERT_TRUE(wait_finished(ex));
  ASSERT_EQ(ex->status(), executor::ExecutionStatus::kSucceeded)
      << ex->outcome().cause.value_or("");
  ASSERT_EQ(seen_.size(), 1u);
  EXPECT_EQ(seen_[0].body, R"({"name":"x","n":[1,2]})");
  EXPECT_EQ(*seen_[0].header("content-type"), "application/json; charset=UTF-8");
  json::Value out = output_value(*ex);
  EXPECT_EQ(member(out, "StatusCode")->as_int(), 201);
  EXPECT_EQ(str(out, "ResponseBody"), "created");  // not JSON: kept as text
}

TEST_F(HttpTaskTest, UrlEncodedBodiesFollowTheArrayFormat) {
  uint16_t port = serve_with([](const http::Request&) { return json_response(200, "{}"); });
  auto ex = start(invoke(R"({"ApiEndpoint":")" + base(port) + R"(/form","Method":"PUT",
      "RequestBody":{"a":"x y","list":["p","q"],"obj":{"k":true}},
      "Transform":{"RequestBodyEncoding":"URL_ENCODED","RequestEncodingOptions":{"ArrayFormat":"BRACKETS"}}})"));
  ASSERT_TRUE(wait_finished(ex));
  ASSERT_EQ(ex->status(), executor::ExecutionStatus::kSucceeded)
      << ex->outcome().cause.value_or("");
  ASSERT_EQ(seen_.size(), 1u);
  EXPECT_EQ(seen_[0].body, "a=x%20y&list%5B%5D=p&list%5B%5D=q&obj%5Bk%5D=true");
  EXPECT_EQ(*seen_[0].header("content-type"), "application/x-www-form-urlencoded");
}

TEST_F(HttpTaskTest, UrlEncodingFormats) {
  json::Value body = parse(R"({"a":["x","y"],"b":1})");
  EXPECT_EQ(url_encode_body(body, "INDICES"), "a%5B0%5D=x&a%5B1%5D=y&b=1");
  EXPECT_EQ(url_encode_body(body, "REPEAT"), "a=x&a=y&b=1");
  EXPECT_EQ(url_encode_body(body, "COMMAS"), "a=x%2Cy&b=1");
  EXPECT_EQ(url_encode_body(body, "BRACKETS"), "a%5B%5D=x&a%5B%5D=y&b=1");
  EXPECT_EQ(percent_encode("aZ09-_.~ é/"), "aZ09-_.~%20%C3%A9%2F");
}

TEST_F(HttpTaskTest, AStatusOutside2xxIsAStatesHttpError) {
  uint16_t port = serve_with(
      [](const http::Request&) { return json_response(404, R"({"message":"no such customer"})"); });
  auto ex = start(
      R"({"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:states:::http:invoke",
      "Parameters":{"ApiEndpoint":")" +
      base(port) + R"(/c/9","Method":"GET"},
      "Catch":[{"ErrorEquals":["States.Http.StatusCode.404"],"Next":"Missing"}],"End":true},
      "Missing":{"Type":"Pass","End":true}}})");
  ASSERT_TRUE(wait_finished(ex));
  ASSERT_EQ(ex->status(), executor::ExecutionStatus::kSucceeded);
  json::Value out = output_value(*ex);
  EXPECT_EQ(str(out, "Error"), "States.Http.StatusCode.404");
  json::Value cause = parse(str(out, "Cause"));
  EXPECT_EQ(member(cause, "StatusCode")->as_int(), 404);
  EXPECT_EQ(str(*member(cause, "ResponseBody"), "message"), "no such customer");
}

TEST_F(HttpTaskTest, UnreachableEndpointsFailWithStatesHttpSocket) {
  auto ex = start(invoke(R"({"ApiEndpoint":"http://127.0.0.1:)" + std::to_string(closed_port()) +
                         R"(/x","Method":"GET"})"));
  ASSERT_TRUE(wait_finished(ex));
  EXPECT_EQ(ex->outcome().error.value_or(""), "States.Http.Socket");
  EXPECT_NE(ex->outcome().cause.value_or("").find("cannot connect"), std::string::npos);

  auto dns = start(invoke(R"({"ApiEndpoint":"http://no-such-host.invalid/x","Method":"GET"})"),
                   "{}", "exec-2");
  ASSERT_TRUE(wait_finished(dns, 10000));
  EXPECT_EQ(dns->outcome().error.value_or(""), "States.Http.Socket");
  EXPECT_NE(dns->outcome().cause.value_or("").find("cannot resolve"), std::string::npos);
}

TEST_F(HttpTaskTest, ASlowServerTimesOut) {
  std::vector<http::Responder> held;
  uint16_t port =
      serve([&](http::Request&&, http::Responder res) { held.push_back(std::move(res)); });
  auto ex = start(invoke(R"({"ApiEndpoint":")" + base(port) + R"(/slow","Method":"GET"})"));
  ASSERT_TRUE(wait_finished(ex));
  EXPECT_EQ(ex->outcome().error.value_or(""), "States.Http.Socket");
  EXPECT_NE(ex->outcome().cause.value_or("").find("timed out"), std::string::npos);
  EXPECT_EQ(held.size(), 1u);
  for (auto& r : held) r.send(json_response(200, "{}"));
}

TEST_F(HttpTaskTest, ACancelledTaskDropsItsRequest) {
  std::vector<http::Responder> held;
  uint16_t port =
      serve([&](http::Request&&, http::Responder res) { held.push_back(std::move(res)); });
  auto ex = start(invoke(R"({"ApiEndpoint":")" + base(port) + R"(/slow","Method":"GET"})"));
  ASSERT_TRUE(run_until([&] { return held.size() == 1; }));
  ASSERT_TRUE(ex->stop());
  EXPECT_EQ(router_->tasks_in_flight(), 0u);
  held[0].send(json_response(200, "{}"));
  run_for(20);
  EXPECT_EQ(ex->status(), executor::ExecutionStatus::kAborted);
}

TEST_F(HttpTaskTest, BadParametersAreRuntimeErrors) {
  struct Case {
    std::string params;
    std::string says;
  };
  std::vector<Case> cases = {
      {R"({"Method":"GET"})", "'ApiEndpoint' is required"},
      {R"({"ApiEndpoint":"ftp://x/","Method":"GET"})", "http:// or https://"},
      {R"({"ApiEndpoint":"http://x/","Method":"TRACE"})", "'TRACE'"},
      {R"({"ApiEndpoint":"http://x/","Method":"GET","Headers":{"Authorization":"k"}})",
       "'Authorization' is not allowed"},
      {R"({"ApiEndpoint":"http://x/","Method":"GET","Headers":{"X-Amz-Date":"k"}})",
       "'X-Amz-Date' is not allowed"},
      {R"({"ApiEndpoint":"http://x/","Method":"GET","Other":1})", "'Other'"},
  };
  int i = 0;
  for (const auto& c : cases) {
    auto ex = start(invoke(c.params), "{}", std::to_string(i++) + "-e");
    ASSERT_TRUE(wait_finished(ex)) << c.params;
    EXPECT_EQ(ex->outcome().error.value_or(""), "States.Runtime") << c.params;
    EXPECT_NE(ex->outcome().cause.value_or("").find(c.says), std::string::npos)
        << ex->outcome().cause.value_or("");
  }
}

// The client on its own: framing variants a server may use.
class HttpClientTest : public TaskFixture {
 protected:
  OutboundResult fetch(HttpClient& client, const std::string& url,
                       const std::string& method = "GET") {
    std::optional<OutboundResult> out;
    OutboundRequest req;
    req.method = method;
    req.url = *parse_outbound_url(url);
    req.timeout_ms = 2000;
    client.send(std::move(req), [&](OutboundResult r) { out = std::move(r); });
    EXPECT_TRUE(run_until([&] { return out.has_value(); }));
    return out ? std::move(*out) : OutboundResult{};
  }
  // A raw TCP server on the loop that writes `reply` and then closes.
  uint16_t raw_server(std::string reply) {
    raw_reply_ = std::move(reply);
    uv_tcp_init(&loop_, &raw_);
    raw_.data = this;
    sockaddr_in a{};
    uv_ip4_addr("127.0.0.1", 0, &a);
    uv_tcp_bind(&raw_, reinterpret_cast<sockaddr*>(&a), 0);
    uv_listen(reinterpret_cast<uv_stream_t*>(&raw_), 8, [](uv_stream_t* s, int) {
      auto* self = static_cast<HttpClientTest*>(s->data);
      auto* c = new uv_tcp_t;
      uv_tcp_init(s->loop, c);
      c->data = self;
      uv_accept(s, reinterpret_cast<uv_stream_t*>(c));
      uv_read_start(
          reinterpret_cast<uv_stream_t*>(c),
          [](uv_handle_t*, size_t, uv_buf_t* b) {
            static char buf[4096];
            *b = uv_buf_init(buf, sizeof buf);
          },
          [](uv_stream_t* st, ssize_t n, const uv_buf_t*) {
            if (n <= 0) return;
            auto* me = static_cast<HttpClientTest*>(st->data);
            uv_read_stop(st);
            auto* w = new uv_write_t;
            w->data = st;
            uv_buf_t out = uv_buf_init(me->raw_reply_.data(), me->raw_reply_.size());
            uv_write(w, st, &out, 1, [](uv_write_t* wr, int) {
              auto* stream = static_cast<uv_stream_t*>(wr->data);
              delete wr;
              uv_close(reinterpret_cast<uv_handle_t*>(stream),
                       [](uv_handle_t* h) { delete reinterpret_cast<uv_tcp_t*>(h); });
            });
          });
    });
    sockaddr_in bound{};
    int len = sizeof bound;
    uv_tcp_getsockname(&raw_, reinterpret_cast<sockaddr*>(&bound), &len);
    raw_open_ = true;
    return ntohs(bound.sin_port);
  }
  void TearDown() override {
    if (raw_open_) uv_close(reinterpret_cast<uv_handle_t*>(&raw_), nullptr);
    TaskFixture::TearDown();
  }
  uv_tcp_t raw_{};
  bool raw_open_ = false;
  std::string raw_reply_;
};

TEST_F(HttpClientTest, ReadsChunkedAndCloseDelimitedBodies) {
  HttpClient client(&loop_);
  uint16_t chunked = raw_server(
      "HTTP/1.1 200 Fine\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\nX-A: 2\r\n\r\n"
      "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
  OutboundResult r = fetch(client, "http://127.0.0.1:" + std::to_string(chunked) + "/");
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(r.response.status, 200);
  EXPECT_EQ(r.response.reason, "Fine");
  EXPECT_EQ(r.response.body, "abcde");
  ASSERT_EQ(r.response.headers.size(), 3u);
  EXPECT_EQ(*r.response.header("x-a"), "1");
  client.shutdown();
}

TEST_F(HttpClientTest, ABodyEndingWithTheConnection) {
  HttpClient client(&loop_);
  uint16_t port = raw_server("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil close");
  OutboundResult r = fetch(client, "http://127.0.0.1:" + std::to_string(port) + "/");
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(r.response.body, "until close");
}

TEST_F(HttpClientTest, AHeadResponseHasNoBody) {
  HttpClient client(&loop_);
  uint16_t port = raw_server("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n");
  OutboundResult r = fetch(client, "http://127.0.0.1:" + std::to_string(port) + "/", "HEAD");
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(r.response.body, "");
}

TEST_F(HttpClientTest, GarbageAndTruncatedResponsesAreProtocolErrors) {
  HttpClient client(&loop_);
  uint16_t port = raw_server("NOT HTTP AT ALL\r\n\r\n");
  OutboundResult r = fetch(client, "http://127.0.0.1:" + std::to_string(port) + "/");
  EXPECT_EQ(r.failure, OutboundFailure::kProtocol);
}

TEST_F(HttpClientTest, TruncatedBodiesAreProtocolErrors) {
  HttpClient client(&loop_);
  uint16_t port = raw_server("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
  OutboundResult r = fetch(client, "http://127.0.0.1:" + std::to_string(port) + "/");
  EXPECT_EQ(r.failure, OutboundFailure::kProtocol);
  EXPECT_NE(r.message.find("closed before a complete response"), std::string::npos);
}

TEST_F(HttpClientTest, HttpsToAPlainServerIsATlsError) {
  HttpClient client(&loop_);
  uint16_t port = raw_server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
  OutboundResult r = fetch(client, "https://127.0.0.1:" + std::to_string(port) + "/");
  EXPECT_EQ(r.failure, OutboundFailure::kTls) << r.message;
}

TEST_F(HttpClientTest, CancelledAndShutDownRequestsNeverCallBack) {
  HttpClient client(&loop_);
  std::vector<http::Responder> held;
  uint16_t port =
      serve([&](http::Request&&, http::Responder res) { held.push_back(std::move(res)); });
  int calls = 0;
  OutboundRequest req;
  req.url = *parse_outbound_url("http://127.0.0.1:" + std::to_string(port) + "/");
  uint64_t a = client.send(req, [&](OutboundResult) { ++calls; });
  client.send(req, [&](OutboundResult) { ++calls; });
  ASSERT_TRUE(run_until([&] { return held.size() == 2; }));
  client.cancel(a);
  EXPECT_EQ(client.in_flight(), 1u);
  client.shutdown();
  EXPECT_EQ(client.in_flight(), 0u);
  run_for(20);
  EXPECT_EQ(calls, 0);
  std::optional<OutboundResult> late;
  client.send(req, [&](OutboundResult r) { late = std::move(r); });
  ASSERT_TRUE(run_until([&] { return late.has_value(); }));
  EXPECT_EQ(late->failure, OutboundFailure::kConnect);
  for (auto& h : held) h.send(http::Response{});
}

TEST(OutboundUrlTest, SplitsUrls) {
  auto u = parse_outbound_url("https://Example.com:8443/a/b?x=1#frag");
  ASSERT_TRUE(u);
  EXPECT_TRUE(u->https);
  EXPECT_EQ(u->host, "Example.com");
  EXPECT_EQ(u->port, 8443);
  EXPECT_EQ(u->target, "/a/b?x=1");
  EXPECT_EQ(u->host_header, "Example.com:8443");
  auto v6 = parse_outbound_url("http://[::1]?q");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 80);
  EXPECT_EQ(v6->target, "/?q");
  std::string why;
  EXPECT_FALSE(parse_outbound_url("http://user:pw@h/", &why));
  EXPECT_FALSE(parse_outbound_url("http://h:99999/"));
  EXPECT_FALSE(parse_outbound_url("http:///path"));
  EXPECT_FALSE(parse_outbound_url("ftp://h/"));
  EXPECT_FALSE(parse_outbound_url("http://h/a b"));
}

}  // namespace
}  // namespace sluice::states::tasks::testing
