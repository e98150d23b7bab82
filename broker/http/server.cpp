// Server: listening, accepting, and the shutdown drain.
#include "broker/http/server.h"

#include <cstring>
#include <utility>

#include "broker/http/connection.h"

namespace sluice::http {

Server::Server(uv_loop_t* loop, ServerOptions options, Handler handler)
    : loop_(loop),
      options_(options),
      handler_(std::move(handler)),
      read_buf_(new char[kReadBufferSize]) {}

Server::~Server() {
  if (listener_ != nullptr) {
    listener_->data = nullptr;  // a close already under way must not call back into us
    if (!listener_closing_) {
      uv_close(reinterpret_cast<uv_handle_t*>(listener_),
               [](uv_handle_t* h) { delete reinterpret_cast<uv_tcp_t*>(h); });
    }
  }
  while (connections_ != nullptr) {
    Connection* c = connections_;
    connections_ = c->next;
    c->prev = c->next = nullptr;
    c->abandon();
  }
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
    ++self->stats_.accept_errors;
    return;
  }
  auto* c = new Connection(self);
  c->next = self->connections_;
  if (self->connections_ != nullptr) self->connections_->prev = c;
  self->connections_ = c;
  ++self->open_connections_;
  c->start(listener);
}

void Server::connection_closed(Connection* c) {
  if (c->prev != nullptr) {
    c->prev->next = c->next;
  } else {
    connections_ = c->next;
  }
  if (c->next != nullptr) c->next->prev = c->prev;
  c->prev = c->next = nullptr;
  --open_connections_;
  maybe_drained();
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
  // begin_drain may close a connection, but its handles close asynchronously: the list stays
  // intact while we walk it.
  for (Connection* c = connections_; c != nullptr; c = c->next) c->begin_drain();
  maybe_drained();
}

void Server::maybe_drained() {
  if (!shutting_down_ || on_drained_.empty()) return;
  if (listener_ != nullptr || open_connections_ != 0) return;
  auto cbs = std::move(on_drained_);
  on_drained_.clear();
  for (auto& cb : cbs) cb();  // may destroy *this: touch no member from here on
}

}  // namespace sluice::http
