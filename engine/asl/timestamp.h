// Timestamp: an instant read from the RFC 3339 profile ASL requires ("2016-03-14T01:59:00Z",
// uppercase T, Z or a numeric offset, optional fractional seconds). Used by the Timestamp* Choice
// operators, IsTimestamp, and Wait's Timestamp/TimestampPath. A plain value type.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::engine::asl {

struct Timestamp {
  int64_t seconds = 0;  // since the Unix epoch, UTC
  int32_t nanos = 0;    // 0..999'999'999

  friend auto operator<=>(const Timestamp&, const Timestamp&) = default;
  int64_t epoch_millis() const { return seconds * 1000 + nanos / 1'000'000; }
};

// nullopt unless text is a valid ASL timestamp.
std::optional<Timestamp> parse_timestamp(std::string_view text);

// "2024-03-01T12:00:00.123Z": epoch milliseconds as the context object shows times.
std::string format_timestamp_ms(int64_t ms);

}  // namespace sluice::engine::asl
