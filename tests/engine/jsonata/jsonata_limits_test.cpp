// The limits every evaluation keeps (Limits in jsonata.h): depth, time and memory. None of these
// expressions may crash, hang or take the memory of the process; each ends in U1001 (or, where
// JSONata defines one, its own error), and an expression within the limits is unaffected.
#include <gtest/gtest.h>

#include <string>

#include "tests/engine/jsonata/jsonata_test_util.h"

namespace sluice::engine::jsonata::testing {
namespace {

// The outcome without the error position: "error CODE", "undefined" or the result as JSON.
std::string outcome(std::string_view expr, const Limits& limits, std::string_view input = "") {
  std::string out = run(expr, input, "", limits);
  if (out.rfind("error ", 0) == 0) out = out.substr(0, out.find(" @"));
  return out;
}

Limits small_memory() {
  Limits l;
  l.max_memory_bytes = 1 << 20;
  l.time_limit_ms = 5000;
  return l;
}

// {"p": $a, "q": $a} nested `levels` deep over one small object: little held, 2^levels to walk.
std::string shared_levels(int levels, char name = 'a') {
  auto var = [&](int i) { return std::string("$") + name + std::to_string(i); };
  std::string e = var(0);
  e.append(" := {\"x\": 1}; ");
  for (int i = 1; i <= levels; ++i) {
    e.append(var(i)).append(" := {\"p\": ").append(var(i - 1));
    e.append(", \"q\": ").append(var(i - 1)).append("}; ");
  }
  return e;
}

TEST(JsonataLimits, Memory) {
  Limits l = small_memory();
  // Strings refused before they are built.
  EXPECT_EQ(outcome(R"jn($reduce([1..40], function($a, $b){ $a & $a }, "x"))jn", l), "error U1001");
  EXPECT_EQ(outcome(R"jn($pad("", 2000000))jn", l), "error U1001");
  EXPECT_EQ(outcome(R"jn($pad("x", 1e300))jn", l), "error U1001");
  EXPECT_EQ(outcome(R"jn(($s := $pad("", 1000); $join([1..2000].$s)))jn", l), "error U1001");
  EXPECT_EQ(outcome(R"jn($replace($pad("", 1000, "a"), "a", $pad("", 1000)))jn", l), "error U1001");
  // Arrays: a range, and a path that flattens one array once per input item.
  EXPECT_EQ(outcome(R"jn($count([1..100000]))jn", l), "error U1001");
  EXPECT_EQ(outcome(R"jn(($a := [1..1000]; $count([1..1000].$a)))jn", l), "error U1001");
  // A value that holds one part many times: small to hold, huge as text or as the result.
  std::string dag("(");
  dag += shared_levels(40);
  EXPECT_EQ(outcome(dag + "$string($a40))", l), "error U1001");
  EXPECT_EQ(outcome(dag + "$a40)", l), "error U1001");
  EXPECT_EQ(outcome(dag + "$a40 ~> |**|{'y': 2}|)", l), "error U1001");
  // Within the budget nothing changes.
  EXPECT_EQ(outcome(R"jn($count([1..10000]))jn", l), "10000");
  EXPECT_EQ(outcome(R"jn($length($pad("", 100000)))jn", l), "100000");
  EXPECT_EQ(outcome(dag + "$count($keys($a40)))", l), "2");
  // The default budget holds what JSONata's largest range needs.
  Limits defaults;
  EXPECT_EQ(outcome(R"jn($count([1..10000000]))jn", defaults), "10000000");
}

TEST(JsonataLimits, SharedPartsAreComparedOnce) {
  Limits l;
  l.time_limit_ms = 1000;
  // The same value is equal to itself at once, as in JavaScript (===), however much it shares.
  std::string dag("(");
  dag += shared_levels(40);
  EXPECT_EQ(outcome(dag + "$a40 = $a40)", l), "true");
  EXPECT_EQ(outcome(dag + "$a40 = $merge([$a40]))", l), "true");
  EXPECT_EQ(outcome(dag + "$count($distinct([$a40, $merge([$a40])])))", l), "1");
  // Two such values built apart must be walked: the time limit ends that.
  std::string two("(");
  two += shared_levels(40, 'a');
  two += shared_levels(40, 'b');
  EXPECT_EQ(outcome(two + "$a40 = $b40)", l), "error U1001");
}

TEST(JsonataLimits, TransformMakingACycle) {
  Limits l;
  l.time_limit_ms = 1000;
  // The update holds the object it updates: a cycle. Written out it has no end (U1001); unused,
  // it is freed with the evaluation (see Evaluator::apply_transform).
  EXPECT_EQ(outcome(R"jn($ ~> |$|{'me': $}|)jn", l, R"jn({"a":1})jn"), "error U1001");
  EXPECT_EQ(outcome(R"jn(($x := $ ~> |$|{'me': $, 'f': function(){ $ }}|; $count($keys($x))))jn", l,
                    R"jn({"a":1})jn"),
            "3");
}

TEST(JsonataLimits, DepthAndTime) {
  Limits l;
  l.max_depth = 200;
  l.time_limit_ms = 300;
  EXPECT_EQ(outcome(R"jn(($f := function($x){ 1 + $f($x) }; $f(1)))jn", l), "error U1001");
  // A tail call loops without growing the stack: the time limit ends it.
  EXPECT_EQ(outcome(R"jn(($f := function($x){ $f($x) }; $f(1)))jn", l), "error U1001");
  EXPECT_EQ(outcome(R"jn($reduce([1..10000000], function($a, $b){ $a + $b }))jn", l),
            "error U1001");
  EXPECT_EQ(outcome(R"jn([1..10000001])jn", l), "error D2014");
  // However deep the source text, the parser stops before the stack does.
  for (const char* open_close : {"()", "[]"}) {
    std::string deep =
        std::string(100000, open_close[0]) + "1" + std::string(100000, open_close[1]);
    EXPECT_EQ(outcome(deep, l), "error U1001");
  }
  EXPECT_EQ(outcome(std::string(100000, '-') + "1", l), "error U1001");
}

}  // namespace
}  // namespace sluice::engine::jsonata::testing
