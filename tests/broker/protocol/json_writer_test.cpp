// Tests for broker/protocol/json_writer.h: output any JSON parser reads back to the same strings.
#include "broker/protocol/json_writer.h"

#include <gtest/gtest.h>
#include <simdjson.h>

namespace sluice::protocol {
namespace {

std::string json_quoted(std::string_view text) {
  std::string out;
  append_json_string(out, text);
  return out;
}

// Parses `json` (a JSON string literal) and returns the string it denotes.
std::string parse_string(const std::string& json) {
  simdjson::dom::parser parser;
  std::string_view s;
  auto err = parser.parse(json).get_string().get(s);
  EXPECT_EQ(err, simdjson::SUCCESS) << json;
  return std::string(s);
}

TEST(JsonWriter, EscapesQuotesBackslashAndControls) {
  EXPECT_EQ(json_quoted("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(json_quoted("\b\f\n\r\t"), "\"\\b\\f\\n\\r\\t\"");
  EXPECT_EQ(json_quoted(std::string("\0\x01\x1f", 3)), "\"\\u0000\\u0001\\u001f\"");
  EXPECT_EQ(json_quoted("/\x7f"), "\"/\x7f\"");
}

TEST(JsonWriter, NonBmpAndOtherUtf8PassThrough) {
  std::string s = "\xC3\xA9\xE2\x80\xA8\xF0\x9F\x98\x80";
  EXPECT_EQ(json_quoted(s), "\"" + s + "\"");
}

TEST(JsonWriter, InvalidUtf8BecomesReplacementCharacter) {
  EXPECT_EQ(json_quoted("a\xFF"), "\"a\xEF\xBF\xBD\"");
}

TEST(JsonWriter, EveryValidStringRoundTripsThroughAParser) {
  std::string all;
  for (int c = 0; c < 0x80; ++c) all.push_back(static_cast<char>(c));
  all += "\xC3\xA9\xEF\xBF\xBD\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF";
  EXPECT_EQ(parse_string(json_quoted(all)), all);
}

TEST(JsonWriter, BuildsNestedDocumentsWithCommas) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.string_member("a", "x");
  w.optional_string_member("skipped", "");
  w.key("list");
  w.begin_array();
  w.integer(1);
  w.begin_object();
  w.boolean_member("t", false);
  w.end_object();
  w.string("s");
  w.end_array();
  w.key("empty");
  w.begin_object();
  w.end_object();
  w.integer_member("n", -9007199254740993);
  w.end_object();
  EXPECT_EQ(out,
            "{\"a\":\"x\",\"list\":[1,{\"t\":false},\"s\"],\"empty\":{},"
            "\"n\":-9007199254740993}");
}

}  // namespace
}  // namespace sluice::protocol
