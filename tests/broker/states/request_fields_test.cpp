// RequestFields, resource names and the wire format helpers: the validation messages AWS gives,
// type errors as SerializationException, timestamps, tags and paging tokens.
#include "broker/states/request_fields.h"

#include <gtest/gtest.h>

#include "broker/states/resource_name.h"
#include "broker/states/wire_format.h"
#include "engine/json/json_parse.h"

namespace sluice::states {
namespace {

json::Value body(const char* text) {
  return *engine::json::parse(text);
}

TEST(RequestFieldsTest, MissingRequiredMemberIsAValidationException) {
  auto b = body("{}");
  RequestFields f(b);
  f.string("name", {true, 1, 80});
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().type, "ValidationException");
  EXPECT_EQ(f.error().message,
            "1 validation error detected: Value null at 'name' failed to satisfy constraint: "
            "Member must not be null");
}

TEST(RequestFieldsTest, RangesLengthsAndEnumsUseAwsWording) {
  auto b = body(R"({"maxResults":1001,"statusFilter":"succeeded","nextToken":""})");
  RequestFields f(b);
  f.integer("maxResults", 0, 1000);
  f.enumeration("statusFilter", {"RUNNING", "SUCCEEDED"}, "[SUCCEEDED, RUNNING]");
  f.string("nextToken", {false, 1, 1024});
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().message,
            "3 validation errors detected: Value '1001' at 'maxResults' failed to satisfy "
            "constraint: Member must have value less than or equal to 1000; Value 'succeeded' at "
            "'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: "
            "[SUCCEEDED, RUNNING]; Value '' at 'nextToken' failed to satisfy constraint: Member "
            "must have length greater than or equal to 1");
}

TEST(RequestFieldsTest, SensitiveValuesAreNotEchoed) {
  auto b = body(R"({"definition":"xx"})");
  RequestFields f(b);
  f.string("definition", {true, 1, 1, true});
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().message,
            "1 validation error detected: Value at 'definition' failed to satisfy constraint: "
            "Member must have length less than or equal to 1");
}

TEST(RequestFieldsTest, WrongJsonTypeIsASerializationException) {
  auto b = body(R"({"name":5,"maxResults":"x"})");
  RequestFields f(b);
  f.string("name");
  f.integer("maxResults", 0, 10);
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().type, "SerializationException");
}

TEST(RequestFieldsTest, NullCountsAsAbsent) {
  auto b = body(R"({"name":null})");
  RequestFields f(b);
  EXPECT_FALSE(f.string("name").has_value());
  EXPECT_TRUE(f.ok());
}

TEST(ResourceNameTest, FollowsAwsCharacterRules) {
  EXPECT_TRUE(is_valid_resource_name("orders-v2_final.1"));
  EXPECT_TRUE(is_valid_resource_name(std::string(80, 'a')));
  EXPECT_TRUE(is_valid_resource_name("caf\xC3\xA9"));
  EXPECT_FALSE(is_valid_resource_name(std::string(81, 'a')));
  EXPECT_FALSE(is_valid_resource_name(""));
  for (const char* bad :
       {"a b", "a<b", "a{b", "a[b", "a?b", "a*b", "a\"b", "a#b", "a%b",  "a\\b",  "a^b",      "a|b",
        "a~b", "a`b", "a$b", "a&b", "a,b", "a;b", "a:b",  "a/b", "a\tb", "a\x7f", "a\xC2\x85"}) {
    EXPECT_FALSE(is_valid_resource_name(bad)) << bad;
  }
  EXPECT_EQ(invalid_name("a b").message, "Invalid Name: 'a b'");
  EXPECT_EQ(utf16_length("\xF0\x9F\x98\x80"), 2u);  // one emoji: a surrogate pair
}

TEST(WireFormatTest, TimestampsAreEpochSecondsWithMilliseconds) {
  EXPECT_EQ(epoch_seconds_literal(1'700'000'000'123), "1700000000.123");
  EXPECT_EQ(epoch_seconds_literal(5), "0.005");
  EXPECT_EQ(epoch_seconds_literal(-1), "-1.999");
}

TEST(WireFormatTest, TagsMergeInPlaceAndRemove) {
  TagList t{{"a", "1"}, {"b", "2"}};
  merge_tags(t, {{"b", "3"}, {"c", "4"}});
  EXPECT_EQ(t, (TagList{{"a", "1"}, {"b", "3"}, {"c", "4"}}));
  remove_tags(t, {"a", "zzz"});
  EXPECT_EQ(t, (TagList{{"b", "3"}, {"c", "4"}}));
}

TEST(WireFormatTest, ReadsTagListsAndChecksKeys) {
  auto b = body(R"({"tags":[{"key":"k","value":"v"},{"key":"","value":"x"}]})");
  RequestFields f(b);
  read_tags(f, "tags");
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.error().message.find("'tags.2.member.key'"), std::string::npos);
}

TEST(WireFormatTest, PageTokensRoundTripAndRejectForeignOnes) {
  std::string t = encode_page_token("machines", "orders");
  EXPECT_EQ(decode_page_token("machines", t), "orders");
  EXPECT_FALSE(decode_page_token("activities", t));
  EXPECT_FALSE(decode_page_token("machines", "garbage!"));
  EXPECT_EQ(invalid_token().type, "InvalidToken");
  EXPECT_EQ(page_size(std::nullopt), 100u);
  EXPECT_EQ(page_size(0), 100u);
  EXPECT_EQ(page_size(7), 7u);
}

}  // namespace
}  // namespace sluice::states
