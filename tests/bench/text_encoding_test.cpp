// JSON string escaping and percent-encoding of request members.
#include "bench/load/text_encoding.h"

#include <gtest/gtest.h>

namespace sluice::bench {
namespace {

TEST(TextEncoding, JsonStringEscapesQuotesBackslashesAndControls) {
  std::string out;
  constexpr char kInput[] =
      "a\"b\\c\n\r\t\x01\x1f"
      "d\xC3\xA9";  // 13 bytes and a NUL
  append_json_string(out, std::string_view(kInput, sizeof(kInput)));
  EXPECT_EQ(out, R"("a\"b\\c\n\r\t\u0001\u001Fd)"
                 "\xC3\xA9"
                 R"(\u0000")");
}

TEST(TextEncoding, PercentEncodingKeepsOnlyUnreserved) {
  std::string out;
  append_percent_encoded(out, "Az09-_.~ +/=&%\xC3\xA9");
  EXPECT_EQ(out, "Az09-_.~%20%2B%2F%3D%26%25%C3%A9");
}

}  // namespace
}  // namespace sluice::bench
