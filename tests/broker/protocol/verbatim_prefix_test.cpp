// The vectorised scans of the JSON and XML writers against the byte sets they document, with the
// first byte to escape at every offset around the 32-byte blocks and in random texts.
#include "broker/protocol/verbatim_prefix.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace sluice::protocol {
namespace {

bool json_verbatim(unsigned char c) {
  return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}
bool xml_verbatim(unsigned char c) {
  return ((c >= 0x20 && c < 0x80) || c == '\t' || c == '\n') && c != '&' && c != '<' && c != '>';
}

template <class Verbatim>
std::size_t reference_prefix(std::string_view text, Verbatim verbatim) {
  std::size_t i = 0;
  while (i < text.size() && verbatim(static_cast<unsigned char>(text[i]))) ++i;
  return i;
}

TEST(VerbatimPrefix, EveryByteAtEveryOffsetOfThreeBlocks) {
  for (int b = 0; b < 256; ++b) {
    for (std::size_t at = 0; at < 96; ++at) {
      std::string text(100, 'a');
      text[at] = static_cast<char>(b);
      text[at / 2 + 1] = '\t';  // allowed in XML, escaped in JSON
      ASSERT_EQ(json_verbatim_prefix(text), reference_prefix(text, json_verbatim))
          << b << " " << at;
      ASSERT_EQ(xml_verbatim_prefix(text), reference_prefix(text, xml_verbatim)) << b << " " << at;
    }
  }
}

TEST(VerbatimPrefix, RandomTexts) {
  std::mt19937 rng(7);
  for (int round = 0; round < 100000; ++round) {
    std::string text(rng() % 200, 'x');
    for (auto& c : text) {
      c = static_cast<char>(rng() % 64 == 0 ? rng() % 256 : 0x20 + rng() % 0x5F);
    }
    ASSERT_EQ(json_verbatim_prefix(text), reference_prefix(text, json_verbatim));
    ASSERT_EQ(xml_verbatim_prefix(text), reference_prefix(text, xml_verbatim));
  }
  EXPECT_EQ(json_verbatim_prefix(""), 0u);
  EXPECT_EQ(xml_verbatim_prefix(std::string(1000, 'y')), 1000u);
}

}  // namespace
}  // namespace sluice::protocol
