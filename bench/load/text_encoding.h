// Escaping for the two request encodings: JSON string literals (AWS JSON 1.0 bodies) and
// percent-encoding (query-protocol form bodies and SigV4 canonical strings, RFC 3986 unreserved
// set, which every SQS endpoint accepts).
#pragma once

#include <string>
#include <string_view>

namespace sluice::bench {

// Appends `s` as a quoted JSON string.
void append_json_string(std::string& out, std::string_view s);

// Appends `s` percent-encoded: everything except A-Z a-z 0-9 - _ . ~ becomes %XX.
void append_percent_encoded(std::string& out, std::string_view s);

}  // namespace sluice::bench
