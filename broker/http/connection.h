// Connection: one accepted TCP connection of the Server: its RequestParser, the ordered queue of
// responses (answered or still in flight), the write path and the idle/read/linger timer.
// Thread: its IoLoop's thread only; a remote() connection (threaded IoLoop) is reached from the
// owner only through post() and its atomics (io_loop.h).
//
// Lifetime: heap-allocated by its IoLoop on accept. The open handles hold one reference and
// every outstanding Responder holds one more (remote: every request dispatched to the owner and
// not yet answered, taken and dropped on the loop's thread), so a late Responder never touches
// freed memory; the object is deleted when the handles are closed and the last reference is gone.
//
// Write path: each response is a slot in a ring in request order. A slot becomes ready when its
// handler answers; the ready prefix of the ring is written with one writev (head and body of
// each response as separate buffers, no copy): uv_try_write first, uv_write for what the socket
// did not take. Only one uv_write is outstanding at a time.
//
// Streams: a response may leave its body open (Responder::stream). The connection then parses no
// more requests but keeps reading, to notice the peer leaving; each StreamWriter::send is one more
// ready slot of bare body bytes; ending the stream queues a last, empty slot that closes.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <uv.h>

#include "broker/http/loop_mailbox.h"
#include "broker/http/request.h"
#include "broker/http/request_parser.h"
#include "broker/http/response.h"

namespace sluice::http {

class IoLoop;

class Connection {
 public:
  explicit Connection(IoLoop* io);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Accepts from the listener (or takes an accepted socket) and starts reading; on failure the
  // connection closes itself.
  void start(uv_stream_t* listener);
  void adopt(int fd);

  // --- Any thread.
  bool remote() const { return remote_; }  // its IoLoop is threaded: answer through post()
  bool gone() const { return gone_.load(std::memory_order_acquire); }
  bool stream_over() const { return stream_over_.load(std::memory_order_acquire); }
  // Remote only: hands `m` to the loop, or settles it here once the loop's thread has ended.
  void post(LoopMessage& m) {
    if (!mailbox_->post(m)) settle_orphan(m);
  }
  // A message the loop never took (its thread has ended): drops the reference it carried.
  static void settle_orphan(LoopMessage& m);
  // --- Loop thread, remote: a message posted by the owner.
  void on_message(LoopMessage& m);

  // --- Responder side.
  void retain() { ++refs_; }
  void release();
  bool answerable(uint64_t seq) const;
  void complete(uint64_t seq, Response&& r);
  // --- StreamWriter side (see stream_writer.h).
  bool start_stream(uint64_t seq, Response&& head);  // false: answered as a plain 409 instead
  bool stream_send(std::string data);
  bool streaming() const { return streaming_ && phase_ == Phase::kFinishing; }
  void end_stream();

  // --- Server side.
  void begin_drain();  // server shutdown: answer what is in flight, then close
  void abandon();      // server destroyed: forget the loop and close now

  // Intrusive list links owned by the Server.
  Connection* prev = nullptr;
  Connection* next = nullptr;

 private:
  enum class Phase : uint8_t {
    kReading,    // parsing requests
    kFinishing,  // no more requests; closes once the queued responses are written
    kLingering,  // FIN sent; discarding input until the peer closes or the timer fires
    kClosed,     // uv_close issued
  };

  struct Slot {
    std::string head;  // capacity reused across requests
    std::string body;
    bool ready = false;
    bool close_after = false;
    // Request slots only (set at dispatch):
    bool keep_alive = true;
    bool head_only = false;  // HEAD request: send the head, not the body
    bool http10 = false;
  };

  ~Connection() = default;

  // Ring of slots, front = oldest. Slots are heap objects so that growing the ring never moves
  // a string an outstanding uv_write points into (a short body lives inside its std::string).
  Slot& slot_at(size_t i) const { return *ring_[(ring_head_ + i) & (ring_.size() - 1)]; }
  Slot& push_slot();
  void pop_slot();

  void parse(const char* data, size_t len);
  void dispatch(Request&& req);
  void respond_error(int status);
  void push_continue();
  void flush();
  void after_write(int status);
  bool written_slots(size_t n);  // pops n written slots; false if the connection is closing
  void maybe_finish();
  void begin_linger();
  void close_now();
  void stop_reading();
  void start_reading();
  void maybe_resume();
  void on_timer();
  void on_read(ssize_t nread, const uv_buf_t* buf);
  void on_handle_closed();

  void begin();              // the socket is open: timers, reading (or the 503)
  void mark_unanswerable();  // closing or lingering: the owner's alive() turns false
  void arm_timer(uint64_t ms);
  void note_request_begun();

  uv_tcp_t tcp_;
  uv_timer_t timer_;  // idle and read timeouts, then linger timeout
  uv_write_t write_req_;
  uv_shutdown_t shutdown_req_;
  IoLoop* io_;  // null once abandoned
  const bool remote_;
  const std::shared_ptr<LoopMailbox> mailbox_;  // remote only
  // Set on the loop's thread, read by the owner's Responder/StreamWriter (alive()).
  std::atomic<bool> gone_{false};         // closed or lingering: no answer can be delivered
  std::atomic<bool> stream_over_{false};  // a stream ended, was refused, or its peer left

  // Requests being parsed; when the one still incomplete began (slow clients).
  RequestParser parser_;
  uint64_t requests_begun_ = 0;
  uint64_t request_began_ms_ = 0;

  // Response queue.
  std::vector<std::unique_ptr<Slot>> ring_;  // size is a power of two
  size_t ring_head_ = 0;
  size_t ring_count_ = 0;
  uint64_t head_seq_ = 0;  // sequence number of slot_at(0)
  size_t in_flight_ = 0;   // request slots whose handler has not answered
  size_t writing_ = 0;     // slots covered by the outstanding uv_write
  std::vector<uv_buf_t> iov_;

  std::string stash_;  // input not yet parsed while reading is paused for backpressure
  uint64_t last_activity_ = 0;
  int refs_ = 1;  // the handles' reference
  int open_handles_ = 2;
  Phase phase_ = Phase::kReading;
  bool reading_ = false;
  bool paused_ = false;   // backpressure: too many queued responses
  bool parsing_ = false;  // responses answered meanwhile are written once the read is parsed
  bool peer_eof_ = false;
  bool draining_ = false;
  bool streaming_ = false;  // a streamed body is open (the last slot's response); see stream()
};

}  // namespace sluice::http
