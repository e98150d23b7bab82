// Micro-benchmarks of the HTTP front end: llhttp parsing of SDK-shaped SQS requests (through
// the server's own RequestParser, as connection.cpp drives it; see server_request_parser.h), the
// reactor's routing and protocol detection, and response-head formatting.
// Thread: each benchmark runs on one thread.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "bench/micro/sample_requests.h"
#include "bench/micro/server_request_parser.h"
#include "broker/http/request.h"
#include "broker/http/response.h"
#include "broker/http/response_head.h"
#include "broker/sqs/api/action.h"
#include "broker/sqs/sqs_endpoint.h"

namespace sluice::microbench {
namespace {

enum class Wire { kQuerySend, kJsonSend, kQueryBatch, kJsonBatch };

std::string request_for(Wire w) {
  switch (w) {
    case Wire::kQuerySend:
      return http_request(send_message_form(), "");
    case Wire::kJsonSend:
      return http_request(send_message_json(), "SendMessage");
    case Wire::kQueryBatch:
      return http_request(send_message_batch_form(), "");
    case Wire::kJsonBatch:
      return http_request(send_message_batch_json(), "SendMessageBatch");
  }
  return {};
}

// One request per read (a client waiting for each answer), or `pipelined` requests in one read,
// or the request split at `segment` bytes (reads of one TCP segment each).
void parse_requests(benchmark::State& state, Wire wire, size_t pipelined, size_t segment) {
  const std::string one = request_for(wire);
  std::string input;
  for (size_t i = 0; i < pipelined; ++i) input += one;
  RequestParser parser;
  size_t requests = 0;
  auto sink = [](http::Request&& r) {
    http::Request handed(std::move(r));  // the handler takes ownership and drops it later
    benchmark::DoNotOptimize(handed.body.data());
  };
  for (auto _ : state) {
    int n = 0;
    for (size_t off = 0; off < input.size(); off += segment) {
      size_t len = std::min(segment, input.size() - off);
      int k = parser.parse(input.data() + off, len, sink);
      if (k < 0) {
        state.SkipWithError("llhttp rejected the request");
        return;
      }
      n += k;
    }
    requests += static_cast<size_t>(n);
  }
  state.SetItemsProcessed(static_cast<int64_t>(requests));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * input.size()));
  state.counters["req_bytes"] = static_cast<double>(one.size());
}

constexpr size_t kWhole = size_t{1} << 30;
constexpr size_t kMss = 1448;  // a typical Ethernet TCP segment payload

void BM_HttpParse_QuerySendMessage(benchmark::State& s) {
  parse_requests(s, Wire::kQuerySend, 1, kWhole);
}
void BM_HttpParse_JsonSendMessage(benchmark::State& s) {
  parse_requests(s, Wire::kJsonSend, 1, kWhole);
}
void BM_HttpParse_QuerySendMessage_Pipelined16(benchmark::State& s) {
  parse_requests(s, Wire::kQuerySend, 16, kWhole);
}
void BM_HttpParse_QuerySendMessage_MssSegments(benchmark::State& s) {
  parse_requests(s, Wire::kQuerySend, 1, kMss);
}
void BM_HttpParse_QuerySendMessageBatch10(benchmark::State& s) {
  parse_requests(s, Wire::kQueryBatch, 1, kWhole);
}
void BM_HttpParse_JsonSendMessageBatch10(benchmark::State& s) {
  parse_requests(s, Wire::kJsonBatch, 1, kWhole);
}
BENCHMARK(BM_HttpParse_QuerySendMessage);
BENCHMARK(BM_HttpParse_JsonSendMessage);
BENCHMARK(BM_HttpParse_QuerySendMessage_Pipelined16);
BENCHMARK(BM_HttpParse_QuerySendMessage_MssSegments);
BENCHMARK(BM_HttpParse_QuerySendMessageBatch10);
BENCHMARK(BM_HttpParse_JsonSendMessageBatch10);

// ---------------------------------------------------------------------------------------------
// Routing and protocol detection: the reactor's dispatch (health, metrics, SQS or foreign JSON
// target; broker/server/reactor.cpp) followed by SqsEndpoint's protocol pick and, for JSON 1.0,
// the action lookup from X-Amz-Target. (For the query protocol the action is only known once the
// form is decoded; that is in the request-decoding benchmarks.)

http::Request parsed(const std::string& wire) {
  http::Request out;
  RequestParser p;
  p.parse(wire.data(), wire.size(), [&](http::Request&& r) { out = std::move(r); });
  return out;
}

enum class Route { kHealth, kMetrics, kSqsQuery, kSqsJson, kForeign };

Route route(const http::Request& req, std::optional<sqs::Action>& action) {
  std::string_view path = req.path();
  if (req.method == "GET" && path == "/health") return Route::kHealth;
  if (req.method == "GET" && path == "/metrics") return Route::kMetrics;
  if (!sqs::SqsEndpoint::accepts(req)) return Route::kForeign;
  const std::string* target = req.header("x-amz-target");
  if (!target) return Route::kSqsQuery;
  std::string_view name = *target;
  name.remove_prefix(std::min(name.size(), std::string_view("AmazonSQS.").size()));
  action = sqs::action_from_name(name);
  return Route::kSqsJson;
}

void route_requests(benchmark::State& state, const http::Request& req, Route expected) {
  for (auto _ : state) {
    std::optional<sqs::Action> action;
    Route r = route(req, action);
    benchmark::DoNotOptimize(action);
    if (r != expected) {
      state.SkipWithError("unexpected route");
      return;
    }
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_Route_QuerySendMessage(benchmark::State& s) {
  route_requests(s, parsed(http_request(send_message_form(), "")), Route::kSqsQuery);
}
void BM_Route_JsonSendMessage(benchmark::State& s) {
  route_requests(s, parsed(http_request(send_message_json(), "SendMessage")), Route::kSqsJson);
}
void BM_Route_JsonReceiveMessage(benchmark::State& s) {
  route_requests(s, parsed(http_request(receive_message_json(), "ReceiveMessage")),
                 Route::kSqsJson);
}
void BM_Route_Health(benchmark::State& s) {
  route_requests(s, parsed("GET /health HTTP/1.1\r\nHost: localhost:9324\r\n\r\n"), Route::kHealth);
}
BENCHMARK(BM_Route_QuerySendMessage);
BENCHMARK(BM_Route_JsonSendMessage);
BENCHMARK(BM_Route_JsonReceiveMessage);
BENCHMARK(BM_Route_Health);

// ---------------------------------------------------------------------------------------------
// Response head: what Connection::complete() formats per response, into a reused string.

void BM_ResponseHead_SqsXml(benchmark::State& state) {
  http::Response r;
  r.status = 200;
  r.content_type = "text/xml";
  r.headers.push_back({"x-amzn-RequestId", "0f9e8d7c-6b5a-4938-8271-605f4e3d2c1b"});
  std::string head;
  for (auto _ : state) {
    head.clear();
    http::append_response_head(head, r, 1388, http::HeadOptions{});
    benchmark::DoNotOptimize(head.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ResponseHead_SqsXml);

}  // namespace
}  // namespace sluice::microbench
