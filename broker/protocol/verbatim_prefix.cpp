// See verbatim_prefix.h. The tables say which bytes need the writer's attention; the AVX2 blocks
// test the same sets with compares (signed: every byte >= 0x80 is below 0x20 too).
#include "broker/protocol/verbatim_prefix.h"

#include <array>

#if defined(__AVX2__)
#include <immintrin.h>
#endif

namespace sluice::protocol {

namespace {

constexpr std::array<bool, 256> make_json_special() {
  std::array<bool, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = true;
  t['"'] = t['\\'] = true;
  for (int c = 0x80; c < 0x100; ++c) t[c] = true;
  return t;
}
constexpr std::array<bool, 256> kJsonSpecial = make_json_special();

// Markup, CR, other controls, non-ASCII.
constexpr std::array<bool, 256> make_xml_special() {
  std::array<bool, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = c != '\t' && c != '\n';
  t['&'] = t['<'] = t['>'] = true;
  for (int c = 0x80; c < 0x100; ++c) t[c] = true;
  return t;
}
constexpr std::array<bool, 256> kXmlSpecial = make_xml_special();

std::size_t table_prefix(std::string_view text, std::size_t i,
                         const std::array<bool, 256>& special) {
  while (i < text.size() && !special[static_cast<unsigned char>(text[i])]) ++i;
  return i;
}

#if defined(__AVX2__)
__m256i load(std::string_view text, std::size_t i) {
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(text.data() + i));
}
__m256i bytes(char c) {
  return _mm256_set1_epi8(c);
}
// Index of the first flagged byte in the block at i, or 32.
std::size_t first_flagged(__m256i flagged) {
  const unsigned mask = static_cast<unsigned>(_mm256_movemask_epi8(flagged));
  return mask == 0 ? 32 : static_cast<std::size_t>(__builtin_ctz(mask));
}
#endif

}  // namespace

std::size_t json_verbatim_prefix(std::string_view text) {
  std::size_t i = 0;
#if defined(__AVX2__)
  for (; i + 32 <= text.size(); i += 32) {
    const __m256i v = load(text, i);
    const __m256i flagged = _mm256_or_si256(
        _mm256_cmpgt_epi8(bytes(0x20), v),
        _mm256_or_si256(_mm256_cmpeq_epi8(v, bytes('"')), _mm256_cmpeq_epi8(v, bytes('\\'))));
    if (std::size_t k = first_flagged(flagged); k < 32) return i + k;
  }
#endif
  return table_prefix(text, i, kJsonSpecial);
}

std::size_t xml_verbatim_prefix(std::string_view text) {
  std::size_t i = 0;
#if defined(__AVX2__)
  for (; i + 32 <= text.size(); i += 32) {
    const __m256i v = load(text, i);
    const __m256i allowed_control =
        _mm256_or_si256(_mm256_cmpeq_epi8(v, bytes('\t')), _mm256_cmpeq_epi8(v, bytes('\n')));
    const __m256i markup = _mm256_or_si256(
        _mm256_cmpeq_epi8(v, bytes('&')),
        _mm256_or_si256(_mm256_cmpeq_epi8(v, bytes('<')), _mm256_cmpeq_epi8(v, bytes('>'))));
    const __m256i flagged = _mm256_or_si256(
        _mm256_andnot_si256(allowed_control, _mm256_cmpgt_epi8(bytes(0x20), v)), markup);
    if (std::size_t k = first_flagged(flagged); k < 32) return i + k;
  }
#endif
  return table_prefix(text, i, kXmlSpecial);
}

}  // namespace sluice::protocol
