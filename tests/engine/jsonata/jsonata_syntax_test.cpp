// Syntax errors: codes and positions (UTF-16 offsets, as JSONata reports them).
// Expected outcomes: JSONata 2.0.6 (the reference implementation) on the same expressions.
#include <gtest/gtest.h>

#include "tests/engine/jsonata/jsonata_test_util.h"

namespace sluice::engine::jsonata::testing {
namespace {

TEST(JsonataSyntax, Errors) {
  check_all({
      {R"jn("abc)jn", "", R"jn(error S0101 @4)jn"},
      {R"jn('abc)jn", "", R"jn(error S0101 @4)jn"},
      {R"jn("a\qb")jn", "", R"jn(error S0103 @3)jn"},
      {R"jn("\u12G4")jn", "", R"jn(error S0104 @2)jn"},
      {R"jn(`abc)jn", "", R"jn(error S0105 @4)jn"},
      {R"jn(/* comment)jn", "", R"jn(error S0106 @0)jn"},
      {R"jn(1e999)jn", "", R"jn(error S0102 @0)jn"},
      {R"jn(1 +)jn", "", R"jn(error S0207 @3)jn"},
      {R"jn((1)jn", "", R"jn(error S0203 @2)jn"},
      {R"jn([1, 2)jn", "", R"jn(error S0203 @5)jn"},
      {R"jn({"a" 1})jn", "", R"jn(error S0202 @6)jn"},
      {R"jn({"a": 1)jn", "", R"jn(error S0203 @7)jn"},
      {R"jn(a[)jn", "", R"jn(error S0203 @2)jn"},
      {R"jn($f()jn", "", R"jn(error S0203 @3)jn"},
      {R"jn(1 2)jn", "", R"jn(error S0201 @3)jn"},
      {R"jn(a b)jn", "", R"jn(error S0201 @3)jn"},
      {R"jn(!a)jn", "", R"jn(error S0204 @1)jn"},
      {R"jn(a ~ b)jn", "", R"jn(error S0204 @3)jn"},
      {R"jn(*)jn", "", R"jn(undefined)jn"},
      {R"jn(%)jn", "", R"jn(error S0217)jn"},
      {R"jn())jn", "", R"jn(error S0211 @1)jn"},
      {R"jn(])jn", "", R"jn(error S0211 @1)jn"},
      {R"jn(})jn", "", R"jn(error S0211 @1)jn"},
      {R"jn(,)jn", "", R"jn(error S0211 @1)jn"},
      {R"jn(:)jn", "", R"jn(error S0211 @1)jn"},
      {R"jn(;)jn", "", R"jn(error S0211 @1)jn"},
      {R"jn(=)jn", "", R"jn(error S0211 @1)jn"},
      {R"jn(1 := 2)jn", "", R"jn(error S0212 @1)jn"},
      {R"jn(a.1)jn", "", R"jn(error S0213 @3)jn"},
      {R"jn(a.true)jn", "", R"jn(error S0213 @6)jn"},
      {R"jn(a.null)jn", "", R"jn(error S0213 @6)jn"},
      {R"jn(a@1)jn", "", R"jn(error S0214 @3)jn"},
      {R"jn(a#"x")jn", "", R"jn(error S0214 @5)jn"},
      {R"jn(function(a){1})jn", "", R"jn(error S0208 @10)jn"},
      {R"jn(function($a)<n:n>)jn", "", R"jn(error S0203 @17)jn"},
      {R"jn(a{"x":1}{"y":2})jn", "", R"jn(error S0210 @9)jn"},
      {R"jn(a{"x":1}[0])jn", "", R"jn({"x":1})jn"},
      {R"jn(a[0]@$x)jn", "", R"jn(error S0215 @5)jn"},
      {R"jn(a^(b)@$x)jn", "", R"jn(error S0216 @6)jn"},
      {R"jn(%.a)jn", "", R"jn(error S0217)jn"},
      {R"jn($f := )jn", "", R"jn(error S0207 @6)jn"},
      {R"jn(( ))jn", "", R"jn(undefined)jn"},
      {R"jn([ ])jn", "", R"jn([])jn"},
      {R"jn(1 ? )jn", "", R"jn(error S0207 @4)jn"},
      {R"jn(| a | b)jn", "", R"jn(error S0203 @7)jn"},
      {R"jn("é" + )jn", "", R"jn(error S0207 @6)jn"},
      {R"jn("😀" +)jn", "", R"jn(error S0207 @6)jn"},
      {R"jn(/a)jn", "", R"jn(error S0302 @2)jn"},
      {R"jn(/(/)jn", "", R"jn(error S0302 @3)jn"},
      {R"jn(1 + 1 /* c */)jn", "", R"jn(2)jn"},
      {R"jn(/* c */ 1)jn", "", R"jn(1)jn"},
      {R"jn(a . b)jn", R"jn({"a":{"b":1}})jn", R"jn(1)jn"},
      {R"jn(  a  )jn", R"jn({"a":1})jn", R"jn(1)jn"},
      {R"jn(1 in in)jn", "", R"jn(false)jn"},
      {R"jn(and + 1)jn", R"jn({"and":1})jn", R"jn(2)jn"},
  });
}

}  // namespace
}  // namespace sluice::engine::jsonata::testing
