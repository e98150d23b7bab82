// OpenSSL 3 deprecates the one-shot MD5()/SHA256(); EVP with a per-thread context is the supported
// and allocation-free way. The algorithms are fetched once: the implicit fetch behind EVP_md5()
// takes provider locks on every call. HMAC is composed from two digests on the same context,
// because OpenSSL 3's one-shot HMAC() builds and frees a MAC context per call (a third of the
// bench's CPU when every request is signed).
#include "bench/load/digest.h"

#include <openssl/evp.h>

#include <cstdlib>
#include <cstring>
#include <memory>

namespace sluice::bench {
namespace {

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

struct MdDeleter {
  void operator()(EVP_MD* md) const { EVP_MD_free(md); }
};

EVP_MD* fetched(const char* name) {
  EVP_MD* md = EVP_MD_fetch(nullptr, name, nullptr);
  if (!md) std::abort();  // OpenSSL without MD5/SHA-256: nothing the bench can do
  return md;
}

const EVP_MD* md5_algorithm() {
  static const std::unique_ptr<EVP_MD, MdDeleter> md(fetched("MD5"));
  return md.get();
}

const EVP_MD* sha256_algorithm() {
  static const std::unique_ptr<EVP_MD, MdDeleter> md(fetched("SHA256"));
  return md.get();
}

EVP_MD_CTX* thread_context() {
  thread_local std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
  if (!ctx) std::abort();  // out of memory at start-up: nothing sensible to do
  return ctx.get();
}

// Digest of the concatenation of `a` and `b`.
template <size_t N>
std::array<uint8_t, N> digest(const EVP_MD* md, std::string_view a, std::string_view b = {}) {
  std::array<uint8_t, N> out{};
  EVP_MD_CTX* ctx = thread_context();
  unsigned int len = 0;
  if (EVP_DigestInit_ex(ctx, md, nullptr) != 1 || EVP_DigestUpdate(ctx, a.data(), a.size()) != 1 ||
      EVP_DigestUpdate(ctx, b.data(), b.size()) != 1 ||
      EVP_DigestFinal_ex(ctx, out.data(), &len) != 1 || len != N) {
    std::abort();  // only fails on programming errors (wrong digest size)
  }
  return out;
}

std::string_view bytes(const uint8_t* p, size_t n) {
  return std::string_view(reinterpret_cast<const char*>(p), n);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Md5 md5(std::string_view data) {
  return digest<16>(md5_algorithm(), data);
}

Sha256 sha256(std::string_view data) {
  return digest<32>(sha256_algorithm(), data);
}

// RFC 2104 with SHA-256 (block size 64).
Sha256 hmac_sha256(std::string_view key, std::string_view data) {
  constexpr size_t kBlock = 64;
  std::array<uint8_t, kBlock> k{};
  if (key.size() > kBlock) {
    const Sha256 hashed = sha256(key);
    std::memcpy(k.data(), hashed.data(), hashed.size());
  } else {
    std::memcpy(k.data(), key.data(), key.size());
  }
  std::array<uint8_t, kBlock> inner_pad;
  std::array<uint8_t, kBlock> outer_pad;
  for (size_t i = 0; i < kBlock; ++i) {
    inner_pad[i] = k[i] ^ 0x36;
    outer_pad[i] = k[i] ^ 0x5c;
  }
  const Sha256 inner = digest<32>(sha256_algorithm(), bytes(inner_pad.data(), kBlock), data);
  return digest<32>(sha256_algorithm(), bytes(outer_pad.data(), kBlock),
                    bytes(inner.data(), inner.size()));
}

std::string to_hex(const uint8_t* data, size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(size * 2, '\0');
  for (size_t i = 0; i < size; ++i) {
    out[2 * i] = kDigits[data[i] >> 4];
    out[2 * i + 1] = kDigits[data[i] & 0xf];
  }
  return out;
}

bool hex_equals(std::string_view hex, const Md5& digest) {
  if (hex.size() != digest.size() * 2) return false;
  for (size_t i = 0; i < digest.size(); ++i) {
    const int hi = hex_value(hex[2 * i]);
    const int lo = hex_value(hex[2 * i + 1]);
    if (hi < 0 || lo < 0 || ((hi << 4) | lo) != digest[i]) return false;
  }
  return true;
}

}  // namespace sluice::bench
