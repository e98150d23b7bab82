// UTF-8 decoding, one code point at a time, strict per RFC 3629 (no overlongs, no surrogates,
// nothing above U+10FFFF). Shared by the XML and JSON writers (which must never emit invalid
// UTF-8) and by SQS's message-content rule. Pure; any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sluice::protocol {

// Decodes the code point starting at s[i] (a byte >= 0x80) and advances i past it. Returns -1
// (advancing i by one byte) for an invalid or truncated sequence.
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

}  // namespace sluice::protocol
