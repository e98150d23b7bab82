// What the fuzzers (tests/fuzz) found, kept as tests: each expression here once crashed the
// engine, tripped a sanitizer, leaked or ran past its limits. The same inputs are in
// tests/fuzz/regressions/, where the fuzz suite replays them under ASan, UBSan and LeakSanitizer
// (which is what catches the leaks; here their results are checked).
// Expected outcomes: JSONata 2.0.6 (the reference implementation) where it has one; where the
// reference overflows its JavaScript stack, U1001, as the native engine reports its own limits.
#include <gtest/gtest.h>

#include <string>

#include "tests/engine/jsonata/jsonata_test_util.h"

namespace sluice::engine::jsonata::testing {
namespace {

// The error's message, or "no error".
std::string error_message(std::string_view expr) {
  auto compiled = Expression::compile(expr);
  if (!compiled.ok()) return compiled.error().message;
  auto result = compiled->evaluate(nullptr);
  return result.ok() ? "no error" : result.error().message;
}

// run()'s outcome without the error's position (which depends on where a limit struck).
std::string unplaced(std::string outcome) {
  auto at = outcome.find(" @");
  if (outcome.starts_with("error ") && at != std::string::npos) outcome.resize(at);
  return outcome;
}

std::string repeat(std::string_view head, std::string_view tail, int n) {
  std::string out(head);
  for (int i = 0; i < n; ++i) out += tail;
  return out;
}

// A frame that binds a closure over itself (every recursive function) is a reference cycle; the
// evaluator breaks those when it ends (the fuzzer's leak: recursive-closure-cycle). The closures
// still work while the evaluation runs, wherever they went.
TEST(JsonataRobustness, RecursiveClosures) {
  check_all({
      {R"jn(($f := function($n){ $n <= 1 ? 1 : $n * $f($n - 1) }; $f(5)))jn", "", "120"},
      {R"jn(($f := ($g := function($n){ $n = 0 ? "done" : $g($n - 1) }; $g); $f(3)))jn", "",
       R"jn("done")jn"},
      {R"jn(($o := {"f": function($n){ $n = 0 ? 0 : $o.f($n - 1) }}; $o.f(3)))jn", "", "0"},
      {R"jn([1,2,3].($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f($)))jn", "", "[1,2,3]"},
  });
  EXPECT_EQ(unplaced(run("($f := function($n){ 1 + $f($n + 1) }; $f(0))")), "error U1001");
  auto compiled = Expression::compile("($f := function($n){ $n = 0 ? 0 : $f($n - 1) }; $f(10))");
  ASSERT_TRUE(compiled.ok());
  for (int i = 0; i < 1000; ++i) {
    auto result = compiled->evaluate(nullptr);
    ASSERT_TRUE(result.ok() && result->has_value());
    EXPECT_EQ(to_json_text(**result), "0");
  }
}

// A signature lets an undefined argument through; where the reference then reads a property of
// it, it fails with a JavaScript TypeError (no code). These read a null pointer before.
TEST(JsonataRobustness, UndefinedPictureOrPattern) {
  EXPECT_EQ(error_message("$formatNumber(1, $nope)"),
            "Cannot read properties of undefined (reading 'split')");
  EXPECT_EQ(error_message("$formatInteger(1, $nope)"),
            "Cannot read properties of undefined (reading 'lastIndexOf')");
  EXPECT_EQ(error_message(R"($parseInteger("1", $nope))"),
            "Cannot read properties of undefined (reading 'lastIndexOf')");
  EXPECT_EQ(error_message(R"($split("a", $nope))"),
            "Cannot read properties of undefined (reading 'apply')");
  EXPECT_EQ(error_message(R"($replace("a", $nope, "b"))"),
            "Cannot read properties of undefined (reading 'apply')");
  check_all({
      {"$formatNumber($nope, $nope)", "", "undefined"},
      {"$parseInteger($nope, $nope)", "", "undefined"},
  });
}

// A left-deep chain (1+1+1..., a.b.c...) is parsed in a loop but walked recursively by every
// later pass: its depth counts against the parser's nesting limit.
TEST(JsonataRobustness, DeepExpressions) {
  EXPECT_EQ(run(repeat("1", "+1", 5000)), "error U1001 @1999");
  EXPECT_EQ(run(repeat("a", ".a", 5000)), "error U1001 @1999");
  EXPECT_EQ(run(repeat("1", "+1", 900)), "901");
  EXPECT_EQ(run(repeat("a", ".a", 900), R"({"a":1})"), "undefined");
  EXPECT_EQ(run(repeat("", "-", 5000) + "1"), "error U1001 @401");
}

// Structures built deeper than the C++ stack can walk recursively fail with U1001 in every walk
// (these overflowed the stack).
TEST(JsonataRobustness, DeepValues) {
  const std::string deep = "$d := $reduce([1..25000], function($a, $v){ [[[$a]]] }, []); ";
  for (const char* use :
       {"$boolean($d)", "$not($d)", "$d ? 1 : 2", "$d and true", "$keys($d)", "$lookup($d, 'a')",
        "$d.a", "$d.*", "$spread($d)", "$filter($d, function($v){ $v })"}) {
    SCOPED_TRACE(use);
    EXPECT_EQ(unplaced(run("(" + deep + use + ")")), "error U1001");
  }
  // $clone (the transform operator) of a deep object: U1001, and nothing of the copy leaks.
  EXPECT_EQ(
      unplaced(
          run(R"jn($reduce([1..3500], function($a, $v){ {"a": $a} }, {}) ~> | $ | {"b": 1} |)jn")),
      "error U1001");
}

// Loops that build millions of values keep the time limit as they go (they ran to the end
// before, however long that took), and so do $string and the result's conversion to JSON.
TEST(JsonataRobustness, TimeLimitInsideLongOperations) {
  Limits limits;
  limits.time_limit_ms = 1;
  for (const char* expr :
       {"$count([1..10000000])", "$count($range(1, 1e7))", "$count($zip([1..1e7], [1..1e7]))",
        "$string([1..5000000])", "[1..5000000]", "$count($spread([1..5000000]))"}) {
    SCOPED_TRACE(expr);
    EXPECT_EQ(unplaced(run(expr, "", "", limits)), "error U1001");
  }
}

// $spread appends in place (it copied the whole result once per item: quadratic), with the
// reference's results.
TEST(JsonataRobustness, Spread) {
  Limits limits;
  limits.time_limit_ms = 5000;
  EXPECT_EQ(run("$count($spread([1..200000]))", "", "", limits), "200000");
  check_all({
      {R"jn($spread({"a":1,"b":2}))jn", "", R"jn([{"a":1},{"b":2}])jn"},
      {R"jn($spread([{"a":1},{"b":2}]))jn", "", R"jn([{"a":1},{"b":2}])jn"},
      {R"jn($spread([]))jn", "", "undefined"},
      {R"jn($spread({}))jn", "", "undefined"},
      {R"jn($spread([{}]))jn", "", "[]"},
      {R"jn($spread([[]]))jn", "", "[]"},
      {R"jn($spread([{"a":1}]))jn", "", R"jn([{"a":1}])jn"},
      {R"jn($spread({"a":{"b":1}}))jn", "", R"jn({"a":{"b":1}})jn"},
      {R"jn($spread("x"))jn", "", R"jn("x")jn"},
      {R"jn($spread([1]))jn", "", "[1]"},
      {R"jn($spread([1,[2,[3,{"c":3}]]]))jn", "", R"jn([1,2,3,{"c":3}])jn"},
      {R"jn($spread([{"a":1,"b":2},3]))jn", "", R"jn([{"a":1},{"b":2},3])jn"},
      {R"jn($spread(a))jn", R"jn({"a":[{"b":1},{"b":{"x":1}}]})jn",
       R"jn([{"b":1},{"b":{"x":1}}])jn"},
      {R"jn($spread(a.b))jn", R"jn({"a":[{"b":1},{"b":{"x":1}}]})jn", R"jn([1,{"x":1}])jn"},
      {R"jn($spread(nope))jn", "", "undefined"},
  });
}

}  // namespace
}  // namespace sluice::engine::jsonata::testing
