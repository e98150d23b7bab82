#include "bench/load/http_response_parser.h"

#include <simdjson.h>
#include <strings.h>

#include <utility>

namespace sluice::bench {
namespace {

HttpResponseParser* self(llhttp_t* p) {
  return static_cast<HttpResponseParser*>(p->data);
}

void reserve_padded(std::string& body, size_t size) {
  body.reserve(size + simdjson::SIMDJSON_PADDING);
}

}  // namespace

HttpResponseParser::HttpResponseParser() {
  llhttp_settings_init(&settings_);
  settings_.on_message_begin = &on_message_begin;
  settings_.on_header_field = &on_header_field;
  settings_.on_header_value = &on_header_value;
  settings_.on_header_value_complete = &on_header_value_complete;
  settings_.on_headers_complete = &on_headers_complete;
  settings_.on_body = &on_body;
  settings_.on_message_complete = &on_message_complete;
  reset();
}

void HttpResponseParser::reset() {
  llhttp_init(&parser_, HTTP_RESPONSE, &settings_);
  parser_.data = this;
  current_ = HttpResponse{};
  header_field_.clear();
  header_value_.clear();
  in_message_ = false;
  error_.clear();
}

int HttpResponseParser::on_message_begin(llhttp_t* p) {
  HttpResponseParser* s = self(p);
  s->current_ = HttpResponse{};
  s->header_field_.clear();
  s->header_value_.clear();
  s->in_message_ = true;
  return 0;
}

int HttpResponseParser::on_header_field(llhttp_t* p, const char* at, size_t len) {
  self(p)->header_field_.append(at, len);
  return 0;
}

int HttpResponseParser::on_header_value(llhttp_t* p, const char* at, size_t len) {
  self(p)->header_value_.append(at, len);
  return 0;
}

int HttpResponseParser::on_header_value_complete(llhttp_t* p) {
  HttpResponseParser* s = self(p);
  if (strcasecmp(s->header_field_.c_str(), "x-amzn-query-error") == 0) {
    s->current_.query_error = s->header_value_;
  }
  s->header_field_.clear();
  s->header_value_.clear();
  return 0;
}

int HttpResponseParser::on_headers_complete(llhttp_t* p) {
  HttpResponseParser* s = self(p);
  s->current_.status = llhttp_get_status_code(p);
  // Reserve once from Content-Length (bounded, a hostile length must not allocate gigabytes).
  const uint64_t length = p->content_length;
  const size_t expected =
      (p->flags & F_CONTENT_LENGTH) && length < (64u << 20) ? static_cast<size_t>(length) : 0;
  reserve_padded(s->current_.body, expected);
  return 0;
}

int HttpResponseParser::on_body(llhttp_t* p, const char* at, size_t len) {
  std::string& body = self(p)->current_.body;
  if (body.size() + len + simdjson::SIMDJSON_PADDING > body.capacity()) {
    reserve_padded(body, 2 * (body.size() + len));
  }
  body.append(at, len);
  return 0;
}

int HttpResponseParser::on_message_complete(llhttp_t* p) {
  HttpResponseParser* s = self(p);
  s->current_.keep_alive = llhttp_should_keep_alive(p) != 0;
  s->in_message_ = false;
  s->out_->push_back(std::move(s->current_));
  s->current_ = HttpResponse{};
  return 0;
}

bool HttpResponseParser::feed(std::string_view data, std::vector<HttpResponse>& out) {
  if (!error_.empty()) return false;
  out_ = &out;
  const llhttp_errno_t err = llhttp_execute(&parser_, data.data(), data.size());
  out_ = nullptr;
  if (err != HPE_OK) {
    error_ = std::string(llhttp_errno_name(err)) + ": " + llhttp_get_error_reason(&parser_);
    return false;
  }
  return true;
}

bool HttpResponseParser::finish(std::vector<HttpResponse>& out) {
  if (!error_.empty()) return false;
  out_ = &out;
  const llhttp_errno_t err = llhttp_finish(&parser_);
  out_ = nullptr;
  if (err != HPE_OK) {
    error_ = std::string(llhttp_errno_name(err)) + ": " + llhttp_get_error_reason(&parser_);
    return false;
  }
  return !in_message_;
}

}  // namespace sluice::bench
