// Exports the HTTP server's own stats (connections, requests, framing errors) as Prometheus
// metrics through a Registry collector. Loop thread (it reads Server::stats() at scrape time);
// the Server must outlive the Registry's renders.
#pragma once

#include "broker/http/server.h"
#include "broker/metrics/registry.h"

namespace sluice::metrics {

// Adds sluice_http_connections_open, sluice_http_connections_accepted_total,
// sluice_http_accept_errors_total, sluice_http_requests_total and
// sluice_http_rejected_requests_total{status="400"|"413"|"431"},
// sluice_http_idle_timeouts_total.
void export_http_server(Registry& registry, const http::Server& server);

}  // namespace sluice::metrics
