// LoopMailbox: what other threads hand to one threaded I/O loop (see io_loop.h): the answers of
// the requests it dispatched to the owner (a Responder's send or drop, a StreamWriter's start,
// chunks and end), the connections the owner accepted for it, and drain/stop orders.
//
// Any thread posts; the loop's thread takes the whole queue at once. A post wakes the loop with
// uv_async_send, which libuv coalesces: a burst of answers costs the loop one wake-up. Shared
// (std::shared_ptr) by the IoLoop and its connections, so a Responder that outlives the loop
// still has a mailbox to post to: once the loop's thread has ended, close() refuses further
// posts and the poster handles its message itself (Connection::post).
#pragma once

#include <cstdint>
#include <mutex>
#include <vector>

#include <uv.h>

#include "broker/http/response.h"

namespace sluice::http {

class Connection;

struct LoopMessage {
  enum class Kind : uint8_t {
    kComplete,     // conn, seq, response: the answer (or the 500 of a dropped Responder)
    kStreamStart,  // conn, seq, response: Responder::stream's head
    kStreamData,   // conn, response.body: one StreamWriter::send
    kStreamEnd,    // conn: the StreamWriter is gone
    kAdopt,        // fd: a connection the owner accepted
    kDrain,        // Server::shutdown
    kStop,         // the Server is being destroyed: close everything and end the thread
  };
  Kind kind = Kind::kComplete;
  Connection* conn = nullptr;
  uint64_t seq = 0;
  int fd = -1;
  Response response;
};

class LoopMailbox {
 public:
  // Loop thread, before anything is posted: the handle to wake it with.
  void open(uv_async_t* async) {
    std::lock_guard<std::mutex> lock(mu_);
    async_ = async;
  }

  // Any thread. False (and `m` untouched) once the loop's thread is gone.
  bool post(LoopMessage& m) {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return false;
    queue_.push_back(std::move(m));
    if (async_ != nullptr) uv_async_send(async_);
    return true;
  }

  // Loop thread: everything posted so far, in order (`out` is swapped, keep it to reuse).
  void take(std::vector<LoopMessage>& out) {
    out.clear();
    std::lock_guard<std::mutex> lock(mu_);
    out.swap(queue_);
  }

  // Loop thread, before it closes the async handle: posts no longer wake anybody.
  void detach() {
    std::lock_guard<std::mutex> lock(mu_);
    async_ = nullptr;
  }

  // After the loop's thread ended: refuse posts from now on; returns what was never taken.
  std::vector<LoopMessage> close() {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    async_ = nullptr;
    return std::move(queue_);
  }

 private:
  std::mutex mu_;
  std::vector<LoopMessage> queue_;
  uv_async_t* async_ = nullptr;
  bool closed_ = false;
};

}  // namespace sluice::http
