// MD5OfMessageBody / MD5OfMessageAttributes / MD5OfMessageSystemAttributes. The fixed vectors
// were computed by hand with /usr/bin/python3 and hashlib from AWS's documented encoding; the
// property test re-derives the encoding here with an independent incremental digest.
#include "broker/sqs/api/message_md5.h"

#include <gtest/gtest.h>

#include <openssl/evp.h>
#include "tests/broker/sqs/api/attribute_builders.h"

#include <algorithm>

namespace sluice::sqs {
namespace {

constexpr auto str = testing::string_attribute;
constexpr auto bin = testing::binary_attribute;

// AWS's encoding, written out again: length-prefixed fields fed one at a time.
std::string reference_md5(std::vector<MessageAttribute> attrs) {
  std::sort(attrs.begin(), attrs.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_md5(), nullptr);
  auto field = [&](std::string_view s) {
    unsigned char len[4] = {
        static_cast<unsigned char>(s.size() >> 24), static_cast<unsigned char>(s.size() >> 16),
        static_cast<unsigned char>(s.size() >> 8), static_cast<unsigned char>(s.size())};
    EVP_DigestUpdate(ctx, len, 4);
    EVP_DigestUpdate(ctx, s.data(), s.size());
  };
  for (const auto& a : attrs) {
    field(a.name);
    field(a.data_type);
    unsigned char transport = a.is_binary ? 2 : 1;
    EVP_DigestUpdate(ctx, &transport, 1);
    field(a.is_binary ? a.binary_value : a.string_value);
  }
  unsigned char d[16];
  unsigned int n = 0;
  EVP_DigestFinal_ex(ctx, d, &n);
  EVP_MD_CTX_free(ctx);
  std::string hex;
  for (unsigned i = 0; i < n; ++i) {
    static const char* k = "0123456789abcdef";
    hex.push_back(k[d[i] >> 4]);
    hex.push_back(k[d[i] & 15]);
  }
  return hex;
}

TEST(MessageMd5, BodyDigestsMatchHashlib) {
  EXPECT_EQ(md5_hex("hello"), "5d41402abc4b2a76b9719d911017c592");
  EXPECT_EQ(md5_hex(""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(md5_hex("a\r\n\xC3\xA9\xF0\x9F\x98\x80"), "2d5ffd11a38c735e35ed48ce0dba19f9");
}

TEST(MessageMd5, AttributeDigestsMatchHashlib) {
  EXPECT_EQ(md5_of_message_attributes({str("s", "String", "v 1")}),
            "0b5f1ae6ab94c95edd152c7cbb1057d6");
  // Sorted by name regardless of request order; Number uses the String transport byte.
  EXPECT_EQ(md5_of_message_attributes({str("s", "String", "v 1"), str("n", "Number", "-1.5e3"),
                                       bin("b", "Binary.custom", std::string("\x00\x01\xff", 3))}),
            "ea644ae711d52f68c3923b16b5fa503c");
  EXPECT_EQ(md5_of_message_attributes({bin("b", "Binary.custom", std::string("\x00\x01\xff", 3)),
                                       str("s", "String", "v\r\n<&>")}),
            "b4d2fdaac2fa3ee7b18312c2eea5a876");
  EXPECT_EQ(md5_of_message_system_attributes(
                {str("AWSTraceHeader", "String", "Root=1-5759e988-bd862e3fe1be46a994272793")}),
            "62a56dd927315f2b2e12832b84617ea5");
}

TEST(MessageMd5, NoAttributesMeansNoDigest) {
  EXPECT_EQ(md5_of_message_attributes({}), "");
  EXPECT_EQ(md5_of_message_system_attributes({}), "");
}

TEST(MessageMd5, MatchesIndependentEncodingOnVariedInputs) {
  std::vector<MessageAttribute> attrs = {str("zeta", "String.custom", std::string(300, 'x')),
                                         bin("alpha", "Binary", ""), str("Mid", "Number", "42"),
                                         bin("beta.x", "Binary.png", std::string(70000, '\x7f')),
                                         str("\xC3\xA9", "String", "\xF0\x9F\x98\x80")};
  EXPECT_EQ(md5_of_message_attributes(attrs), reference_md5(attrs));
  // Request order does not change the digest.
  std::reverse(attrs.begin(), attrs.end());
  EXPECT_EQ(md5_of_message_attributes(attrs), reference_md5(attrs));
}

}  // namespace
}  // namespace sluice::sqs
