#include "engine/asl/io_processing.h"

#include <gtest/gtest.h>

#include "engine/json/json_parse.h"
#include "engine/json/json_serialize.h"

namespace sluice::engine::asl {
namespace {

using json::Value;

Value doc(std::string_view text) {
  return *json::parse(text);
}

PathField path(std::string_view p) {
  return PathField::of(*JsonPath::parse(p));
}

const Value kContext = doc(R"J({"Execution":{"Name":"e"}})J");

TEST(IoProcessing, InputPath) {
  Value in = doc(R"J({"a":{"b":1},"c":2})J");
  EXPECT_EQ(json::serialize(*apply_input_path(PathField{}, in, kContext)), json::serialize(in));
  EXPECT_EQ(json::serialize(*apply_input_path(PathField::null(), in, kContext)), "{}");
  EXPECT_EQ(json::serialize(*apply_input_path(path("$.a"), in, kContext)), R"J({"b":1})J");
  EXPECT_EQ(json::serialize(*apply_input_path(path("$$.Execution"), in, kContext)),
            R"J({"Name":"e"})J");
  auto missing = apply_input_path(path("$.x.y"), in, kContext);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kStatesRuntime);
  EXPECT_EQ(missing.error().message, "Invalid path '$.x.y' : No results for path: $['x']['y']");
}

TEST(IoProcessing, ResultPath) {
  Value in = doc(R"J({"a":1,"s":"str"})J");
  EXPECT_EQ(json::serialize(*apply_result_path(PathField{}, in, Value(5))), "5");
  EXPECT_EQ(json::serialize(*apply_result_path(path("$"), in, Value(5))), "5");
  EXPECT_EQ(json::serialize(*apply_result_path(PathField::null(), in, Value(5))),
            R"J({"a":1,"s":"str"})J");
  EXPECT_EQ(json::serialize(*apply_result_path(path("$.r.deep"), in, Value(5))),
            R"J({"a":1,"s":"str","r":{"deep":5}})J");
  EXPECT_EQ(json::serialize(*apply_result_path(path("$.a"), in, Value(5))),
            R"J({"a":5,"s":"str"})J");
  auto blocked = apply_result_path(path("$.s.x"), in, Value(5));
  ASSERT_FALSE(blocked.ok());
  EXPECT_EQ(blocked.error().code, ErrorCode::kStatesResultPathMatchFailure);
  auto scalar_input = apply_result_path(path("$.x"), Value("text"), Value(5));
  ASSERT_FALSE(scalar_input.ok());
  EXPECT_EQ(scalar_input.error().code, ErrorCode::kStatesResultPathMatchFailure);
  EXPECT_EQ(scalar_input.error().message,
            "Unable to apply ResultPath \"$.x\" to input \"\"text\"\"");
}

TEST(IoProcessing, OutputPath) {
  Value out = doc(R"J({"r":{"v":1}})J");
  EXPECT_EQ(json::serialize(*apply_output_path(path("$.r.v"), out, kContext)), "1");
  EXPECT_EQ(json::serialize(*apply_output_path(PathField::null(), out, kContext)), "{}");
  EXPECT_FALSE(apply_output_path(path("$.zz"), out, kContext).ok());
}

// The worked example of the developer guide's input/output processing page, reduced: InputPath
// picks a sub-object, Parameters reshapes it, ResultSelector trims the task result, ResultPath
// places it beside the original input and OutputPath keeps part of that.
TEST(IoProcessing, FullPipeline) {
  InputOutput io;
  io.input_path = path("$.library");
  io.parameters = *PayloadTemplate::compile(
      doc(R"J({"staticValue":"x","title.$":"$.books[0].title","exec.$":"$$.Execution.Name"})J"));
  io.result_selector =
      *PayloadTemplate::compile(doc(R"J({"code.$":"$.StatusCode","first.$":"$.Payload[0]"})J"));
  io.result_path = path("$.taskResult");
  io.output_path = path("$.taskResult");

  Value state_input = doc(R"J({"library":{"books":[{"title":"Dune"}]},"other":1})J");
  auto effective = process_input(io, state_input, kContext);
  ASSERT_TRUE(effective.ok()) << effective.error().message;
  EXPECT_EQ(json::serialize(*effective), R"J({"staticValue":"x","title":"Dune","exec":"e"})J");

  Value task_result = doc(R"J({"StatusCode":200,"Payload":["p1","p2"],"Noise":true})J");
  auto output = process_result(io, state_input, task_result, kContext);
  ASSERT_TRUE(output.ok()) << output.error().message;
  EXPECT_EQ(json::serialize(*output), R"J({"code":200,"first":"p1"})J");

  io.output_path = PathField{};
  output = process_result(io, state_input, task_result, kContext);
  EXPECT_EQ(
      json::serialize(*output),
      R"J({"library":{"books":[{"title":"Dune"}]},"other":1,"taskResult":{"code":200,"first":"p1"}})J");

  io.result_selector = *PayloadTemplate::compile(doc(R"J({"x.$":"$.Missing"})J"));
  output = process_result(io, state_input, task_result, kContext);
  ASSERT_FALSE(output.ok());
  EXPECT_EQ(output.error().code, ErrorCode::kStatesRuntime);
}

}  // namespace
}  // namespace sluice::engine::asl
