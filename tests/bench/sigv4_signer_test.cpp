// SigV4Signer against AWS's published example (IAM ListUsers, 2015-08-30, documented secret key).
#include "bench/load/sigv4_signer.h"

#include <gtest/gtest.h>

#include <array>

namespace sluice::bench {
namespace {

constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

SigV4Signer example_signer() {
  return SigV4Signer(Credentials{"AKIDEXAMPLE", std::string(kSecret), "us-east-1"}, "iam");
}

const std::array<SigV4Signer::Header, 3> kHeaders = {{
    {"content-type", "application/x-www-form-urlencoded; charset=utf-8"},
    {"host", "iam.amazonaws.com"},
    {"x-amz-date", "20150830T123600Z"},
}};

TEST(SigV4Signer, SigningKeyMatchesAwsExample) {
  SigV4Signer signer = example_signer();
  EXPECT_EQ(to_hex(signer.signing_key("20150830")),
            "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
}

TEST(SigV4Signer, CanonicalRequestHashMatchesAwsExample) {
  SigV4Signer signer = example_signer();
  const std::string canonical =
      signer.canonical_request("GET", "/", "Action=ListUsers&Version=2010-05-08", kHeaders, "");
  EXPECT_EQ(to_hex(sha256(canonical)),
            "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59");
}

TEST(SigV4Signer, AuthorizationHeaderMatchesAwsExample) {
  SigV4Signer signer = example_signer();
  EXPECT_EQ(signer.authorization("GET", "/", "Action=ListUsers&Version=2010-05-08", kHeaders, "",
                                 "20150830T123600Z"),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
            "SignedHeaders=content-type;host;x-amz-date, "
            "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
}

TEST(SigV4Signer, SignatureDependsOnPayloadAndDay) {
  SigV4Signer signer = example_signer();
  const std::string a = signer.authorization("POST", "/", "", kHeaders, "{}", "20150830T123600Z");
  const std::string b = signer.authorization("POST", "/", "", kHeaders, "{ }", "20150830T123600Z");
  const std::string c = signer.authorization("POST", "/", "", kHeaders, "{}", "20150831T123600Z");
  EXPECT_NE(a, b);
  EXPECT_NE(a, c);
  EXPECT_NE(c.find("/20150831/us-east-1/iam/aws4_request"), std::string::npos);
}

}  // namespace
}  // namespace sluice::bench

namespace sluice::bench {
namespace {

// RFC 4231 test cases 1, 2 and 6 (a key longer than the block is hashed first).
TEST(HmacSha256, MatchesRfc4231) {
  EXPECT_EQ(to_hex(hmac_sha256(std::string(20, '\x0b'), "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(to_hex(hmac_sha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(to_hex(hmac_sha256(std::string(131, '\xaa'),
                               "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(Md5, KnownDigests) {
  EXPECT_EQ(to_hex(md5("")), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(to_hex(md5("hello")), "5d41402abc4b2a76b9719d911017c592");
  EXPECT_TRUE(hex_equals("5D41402ABC4B2A76B9719D911017C592", md5("hello")));
  EXPECT_FALSE(hex_equals("5d41402abc4b2a76b9719d911017c593", md5("hello")));
  EXPECT_FALSE(hex_equals("5d41402abc4b2a76b9719d911017c5", md5("hello")));
}

}  // namespace
}  // namespace sluice::bench
