// JSON text -> json::Value, through simdjson's DOM parser (one parser per thread, reused, so a
// parse allocates only for the Value it builds). Integers that fit int64 stay exact; other
// numbers become doubles. Duplicate keys: the last value wins (as Jackson, which AWS uses, does).
#pragma once

#include <string_view>

#include "engine/json/json_value.h"
#include "storage/result.h"

namespace sluice::engine::json {

// Fails with ErrorCode::kSerialization (message says why) on malformed JSON, trailing content or
// an integer beyond 64 bits.
Result<Value> parse(std::string_view text);

}  // namespace sluice::engine::json
