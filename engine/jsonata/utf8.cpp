// See utf8.h.
#include "engine/jsonata/utf8.h"

#include <clocale>
#include <cwctype>

#include <locale.h>

namespace sluice::engine::jsonata {

uint32_t next_code_point(std::string_view s, std::size_t& i) {
  auto b = static_cast<unsigned char>(s[i]);
  if (b < 0x80) {
    ++i;
    return b;
  }
  std::size_t len = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
  if (len == 1 || i + len > s.size()) {
    ++i;
    return b;
  }
  uint32_t cp = b & (0xFF >> (len + 1));
  for (std::size_t k = 1; k < len; ++k) {
    auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xC0) != 0x80) {
      ++i;
      return b;
    }
    cp = (cp << 6) | (c & 0x3F);
  }
  i += len;
  return cp;
}

std::size_t code_point_count(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::size_t byte_offset_of_code_point(std::string_view s, std::size_t n) {
  std::size_t i = 0;
  while (n > 0 && i < s.size()) {
    next_code_point(s, i);
    --n;
  }
  return i;
}

std::size_t utf16_length(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
    if (c >= 0xF0) ++n;  // a supplementary character is a surrogate pair
  }
  return n;
}

namespace {

// glibc's C.UTF-8 locale carries Unicode's simple case mappings; towupper_l with it is thread
// safe and independent of the process locale.
locale_t utf8_locale() {
  static locale_t loc = [] {
    locale_t l = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(0));
    if (l == static_cast<locale_t>(0)) l = newlocale(LC_CTYPE_MASK, "C", static_cast<locale_t>(0));
    return l;
  }();
  return loc;
}

template <bool kUpper>
std::string convert_case(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      char c = static_cast<char>(b);
      if (kUpper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
      if (!kUpper && c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
      out.push_back(c);
      ++i;
      continue;
    }
    uint32_t cp = next_code_point(s, i);
    if (kUpper && cp == 0xDF) {  // ß
      out += "SS";
      continue;
    }
    if (!kUpper && cp == 0x130) {  // İ
      out += "i\xCC\x87";
      continue;
    }
    auto mapped =
        static_cast<uint32_t>(kUpper ? towupper_l(static_cast<wint_t>(cp), utf8_locale())
                                     : towlower_l(static_cast<wint_t>(cp), utf8_locale()));
    append_utf8(out, mapped);
  }
  return out;
}

}  // namespace

std::string to_upper(std::string_view s) {
  return convert_case<true>(s);
}
std::string to_lower(std::string_view s) {
  return convert_case<false>(s);
}

int compare_utf16(std::string_view a, std::string_view b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    auto ca = static_cast<unsigned char>(a[i]);
    auto cb = static_cast<unsigned char>(b[j]);
    if (ca == cb) {
      ++i;
      ++j;
      continue;
    }
    // Bytes differ: compare the code points as UTF-16 units would order them. Code points below
    // U+10000 order as UTF-8 bytes do; a supplementary character's leading surrogate (D800-DBFF)
    // sorts below U+E000-U+FFFF.
    std::size_t si = i, sj = j;
    while (si > 0 && (static_cast<unsigned char>(a[si]) & 0xC0) == 0x80) --si;
    while (sj > 0 && (static_cast<unsigned char>(b[sj]) & 0xC0) == 0x80) --sj;
    uint32_t x = next_code_point(a, si);
    uint32_t y = next_code_point(b, sj);
    auto unit = [](uint32_t cp) -> uint32_t {
      return cp >= 0x10000 ? 0xD800 + ((cp - 0x10000) >> 10) : cp;
    };
    uint32_t ux = unit(x), uy = unit(y);
    if (ux != uy) return ux < uy ? -1 : 1;
    return x < y ? -1 : 1;
  }
  if (i < a.size()) return 1;
  if (j < b.size()) return -1;
  return 0;
}

}  // namespace sluice::engine::jsonata
