// Request: one parsed HTTP/1.1 request as the server hands it to the handler. The handler owns
// it (it is moved in), so it may keep it across an asynchronous answer.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sluice::http {

struct Header {
  std::string name;  // lower-cased by the parser, so lookups compare bytes
  std::string value;
};

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // raw request-target, not decoded
  std::vector<Header> headers;
  std::string body;  // de-chunked

  // The target split at the first '?'; neither part is percent-decoded.
  std::string_view path() const;
  std::string_view query() const;

  // First header with this (lower-case) name, or nullptr.
  const std::string* header(std::string_view lower_name) const;
};

}  // namespace sluice::http
