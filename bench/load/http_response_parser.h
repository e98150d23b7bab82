// HttpResponseParser: turns the bytes of one connection into HttpResponses, with llhttp. Responses
// to pipelined requests arrive in request order, so the parser only has to split the stream. Owned
// by one HttpConnection; used on its loop thread.
#pragma once

#include <llhttp.h>

#include <string>
#include <string_view>
#include <vector>

#include "bench/load/http_response.h"

namespace sluice::bench {

class HttpResponseParser {
 public:
  HttpResponseParser();
  HttpResponseParser(const HttpResponseParser&) = delete;
  HttpResponseParser& operator=(const HttpResponseParser&) = delete;

  // Parses `data`; every response completed by it is appended to `out`. Returns false on a protocol
  // error (then error() says why, and the connection must be dropped).
  bool feed(std::string_view data, std::vector<HttpResponse>& out);
  // The peer closed: completes a response whose body runs to end of stream. False if a response was
  // cut short.
  bool finish(std::vector<HttpResponse>& out);
  // True while a response has started but not completed.
  bool mid_response() const { return in_message_; }
  const std::string& error() const { return error_; }
  // Forget all state (a new connection).
  void reset();

 private:
  static int on_message_begin(llhttp_t* p);
  static int on_header_field(llhttp_t* p, const char* at, size_t len);
  static int on_header_value(llhttp_t* p, const char* at, size_t len);
  static int on_header_value_complete(llhttp_t* p);
  static int on_headers_complete(llhttp_t* p);
  static int on_body(llhttp_t* p, const char* at, size_t len);
  static int on_message_complete(llhttp_t* p);

  llhttp_settings_t settings_;
  llhttp_t parser_;
  HttpResponse current_;
  std::string header_field_;
  std::string header_value_;
  std::vector<HttpResponse>* out_ = nullptr;
  bool in_message_ = false;
  std::string error_;
};

}  // namespace sluice::bench
