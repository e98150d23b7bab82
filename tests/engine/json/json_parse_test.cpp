#include "engine/json/json_parse.h"

#include <gtest/gtest.h>

#include "engine/json/json_serialize.h"

namespace sluice::engine::json {
namespace {

TEST(JsonParse, ScalarsKeepIntegersExact) {
  auto v =
      parse(R"({"i":9007199254740993,"d":1.0,"e":1e2,"n":-7,"s":"h\u00e9\n","b":false,"z":null})");
  ASSERT_TRUE(v.ok()) << v.error().message;
  const Object& o = v->as_object();
  EXPECT_TRUE(o.find("i")->is_int());
  EXPECT_EQ(o.find("i")->as_int(), 9007199254740993);
  EXPECT_TRUE(o.find("d")->is_double());
  EXPECT_TRUE(o.find("e")->is_double());
  EXPECT_EQ(o.find("n")->as_int(), -7);
  EXPECT_EQ(o.find("s")->as_string(), "h\xc3\xa9\n");
  EXPECT_FALSE(o.find("b")->as_bool());
  EXPECT_TRUE(o.find("z")->is_null());
}

TEST(JsonParse, PreservesMemberOrderAndLastDuplicateWins) {
  auto v = parse(R"({"z":1,"a":[1,{"q":2}],"z":3})");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(serialize(*v), R"({"z":3,"a":[1,{"q":2}]})");
}

TEST(JsonParse, TopLevelScalars) {
  EXPECT_EQ(parse("\"x\"")->as_string(), "x");
  EXPECT_EQ(parse(" 12 ")->as_int(), 12);
  EXPECT_TRUE(parse("null")->is_null());
}

TEST(JsonParse, RejectsMalformedInput) {
  for (const char* bad : {"", "{", "{\"a\":}", "[1,]", "{} x", "tru", "{'a':1}", "01"}) {
    auto v = parse(bad);
    ASSERT_FALSE(v.ok()) << bad;
    EXPECT_EQ(v.error().code, ErrorCode::kSerialization);
  }
}

TEST(JsonParse, LargeUnsignedBecomesDouble) {
  auto v = parse("18446744073709551615");
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->is_double());
}

TEST(JsonParse, DuplicateKeysKeepTheFirstPlaceAndTheLastValueInSmallAndLargeObjects) {
  for (int n : {3, 40}) {
    std::string text = "{";
    for (int i = 0; i < n; ++i) {
      text.append("\"k").append(std::to_string(i)).append("\":");
      text.append(std::to_string(i)).append(",");
    }
    text.append("\"k1\":\"again\"}");
    auto v = parse(text);
    ASSERT_TRUE(v.ok()) << n;
    const Object& o = v->as_object();
    ASSERT_EQ(o.size(), static_cast<std::size_t>(n)) << n;
    EXPECT_EQ(o.member(1).first, "k1");
    EXPECT_EQ(o.member(1).second.as_string(), "again");
    std::string last = "k";
    last.append(std::to_string(n - 1));
    EXPECT_EQ(o.member(static_cast<std::size_t>(n) - 1).first, last);
  }
}

}  // namespace
}  // namespace sluice::engine::json
