// StreamWriter: the open body of a streamed response (Server-Sent Events). Obtained from
// Responder::stream(), which sends the head without Content-Length and with "Connection: close":
// the body is what send() writes, in order, until the writer is destroyed (or the peer leaves, or
// the server drains), and then the connection closes. Move-only; loop thread only. Like a
// Responder it keeps the connection's memory alive but not the connection: once the peer is gone
// send() returns false and alive() is false, so a publisher drops the subscriber.
#pragma once

#include <string>

namespace sluice::http {

class Connection;

class StreamWriter {
 public:
  StreamWriter() = default;
  StreamWriter(StreamWriter&& o) noexcept : conn_(o.conn_) { o.conn_ = nullptr; }
  StreamWriter& operator=(StreamWriter&& o) noexcept;
  StreamWriter(const StreamWriter&) = delete;
  StreamWriter& operator=(const StreamWriter&) = delete;
  ~StreamWriter();

  // Queues `data` for writing; false when the stream is over (nothing is written then).
  bool send(std::string data);
  bool alive() const;

 private:
  friend class Responder;
  explicit StreamWriter(Connection* conn);  // conn has a stream open

  Connection* conn_ = nullptr;
};

}  // namespace sluice::http
