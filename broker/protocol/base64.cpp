// See base64.h.
#include "broker/protocol/base64.h"

#include <array>
#include <cstdint>

namespace sluice::protocol {

namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<int8_t, 256> make_decode_table() {
  std::array<int8_t, 256> t{};
  for (auto& v : t) v = -1;
  for (int i = 0; i < 64; ++i) t[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int8_t>(i);
  return t;
}

constexpr std::array<int8_t, 256> kDecode = make_decode_table();

}  // namespace

void base64_encode(std::string_view bytes, std::string& out) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();
  std::size_t start = out.size();
  out.resize(start + (n + 2) / 3 * 4);
  char* w = out.data() + start;
  std::size_t i = 0;
  for (; i + 3 <= n; i += 3) {
    uint32_t v = (uint32_t{p[i]} << 16) | (uint32_t{p[i + 1]} << 8) | p[i + 2];
    *w++ = kAlphabet[(v >> 18) & 63];
    *w++ = kAlphabet[(v >> 12) & 63];
    *w++ = kAlphabet[(v >> 6) & 63];
    *w++ = kAlphabet[v & 63];
  }
  if (n - i == 1) {
    uint32_t v = uint32_t{p[i]} << 16;
    *w++ = kAlphabet[(v >> 18) & 63];
    *w++ = kAlphabet[(v >> 12) & 63];
    *w++ = '=';
    *w++ = '=';
  } else if (n - i == 2) {
    uint32_t v = (uint32_t{p[i]} << 16) | (uint32_t{p[i + 1]} << 8);
    *w++ = kAlphabet[(v >> 18) & 63];
    *w++ = kAlphabet[(v >> 12) & 63];
    *w++ = kAlphabet[(v >> 6) & 63];
    *w++ = '=';
  }
}

std::string base64_encode(std::string_view bytes) {
  std::string out;
  base64_encode(bytes, out);
  return out;
}

bool base64_decode(std::string_view text, std::string& out) {
  std::size_t n = text.size();
  // Strip up to two '=' of padding; the remaining length decides how many bytes the tail holds.
  std::size_t pad = 0;
  while (n > 0 && text[n - 1] == '=' && pad < 2) {
    --n;
    ++pad;
  }
  if (pad > 0 && (n + pad) % 4 != 0) return false;
  if (n % 4 == 1) return false;
  out.reserve(out.size() + n / 4 * 3 + 2);
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    int a = kDecode[p[i]], b = kDecode[p[i + 1]], c = kDecode[p[i + 2]], d = kDecode[p[i + 3]];
    if ((a | b | c | d) < 0) return false;
    uint32_t v = (uint32_t(a) << 18) | (uint32_t(b) << 12) | (uint32_t(c) << 6) | uint32_t(d);
    out.push_back(static_cast<char>(v >> 16));
    out.push_back(static_cast<char>((v >> 8) & 0xff));
    out.push_back(static_cast<char>(v & 0xff));
  }
  std::size_t rest = n - i;
  if (rest == 2) {
    int a = kDecode[p[i]], b = kDecode[p[i + 1]];
    if ((a | b) < 0) return false;
    out.push_back(static_cast<char>((a << 2) | (b >> 4)));
  } else if (rest == 3) {
    int a = kDecode[p[i]], b = kDecode[p[i + 1]], c = kDecode[p[i + 2]];
    if ((a | b | c) < 0) return false;
    uint32_t v = (uint32_t(a) << 12) | (uint32_t(b) << 6) | uint32_t(c);
    out.push_back(static_cast<char>(v >> 10));
    out.push_back(static_cast<char>((v >> 2) & 0xff));
  }
  return true;
}

}  // namespace sluice::protocol
