// SigV4 canonicalisation and signing against AWS's published Signature Version 4 test suite
// (aws-sig-v4-test-suite: get-vanilla, post-vanilla, get-vanilla-query-order-key-case,
// get-vanilla-query-order-value): credentials AKIDEXAMPLE /
// wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, region us-east-1, service "service", 20150830T123600Z,
// host example.amazonaws.com.
#include "broker/auth/sigv4.h"

#include <gtest/gtest.h>

namespace sluice::auth {
namespace {

constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr std::string_view kDate = "20150830T123600Z";
constexpr std::string_view kScope = "20150830/us-east-1/service/aws4_request";
constexpr std::string_view kEmptyHash =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

std::string sign_vector(std::string_view method, std::string_view path, std::string_view query) {
  CanonicalRequest r;
  r.method = method;
  r.raw_path = path;
  r.raw_query = query;
  r.headers = {{"host", "example.amazonaws.com"}, {"x-amz-date", std::string(kDate)}};
  r.payload_hash = kEmptyHash;
  return signature_hex(signing_key(kSecret, "20150830", "us-east-1", "service"),
                       string_to_sign(kDate, kScope, canonical_request(r)));
}

TEST(SigV4, GetVanillaCanonicalRequestAndStringToSign) {
  CanonicalRequest r;
  r.method = "GET";
  r.raw_path = "/";
  r.headers = {{"host", "example.amazonaws.com"}, {"x-amz-date", std::string(kDate)}};
  r.payload_hash = kEmptyHash;
  const std::string creq = canonical_request(r);
  EXPECT_EQ(creq,
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(string_to_sign(kDate, kScope, creq),
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
            "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
}

TEST(SigV4, PublishedSignatures) {
  EXPECT_EQ(sign_vector("GET", "/", ""),
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
  EXPECT_EQ(sign_vector("POST", "/", ""),
            "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
  EXPECT_EQ(sign_vector("GET", "/", "Param2=value2&Param1=value1"),
            "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
  EXPECT_EQ(sign_vector("GET", "/", "Param1=value2&Param1=value1"),
            "5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694");
}

TEST(SigV4, UriEncodeKeepsUnreservedOnly) {
  EXPECT_EQ(uri_encode("aZ09-_.~", false), "aZ09-_.~");
  EXPECT_EQ(uri_encode("a b/c+d=é", false), "a%20b%2Fc%2Bd%3D%C3%A9");
  EXPECT_EQ(uri_encode("/a b/c", true), "/a%20b/c");
}

TEST(SigV4, CanonicalUriNormalisesAndEncodesTwice) {
  EXPECT_EQ(canonical_uri(""), "/");
  EXPECT_EQ(canonical_uri("/"), "/");
  EXPECT_EQ(canonical_uri("/000000000000/my-queue"), "/000000000000/my-queue");
  EXPECT_EQ(canonical_uri("/a/./b/../c/"), "/a/c/");
  EXPECT_EQ(canonical_uri("//a//b"), "/a/b");
  // Already percent-encoded by the client: encoded again (all services but S3).
  EXPECT_EQ(canonical_uri("/a%20b"), "/a%2520b");
}

TEST(SigV4, CanonicalQuerySortsAndReencodes) {
  EXPECT_EQ(canonical_query("b=2&a=1&a=0"), "a=0&a=1&b=2");
  EXPECT_EQ(canonical_query("Action=SendMessage&MessageBody=a%20b+c"),
            "Action=SendMessage&MessageBody=a%20b%2Bc");
  EXPECT_EQ(canonical_query("flag&x=%7e"), "flag=&x=~");
  EXPECT_EQ(canonical_query("X-Amz-Signature=abc&Action=X", "X-Amz-Signature"), "Action=X");
  EXPECT_EQ(canonical_query(""), "");
}

TEST(SigV4, HeaderValuesTrimmedAndSqueezed) {
  EXPECT_EQ(canonical_header_value("  value1 "), "value1");
  EXPECT_EQ(canonical_header_value("\"a   b   c\""), "\"a b c\"");
  EXPECT_EQ(canonical_header_value("a\t\tb"), "a b");
}

TEST(SigV4, ConstantTimeEqual) {
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
  EXPECT_FALSE(constant_time_equal("abc", "abcd"));
}

TEST(SigV4, Sha256OfEmpty) {
  EXPECT_EQ(sha256_hex(""), kEmptyHash);
}

}  // namespace
}  // namespace sluice::auth
