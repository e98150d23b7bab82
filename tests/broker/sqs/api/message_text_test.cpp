// is_valid_message_text (vectorised) against the byte loop it replaced, kept here as the reference,
// and against SQS's documented character set, over every code point, every two-byte string and
// many random and mutated texts whose odd bytes fall on both sides of the 32-byte block bounds.
#include "broker/sqs/api/message_text.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>

#include "text/utf8.h"

namespace sluice::sqs {
namespace {

// The validator as it was before it was vectorised: one code point at a time.
bool reference_is_valid_message_text(std::string_view text) {
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (c < 0x20 && c != 0x09 && c != 0x0A && c != 0x0D) return false;
      ++i;
      continue;
    }
    int32_t cp = text::decode_utf8_multibyte(text, i);
    if (cp < 0 || cp == 0xFFFE || cp == 0xFFFF) return false;
  }
  return true;
}

// SQS's set, as its error message words it.
bool allowed_code_point(uint32_t cp) {
  return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
         (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

// UTF-8 bytes of cp, surrogates included (encoded as if they were code points, which is invalid).
std::string encode(uint32_t cp) {
  std::string s;
  text::append_utf8(s, cp);
  return s;
}

void expect_same(const std::string& text) {
  ASSERT_EQ(is_valid_message_text(text), reference_is_valid_message_text(text))
      << "text of " << text.size() << " bytes";
}

TEST(MessageText, EveryCodePointAtManyOffsets) {
  const std::string filler(70, 'x');
  for (uint32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    const std::string one = encode(cp);
    const bool allowed = allowed_code_point(cp);
    ASSERT_EQ(is_valid_message_text(one), allowed) << std::hex << cp;
    // Offsets 0..40: the sequence is before, across and after the first 32-byte block bound.
    std::string text = filler;
    text.insert(cp % 41, one);
    ASSERT_EQ(is_valid_message_text(text), allowed) << std::hex << cp;
  }
}

TEST(MessageText, EveryStringOfOneOrTwoBytes) {
  for (int a = 0; a < 256; ++a) {
    expect_same(std::string(1, static_cast<char>(a)));
    for (int b = 0; b < 256; ++b) {
      expect_same(std::string{static_cast<char>(a), static_cast<char>(b)});
    }
  }
}

TEST(MessageText, ThreeAndFourByteStringsOfBoundaryBytes) {
  const unsigned char edges[] = {0x00, 0x09, 0x0A, 0x0B, 0x0D, 0x1F, 0x20, 0x7E, 0x7F, 0x80,
                                 0x8F, 0x90, 0x9F, 0xA0, 0xBE, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF,
                                 0xE0, 0xED, 0xEE, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF};
  for (unsigned char a : edges) {
    for (unsigned char b : edges) {
      for (unsigned char c : edges) {
        std::string three{static_cast<char>(a), static_cast<char>(b), static_cast<char>(c)};
        expect_same(three);
        expect_same(std::string(30, 'y') + three + std::string(30, 'z'));
        for (unsigned char d : edges) expect_same(three + static_cast<char>(d));
      }
    }
  }
}

TEST(MessageText, RandomAndMutatedTexts) {
  std::mt19937 rng(20261207);
  // Code points drawn near every bound of the allowed set, and anywhere.
  const uint32_t near[] = {0x0,    0x9,    0xA,    0xD,    0x1F,    0x20,    0x7F,
                           0x80,   0x7FF,  0x800,  0xD7FF, 0xD800,  0xDFFF,  0xE000,
                           0xFEFF, 0xFFFD, 0xFFFE, 0xFFFF, 0x10000, 0x10FFFF};
  auto code_point = [&]() -> uint32_t {
    switch (rng() % 4) {
      case 0:
        return 0x20 + rng() % 0x5F;  // printable ASCII, the common case
      case 1:
        return near[rng() % std::size(near)] + (rng() % 3) - 1;
      case 2:
        return rng() % 0x110000;
      default:
        return 0x80 + rng() % 0xFF80;
    }
  };
  for (int round = 0; round < 100000; ++round) {
    std::string text;
    const int length = static_cast<int>(rng() % 120);
    for (int k = 0; k < length; ++k) {
      uint32_t cp = code_point();
      if (cp > 0x10FFFF) cp = 0x10FFFF;
      text += encode(cp);
    }
    expect_same(text);
    if (text.empty()) continue;
    switch (rng() % 4) {
      case 0:  // a byte replaced by anything
        text[rng() % text.size()] = static_cast<char>(rng() % 256);
        break;
      case 1:  // cut anywhere, maybe inside a sequence
        text.resize(rng() % text.size());
        break;
      case 2:  // a noncharacter spliced in
        text.insert(rng() % text.size(), rng() % 2 ? "\xEF\xBF\xBE" : "\xEF\xBF\xBF");
        break;
      default:  // random bytes
        for (auto& ch : text) {
          if (rng() % 8 == 0) ch = static_cast<char>(rng() % 256);
        }
    }
    expect_same(text);
  }
}

TEST(MessageText, LongTextsAndBlockBounds) {
  // A 1 KiB body (the benchmark's) and a 256 KiB one, with one bad code point at every offset
  // around the block bounds.
  for (std::size_t size : {std::size_t{1024}, std::size_t{262144}}) {
    const std::string body(size, 'x');
    EXPECT_TRUE(is_valid_message_text(body));
    for (std::size_t at : {std::size_t{0}, std::size_t{31}, std::size_t{32}, std::size_t{33},
                           size - 33, size - 32, size - 31, size - 3, size - 1}) {
      for (std::string bad : {std::string("\x01"), std::string("\xEF\xBF\xBF"),
                              std::string("\xED\xA0\x80"), std::string("\xC3")}) {
        std::string text = body;
        text.replace(at, std::min(bad.size(), size - at), bad);
        expect_same(text);
        EXPECT_FALSE(is_valid_message_text(text)) << at;
      }
      std::string good = body;
      good.replace(at, 1, "\t");
      EXPECT_TRUE(is_valid_message_text(good)) << at;
    }
  }
}

}  // namespace
}  // namespace sluice::sqs
