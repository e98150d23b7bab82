// IoLoop: the connections of one uv loop: their list, the loop's read buffer and counters, and
// where their complete requests go. The Server has one (inline) or N (threaded, --io-threads).
//
// Thread model:
//  - Inline (ServerOptions::io_threads == 0): one IoLoop on the owner's loop. The handler runs
//    straight from the parser and its Responder calls the Connection directly: one thread does
//    everything, exactly as before I/O threads existed.
//  - Threaded (io_threads == N >= 1): N IoLoops, each with its own thread and uv loop. The owner
//    (the thread that runs the Server's loop, the handler and the stores) only listens: it
//    accepts and hands each socket, round robin, to an IoLoop (LoopMailbox kAdopt). The IoLoop
//    owns everything socket and HTTP: reading, RequestParser, the response ring, writev,
//    timeouts, backpressure, the 503 over max_connections. A complete request goes to the
//    owner's inbox (Server::Inbox: a mutex, a vector, one uv_async_send that libuv coalesces),
//    the owner runs the unchanged Handler, and the Responder posts the answer back to the
//    connection's LoopMailbox.
//
// Invariants (threaded):
//  - A Connection's plain members are touched only by its IoLoop's thread, or by whoever holds
//    the last reference after that thread has ended (LoopMailbox::close refuses posts from then).
//  - The owner touches a Connection only through LoopMailbox messages, its const members
//    (remote()) and its atomics (gone(), stream_over()): Responder::alive and StreamWriter::alive
//    read those atomics.
//  - Each dispatched request holds one reference on its Connection, taken by the IoLoop at
//    dispatch and dropped by the IoLoop when that request's last message arrives (kComplete, or
//    kStreamEnd once it became a stream), so the owner never sees freed memory.
//  - One Responder's or StreamWriter's messages arrive in the order they were posted (one FIFO
//    per IoLoop, one poster: the owner).
//  - Server::shutdown drains every IoLoop; each reports once when its connections are all
//    closed, and on_drained runs once, on the owner's loop, after the last report.
//
// One difference a client can see: every answer is asynchronous when threaded, so a client that
// half-closes (EOF) right after sending finds its requests in flight and is taken as gone, as an
// inline server takes it when the handler answers later (connection.cpp, on_read). No SDK does.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include <uv.h>

#include "broker/http/loop_mailbox.h"
#include "broker/http/request.h"
#include "broker/http/server_stats.h"

namespace sluice::http {

class Connection;
class Server;
struct ServerOptions;

class IoLoop {
 public:
  // Inline: runs on `owner_loop`, the Server's own. Threaded (owner_loop null): its own loop and
  // thread, started at once.
  IoLoop(Server* server, uv_loop_t* owner_loop);
  // Abandons the connections still open (closes them now) and, threaded, ends and joins the
  // thread.
  ~IoLoop();
  IoLoop(const IoLoop&) = delete;
  IoLoop& operator=(const IoLoop&) = delete;

  // --- Owner side.
  void accept(uv_stream_t* listener);  // inline only: the listener's connection callback
  void adopt(int fd);                  // threaded only: serve an accepted socket
  void drain();                        // Server::shutdown
  const ServerCounters& counters() const { return counters_; }

  // --- Connection side (this loop's thread).
  uv_loop_t* loop() const { return loop_; }
  bool threaded() const { return threaded_; }
  const ServerOptions& options() const;
  ServerCounters& counters() { return counters_; }
  const std::shared_ptr<LoopMailbox>& mailbox() const { return mailbox_; }
  static constexpr size_t kReadBufferSize = 64 * 1024;
  // One read buffer for the whole loop: a read is parsed (and copied out) before the next read
  // of any connection, so connections never need their own.
  char* read_buf() { return read_buf_.get(); }
  bool over_capacity() const;  // more connections open (in all loops) than max_connections
  void dispatch(Request&& req, Connection* c, uint64_t seq);
  void connection_closed(Connection* c);  // from the connection's last close callback

 private:
  void add(Connection* c);
  void run();  // the thread
  void on_mail();
  void stop();         // loop thread: abandon everything, close the mailbox's handle
  void drain_here();   // loop thread: drain (once), as Server::shutdown asks
  void abandon_all();  // loop thread (or the destructor, inline): close every connection now
  void maybe_drained();

  Server* server_;
  const bool threaded_;
  uv_loop_t own_loop_;
  uv_loop_t* loop_;
  std::shared_ptr<LoopMailbox> mailbox_;
  uv_async_t async_;  // threaded: the mailbox's wake-up
  std::vector<LoopMessage> mail_;
  ServerCounters counters_;
  std::unique_ptr<char[]> read_buf_;
  // Intrusive list of live connections (accepted and not yet fully closed).
  Connection* connections_ = nullptr;
  size_t open_ = 0;
  bool draining_ = false;
  bool drained_ = false;
  std::thread thread_;
};

}  // namespace sluice::http
