#include "engine/json/json_serialize.h"

#include <gtest/gtest.h>

#include "engine/json/json_parse.h"

namespace sluice::engine::json {
namespace {

TEST(JsonSerialize, CompactWithInsertionOrder) {
  Value v = Object{{"b", Array{1, 2.5, "x", nullptr, true}}, {"a", Object{}}, {"c", Array{}}};
  EXPECT_EQ(serialize(v), R"({"b":[1,2.5,"x",null,true],"a":{},"c":[]})");
}

TEST(JsonSerialize, DoublesAsJavaWritesThem) {
  EXPECT_EQ(format_double(1.0), "1.0");
  EXPECT_EQ(format_double(-2.0), "-2.0");
  EXPECT_EQ(format_double(0.5), "0.5");
  EXPECT_EQ(format_double(0.001), "0.001");
  EXPECT_EQ(format_double(0.0001), "1.0E-4");
  EXPECT_EQ(format_double(1234567.0), "1234567.0");
  EXPECT_EQ(format_double(12345678.0), "1.2345678E7");
  EXPECT_EQ(format_double(1e20), "1.0E20");
  EXPECT_EQ(format_double(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(format_double(100.25), "100.25");
  EXPECT_EQ(format_double(0.0), "0.0");
}

TEST(JsonSerialize, EscapesOnlyWhatJsonRequires) {
  EXPECT_EQ(serialize(Value("a\"b\\c/d\n\t\x01\xc3\xa9")), R"("a\"b\\c/d\n\t\u0001)"
                                                           "\xc3\xa9\"");
}

TEST(JsonSerialize, RoundTripsThroughParse) {
  const char* text = R"({"k":[1,-2,3.25,1.0E20,"s",{"n":null,"t":true}],"e":""})";
  auto v = parse(text);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(serialize(*v), text);
}

}  // namespace
}  // namespace sluice::engine::json
