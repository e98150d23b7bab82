// Workload: what a benchmark does, separated from how requests travel. The runner owns connections,
// timing and statistics; a workload only decides which request a connection sends next and checks
// the answer. A new workload (Step Functions, say) is a class implementing this interface plus one
// line in workload_registry.cpp. Called on the loop thread only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bench/load/digest.h"
#include "bench/load/http_response.h"
#include "bench/load/run_stats.h"
#include "bench/load/sqs_types.h"

namespace sluice::bench {

// A group of connections with one role (producers, consumers). Rate-limited pools follow --rate
// (open loop); the others run closed loop.
struct PoolSpec {
  std::string name;
  uint32_t connections = 1;
  bool rate_limited = false;
};

// One message a send request carries, as the workload must verify it.
struct SentEntry {
  uint64_t seq = 0;
  Md5 md5{};
};

// A request on its way: the bytes to send plus what checking its response needs.
struct PlannedRequest {
  ApiAction action = ApiAction::kSendMessage;
  std::string wire;                   // full HTTP request; the runner moves it to the socket
  uint32_t queue = 0;                 // index into the QueueSet
  uint32_t entries = 0;               // messages sent, receipts deleted, or MaxNumberOfMessages
  uint32_t wait_seconds = 0;          // long-poll receives may legitimately take this long
  std::vector<SentEntry> sent;        // sends: one per message, batch entry Id = index
  std::vector<std::string> receipts;  // deletes: for accounting when the request is lost
};

// Why a run ended.
enum class StopReason {
  kDone,         // the workload reached its goal
  kDuration,     // --duration elapsed
  kStalled,      // nothing progressed for --timeout seconds while waiting for the goal
  kInterrupted,  // SIGINT/SIGTERM
  kFailed,       // a phase that must not fail (setup) hit an error
};

class Workload {
 public:
  virtual ~Workload() = default;

  // The pools the runner must open, in order; pool indexes below refer to this list.
  virtual std::vector<PoolSpec> pools() const = 0;
  // The next request for a connection of `pool`, or nullopt when there is nothing to send now (its
  // message budget is used up, or a consumer waits for producers). The runner asks again after
  // every response.
  virtual std::optional<PlannedRequest> next(size_t pool, uint64_t now_ns) = 0;
  // Checks a response and accounts messages and errors in `stats`.
  virtual void on_response(const PlannedRequest& request, const HttpResponse& response,
                           RunStats& stats, uint64_t now_ns) = 0;
  // The request was lost in transport (no response); the runner has counted the error.
  virtual void on_lost(const PlannedRequest& request) { (void)request; }
  // Measurement starts (after warm-up): message budgets count from here.
  virtual void on_measure_start() {}
  // The workload reached its goal (a --messages budget); duration-bound workloads return false.
  virtual bool done() const = 0;
  // End of run: final accounting (e.g. messages lost).
  virtual void finish(RunStats& stats, StopReason reason) {
    (void)stats;
    (void)reason;
  }
};

}  // namespace sluice::bench
