// Micro-benchmarks of the SQS wire codecs on the request path the endpoint runs
// (broker/sqs/sqs_endpoint.cpp): query protocol = decode_form(query string) + decode_form(body) +
// decode_query(moved params); JSON 1.0 = decode_json(action, body); and the response path =
// render_result() (XML or JSON body into a fresh WireResponse, as every request gets).
// Inputs are SDK-shaped (bench/micro/sample_requests.h): 1 KiB bodies, three message attributes.
// Thread: each benchmark runs on one thread.
#include <benchmark/benchmark.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "bench/micro/sample_requests.h"
#include "broker/protocol/form_decoder.h"
#include "broker/sqs/api/action.h"
#include "broker/sqs/api/json_decoder.h"
#include "broker/sqs/api/query_decoder.h"
#include "broker/sqs/api/response.h"

namespace sluice::microbench {
namespace {

// Messages a decoded request carries (for a messages/s rate next to requests/s).
size_t messages_in(const sqs::AnyRequest& r) {
  if (std::holds_alternative<sqs::SendMessageBatchRequest>(r)) {
    return std::get<sqs::SendMessageBatchRequest>(r).entries.size();
  }
  return 1;
}

// The decoders must return what sample_requests.h encoded, or the rates measure an error path.
bool decoded_as_built(const sqs::AnyRequest& r) {
  auto same = [](const std::string& body, const std::vector<sqs::MessageAttribute>& attrs) {
    return body == message_body() && attrs == message_attributes();
  };
  if (auto* s = std::get_if<sqs::SendMessageRequest>(&r)) {
    return same(s->message_body, s->message_attributes);
  }
  if (auto* b = std::get_if<sqs::SendMessageBatchRequest>(&r)) {
    if (b->entries.size() != kBatchEntries) return false;
    for (const auto& e : b->entries) {
      if (!same(e.message_body, e.message_attributes)) return false;
    }
    return true;
  }
  if (auto* rm = std::get_if<sqs::ReceiveMessageRequest>(&r)) {
    return rm->max_number_of_messages == 10 && rm->queue_url == kQueueUrl;
  }
  return false;
}

void decode_query_request(benchmark::State& state, const std::string& body) {
  size_t messages = 0;
  for (auto _ : state) {
    protocol::FormParams params;
    Status st = protocol::decode_form(std::string_view(), params);  // empty query string
    if (st) st = protocol::decode_form(body, params);
    std::optional<sqs::Action> action;
    if (const std::string* a = params.find("Action")) action = sqs::action_from_name(*a);
    Result<sqs::AnyRequest> r = sqs::decode_query(std::move(params), kQueuePath);
    if (!st || !action || !r || (messages == 0 && !decoded_as_built(*r))) {
      state.SkipWithError("query decoding failed");
      return;
    }
    messages += messages_in(*r);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * body.size()));
  state.counters["msgs/s"] =
      benchmark::Counter(static_cast<double>(messages), benchmark::Counter::kIsRate);
}

void decode_json_request(benchmark::State& state, sqs::Action action, const std::string& json,
                         bool padded) {
  // The server's body is a std::string; `padded` says whether its spare capacity covers
  // simdjson's padding (then it is parsed in place, else copied once into a per-thread buffer).
  std::string body;
  body.reserve(json.size() + (padded ? sqs::kJsonPadding : 0));
  body.append(json);
  size_t messages = 0;
  for (auto _ : state) {
    Result<sqs::AnyRequest> r = sqs::decode_json(action, body, padded);
    if (!r || (messages == 0 && !decoded_as_built(*r))) {
      state.SkipWithError("JSON decoding failed");
      return;
    }
    messages += messages_in(*r);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * body.size()));
  state.counters["msgs/s"] =
      benchmark::Counter(static_cast<double>(messages), benchmark::Counter::kIsRate);
}

void BM_FormDecode_SendMessage(benchmark::State& state) {
  const std::string& body = send_message_form();
  for (auto _ : state) {
    protocol::FormParams params;
    if (!protocol::decode_form(body, params)) {
      state.SkipWithError("form decoding failed");
      return;
    }
    benchmark::DoNotOptimize(params.entries().data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * body.size()));
}
BENCHMARK(BM_FormDecode_SendMessage);

void BM_QueryDecode_SendMessage(benchmark::State& s) {
  decode_query_request(s, send_message_form());
}
void BM_QueryDecode_SendMessageBatch10(benchmark::State& s) {
  decode_query_request(s, send_message_batch_form());
}
void BM_QueryDecode_ReceiveMessage(benchmark::State& s) {
  decode_query_request(s, receive_message_form());
}
BENCHMARK(BM_QueryDecode_SendMessage);
BENCHMARK(BM_QueryDecode_SendMessageBatch10);
BENCHMARK(BM_QueryDecode_ReceiveMessage);

void BM_JsonDecode_SendMessage(benchmark::State& s) {
  decode_json_request(s, sqs::Action::SendMessage, send_message_json(), false);
}
void BM_JsonDecode_SendMessage_Padded(benchmark::State& s) {
  decode_json_request(s, sqs::Action::SendMessage, send_message_json(), true);
}
void BM_JsonDecode_SendMessageBatch10(benchmark::State& s) {
  decode_json_request(s, sqs::Action::SendMessageBatch, send_message_batch_json(), false);
}
void BM_JsonDecode_SendMessageBatch10_Padded(benchmark::State& s) {
  decode_json_request(s, sqs::Action::SendMessageBatch, send_message_batch_json(), true);
}
void BM_JsonDecode_ReceiveMessage(benchmark::State& s) {
  decode_json_request(s, sqs::Action::ReceiveMessage, receive_message_json(), false);
}
BENCHMARK(BM_JsonDecode_SendMessage);
BENCHMARK(BM_JsonDecode_SendMessage_Padded);
BENCHMARK(BM_JsonDecode_SendMessageBatch10);
BENCHMARK(BM_JsonDecode_SendMessageBatch10_Padded);
BENCHMARK(BM_JsonDecode_ReceiveMessage);

// ---------------------------------------------------------------------------------------------
// Response encoding.

constexpr std::string_view kRequestId = "0f9e8d7c-6b5a-4938-8271-605f4e3d2c1b";

void render(benchmark::State& state, protocol::Protocol protocol, sqs::Action action,
            const sqs::AnyResult& result, size_t messages) {
  size_t bytes = 0;
  for (auto _ : state) {
    protocol::WireResponse w = sqs::render_result(protocol, action, result, kRequestId);
    bytes += w.body.size();
    benchmark::DoNotOptimize(w.body.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["msgs/s"] = benchmark::Counter(static_cast<double>(state.iterations() * messages),
                                                benchmark::Counter::kIsRate);
}

const sqs::AnyResult& send_result() {
  static const sqs::AnyResult r = send_message_result();
  return r;
}
const sqs::AnyResult& receive_result(size_t n) {
  static const sqs::AnyResult one = receive_message_result(1);
  static const sqs::AnyResult ten = receive_message_result(10);
  return n == 1 ? one : ten;
}

void BM_XmlEncode_SendMessageResult(benchmark::State& s) {
  render(s, protocol::Protocol::kQuery, sqs::Action::SendMessage, send_result(), 1);
}
void BM_XmlEncode_ReceiveMessageResult1(benchmark::State& s) {
  render(s, protocol::Protocol::kQuery, sqs::Action::ReceiveMessage, receive_result(1), 1);
}
void BM_XmlEncode_ReceiveMessageResult10(benchmark::State& s) {
  render(s, protocol::Protocol::kQuery, sqs::Action::ReceiveMessage, receive_result(10), 10);
}
void BM_JsonEncode_SendMessageResult(benchmark::State& s) {
  render(s, protocol::Protocol::kJson, sqs::Action::SendMessage, send_result(), 1);
}
void BM_JsonEncode_ReceiveMessageResult1(benchmark::State& s) {
  render(s, protocol::Protocol::kJson, sqs::Action::ReceiveMessage, receive_result(1), 1);
}
void BM_JsonEncode_ReceiveMessageResult10(benchmark::State& s) {
  render(s, protocol::Protocol::kJson, sqs::Action::ReceiveMessage, receive_result(10), 10);
}
BENCHMARK(BM_XmlEncode_SendMessageResult);
BENCHMARK(BM_XmlEncode_ReceiveMessageResult1);
BENCHMARK(BM_XmlEncode_ReceiveMessageResult10);
BENCHMARK(BM_JsonEncode_SendMessageResult);
BENCHMARK(BM_JsonEncode_ReceiveMessageResult1);
BENCHMARK(BM_JsonEncode_ReceiveMessageResult10);

}  // namespace
}  // namespace sluice::microbench
