#include "bench/load/http_connection.h"

#include <vector>

namespace sluice::bench {
namespace {

constexpr size_t kReadBufferSize = 64 * 1024;

struct WriteRequest {
  uv_write_t req;
  std::string bytes;
};

}  // namespace

// The uv handle outlives close() until libuv's close callback; `owner` is cleared when the
// HttpConnection stops caring, so late callbacks find no one to call.
struct HttpConnection::Socket {
  uv_tcp_t tcp;
  uv_connect_t connect_req;
  HttpConnection* owner = nullptr;
  bool connected = false;
  bool last_response = false;  // the server said Connection: close: no more requests on it
  bool notify = false;         // tell the owner about the close (a failure, not a close() call)
  std::string reason;
  std::string detail;
};

HttpConnection::HttpConnection(uv_loop_t* loop, const sockaddr_storage& address, Listener& listener,
                               size_t id)
    : loop_(loop),
      address_(address),
      listener_(listener),
      id_(id),
      read_buffer_(new char[kReadBufferSize]) {}

HttpConnection::~HttpConnection() {
  close();
  if (failing_) failing_->owner = nullptr;
}

bool HttpConnection::open() const {
  return socket_ != nullptr && socket_->connected && !socket_->last_response;
}

bool HttpConnection::connecting() const {
  return socket_ != nullptr && !socket_->connected;
}

void HttpConnection::connect() {
  if (socket_) return;
  if (failing_) {  // the owner moved on: the old socket's notification is moot
    failing_->owner = nullptr;
    failing_ = nullptr;
  }
  auto* s = new Socket;
  s->owner = this;
  uv_tcp_init(loop_, &s->tcp);
  s->tcp.data = s;
  s->connect_req.data = s;
  socket_ = s;
  parser_.reset();
  uv_tcp_nodelay(&s->tcp, 1);  // requests are small and latency is what we measure
  const int rc = uv_tcp_connect(&s->connect_req, &s->tcp,
                                reinterpret_cast<const sockaddr*>(&address_), &on_connect);
  if (rc != 0) fail("connect-error", uv_strerror(rc));
}

void HttpConnection::close() {
  if (failing_) {
    failing_->owner = nullptr;
    failing_ = nullptr;
  }
  if (!socket_) return;
  Socket* s = socket_;
  socket_ = nullptr;
  s->owner = nullptr;
  uv_close(reinterpret_cast<uv_handle_t*>(&s->tcp), &on_socket_closed);
}

void HttpConnection::fail(std::string_view reason, std::string detail) {
  if (!socket_) return;
  Socket* s = socket_;
  socket_ = nullptr;
  if (failing_) failing_->owner = nullptr;
  failing_ = s;
  s->notify = true;
  s->reason.assign(reason);
  s->detail = std::move(detail);
  uv_close(reinterpret_cast<uv_handle_t*>(&s->tcp), &on_socket_closed);
}

void HttpConnection::on_socket_closed(uv_handle_t* handle) {
  auto* s = static_cast<Socket*>(handle->data);
  HttpConnection* owner = s->owner;
  if (owner && s->notify && owner->failing_ == s) {
    owner->failing_ = nullptr;
    owner->listener_.on_closed(*owner, s->reason, s->detail);
  }
  delete s;
}

void HttpConnection::on_connect(uv_connect_t* req, int status) {
  auto* s = static_cast<Socket*>(req->data);
  HttpConnection* owner = s->owner;
  if (!owner || owner->socket_ != s) return;  // closed meanwhile (status is UV_ECANCELED)
  if (status < 0) {
    owner->fail("connect-error", uv_strerror(status));
    return;
  }
  s->connected = true;
  const int rc = uv_read_start(reinterpret_cast<uv_stream_t*>(&s->tcp), &on_alloc, &on_read);
  if (rc != 0) {
    owner->fail("connection-reset", uv_strerror(rc));
    return;
  }
  owner->listener_.on_connected(*owner);
}

void HttpConnection::on_alloc(uv_handle_t* handle, size_t, uv_buf_t* buf) {
  auto* s = static_cast<Socket*>(handle->data);
  if (!s->owner) {
    *buf = uv_buf_init(nullptr, 0);  // libuv reports UV_ENOBUFS; the socket is closing anyway
    return;
  }
  *buf = uv_buf_init(s->owner->read_buffer_.get(), kReadBufferSize);
}

void HttpConnection::on_read(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf) {
  auto* s = static_cast<Socket*>(stream->data);
  if (!s->owner || s->owner->socket_ != s || nread == 0) return;
  HttpConnection* self = s->owner;
  std::vector<HttpResponse> responses;
  bool parsed = true;
  bool eof = false;
  if (nread > 0) {
    parsed = self->parser_.feed(std::string_view(buf->base, static_cast<size_t>(nread)), responses);
  } else if (nread == UV_EOF) {
    eof = true;
    parsed = self->parser_.finish(responses);
  } else {
    self->fail("connection-reset", uv_strerror(static_cast<int>(nread)));
    return;
  }
  bool keep_alive = true;
  for (HttpResponse& r : responses) {
    // The listener may close this connection (or reconnect it) while handling a response.
    if (s->owner != self || self->socket_ != s) return;
    keep_alive = r.keep_alive;
    // Before the listener sees the last answer, so that it does not send on this socket again.
    if (!keep_alive) s->last_response = true;
    self->listener_.on_response(*self, std::move(r));
    if (!keep_alive) break;
  }
  if (s->owner != self || self->socket_ != s) return;
  if (!parsed) {
    self->fail("http-parse-error", self->parser_.error());
  } else if (eof) {
    self->fail("connection-closed", "the server closed the connection");
  } else if (!keep_alive) {
    self->fail("connection-closed", "the server answered Connection: close");
  }
}

void HttpConnection::send(std::string bytes) {
  if (!open()) return;
  auto* stream = reinterpret_cast<uv_stream_t*>(&socket_->tcp);
  uv_buf_t buf = uv_buf_init(bytes.data(), static_cast<unsigned>(bytes.size()));
  // Most requests fit the socket buffer: write them at once, without a heap-allocated request.
  const int written = uv_try_write(stream, &buf, 1);
  if (written == static_cast<int>(bytes.size())) return;
  if (written < 0 && written != UV_EAGAIN) {
    fail("connection-reset", uv_strerror(written));
    return;
  }
  const size_t offset = written > 0 ? static_cast<size_t>(written) : 0;
  auto* w = new WriteRequest;
  w->bytes = std::move(bytes);
  w->req.data = w;
  buf = uv_buf_init(w->bytes.data() + offset, static_cast<unsigned>(w->bytes.size() - offset));
  const int rc = uv_write(&w->req, stream, &buf, 1, &on_write);
  if (rc != 0) {
    delete w;
    fail("connection-reset", uv_strerror(rc));
  }
}

void HttpConnection::on_write(uv_write_t* req, int status) {
  auto* w = static_cast<WriteRequest*>(req->data);
  auto* s = static_cast<Socket*>(req->handle->data);
  delete w;
  if (status < 0 && status != UV_ECANCELED && s->owner && s->owner->socket_ == s) {
    s->owner->fail("connection-reset", uv_strerror(status));
  }
}

}  // namespace sluice::bench
