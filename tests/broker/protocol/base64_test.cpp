// Tests for broker/protocol/base64.h against RFC 4648's test vectors.
#include "broker/protocol/base64.h"

#include <gtest/gtest.h>

namespace sluice::protocol {
namespace {

TEST(Base64, Rfc4648Vectors) {
  const std::pair<std::string_view, std::string_view> vectors[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(base64_encode(plain), encoded);
    std::string decoded;
    ASSERT_TRUE(base64_decode(encoded, decoded)) << encoded;
    EXPECT_EQ(decoded, plain);
  }
}

TEST(Base64, AllByteValuesRoundTrip) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  std::string encoded = base64_encode(bytes);
  EXPECT_EQ(encoded.substr(0, 8), "AAECAwQF");
  EXPECT_EQ(encoded.substr(encoded.size() - 8), "/P3+/w==");
  std::string decoded;
  ASSERT_TRUE(base64_decode(encoded, decoded));
  EXPECT_EQ(decoded, bytes);
}

TEST(Base64, AcceptsMissingPadding) {
  std::string out;
  ASSERT_TRUE(base64_decode("Zm8", out));
  EXPECT_EQ(out, "fo");
}

TEST(Base64, RejectsGarbage) {
  for (std::string_view bad :
       {"Z", "Zm9v=", "Zm=9v", "Zm9v YmFy", "Zm9v\n", "Zm$v", "====", "Zg==="}) {
    std::string out;
    EXPECT_FALSE(base64_decode(bad, out)) << bad;
  }
}

}  // namespace
}  // namespace sluice::protocol
