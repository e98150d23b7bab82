// AmzDate: the X-Amz-Date value (YYYYMMDDTHHMMSSZ, UTC) every signed request carries, formatted
// once per second rather than per request. One per request builder (loop thread).
#pragma once

#include <chrono>
#include <ctime>
#include <string_view>

namespace sluice::bench {

class AmzDate {
 public:
  std::string_view now() {
    const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    if (t != cached_second_) {
      std::tm tm{};
      gmtime_r(&t, &tm);
      std::strftime(text_, sizeof(text_), "%Y%m%dT%H%M%SZ", &tm);
      cached_second_ = t;
    }
    return text_;
  }

 private:
  std::time_t cached_second_ = 0;
  char text_[17] = {};
};

}  // namespace sluice::bench
