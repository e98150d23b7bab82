#include "engine/asl/payload_template.h"

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

PayloadTemplate compile(std::string_view text) {
  auto t = PayloadTemplate::compile(doc(text));
  EXPECT_TRUE(t.ok()) << (t.ok() ? "" : t.error().message);
  return t.ok() ? std::move(t).value() : PayloadTemplate();
}

const Value kInput = *json::parse(R"J({"a":{"b":[1,2,3]},"name":"x","items":[{"v":1},{"v":5}]})J");
const Value kContext =
    *json::parse(R"J({"Execution":{"Id":"arn:exec"},"Map":{"Item":{"Index":2}}})J");

TEST(PayloadTemplate, StaticFieldsPathsCallsAndContext) {
  auto t = compile(R"J({
    "static": {"k": [1, "two", null]},
    "b.$": "$.a.b",
    "first.$": "$.a.b[0]",
    "big.$": "$.items[?(@.v > 2)].v",
    "id.$": "$$.Execution.Id",
    "greeting.$": "States.Format('hi {}', $.name)",
    "nested": {"idx.$": "$$.Map.Item.Index", "arr": [{"n.$": "$.name"}, 7]},
    "whole.$": "$"
  })J");
  EXPECT_TRUE(t.is_dynamic());
  auto out = t.evaluate(kInput, kContext);
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(json::serialize(*out),
            R"J({"static":{"k":[1,"two",null]},"b":[1,2,3],"first":1,"big":[5],"id":"arn:exec",)J"
            R"J("greeting":"hi x","nested":{"idx":2,"arr":[{"n":"x"},7]},)J"
            R"J("whole":{"a":{"b":[1,2,3]},"name":"x","items":[{"v":1},{"v":5}]}})J");
}

TEST(PayloadTemplate, StaticTemplateIsNotDynamic) {
  auto t = compile(R"J({"a":[1,{"b":"$.not.a.path"}]})J");
  EXPECT_FALSE(t.is_dynamic());
  EXPECT_EQ(json::serialize(*t.evaluate(kInput, kContext)), R"J({"a":[1,{"b":"$.not.a.path"}]})J");
}

TEST(PayloadTemplate, MissingPathIsStatesRuntimeNamingTheField) {
  auto t = compile(R"J({"x.$": "$.nope"})J");
  auto out = t.evaluate(doc(R"J({"flagged":false})J"), kContext);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, ErrorCode::kStatesRuntime);
  EXPECT_EQ(out.error().message,
            "The JSONPath '$.nope' specified for the field 'x.$' could not be found in the input "
            "'{\"flagged\":false}'");
}

TEST(PayloadTemplate, IntrinsicFailurePassesThrough) {
  auto t = compile(R"J({"x.$": "States.ArrayGetItem($.a.b, 9)"})J");
  auto out = t.evaluate(kInput, kContext);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, ErrorCode::kStatesIntrinsicFailure);
}

TEST(PayloadTemplate, CompileErrors) {
  for (const char* bad : {R"J({"x.$": 1})J", R"J({"x.$": "nope"})J", R"J({"x.$": "$.a["})J",
                          R"J({"n": {"x.$": "States.Nope()"}})J", R"J([1])J"}) {
    auto t = PayloadTemplate::compile(doc(bad));
    ASSERT_FALSE(t.ok()) << bad;
    EXPECT_EQ(t.error().code, ErrorCode::kInvalidDefinition);
  }
  auto t = PayloadTemplate::compile(doc(R"J({"x.$": "nope"})J"));
  EXPECT_EQ(t.error().message,
            "The value for the field 'x.$' must be a valid JSONPath or a valid intrinsic function "
            "call");
}

}  // namespace
}  // namespace sluice::engine::asl
