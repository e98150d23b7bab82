// Per-thread PRNG seeded from the OS; ids need uniqueness, not secrecy.
#include "storage/random_id.h"

#include <random>

namespace sluice::storage {

namespace {
std::mt19937_64& generator() {
  thread_local std::mt19937_64 gen([] {
    std::random_device rd;
    return (static_cast<uint64_t>(rd()) << 32) ^ rd();
  }());
  return gen;
}
}  // namespace

std::string random_uuid() {
  uint64_t hi = generator()(), lo = generator()();
  hi = (hi & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // variant 10
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s(36, '-');
  int pos = 0;
  auto put = [&](uint64_t v, int nibbles) {
    for (int i = nibbles - 1; i >= 0; --i) {
      if (pos == 8 || pos == 13 || pos == 18 || pos == 23) ++pos;
      s[pos++] = kHex[(v >> (i * 4)) & 0xf];
    }
  };
  put(hi, 16);
  put(lo, 16);
  return s;
}

uint32_t random_u32() {
  return static_cast<uint32_t>(generator()());
}

}  // namespace sluice::storage
