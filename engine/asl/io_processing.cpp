// See io_processing.h.
#include "engine/asl/io_processing.h"

#include "engine/json/json_serialize.h"

namespace sluice::engine::asl {

using json::Object;
using json::Value;

namespace {

Result<Value> select_path(const PathField& field, const Value& value, const EvalScope& scope) {
  auto selected = field.path.select(value, scope);
  if (!selected) {
    return make_error(ErrorCode::kStatesRuntime,
                      "Invalid path '" + field.path.text() +
                          "' : No results for path: " + field.path.canonical());
  }
  return std::move(*selected);
}

}  // namespace

Result<Value> apply_input_path(const PathField& input_path, const Value& input,
                               const EvalScope& scope) {
  switch (input_path.mode) {
    case PathField::Mode::kDefault:
      return input;
    case PathField::Mode::kNull:
      return Value(Object{});
    case PathField::Mode::kPath:
      if (input_path.path.is_input()) return input;
      return select_path(input_path, input, scope);
  }
  return input;
}

Result<Value> apply_output_path(const PathField& output_path, Value output,
                                const EvalScope& scope) {
  switch (output_path.mode) {
    case PathField::Mode::kDefault:
      return output;
    case PathField::Mode::kNull:
      return Value(Object{});
    case PathField::Mode::kPath:
      if (output_path.path.is_input()) return output;
      return select_path(output_path, output, scope);
  }
  return output;
}

Result<Value> apply_result_path(const PathField& result_path, const Value& state_input,
                                Value result) {
  switch (result_path.mode) {
    case PathField::Mode::kDefault:
      return result;
    case PathField::Mode::kNull:
      return state_input;
    case PathField::Mode::kPath: {
      if (result_path.path.is_root()) return result;
      Value out = state_input;
      auto st = result_path.path.assign(out, std::move(result));
      if (!st.ok()) {
        return make_error(ErrorCode::kStatesResultPathMatchFailure,
                          "Unable to apply ResultPath \"" + result_path.path.text() +
                              "\" to input \"" + json::serialize(state_input) + "\"");
      }
      return out;
    }
  }
  return result;
}

Result<Value> process_input(const InputOutput& io, const Value& state_input,
                            const EvalScope& scope) {
  auto effective = apply_input_path(io.input_path, state_input, scope);
  if (!effective.ok() || !io.parameters) return effective;
  return io.parameters->evaluate(*effective, scope);
}

Result<Value> process_result(const InputOutput& io, const Value& state_input, Value result,
                             const EvalScope& scope) {
  if (io.result_selector) {
    auto selected = io.result_selector->evaluate(result, scope);
    if (!selected.ok()) return selected;
    result = std::move(selected).value();
  }
  auto merged = apply_result_path(io.result_path, state_input, std::move(result));
  if (!merged.ok()) return merged;
  return apply_output_path(io.output_path, std::move(merged).value(), scope);
}

}  // namespace sluice::engine::asl
