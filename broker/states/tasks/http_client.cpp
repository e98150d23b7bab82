// HttpClient: one Exchange per request. An Exchange counts the libuv callbacks it still waits for
// (resolution, connects, writes, handle closes) and frees itself when it is finished and none is
// left, so cancel() and shutdown() never race a callback.
#include "broker/states/tasks/http_client.h"

#include <llhttp.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <cctype>
#include <cstring>
#include <optional>

namespace sluice::states::tasks {

namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

bool is_ip_literal(const std::string& host) {
  unsigned char buf[sizeof(struct in6_addr)];
  return uv_inet_pton(AF_INET, host.c_str(), buf) == 0 ||
         uv_inet_pton(AF_INET6, host.c_str(), buf) == 0;
}

std::string openssl_errors() {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out;
}

constexpr std::size_t kReadChunk = 64 * 1024;

}  // namespace

const std::string* OutboundResponse::header(std::string_view name) const {
  for (const auto& h : headers) {
    if (iequals(h.name, name)) return &h.value;
  }
  return nullptr;
}

struct HttpClient::Exchange {
  // One connection attempt: the socket and its connect request live and die together.
  struct Socket {
    uv_tcp_t tcp;
    uv_connect_t connect;
    Exchange* owner;
  };
  struct WriteOp {
    uv_write_t req;
    std::string data;
    Exchange* owner;
  };

  HttpClient* client;  // null once finished: the client may be gone by the last callback
  uint64_t id;
  OutboundRequest req;
  OutboundCallback done;
  bool finished = false;
  int pending = 0;  // libuv callbacks still to come

  uv_timer_t timer;
  std::optional<OutboundResult> fail_soon;  // a failure found inside send(), reported by the timer
  uv_getaddrinfo_t resolve;
  addrinfo* addresses = nullptr;
  addrinfo* next_address = nullptr;
  std::string last_connect_error;
  Socket* socket = nullptr;  // the current attempt
  bool connected = false;
  std::string wire;  // the request, serialized
  std::unique_ptr<char[]> read_buf;

  llhttp_t parser;
  std::string field;
  bool in_value = false;
  bool message_complete = false;
  bool too_large = false;
  OutboundResponse response;

  SSL* ssl = nullptr;
  void* tls_context = nullptr;  // the client's SSL_CTX*, null when TLS is unavailable
  std::string tls_context_error;
  bool handshake_done = false;
  bool request_sent = false;
  bool resolving = false;

  ~Exchange() {
    if (addresses) uv_freeaddrinfo(addresses);
    if (ssl) SSL_free(ssl);  // frees its BIOs
  }

  uv_loop_t* loop() { return timer.loop; }

  static const llhttp_settings_t* settings() {
    static const llhttp_settings_t s = [] {
      llhttp_settings_t st;
      llhttp_settings_init(&st);
      st.on_status = [](llhttp_t* p, const char* at, size_t len) {
        static_cast<Exchange*>(p->data)->response.reason.append(at, len);
        return 0;
      };
      st.on_header_field = [](llhttp_t* p, const char* at, size_t len) {
        auto* ex = static_cast<Exchange*>(p->data);
        if (ex->in_value) {
          ex->in_value = false;
          ex->field.clear();
        }
        ex->field.append(at, len);
        return 0;
      };
      st.on_header_value = [](llhttp_t* p, const char* at, size_t len) {
        auto* ex = static_cast<Exchange*>(p->data);
        if (!ex->in_value) {
          ex->in_value = true;
          ex->response.headers.push_back({ex->field, std::string()});
        }
        ex->response.headers.back().value.append(at, len);
        return 0;
      };
      st.on_headers_complete = [](llhttp_t* p) {
        auto* ex = static_cast<Exchange*>(p->data);
        ex->response.status = p->status_code;
        // A HEAD response announces a length but carries no body.
        return ex->req.method == "HEAD" ? 1 : 0;
      };
      st.on_body = [](llhttp_t* p, const char* at, size_t len) {
        auto* ex = static_cast<Exchange*>(p->data);
        if (ex->response.body.size() + len > ex->req.max_response_bytes) {
          ex->too_large = true;
          return -1;
        }
        ex->response.body.append(at, len);
        return 0;
      };
      st.on_message_complete = [](llhttp_t* p) {
        static_cast<Exchange*>(p->data)->message_complete = true;
        return static_cast<int>(HPE_PAUSED);
      };
      return st;
    }();
    return &s;
  }

  // ---- lifecycle ----

  void start() {
    read_buf = std::make_unique<char[]>(kReadChunk);
    uv_timer_init(client->loop_, &timer);
    timer.data = this;
    ++pending;  // the timer handle, until its close callback
    uv_timer_start(&timer, &Exchange::on_timer, req.timeout_ms, 0);
    llhttp_init(&parser, HTTP_RESPONSE, settings());
    parser.data = this;
    build_wire();

    if (client->shut_down_)
      return fail_later(OutboundFailure::kConnect, "the server is shutting down");
    if (req.url.https && !tls_context) {
      return fail_later(OutboundFailure::kTls, "TLS is unavailable: " + tls_context_error);
    }
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    resolve.data = this;
    std::string port = std::to_string(req.url.port);
    ++pending;
    int rc = uv_getaddrinfo(client->loop_, &resolve, &Exchange::on_resolved, req.url.host.c_str(),
                            port.c_str(), &hints);
    if (rc < 0) {
      --pending;
      return fail_later(OutboundFailure::kResolve,
                        "cannot resolve " + req.url.host + ": " + std::string(uv_strerror(rc)));
    }
    resolving = true;
  }

  void build_wire() {
    wire.reserve(256 + req.body.size());
    wire += req.method;
    wire += ' ';
    wire += req.url.target;
    wire += " HTTP/1.1\r\nHost: ";
    wire += req.url.host_header;
    wire += "\r\n";
    for (const auto& h : req.headers) {
      wire += h.name;
      wire += ": ";
      wire += h.value;
      wire += "\r\n";
    }
    bool bodyless_method = req.method == "GET" || req.method == "HEAD" || req.method == "DELETE" ||
                           req.method == "OPTIONS";
    if (!req.body.empty() || !bodyless_method) {
      wire += "Content-Length: ";
      wire += std::to_string(req.body.size());
      wire += "\r\n";
    }
    wire += "Connection: close\r\n\r\n";
    wire += req.body;
  }

  // A failure found before any callback could report it: the timer reports it next loop turn.
  void fail_later(OutboundFailure kind, std::string message) {
    OutboundResult r;
    r.failure = kind;
    r.message = std::move(message);
    fail_soon = std::move(r);
    uv_timer_start(&timer, &Exchange::on_timer, 0, 0);
  }

  void fail(OutboundFailure kind, std::string message) {
    OutboundResult r;
    r.failure = kind;
    r.message = std::move(message);
    finish(std::move(r));
  }

  // Reports (unless cancelled) and tears down. Safe to call more than once.
  void finish(std::optional<OutboundResult> result) {
    if (finished) return;
    finished = true;
    OutboundCallback cb = std::move(done);
    if (client) {
      client->live_.erase(id);
      client = nullptr;
    }
    uv_timer_stop(&timer);
    uv_close(reinterpret_cast<uv_handle_t*>(&timer), &Exchange::on_timer_closed);
    close_socket();
    if (resolving) uv_cancel(reinterpret_cast<uv_req_t*>(&resolve));
    if (result && cb) cb(std::move(*result));
    maybe_free();
  }

  void maybe_free() {
    if (finished && pending == 0) delete this;
  }

  void close_socket() {
    if (!socket) return;
    Socket* s = socket;
    socket = nullptr;
    connected = false;
    uv_read_stop(reinterpret_cast<uv_stream_t*>(&s->tcp));
    uv_close(reinterpret_cast<uv_handle_t*>(&s->tcp), [](uv_handle_t* h) {
      auto* sock = static_cast<Socket*>(h->data);
      Exchange* ex = sock->owner;
      delete sock;
      --ex->pending;
      ex->maybe_free();
    });
  }

  static void on_timer(uv_timer_t* t) {
    auto* ex = static_cast<Exchange*>(t->data);
    if (ex->finished) return;
    if (ex->fail_soon) {
      OutboundResult r = std::move(*ex->fail_soon);
      ex->fail_soon.reset();
      return ex->finish(std::move(r));
    }
    ex->fail(OutboundFailure::kTimeout, "the request to " + ex->req.url.host_header +
                                            " timed out after " +
                                            std::to_string(ex->req.timeout_ms) + " ms");
  }

  static void on_timer_closed(uv_handle_t* h) {
    auto* ex = static_cast<Exchange*>(h->data);
    --ex->pending;
    ex->maybe_free();
  }

  // ---- resolve and connect ----

  static void on_resolved(uv_getaddrinfo_t* r, int status, addrinfo* res) {
    auto* ex = static_cast<Exchange*>(r->data);
    --ex->pending;
    ex->resolving = false;
    if (ex->finished) {
      if (res) uv_freeaddrinfo(res);
      return ex->maybe_free();
    }
    if (status < 0) {
      if (res) uv_freeaddrinfo(res);
      return ex->fail(OutboundFailure::kResolve, "cannot resolve " + ex->req.url.host + ": " +
                                                     std::string(uv_strerror(status)));
    }
    ex->addresses = res;
    ex->next_address = res;
    ex->try_connect();
  }

  void try_connect() {
    while (next_address) {
      addrinfo* a = next_address;
      next_address = a->ai_next;
      auto* s = new Socket;
      s->owner = this;
      uv_tcp_init(loop(), &s->tcp);
      s->tcp.data = s;
      s->connect.data = s;
      socket = s;
      ++pending;  // the socket handle, until its close callback
      ++pending;  // the connect request
      int rc = uv_tcp_connect(&s->connect, &s->tcp, a->ai_addr, &Exchange::on_connected);
      if (rc == 0) return;
      --pending;
      last_connect_error = uv_strerror(rc);
      close_socket();
    }
    fail(OutboundFailure::kConnect,
         "cannot connect to " + req.url.host_header + ": " +
             (last_connect_error.empty() ? std::string("no address") : last_connect_error));
  }

  static void on_connected(uv_connect_t* c, int status) {
    auto* s = static_cast<Socket*>(c->data);
    Exchange* ex = s->owner;
    --ex->pending;
    if (ex->finished || ex->socket != s) return ex->maybe_free();
    if (status < 0) {
      ex->last_connect_error = uv_strerror(status);
      ex->close_socket();
      return ex->try_connect();
    }
    ex->connected = true;
    uv_tcp_nodelay(&s->tcp, 1);
    uv_read_start(reinterpret_cast<uv_stream_t*>(&s->tcp), &Exchange::on_alloc, &Exchange::on_read);
    if (ex->req.url.https) {
      ex->start_tls();
    } else {
      ex->write_raw(std::move(ex->wire));
    }
  }

  // ---- socket I/O ----

  void write_raw(std::string data) {
    if (!socket || data.empty()) return;
    auto* op = new WriteOp{{}, std::move(data), this};
    op->req.data = op;
    uv_buf_t b = uv_buf_init(op->data.data(), static_cast<unsigned>(op->data.size()));
    ++pending;
    int rc = uv_write(&op->req, reinterpret_cast<uv_stream_t*>(&socket->tcp), &b, 1,
                      [](uv_write_t* w, int status) {
                        auto* o = static_cast<WriteOp*>(w->data);
                        Exchange* e = o->owner;
                        delete o;
                        --e->pending;
                        if (status < 0 && !e->finished) {
                          e->fail(OutboundFailure::kConnect,
                                  "sending to " + e->req.url.host_header +
                                      " failed: " + std::string(uv_strerror(status)));
                        }
                        e->maybe_free();
                      });
    if (rc < 0) {
      --pending;
      delete op;
      fail(OutboundFailure::kConnect,
           "sending to " + req.url.host_header + " failed: " + std::string(uv_strerror(rc)));
    }
  }

  static void on_alloc(uv_handle_t* h, size_t, uv_buf_t* buf) {
    auto* s = static_cast<Socket*>(h->data);
    *buf = uv_buf_init(s->owner->read_buf.get(), static_cast<unsigned>(kReadChunk));
  }

  static void on_read(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf) {
    auto* s = static_cast<Socket*>(stream->data);
    Exchange* ex = s->owner;
    if (ex->finished) return;
    if (nread > 0) {
      if (ex->ssl) {
        BIO_write(SSL_get_rbio(ex->ssl), buf->base, static_cast<int>(nread));
        ex->pump_tls();
      } else {
        ex->feed(buf->base, static_cast<size_t>(nread));
      }
      return;
    }
    if (nread == UV_EOF) return ex->on_eof();
    if (nread < 0) {
      ex->fail(OutboundFailure::kProtocol, "reading from " + ex->req.url.host_header +
                                               " failed: " + std::string(uv_strerror(nread)));
    }
  }

  // Parses response bytes; finishes the exchange when the response is complete or malformed.
  void feed(const char* data, size_t len) {
    if (finished) return;
    llhttp_errno_t err = llhttp_execute(&parser, data, len);
    if (message_complete) return finish_ok();
    if (err == HPE_OK) return;
    if (too_large) {
      return fail(OutboundFailure::kTooLarge,
                  "the response from " + req.url.host_header + " is larger than " +
                      std::to_string(req.max_response_bytes) + " bytes");
    }
    fail(OutboundFailure::kProtocol, "malformed HTTP response from " + req.url.host_header + ": " +
                                         std::string(llhttp_errno_name(err)));
  }

  void on_eof() {
    if (finished) return;
    // A response without Content-Length ends with the connection.
    llhttp_finish(&parser);
    if (message_complete) return finish_ok();
    fail(OutboundFailure::kProtocol,
         "the connection to " + req.url.host_header + " closed before a complete response");
  }

  void finish_ok() {
    OutboundResult r;
    r.response = std::move(response);
    finish(std::move(r));
  }

  // ---- TLS ----

  void start_tls() {
    ssl = SSL_new(static_cast<SSL_CTX*>(tls_context));
    if (!ssl) return fail(OutboundFailure::kTls, "TLS setup failed: " + openssl_errors());
    BIO* rbio = BIO_new(BIO_s_mem());
    BIO* wbio = BIO_new(BIO_s_mem());
    SSL_set_bio(ssl, rbio, wbio);
    SSL_set_connect_state(ssl);
    if (is_ip_literal(req.url.host)) {
      X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), req.url.host.c_str());
    } else {
      SSL_set_tlsext_host_name(ssl, req.url.host.c_str());
      SSL_set1_host(ssl, req.url.host.c_str());
    }
    SSL_set_verify(ssl, SSL_VERIFY_PEER, nullptr);
    pump_tls();
  }

  void tls_failed(const char* stage) {
    std::string why;
    long verify = SSL_get_verify_result(ssl);
    if (verify != X509_V_OK) {
      why = X509_verify_cert_error_string(verify);
    } else {
      why = openssl_errors();
      if (why.empty()) why = "the peer closed the connection";
    }
    fail(OutboundFailure::kTls,
         std::string("TLS ") + stage + " with " + req.url.host_header + " failed: " + why);
  }

  void flush_tls() {
    BIO* wbio = SSL_get_wbio(ssl);
    while (BIO_ctrl_pending(wbio) > 0) {
      std::string out(BIO_ctrl_pending(wbio), '\0');
      int n = BIO_read(wbio, out.data(), static_cast<int>(out.size()));
      if (n <= 0) break;
      out.resize(static_cast<size_t>(n));
      write_raw(std::move(out));
      if (finished) return;
    }
  }

  void pump_tls() {
    if (!handshake_done) {
      ERR_clear_error();
      int r = SSL_do_handshake(ssl);
      if (r == 1) {
        handshake_done = true;
      } else {
        int e = SSL_get_error(ssl, r);
        if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) return tls_failed("handshake");
      }
    }
    if (handshake_done && !request_sent) {
      request_sent = true;
      ERR_clear_error();
      if (SSL_write(ssl, wire.data(), static_cast<int>(wire.size())) <= 0) {
        return tls_failed("write");
      }
    }
    flush_tls();
    if (finished || !handshake_done) return;
    char buf[16384];
    for (;;) {
      ERR_clear_error();
      int n = SSL_read(ssl, buf, sizeof buf);
      if (n > 0) {
        feed(buf, static_cast<size_t>(n));
        if (finished) return;
        continue;
      }
      int e = SSL_get_error(ssl, n);
      if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) break;
      if (e == SSL_ERROR_ZERO_RETURN) return on_eof();
      return tls_failed("read");
    }
    flush_tls();
  }
};

HttpClient::HttpClient(uv_loop_t* loop) : loop_(loop) {}

HttpClient::~HttpClient() {
  shutdown();
  if (tls_context_) SSL_CTX_free(static_cast<SSL_CTX*>(tls_context_));
}

uint64_t HttpClient::send(OutboundRequest request, OutboundCallback done) {
  auto* ex = new Exchange;
  ex->client = this;
  ex->id = next_id_++;
  ex->req = std::move(request);
  ex->done = std::move(done);
  live_[ex->id] = ex;
  std::string tls_error;
  if (ex->req.url.https && !tls_context_ && !tls_context_failed_) {
    SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
    if (ctx) {
      SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
      SSL_CTX_set_default_verify_paths(ctx);
      tls_context_ = ctx;
    } else {
      tls_context_failed_ = true;
      tls_error = openssl_errors();
    }
  }
  ex->tls_context = tls_context_;
  ex->tls_context_error = tls_error.empty() ? "cannot create a TLS context" : tls_error;
  uint64_t id = ex->id;
  ex->start();
  return id;
}

void HttpClient::cancel(uint64_t id) {
  auto it = live_.find(id);
  if (it == live_.end()) return;
  Exchange* ex = it->second;
  ex->finish(std::nullopt);
}

void HttpClient::shutdown() {
  shut_down_ = true;
  while (!live_.empty()) live_.begin()->second->finish(std::nullopt);
}

}  // namespace sluice::states::tasks
