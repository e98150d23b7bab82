// Operators: arithmetic, comparison, boolean, string concatenation, ranges, membership, conditions.
// Expected outcomes: JSONata 2.0.6 (the reference implementation) on the same expressions.
#include <gtest/gtest.h>

#include "tests/engine/jsonata/jsonata_test_util.h"

namespace sluice::engine::jsonata::testing {
namespace {

TEST(JsonataOperators, Arithmetic) {
  check_all({
      {R"jn(1 + 2)jn", "", R"jn(3)jn"},
      {R"jn(7 - 10)jn", "", R"jn(-3)jn"},
      {R"jn(3 * 4)jn", "", R"jn(12)jn"},
      {R"jn(7 / 2)jn", "", R"jn(3.5)jn"},
      {R"jn(7 % 3)jn", "", R"jn(1)jn"},
      {R"jn(-7 % 3)jn", "", R"jn(-1)jn"},
      {R"jn(5.5 % 2)jn", "", R"jn(1.5)jn"},
      {R"jn(0.1 + 0.2)jn", "", R"jn(0.30000000000000004)jn"},
      {R"jn(1 / 3)jn", "", R"jn(0.3333333333333333)jn"},
      {R"jn(2 * (3 + 4))jn", "", R"jn(14)jn"},
      {R"jn(-(1 + 2))jn", "", R"jn(-3)jn"},
      {R"jn(-a)jn", R"jn({"a":5})jn", R"jn(-5)jn"},
      {R"jn(-a)jn", "", R"jn(undefined)jn"},
      {R"jn(1 + a)jn", "", R"jn(undefined)jn"},
      {R"jn(a * 2)jn", R"jn({"a":[1]})jn", R"jn(error T2001 @3)jn"},
      // An infinite result: D1001 (the reference returns Infinity, which JSON cannot carry).
      {R"jn(1e300 * 1e10)jn", "", R"jn(error D1001)jn"},
      {R"jn(1/0)jn", "", R"jn(error D1001)jn"},
      {R"jn(1e21 + 1)jn", "", R"jn(1e+21)jn"},
      {R"jn(1e-7 * 1)jn", "", R"jn(1e-7)jn"},
      {R"jn(123456789012345678)jn", "", R"jn(123456789012345680)jn"},
      {R"jn(1 + "a")jn", "", R"jn(error T2002 @3)jn"},
      {R"jn("a" + 1)jn", "", R"jn(error T2001 @5)jn"},
      {R"jn(true + 1)jn", "", R"jn(error T2001 @6)jn"},
      {R"jn(null + 1)jn", "", R"jn(error T2001 @6)jn"},
      {R"jn([1,2] + 1)jn", "", R"jn(error T2001 @7)jn"},
      {R"jn(-"a")jn", "", R"jn(error D1002 @1)jn"},
      {R"jn({"a":1} - 1)jn", "", R"jn(error T2001 @9)jn"},
      {R"jn(1 / 0 + 1)jn", "", R"jn(error D1001 @7)jn"},
      {R"jn(-(1/0))jn", "", R"jn(error D1001)jn"},
  });
}

TEST(JsonataOperators, Comparison) {
  check_all({
      {R"jn(1 < 2)jn", "", R"jn(true)jn"},
      {R"jn(2 <= 2)jn", "", R"jn(true)jn"},
      {R"jn(3 > 4)jn", "", R"jn(false)jn"},
      {R"jn(3 >= 3)jn", "", R"jn(true)jn"},
      {R"jn("a" < "b")jn", "", R"jn(true)jn"},
      {R"jn("B" < "a")jn", "", R"jn(true)jn"},
      {R"jn("abc" > "ab")jn", "", R"jn(true)jn"},
      {R"jn(1 = 1)jn", "", R"jn(true)jn"},
      {R"jn(1 = 1.0)jn", "", R"jn(true)jn"},
      {R"jn("1" = 1)jn", "", R"jn(false)jn"},
      {R"jn(1 != 2)jn", "", R"jn(true)jn"},
      {R"jn(null = null)jn", "", R"jn(true)jn"},
      {R"jn([1,2] = [1,2])jn", "", R"jn(true)jn"},
      {R"jn({"a":1} = {"a":1})jn", "", R"jn(true)jn"},
      {R"jn({"a":1,"b":2} = {"b":2,"a":1})jn", "", R"jn(true)jn"},
      {R"jn(x = 1)jn", "", R"jn(false)jn"},
      {R"jn(x != 1)jn", "", R"jn(false)jn"},
      {R"jn(x < 1)jn", "", R"jn(undefined)jn"},
      {R"jn(1 < "a")jn", "", R"jn(error T2009 @3)jn"},
      {R"jn(true < false)jn", "", R"jn(error T2010 @6)jn"},
      {R"jn(null < 1)jn", "", R"jn(error T2010 @6)jn"},
      {R"jn([1] < [2])jn", "", R"jn(error T2010 @5)jn"},
      {R"jn(a < 5)jn", R"jn({"a":[1,2]})jn", R"jn(error T2010 @3)jn"},
      {R"jn("é" > "e")jn", "", R"jn(true)jn"},
      {R"jn("😀" > "￿")jn", "", R"jn(false)jn"},
  });
}

TEST(JsonataOperators, BooleanOperators) {
  check_all({
      {R"jn(true and false)jn", "", R"jn(false)jn"},
      {R"jn(true or false)jn", "", R"jn(true)jn"},
      {R"jn(false or 0)jn", "", R"jn(false)jn"},
      {R"jn(1 and "a")jn", "", R"jn(true)jn"},
      {R"jn(x and true)jn", "", R"jn(false)jn"},
      {R"jn(x or true)jn", "", R"jn(true)jn"},
      {R"jn([] or {})jn", "", R"jn(false)jn"},
      {R"jn([0] and true)jn", "", R"jn(false)jn"},
      {R"jn(false and $error("no"))jn", "", R"jn(false)jn"},
      {R"jn(true or $error("no"))jn", "", R"jn(true)jn"},
      {R"jn(true and $error("yes"))jn", "", R"jn(error D3137 @8)jn"},
      {R"jn(and)jn", R"jn({"and":1})jn", R"jn(1)jn"},
      {R"jn(or.in)jn", R"jn({"or":{"in":2}})jn", R"jn(2)jn"},
      {R"jn($not(true))jn", "", R"jn(false)jn"},
  });
}

TEST(JsonataOperators, Concatenation) {
  check_all({
      {R"jn("a" & "b")jn", "", R"jn("ab")jn"},
      {R"jn("a" & 1)jn", "", R"jn("a1")jn"},
      {R"jn(1 & 2)jn", "", R"jn("12")jn"},
      {R"jn("a" & x)jn", "", R"jn("a")jn"},
      {R"jn(x & y)jn", "", R"jn("")jn"},
      {R"jn("n" & null)jn", "", R"jn("nnull")jn"},
      {R"jn("t" & true)jn", "", R"jn("ttrue")jn"},
      {R"jn("o" & {"a":1})jn", "", R"jn("o{\"a\":1}")jn"},
      {R"jn("r" & [1,"x"])jn", "", R"jn("r[1,\"x\"]")jn"},
      {R"jn("p" & 0.1)jn", "", R"jn("p0.1")jn"},
      {R"jn("e" & 1e21)jn", "", R"jn("e1e+21")jn"},
      {R"jn("f" & $sum)jn", "", R"jn("f")jn"},
      {R"jn("x" & 1/0)jn", "", R"jn(error D3001 @5)jn"},
      {R"jn("a" & [1.123456789012345678])jn", "", R"jn("a[1.12345678901235]")jn"},
  });
}

TEST(JsonataOperators, RangesAndMembership) {
  check_all({
      {R"jn([1..5])jn", "", R"jn([1,2,3,4,5])jn"},
      {R"jn([5..1])jn", "", R"jn([])jn"},
      {R"jn([1..1])jn", "", R"jn([1])jn"},
      {R"jn([0..2, 5])jn", "", R"jn([0,1,2,5])jn"},
      {R"jn([1..x])jn", "", R"jn([])jn"},
      {R"jn([1.5..3])jn", "", R"jn(error T2003 @6)jn"},
      {R"jn([1..3.5])jn", "", R"jn(error T2004 @4)jn"},
      {R"jn(["a"..3])jn", "", R"jn(error T2003 @6)jn"},
      {R"jn([1..10000001])jn", "", R"jn(error D2014 @4)jn"},
      {R"jn($count([1..100000]))jn", "", R"jn(100000)jn"},
      {R"jn([-2..2])jn", "", R"jn([-2,-1,0,1,2])jn"},
      {R"jn(1 in [1,2])jn", "", R"jn(true)jn"},
      {R"jn(3 in [1,2])jn", "", R"jn(false)jn"},
      {R"jn("a" in "a")jn", "", R"jn(true)jn"},
      {R"jn(x in [1])jn", "", R"jn(false)jn"},
      {R"jn(1 in x)jn", "", R"jn(false)jn"},
      {R"jn([1] in [[1]])jn", "", R"jn(false)jn"},
      {R"jn({"a":1} in [{"a":1}])jn", "", R"jn(false)jn"},
  });
}

TEST(JsonataOperators, Conditions) {
  check_all({
      {R"jn(true ? 1 : 2)jn", "", R"jn(1)jn"},
      {R"jn(false ? 1 : 2)jn", "", R"jn(2)jn"},
      {R"jn(false ? 1)jn", "", R"jn(undefined)jn"},
      {R"jn(x ? 1 : 2)jn", "", R"jn(2)jn"},
      {R"jn("" ? 1 : 2)jn", "", R"jn(2)jn"},
      {R"jn([0] ? 1 : 2)jn", "", R"jn(2)jn"},
      {R"jn([0, 1] ? 1 : 2)jn", "", R"jn(1)jn"},
      {R"jn({} ? 1 : 2)jn", "", R"jn(2)jn"},
      {R"jn(a > 1 ? "big" : a = 1 ? "one" : "small")jn", R"jn({"a":1})jn", R"jn("one")jn"},
      {R"jn((1 ? 2 : 3) + 1)jn", "", R"jn(3)jn"},
  });
}

TEST(JsonataOperators, ChainsAndBlocks) {
  check_all({
      {R"jn("hello" ~> $uppercase)jn", "", R"jn("HELLO")jn"},
      {R"jn("  a b " ~> $trim ~> $uppercase())jn", "", R"jn("A B")jn"},
      {R"jn([3,1,2] ~> $sort ~> $reverse)jn", "", R"jn([3,2,1])jn"},
      {R"jn(1 ~> 2)jn", "", R"jn(error T2006 @4)jn"},
      {R"jn(($f := $uppercase ~> $trim; $f(" ab ")))jn", "", R"jn("AB")jn"},
      {R"jn((1; 2; 3))jn", "", R"jn(3)jn"},
      {R"jn(())jn", "", R"jn(undefined)jn"},
      {R"jn(($a := 1; $b := $a + 1; $a + $b))jn", "", R"jn(3)jn"},
      {R"jn(($a := 1; ($a := 2); $a))jn", "", R"jn(1)jn"},
      {R"jn(($x := [1,2]; $x[1]))jn", "", R"jn(2)jn"},
      {R"jn($a := 5)jn", "", R"jn(5)jn"},
      {R"jn(($a := 1; $a := $a + 1; $a))jn", "", R"jn(2)jn"},
      {R"jn(a ~> $sum())jn", R"jn({"a":[1,2,3]})jn", R"jn(6)jn"},
      {R"jn(a ~> $map(function($v){$v*2}))jn", R"jn({"a":[1,2]})jn", R"jn([2,4])jn"},
      {R"jn("x" ~> function($s){$s & $s})jn", "", R"jn("xx")jn"},
  });
}

}  // namespace
}  // namespace sluice::engine::jsonata::testing
