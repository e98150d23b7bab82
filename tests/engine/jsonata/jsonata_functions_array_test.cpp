// Array, object and higher-order functions.
// Expected outcomes: JSONata 2.0.6 (the reference implementation) on the same expressions.
#include <gtest/gtest.h>

#include "tests/engine/jsonata/jsonata_test_util.h"

namespace sluice::engine::jsonata::testing {
namespace {

TEST(JsonataFunctionsArray, ArrayFunctions) {
  check_all({
      {R"jn($append([1,2], [3]))jn", "", R"jn([1,2,3])jn"},
      {R"jn($append(1, 2))jn", "", R"jn([1,2])jn"},
      {R"jn($append([1], x))jn", "", R"jn([1])jn"},
      {R"jn($append(x, 1))jn", "", R"jn(1)jn"},
      {R"jn($append([], []))jn", "", R"jn([])jn"},
      {R"jn($reverse([1,2,3]))jn", "", R"jn([3,2,1])jn"},
      {R"jn($reverse([1]))jn", "", R"jn([1])jn"},
      {R"jn($reverse(x))jn", "", R"jn(undefined)jn"},
      {R"jn($distinct([1,2,1,"1",[1],[1],{"a":1},{"a":1}]))jn", "", R"jn([1,2,"1",[1],{"a":1}])jn"},
      {R"jn($distinct(Phone.type))jn",
       R"jn({"FirstName":"Fred","Surname":"Smith","Age":28,"Address":{"Street":"Hursley Park","City":"Winchester","Postcode":"SO21 2JN"},"Phone":[{"type":"home","number":"0203 544 1234"},{"type":"office","number":"01962 001234"},{"type":"office","number":"01962 001235"},{"type":"mobile","number":"077 7700 1234"}],"Email":[{"type":"work","address":["fred.smith@my-work.com","fsmith@my-work.com"]},{"type":"home","address":["freddy@my-social.com","frederic.smith@very-serious.com"]}],"Other":{"Over 18 ?":true,"Misc":null,"Alternative.Address":{"Street":"Brick Lane","City":"London","Postcode":"E1 6RF"}}})jn",
       R"jn(["home","office","mobile"])jn"},
      {R"jn($distinct(5))jn", "", R"jn(5)jn"},
      {R"jn($sort([3,1,2]))jn", "", R"jn([1,2,3])jn"},
      {R"jn($sort(["b","a","C"]))jn", "", R"jn(["C","a","b"])jn"},
      {R"jn($sort([1,"a"]))jn", "", R"jn(error D3070 @6)jn"},
      {R"jn($sort([]))jn", "", R"jn([])jn"},
      {R"jn($sort(x))jn", "", R"jn(undefined)jn"},
      {R"jn($sort(Phone, function($a,$b){$a.number > $b.number}).number)jn",
       R"jn({"FirstName":"Fred","Surname":"Smith","Age":28,"Address":{"Street":"Hursley Park","City":"Winchester","Postcode":"SO21 2JN"},"Phone":[{"type":"home","number":"0203 544 1234"},{"type":"office","number":"01962 001234"},{"type":"office","number":"01962 001235"},{"type":"mobile","number":"077 7700 1234"}],"Email":[{"type":"work","address":["fred.smith@my-work.com","fsmith@my-work.com"]},{"type":"home","address":["freddy@my-social.com","frederic.smith@very-serious.com"]}],"Other":{"Over 18 ?":true,"Misc":null,"Alternative.Address":{"Street":"Brick Lane","City":"London","Postcode":"E1 6RF"}}})jn",
       R"jn(["01962 001234","01962 001235","0203 544 1234","077 7700 1234"])jn"},
      {R"jn($zip([1,2,3],["a","b"]))jn", "", R"jn([[1,"a"],[2,"b"]])jn"},
      {R"jn($zip([1],[2],[3]))jn", "", R"jn([[1,2,3]])jn"},
      {R"jn($zip(1, [2,3]))jn", "", R"jn([[1,2]])jn"},
      {R"jn($zip())jn", "", R"jn(error T0410 @5)jn"},
      {R"jn($count($shuffle([1,2,3,4])))jn", "", R"jn(4)jn"},
      {R"jn($sort($shuffle([1,2,3,4])))jn", "", R"jn([1,2,3,4])jn"},
      {R"jn($shuffle([1]))jn", "", R"jn([1])jn"},
  });
}

TEST(JsonataFunctionsArray, ObjectFunctions) {
  check_all({
      {R"jn($keys({"a":1,"b":2}))jn", "", R"jn(["a","b"])jn"},
      {R"jn($keys([{"a":1},{"b":2,"a":3}]))jn", "", R"jn(["a","b"])jn"},
      {R"jn($keys("x"))jn", "", R"jn(undefined)jn"},
      {R"jn($keys({}))jn", "", R"jn(undefined)jn"},
      {R"jn($keys(Address))jn",
       R"jn({"FirstName":"Fred","Surname":"Smith","Age":28,"Address":{"Street":"Hursley Park","City":"Winchester","Postcode":"SO21 2JN"},"Phone":[{"type":"home","number":"0203 544 1234"},{"type":"office","number":"01962 001234"},{"type":"office","number":"01962 001235"},{"type":"mobile","number":"077 7700 1234"}],"Email":[{"type":"work","address":["fred.smith@my-work.com","fsmith@my-work.com"]},{"type":"home","address":["freddy@my-social.com","frederic.smith@very-serious.com"]}],"Other":{"Over 18 ?":true,"Misc":null,"Alternative.Address":{"Street":"Brick Lane","City":"London","Postcode":"E1 6RF"}}})jn",
       R"jn(["Street","City","Postcode"])jn"},
      {R"jn($lookup({"a":1}, "a"))jn", "", R"jn(1)jn"},
      {R"jn($lookup({"a":1}, "b"))jn", "", R"jn(undefined)jn"},
      {R"jn($lookup([{"a":1},{"a":[2,3]}], "a"))jn", "", R"jn([1,2,3])jn"},
      {R"jn($spread({"a":1,"b":2}))jn", "", R"jn([{"a":1},{"b":2}])jn"},
      {R"jn($spread([{"a":1},{"b":2}]))jn", "", R"jn([{"a":1},{"b":2}])jn"},
      {R"jn($spread(5))jn", "", R"jn(5)jn"},
      {R"jn($merge([{"a":1},{"b":2},{"a":3}]))jn", "", R"jn({"a":3,"b":2})jn"},
      {R"jn($merge([]))jn", "", R"jn({})jn"},
      {R"jn($merge(x))jn", "", R"jn(undefined)jn"},
      {R"jn($each({"a":1,"b":2}, function($v, $k){$k & "=" & $v}))jn", "", R"jn(["a=1","b=2"])jn"},
      {R"jn($each({"a":1}, function($v){$v * 10}))jn", "", R"jn(10)jn"},
      {R"jn($sift({"a":1,"b":2,"c":3}, function($v){$v > 1}))jn", "", R"jn({"b":2,"c":3})jn"},
      {R"jn($sift({"a":1}, function($v){false}))jn", "", R"jn(undefined)jn"},
      {R"jn($sift({"a":1,"b":"x"}, function($v, $k){$k = "b"}))jn", "", R"jn({"b":"x"})jn"},
      {R"jn($type(1))jn", "", R"jn("number")jn"},
      {R"jn($type("a"))jn", "", R"jn("string")jn"},
      {R"jn($type(null))jn", "", R"jn("null")jn"},
      {R"jn($type([]))jn", "", R"jn("array")jn"},
      {R"jn($type({}))jn", "", R"jn("object")jn"},
      {R"jn($type(true))jn", "", R"jn("boolean")jn"},
      {R"jn($type($sum))jn", "", R"jn("function")jn"},
      {R"jn($type(x))jn", "", R"jn(undefined)jn"},
      {R"jn($type(function(){1}))jn", "", R"jn("function")jn"},
      {R"jn($error("boom"))jn", "", R"jn(error D3137 @7)jn"},
      {R"jn($error())jn", "", R"jn(error D3137 @7)jn"},
      {R"jn($assert(1=1, "ok"))jn", "", R"jn(undefined)jn"},
      {R"jn($assert(1=2, "bad"))jn", "", R"jn(error D3141 @8)jn"},
      {R"jn($assert(false))jn", "", R"jn(error D3141 @8)jn"},
      {R"jn($clone({"a":[1,2]}))jn", "", R"jn({"a":[1,2]})jn"},
  });
}

TEST(JsonataFunctionsArray, HigherOrder) {
  check_all({
      {R"jn($map([1,2,3], function($v){$v * 2}))jn", "", R"jn([2,4,6])jn"},
      {R"jn($map([1,2,3], function($v, $i){$v * $i}))jn", "", R"jn([0,2,6])jn"},
      {R"jn($map([1,2], function($v, $i, $a){$count($a)}))jn", "", R"jn([2,2])jn"},
      {R"jn($map(x, function($v){$v}))jn", "", R"jn(undefined)jn"},
      {R"jn($map([1,2,3], function($v){$v > 1 ? $v}))jn", "", R"jn([2,3])jn"},
      {R"jn($map([1], function($v){[$v]}))jn", "", R"jn([1])jn"},
      {R"jn($map(5, $string))jn", "", R"jn("5")jn"},
      {R"jn($filter([1,2,3,4], function($v){$v % 2 = 0}))jn", "", R"jn([2,4])jn"},
      {R"jn($filter([1,2], function($v, $i){$i = 1}))jn", "", R"jn(2)jn"},
      {R"jn($filter(x, function($v){true}))jn", "", R"jn(undefined)jn"},
      {R"jn($single([1,2,3], function($v){$v = 2}))jn", "", R"jn(2)jn"},
      {R"jn($single([1,2,3], function($v){$v > 1}))jn", "", R"jn(error D3138 @8)jn"},
      {R"jn($single([1,2,3], function($v){$v > 5}))jn", "", R"jn(error D3139 @8)jn"},
      {R"jn($single([7]))jn", "", R"jn(7)jn"},
      {R"jn($reduce([1,2,3,4], function($a, $b){$a + $b}))jn", "", R"jn(10)jn"},
      {R"jn($reduce([1,2,3], function($a, $b){$a + $b}, 10))jn", "", R"jn(16)jn"},
      {R"jn($reduce([], function($a, $b){$a + $b}))jn", "", R"jn(undefined)jn"},
      {R"jn($reduce([1,2], function($a){$a}))jn", "", R"jn(error D3050 @8)jn"},
      {R"jn($reduce([1,2,3], function($a, $b, $i){$a + $i}, 0))jn", "", R"jn(3)jn"},
      {R"jn($reduce(["a","b"], function($a, $b){$a & $b}))jn", "", R"jn("ab")jn"},
      {R"jn($map([1,2], 5))jn", "", R"jn(error T0410 @5)jn"},
      {R"jn($map(Phone, function($p){$p.type}))jn",
       R"jn({"FirstName":"Fred","Surname":"Smith","Age":28,"Address":{"Street":"Hursley Park","City":"Winchester","Postcode":"SO21 2JN"},"Phone":[{"type":"home","number":"0203 544 1234"},{"type":"office","number":"01962 001234"},{"type":"office","number":"01962 001235"},{"type":"mobile","number":"077 7700 1234"}],"Email":[{"type":"work","address":["fred.smith@my-work.com","fsmith@my-work.com"]},{"type":"home","address":["freddy@my-social.com","frederic.smith@very-serious.com"]}],"Other":{"Over 18 ?":true,"Misc":null,"Alternative.Address":{"Street":"Brick Lane","City":"London","Postcode":"E1 6RF"}}})jn",
       R"jn(["home","office","office","mobile"])jn"},
      {R"jn($filter(Account.Order.Product, function($p){$p.Price > 30}).SKU)jn",
       R"jn({"Account":{"Account Name":"Firefly","Order":[{"OrderID":"order103","Product":[{"Product Name":"Bowler Hat","ProductID":858383,"SKU":"0406654608","Description":{"Colour":"Purple","Width":300,"Height":200,"Depth":210,"Weight":0.75},"Price":34.45,"Quantity":2},{"Product Name":"Trilby hat","ProductID":858236,"SKU":"0406634348","Description":{"Colour":"Orange","Width":300,"Height":200,"Depth":210,"Weight":0.6},"Price":21.67,"Quantity":1}]},{"OrderID":"order104","Product":[{"Product Name":"Bowler Hat","ProductID":858383,"SKU":"040657863","Description":{"Colour":"Purple","Width":300,"Height":200,"Depth":210,"Weight":0.75},"Price":34.45,"Quantity":4},{"ProductID":345664,"SKU":"0406654603","Product Name":"Cloak","Description":{"Colour":"Black","Width":30,"Height":20,"Depth":210,"Weight":2},"Price":107.99,"Quantity":1}]}]}})jn",
       R"jn(["0406654608","040657863","0406654603"])jn"},
      {R"jn($reduce(Account.Order.Product.Quantity, function($a,$b){$a+$b}))jn",
       R"jn({"Account":{"Account Name":"Firefly","Order":[{"OrderID":"order103","Product":[{"Product Name":"Bowler Hat","ProductID":858383,"SKU":"0406654608","Description":{"Colour":"Purple","Width":300,"Height":200,"Depth":210,"Weight":0.75},"Price":34.45,"Quantity":2},{"Product Name":"Trilby hat","ProductID":858236,"SKU":"0406634348","Description":{"Colour":"Orange","Width":300,"Height":200,"Depth":210,"Weight":0.6},"Price":21.67,"Quantity":1}]},{"OrderID":"order104","Product":[{"Product Name":"Bowler Hat","ProductID":858383,"SKU":"040657863","Description":{"Colour":"Purple","Width":300,"Height":200,"Depth":210,"Weight":0.75},"Price":34.45,"Quantity":4},{"ProductID":345664,"SKU":"0406654603","Product Name":"Cloak","Description":{"Colour":"Black","Width":30,"Height":20,"Depth":210,"Weight":2},"Price":107.99,"Quantity":1}]}]}})jn", R"jn(8)jn"},
      {R"jn($map([1,2,3], $sum))jn", "", R"jn([1,2,3])jn"},
  });
}

}  // namespace
}  // namespace sluice::engine::jsonata::testing
