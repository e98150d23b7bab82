// RequestParser: llhttp driven exactly as broker/http/connection.cpp drives it, for benchmarks.
// Connection's parser is private to connection.cpp (its callbacks are members of a class that also
// owns a uv_tcp_t), so this class repeats its callbacks doing the same work: lower-cased header
// names appended into a reused Request, head-size and body-cap checks, body reserved to
// Content-Length, pause on message-complete, resume, and the Request handed off by move. Keep it
// in step with connection.cpp. Thread: one parser per thread.
#pragma once

#include <benchmark/benchmark.h>
#include <llhttp.h>

#include <cstddef>
#include <string>
#include <utility>

#include "broker/http/request.h"

namespace sluice::microbench {

namespace request_parser_detail {
inline char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace request_parser_detail

class RequestParser {
 public:
  RequestParser() {
    llhttp_settings_init(&settings_);
    settings_.on_message_begin = &on_message_begin;
    settings_.on_url = &on_url;
    settings_.on_header_field = &on_header_field;
    settings_.on_header_field_complete = &on_header_field_complete;
    settings_.on_header_value = &on_header_value;
    settings_.on_headers_complete = &on_headers_complete;
    settings_.on_body = &on_body;
    settings_.on_message_complete = &on_message_complete;
    llhttp_init(&parser_, HTTP_REQUEST, &settings_);
    parser_.data = this;
  }

  // Parses one read's worth of bytes; every complete request is moved into `sink`. Returns the
  // number of requests dispatched, or -1 on a parse error.
  template <class Sink>
  int parse(const char* data, size_t len, Sink&& sink) {
    int n = 0;
    while (len > 0) {
      llhttp_errno_t err = llhttp_execute(&parser_, data, len);
      if (err == HPE_OK) return n;
      if (err != HPE_PAUSED) return -1;
      const char* stop = llhttp_get_error_pos(&parser_);
      len -= static_cast<size_t>(stop - data);
      data = stop;
      llhttp_resume(&parser_);
      if (message_ready_) {
        message_ready_ = false;
        sink(std::move(req_));
        ++n;
      }
    }
    return n;
  }

 private:
  static RequestParser* from(llhttp_t* p) { return static_cast<RequestParser*>(p->data); }

  static int on_message_begin(llhttp_t* p) {
    RequestParser* c = from(p);
    http::Request& r = c->req_;
    r.method.clear();
    r.target.clear();
    r.headers.clear();
    r.body.clear();
    r.headers.reserve(16);
    c->head_bytes_ = 0;
    c->in_field_ = false;
    return 0;
  }
  static int on_url(llhttp_t* p, const char* at, size_t len) {
    RequestParser* c = from(p);
    c->head_bytes_ += len;
    if (c->head_bytes_ > kMaxHeaderBytes) return HPE_USER;
    c->req_.target.append(at, len);
    return 0;
  }
  static int on_header_field(llhttp_t* p, const char* at, size_t len) {
    RequestParser* c = from(p);
    c->head_bytes_ += len;
    if (!c->in_field_) {
      c->in_field_ = true;
      c->head_bytes_ += 4;
      c->req_.headers.emplace_back();
    }
    if (c->head_bytes_ > kMaxHeaderBytes) return HPE_USER;
    std::string& name = c->req_.headers.back().name;
    size_t old = name.size();
    name.resize(old + len);
    for (size_t i = 0; i < len; ++i) name[old + i] = request_parser_detail::lower(at[i]);
    return 0;
  }
  static int on_header_field_complete(llhttp_t* p) {
    from(p)->in_field_ = false;
    return 0;
  }
  static int on_header_value(llhttp_t* p, const char* at, size_t len) {
    RequestParser* c = from(p);
    c->head_bytes_ += len;
    if (c->head_bytes_ > kMaxHeaderBytes) return HPE_USER;
    if (!c->req_.headers.empty()) c->req_.headers.back().value.append(at, len);
    return 0;
  }
  static int on_headers_complete(llhttp_t* p) {
    RequestParser* c = from(p);
    http::Request& r = c->req_;
    r.method = llhttp_method_name(static_cast<llhttp_method_t>(p->method));
    bool has_length = (p->flags & F_CONTENT_LENGTH) != 0;
    if (has_length && p->content_length > kMaxBodyBytes) return -1;
    if (has_length) r.body.reserve(static_cast<size_t>(p->content_length));
    // connection.cpp looks up "expect" here when a body follows.
    bool expects_body = (p->flags & F_CHUNKED) != 0 || (has_length && p->content_length > 0);
    if (expects_body) benchmark::DoNotOptimize(r.header("expect"));
    return 0;
  }
  static int on_body(llhttp_t* p, const char* at, size_t len) {
    RequestParser* c = from(p);
    if (c->req_.body.size() + len > kMaxBodyBytes) return HPE_USER;
    c->req_.body.append(at, len);
    return 0;
  }
  static int on_message_complete(llhttp_t* p) {
    RequestParser* c = from(p);
    c->keep_alive_ = llhttp_should_keep_alive(p) != 0 && p->upgrade == 0;
    c->message_ready_ = true;
    return HPE_PAUSED;
  }

  static constexpr size_t kMaxHeaderBytes = 64 * 1024;
  static constexpr size_t kMaxBodyBytes = 3 << 20;

  llhttp_settings_t settings_;
  llhttp_t parser_;
  http::Request req_;
  size_t head_bytes_ = 0;
  bool in_field_ = false;
  bool message_ready_ = false;
  bool keep_alive_ = true;
};

}  // namespace sluice::microbench
