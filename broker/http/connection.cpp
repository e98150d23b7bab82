// Connection: parsing, response ordering, writing and closing of one TCP connection.
#include "broker/http/connection.h"

#include <unistd.h>

#include <algorithm>
#include <string_view>
#include <utility>

#include "broker/http/io_loop.h"
#include "broker/http/response_head.h"
#include "broker/http/server.h"

#if defined(__SANITIZE_THREAD__)
extern "C" void __sanitizer_syscall_pre_impl_close(long fd);  // libtsan's close() hook
#endif

namespace sluice::http {

namespace {

// Backpressure: stop reading when this many responses are queued on one connection, resume
// when the queue has drained to half.
constexpr size_t kMaxQueuedResponses = 64;
// Most responses written by one uv_write (bounds the iovec).
constexpr size_t kMaxSlotsPerWrite = 64;
// How long a closing connection keeps reading (and discarding) after its FIN, so that the
// peer's unread request bytes do not turn our last response into a RST.
constexpr uint64_t kLingerMs = 2000;
// A stream whose peer reads slower than we write is ended when this many writes are queued.
constexpr size_t kMaxQueuedStreamWrites = 4096;

constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

std::string_view error_text(int status) {
  switch (status) {
    case 408:
      return "Request timeout\n";
    case 413:
      return "Request body too large\n";
    case 431:
      return "Request header fields too large\n";
    case 503:
      return "Too many connections\n";
    default:
      return "Bad request\n";
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Responder

namespace {

Response dropped_response() {
  Response r;
  r.status = 500;
  r.content_type = "text/plain; charset=utf-8";
  r.body = "Request dropped by the server\n";
  return r;
}

// Remote: a message about request `seq` of `c` (carrying its reference when `kind` ends it).
void post_to(Connection* c, LoopMessage::Kind kind, uint64_t seq, Response&& r) {
  LoopMessage m;
  m.kind = kind;
  m.conn = c;
  m.seq = seq;
  m.response = std::move(r);
  c->post(m);
}

}  // namespace

Responder::Responder(Connection* conn, uint64_t seq) : conn_(conn), seq_(seq) {
  if (!conn_->remote()) conn_->retain();  // remote: taken by the loop at dispatch
}

Responder& Responder::operator=(Responder&& o) noexcept {
  if (this != &o) {
    Responder dropped(std::move(*this));  // answers 500 if it was never sent
    conn_ = o.conn_;
    seq_ = o.seq_;
    o.conn_ = nullptr;
  }
  return *this;
}

Responder::~Responder() {
  if (conn_ == nullptr) return;
  Connection* c = conn_;
  conn_ = nullptr;
  if (c->remote()) {
    post_to(c, LoopMessage::Kind::kComplete, seq_, c->gone() ? Response() : dropped_response());
    return;
  }
  if (c->answerable(seq_)) c->complete(seq_, dropped_response());
  c->release();
}

void Responder::send(Response&& r) {
  if (conn_ == nullptr) return;
  Connection* c = conn_;
  conn_ = nullptr;
  if (c->remote()) {
    post_to(c, LoopMessage::Kind::kComplete, seq_, std::move(r));
    return;
  }
  c->complete(seq_, std::move(r));
  c->release();
}

bool Responder::alive() const {
  if (conn_ == nullptr) return false;
  return conn_->remote() ? !conn_->gone() : conn_->answerable(seq_);
}

StreamWriter Responder::stream(Response&& head) {
  if (conn_ == nullptr) return StreamWriter();
  Connection* c = conn_;
  conn_ = nullptr;
  if (c->remote()) {
    // The request's reference passes to the writer; a refused stream shows as stream_over().
    post_to(c, LoopMessage::Kind::kStreamStart, seq_, std::move(head));
    return StreamWriter(c);
  }
  StreamWriter writer;
  if (c->start_stream(seq_, std::move(head))) writer = StreamWriter(c);
  c->release();
  return writer;
}

// ---------------------------------------------------------------------------------------------
// StreamWriter

StreamWriter::StreamWriter(Connection* conn) : conn_(conn) {
  if (!conn_->remote()) conn_->retain();
}

StreamWriter& StreamWriter::operator=(StreamWriter&& o) noexcept {
  if (this != &o) {
    StreamWriter dropped(std::move(*this));  // ends the stream it held
    conn_ = o.conn_;
    o.conn_ = nullptr;
  }
  return *this;
}

StreamWriter::~StreamWriter() {
  if (conn_ == nullptr) return;
  if (conn_->remote()) {
    post_to(conn_, LoopMessage::Kind::kStreamEnd, 0, Response());
    return;
  }
  conn_->end_stream();
  conn_->release();
}

bool StreamWriter::send(std::string data) {
  if (conn_ == nullptr) return false;
  if (!conn_->remote()) return conn_->stream_send(std::move(data));
  if (conn_->stream_over()) return false;
  Response chunk;
  chunk.body = std::move(data);
  post_to(conn_, LoopMessage::Kind::kStreamData, 0, std::move(chunk));
  return true;
}

bool StreamWriter::alive() const {
  if (conn_ == nullptr) return false;
  return conn_->remote() ? !conn_->stream_over() : conn_->streaming();
}

// ---------------------------------------------------------------------------------------------
// Messages from the owner (remote connections)

void Connection::on_message(LoopMessage& m) {
  switch (m.kind) {
    case LoopMessage::Kind::kComplete:
      complete(m.seq, std::move(m.response));
      release();
      return;
    case LoopMessage::Kind::kStreamStart:
      if (!start_stream(m.seq, std::move(m.response))) stream_over_.store(true);
      return;  // the reference stays with the writer until kStreamEnd
    case LoopMessage::Kind::kStreamData:
      stream_send(std::move(m.response.body));
      return;
    case LoopMessage::Kind::kStreamEnd:
      end_stream();
      release();
      return;
    default:
      return;
  }
}

void Connection::settle_orphan(LoopMessage& m) {
  switch (m.kind) {
    case LoopMessage::Kind::kComplete:
    case LoopMessage::Kind::kStreamEnd:
      m.conn->release();
      return;
    case LoopMessage::Kind::kAdopt:
      ::close(m.fd);
      return;
    default:
      return;
  }
}

// ---------------------------------------------------------------------------------------------
// Set-up and teardown

Connection::Connection(IoLoop* io)
    : io_(io),
      remote_(io->threaded()),
      mailbox_(io->mailbox()),
      parser_(RequestLimits{io->options().max_body_bytes, io->options().max_header_bytes,
                            io->options().max_header_fields}) {
  ring_.resize(4);
  for (auto& s : ring_) s = std::make_unique<Slot>();
  tcp_.data = this;
  timer_.data = this;
  write_req_.data = this;
  shutdown_req_.data = this;
  uv_tcp_init(io->loop(), &tcp_);
  uv_timer_init(io->loop(), &timer_);
}

void Connection::start(uv_stream_t* listener) {
  if (uv_accept(listener, reinterpret_cast<uv_stream_t*>(&tcp_)) != 0) {
    if (io_ != nullptr) ++io_->counters().accept_errors;
    close_now();
    return;
  }
  begin();
}

void Connection::adopt(int fd) {
  if (uv_tcp_open(&tcp_, fd) != 0) {
    ::close(fd);
    if (io_ != nullptr) ++io_->counters().accept_errors;
    close_now();
    return;
  }
  begin();
}

void Connection::begin() {
  ++io_->counters().connections_accepted;
  uv_tcp_nodelay(&tcp_, 1);
  last_activity_ = uv_now(tcp_.loop);
  if (io_->over_capacity()) {
    // Accepted only to be told why: an SDK retries a 503 with backoff, where a bare close would
    // look like a network failure. Nothing it sends is parsed.
    ++io_->counters().connections_refused;
    respond_error(503);
    flush();
    return;
  }
  const ServerOptions& o = io_->options();
  uint32_t first = o.idle_timeout_seconds;
  if (first == 0 ||
      (o.request_read_timeout_seconds > 0 && o.request_read_timeout_seconds < first)) {
    first = o.request_read_timeout_seconds;
  }
  if (first > 0) arm_timer(uint64_t{first} * 1000);
  start_reading();
}

void Connection::arm_timer(uint64_t ms) {
  uv_timer_start(
      &timer_, [](uv_timer_t* t) { static_cast<Connection*>(t->data)->on_timer(); }, ms, 0);
}

void Connection::release() {
  if (--refs_ == 0) delete this;
}

void Connection::mark_unanswerable() {
  gone_.store(true, std::memory_order_release);
  stream_over_.store(true, std::memory_order_release);
}

void Connection::close_now() {
  if (phase_ == Phase::kClosed) return;
  phase_ = Phase::kClosed;
  mark_unanswerable();
  reading_ = false;
  auto on_close = [](uv_handle_t* h) { static_cast<Connection*>(h->data)->on_handle_closed(); };
#if defined(__SANITIZE_THREAD__)
  uv_os_fd_t fd = -1;
  const bool had_fd = uv_fileno(reinterpret_cast<uv_handle_t*>(&tcp_), &fd) == 0;
#endif
  uv_close(reinterpret_cast<uv_handle_t*>(&tcp_), on_close);
#if defined(__SANITIZE_THREAD__)
  // libuv closes the socket with a raw close syscall ThreadSanitizer does not see; with I/O
  // threads, the next socket the owner accepts under the same number would look like a race with
  // this thread's last use of it. Tell it the descriptor is closed.
  if (had_fd) __sanitizer_syscall_pre_impl_close(fd);
#endif
  uv_close(reinterpret_cast<uv_handle_t*>(&timer_), on_close);
}

void Connection::on_handle_closed() {
  if (--open_handles_ > 0) return;
  // Pending write/shutdown callbacks have run (libuv cancels them before the close callback).
  ring_.clear();
  ring_count_ = 0;
  in_flight_ = 0;
  stash_.clear();
  std::string().swap(stash_);
  IoLoop* io = io_;
  io_ = nullptr;
  if (io != nullptr) io->connection_closed(this);
  release();
}

void Connection::abandon() {
  io_ = nullptr;
  close_now();
}

void Connection::begin_drain() {
  draining_ = true;
  if (streaming_) {
    end_stream();  // written, then closed (draining_)
    return;
  }
  if (phase_ == Phase::kLingering) {
    close_now();
    return;
  }
  if (phase_ != Phase::kReading && phase_ != Phase::kFinishing) return;
  stop_reading();
  stash_.clear();
  paused_ = false;
  phase_ = Phase::kFinishing;
  maybe_finish();
}

// ---------------------------------------------------------------------------------------------
// Reading

void Connection::start_reading() {
  if (reading_ || phase_ == Phase::kClosed) return;
  auto alloc = [](uv_handle_t* h, size_t, uv_buf_t* buf) {
    Connection* c = static_cast<Connection*>(h->data);
    if (c->io_ == nullptr) {
      *buf = uv_buf_init(nullptr, 0);  // abandoned: libuv reports UV_ENOBUFS, we close
      return;
    }
    *buf = uv_buf_init(c->io_->read_buf(), IoLoop::kReadBufferSize);
  };
  auto read = [](uv_stream_t* s, ssize_t nread, const uv_buf_t* buf) {
    static_cast<Connection*>(s->data)->on_read(nread, buf);
  };
  if (uv_read_start(reinterpret_cast<uv_stream_t*>(&tcp_), alloc, read) == 0) {
    reading_ = true;
  } else {
    close_now();
  }
}

void Connection::stop_reading() {
  if (!reading_) return;
  uv_read_stop(reinterpret_cast<uv_stream_t*>(&tcp_));
  reading_ = false;
}

void Connection::on_read(ssize_t nread, const uv_buf_t* buf) {
  if (phase_ == Phase::kClosed) return;
  if (nread > 0) {
    last_activity_ = uv_now(tcp_.loop);
    if (phase_ != Phase::kReading) return;  // lingering (or finishing): discard
    parsing_ = true;
    parse(buf->base, static_cast<size_t>(nread));
    parsing_ = false;
    flush();
    return;
  }
  if (nread == 0) return;  // EAGAIN
  if (nread == UV_EOF && phase_ != Phase::kLingering && in_flight_ == 0) {
    // The peer finished sending and every request is answered: write what is queued, then
    // close. With a request still in flight, EOF is taken as the client giving up (no SDK
    // half-closes), so that a long poll sees alive() == false instead of consuming messages
    // for nobody.
    stop_reading();
    peer_eof_ = true;
    if (phase_ == Phase::kReading) phase_ = Phase::kFinishing;
    maybe_finish();
    return;
  }
  close_now();
}

void Connection::parse(const char* data, size_t len) {
  while (phase_ == Phase::kReading) {
    RequestParser::Step step = parser_.feed(data, len);
    data += step.consumed;
    len -= step.consumed;
    if (parser_.take_continue()) push_continue();
    switch (step.outcome) {
      case RequestParser::Outcome::kNeedMore:
        note_request_begun();
        return;
      case RequestParser::Outcome::kError:
        respond_error(parser_.error_status());
        return;
      case RequestParser::Outcome::kUpgrade:
        // Not reached (an upgrade request is answered with close), but never parse past one.
        phase_ = Phase::kFinishing;
        stop_reading();
        return;
      case RequestParser::Outcome::kRequest:
        break;
    }
    dispatch(parser_.take_request());
    if (phase_ != Phase::kReading) return;
    if (len == 0) return;
    if (ring_count_ >= kMaxQueuedResponses) {
      stash_.assign(data, len);
      paused_ = true;
      stop_reading();
      return;
    }
  }
}

void Connection::note_request_begun() {
  // A slow client's request is timed from its first byte, however slowly the rest trickles in.
  if (!parser_.in_message() || parser_.messages_begun() == requests_begun_) return;
  requests_begun_ = parser_.messages_begun();
  request_began_ms_ = uv_now(tcp_.loop);
}

void Connection::maybe_resume() {
  if (!paused_ || phase_ != Phase::kReading || ring_count_ > kMaxQueuedResponses / 2) return;
  paused_ = false;
  std::string input = std::move(stash_);
  stash_.clear();
  parsing_ = true;
  parse(input.data(), input.size());
  parsing_ = false;
  if (!paused_ && phase_ == Phase::kReading) start_reading();
  flush();
}

// ---------------------------------------------------------------------------------------------
// Requests and responses

Connection::Slot& Connection::push_slot() {
  if (ring_count_ == ring_.size()) {
    std::vector<std::unique_ptr<Slot>> bigger(ring_.size() * 2);
    for (size_t i = 0; i < ring_count_; ++i) {
      bigger[i] = std::move(ring_[(ring_head_ + i) & (ring_.size() - 1)]);
    }
    for (size_t i = ring_count_; i < bigger.size(); ++i) bigger[i] = std::make_unique<Slot>();
    ring_ = std::move(bigger);
    ring_head_ = 0;
  }
  Slot& s = slot_at(ring_count_++);
  s.ready = false;
  s.close_after = false;
  s.keep_alive = true;
  s.head_only = false;
  s.http10 = false;
  return s;
}

void Connection::pop_slot() {
  Slot& s = slot_at(0);
  s.head.clear();  // keeps its capacity for the next response
  std::string().swap(s.body);
  ring_head_ = (ring_head_ + 1) & (ring_.size() - 1);
  --ring_count_;
  ++head_seq_;
}

void Connection::dispatch(Request&& req) {
  Slot& s = push_slot();
  s.keep_alive = parser_.keep_alive();
  s.head_only = parser_.head_method();
  s.http10 = parser_.http10();
  uint64_t seq = head_seq_ + ring_count_ - 1;
  ++in_flight_;
  if (!s.keep_alive) {
    phase_ = Phase::kFinishing;
    stop_reading();
  }
  last_activity_ = uv_now(tcp_.loop);
  io_->dispatch(std::move(req), this, seq);
}

bool Connection::answerable(uint64_t seq) const {
  if (phase_ == Phase::kClosed || phase_ == Phase::kLingering) return false;
  uint64_t idx = seq - head_seq_;
  if (idx >= ring_count_) return false;
  return !slot_at(static_cast<size_t>(idx)).ready;
}

void Connection::complete(uint64_t seq, Response&& r) {
  if (!answerable(seq)) return;
  Slot& s = slot_at(static_cast<size_t>(seq - head_seq_));
  --in_flight_;
  bool close = !s.keep_alive || draining_ || response_requests_close(r);
  bool send_body = !s.head_only && !status_forbids_body(r.status);
  HeadOptions opts;
  opts.close = close;
  opts.keep_alive = !close && s.http10;
  append_response_head(s.head, r, s.head_only ? r.body.size() : (send_body ? r.body.size() : 0),
                       opts);
  if (send_body) s.body = std::move(r.body);
  s.close_after = close;
  s.ready = true;
  if (close && phase_ == Phase::kReading) {
    // Requests pipelined behind this one will not be answered: stop parsing them.
    phase_ = Phase::kFinishing;
    stop_reading();
    stash_.clear();
    paused_ = false;
  }
  if (!parsing_) flush();
}

bool Connection::start_stream(uint64_t seq, Response&& head) {
  if (!answerable(seq)) return false;
  const uint64_t idx = seq - head_seq_;
  if (idx + 1 != ring_count_ || draining_ || phase_ != Phase::kReading) {
    // Something was pipelined behind it (its answer would land inside the stream's body).
    head.status = 409;
    head.content_type = "text/plain; charset=utf-8";
    head.body = "A stream must be the last request on its connection\n";
    head.headers.clear();
    complete(seq, std::move(head));
    return false;
  }
  Slot& s = slot_at(static_cast<size_t>(idx));
  --in_flight_;
  HeadOptions opts;
  opts.close = true;
  opts.until_close = true;
  append_response_head(s.head, head, 0, opts);
  if (!s.head_only) s.body = std::move(head.body);
  s.ready = true;
  streaming_ = true;
  // No more requests; keep reading (and discarding) to see the peer's EOF.
  phase_ = Phase::kFinishing;
  stash_.clear();
  paused_ = false;
  if (!parsing_) flush();
  return true;
}

bool Connection::stream_send(std::string data) {
  if (!streaming()) return false;
  if (ring_count_ >= kMaxQueuedStreamWrites) {
    end_stream();  // the peer does not keep up: let it reconnect
    return false;
  }
  Slot& s = push_slot();
  s.head = std::move(data);
  s.ready = true;
  if (!parsing_) flush();
  return true;
}

void Connection::end_stream() {
  if (!streaming_) return;
  streaming_ = false;
  stream_over_.store(true, std::memory_order_release);
  if (phase_ != Phase::kFinishing) return;  // closed or closing already
  Slot& s = push_slot();
  s.ready = true;
  s.close_after = true;
  flush();
}

void Connection::push_continue() {
  Slot& s = push_slot();
  s.head.assign(kContinue);
  s.ready = true;
}

void Connection::respond_error(int status) {
  if (io_ != nullptr) {
    switch (status) {
      case 413:
        ++io_->counters().bodies_too_large;
        break;
      case 431:
        ++io_->counters().headers_too_large;
        break;
      case 408:
      case 503:
        break;  // counted where they are decided
      default:
        ++io_->counters().bad_requests;
    }
  }
  Response r;
  r.status = status;
  r.content_type = "text/plain; charset=utf-8";
  r.body = error_text(status);
  Slot& s = push_slot();
  HeadOptions opts;
  opts.close = true;
  append_response_head(s.head, r, r.body.size(), opts);
  s.body = std::move(r.body);
  s.close_after = true;
  s.ready = true;
  phase_ = Phase::kFinishing;
  stop_reading();
  stash_.clear();
}

// ---------------------------------------------------------------------------------------------
// Writing and closing

void Connection::flush() {
  while (writing_ == 0 && phase_ != Phase::kClosed && phase_ != Phase::kLingering) {
    iov_.clear();
    size_t n = 0;
    size_t total = 0;
    while (n < ring_count_ && n < kMaxSlotsPerWrite) {
      Slot& s = slot_at(n);
      if (!s.ready) break;
      iov_.push_back(uv_buf_init(s.head.data(), static_cast<unsigned>(s.head.size())));
      total += s.head.size();
      if (!s.body.empty()) {
        iov_.push_back(uv_buf_init(s.body.data(), static_cast<unsigned>(s.body.size())));
        total += s.body.size();
      }
      ++n;
      if (s.close_after) break;
    }
    if (n == 0) {
      maybe_finish();
      return;
    }
    auto* stream = reinterpret_cast<uv_stream_t*>(&tcp_);
    uv_buf_t* bufs = iov_.data();
    size_t nbufs = iov_.size();
    // Write synchronously when the socket takes it all: uv_write's completion path costs an
    // epoll_ctl per response. While paused for backpressure, go through uv_write so that
    // resuming (which runs handlers) happens from its callback, never nested in a caller.
    if (!paused_) {
      int w = uv_try_write(stream, bufs, static_cast<unsigned>(nbufs));
      if (w < 0 && w != UV_EAGAIN) {
        close_now();
        return;
      }
      size_t written = w > 0 ? static_cast<size_t>(w) : 0;
      if (written == total) {
        if (!written_slots(n)) return;
        continue;
      }
      while (written >= bufs->len) {
        written -= bufs->len;
        ++bufs;
        --nbufs;
      }
      bufs->base += written;
      bufs->len -= static_cast<unsigned>(written);
    }
    auto on_write = [](uv_write_t* req, int status) {
      static_cast<Connection*>(req->data)->after_write(status);
    };
    if (uv_write(&write_req_, stream, bufs, static_cast<unsigned>(nbufs), on_write) != 0) {
      close_now();
      return;
    }
    writing_ = n;
  }
}

bool Connection::written_slots(size_t n) {
  last_activity_ = uv_now(tcp_.loop);
  bool close_after = false;
  for (size_t i = 0; i < n; ++i) {
    close_after = close_after || slot_at(0).close_after;
    pop_slot();
  }
  if (!close_after) return true;
  // Lingering only matters while the peer may still be sending.
  if (draining_ || peer_eof_) {
    close_now();
  } else {
    begin_linger();
  }
  return false;
}

void Connection::after_write(int status) {
  size_t n = writing_;
  writing_ = 0;
  if (phase_ == Phase::kClosed) return;
  if (status < 0) {
    close_now();
    return;
  }
  if (!written_slots(n)) return;
  flush();
  maybe_resume();
  maybe_finish();
}

void Connection::maybe_finish() {
  // Reached by peer EOF or drain; a close decided by a response goes through after_write.
  if (phase_ != Phase::kFinishing) return;
  if (streaming_) {
    if (peer_eof_) close_now();  // the stream's reader left: nothing more to write
    return;
  }
  if (ring_count_ != 0 || writing_ != 0) return;
  close_now();
}

void Connection::begin_linger() {
  phase_ = Phase::kLingering;
  mark_unanswerable();
  // Responses pipelined behind the last one are never sent.
  while (ring_count_ > 0) pop_slot();
  in_flight_ = 0;
  stash_.clear();
  int rc = uv_shutdown(&shutdown_req_, reinterpret_cast<uv_stream_t*>(&tcp_),
                       [](uv_shutdown_t* req, int status) {
                         Connection* c = static_cast<Connection*>(req->data);
                         if (status < 0 && c->phase_ != Phase::kClosed) c->close_now();
                       });
  if (rc != 0) {
    close_now();
    return;
  }
  uv_timer_start(
      &timer_, [](uv_timer_t* t) { static_cast<Connection*>(t->data)->close_now(); }, kLingerMs, 0);
  start_reading();
}

void Connection::on_timer() {
  if (phase_ == Phase::kClosed || io_ == nullptr) return;
  const ServerOptions& o = io_->options();
  uint64_t now = uv_now(tcp_.loop);
  uint64_t next = UINT64_MAX;
  if (o.request_read_timeout_seconds > 0 && phase_ == Phase::kReading && parser_.in_message()) {
    uint64_t limit = uint64_t{o.request_read_timeout_seconds} * 1000;
    uint64_t reading = now - request_began_ms_;
    if (reading >= limit) {
      // Headers or a body trickling in: the connection would otherwise be held forever.
      ++io_->counters().request_timeouts;
      respond_error(408);
      flush();
      return;
    }
    next = limit - reading;
  }
  if (o.idle_timeout_seconds > 0) {
    uint64_t timeout = uint64_t{o.idle_timeout_seconds} * 1000;
    if (in_flight_ > 0 || streaming_ || parser_.in_message()) {
      // A request being read or worked on, or an open stream, is not idleness.
      next = std::min(next, timeout);
    } else {
      uint64_t idle = now - last_activity_;
      if (idle >= timeout) {
        ++io_->counters().idle_timeouts;
        close_now();
        return;
      }
      next = std::min(next, timeout - idle);
    }
  }
  if (next == UINT64_MAX && o.request_read_timeout_seconds > 0) {
    next = uint64_t{o.request_read_timeout_seconds} * 1000;  // for the next request's start
  }
  if (next != UINT64_MAX) arm_timer(next);
}

}  // namespace sluice::http
