// Input and output processing of a state (JSONPath query language):
//   state input -> InputPath -> Parameters/ItemSelector -> [the state's work] -> ResultSelector
//   -> ResultPath (merged into the state input) -> OutputPath -> state output.
// Each step is a function of compiled fields, so the executor can run them in order and record
// the intermediate values its history events need. Errors are the States.* errors AWS raises:
// kStatesRuntime for an InputPath/OutputPath that selects nothing, kStatesResultPathMatchFailure
// when the result cannot be placed.
#pragma once

#include <optional>

#include "engine/asl/eval_scope.h"
#include "engine/asl/json_path.h"
#include "engine/asl/payload_template.h"
#include "engine/json/json_value.h"
#include "storage/result.h"

namespace sluice::engine::asl {

// InputPath, OutputPath or ResultPath as written: absent (means "$"), JSON null, or a path.
struct PathField {
  enum class Mode : uint8_t { kDefault, kNull, kPath };
  Mode mode = Mode::kDefault;
  JsonPath path;

  static PathField null() { return PathField{Mode::kNull, {}}; }
  static PathField of(JsonPath p) { return PathField{Mode::kPath, std::move(p)}; }
};

struct InputOutput {
  PathField input_path;
  std::optional<PayloadTemplate> parameters;  // Parameters, or ItemSelector for Map items
  std::optional<PayloadTemplate> result_selector;
  PathField result_path;
  PathField output_path;
};

// InputPath: "$"/absent passes the input through, null gives {}, a path selects (AWS: "Invalid
// path '$.x' : No results for path: $['x']" when it selects nothing).
Result<json::Value> apply_input_path(const PathField& input_path, const json::Value& input,
                                     const EvalScope& scope);
// OutputPath: as InputPath, on the state's output.
Result<json::Value> apply_output_path(const PathField& output_path, json::Value output,
                                      const EvalScope& scope);
// ResultPath: absent/"$" gives the result, null keeps the state input, a path stores the
// result into a copy of the state input.
Result<json::Value> apply_result_path(const PathField& result_path, const json::Value& state_input,
                                      json::Value result);

// InputPath then Parameters: the effective input a Task (or Pass, Map, Parallel) works on.
Result<json::Value> process_input(const InputOutput& io, const json::Value& state_input,
                                  const EvalScope& scope);
// ResultSelector, ResultPath, OutputPath: the state output from its raw result.
Result<json::Value> process_result(const InputOutput& io, const json::Value& state_input,
                                   json::Value result, const EvalScope& scope);

}  // namespace sluice::engine::asl
