#include "engine/json/json_value.h"

#include <gtest/gtest.h>

namespace sluice::engine::json {
namespace {

TEST(JsonValue, TypesAndAccessors) {
  EXPECT_TRUE(Value().is_null());
  EXPECT_TRUE(Value(true).as_bool());
  EXPECT_EQ(Value(42).as_int(), 42);
  EXPECT_TRUE(Value(42).is_int());
  EXPECT_TRUE(Value(1.5).is_double());
  EXPECT_DOUBLE_EQ(Value(3).as_number(), 3.0);
  EXPECT_EQ(Value("x").as_string(), "x");
  EXPECT_EQ(Value(Array{1, 2}).as_array().size(), 2u);
  EXPECT_EQ(type_name(Value(Object{}).type()), "object");
}

TEST(JsonValue, ObjectKeepsInsertionOrderAndReplacesInPlace) {
  Object o;
  o.set("b", 1);
  o.set("a", 2);
  o.set("b", 3);
  ASSERT_EQ(o.size(), 2u);
  EXPECT_EQ(o.begin()->first, "b");
  EXPECT_EQ(o.find("b")->as_int(), 3);
  EXPECT_TRUE(o.erase("b"));
  EXPECT_FALSE(o.contains("b"));
  EXPECT_FALSE(o.erase("zz"));
}

TEST(JsonValue, DeepEqualityIgnoresMemberOrderAndNumberRepresentation) {
  Value a = Object{{"x", Array{1, "s", Object{{"k", nullptr}}}}, {"y", true}};
  Value b = Object{{"y", true}, {"x", Array{1.0, "s", Object{{"k", nullptr}}}}};
  EXPECT_EQ(a, b);
  Value c = Object{{"y", true}, {"x", Array{2, "s", Object{{"k", nullptr}}}}};
  EXPECT_FALSE(a == c);
  EXPECT_FALSE(Value(1) == Value("1"));
  EXPECT_FALSE(Value(Array{1, 2}) == Value(Array{2, 1}));
  EXPECT_FALSE(Value(nullptr) == Value(false));
}

TEST(JsonValue, IsIntegral) {
  EXPECT_TRUE(Value(3).is_integral());
  EXPECT_TRUE(Value(3.0).is_integral());
  EXPECT_FALSE(Value(3.5).is_integral());
  EXPECT_FALSE(Value(1e300).is_integral());
  EXPECT_FALSE(Value("3").is_integral());
}

}  // namespace
}  // namespace sluice::engine::json
