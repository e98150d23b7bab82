// Base64 (RFC 4648, standard alphabet, '=' padding): how both SQS protocols carry blobs
// (BinaryValue of message attributes). Pure functions; any thread.
#pragma once

#include <string>
#include <string_view>

namespace sluice::protocol {

// Appends the padded encoding of `bytes` to `out`.
void base64_encode(std::string_view bytes, std::string& out);
std::string base64_encode(std::string_view bytes);

// Appends the decoded bytes to `out`. Accepts padded input and, as the SDKs' decoders do,
// unpadded input; rejects other characters, whitespace, misplaced '=' and a dangling single
// character (returns false; `out` is then unspecified).
bool base64_decode(std::string_view text, std::string& out);

}  // namespace sluice::protocol
