// UTF-8 encoding and strict decoding, one code point at a time. Header-only and pure (any
// thread): the one UTF-8 codec of the server's writers (XML and JSON must never emit invalid
// UTF-8), SQS's message-content rule, the JSONata engine and sluice-bench's XML reader.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::text {

// Appends the UTF-8 bytes of cp (at most U+10FFFF). It does not check cp: a surrogate is encoded
// as if it were a code point (invalid UTF-8), which the JSONata engine relies on to carry lone
// surrogates the way JavaScript strings do and the validators' tests rely on to build bad input.
inline void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Decodes the code point starting at s[i] (a byte >= 0x80) and advances i past it, strictly per
// RFC 3629 (no overlongs, no surrogates, nothing above U+10FFFF). Returns -1 (advancing i by one
// byte) for an invalid or truncated sequence.
inline int32_t decode_utf8_multibyte(std::string_view s, std::size_t& i) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  unsigned char b0 = p[i];
  int len;
  int32_t cp;
  int32_t min;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2, cp = b0 & 0x1F, min = 0x80;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3, cp = b0 & 0x0F, min = 0x800;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    ++i;
    return -1;
  }
  if (i + len > n) {
    ++i;
    return -1;
  }
  for (int k = 1; k < len; ++k) {
    unsigned char b = p[i + k];
    if ((b & 0xC0) != 0x80) {
      ++i;
      return -1;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++i;
    return -1;
  }
  i += len;
  return cp;
}

}  // namespace sluice::text
