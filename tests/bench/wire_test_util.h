// Helpers for the sluice-bench wire tests: split a built HTTP request, decode form bodies, build
// canned HTTP responses.
#pragma once

#include <simdjson.h>

#include <map>
#include <string>
#include <string_view>

#include "bench/load/http_response.h"

namespace sluice::bench::testing {

struct SplitRequest {
  std::string request_line;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

inline SplitRequest split_request(std::string_view wire) {
  SplitRequest out;
  const size_t head_end = wire.find("\r\n\r\n");
  std::string_view head = wire.substr(0, head_end);
  out.body.assign(wire.substr(head_end + 4));
  size_t pos = head.find("\r\n");
  out.request_line.assign(head.substr(0, pos));
  while (pos != std::string_view::npos) {
    const size_t start = pos + 2;
    const size_t next = head.find("\r\n", start);
    const std::string_view line =
        head.substr(start, next == std::string_view::npos ? head.size() - start : next - start);
    const size_t colon = line.find(':');
    std::string name(line.substr(0, colon));
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    out.headers[name] = std::string(value);
    pos = next;
  }
  return out;
}

inline std::string percent_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out.push_back(static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else if (s[i] == '+') {
      out.push_back(' ');
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

inline std::map<std::string, std::string> decode_form(std::string_view body) {
  std::map<std::string, std::string> out;
  size_t pos = 0;
  while (pos <= body.size()) {
    size_t amp = body.find('&', pos);
    if (amp == std::string_view::npos) amp = body.size();
    const std::string_view pair = body.substr(pos, amp - pos);
    const size_t eq = pair.find('=');
    if (!pair.empty())
      out[percent_decode(pair.substr(0, eq))] = percent_decode(pair.substr(eq + 1));
    pos = amp + 1;
  }
  return out;
}

inline HttpResponse response(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.body.reserve(body.size() + simdjson::SIMDJSON_PADDING);
  r.body.append(body);
  return r;
}

}  // namespace sluice::bench::testing
