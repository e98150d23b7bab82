// Server: listening, accepting, the owner's inbox of threaded I/O loops, and the shutdown drain.
#include "broker/http/server.h"

#include <unistd.h>

#include <cstring>
#include <utility>

#include "broker/http/connection.h"

namespace sluice::http {

Server::Server(uv_loop_t* loop, ServerOptions options, Handler handler)
    : loop_(loop), options_(options), handler_(std::move(handler)) {
  if (options_.io_threads == 0) {
    loops_.push_back(std::make_unique<IoLoop>(this, loop_));
    return;
  }
  inbox_async_ = new uv_async_t;
  uv_async_init(loop_, inbox_async_, [](uv_async_t* a) {
    if (a->data != nullptr) static_cast<Server*>(a->data)->on_inbox();
  });
  inbox_async_->data = this;
  for (size_t i = 0; i < options_.io_threads; ++i) {
    loops_.push_back(std::make_unique<IoLoop>(this, nullptr));
  }
}

Server::~Server() {
  if (listener_ != nullptr) {
    listener_->data = nullptr;  // a close already under way must not call back into us
    if (!listener_closing_) {
      uv_close(reinterpret_cast<uv_handle_t*>(listener_),
               [](uv_handle_t* h) { delete reinterpret_cast<uv_tcp_t*>(h); });
    }
  }
  // Inline: closes the connections. Threaded: stops and joins the threads; after that, what the
  // owner still holds of their connections is released here, on this thread.
  loops_.clear();
  if (inbox_async_ != nullptr) {
    inbox_async_->data = nullptr;
    uv_close(reinterpret_cast<uv_handle_t*>(inbox_async_),
             [](uv_handle_t* h) { delete reinterpret_cast<uv_async_t*>(h); });
    std::vector<Dispatched> left;
    {
      std::lock_guard<std::mutex> lock(inbox_.mu);
      left.swap(inbox_.requests);
    }
    for (auto& d : left) Responder(d.conn, d.seq);  // posts to a closed mailbox: released
  }
}

ServerStats Server::stats() const {
  ServerStats s;
  for (const auto& l : loops_) l->counters().add_to(s);
  s.accept_errors += accept_errors_;
  return s;
}

Status Server::listen(const std::string& host_in, uint16_t port) {
  if (listener_ != nullptr) return make_error(ErrorCode::kInternal, "server already listening");
  std::string host = host_in;
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host == "localhost") host = "127.0.0.1";
  sockaddr_storage addr{};
  int rc;
  if (host.find(':') != std::string::npos) {
    rc = uv_ip6_addr(host.c_str(), port, reinterpret_cast<sockaddr_in6*>(&addr));
  } else {
    rc = uv_ip4_addr(host.c_str(), port, reinterpret_cast<sockaddr_in*>(&addr));
  }
  if (rc != 0) {
    return make_error(ErrorCode::kInvalidParameterValue, "invalid listen address: " + host_in);
  }
  auto* tcp = new uv_tcp_t;
  uv_tcp_init(loop_, tcp);
  tcp->data = this;
  auto fail = [&](const char* what, int err) {
    uv_close(reinterpret_cast<uv_handle_t*>(tcp),
             [](uv_handle_t* h) { delete reinterpret_cast<uv_tcp_t*>(h); });
    return make_error(ErrorCode::kInternal, std::string(what) + " " + host_in + ":" +
                                                std::to_string(port) + ": " + uv_strerror(err));
  };
  rc = uv_tcp_bind(tcp, reinterpret_cast<const sockaddr*>(&addr), 0);
  if (rc != 0) return fail("bind", rc);
  rc = uv_listen(reinterpret_cast<uv_stream_t*>(tcp), options_.backlog, &Server::on_connection);
  if (rc != 0) return fail("listen", rc);
  listener_ = tcp;
  return {};
}

uint16_t Server::port() const {
  if (listener_ == nullptr) return 0;
  sockaddr_storage addr{};
  int len = sizeof addr;
  if (uv_tcp_getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return 0;
  if (addr.ss_family == AF_INET6) {
    return ntohs(reinterpret_cast<const sockaddr_in6*>(&addr)->sin6_port);
  }
  return ntohs(reinterpret_cast<const sockaddr_in*>(&addr)->sin_port);
}

void Server::on_connection(uv_stream_t* listener, int status) {
  auto* self = static_cast<Server*>(listener->data);
  if (self == nullptr) return;
  if (status < 0) {
    ++self->accept_errors_;
    return;
  }
  if (self->options_.io_threads == 0) {
    self->loops_.front()->accept(listener);
    return;
  }
  // Accept here and hand the socket over: libuv accepts only into a handle of this loop, so the
  // handle gives up a duplicate of its descriptor and is closed.
  auto* tcp = new uv_tcp_t;
  uv_tcp_init(self->loop_, tcp);
  uv_os_fd_t fd = -1;
  int dup_fd = -1;
  if (uv_accept(listener, reinterpret_cast<uv_stream_t*>(tcp)) == 0 &&
      uv_fileno(reinterpret_cast<uv_handle_t*>(tcp), &fd) == 0) {
    dup_fd = ::dup(fd);
  }
  uv_close(reinterpret_cast<uv_handle_t*>(tcp),
           [](uv_handle_t* h) { delete reinterpret_cast<uv_tcp_t*>(h); });
  if (dup_fd < 0) {
    ++self->accept_errors_;
    return;
  }
  self->loops_[self->next_loop_]->adopt(dup_fd);
  self->next_loop_ = (self->next_loop_ + 1) % self->loops_.size();
}

void Server::post_request(Dispatched&& d) {
  std::lock_guard<std::mutex> lock(inbox_.mu);
  inbox_.requests.push_back(std::move(d));
  uv_async_send(inbox_async_);
}

void Server::post_drained() {
  if (options_.io_threads == 0) {
    ++loops_drained_;
    maybe_drained();
    return;
  }
  std::lock_guard<std::mutex> lock(inbox_.mu);
  ++inbox_.loops_drained;
  uv_async_send(inbox_async_);
}

void Server::on_inbox() {
  size_t drained;
  {
    std::lock_guard<std::mutex> lock(inbox_.mu);
    taken_.swap(inbox_.requests);
    drained = inbox_.loops_drained;
  }
  for (auto& d : taken_) {
    handler_(std::move(d.req), Responder(d.conn, d.seq));
  }
  taken_.clear();
  if (drained != loops_drained_) {
    loops_drained_ = drained;
    maybe_drained();  // may destroy *this
  }
}

void Server::shutdown(std::function<void()> on_drained) {
  if (on_drained) on_drained_.push_back(std::move(on_drained));
  if (shutting_down_) {
    maybe_drained();  // already drained: run the new callback now
    return;
  }
  shutting_down_ = true;
  if (listener_ != nullptr && !listener_closing_) {
    listener_closing_ = true;
    uv_close(reinterpret_cast<uv_handle_t*>(listener_), [](uv_handle_t* h) {
      auto* self = static_cast<Server*>(h->data);
      delete reinterpret_cast<uv_tcp_t*>(h);
      if (self == nullptr) return;  // the Server is gone
      self->listener_ = nullptr;
      self->maybe_drained();
    });
  }
  for (auto& l : loops_) l->drain();
  maybe_drained();
}

void Server::maybe_drained() {
  if (!shutting_down_ || on_drained_.empty()) return;
  if (listener_ != nullptr || loops_drained_ != loops_.size()) return;
  // The inbox has nothing more to bring: it must not keep the owner's loop running.
  if (inbox_async_ != nullptr) uv_unref(reinterpret_cast<uv_handle_t*>(inbox_async_));
  auto cbs = std::move(on_drained_);
  on_drained_.clear();
  for (auto& cb : cbs) cb();  // may destroy *this: touch no member from here on
}

}  // namespace sluice::http
