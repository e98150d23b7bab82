// Micro-benchmarks of the digests every send and receive computes (broker/sqs/api/message_md5.h):
// MD5OfMessageBody of a 1 KiB body and MD5OfMessageAttributes of three attributes.
// Thread: each benchmark runs on one thread.
#include <benchmark/benchmark.h>

#include <string>

#include "bench/micro/sample_requests.h"
#include "broker/sqs/api/message_md5.h"

namespace sluice::microbench {
namespace {

void BM_Md5OfMessageBody_1KiB(benchmark::State& state) {
  const std::string& body = message_body();
  for (auto _ : state) {
    std::string hex = sqs::md5_hex(body);
    benchmark::DoNotOptimize(hex.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * body.size()));
}
BENCHMARK(BM_Md5OfMessageBody_1KiB);

void BM_Md5OfMessageAttributes_3(benchmark::State& state) {
  const auto& attrs = message_attributes();
  for (auto _ : state) {
    std::string hex = sqs::md5_of_message_attributes(attrs);
    benchmark::DoNotOptimize(hex.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Md5OfMessageAttributes_3);

}  // namespace
}  // namespace sluice::microbench
