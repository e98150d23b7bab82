// Server: the HTTP/1.1 server of one libuv loop (llhttp parser, keep-alive, pipelining).
// Thread: the handler, every Responder and every method here run on the loop thread (the
// owner). With ServerOptions::io_threads == 0 the connections live on that loop too; with N >= 1
// they live on N I/O threads and only complete requests and their answers cross (io_loop.h has
// the thread model and its invariants).
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

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <uv.h>

#include "broker/http/io_loop.h"
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
  // 0: connections are served on the owner's loop. N: on N threads of their own (io_loop.h).
  size_t io_threads = 0;
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

  size_t open_connections() const { return open_connections_.load(std::memory_order_relaxed); }
  ServerStats stats() const;  // the sum over the I/O loops

 private:
  friend class IoLoop;

  // A complete request of a threaded IoLoop, waiting for the owner to run the handler.
  struct Dispatched {
    Request req;
    Connection* conn;
    uint64_t seq;
  };
  // What the threaded IoLoops hand to the owner.
  struct Inbox {
    std::mutex mu;
    std::vector<Dispatched> requests;
    size_t loops_drained = 0;
  };

  static void on_connection(uv_stream_t* listener, int status);
  void post_request(Dispatched&& d);  // any I/O thread
  void post_drained();                // any I/O thread (or the owner, for the inline loop)
  void on_inbox();
  void maybe_drained();

  uv_loop_t* loop_;
  ServerOptions options_;
  Handler handler_;
  std::atomic<size_t> open_connections_{0};  // in all loops
  uv_tcp_t* listener_ = nullptr;             // heap: its close callback may outlive the Server
  bool listener_closing_ = false;
  bool shutting_down_ = false;
  std::vector<std::function<void()>> on_drained_;
  uint64_t accept_errors_ = 0;  // owner side, threaded: failed accepts before the hand-over
  std::vector<std::unique_ptr<IoLoop>> loops_;
  size_t next_loop_ = 0;  // round robin
  size_t loops_drained_ = 0;
  Inbox inbox_;
  uv_async_t* inbox_async_ = nullptr;  // heap: its close callback may outlive the Server
  std::vector<Dispatched> taken_;      // the owner's side of the inbox swap
};

}  // namespace sluice::http
