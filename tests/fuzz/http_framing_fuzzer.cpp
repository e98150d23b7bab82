// http_framing_fuzzer: the server's HTTP/1.1 request framing (broker/http/request_parser) over
// arbitrary bytes. The first byte picks the limits (the defaults, or small ones that the input can
// reach) and the size of the pieces the bytes arrive in; the rest is what a client sent.
// Checks: the requests, and whether the stream ends in an error, are the same whether the bytes
// arrive at once or in pieces; every request keeps within the limits; an error is 400, 413 or
// 431; after an error or an upgrade nothing more is consumed.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "broker/http/request_parser.h"

namespace {

using sluice::http::Request;
using sluice::http::RequestLimits;
using sluice::http::RequestParser;

struct Outcome {
  std::vector<Request> requests;
  std::vector<bool> keep_alive;
  int error = 0;
  bool upgraded = false;
  size_t continues = 0;
};

void check(bool ok) {
  if (!ok) __builtin_trap();
}

Outcome run(const char* data, size_t size, size_t piece, const RequestLimits& limits) {
  RequestParser p(limits);
  Outcome out;
  size_t at = 0;
  while (at < size && out.error == 0 && !out.upgraded) {
    size_t end = size - at > piece ? at + piece : size;
    const char* d = data + at;
    size_t len = end - at;
    while (true) {
      RequestParser::Step step = p.feed(d, len);
      check(step.consumed <= len);
      d += step.consumed;
      len -= step.consumed;
      if (p.take_continue()) ++out.continues;
      if (step.outcome == RequestParser::Outcome::kError) {
        out.error = p.error_status();
        check(out.error == 400 || out.error == 413 || out.error == 431);
        check(p.feed(d, len).consumed == 0);
        break;
      }
      if (step.outcome == RequestParser::Outcome::kUpgrade) {
        out.upgraded = true;
        break;
      }
      if (step.outcome == RequestParser::Outcome::kNeedMore) {
        check(len == 0);
        break;
      }
      Request r = p.take_request();
      check(r.body.size() <= limits.max_body_bytes);
      check(r.headers.size() <= limits.max_header_fields);
      check(r.target.size() <= limits.max_header_bytes);
      out.keep_alive.push_back(p.keep_alive());
      out.requests.push_back(std::move(r));
      if (!out.keep_alive.back() && p.feed(d, len).outcome == RequestParser::Outcome::kUpgrade) {
        out.upgraded = true;
        break;
      }
    }
    at = end;
  }
  return out;
}

bool same_request(const Request& a, const Request& b) {
  if (a.method != b.method || a.target != b.target || a.body != b.body) return false;
  if (a.headers.size() != b.headers.size()) return false;
  for (size_t i = 0; i < a.headers.size(); ++i) {
    if (a.headers[i].name != b.headers[i].name || a.headers[i].value != b.headers[i].value) {
      return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  RequestLimits limits;
  if ((data[0] & 1) != 0) {
    limits.max_body_bytes = 64;
    limits.max_header_bytes = 256;
    limits.max_header_fields = 6;
  }
  size_t piece = 1 + ((data[0] >> 1) % 16);
  const char* bytes = reinterpret_cast<const char*>(data) + 1;
  size_t n = size - 1;

  Outcome whole = run(bytes, n, n == 0 ? 1 : n, limits);
  Outcome split = run(bytes, n, piece, limits);
  // Where the error is found may differ by a few bytes (a span llhttp hands over in pieces is
  // measured sooner), and so may which limit or rule it breaks first: not whether there is one,
  // nor any request before it.
  check((whole.error != 0) == (split.error != 0));
  check(whole.upgraded == split.upgraded);
  check(whole.requests.size() == split.requests.size());
  for (size_t i = 0; i < whole.requests.size(); ++i) {
    check(same_request(whole.requests[i], split.requests[i]));
    check(whole.keep_alive[i] == split.keep_alive[i]);
  }
  return 0;
}
