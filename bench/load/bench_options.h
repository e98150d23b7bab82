// BenchOptions: the sluice-bench command line. parse_options() reads and range-checks the flags;
// workload-specific defaults (batch size of send-batch, WaitTimeSeconds of long-poll, ...) are
// filled in afterwards by the workload registry, which is why those members are optional here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "bench/load/outcome.h"
#include "bench/load/sigv4_signer.h"
#include "bench/load/sqs_types.h"

namespace sluice::bench {

struct BenchOptions {
  std::string endpoint = "http://127.0.0.1:9324";
  Protocol protocol = Protocol::kJson;
  std::string workload = "send";
  uint32_t connections = 16;
  uint32_t threads = 1;  // worker threads, each with its own loop and share of the connections
  uint32_t pipeline = 1;
  double duration_s = 0;  // 0: run until --messages are done (default 10 s when neither is set)
  uint64_t messages = 0;  // 0: no budget
  double rate = 0;        // requests/s over the rate-limited pool; 0 = closed loop
  uint32_t body_size = 256;
  std::optional<uint32_t> batch_size;
  uint32_t queues = 1;
  std::string queue_prefix = "sluice-bench-";
  bool create_queues = true;
  bool purge = false;
  double warmup_s = 0;
  std::optional<uint32_t> producers;
  std::optional<uint32_t> consumers;
  bool fifo = false;
  uint32_t groups = 16;
  std::optional<uint32_t> wait_seconds;
  int32_t visibility_timeout = -1;
  std::optional<uint64_t> prefill;  // messages sent before the measured phase (all queues)
  uint32_t pipe_batch_size = 1;     // trigger: the pipe's SqsQueueParameters.BatchSize
  double timeout_s = 30;            // per request, on top of WaitTimeSeconds
  Credentials credentials;
  bool sign = true;
  bool json_output = false;
  bool progress = true;
  bool help = false;
};

// argv[0] is skipped. A Failure has label "usage" and says which flag is wrong.
Outcome<BenchOptions> parse_options(int argc, const char* const* argv);

// The --help text (lists every flag and workload).
std::string help_text();

// The queue names the run uses: prefix + index (+ ".fifo").
std::string queue_name(const BenchOptions& options, uint32_t index);

}  // namespace sluice::bench
