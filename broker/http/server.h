// Server: the HTTP/1.1 server of one libuv loop (llhttp parser, keep-alive, pipelining).
// Thread: everything, including the handler and every Responder, runs on the loop thread.
//
// Promises:
//  - Responses on a connection leave in request order, whatever order the handler answers in.
//  - Every response carries Content-Length; the server adds "Connection: close" when it closes.
//    The exception is a stream (Responder::stream, Server-Sent Events): no Content-Length, its
//    body runs until the connection closes.
//  - Framing errors are answered by the server itself in plain text and close the connection:
//    400 malformed, 413 body over max_body_bytes (checked against Content-Length before the body
//    is read, and while a chunked body grows), 431 head over max_header_bytes or with more than
//    max_header_fields fields (RequestParser), 408 a request not complete within
//    request_read_timeout_seconds of its first byte (headers or body trickling in).
//  - A connection accepted beyond max_connections is answered 503 and closed; the others are
//    served as before.
//  - "Expect: 100-continue" gets "100 Continue" before the body is read (413 instead when the
//    declared length is already over the cap).
//  - A connection with no request in flight and no traffic for idle_timeout_seconds is closed.
//  - A client that pipelines faster than it reads is paused (reading stops) rather than
//    buffered without bound.
// Destroying a Server closes every handle it owns; the loop must run afterwards to free them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <uv.h>

#include "broker/http/request.h"
#include "broker/http/responder.h"
#include "broker/http/response.h"
#include "broker/http/server_stats.h"
#include "storage/result.h"

namespace sluice::http {

using Handler = std::function<void(Request&& req, Responder res)>;

struct ServerOptions {
  size_t max_body_bytes = 3 << 20;
  uint32_t idle_timeout_seconds = 60;          // 0 disables
  uint32_t request_read_timeout_seconds = 60;  // 0 disables
  size_t max_header_bytes = 64 * 1024;
  size_t max_header_fields = 128;
  size_t max_connections = 10000;
  int backlog = 1024;
};

class Server {
 public:
  Server(uv_loop_t* loop, ServerOptions options, Handler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens. host: IPv4/IPv6 literal (brackets allowed) or "localhost"; port 0 picks
  // an ephemeral port (see port()).
  Status listen(const std::string& host, uint16_t port);
  uint16_t port() const;

  // Stops accepting and closes idle connections; connections with requests in flight stop
  // reading, answer what they have (with "Connection: close"), then close. on_drained runs
  // once, on the loop, after every connection and the listener are closed (before shutdown()
  // returns only if nothing was ever open). The Server may be destroyed inside on_drained.
  // Calling shutdown() again adds a callback (run at once if the drain is already done).
  void shutdown(std::function<void()> on_drained);

  size_t open_connections() const { return open_connections_; }
  const ServerStats& stats() const { return stats_; }

 private:
  friend class Connection;

  static void on_connection(uv_stream_t* listener, int status);
  void connection_closed(Connection* c);  // called from the connection's last close callback
  void maybe_drained();

  uv_loop_t* loop_;
  ServerOptions options_;
  Handler handler_;
  ServerStats stats_;
  uv_tcp_t* listener_ = nullptr;  // heap: its close callback may outlive the Server
  bool listener_closing_ = false;
  bool shutting_down_ = false;
  std::vector<std::function<void()>> on_drained_;
  // Intrusive list of live connections (accepted and not yet fully closed).
  Connection* connections_ = nullptr;
  size_t open_connections_ = 0;
  static constexpr size_t kReadBufferSize = 64 * 1024;
  // One read buffer for the whole loop: a read is parsed (and copied out) before the next
  // read of any connection, so connections never need their own.
  std::unique_ptr<char[]> read_buf_;
};

}  // namespace sluice::http
