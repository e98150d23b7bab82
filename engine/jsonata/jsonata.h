// JSONata 2.0.6 (the version AWS Step Functions runs), native: compile an expression once, then
// evaluate it any number of times, from any number of threads, over json::Values that it reads in
// place. See engine/jsonata/README.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "engine/json/json_value.h"
#include "storage/result.h"

namespace sluice::engine::jsonata {

// A JSONata error: its code (S0xxx syntax, T0xxx/T1xxx/T2xxx type, D1xxx/D2xxx/D3xxx dynamic,
// U1001 limits), JSONata's message for it, and where it happened (a UTF-16 offset into the
// expression, as JSONata counts; -1 when unknown) with the token involved.
struct JsonataError {
  std::string code;
  std::string message;
  int64_t position = -1;
  std::string token;
};

struct Limits {
  // Deepest nesting of evaluation (each sub-expression evaluated inside another counts one, as in
  // JSONata's own depth guard); beyond it: U1001 "Stack overflow error".
  std::size_t max_depth = 1000;
  // Wall-clock budget for one evaluation; 0: none. Beyond it: U1001 "Expression evaluation
  // timeout".
  int64_t time_limit_ms = 0;
  // Memory one evaluation may hold at once in the values it builds (strings, arrays, objects,
  // functions; the input and the bindings are read in place and do not count); 0: no limit.
  // Beyond it: U1001 "Out of memory". A few copies of the largest range JSONata allows (1e7
  // numbers) fit.
  std::size_t max_memory_bytes = std::size_t{512} << 20;
  // The evaluation's instant in Unix milliseconds ($now, $millis); unset: the clock, read when
  // first needed. A caller that must evaluate the same way again (Step Functions replaying an
  // execution after a restart) passes the instant it recorded.
  std::optional<int64_t> now_ms;
  // Seeds the generator behind $random(), $shuffle and $uuid for this evaluation; unset: a
  // per-thread generator seeded once from the OS. Same seed, same expression, same input: same
  // values, which is what a replay needs.
  std::optional<uint64_t> random_seed;
};

// Variables the expression can read as $name (Step Functions binds $states and user variables).
class Bindings {
 public:
  virtual ~Bindings() = default;
  virtual const json::Value* find(std::string_view name) const = 0;
};

// Variables from a JSON object: {"name": value} binds $name (the CLI's --bindings, the tests,
// the benchmarks). The object must outlive the bindings.
class ObjectBindings final : public Bindings {
 public:
  explicit ObjectBindings(const json::Value* object) : object_(object) {}
  const json::Value* find(std::string_view name) const override {
    if (object_ == nullptr || !object_->is_object()) return nullptr;
    return object_->as_object().find(name);
  }

 private:
  const json::Value* object_;
};

// JSON text of a value as JavaScript's JSON.stringify writes it (no whitespace; numbers as
// JavaScript prints them: 1e+21, 0.30000000000000004): what JSONata users see.
std::string to_json_text(const json::Value& v);

struct Program;

class Expression {
 public:
  // Parses and prepares text. Errors: S0xxx (and S0303 for a regular expression the regex engine
  // rejects).
  static Result<Expression, JsonataError> compile(std::string_view text);

  // nullptr input: no input (JSONata's "undefined" input). Result nullopt: undefined.
  // The input and the bindings' values are read in place, never copied; they must stay alive and
  // unchanged during the call.
  Result<std::optional<json::Value>, JsonataError> evaluate(const json::Value* input,
                                                            const Bindings* bindings = nullptr,
                                                            const Limits& limits = {}) const;

  const std::string& text() const { return *text_; }

  // The compiled tree (ast.h), for static analysis of what the expression reads.
  const Program& program() const { return *program_; }

 private:
  Expression() = default;
  std::shared_ptr<const Program> program_;
  std::shared_ptr<const std::string> text_;
};

}  // namespace sluice::engine::jsonata
