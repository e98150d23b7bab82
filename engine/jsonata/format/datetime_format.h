// Date/time formatting and parsing for JSONata's $fromMillis and $toMillis: XPath F&O 3.1
// format-dateTime picture strings (§9.8.4) as JSONata 2.0.6 implements them, including its
// quirks, so that results agree with the reference implementation character for character.
//
// Pure functions: no evaluator, no JSON values, no locale, no clock (the caller passes "now").
// Analysed pictures are kept in a small per-thread cache, so a picture used message after message
// is analysed once per thread; results do not depend on it. Safe to call from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/jsonata/format/format_error.h"
#include "storage/result.h"

namespace sluice::engine::jsonata::format {

// $fromMillis(millis, picture?, timezone?). Without a picture: ISO 8601 with milliseconds,
// "2018-01-01T00:00:00.000Z" (or "...+05:30" with a timezone). `timezone` is JSONata's "±HHMM"
// string, read the way JSONata reads it (an integer: "-0500" is -5 h; "+01:00" reads as +1
// minute, as in the reference). Outside the JavaScript Date range (±8.64e15 ms), or with a zone
// that is not a number, the fields print as "NaN", as the reference does. Errors: D3130, D3131,
// D3132, D3133, D3134, D3135, and the reference's JavaScript failures (see FormatError).
Result<std::string, FormatError> format_datetime(int64_t millis,
                                                 std::optional<std::string_view> picture,
                                                 std::optional<std::string_view> timezone);

// The same for a JSONata number that is not an integer (or not finite): the millis are
// truncated toward zero after the timezone offset is added, as JavaScript's Date does.
Result<std::string, FormatError> format_datetime_number(double millis,
                                                        std::optional<std::string_view> picture,
                                                        std::optional<std::string_view> timezone);

// $toMillis(text, picture?). Without a picture the text must match JSONata's ISO 8601 pattern
// (else D3110) and is then read as JavaScript's Date.parse reads it, in UTC (a date-time without
// an offset counts as UTC, as on a server whose local zone is UTC). With a picture the text is
// matched against it; missing leading components default to those of `now_millis` (JSONata's
// evaluation timestamp, the same one $now() gives), missing trailing ones to their minimum.
// Result: std::nullopt where JSONata returns undefined (the text does not match the picture, or
// the picture has no components); NaN where JSONata returns NaN (an invalid date such as
// "2018-13-01"). Errors: D3110, D3130, D3131, D3132, D3133, D3135, D3136, and the reference's
// JavaScript failures.
Result<std::optional<double>, FormatError> parse_datetime(std::string_view text,
                                                          std::optional<std::string_view> picture,
                                                          int64_t now_millis);

}  // namespace sluice::engine::jsonata::format
