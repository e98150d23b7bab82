// Tests for broker/protocol/form_decoder.h: what a query-protocol client's form body decodes to.
#include "broker/protocol/form_decoder.h"

#include <gtest/gtest.h>

namespace sluice::protocol {
namespace {

FormParams decode_ok(std::string_view text) {
  FormParams p;
  auto s = decode_form(text, p);
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
  return p;
}

TEST(FormDecoder, SplitsPairsInOrder) {
  FormParams p = decode_ok("Action=SendMessage&Version=2012-11-05&QueueUrl=u");
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p.entries()[0], (FormParams::Entry{"Action", "SendMessage"}));
  EXPECT_EQ(p.entries()[1], (FormParams::Entry{"Version", "2012-11-05"}));
  EXPECT_EQ(p.entries()[2], (FormParams::Entry{"QueueUrl", "u"}));
}

TEST(FormDecoder, PlusIsSpaceAndPercentEscapesAreBytes) {
  // As botocore encodes "a+b&c=d%e \r\n\t<x>\"'é😀".
  FormParams p =
      decode_ok("MessageBody=a%2Bb%26c%3Dd%25e+%0D%0A%09%3Cx%3E%22%27%C3%A9%F0%9F%98%80");
  ASSERT_NE(p.find("MessageBody"), nullptr);
  EXPECT_EQ(*p.find("MessageBody"), "a+b&c=d%e \r\n\t<x>\"'\xC3\xA9\xF0\x9F\x98\x80");
}

TEST(FormDecoder, LowercaseHexAndEncodedNames) {
  FormParams p = decode_ok("a%2eb=%7b%7D");
  ASSERT_NE(p.find("a.b"), nullptr);
  EXPECT_EQ(*p.find("a.b"), "{}");
}

TEST(FormDecoder, EmptyValuesPairsWithoutEqualsAndEmptyPairs) {
  FormParams p = decode_ok("&a=&b&&c=1=2&");
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(*p.find("a"), "");
  EXPECT_EQ(*p.find("b"), "");
  EXPECT_EQ(*p.find("c"), "1=2");  // only the first '=' separates
}

TEST(FormDecoder, NulByteSurvives) {
  FormParams p = decode_ok("k=a%00b");
  EXPECT_EQ(*p.find("k"), std::string("a\0b", 3));
}

TEST(FormDecoder, FindReturnsFirstDuplicate) {
  FormParams p = decode_ok("k=1&k=2");
  EXPECT_EQ(p.size(), 2u);
  EXPECT_EQ(*p.find("k"), "1");
  EXPECT_EQ(p.find("missing"), nullptr);
}

TEST(FormDecoder, AppendsSoQueryStringAndBodyMerge) {
  FormParams p;
  ASSERT_TRUE(decode_form("Action=ListQueues", p).ok());
  ASSERT_TRUE(decode_form("QueueNamePrefix=x", p).ok());
  EXPECT_EQ(*p.find("Action"), "ListQueues");
  EXPECT_EQ(*p.find("QueueNamePrefix"), "x");
}

TEST(FormDecoder, EmptyInputHasNoParams) {
  EXPECT_TRUE(decode_ok("").empty());
}

TEST(FormDecoder, MalformedEscapesAreMalformedQueryString) {
  for (std::string_view bad : {"a=%", "a=%4", "a=%zz", "a%g1=b", "a=%4x"}) {
    FormParams p;
    auto s = decode_form(bad, p);
    ASSERT_FALSE(s.ok()) << bad;
    EXPECT_EQ(s.error().code, ErrorCode::kMalformedQueryString) << bad;
  }
}

}  // namespace
}  // namespace sluice::protocol
