#include "engine/asl/intrinsics.h"

#include <gtest/gtest.h>

#include <regex>

#include "engine/json/json_parse.h"
#include "engine/json/json_serialize.h"

namespace sluice::engine::asl {
namespace {

using json::Value;

const Value& input() {
  static const Value v = *json::parse(R"({
    "name": "World", "n": 3, "list": [1, 2, 2, "a", "a", {"k": 1}, {"k": 1}],
    "text": "{\"x\":[1,2.5]}", "obj1": {"a": 1, "b": {"c": 1}}, "obj2": {"b": 2, "d": 4},
    "arn": "arn:aws:imagebuilder:us-east-1:123:image-recipe/my.recipe/1.0.0", "nul": null})");
  return v;
}

const Value& context() {
  static const Value v = *json::parse(R"({"Execution":{"Name":"exec-1"}})");
  return v;
}

Result<Value> eval(std::string_view text) {
  auto call = Intrinsic::parse(text);
  if (!call.ok()) return std::move(call).error();
  return call->evaluate(input(), context());
}

// The serialized result, or "ERR:<States name>" on failure.
std::string run(std::string_view text) {
  auto r = eval(text);
  if (!r.ok()) {
    switch (r.error().code) {
      case ErrorCode::kStatesIntrinsicFailure:
        return "ERR:IntrinsicFailure";
      case ErrorCode::kStatesRuntime:
        return "ERR:Runtime";
      case ErrorCode::kInvalidDefinition:
        return "ERR:InvalidDefinition";
      default:
        return "ERR:other";
    }
  }
  return json::serialize(*r);
}

TEST(Intrinsics, Format) {
  EXPECT_EQ(run("States.Format('Hello, {}!', $.name)"), R"("Hello, World!")");
  EXPECT_EQ(run("States.Format('{} {} {} {}', $.n, true, null, 1.5)"), R"("3 true null 1.5")");
  EXPECT_EQ(run(R"(States.Format('lit \{\} \' \\ {}', $$.Execution.Name))"),
            R"("lit {} ' \\ exec-1")");
  // Objects and arrays print as the service's Java maps and lists do, not as JSON.
  EXPECT_EQ(run("States.Format('{}', $.obj2)"), R"("{b=2, d=4}")");
  EXPECT_EQ(run("States.Format('{}', $.obj1)"), R"("{a=1, b={c=1}}")");
  EXPECT_EQ(run("States.Format('{}', $.list)"), R"("[1, 2, 2, a, a, {k=1}, {k=1}]")");
  EXPECT_EQ(run("States.Format('{}', States.StringToJson('{\"Arg1\": 1, \"Arg2\": []}'))"),
            R"("{Arg1=1, Arg2=[]}")");
  EXPECT_EQ(run("States.Format('{}', States.Array(null, true, 1.1))"), R"("[null, true, 1.1]")");
  EXPECT_EQ(run("States.Format('no placeholders')"), R"("no placeholders")");
  EXPECT_EQ(run("States.Format('{} {}', 1)"), "ERR:IntrinsicFailure");
  EXPECT_EQ(run("States.Format('{}', 1, 2)"), "ERR:IntrinsicFailure");
  EXPECT_EQ(run("States.Format($.n)"), "ERR:IntrinsicFailure");
}

TEST(Intrinsics, JsonConversions) {
  EXPECT_EQ(run("States.StringToJson($.text)"), R"({"x":[1,2.5]})");
  EXPECT_EQ(run("States.JsonToString($.obj1)"), R"("{\"a\":1,\"b\":{\"c\":1}}")");
  EXPECT_EQ(run("States.StringToJson('not json')"), "ERR:IntrinsicFailure");
  EXPECT_EQ(run("States.StringToJson($.n)"), "ERR:IntrinsicFailure");
  // A blank string is null, as recorded against AWS; "-0" is 0.
  EXPECT_EQ(run("States.StringToJson('')"), "null");
  EXPECT_EQ(run("States.StringToJson(' ')"), "null");
  EXPECT_EQ(run("States.StringToJson('-0')"), "0");
  EXPECT_EQ(run("States.StringToJson('\"HelloWorld\"')"), R"("HelloWorld")");
}

TEST(Intrinsics, Arrays) {
  EXPECT_EQ(run("States.Array('a', 1, $.n, States.Array())"), R"(["a",1,3,[]])");
  EXPECT_EQ(run("States.ArrayPartition(States.ArrayRange(1, 7, 1), 3)"), "[[1,2,3],[4,5,6],[7]]");
  EXPECT_EQ(run("States.ArrayPartition($.list, 0)"), "ERR:IntrinsicFailure");
  EXPECT_EQ(run("States.ArrayPartition($.n, 2)"), "ERR:IntrinsicFailure");
  EXPECT_EQ(run("States.ArrayContains($.list, 'a')"), "true");
  EXPECT_EQ(run("States.ArrayContains($.list, $.obj2)"), "false");
  EXPECT_EQ(run("States.ArrayContains($.list, States.StringToJson('{\"k\":1}'))"), "true");
  EXPECT_EQ(run("States.ArrayRange(1, 9, 2)"), "[1,3,5,7,9]");
  EXPECT_EQ(run("States.ArrayRange(5, 1, -2)"), "[5,3,1]");
  EXPECT_EQ(run("States.ArrayRange(1, 2, -1)"), "[]");
  EXPECT_EQ(run("States.ArrayRange(0, 1000, 1)"), "ERR:IntrinsicFailure");
  EXPECT_EQ(run("States.ArrayRange(1, 5, 0)"), "ERR:IntrinsicFailure");
  EXPECT_EQ(run("States.ArrayRange(1.5, 5, 1)"), "ERR:IntrinsicFailure");
  EXPECT_EQ(run("States.ArrayGetItem($.list, 5)"), R"({"k":1})");
  EXPECT_EQ(run("States.ArrayGetItem($.list, 7)"), "ERR:IntrinsicFailure");
  EXPECT_EQ(run("States.ArrayGetItem($.list, -1)"), "ERR:IntrinsicFailure");
  EXPECT_EQ(run("States.ArrayLength($.list)"), "7");
  EXPECT_EQ(run("States.ArrayLength($.name)"), "ERR:IntrinsicFailure");
  EXPECT_EQ(run("States.ArrayUnique($.list)"), R"([1,2,"a",{"k":1}])");
}

TEST(Intrinsics, Encoding) {
  EXPECT_EQ(run("States.Base64Encode('Data to encode')"), R"("RGF0YSB0byBlbmNvZGU=")");
  EXPECT_EQ(run("States.Base64Encode('ab')"), R"("YWI=")");
  EXPECT_EQ(run("States.Base64Encode('')"), R"("")");
  EXPECT_EQ(run("States.Base64Decode('RGF0YSB0byBlbmNvZGU=')"), R"("Data to encode")");
  EXPECT_EQ(run("States.Base64Decode(States.Base64Encode($.arn))"),
            "\"" + input().as_object().find("arn")->as_string() + "\"");
  EXPECT_EQ(run("States.Base64Decode('abc')"), "ERR:IntrinsicFailure");
  EXPECT_EQ(run("States.Base64Decode('ab=c')"), "ERR:IntrinsicFailure");
  EXPECT_EQ(run("States.Base64Encode($.n)"), "ERR:IntrinsicFailure");
  std::string big(10001, 'x');
  EXPECT_EQ(run("States.Base64Encode('" + big + "')"), "ERR:IntrinsicFailure");
}

TEST(Intrinsics, Hash) {
  EXPECT_EQ(run("States.Hash('abc', 'MD5')"), R"("900150983cd24fb0d6963f7d28e17f72")");
  EXPECT_EQ(run("States.Hash('abc', 'SHA-1')"), R"("a9993e364706816aba3e25717850c26c9cd0d89d")");
  EXPECT_EQ(run("States.Hash('abc', 'SHA-256')"),
            R"("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")");
  EXPECT_EQ(run("States.Hash('abc', 'SHA-384')").size(), 96u + 2);
  EXPECT_EQ(run("States.Hash('abc', 'SHA-512')").size(), 128u + 2);
  EXPECT_EQ(run("States.Hash('abc', 'SHA-3')"), "ERR:IntrinsicFailure");
  EXPECT_EQ(run("States.Hash($.nul, 'MD5')"), "ERR:IntrinsicFailure");
}

TEST(Intrinsics, JsonMerge) {
  EXPECT_EQ(run("States.JsonMerge($.obj1, $.obj2, false)"), R"({"a":1,"b":2,"d":4})");
  EXPECT_EQ(run("States.JsonMerge($.obj1, $.obj2, true)"), "ERR:IntrinsicFailure");
  EXPECT_EQ(run("States.JsonMerge($.obj1, $.list, false)"), "ERR:IntrinsicFailure");
}

TEST(Intrinsics, Math) {
  EXPECT_EQ(run("States.MathAdd($.n, -1)"), "2");
  EXPECT_EQ(run("States.MathAdd(111, 2.0)"), "113");
  // Non-integers are rounded half up (Java's Math.round), as AWS recorded: 1.49 + 1.5 = 3,
  // -1.5 + -1.51 = -3, -1.5 + 0 = -1, 2.5 + 0 = 3.
  EXPECT_EQ(run("States.MathAdd(1.49, 1.5)"), "3");
  EXPECT_EQ(run("States.MathAdd(1.5, 1.51)"), "4");
  EXPECT_EQ(run("States.MathAdd(-1.49, -1.5)"), "-2");
  EXPECT_EQ(run("States.MathAdd(-1.5, -1.51)"), "-3");
  EXPECT_EQ(run("States.MathAdd(-1.5, 0)"), "-1");
  EXPECT_EQ(run("States.MathAdd(2.5, 0)"), "3");
  EXPECT_EQ(run("States.MathAdd(1.49, -1.49)"), "0");
  EXPECT_EQ(run("States.MathAdd(true, 1)"), "ERR:IntrinsicFailure");
  EXPECT_EQ(run("States.MathAdd('1', 1)"), "ERR:IntrinsicFailure");
  EXPECT_EQ(run("States.MathAdd(9223372036854775807, 1)"), "ERR:IntrinsicFailure");
  for (int i = 0; i < 50; ++i) {
    auto r = eval("States.MathRandom(1, 4)");
    ASSERT_TRUE(r.ok());
    EXPECT_GE(r->as_int(), 1);
    EXPECT_LT(r->as_int(), 4);
  }
  EXPECT_EQ(run("States.MathRandom(1, 1000, 7)"), run("States.MathRandom(1, 1000, 7)"));
  EXPECT_EQ(run("States.MathRandom(5, 5)"), "ERR:IntrinsicFailure");
  // Non-integer bounds are rounded as MathAdd's arguments are: [13, 45).
  for (int i = 0; i < 50; ++i) {
    auto r = eval("States.MathRandom(12.5, 44.51)");
    ASSERT_TRUE(r.ok());
    EXPECT_GE(r->as_int(), 13);
    EXPECT_LT(r->as_int(), 45);
  }
  EXPECT_EQ(run("States.MathRandom(0, 999, 3.2)"), run("States.MathRandom(0, 999, 3)"));
}

TEST(Intrinsics, StringSplitAndNesting) {
  EXPECT_EQ(run("States.StringSplit('This.is+a,test=string', '.+,=')"),
            R"(["This","is","a","test","string"])");
  EXPECT_EQ(run("States.StringSplit('a,,b,', ',')"), R"(["a","b"])");
  // The documented nine-deep example (two placeholders for its two arguments).
  EXPECT_EQ(run("States.Format('{}.{}', States.ArrayGetItem(States.StringSplit("
                "States.ArrayGetItem(States.StringSplit($.arn, '/'), 2), '.'), 0), "
                "States.ArrayGetItem(States.StringSplit(States.ArrayGetItem("
                "States.StringSplit($.arn, '/'), 2), '.'), 1))"),
            R"("1.0")");
}

TEST(Intrinsics, Uuid) {
  auto a = eval("States.UUID()");
  auto b = eval("States.UUID()");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_TRUE(std::regex_match(
      a->as_string(),
      std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")));
  EXPECT_NE(a->as_string(), b->as_string());
}

TEST(Intrinsics, PathsInArguments) {
  EXPECT_EQ(run("States.Array($.list[?(@ == 2)], $['name'])"), R"([[2,2],"World"])");
  EXPECT_EQ(run("States.Array($.missing)"), "ERR:Runtime");
  EXPECT_EQ(run("States.ArrayLength($.list[*])"), "7");
}

TEST(Intrinsics, ParseErrors) {
  for (const char* bad :
       {"States.Nope()", "States.Format(", "States.UUID(1)", "States.MathAdd(1)",
        "States.Array(1,)", "States.Array('x) ", "States.Array(foo)", "States.Array(1) x",
        "States.Array($.)",
        "States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States."
        "Array(States.Array(States.Array(States.Array(States.Array()))))))))))"}) {
    EXPECT_EQ(run(bad), "ERR:InvalidDefinition") << bad;
  }
  EXPECT_TRUE(Intrinsic::is_call("States.UUID()"));
  EXPECT_FALSE(Intrinsic::is_call("$.States"));
  auto call = Intrinsic::parse("States.MathAdd(1, $.n)");
  ASSERT_TRUE(call.ok());
  EXPECT_EQ(call->function(), IntrinsicFunction::kMathAdd);
  EXPECT_EQ(intrinsic_name(call->function()), "States.MathAdd");
  ASSERT_EQ(call->args().size(), 2u);
  EXPECT_EQ(call->args()[1].kind, IntrinsicArg::Kind::kPath);
}

}  // namespace
}  // namespace sluice::engine::asl
