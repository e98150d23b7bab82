// ServerStats: plain counters the HTTP server keeps about itself; the metrics layer exports them
// through a collector. Each I/O loop counts in its own ServerCounters (written by that loop's
// thread only, read by any thread), and Server::stats() adds them up into a ServerStats.
#pragma once

#include <atomic>
#include <cstdint>

namespace sluice::http {

struct ServerStats {
  uint64_t connections_accepted = 0;
  uint64_t accept_errors = 0;
  uint64_t requests = 0;             // handed to the handler
  uint64_t bad_requests = 0;         // 400 answered by the server (malformed input)
  uint64_t bodies_too_large = 0;     // 413
  uint64_t headers_too_large = 0;    // 431
  uint64_t idle_timeouts = 0;        // connections closed for idleness
  uint64_t request_timeouts = 0;     // 408: a request not complete within the read timeout
  uint64_t connections_refused = 0;  // 503: over max_connections
};

// A counter with one writer thread and any number of readers: the increment is a relaxed load
// and store (no locked instruction), which is exact because only its loop's thread writes it.
class LoopCounter {
 public:
  void operator++() { v_.store(v_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed); }
  uint64_t get() const { return v_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> v_{0};
};

// The counters of one I/O loop (fields as in ServerStats).
struct ServerCounters {
  LoopCounter connections_accepted;
  LoopCounter accept_errors;
  LoopCounter requests;
  LoopCounter bad_requests;
  LoopCounter bodies_too_large;
  LoopCounter headers_too_large;
  LoopCounter idle_timeouts;
  LoopCounter request_timeouts;
  LoopCounter connections_refused;

  void add_to(ServerStats& s) const {
    s.connections_accepted += connections_accepted.get();
    s.accept_errors += accept_errors.get();
    s.requests += requests.get();
    s.bad_requests += bad_requests.get();
    s.bodies_too_large += bodies_too_large.get();
    s.headers_too_large += headers_too_large.get();
    s.idle_timeouts += idle_timeouts.get();
    s.request_timeouts += request_timeouts.get();
    s.connections_refused += connections_refused.get();
  }
};

}  // namespace sluice::http
