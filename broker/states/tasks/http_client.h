// HttpClient: outbound HTTP/1.1 requests on the reactor's libuv loop, for the HTTP Task
// (http:invoke) and Lambda functions served by local endpoints. One connection per request
// ("Connection: close"): DNS through uv_getaddrinfo (each resolved address is tried in turn), TCP
// through uv_tcp_connect, TLS for https:// through OpenSSL memory BIOs (peer certificate checked
// against the system trust store and the host name), the response parsed by llhttp. Every request
// has one deadline covering all of it.
//
// Thread: the loop thread only. The callback runs exactly once per send(), never from inside
// send() and never after cancel() or shutdown(). shutdown() aborts everything and closes every
// handle; the loop must run afterwards for libuv to release them. Destroying the client without
// shutdown() does the same.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <uv.h>

#include "broker/http/request.h"
#include "broker/states/tasks/outbound_url.h"

namespace sluice::states::tasks {

struct OutboundRequest {
  std::string method = "GET";
  OutboundUrl url;
  std::vector<http::Header> headers;  // sent as given; Host, Content-Length and Connection are ours
  std::string body;
  uint64_t timeout_ms = 60000;
  std::size_t max_response_bytes = 16u << 20;
};

struct OutboundResponse {
  int status = 0;
  std::string reason;                 // "OK", "Not Found": the reason phrase as sent
  std::vector<http::Header> headers;  // names as the server sent them, in order
  std::string body;

  // First header with this name, compared case-insensitively, or nullptr.
  const std::string* header(std::string_view name) const;
};

enum class OutboundFailure { kNone, kResolve, kConnect, kTimeout, kTls, kProtocol, kTooLarge };

struct OutboundResult {
  OutboundFailure failure = OutboundFailure::kNone;
  std::string message;  // why it failed, fit for a task's cause
  OutboundResponse response;

  bool ok() const { return failure == OutboundFailure::kNone; }
};

using OutboundCallback = std::function<void(OutboundResult)>;

class HttpClient {
 public:
  explicit HttpClient(uv_loop_t* loop);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Starts the request; returns its id (never 0) for cancel().
  uint64_t send(OutboundRequest request, OutboundCallback done);
  // Drops a request in flight; its callback will not run. Unknown ids are ignored.
  void cancel(uint64_t id);
  // Cancels everything; later sends fail at once (asynchronously) as kConnect "shutting down".
  void shutdown();

  std::size_t in_flight() const { return live_.size(); }

 private:
  struct Exchange;
  friend struct Exchange;

  uv_loop_t* loop_;
  uint64_t next_id_ = 1;
  bool shut_down_ = false;
  std::unordered_map<uint64_t, Exchange*> live_;
  void* tls_context_ = nullptr;  // SSL_CTX*, made on first https request
  bool tls_context_failed_ = false;
};

}  // namespace sluice::states::tasks
