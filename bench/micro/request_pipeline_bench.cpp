// The protocol work of one whole request on the reactor thread, outside the store: llhttp parse,
// routing/protocol detection, request decoding, the MD5s the handler computes, result rendering
// and the response head. What is left out: validation, QueueStore/QueueIndex (see
// queue_index_bench.cpp), LMDB (group_commit_bench.cpp), reading received messages out of LMDB,
// and the socket read/write syscalls. Sum-of-parts check for the per-component benchmarks, and an
// upper bound on requests/s per core from protocol handling alone.
// Thread: each benchmark runs on one thread.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "bench/micro/sample_requests.h"
#include "bench/micro/server_request_parser.h"
#include "broker/http/response.h"
#include "broker/http/response_head.h"
#include "broker/protocol/form_decoder.h"
#include "broker/sqs/api/json_decoder.h"
#include "broker/sqs/api/message_md5.h"
#include "broker/sqs/api/query_decoder.h"
#include "broker/sqs/api/response.h"
#include "broker/sqs/sqs_endpoint.h"

namespace sluice::microbench {
namespace {

constexpr std::string_view kRequestId = "0f9e8d7c-6b5a-4938-8271-605f4e3d2c1b";

// Routing and decoding as the reactor and SqsEndpoint do them.
Result<sqs::AnyRequest> route_and_decode(http::Request& req) {
  if (!sqs::SqsEndpoint::accepts(req)) return make_error(ErrorCode::kInternal, "not SQS");
  if (const std::string* target = req.header("x-amz-target")) {
    std::string_view name = *target;
    name.remove_prefix(std::min(name.size(), std::string_view("AmazonSQS.").size()));
    auto action = sqs::action_from_name(name);
    if (!action) return make_error(ErrorCode::kInternal, "unknown target");
    const bool padded = req.body.capacity() - req.body.size() >= sqs::kJsonPadding;
    return sqs::decode_json(*action, req.body, padded);
  }
  protocol::FormParams params;
  Status st = protocol::decode_form(req.query(), params);
  if (st && req.method == "POST") st = protocol::decode_form(req.body, params);
  if (!st) return st.error();
  return sqs::decode_query(std::move(params), req.path());
}

// Renders `result` and formats the head as Connection::complete() does.
size_t respond(protocol::Protocol protocol, sqs::Action action, const sqs::AnyResult& result,
               std::string& head) {
  protocol::WireResponse wire = sqs::render_result(protocol, action, result, kRequestId);
  http::Response r;
  r.status = wire.status;
  r.content_type = std::move(wire.content_type);
  for (auto& [k, v] : wire.headers) r.headers.push_back({std::move(k), std::move(v)});
  r.body = std::move(wire.body);
  head.clear();
  http::append_response_head(head, r, r.body.size(), http::HeadOptions{});
  return head.size() + r.body.size();
}

void send_message(benchmark::State& state, protocol::Protocol protocol) {
  const bool json = protocol == protocol::Protocol::kJson;
  const std::string wire = json ? http_request(send_message_json(), "SendMessage")
                                : http_request(send_message_form(), "");
  RequestParser parser;
  std::string head;
  size_t out_bytes = 0;
  bool ok = true;
  for (auto _ : state) {
    parser.parse(wire.data(), wire.size(), [&](http::Request&& req) {
      Result<sqs::AnyRequest> decoded = route_and_decode(req);
      auto* send = decoded ? std::get_if<sqs::SendMessageRequest>(&*decoded) : nullptr;
      if (send == nullptr) {
        ok = false;
        return;
      }
      sqs::SendMessageResult result;
      result.md5_of_message_body = sqs::md5_hex(send->message_body);
      result.md5_of_message_attributes = sqs::md5_of_message_attributes(send->message_attributes);
      result.message_id = "7c1e4f0a-2b3d-4e5f-8a9b-0c1d2e3f4a5b";
      out_bytes +=
          respond(protocol, sqs::Action::SendMessage, sqs::AnyResult(std::move(result)), head);
    });
    if (!ok) {
      state.SkipWithError("request did not decode as SendMessage");
      return;
    }
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * wire.size() + out_bytes));
}

// ReceiveMessage answered with 10 messages: the handler recomputes MD5OfMessageAttributes per
// message (the body MD5 is stored); the messages themselves are prepared outside the loop.
void receive_messages(benchmark::State& state, protocol::Protocol protocol) {
  const bool json = protocol == protocol::Protocol::kJson;
  const std::string wire = json ? http_request(receive_message_json(), "ReceiveMessage")
                                : http_request(receive_message_form(), "");
  const sqs::AnyResult prepared = receive_message_result(10);
  const auto& messages = std::get<sqs::ReceiveMessageResult>(prepared).messages;
  RequestParser parser;
  std::string head;
  size_t out_bytes = 0;
  bool ok = true;
  for (auto _ : state) {
    parser.parse(wire.data(), wire.size(), [&](http::Request&& req) {
      Result<sqs::AnyRequest> decoded = route_and_decode(req);
      if (!decoded || !std::holds_alternative<sqs::ReceiveMessageRequest>(*decoded)) {
        ok = false;
        return;
      }
      for (const auto& m : messages) {
        benchmark::DoNotOptimize(sqs::md5_of_message_attributes(m.message_attributes));
      }
      out_bytes += respond(protocol, sqs::Action::ReceiveMessage, prepared, head);
    });
    if (!ok) {
      state.SkipWithError("request did not decode as ReceiveMessage");
      return;
    }
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * wire.size() + out_bytes));
  state.counters["msgs/s"] =
      benchmark::Counter(static_cast<double>(state.iterations() * 10), benchmark::Counter::kIsRate);
}

void BM_Pipeline_QuerySendMessage(benchmark::State& s) {
  send_message(s, protocol::Protocol::kQuery);
}
void BM_Pipeline_JsonSendMessage(benchmark::State& s) {
  send_message(s, protocol::Protocol::kJson);
}
void BM_Pipeline_QueryReceiveMessage10(benchmark::State& s) {
  receive_messages(s, protocol::Protocol::kQuery);
}
void BM_Pipeline_JsonReceiveMessage10(benchmark::State& s) {
  receive_messages(s, protocol::Protocol::kJson);
}
BENCHMARK(BM_Pipeline_QuerySendMessage);
BENCHMARK(BM_Pipeline_JsonSendMessage);
BENCHMARK(BM_Pipeline_QueryReceiveMessage10);
BENCHMARK(BM_Pipeline_JsonReceiveMessage10);

}  // namespace
}  // namespace sluice::microbench
