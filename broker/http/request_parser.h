// RequestParser: HTTP/1.1 request framing (llhttp) under the server's limits, apart from any
// socket, so that framing is unit-tested and fuzzed on its own (tests/fuzz/http_framing.cpp).
// Thread: whoever owns it; it keeps no global state.
//
// Promises:
//  - The requests it yields, and the error that ends a connection, are the same however the
//    input is split into feed() calls.
//  - A head over max_header_bytes (request line and fields, counted as they arrive) or with
//    more than max_header_fields fields ends in 431; a Content-Length over max_body_bytes in
//    413 before any body byte is read, a chunked body growing past it in 413 too; anything
//    llhttp rejects in 400. After an error, or after a request that upgrades the protocol,
//    feed() consumes nothing more.
//  - Header names are lower-cased; bodies are de-chunked.
#pragma once

#include <cstddef>
#include <cstdint>

#include <llhttp.h>

#include "broker/http/request.h"

namespace sluice::http {

// Spare capacity reserved after a body whose Content-Length is known, so that a SIMD parser
// (simdjson reads up to 64 bytes past the end) can parse the body in place instead of copying it.
inline constexpr size_t kBodySpareCapacity = 64;

struct RequestLimits {
  size_t max_body_bytes = 3 << 20;
  size_t max_header_bytes = 64 * 1024;
  size_t max_header_fields = 128;
};

class RequestParser {
 public:
  enum class Outcome : uint8_t {
    kNeedMore,  // every byte consumed; the next request (if any) is not complete yet
    kRequest,   // a request is complete: take_request(), then feed the rest
    kError,     // the input is refused: error_status() says how; the connection must close
    kUpgrade,   // an upgrade request: nothing after it is parsed
  };
  struct Step {
    Outcome outcome;
    size_t consumed;  // bytes of the input this step used
  };

  explicit RequestParser(const RequestLimits& limits);
  RequestParser(const RequestParser&) = delete;
  RequestParser& operator=(const RequestParser&) = delete;

  // Parses from data until a request completes, an error, or the input ends.
  Step feed(const char* data, size_t len);

  // The request that kRequest reported, and how it was framed.
  Request take_request();
  bool keep_alive() const { return keep_alive_; }
  bool head_method() const { return head_method_; }
  bool http10() const { return http10_; }

  // 400, 413 or 431 once feed() returned kError.
  int error_status() const { return error_status_; }

  // True once per request that sent "Expect: 100-continue" with a body still to come (HTTP/1.1
  // only): the caller answers "100 Continue" before the request's own response.
  bool take_continue();

  // Some bytes of a request have arrived but not the whole request (timeouts of slow clients),
  // and how many requests have begun so far (to tell a new one from the same one).
  bool in_message() const { return in_message_; }
  uint64_t messages_begun() const { return messages_begun_; }

 private:
  static int on_message_begin(llhttp_t* p);
  static int on_url(llhttp_t* p, const char* at, size_t len);
  static int on_header_field(llhttp_t* p, const char* at, size_t len);
  static int on_header_field_complete(llhttp_t* p);
  static int on_header_value(llhttp_t* p, const char* at, size_t len);
  static int on_headers_complete(llhttp_t* p);
  static int on_body(llhttp_t* p, const char* at, size_t len);
  static int on_message_complete(llhttp_t* p);
  static const llhttp_settings_t* settings();
  int refuse(int status);
  bool head_too_big() const { return head_bytes_ > limits_.max_header_bytes; }

  RequestLimits limits_;
  llhttp_t parser_;
  Request req_;
  size_t head_bytes_ = 0;
  uint64_t messages_begun_ = 0;
  int error_status_ = 0;
  bool in_field_ = false;
  bool in_message_ = false;
  bool message_ready_ = false;
  bool keep_alive_ = true;
  bool head_method_ = false;
  bool http10_ = false;
  bool wants_continue_ = false;
  bool stopped_ = false;  // after an error or an upgrade
};

}  // namespace sluice::http
