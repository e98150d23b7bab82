// HTTP server stats as Prometheus text.
#include "broker/metrics/http_server_collector.h"

#include <string_view>

#include "broker/metrics/text_format.h"

namespace sluice::metrics {

namespace {

void family(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n# TYPE ");
  out.append(name).append(" ").append(type).append("\n");
}

void sample(std::string& out, std::string_view series, uint64_t v) {
  out.append(series).append(" ");
  append_value(out, v);
  out.push_back('\n');
}

}  // namespace

void export_http_server(Registry& registry, const http::Server& server) {
  registry.add_collector([&server](std::string& out) {
    const http::ServerStats& s = server.stats();
    family(out, "sluice_http_connections_open", "gauge", "Open HTTP connections.");
    sample(out, "sluice_http_connections_open", server.open_connections());
    family(out, "sluice_http_connections_accepted_total", "counter", "HTTP connections accepted.");
    sample(out, "sluice_http_connections_accepted_total", s.connections_accepted);
    family(out, "sluice_http_accept_errors_total", "counter", "Failed accepts.");
    sample(out, "sluice_http_accept_errors_total", s.accept_errors);
    family(out, "sluice_http_requests_total", "counter", "HTTP requests handed to the API.");
    sample(out, "sluice_http_requests_total", s.requests);
    family(out, "sluice_http_rejected_requests_total", "counter",
           "Requests the HTTP layer answered itself: 400 malformed, 408 read timeout, 413 body "
           "too large, 431 head too large, 503 too many connections.");
    sample(out, "sluice_http_rejected_requests_total{status=\"400\"}", s.bad_requests);
    sample(out, "sluice_http_rejected_requests_total{status=\"408\"}", s.request_timeouts);
    sample(out, "sluice_http_rejected_requests_total{status=\"413\"}", s.bodies_too_large);
    sample(out, "sluice_http_rejected_requests_total{status=\"431\"}", s.headers_too_large);
    sample(out, "sluice_http_rejected_requests_total{status=\"503\"}", s.connections_refused);
    family(out, "sluice_http_idle_timeouts_total", "counter",
           "Connections closed after the idle timeout.");
    sample(out, "sluice_http_idle_timeouts_total", s.idle_timeouts);
  });
}

}  // namespace sluice::metrics
