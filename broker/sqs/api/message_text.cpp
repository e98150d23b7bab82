// See message_text.h. Two passes over the text, both vectorised:
//  1. simdjson::validate_utf8: the bytes are UTF-8 as RFC 3629 defines it, which already refuses
//     surrogates (U+D800-U+DFFF), overlongs and anything above U+10FFFF;
//  2. the few valid code points SQS refuses on top: the C0 controls other than tab, LF and CR
//     (one byte each: in valid UTF-8 no byte below 0x80 belongs to a longer sequence) and the
//     noncharacters U+FFFE and U+FFFF (EF BF BE and EF BF BF: 0xEF is always the lead byte of a
//     three-byte sequence). Blocks of 32 bytes are tested for "a byte below 0x20 other than
//     tab/LF/CR, or 0xEF" at once; only a block that has one is looked at byte by byte.
// The byte loop it replaces (a decoder that went code point by code point) stays in
// tests/broker/sqs/api/message_text_test.cpp as the reference the test compares it with.
#include "broker/sqs/api/message_text.h"

#include <simdjson.h>

#include <cstddef>

#if defined(__AVX2__)
#include <immintrin.h>
#endif

namespace sluice::sqs {

namespace {

bool is_refused_control(unsigned char c) {
  return c < 0x20 && c != '\t' && c != '\n' && c != '\r';
}

// p[k] is a byte of valid UTF-8 flagged by the block test (or any byte, in the scalar tail):
// whether the code point starting there is one SQS refuses.
bool refused_at(const unsigned char* p, std::size_t k) {
  if (p[k] == 0xEF) return p[k + 1] == 0xBF && (p[k + 2] == 0xBE || p[k + 2] == 0xBF);
  return is_refused_control(p[k]);
}

bool has_refused_code_point(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
#if defined(__AVX2__)
  const __m256i below_space = _mm256_set1_epi8(0x1F);
  const __m256i tab = _mm256_set1_epi8('\t');
  const __m256i lf = _mm256_set1_epi8('\n');
  const __m256i cr = _mm256_set1_epi8('\r');
  const __m256i ef = _mm256_set1_epi8(static_cast<char>(0xEF));
  for (; i + 32 <= n; i += 32) {
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i));
    // v <= 0x1F as unsigned bytes: min(v, 0x1F) == v.
    const __m256i control = _mm256_cmpeq_epi8(_mm256_min_epu8(v, below_space), v);
    const __m256i allowed =
        _mm256_or_si256(_mm256_cmpeq_epi8(v, tab),
                        _mm256_or_si256(_mm256_cmpeq_epi8(v, lf), _mm256_cmpeq_epi8(v, cr)));
    const __m256i flagged =
        _mm256_or_si256(_mm256_andnot_si256(allowed, control), _mm256_cmpeq_epi8(v, ef));
    if (_mm256_testz_si256(flagged, flagged)) continue;
    for (std::size_t k = i; k < i + 32; ++k) {
      if (refused_at(p, k)) return true;
    }
  }
#endif
  for (; i < n; ++i) {
    if (refused_at(p, i)) return true;
  }
  return false;
}

}  // namespace

bool is_valid_message_text(std::string_view text) {
  return simdjson::validate_utf8(text.data(), text.size()) && !has_refused_code_point(text);
}

}  // namespace sluice::sqs
