// IoLoop: the connections of one loop, the threaded loop's thread and mailbox.
#include "broker/http/io_loop.h"

#include <unistd.h>

#include <utility>

#include "broker/http/connection.h"
#include "broker/http/server.h"

namespace sluice::http {

IoLoop::IoLoop(Server* server, uv_loop_t* owner_loop)
    : server_(server),
      threaded_(owner_loop == nullptr),
      loop_(owner_loop != nullptr ? owner_loop : &own_loop_),
      read_buf_(new char[kReadBufferSize]) {
  if (!threaded_) return;
  mailbox_ = std::make_shared<LoopMailbox>();
  uv_loop_init(&own_loop_);
  async_.data = this;
  uv_async_init(&own_loop_, &async_,
                [](uv_async_t* a) { static_cast<IoLoop*>(a->data)->on_mail(); });
  mailbox_->open(&async_);
  thread_ = std::thread([this] { run(); });
}

IoLoop::~IoLoop() {
  if (!threaded_) {
    abandon_all();
    return;
  }
  LoopMessage stop;
  stop.kind = LoopMessage::Kind::kStop;
  mailbox_->post(stop);
  thread_.join();
  uv_loop_close(&own_loop_);
  // The thread is gone: what was posted after it stopped is ours to settle.
  for (auto& m : mailbox_->close()) Connection::settle_orphan(m);
}

const ServerOptions& IoLoop::options() const {
  return server_->options_;
}

bool IoLoop::over_capacity() const {
  return server_->open_connections_.load(std::memory_order_relaxed) >
         server_->options_.max_connections;
}

void IoLoop::add(Connection* c) {
  c->next = connections_;
  if (connections_ != nullptr) connections_->prev = c;
  connections_ = c;
  ++open_;
  server_->open_connections_.fetch_add(1, std::memory_order_relaxed);
}

void IoLoop::accept(uv_stream_t* listener) {
  auto* c = new Connection(this);
  add(c);
  c->start(listener);
}

void IoLoop::adopt(int fd) {
  LoopMessage m;
  m.kind = LoopMessage::Kind::kAdopt;
  m.fd = fd;
  if (!mailbox_->post(m)) ::close(fd);
}

void IoLoop::drain() {
  if (threaded_) {
    LoopMessage m;
    m.kind = LoopMessage::Kind::kDrain;
    mailbox_->post(m);
    return;
  }
  drain_here();
}

void IoLoop::drain_here() {
  if (draining_) return;
  draining_ = true;
  // begin_drain may close a connection, but its handles close asynchronously: the list stays
  // intact while we walk it.
  for (Connection* c = connections_; c != nullptr; c = c->next) c->begin_drain();
  maybe_drained();
}

void IoLoop::dispatch(Request&& req, Connection* c, uint64_t seq) {
  ++counters_.requests;
  if (!threaded_) {
    server_->handler_(std::move(req), Responder(c, seq));
    return;
  }
  c->retain();  // dropped when this request's last message comes back (see io_loop.h)
  server_->post_request(Server::Dispatched{std::move(req), c, seq});
}

void IoLoop::connection_closed(Connection* c) {
  if (c->prev != nullptr) {
    c->prev->next = c->next;
  } else {
    connections_ = c->next;
  }
  if (c->next != nullptr) c->next->prev = c->prev;
  c->prev = c->next = nullptr;
  --open_;
  server_->open_connections_.fetch_sub(1, std::memory_order_relaxed);
  maybe_drained();
}

void IoLoop::maybe_drained() {
  if (!draining_ || drained_ || open_ != 0) return;
  drained_ = true;
  server_->post_drained();  // inline: may destroy the Server and this loop
}

void IoLoop::run() {
  uv_run(&own_loop_, UV_RUN_DEFAULT);
}

void IoLoop::on_mail() {
  mailbox_->take(mail_);
  for (auto& m : mail_) {
    switch (m.kind) {
      case LoopMessage::Kind::kAdopt: {
        if (draining_) {
          ::close(m.fd);
          break;
        }
        auto* c = new Connection(this);
        add(c);
        c->adopt(m.fd);
        break;
      }
      case LoopMessage::Kind::kDrain:
        drain_here();
        break;
      case LoopMessage::Kind::kStop:
        stop();
        break;
      default:
        m.conn->on_message(m);
    }
  }
  mail_.clear();
}

void IoLoop::abandon_all() {
  while (connections_ != nullptr) {
    Connection* c = connections_;
    connections_ = c->next;
    c->prev = c->next = nullptr;
    server_->open_connections_.fetch_sub(1, std::memory_order_relaxed);
    c->abandon();
  }
  open_ = 0;
}

void IoLoop::stop() {
  abandon_all();
  mailbox_->detach();
  uv_close(reinterpret_cast<uv_handle_t*>(&async_), nullptr);
}

}  // namespace sluice::http
