// AWS JSON 1.0 request decoding for SQS: the body of a POST with X-Amz-Target AmazonSQS.<Action>
// into a typed request, in one pass with simdjson on-demand (no DOM). Member names are the
// model's; maps are JSON objects; blobs are base64. Any thread (the parser is thread_local).
#pragma once

#include <cstddef>
#include <string_view>

#include "broker/sqs/api/action.h"
#include "broker/sqs/api/requests.h"
#include "storage/result.h"

namespace sluice::sqs {

// Bytes that must be readable after the body for in-place parsing (SIMDJSON_PADDING).
inline constexpr std::size_t kJsonPadding = 64;

// Unknown members are ignored. Malformed JSON, a body that is not an object, or a member of the
// wrong JSON type is ErrorCode::kSerialization; a missing required scalar is kMissingParameter.
// When `padded` is true the caller guarantees kJsonPadding readable bytes after body.end() (e.g.
// a std::string whose capacity leaves room) and the body is parsed in place; otherwise it is
// copied once into a reused per-thread buffer. An empty body is treated as "{}".
Result<AnyRequest> decode_json(Action action, std::string_view body, bool padded = false);

}  // namespace sluice::sqs
