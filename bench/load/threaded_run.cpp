#include "bench/load/threaded_run.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

#include "bench/load/progress_board.h"
#include "bench/load/uv_loop.h"
#include "bench/load/workload_registry.h"

namespace sluice::bench {
namespace {

int severity(StopReason reason) {
  switch (reason) {
    case StopReason::kDone:
      return 0;
    case StopReason::kDuration:
      return 1;
    case StopReason::kStalled:
      return 2;
    case StopReason::kFailed:
      return 3;
    case StopReason::kInterrupted:
      return 4;
  }
  return 0;
}

RunResult run_worker(const BenchOptions& options, const Endpoint& endpoint, const RunConfig& config,
                     QueueSet& queues, MessageLedger& ledger, TriggerLedger* trigger) {
  UvLoop loop;
  SqsRequestBuilder builder(options.protocol, endpoint, options.credentials, options.sign);
  SqsResponseParser parser(options.protocol);
  SfnRequestBuilder sfn(endpoint, options.credentials, options.sign);
  PipesRequestBuilder pipes(endpoint, options.credentials, options.sign);
  const WorkloadContext context{&builder, &parser, &queues, &ledger, &sfn, &pipes, trigger};
  std::unique_ptr<Workload> workload = find_workload(options.workload)->make(options, context);
  return LoadRunner(loop.get(), config).run(*workload);
}

uint64_t delta(uint64_t now, uint64_t before) {
  return now >= before ? now - before : now;  // a worker's totals restart after its warm-up
}

// Prints the summed progress line; the main thread's share of the work.
class ProgressPrinter {
 public:
  ProgressPrinter(ProgressBoard& board, std::string label)
      : board_(board),
        label_(std::move(label)),
        tty_(isatty(STDERR_FILENO) != 0),
        start_(std::chrono::steady_clock::now()),
        last_(start_) {}

  void print(bool final_line) {
    const auto now = std::chrono::steady_clock::now();
    const double dt = std::chrono::duration<double>(now - last_).count();
    if (dt <= 0) return;
    LatencyHistogram window;
    const ProgressSample s = board_.take(window);
    if (s.measuring && !measuring_) {
      measuring_ = true;
      measure_start_ = now;
    }
    const double t = measuring_ ? std::chrono::duration<double>(now - measure_start_).count()
                                : -std::chrono::duration<double>(now - start_).count();
    char line[320];
    int n = std::snprintf(
        line, sizeof(line),
        "[%s%6.1fs] %s req/s %9.0f | sent/s %9.0f | recv/s %9.0f | p50 %8.3f ms | p99 %8.3f ms | "
        "errors %llu | in flight %llu",
        measuring_ ? "" : "warm-up ", t, label_.c_str(),
        static_cast<double>(delta(s.responses, last_responses_)) / dt,
        static_cast<double>(delta(s.sent, last_sent_)) / dt,
        static_cast<double>(delta(s.received, last_received_)) / dt,
        static_cast<double>(window.percentile(50)) / 1000.0,
        static_cast<double>(window.percentile(99)) / 1000.0,
        static_cast<unsigned long long>(s.errors), static_cast<unsigned long long>(s.in_flight));
    if (s.backlog > 0 && n > 0 && static_cast<size_t>(n) < sizeof(line)) {
      std::snprintf(line + n, sizeof(line) - static_cast<size_t>(n), " | backlog %llu",
                    static_cast<unsigned long long>(s.backlog));
    }
    if (tty_) {
      std::fprintf(stderr, "\r%s\x1b[K%s", line, final_line ? "\n" : "");
    } else if (!final_line) {
      std::fprintf(stderr, "%s\n", line);
    }
    std::fflush(stderr);
    last_ = now;
    last_responses_ = s.responses;
    last_sent_ = s.sent;
    last_received_ = s.received;
  }

 private:
  ProgressBoard& board_;
  std::string label_;
  bool tty_;
  bool measuring_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point measure_start_;
  std::chrono::steady_clock::time_point last_;
  uint64_t last_responses_ = 0;
  uint64_t last_sent_ = 0;
  uint64_t last_received_ = 0;
};

}  // namespace

uint64_t even_share(uint64_t total, uint32_t parts, uint32_t index) {
  if (parts == 0) return 0;
  return total / parts + (index < total % parts ? 1 : 0);
}

BenchOptions worker_options(const BenchOptions& options, uint32_t index) {
  BenchOptions o = options;
  const uint32_t n = options.threads;
  o.threads = 1;
  o.connections = static_cast<uint32_t>(even_share(options.connections, n, index));
  if (options.producers)
    o.producers = static_cast<uint32_t>(even_share(*options.producers, n, index));
  if (options.consumers)
    o.consumers = static_cast<uint32_t>(even_share(*options.consumers, n, index));
  o.messages = even_share(options.messages, n, index);
  o.rate = options.rate / n;
  return o;
}

RunResult merge_results(std::vector<RunResult> results) {
  RunResult merged;
  merged.stats = std::make_unique<RunStats>();
  for (RunResult& r : results) {
    if (r.stats) merged.stats->merge(*r.stats);
    if (severity(r.reason) > severity(merged.reason)) merged.reason = r.reason;
    merged.elapsed_s = std::max(merged.elapsed_s, r.elapsed_s);
    merged.cancelled += r.cancelled;
  }
  return merged;
}

RunResult run_threaded(const BenchOptions& options, const Endpoint& endpoint,
                       const RunConfig& config, QueueSet& queues, MessageLedger& ledger,
                       TriggerLedger* trigger) {
  const uint32_t n = std::max<uint32_t>(options.threads, 1);
  if (n == 1) return run_worker(options, endpoint, config, queues, ledger, trigger);

  ProgressBoard board(n);
  std::vector<RunResult> results(n);
  std::mutex mutex;
  std::condition_variable all_done;
  uint32_t finished = 0;
  ledger.unfinished = n;
  ledger.producing = n;
  std::vector<std::thread> workers;
  for (uint32_t i = 0; i < n; ++i) {
    workers.emplace_back([&, i] {
      const BenchOptions o = worker_options(options, i);
      RunConfig c = config;
      c.rate = config.rate / n;
      c.board = &board;
      c.board_slot = i;
      results[i] = run_worker(o, endpoint, c, queues, ledger, trigger);
      const std::lock_guard lock(mutex);
      ++finished;
      all_done.notify_one();
    });
  }
  {
    ProgressPrinter printer(board, config.label);
    std::unique_lock lock(mutex);
    while (finished < n) {
      if (all_done.wait_for(lock, std::chrono::seconds(1), [&] { return finished == n; })) break;
      if (config.progress) {
        lock.unlock();
        printer.print(false);
        lock.lock();
      }
    }
    if (config.progress) printer.print(true);
  }
  for (std::thread& t : workers) t.join();
  ledger.unfinished = 0;
  ledger.producing = 0;
  return merge_results(std::move(results));
}

}  // namespace sluice::bench
