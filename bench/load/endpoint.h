// Endpoint: where sluice-bench sends requests, parsed from --endpoint (http://host[:port][/path]).
// Plain HTTP only: the tool measures the server, and TLS would measure the handshake library too.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "bench/load/outcome.h"

namespace sluice::bench {

struct Endpoint {
  std::string url;   // as given
  std::string host;  // without brackets for IPv6 literals
  uint16_t port = 80;
  std::string path = "/";   // request target of every SQS call
  std::string host_header;  // Host: value (host[:port] as written in the URL)
};

Outcome<Endpoint> parse_endpoint(std::string_view url);

// Resolves host:port (blocking getaddrinfo, once at start-up).
Outcome<sockaddr_storage> resolve_endpoint(const Endpoint& endpoint);

}  // namespace sluice::bench
