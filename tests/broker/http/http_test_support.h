// Test support for the HTTP server: a Server on an ephemeral port on a uv loop in a background
// thread (TestServer), and a blocking raw-socket client that reads responses by their framing
// (RawClient). The handler and anything passed to post()/call() run on the loop thread.
// SLUICE_HTTP_TEST_IO_THREADS=N in the environment runs every TestServer that asks for no I/O
// threads with N of them instead (to run the whole HTTP suite against the threaded server).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <uv.h>

#include "broker/http/server.h"

namespace sluice::http::testing {

class TestServer {
 public:
  TestServer(ServerOptions opts, Handler handler) {
    if (const char* n = std::getenv("SLUICE_HTTP_TEST_IO_THREADS");
        n != nullptr && opts.io_threads == 0) {
      opts.io_threads = static_cast<size_t>(std::atoi(n));
    }
    uv_loop_init(&loop_);
    async_.data = this;
    uv_async_init(&loop_, &async_,
                  [](uv_async_t* a) { static_cast<TestServer*>(a->data)->drain(); });
    server_ = std::make_unique<Server>(&loop_, opts, std::move(handler));
    Status st = server_->listen("127.0.0.1", 0);
    EXPECT_TRUE(st.ok()) << (st.ok() ? "" : st.error().message);
    port_ = server_->port();
    thread_ = std::thread([this] { uv_run(&loop_, UV_RUN_DEFAULT); });
  }

  ~TestServer() { stop(); }

  uint16_t port() const { return port_; }
  uv_loop_t* loop() { return &loop_; }
  Server& server() { return *server_; }  // loop thread only

  // Runs fn on the loop thread.
  void post(std::function<void()> fn) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      tasks_.push_back(std::move(fn));
    }
    uv_async_send(&async_);
  }

  // Runs fn on the loop thread and waits for its result.
  template <class F>
  auto call(F fn) -> decltype(fn()) {
    using R = decltype(fn());
    std::promise<R> p;
    auto fut = p.get_future();
    post([&] {
      if constexpr (std::is_void_v<R>) {
        fn();
        p.set_value();
      } else {
        p.set_value(fn());
      }
    });
    return fut.get();
  }

  // Runs fn on the loop thread after ms milliseconds (call from the loop thread).
  void after(uint64_t ms, std::function<void()> fn) {
    struct Timer {
      uv_timer_t t;
      std::function<void()> fn;
    };
    auto* tm = new Timer{{}, std::move(fn)};
    uv_timer_init(&loop_, &tm->t);
    tm->t.data = tm;
    uv_timer_start(
        &tm->t,
        [](uv_timer_t* t) {
          auto* self = static_cast<Timer*>(t->data);
          self->fn();
          uv_close(reinterpret_cast<uv_handle_t*>(t),
                   [](uv_handle_t* h) { delete static_cast<Timer*>(h->data); });
        },
        ms, 0);
  }

  // Graceful stop: shutdown(), wait for on_drained, destroy the server, end the loop.
  void stop() {
    if (stopped_) return;
    stopped_ = true;
    post([this] {
      server_->shutdown([this] {
        drained_ = true;
        server_.reset();
        uv_close(reinterpret_cast<uv_handle_t*>(&async_), nullptr);
      });
    });
    thread_.join();
    uv_loop_close(&loop_);
  }

  std::atomic<bool> drained_{false};

 private:
  void drain() {
    std::vector<std::function<void()>> tasks;
    {
      std::lock_guard<std::mutex> lock(mu_);
      tasks.swap(tasks_);
    }
    for (auto& t : tasks) t();
  }

  uv_loop_t loop_;
  uv_async_t async_;
  std::unique_ptr<Server> server_;
  uint16_t port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::vector<std::function<void()>> tasks_;
  bool stopped_ = false;
};

struct ParsedResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;

  std::optional<std::string> header(const std::string& lower) const {
    for (auto& [n, v] : headers) {
      if (n == lower) return v;
    }
    return std::nullopt;
  }
};

class RawClient {
 public:
  explicit RawClient(uint16_t port, int timeout_ms = 5000) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  ~RawClient() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  bool connected() const { return connected_; }

  bool send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  void shutdown_write() { ::shutdown(fd_, SHUT_WR); }

  // Reads exactly n bytes (from the buffer first); false on EOF/timeout.
  bool read_exact(size_t n, std::string& out) {
    while (buf_.size() < n) {
      if (!fill()) return false;
    }
    out = buf_.substr(0, n);
    buf_.erase(0, n);
    return true;
  }

  // Reads one response framed by Content-Length (absent: no body). nullopt on EOF/timeout or a
  // malformed head.
  std::optional<ParsedResponse> read_response(bool head_request = false) {
    size_t end;
    while ((end = buf_.find("\r\n\r\n")) == std::string::npos) {
      if (!fill()) return std::nullopt;
    }
    std::string head = buf_.substr(0, end);
    buf_.erase(0, end + 4);
    ParsedResponse r;
    size_t line_end = head.find("\r\n");
    std::string status_line = head.substr(0, line_end);
    if (status_line.rfind("HTTP/1.1 ", 0) != 0 || status_line.size() < 12) return std::nullopt;
    r.status = std::stoi(status_line.substr(9, 3));
    size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
    while (pos < head.size()) {
      size_t e = head.find("\r\n", pos);
      if (e == std::string::npos) e = head.size();
      std::string line = head.substr(pos, e - pos);
      size_t colon = line.find(':');
      if (colon == std::string::npos) return std::nullopt;
      std::string name = line.substr(0, colon);
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      size_t v = colon + 1;
      while (v < line.size() && line[v] == ' ') ++v;
      r.headers.emplace_back(name, line.substr(v));
      pos = e + 2;
    }
    auto cl = r.header("content-length");
    if (cl && !head_request) {
      if (!read_exact(std::stoul(*cl), r.body)) return std::nullopt;
    }
    return r;
  }

  // True if the server closes the connection (EOF or reset) within timeout_ms, with no
  // further bytes.
  bool closed_by_peer(int timeout_ms = 3000) {
    if (!buf_.empty()) return false;
    pollfd p{fd_, POLLIN, 0};
    int rc = ::poll(&p, 1, timeout_ms);
    if (rc <= 0) return false;
    char c;
    ssize_t n = ::recv(fd_, &c, 1, 0);
    return n == 0 || (n < 0 && errno == ECONNRESET);
  }

  // True if nothing arrives (and no close) within ms.
  bool quiet_for(int ms) {
    pollfd p{fd_, POLLIN, 0};
    return ::poll(&p, 1, ms) == 0;
  }

  std::string& buffered() { return buf_; }

 private:
  bool fill() {
    char tmp[65536];
    ssize_t n = ::recv(fd_, tmp, sizeof tmp, 0);
    if (n <= 0) return false;
    buf_.append(tmp, static_cast<size_t>(n));
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  std::string buf_;
};

inline std::string get(std::string_view target, std::string_view extra_headers = "") {
  std::string s = "GET ";
  s += target;
  s += " HTTP/1.1\r\nHost: test\r\n";
  s += extra_headers;
  s += "\r\n";
  return s;
}

inline std::string post(std::string_view target, std::string_view body,
                        std::string_view extra_headers = "") {
  std::string s = "POST ";
  s += target;
  s += " HTTP/1.1\r\nHost: test\r\nContent-Length: ";
  s += std::to_string(body.size());
  s += "\r\n";
  s += extra_headers;
  s += "\r\n";
  s += body;
  return s;
}

inline Response text(int status, std::string body) {
  Response r;
  r.status = status;
  r.content_type = "text/plain";
  r.body = std::move(body);
  return r;
}

}  // namespace sluice::http::testing
