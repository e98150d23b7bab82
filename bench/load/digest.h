// Digests the SQS wire needs (OpenSSL EVP): MD5 of message bodies (MD5OfMessageBody), SHA-256 and
// HMAC-SHA-256 for SigV4. Each thread reuses one EVP context, so hashing allocates nothing.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::bench {

using Md5 = std::array<uint8_t, 16>;
using Sha256 = std::array<uint8_t, 32>;

Md5 md5(std::string_view data);
Sha256 sha256(std::string_view data);
Sha256 hmac_sha256(std::string_view key, std::string_view data);

// Lower-case hex, as AWS prints digests.
std::string to_hex(const uint8_t* data, size_t size);
template <size_t N>
std::string to_hex(const std::array<uint8_t, N>& digest) {
  return to_hex(digest.data(), N);
}

// True if `hex` spells `digest` (either case): compares without building a string.
bool hex_equals(std::string_view hex, const Md5& digest);

}  // namespace sluice::bench
