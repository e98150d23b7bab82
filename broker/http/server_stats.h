// ServerStats: plain counters the HTTP server keeps about itself (loop thread only); the
// metrics layer exports them through a collector.
#pragma once

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

}  // namespace sluice::http
