// HttpConnection: one keep-alive HTTP/1.1 client connection on a libuv loop, with pipelining: the
// owner may send several requests before the first answer, and responses come back in order.
// Requests are complete byte strings (SqsRequestBuilder); responses are parsed with llhttp
// (HttpResponseParser) and handed to the Listener. When the socket fails or the server closes it,
// the Listener hears on_closed() once, from a later loop phase (never from inside send()), and
// the owner decides whether to connect() again. Loop thread only.
#pragma once

#include <uv.h>

#include <memory>
#include <string>
#include <string_view>

#include "bench/load/http_response.h"
#include "bench/load/http_response_parser.h"

namespace sluice::bench {

class HttpConnection {
 public:
  class Listener {
   public:
    virtual void on_connected(HttpConnection& connection) = 0;
    virtual void on_response(HttpConnection& connection, HttpResponse&& response) = 0;
    // `reason` is an error label: "connect-error", "connection-closed", "connection-reset",
    // "http-parse-error". The connection is no longer open.
    virtual void on_closed(HttpConnection& connection, std::string_view reason,
                           std::string_view detail) = 0;

   protected:
    ~Listener() = default;
  };

  HttpConnection(uv_loop_t* loop, const sockaddr_storage& address, Listener& listener, size_t id);
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  // Opens a new socket (no-op while one is open or connecting).
  void connect();
  // Queues one request; only while open().
  void send(std::string bytes);
  // Closes without notifying the listener; connect() may follow at once.
  void close();

  bool open() const;
  bool connecting() const;
  size_t id() const { return id_; }

 private:
  struct Socket;
  static void on_connect(uv_connect_t* req, int status);
  static void on_alloc(uv_handle_t* handle, size_t suggested, uv_buf_t* buf);
  static void on_read(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf);
  static void on_write(uv_write_t* req, int status);
  static void on_socket_closed(uv_handle_t* handle);
  // Closes the current socket and notifies the listener from the close callback.
  void fail(std::string_view reason, std::string detail);

  uv_loop_t* loop_;
  sockaddr_storage address_;
  Listener& listener_;
  size_t id_;
  Socket* socket_ = nullptr;   // the live socket
  Socket* failing_ = nullptr;  // a failed socket whose notification is still pending
  HttpResponseParser parser_;
  std::unique_ptr<char[]> read_buffer_;
};

}  // namespace sluice::bench
