// The Verifier on AWS's published vectors (the test suite's get-vanilla for the Authorization
// header; the S3 documentation's presigned GET example for query strings) and on every failure.
#include "broker/auth/verifier.h"

#include <gtest/gtest.h>

#include "broker/auth/sigv4.h"

namespace sluice::auth {
namespace {

constexpr int64_t kVanillaTime = 1440938160;  // 2015-08-30T12:36:00Z
constexpr std::string_view kVanillaSignature =
    "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";

Credentials keys() {
  auto c = Credentials::parse(
      "[suite]\naws_access_key_id=AKIDEXAMPLE\n"
      "aws_secret_access_key=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\n"
      "[s3doc]\naws_access_key_id=AKIAIOSFODNN7EXAMPLE\n"
      "aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\naccount_id=111122223333\n",
      "000000000000");
  EXPECT_TRUE(c);
  return std::move(*c);
}

http::Request vanilla(std::string_view signature = kVanillaSignature) {
  http::Request r;
  r.method = "GET";
  r.target = "/";
  r.headers = {{"host", "example.amazonaws.com"},
               {"x-amz-date", "20150830T123600Z"},
               {"authorization",
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                "SignedHeaders=host;x-amz-date, Signature=" +
                    std::string(signature)}};
  return r;
}

AuthErrorKind failure(const Result<Principal, AuthError>& r) {
  EXPECT_FALSE(r);
  return r ? AuthErrorKind::kAccessDenied : r.error().kind;
}

TEST(Verifier, AcceptsGetVanilla) {
  Verifier v(keys(), "us-east-1");
  auto who = v.verify(vanilla(), "service", kVanillaTime);
  ASSERT_TRUE(who) << who.error().message;
  EXPECT_EQ(who->access_key_id, "AKIDEXAMPLE");
  EXPECT_EQ(who->account_id, "000000000000");
  // Within the 15-minute window either way.
  EXPECT_TRUE(v.verify(vanilla(), "service", kVanillaTime + 900));
  EXPECT_TRUE(v.verify(vanilla(), "service", kVanillaTime - 900));
}

TEST(Verifier, AcceptsS3DocumentationPresignedUrl) {
  // "Authenticating Requests: Using Query Parameters (AWS Signature Version 4)", example GET of
  // /test.txt from examplebucket, 20130524T000000Z, X-Amz-Expires 86400, UNSIGNED-PAYLOAD.
  http::Request r;
  r.method = "GET";
  r.target =
      "/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524"
      "%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&"
      "X-Amz-SignedHeaders=host&X-Amz-Signature="
      "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
  r.headers = {{"host", "examplebucket.s3.amazonaws.com"}};
  Verifier v(keys(), "us-east-1");
  auto who = v.verify(r, "s3", 1369353600 + 60);
  ASSERT_TRUE(who) << who.error().message;
  EXPECT_EQ(who->account_id, "111122223333");
  // X-Amz-Expires (a day) has run out.
  auto late = v.verify(r, "s3", 1369353600 + 86401);
  EXPECT_EQ(failure(late), AuthErrorKind::kSignatureDoesNotMatch);
  EXPECT_EQ(
      late.error().message.rfind("Signature expired: 20130524T000000Z is now earlier than", 0), 0u)
      << late.error().message;
}

TEST(Verifier, MissingSignature) {
  Verifier v(keys(), "us-east-1");
  http::Request r = vanilla();
  r.headers.pop_back();
  auto out = v.verify(r, "service", kVanillaTime);
  EXPECT_EQ(failure(out), AuthErrorKind::kMissingAuthenticationToken);
  EXPECT_EQ(out.error().message,
            "The request must contain either a valid (registered) AWS access key ID or X.509 "
            "certificate.");
}

TEST(Verifier, IncompleteHeaderListsWhatIsMissing) {
  Verifier v(keys(), "us-east-1");
  http::Request r = vanilla();
  r.headers[2].value =
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request";
  auto out = v.verify(r, "service", kVanillaTime);
  EXPECT_EQ(failure(out), AuthErrorKind::kIncompleteSignature);
  EXPECT_EQ(out.error().message,
            "Authorization header requires 'Signature' parameter. Authorization header requires "
            "'SignedHeaders' parameter. Authorization=" +
                r.headers[2].value);
  r.headers[2].value =
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830, SignedHeaders=host, "
      "Signature=00";
  EXPECT_EQ(failure(v.verify(r, "service", kVanillaTime)), AuthErrorKind::kIncompleteSignature);
  r.headers[2].value = "AWS Foo:bar";
  EXPECT_EQ(failure(v.verify(r, "service", kVanillaTime)), AuthErrorKind::kIncompleteSignature);
  r = vanilla();
  r.headers.erase(r.headers.begin() + 1);  // no x-amz-date
  EXPECT_EQ(failure(v.verify(r, "service", kVanillaTime)), AuthErrorKind::kIncompleteSignature);
}

TEST(Verifier, UnknownKey) {
  Verifier v(keys(), "us-east-1");
  http::Request r = vanilla();
  r.headers[2].value.replace(r.headers[2].value.find("AKIDEXAMPLE"), 11, "AKIDUNKNOWN");
  auto out = v.verify(r, "service", kVanillaTime);
  EXPECT_EQ(failure(out), AuthErrorKind::kInvalidClientTokenId);
  EXPECT_EQ(out.error().message, "The security token included in the request is invalid.");
}

TEST(Verifier, WrongSignature) {
  Verifier v(keys(), "us-east-1");
  std::string bad(kVanillaSignature);
  bad[10] = bad[10] == '0' ? '1' : '0';
  auto out = v.verify(vanilla(bad), "service", kVanillaTime);
  EXPECT_EQ(failure(out), AuthErrorKind::kSignatureDoesNotMatch);
  EXPECT_EQ(out.error().message,
            "The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method. Consult the service "
            "documentation for details.");
  // A signed header's value changed in transit.
  http::Request r = vanilla();
  r.headers[0].value = "other.amazonaws.com";
  EXPECT_EQ(failure(v.verify(r, "service", kVanillaTime)), AuthErrorKind::kSignatureDoesNotMatch);
}

TEST(Verifier, ClockSkewBeyondFifteenMinutes) {
  Verifier v(keys(), "us-east-1");
  auto late = v.verify(vanilla(), "service", kVanillaTime + 901);
  EXPECT_EQ(failure(late), AuthErrorKind::kSignatureDoesNotMatch);
  EXPECT_EQ(late.error().message,
            "Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z "
            "(20150830T125101Z - 15 min.)");
  auto early = v.verify(vanilla(), "service", kVanillaTime - 901);
  EXPECT_EQ(failure(early), AuthErrorKind::kSignatureDoesNotMatch);
  EXPECT_EQ(early.error().message,
            "Signature not yet current: 20150830T123600Z is still later than 20150830T123559Z "
            "(20150830T122059Z + 15 min.)");
}

TEST(Verifier, ScopeMustBeOurRegionAndTheApisService) {
  Verifier v(keys(), "eu-west-1");
  auto region = v.verify(vanilla(), "service", kVanillaTime);
  EXPECT_EQ(failure(region), AuthErrorKind::kSignatureDoesNotMatch);
  EXPECT_EQ(region.error().message, "Credential should be scoped to a valid region. ");
  Verifier us(keys(), "us-east-1");
  auto service = us.verify(vanilla(), "sqs", kVanillaTime);
  EXPECT_EQ(failure(service), AuthErrorKind::kSignatureDoesNotMatch);
  EXPECT_EQ(service.error().message, "Credential should be scoped to correct service: 'sqs'. ");
}

TEST(Verifier, HostMustBeSigned) {
  Verifier v(keys(), "us-east-1");
  http::Request r = vanilla();
  r.headers[2].value =
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
      "SignedHeaders=x-amz-date, Signature=00";
  EXPECT_EQ(failure(v.verify(r, "service", kVanillaTime)), AuthErrorKind::kIncompleteSignature);
}

// A POST signed here (the signing half is checked against the vectors above) with the
// x-amz-content-sha256 header, as the JS SDK sends it.
TEST(Verifier, PayloadHashHeaderMustMatchTheBody) {
  http::Request r;
  r.method = "POST";
  r.target = "/";
  r.body = "{\"QueueName\":\"q\"}";
  const std::string hash = sha256_hex(r.body);
  CanonicalRequest c;
  c.method = "POST";
  c.raw_path = "/";
  c.headers = {
      {"host", "localhost"}, {"x-amz-content-sha256", hash}, {"x-amz-date", "20150830T123600Z"}};
  c.payload_hash = hash;
  const std::string sig = signature_hex(
      signing_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830", "us-east-1", "sqs"),
      string_to_sign("20150830T123600Z", "20150830/us-east-1/sqs/aws4_request",
                     canonical_request(c)));
  r.headers = {{"host", "localhost"},
               {"x-amz-content-sha256", hash},
               {"x-amz-date", "20150830T123600Z"},
               {"authorization",
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/sqs/aws4_request, "
                "SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=" +
                    sig}};
  Verifier v(keys(), "us-east-1");
  EXPECT_TRUE(v.verify(r, "sqs", kVanillaTime));
  r.body = "{\"QueueName\":\"other\"}";
  auto out = v.verify(r, "sqs", kVanillaTime);
  EXPECT_EQ(failure(out), AuthErrorKind::kSignatureDoesNotMatch);
  EXPECT_EQ(out.error().message,
            "The provided 'x-amz-content-sha256' header does not match what was computed.");
}

TEST(Verifier, AmzDates) {
  EXPECT_EQ(parse_amz_date("20150830T123600Z"), kVanillaTime);
  EXPECT_EQ(format_amz_date(kVanillaTime), "20150830T123600Z");
  EXPECT_EQ(parse_amz_date("2015-08-30T12:36:00Z"), -1);
  EXPECT_EQ(parse_amz_date("20151330T123600Z"), -1);
}

}  // namespace
}  // namespace sluice::auth
