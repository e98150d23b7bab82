// RunStats: everything one run measures. Per SQS action: responses and a latency histogram (every
// response that arrived, errors included, so slow failures are not hidden); message counters
// (sent = acknowledged by the server, received, deleted); end-to-end latency (send to receive) for
// workloads that consume their own messages; errors by label with the first detail seen. A window
// (the last progress interval) is kept beside the totals. Touched by one loop thread; with
// --threads each worker has its own, merged on the main thread after the workers joined.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "bench/load/latency_histogram.h"
#include "bench/load/sqs_types.h"

namespace sluice::bench {

struct ActionStats {
  uint64_t responses = 0;  // responses received (successful or not)
  uint64_t errors = 0;     // error events attributed to this action (requests and batch entries)
  LatencyHistogram latency;
};

struct ErrorCount {
  uint64_t count = 0;
  std::string first_detail;
};

struct MessageCounters {
  uint64_t sent = 0;            // acknowledged by the server with a correct MD5
  uint64_t received = 0;        // received with a correct MD5 and an intact body
  uint64_t deleted = 0;         // delete acknowledged
  uint64_t empty_receives = 0;  // ReceiveMessage answered with no messages
  uint64_t redelivered = 0;     // this run's message received again (at-least-once delivery)
  uint64_t other_run = 0;       // intact bench bodies from another run
  uint64_t foreign = 0;         // bodies not written by sluice-bench (not verifiable beyond MD5)
};

// Step Functions workloads: executions that ended as expected, and the state transitions they
// made (every state entered, Map iterations' states included).
struct WorkflowCounters {
  uint64_t executions = 0;
  uint64_t transitions = 0;
};

class RunStats {
 public:
  void record_response(ApiAction action, uint64_t latency_us);
  void record_send_lag(uint64_t lag_us) { send_lag_.record(lag_us); }
  void record_end_to_end(uint64_t latency_us) { end_to_end_.record(latency_us); }
  void add_error(ApiAction action, std::string_view label, std::string_view detail = {},
                 uint64_t n = 1);
  // An error not tied to a request (connect failures).
  void add_error(std::string_view label, std::string_view detail = {}, uint64_t n = 1);

  MessageCounters& messages() { return messages_; }
  const MessageCounters& messages() const { return messages_; }
  WorkflowCounters& workflows() { return workflows_; }
  const WorkflowCounters& workflows() const { return workflows_; }
  const ActionStats& action(ApiAction a) const { return actions_[static_cast<size_t>(a)]; }
  const LatencyHistogram& all_latency() const { return all_; }
  const LatencyHistogram& end_to_end() const { return end_to_end_; }
  // Open loop only: how late requests left relative to their intended time.
  const LatencyHistogram& send_lag() const { return send_lag_; }
  const std::map<std::string, ErrorCount, std::less<>>& errors() const { return errors_; }
  uint64_t total_errors() const { return total_errors_; }
  uint64_t total_responses() const { return all_.count(); }

  // The progress window: latencies since the last take_window().
  const LatencyHistogram& window() const { return window_; }
  void reset_window() { window_.reset(); }

  // Adds another run's counts, errors and histograms (the progress window is not merged).
  void merge(const RunStats& other);

  // Forget everything (end of warm-up).
  void reset();

 private:
  std::array<ActionStats, kApiActionCount> actions_{};
  LatencyHistogram all_;
  LatencyHistogram window_;
  LatencyHistogram end_to_end_;
  LatencyHistogram send_lag_;
  MessageCounters messages_;
  WorkflowCounters workflows_;
  std::map<std::string, ErrorCount, std::less<>> errors_;
  uint64_t total_errors_ = 0;
};

}  // namespace sluice::bench
