// Numeric, aggregation and boolean functions.
// Expected outcomes: JSONata 2.0.6 (the reference implementation) on the same expressions.
#include <gtest/gtest.h>

#include "tests/engine/jsonata/jsonata_test_util.h"

namespace sluice::engine::jsonata::testing {
namespace {

TEST(JsonataFunctionsNumeric, Numeric) {
  check_all({
      {R"jn($number("12.5"))jn", "", R"jn(12.5)jn"},
      {R"jn($number("-1e3"))jn", "", R"jn(-1000)jn"},
      {R"jn($number("0x1F"))jn", "", R"jn(31)jn"},
      {R"jn($number("0b101"))jn", "", R"jn(5)jn"},
      {R"jn($number("0o17"))jn", "", R"jn(15)jn"},
      {R"jn($number(true))jn", "", R"jn(1)jn"},
      {R"jn($number(false))jn", "", R"jn(0)jn"},
      {R"jn($number(5))jn", "", R"jn(5)jn"},
      {R"jn($number("abc"))jn", "", R"jn(error D3030 @8)jn"},
      {R"jn($number("1e400"))jn", "", R"jn(error D3030 @8)jn"},
      {R"jn($number(" 1"))jn", "", R"jn(error D3030 @8)jn"},
      {R"jn($number(null))jn", "", R"jn(error T0410 @8)jn"},
      {R"jn($number(""))jn", "", R"jn(error D3030 @8)jn"},
      {R"jn($number())jn", R"jn("42")jn", R"jn(42)jn"},
      {R"jn($abs(-5.5))jn", "", R"jn(5.5)jn"},
      {R"jn($floor(-1.5))jn", "", R"jn(-2)jn"},
      {R"jn($ceil(1.2))jn", "", R"jn(2)jn"},
      {R"jn($round(2.5))jn", "", R"jn(2)jn"},
      {R"jn($round(3.5))jn", "", R"jn(4)jn"},
      {R"jn($round(-0.5))jn", "", R"jn(0)jn"},
      {R"jn($round(1.005, 2))jn", "", R"jn(1)jn"},
      {R"jn($round(1234.5678, -2))jn", "", R"jn(1200)jn"},
      {R"jn($round(0.125, 2))jn", "", R"jn(0.12)jn"},
      {R"jn($round(12345, -1))jn", "", R"jn(12340)jn"},
      {R"jn($round(1.5e-7, 7))jn", "", R"jn(2e-7)jn"},
      {R"jn($sqrt(16))jn", "", R"jn(4)jn"},
      {R"jn($sqrt(-1))jn", "", R"jn(error D3060 @6)jn"},
      {R"jn($power(2, 10))jn", "", R"jn(1024)jn"},
      {R"jn($power(2, -1))jn", "", R"jn(0.5)jn"},
      {R"jn($power(10, 400))jn", "", R"jn(error D3061 @7)jn"},
      {R"jn($power(-8, 1/3))jn", "", R"jn(error D3061 @7)jn"},
      {R"jn($floor("a"))jn", "", R"jn(error T0410 @7)jn"},
      {R"jn($abs())jn", R"jn(-3)jn", R"jn(3)jn"},
      {R"jn($formatBase(255, 16))jn", "", R"jn("ff")jn"},
      {R"jn($formatBase(-10, 2))jn", "", R"jn("-1010")jn"},
      {R"jn($formatBase(10, 1))jn", "", R"jn(error D3100 @12)jn"},
      {R"jn($formatBase(3.7))jn", "", R"jn("4")jn"},
      {R"jn($formatNumber(1234.5678, "#,##0.00"))jn", "", R"jn("1,234.57")jn"},
      {R"jn($formatNumber(0.25, "0%"))jn", "", R"jn("25%")jn"},
      {R"jn($formatNumber(-3, "000"))jn", "", R"jn("-003")jn"},
      {R"jn($formatInteger(123, "w"))jn", "", R"jn("one hundred and twenty-three")jn"},
      {R"jn($formatInteger(1999, "I"))jn", "", R"jn("MCMXCIX")jn"},
      {R"jn($parseInteger("twelve", "w"))jn", "", R"jn(12)jn"},
      {R"jn($parseInteger("MCMXCIX", "I"))jn", "", R"jn(1999)jn"},
  });
}

TEST(JsonataFunctionsNumeric, Aggregation) {
  check_all({
      {R"jn($sum([1,2,3]))jn", "", R"jn(6)jn"},
      {R"jn($sum([]))jn", "", R"jn(0)jn"},
      {R"jn($sum(x))jn", "", R"jn(undefined)jn"},
      {R"jn($sum(5))jn", "", R"jn(5)jn"},
      {R"jn($sum([1,"a"]))jn", "", R"jn(error T0412 @5)jn"},
      {R"jn($sum(Account.Order.Product.Price))jn",
       R"jn({"Account":{"Account Name":"Firefly","Order":[{"OrderID":"order103","Product":[{"Product Name":"Bowler Hat","ProductID":858383,"SKU":"0406654608","Description":{"Colour":"Purple","Width":300,"Height":200,"Depth":210,"Weight":0.75},"Price":34.45,"Quantity":2},{"Product Name":"Trilby hat","ProductID":858236,"SKU":"0406634348","Description":{"Colour":"Orange","Width":300,"Height":200,"Depth":210,"Weight":0.6},"Price":21.67,"Quantity":1}]},{"OrderID":"order104","Product":[{"Product Name":"Bowler Hat","ProductID":858383,"SKU":"040657863","Description":{"Colour":"Purple","Width":300,"Height":200,"Depth":210,"Weight":0.75},"Price":34.45,"Quantity":4},{"ProductID":345664,"SKU":"0406654603","Product Name":"Cloak","Description":{"Colour":"Black","Width":30,"Height":20,"Depth":210,"Weight":2},"Price":107.99,"Quantity":1}]}]}})jn",
       R"jn(198.56)jn"},
      {R"jn($max([1,5,3]))jn", "", R"jn(5)jn"},
      {R"jn($max([]))jn", "", R"jn(undefined)jn"},
      {R"jn($min([1,-5,3]))jn", "", R"jn(-5)jn"},
      {R"jn($min(x))jn", "", R"jn(undefined)jn"},
      {R"jn($average([1,2,3,4]))jn", "", R"jn(2.5)jn"},
      {R"jn($average([]))jn", "", R"jn(undefined)jn"},
      {R"jn($count([1,2,3]))jn", "", R"jn(3)jn"},
      {R"jn($count([]))jn", "", R"jn(0)jn"},
      {R"jn($count(x))jn", "", R"jn(0)jn"},
      {R"jn($count(5))jn", "", R"jn(1)jn"},
      {R"jn($count(Phone))jn",
       R"jn({"FirstName":"Fred","Surname":"Smith","Age":28,"Address":{"Street":"Hursley Park","City":"Winchester","Postcode":"SO21 2JN"},"Phone":[{"type":"home","number":"0203 544 1234"},{"type":"office","number":"01962 001234"},{"type":"office","number":"01962 001235"},{"type":"mobile","number":"077 7700 1234"}],"Email":[{"type":"work","address":["fred.smith@my-work.com","fsmith@my-work.com"]},{"type":"home","address":["freddy@my-social.com","frederic.smith@very-serious.com"]}],"Other":{"Over 18 ?":true,"Misc":null,"Alternative.Address":{"Street":"Brick Lane","City":"London","Postcode":"E1 6RF"}}})jn",
       R"jn(4)jn"},
      {R"jn($sum(Account.Order.Product.(Price * Quantity)))jn",
       R"jn({"Account":{"Account Name":"Firefly","Order":[{"OrderID":"order103","Product":[{"Product Name":"Bowler Hat","ProductID":858383,"SKU":"0406654608","Description":{"Colour":"Purple","Width":300,"Height":200,"Depth":210,"Weight":0.75},"Price":34.45,"Quantity":2},{"Product Name":"Trilby hat","ProductID":858236,"SKU":"0406634348","Description":{"Colour":"Orange","Width":300,"Height":200,"Depth":210,"Weight":0.6},"Price":21.67,"Quantity":1}]},{"OrderID":"order104","Product":[{"Product Name":"Bowler Hat","ProductID":858383,"SKU":"040657863","Description":{"Colour":"Purple","Width":300,"Height":200,"Depth":210,"Weight":0.75},"Price":34.45,"Quantity":4},{"ProductID":345664,"SKU":"0406654603","Product Name":"Cloak","Description":{"Colour":"Black","Width":30,"Height":20,"Depth":210,"Weight":2},"Price":107.99,"Quantity":1}]}]}})jn", R"jn(336.36)jn"},
      {R"jn($max(Account.Order.Product.Price))jn",
       R"jn({"Account":{"Account Name":"Firefly","Order":[{"OrderID":"order103","Product":[{"Product Name":"Bowler Hat","ProductID":858383,"SKU":"0406654608","Description":{"Colour":"Purple","Width":300,"Height":200,"Depth":210,"Weight":0.75},"Price":34.45,"Quantity":2},{"Product Name":"Trilby hat","ProductID":858236,"SKU":"0406634348","Description":{"Colour":"Orange","Width":300,"Height":200,"Depth":210,"Weight":0.6},"Price":21.67,"Quantity":1}]},{"OrderID":"order104","Product":[{"Product Name":"Bowler Hat","ProductID":858383,"SKU":"040657863","Description":{"Colour":"Purple","Width":300,"Height":200,"Depth":210,"Weight":0.75},"Price":34.45,"Quantity":4},{"ProductID":345664,"SKU":"0406654603","Product Name":"Cloak","Description":{"Colour":"Black","Width":30,"Height":20,"Depth":210,"Weight":2},"Price":107.99,"Quantity":1}]}]}})jn",
       R"jn(107.99)jn"},
      // Infinity: the reference returns it (JSON.stringify prints null); a json::Value cannot
      // hold it, so the engine reports D1001, as JSONata does when such a number is used again.
      {R"jn($average([1, 1/0]))jn", "", R"jn(error D1001)jn"},
  });
}

TEST(JsonataFunctionsNumeric, Boolean) {
  check_all({
      {R"jn($boolean(0))jn", "", R"jn(false)jn"},
      {R"jn($boolean(1))jn", "", R"jn(true)jn"},
      {R"jn($boolean(""))jn", "", R"jn(false)jn"},
      {R"jn($boolean("0"))jn", "", R"jn(true)jn"},
      {R"jn($boolean(null))jn", "", R"jn(false)jn"},
      {R"jn($boolean([]))jn", "", R"jn(false)jn"},
      {R"jn($boolean([0]))jn", "", R"jn(false)jn"},
      {R"jn($boolean([0, 1]))jn", "", R"jn(true)jn"},
      {R"jn($boolean({}))jn", "", R"jn(false)jn"},
      {R"jn($boolean({"a":1}))jn", "", R"jn(true)jn"},
      {R"jn($boolean(x))jn", "", R"jn(undefined)jn"},
      {R"jn($boolean($sum))jn", "", R"jn(false)jn"},
      {R"jn($not(0))jn", "", R"jn(true)jn"},
      {R"jn($not("a"))jn", "", R"jn(false)jn"},
      {R"jn($not(x))jn", "", R"jn(undefined)jn"},
      {R"jn($exists(x))jn", "", R"jn(false)jn"},
      {R"jn($exists(null))jn", "", R"jn(true)jn"},
      {R"jn($exists(0))jn", "", R"jn(true)jn"},
      {R"jn($exists())jn", "", R"jn(error T0410 @8)jn"},
      {R"jn($boolean([[]]))jn", "", R"jn(false)jn"},
      {R"jn($boolean(1/0))jn", "", R"jn(error D1001 @9)jn"},
  });
}

// An error that carries a value built during the evaluation (an owned string) must keep it alive
// until its message is written. GCC 12 at -O3 released such a value twice when the thrower took
// it by value (see error.h): the message read freed memory and the CLI crashed.
TEST(JsonataFunctionsNumeric, ErrorKeepsTheValueItReports) {
  auto message = [](std::string_view expr) {
    auto compiled = Expression::compile(expr);
    if (!compiled.ok()) return compiled.error().code + ": " + compiled.error().message;
    auto result = compiled->evaluate(nullptr);
    if (result.ok()) return std::string("no error");
    return result.error().code + ": " + result.error().message;
  };
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(message(R"jn($number("ab" & "c"))jn"),
              R"jn(D3030: Unable to cast value to a number: "abc")jn");
    EXPECT_EQ(message(R"jn($number($type({})))jn"),
              R"jn(D3030: Unable to cast value to a number: "object")jn");
    EXPECT_EQ(message(R"jn(-("a" & "b"))jn"),
              R"jn(D1002: Cannot negate a non-numeric value: "ab")jn");
    EXPECT_EQ(message(R"jn((1)jn"), R"jn(S0203: Expected ")" before end of expression)jn");
  }
}

}  // namespace
}  // namespace sluice::engine::jsonata::testing
