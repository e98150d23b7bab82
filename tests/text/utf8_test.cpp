#include "text/utf8.h"

#include <cstdint>
#include <string>

#include <gtest/gtest.h>

namespace sluice::text {
namespace {

int32_t decode_one(const std::string& s, std::size_t& i) {
  return decode_utf8_multibyte(s, i);
}

TEST(Utf8Test, EveryScalarValueRoundTripsWithTheRightLength) {
  for (uint32_t cp = 0x80; cp <= 0x10FFFF; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    std::string s;
    append_utf8(s, cp);
    const std::size_t want = cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    ASSERT_EQ(s.size(), want) << cp;
    std::size_t i = 0;
    ASSERT_EQ(decode_one(s, i), static_cast<int32_t>(cp)) << cp;
    ASSERT_EQ(i, want) << cp;
  }
}

TEST(Utf8Test, AsciiIsOneByte) {
  for (uint32_t cp = 0; cp < 0x80; ++cp) {
    std::string s;
    append_utf8(s, cp);
    ASSERT_EQ(s, std::string(1, static_cast<char>(cp)));
  }
}

TEST(Utf8Test, SurrogatesAreEncodedLiterallyAndRefusedByTheDecoder) {
  for (uint32_t cp : {0xD800u, 0xDBFFu, 0xDC00u, 0xDFFFu}) {
    std::string s;
    append_utf8(s, cp);
    ASSERT_EQ(s.size(), 3u);
    std::size_t i = 0;
    EXPECT_EQ(decode_one(s, i), -1) << cp;
    EXPECT_EQ(i, 1u);
  }
}

TEST(Utf8Test, DecoderRefusesOverlongsTruncationsAndOutOfRange) {
  const std::string bad[] = {
      "\xC0\x80",          // overlong NUL
      "\xC1\xBF",          // overlong 2-byte
      "\xE0\x80\x80",      // overlong 3-byte
      "\xF0\x80\x80\x80",  // overlong 4-byte
      "\xF4\x90\x80\x80",  // above U+10FFFF
      "\xF5\x80\x80\x80",  // lead byte never valid
      "\x80",              // lone continuation
      "\xE2\x82",          // truncated
      "\xE2\x28\xA1",      // bad continuation
  };
  for (const std::string& s : bad) {
    std::size_t i = 0;
    EXPECT_EQ(decode_one(s, i), -1) << s.size();
    EXPECT_EQ(i, 1u);
  }
}

}  // namespace
}  // namespace sluice::text
