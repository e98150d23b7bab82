// RequestParser: llhttp's callbacks fill a Request and enforce the limits.
#include "broker/http/request_parser.h"

#include <string_view>
#include <utility>

namespace sluice::http {

namespace {

RequestParser* from(llhttp_t* p) {
  return static_cast<RequestParser*>(p->data);
}

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view lower_b) {
  if (a.size() != lower_b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower_b[i]) return false;
  }
  return true;
}

}  // namespace

const llhttp_settings_t* RequestParser::settings() {
  static const llhttp_settings_t settings = [] {
    llhttp_settings_t s;
    llhttp_settings_init(&s);
    s.on_message_begin = &RequestParser::on_message_begin;
    s.on_url = &RequestParser::on_url;
    s.on_header_field = &RequestParser::on_header_field;
    s.on_header_field_complete = &RequestParser::on_header_field_complete;
    s.on_header_value = &RequestParser::on_header_value;
    s.on_headers_complete = &RequestParser::on_headers_complete;
    s.on_body = &RequestParser::on_body;
    s.on_message_complete = &RequestParser::on_message_complete;
    return s;
  }();
  return &settings;
}

RequestParser::RequestParser(const RequestLimits& limits) : limits_(limits) {
  llhttp_init(&parser_, HTTP_REQUEST, settings());
  parser_.data = this;
}

RequestParser::Step RequestParser::feed(const char* data, size_t len) {
  if (stopped_) return {error_status_ != 0 ? Outcome::kError : Outcome::kUpgrade, 0};
  if (len == 0) return {Outcome::kNeedMore, 0};
  llhttp_errno_t err = llhttp_execute(&parser_, data, len);
  if (err == HPE_OK) return {Outcome::kNeedMore, len};
  size_t used = static_cast<size_t>(llhttp_get_error_pos(&parser_) - data);
  if (err == HPE_PAUSED || err == HPE_PAUSED_UPGRADE) {
    // on_message_complete pauses so that the caller handles each request outside llhttp's
    // callbacks; an upgrade (or CONNECT) ends the HTTP/1.1 byte stream after its request.
    if (err == HPE_PAUSED) llhttp_resume(&parser_);
    if (err == HPE_PAUSED_UPGRADE || parser_.upgrade != 0) {
      stopped_ = true;
      keep_alive_ = false;
    }
    if (message_ready_) return {Outcome::kRequest, used};
    return {stopped_ ? Outcome::kUpgrade : Outcome::kNeedMore, used};
  }
  stopped_ = true;
  if (error_status_ == 0) error_status_ = 400;
  return {Outcome::kError, used};
}

Request RequestParser::take_request() {
  message_ready_ = false;
  return std::move(req_);
}

bool RequestParser::take_continue() {
  return std::exchange(wants_continue_, false);
}

int RequestParser::refuse(int status) {
  error_status_ = status;
  return HPE_USER;
}

int RequestParser::on_message_begin(llhttp_t* p) {
  RequestParser* self = from(p);
  Request& r = self->req_;
  r.method.clear();
  r.target.clear();
  r.headers.clear();
  r.body.clear();
  r.headers.reserve(16);
  self->head_bytes_ = 0;
  self->in_field_ = false;
  self->in_message_ = true;
  ++self->messages_begun_;
  return 0;
}

int RequestParser::on_url(llhttp_t* p, const char* at, size_t len) {
  RequestParser* self = from(p);
  self->head_bytes_ += len;
  if (self->head_too_big()) return self->refuse(431);
  self->req_.target.append(at, len);
  return 0;
}

int RequestParser::on_header_field(llhttp_t* p, const char* at, size_t len) {
  RequestParser* self = from(p);
  std::vector<Header>& headers = self->req_.headers;
  self->head_bytes_ += len;
  if (!self->in_field_) {
    self->in_field_ = true;
    self->head_bytes_ += 4;  // ": " and CRLF, so a flood of empty headers still counts
    if (headers.size() >= self->limits_.max_header_fields) return self->refuse(431);
    headers.emplace_back();
  }
  if (self->head_too_big()) return self->refuse(431);
  std::string& name = headers.back().name;
  size_t old = name.size();
  name.resize(old + len);
  for (size_t i = 0; i < len; ++i) name[old + i] = lower(at[i]);
  return 0;
}

int RequestParser::on_header_field_complete(llhttp_t* p) {
  from(p)->in_field_ = false;
  return 0;
}

int RequestParser::on_header_value(llhttp_t* p, const char* at, size_t len) {
  RequestParser* self = from(p);
  self->head_bytes_ += len;
  if (self->head_too_big()) return self->refuse(431);
  if (!self->req_.headers.empty()) self->req_.headers.back().value.append(at, len);
  return 0;
}

int RequestParser::on_headers_complete(llhttp_t* p) {
  RequestParser* self = from(p);
  Request& r = self->req_;
  r.method = llhttp_method_name(static_cast<llhttp_method_t>(p->method));
  self->head_method_ = p->method == HTTP_HEAD;
  self->http10_ = p->http_major == 1 && p->http_minor == 0;
  size_t cap = self->limits_.max_body_bytes;
  bool has_length = (p->flags & F_CONTENT_LENGTH) != 0;
  if (has_length && p->content_length > cap) {
    self->error_status_ = 413;
    return -1;  // on_headers_complete's error value (HPE_USER means something else here)
  }
  if (has_length) r.body.reserve(static_cast<size_t>(p->content_length) + kBodySpareCapacity);
  bool expects_body = (p->flags & F_CHUNKED) != 0 || (has_length && p->content_length > 0);
  if (expects_body && p->http_major == 1 && p->http_minor >= 1) {
    const std::string* expect = r.header("expect");
    if (expect != nullptr && iequals(*expect, "100-continue")) self->wants_continue_ = true;
  }
  return 0;
}

int RequestParser::on_body(llhttp_t* p, const char* at, size_t len) {
  RequestParser* self = from(p);
  if (self->req_.body.size() + len > self->limits_.max_body_bytes) return self->refuse(413);
  self->req_.body.append(at, len);
  return 0;
}

int RequestParser::on_message_complete(llhttp_t* p) {
  RequestParser* self = from(p);
  self->keep_alive_ = llhttp_should_keep_alive(p) != 0 && p->upgrade == 0;
  self->in_message_ = false;
  self->message_ready_ = true;
  return HPE_PAUSED;
}

}  // namespace sluice::http
