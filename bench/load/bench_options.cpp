#include "bench/load/bench_options.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <functional>
#include <string_view>
#include <vector>

#include "bench/load/workload_registry.h"

namespace sluice::bench {
namespace {

struct Flag {
  std::string_view name;
  bool takes_value;
  // Applies the flag; returns "" or what is wrong with the value.
  std::function<std::string(BenchOptions&, std::string_view)> apply;
};

template <class T>
std::string parse_uint(std::string_view v, uint64_t lo, uint64_t hi, T& out) {
  uint64_t value = 0;
  const auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), value);
  if (ec != std::errc() || p != v.data() + v.size()) return "expects a whole number";
  if (value < lo || value > hi) {
    return "must be between " + std::to_string(lo) + " and " + std::to_string(hi);
  }
  out = static_cast<T>(value);
  return {};
}

template <class T>
std::string parse_uint(std::string_view v, uint64_t lo, uint64_t hi, std::optional<T>& out) {
  T value{};
  std::string err = parse_uint(v, lo, hi, value);
  if (err.empty()) out = value;
  return err;
}

std::string parse_seconds(std::string_view v, double lo, double& out) {
  double value = 0;
  const auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), value);
  if (ec != std::errc() || p != v.data() + v.size() || !std::isfinite(value)) {
    return "expects a number";
  }
  if (value < lo) return "must be at least " + std::to_string(lo);
  out = value;
  return {};
}

const std::vector<Flag>& flags() {
  static const std::vector<Flag> table = {
      {"--endpoint", true,
       [](BenchOptions& o, std::string_view v) {
         o.endpoint.assign(v);
         return std::string();
       }},
      {"--protocol", true,
       [](BenchOptions& o, std::string_view v) {
         if (v == "json") {
           o.protocol = Protocol::kJson;
         } else if (v == "query") {
           o.protocol = Protocol::kQuery;
         } else {
           return std::string("must be json or query");
         }
         return std::string();
       }},
      {"--workload", true,
       [](BenchOptions& o, std::string_view v) {
         if (!find_workload(v)) return "unknown workload (see --help)";
         o.workload.assign(v);
         return "";
       }},
      {"--connections", true,
       [](BenchOptions& o, std::string_view v) { return parse_uint(v, 1, 100000, o.connections); }},
      {"--threads", true,
       [](BenchOptions& o, std::string_view v) { return parse_uint(v, 1, 1024, o.threads); }},
      {"--pipeline", true,
       [](BenchOptions& o, std::string_view v) { return parse_uint(v, 1, 1024, o.pipeline); }},
      {"--duration", true,
       [](BenchOptions& o, std::string_view v) { return parse_seconds(v, 0.001, o.duration_s); }},
      {"--messages", true,
       [](BenchOptions& o, std::string_view v) {
         return parse_uint(v, 1, UINT64_MAX, o.messages);
       }},
      {"--rate", true,
       [](BenchOptions& o, std::string_view v) { return parse_seconds(v, 0, o.rate); }},
      {"--body-size", true,
       [](BenchOptions& o, std::string_view v) { return parse_uint(v, 1, 1048576, o.body_size); }},
      {"--batch-size", true,
       [](BenchOptions& o, std::string_view v) { return parse_uint(v, 1, 10, o.batch_size); }},
      {"--queues", true,
       [](BenchOptions& o, std::string_view v) { return parse_uint(v, 1, 10000, o.queues); }},
      {"--queue-prefix", true,
       [](BenchOptions& o, std::string_view v) {
         for (char c : v) {
           if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') {
             return std::string("may contain only letters, digits, - and _");
           }
         }
         o.queue_prefix.assign(v);
         return std::string();
       }},
      {"--no-create", false,
       [](BenchOptions& o, std::string_view) {
         o.create_queues = false;
         return std::string();
       }},
      {"--purge", false,
       [](BenchOptions& o, std::string_view) {
         o.purge = true;
         return std::string();
       }},
      {"--warmup", true,
       [](BenchOptions& o, std::string_view v) { return parse_seconds(v, 0, o.warmup_s); }},
      {"--producers", true,
       [](BenchOptions& o, std::string_view v) { return parse_uint(v, 0, 100000, o.producers); }},
      {"--consumers", true,
       [](BenchOptions& o, std::string_view v) { return parse_uint(v, 0, 100000, o.consumers); }},
      {"--fifo", false,
       [](BenchOptions& o, std::string_view) {
         o.fifo = true;
         return std::string();
       }},
      {"--groups", true,
       [](BenchOptions& o, std::string_view v) { return parse_uint(v, 1, 1000000, o.groups); }},
      {"--wait-seconds", true,
       [](BenchOptions& o, std::string_view v) { return parse_uint(v, 0, 20, o.wait_seconds); }},
      {"--visibility-timeout", true,
       [](BenchOptions& o, std::string_view v) {
         return parse_uint(v, 0, 43200, o.visibility_timeout);
       }},
      {"--prefill", true,
       [](BenchOptions& o, std::string_view v) { return parse_uint(v, 0, UINT64_MAX, o.prefill); }},
      {"--pipe-batch-size", true,
       [](BenchOptions& o, std::string_view v) {
         return parse_uint(v, 1, 10000, o.pipe_batch_size);
       }},
      {"--timeout", true,
       [](BenchOptions& o, std::string_view v) { return parse_seconds(v, 0.001, o.timeout_s); }},
      {"--region", true,
       [](BenchOptions& o, std::string_view v) {
         if (v.empty()) return "must not be empty";
         o.credentials.region.assign(v);
         return "";
       }},
      {"--access-key", true,
       [](BenchOptions& o, std::string_view v) {
         if (v.empty()) return "must not be empty";
         o.credentials.access_key.assign(v);
         return "";
       }},
      {"--secret-key", true,
       [](BenchOptions& o, std::string_view v) {
         o.credentials.secret_key.assign(v);
         return std::string();
       }},
      {"--no-sign", false,
       [](BenchOptions& o, std::string_view) {
         o.sign = false;
         return std::string();
       }},
      {"--json", false,
       [](BenchOptions& o, std::string_view) {
         o.json_output = true;
         return std::string();
       }},
      {"--no-progress", false,
       [](BenchOptions& o, std::string_view) {
         o.progress = false;
         return std::string();
       }},
      {"--help", false,
       [](BenchOptions& o, std::string_view) {
         o.help = true;
         return std::string();
       }},
  };
  return table;
}

}  // namespace

Outcome<BenchOptions> parse_options(int argc, const char* const* argv) {
  BenchOptions options;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "-h") arg = "--help";
    std::string_view name = arg;
    std::optional<std::string_view> value;
    if (const size_t eq = arg.find('='); arg.starts_with("--") && eq != std::string_view::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
    }
    const Flag* flag = nullptr;
    for (const Flag& f : flags()) {
      if (f.name == name) flag = &f;
    }
    if (!flag) return make_failure("usage", "unknown option " + std::string(arg) + " (see --help)");
    if (flag->takes_value && !value) {
      if (i + 1 >= argc) return make_failure("usage", std::string(name) + " needs a value");
      value = argv[++i];
    } else if (!flag->takes_value && value) {
      return make_failure("usage", std::string(name) + " takes no value");
    }
    const std::string err = flag->apply(options, value.value_or(""));
    if (!err.empty()) {
      return make_failure("usage",
                          std::string(name) + " " + std::string(value.value_or("")) + ": " + err);
    }
  }
  if (options.help) return options;
  if (options.duration_s > 0 && options.warmup_s >= options.duration_s + 3600) {
    return make_failure("usage", "--warmup is implausibly long");
  }
  if (options.fifo && options.queue_prefix.size() + 10 > 80) {
    return make_failure("usage", "--queue-prefix too long for a FIFO queue name (max 80 chars)");
  }
  return options;
}

std::string queue_name(const BenchOptions& options, uint32_t index) {
  std::string name = options.queue_prefix + std::to_string(index);
  if (options.fifo) name += ".fifo";
  return name;
}

std::string help_text() {
  std::string out =
      R"(sluice-bench: load generator for any Amazon SQS endpoint (Sluice, ElasticMQ, AWS)

Usage: sluice-bench [options]

Target
  --endpoint URL           http://host[:port][/path] (plain HTTP)   [http://127.0.0.1:9324]
  --protocol json|query    AWS JSON 1.0 (X-Amz-Target) or the query protocol (form + XML)  [json]
  --region REGION          region in the SigV4 credential scope     [us-east-1]
  --access-key KEY         access key id (dummy credentials are fine) [sluice-bench]
  --secret-key KEY         secret used to sign                      [sluice-bench-secret]
  --no-sign                send no Authorization header at all

What to run
  --workload NAME          see the list below                       [send]
  --connections N          keep-alive connections (cycle/long-poll: split between pools)  [16]
  --pipeline N             requests in flight per connection (HTTP/1.1 pipelining)   [1]
  --threads N              worker threads, each with its own event loop and an even share of
                           the connections, producers, consumers, --rate and --messages; their
                           numbers are merged into one report (queue setup runs once)  [1]
  --producers N            cycle/long-poll: producer connections    [connections/2]
  --consumers N            cycle/long-poll: consumer connections    [connections/2]
  --body-size BYTES        message body size, 1..1048576            [256]
  --batch-size N           1..10: SendMessageBatch entries, MaxNumberOfMessages, and
                           DeleteMessageBatch entries (1 = SendMessage/DeleteMessage) [1; send-batch 10]
  --queues N               spread requests round-robin over N queues [1]
  --queue-prefix P         queue names are P0, P1, ... (P0.fifo with --fifo) [sluice-bench-]
  --no-create              look queues up with GetQueueUrl instead of CreateQueue
  --purge                  PurgeQueue every queue before the run
  --prefill N              send N messages (spread over the queues, unmeasured) before the run
                           [receive-delete with --messages M: M]
  --fifo                   FIFO queues: sends carry MessageGroupId and MessageDeduplicationId
  --groups N               FIFO message groups, g0..g(N-1), assigned round-robin  [16]
  --wait-seconds S         0..20: WaitTimeSeconds of receives (long polling) [0; long-poll 20]
  --visibility-timeout S   VisibilityTimeout of receives            [queue default]
  --pipe-batch-size N      trigger: the pipe's BatchSize (1..10000; above 10 with a 1 s
                           batching window)                         [1]

How long and how hard
  --duration SECONDS       measured time (after warm-up)            [10 unless --messages]
  --messages COUNT         stop after COUNT messages: sent (send workloads), deleted
                           (receive-delete), or sent and all received (cycle)
  --warmup SECONDS         run this long first and discard the numbers [0]
  --rate R                 open loop: R requests/s in total over the producer pool (the consumer
                           pool for receive-delete), at fixed intervals; latency is measured from
                           each request's INTENDED send time (no coordinated omission). Without
                           --rate (or 0) the run is closed loop: a connection sends its next
                           request when a pipeline slot frees up.
  --timeout SECONDS        a request unanswered this long (+ WaitTimeSeconds) counts as "timeout"
                           and its connection is reopened            [30]

Output
  --json                   print one JSON object on stdout instead of the table
  --no-progress            no live progress line on stderr
  --help                   this text

Workloads
)";
  for (const WorkloadInfo& w : workload_registry()) {
    std::string line = "  " + std::string(w.name);
    line.resize(std::max<size_t>(line.size() + 1, 19), ' ');
    out += line + std::string(w.summary) + "\n";
  }
  out += R"(
Every response is verified: HTTP status, MD5OfMessageBody of every send, MD5OfBody and the content of
every received body (bench bodies carry a self-checking header), message counts of receives and
batch entries. Wrong answers are counted as errors ("md5-mismatch", "bad-response", "body-corrupt"),
as are AWS error codes from the server and transport failures ("connect-error",
"connection-closed", "timeout", "http-parse-error").

Exit status: 0 run completed without errors, 1 errors were counted, 2 bad command line,
3 setup failed (queues could not be created or found).
)";
  return out;
}

}  // namespace sluice::bench
