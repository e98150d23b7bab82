// Intrinsic: one call of an Amazon States Language intrinsic function ("States.Format('{}', $.x)"),
// parsed once (function, argument literals, JSONPaths and nested calls) and evaluated per state.
// All 18 functions of the JSONPath query language are supported. Failures are values:
// kStatesIntrinsicFailure where AWS raises States.IntrinsicFailure (bad argument types or
// values), kStatesRuntime when an argument's JSONPath selects nothing.
//
// A parsed Intrinsic is immutable and may be shared by any number of threads.
#pragma once

#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/asl/json_path.h"
#include "engine/json/json_value.h"
#include "storage/result.h"

namespace sluice::engine::asl {

enum class IntrinsicFunction : uint8_t {
  kFormat,
  kStringToJson,
  kJsonToString,
  kArray,
  kArrayPartition,
  kArrayContains,
  kArrayRange,
  kArrayGetItem,
  kArrayLength,
  kArrayUnique,
  kBase64Encode,
  kBase64Decode,
  kHash,
  kJsonMerge,
  kMathRandom,
  kMathAdd,
  kStringSplit,
  kUuid,
};

// "States.Format", ...
std::string_view intrinsic_name(IntrinsicFunction f);

class Intrinsic;

struct IntrinsicArg {
  enum class Kind : uint8_t { kLiteral, kPath, kCall };
  Kind kind = Kind::kLiteral;
  json::Value literal;  // kLiteral; string literals are unescaped
  std::string raw;      // kLiteral strings: the text between the quotes, escapes intact
  JsonPath path;        // kPath
  std::shared_ptr<const Intrinsic> call;  // kCall
};

class Intrinsic {
 public:
  // True when a ".$" value is meant as an intrinsic call rather than a path.
  static bool is_call(std::string_view text);
  // Fails with kInvalidDefinition: unknown function, wrong argument count, bad syntax.
  static Result<Intrinsic> parse(std::string_view text);

  IntrinsicFunction function() const { return function_; }
  const std::vector<IntrinsicArg>& args() const { return args_; }
  const std::string& text() const { return text_; }

  // Paths starting "$$" read the context, "$name" a variable, the others the input.
  Result<json::Value> evaluate(const json::Value& input, const EvalScope& scope) const;

  // Adds the names of the variables its arguments read, nested calls included.
  void collect_variables(std::set<std::string>& names) const;

 private:
  friend class IntrinsicParser;
  IntrinsicFunction function_ = IntrinsicFunction::kArray;
  std::vector<IntrinsicArg> args_;
  std::string text_;
};

}  // namespace sluice::engine::asl
