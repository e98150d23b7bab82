#include "engine/asl/json_path.h"

#include <gtest/gtest.h>

#include "engine/json/json_parse.h"
#include "engine/json/json_serialize.h"

namespace sluice::engine::asl {
namespace {

using json::Value;

Value doc(std::string_view text) {
  auto v = json::parse(text);
  EXPECT_TRUE(v.ok()) << text;
  return v.ok() ? std::move(v).value() : Value();
}

JsonPath path(std::string_view text) {
  auto p = JsonPath::parse(text);
  EXPECT_TRUE(p.ok()) << text << ": " << (p.ok() ? "" : p.error().message);
  return p.ok() ? std::move(p).value() : JsonPath();
}

// Selects and serializes; "<none>" when a definite path finds nothing.
std::string sel(std::string_view p, const Value& root) {
  auto v = path(p).select(root);
  return v ? json::serialize(*v) : "<none>";
}

const char* kStore = R"({
  "store": {
    "book": [
      {"category": "reference", "author": "Nigel Rees", "title": "Sayings", "price": 8.95},
      {"category": "fiction", "author": "Evelyn Waugh", "title": "Sword", "price": 12.99},
      {"category": "fiction", "author": "Herman Melville", "title": "Moby Dick",
       "isbn": "0-553", "price": 8},
      {"category": "fiction", "author": "J. R. R. Tolkien", "title": "The Lord",
       "isbn": "0-395", "price": 22.99}
    ],
    "bicycle": {"color": "red", "price": 19.95}
  },
  "expensive": 10,
  "weird key": {"a.b": 1, "it's": 2}
})";

TEST(JsonPath, ReferencePaths) {
  Value v = doc(kStore);
  EXPECT_EQ(sel("$", doc("{\"a\":1}")), R"({"a":1})");
  EXPECT_EQ(sel("$.store.bicycle.color", v), R"("red")");
  EXPECT_EQ(sel("$['store']['bicycle']['price']", v), "19.95");
  EXPECT_EQ(sel("$.store.book[2].price", v), "8");
  EXPECT_EQ(sel("$.store.book[-1].title", v), R"("The Lord")");
  EXPECT_EQ(sel("$['weird key']['a.b']", v), "1");
  EXPECT_EQ(sel("$['weird key']['it\\'s']", v), "2");
  EXPECT_EQ(sel("$[\"expensive\"]", v), "10");
  auto p = path("$.store.book[0].title");
  EXPECT_TRUE(p.is_definite());
  EXPECT_TRUE(p.is_reference());
  EXPECT_FALSE(p.is_context());
  EXPECT_EQ(p.canonical(), "$['store']['book'][0]['title']");
  EXPECT_FALSE(path("$.a[-1]").is_reference());
}

TEST(JsonPath, MissingDefiniteNodeIsNoResult) {
  Value v = doc(kStore);
  EXPECT_EQ(sel("$.nope", v), "<none>");
  EXPECT_EQ(sel("$.store.book[9]", v), "<none>");
  EXPECT_EQ(sel("$.expensive.deeper", v), "<none>");
  EXPECT_EQ(sel("$.store[0]", v), "<none>");
  EXPECT_EQ(path("$.store.nope").find(v), nullptr);
}

TEST(JsonPath, IndefinitePathsAlwaysGiveArrays) {
  Value v = doc(kStore);
  EXPECT_EQ(sel("$.store.book[*].author", v),
            R"(["Nigel Rees","Evelyn Waugh","Herman Melville","J. R. R. Tolkien"])");
  EXPECT_EQ(sel("$..price", v), "[8.95,12.99,8,22.99,19.95]");
  EXPECT_EQ(sel("$.store.*.color", v), R"(["red"])");
  EXPECT_EQ(sel("$.store.book[0,2].price", v), "[8.95,8]");
  EXPECT_EQ(sel("$.store.bicycle['color','price']", v), R"(["red",19.95])");
  EXPECT_EQ(sel("$.store.book[1:3].price", v), "[12.99,8]");
  EXPECT_EQ(sel("$.store.book[:2].price", v), "[8.95,12.99]");
  EXPECT_EQ(sel("$.store.book[-2:].price", v), "[8,22.99]");
  EXPECT_EQ(sel("$.store.book[::2].price", v), "[8.95,8]");
  EXPECT_EQ(sel("$..book[0].category", v), R"(["reference"])");
  EXPECT_EQ(sel("$.nothing[*]", v), "[]");
  EXPECT_EQ(sel("$..nothing", v), "[]");
  EXPECT_FALSE(path("$..x").is_definite());
  EXPECT_FALSE(path("$.a[*]").is_reference());
}

TEST(JsonPath, Filters) {
  Value v = doc(kStore);
  EXPECT_EQ(sel("$.store.book[?(@.price < 10)].title", v), R"(["Sayings","Moby Dick"])");
  EXPECT_EQ(sel("$.store.book[?(@.isbn)].title", v), R"(["Moby Dick","The Lord"])");
  EXPECT_EQ(sel("$.store.book[?(!@.isbn)].title", v), R"(["Sayings","Sword"])");
  EXPECT_EQ(sel("$.store.book[?(@.category == 'fiction' && @.price > 10)].price", v),
            "[12.99,22.99]");
  EXPECT_EQ(sel("$.store.book[?(@.price == 8 || @.author == \"Nigel Rees\")].price", v),
            "[8.95,8]");
  EXPECT_EQ(sel("$.store.book[?(@.price > $.expensive)].title", v), R"(["Sword","The Lord"])");
  EXPECT_EQ(sel("$.store.book[?(@.author =~ /.*Mel.*/)].price", v), "[8]");
  EXPECT_EQ(sel("$.store.book[?(@.author =~ /herman.*/i)].price", v), "[8]");
  EXPECT_EQ(sel("$.store.book[?(@.price != 8)].price", v), "[8.95,12.99,22.99]");
  EXPECT_EQ(sel("$.store.book[?(@.price >= 22.99)].price", v), "[22.99]");
  EXPECT_EQ(sel("$.store.book[?((@.price <= 8.95) && !(@.category == 'reference'))].price", v),
            "[8]");
  EXPECT_EQ(sel("$..book[?(@.title == 'Sword')].author", v), R"(["Evelyn Waugh"])");
  // Type mismatches never match; comparing with a missing member never matches.
  EXPECT_EQ(sel("$.store.book[?(@.price > '1')].price", v), "[]");
  EXPECT_EQ(sel("$.store.book[?(@.nope > 1)].price", v), "[]");
}

TEST(JsonPath, ContextObjectPrefix) {
  auto p = path("$$.Execution.Id");
  EXPECT_TRUE(p.is_context());
  Value input = doc(R"({"Execution":{"Id":"wrong"}})");
  Value context = doc(R"({"Execution":{"Id":"arn:x"}})");
  EXPECT_EQ(json::serialize(*p.select(input, context)), R"("arn:x")");
  EXPECT_EQ(json::serialize(*path("$.Execution.Id").select(input, context)), R"("wrong")");
  EXPECT_EQ(path("$$").canonical(), "$$");
}

TEST(JsonPath, RefusesRegexNumbersStdRegexCannotTake) {
  // A back reference's number std::regex would overflow reading (the asl_expression fuzzer's
  // finding), and a repetition it would unroll into millions of states.
  for (const char* bad : {R"($.a[?(@.x =~ /\\\77777777777777777777/)])",
                          "$.a[?(@.x =~ /a{100000000}/)]", "$.a[?(@.x =~ /a{1,99999}/)]"}) {
    auto p = JsonPath::parse(bad);
    EXPECT_FALSE(p.ok()) << bad;
    if (!p.ok()) {
      EXPECT_EQ(p.error().code, ErrorCode::kInvalidDefinition);
    }
  }
  // What people write still works: digits as literals, escaped backslashes, counts up to 9999.
  Value v = doc(R"({"a":[{"x":"12345678901"},{"x":"\\12"},{"x":"aaa"}]})");
  EXPECT_EQ(sel("$.a[?(@.x =~ /12345678901/)].x", v), R"(["12345678901"])");
  EXPECT_EQ(sel(R"($.a[?(@.x =~ /\\12/)].x)", v), R"(["\\12"])");  // a backslash, then 12
  EXPECT_EQ(sel("$.a[?(@.x =~ /a{1,9999}/)].x", v), R"(["aaa"])");
}

TEST(JsonPath, RejectsMalformedPaths) {
  for (const char* bad : {"", "a.b", "$.", "$..", "$[", "$['a'", "$[a]", "$.a[?(@.x >)]",
                          "$.a[?(@.x =~ 'y')]", "$.a[?(1)]", "$ .a", "$.a[1:2:0]", "$.[0]"}) {
    auto p = JsonPath::parse(bad);
    EXPECT_FALSE(p.ok()) << bad;
    if (!p.ok()) {
      EXPECT_EQ(p.error().code, ErrorCode::kInvalidDefinition);
    }
  }
}

TEST(JsonPath, AssignCreatesMissingMembers) {
  Value v = doc(R"({"a":{"keep":1},"list":[1,2]})");
  ASSERT_TRUE(path("$.a.b.c").assign(v, Value(5)).ok());
  ASSERT_TRUE(path("$.list[1]").assign(v, Value("x")).ok());
  ASSERT_TRUE(path("$.a.keep").assign(v, Value(true)).ok());
  EXPECT_EQ(json::serialize(v), R"({"a":{"keep":true,"b":{"c":5}},"list":[1,"x"]})");
  ASSERT_TRUE(path("$").assign(v, Value(7)).ok());
  EXPECT_EQ(json::serialize(v), "7");
}

TEST(JsonPath, AssignFailsWhenTheWayIsBlocked) {
  Value v = doc(R"({"s":"str","list":[1]})");
  for (const char* p : {"$.s.x", "$.list[3]", "$.list.x", "$.s[0]"}) {
    Value copy = v;
    auto st = path(p).assign(copy, Value(1));
    ASSERT_FALSE(st.ok()) << p;
    EXPECT_EQ(st.error().code, ErrorCode::kStatesResultPathMatchFailure);
  }
  Value scalar = Value("text");
  EXPECT_FALSE(path("$.x").assign(scalar, Value(1)).ok());
  EXPECT_FALSE(path("$.a[*]").assign(v, Value(1)).ok());
}

}  // namespace
}  // namespace sluice::engine::asl
