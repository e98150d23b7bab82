// Responder: the handle a handler answers through. Move-only; call send() exactly once, now or
// later (after a commit), always on the Server's (owner) loop thread; with I/O threads the
// answer is posted to the connection's loop (io_loop.h). It keeps the connection's memory alive but
// not the connection: if the peer went away meanwhile, send() is a no-op and alive() is false.
// A Responder destroyed without send() answers 500, so a forgotten request cannot stall the
// responses pipelined behind it.
#pragma once

#include <cstdint>

#include "broker/http/response.h"
#include "broker/http/stream_writer.h"

namespace sluice::http {

class Connection;

class Responder {
 public:
  Responder() = default;
  Responder(Responder&& o) noexcept : conn_(o.conn_), seq_(o.seq_) { o.conn_ = nullptr; }
  Responder& operator=(Responder&& o) noexcept;
  Responder(const Responder&) = delete;
  Responder& operator=(const Responder&) = delete;
  ~Responder();

  void send(Response&& r);
  // Answers with `head` as the start of a body that runs until the connection closes (no
  // Content-Length, "Connection: close"), and returns the writer of the rest. Requests pipelined
  // behind this one are not answered. Only the newest request of a connection may stream (a
  // browser's EventSource is); otherwise `head` is sent with status 409 and the writer is dead.
  StreamWriter stream(Response&& head);
  // True while the connection can still carry the answer (and send() has not been called).
  bool alive() const;

 private:
  friend class Connection;
  friend class IoLoop;
  friend class Server;
  Responder(Connection* conn, uint64_t seq);

  Connection* conn_ = nullptr;
  uint64_t seq_ = 0;
};

}  // namespace sluice::http
