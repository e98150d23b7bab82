// Helpers for the JSONata engine tests: evaluate an expression on JSON text and describe the
// outcome as one string, so that a test reads as a table of expression -> expected outcome.
// The expected outcomes of the table-driven tests were produced by JSONata 2.0.6 (the npm
// reference implementation) on the same expressions and inputs.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "engine/json/json_parse.h"
#include "engine/jsonata/jsonata.h"

namespace sluice::engine::jsonata::testing {

// The outcome: the result as JSON text (as JSON.stringify writes it), "undefined", or
// "error CODE @position" ("error CODE" when the error has no position).
inline std::string run(std::string_view expr, std::string_view input = "",
                       std::string_view bindings = "", const Limits& limits = {}) {
  auto compiled = Expression::compile(expr);
  if (!compiled.ok()) {
    std::string out = "error " + compiled.error().code;
    if (compiled.error().position >= 0) out += " @" + std::to_string(compiled.error().position);
    return out;
  }
  std::optional<json::Value> in;
  if (!input.empty()) {
    auto parsed = json::parse(input);
    if (!parsed.ok()) return "bad test input: " + parsed.error().message;
    in = std::move(parsed).value();
  }
  std::optional<json::Value> bound;
  if (!bindings.empty()) {
    auto parsed = json::parse(bindings);
    if (!parsed.ok()) return "bad test bindings: " + parsed.error().message;
    bound = std::move(parsed).value();
  }
  ObjectBindings b(bound ? &*bound : nullptr);
  auto result = compiled->evaluate(in ? &*in : nullptr, &b, limits);
  if (!result.ok()) {
    std::string out = "error " + result.error().code;
    if (result.error().position >= 0) out += " @" + std::to_string(result.error().position);
    return out;
  }
  if (!result->has_value()) return "undefined";
  return to_json_text(**result);
}

// One row of a table: the expression, its input (JSON text, "" for none) and the outcome.
struct Case {
  const char* expr;
  const char* input;
  const char* expected;
};

inline void check_all(std::initializer_list<Case> cases, std::string_view bindings = "") {
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string("expression: ") + c.expr + "  input: " + c.input);
    EXPECT_EQ(run(c.expr, c.input, bindings), c.expected);
  }
}

}  // namespace sluice::engine::jsonata::testing
