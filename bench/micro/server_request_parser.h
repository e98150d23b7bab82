// RequestParser: the server's own request framing (broker/http/request_parser.h), driven the
// way broker/http/connection.cpp drives it, for benchmarks: each read's bytes fed until they are
// used up, every complete request moved out. Thread: one parser per thread.
#pragma once

#include <cstddef>
#include <utility>

#include "broker/http/request_parser.h"

namespace sluice::microbench {

class RequestParser {
 public:
  // Parses one read's worth of bytes; every complete request is moved into `sink`. Returns the
  // number of requests dispatched, or -1 on a parse error.
  template <class Sink>
  int parse(const char* data, size_t len, Sink&& sink) {
    int n = 0;
    while (true) {
      http::RequestParser::Step step = parser_.feed(data, len);
      data += step.consumed;
      len -= step.consumed;
      if (step.outcome == http::RequestParser::Outcome::kNeedMore) return n;
      if (step.outcome != http::RequestParser::Outcome::kRequest) return -1;
      sink(parser_.take_request());
      ++n;
    }
  }

 private:
  http::RequestParser parser_{http::RequestLimits{}};
};

}  // namespace sluice::microbench
