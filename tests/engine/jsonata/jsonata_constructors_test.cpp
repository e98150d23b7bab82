// Array and object constructors, group-by, order-by and transforms.
// Expected outcomes: JSONata 2.0.6 (the reference implementation) on the same expressions.
#include <gtest/gtest.h>

#include "tests/engine/jsonata/jsonata_test_util.h"

namespace sluice::engine::jsonata::testing {
namespace {

TEST(JsonataConstructors, Arrays) {
  check_all({
      {R"jn([])jn", "", R"jn([])jn"},
      {R"jn([1, "a", null, true])jn", "", R"jn([1,"a",null,true])jn"},
      {R"jn([1, [2, 3]])jn", "", R"jn([1,[2,3]])jn"},
      {R"jn([1, [2, [3]]])jn", "", R"jn([1,[2,[3]]])jn"},
      {R"jn([a, b])jn", R"jn({"a":[1,2],"b":3})jn", R"jn([1,2,3])jn"},
      {R"jn([a])jn", R"jn({"a":1})jn", R"jn([1])jn"},
      {R"jn([x, 1])jn", "", R"jn([1])jn"},
      {R"jn([[]])jn", "", R"jn([[]])jn"},
      {R"jn(Phone.[type])jn",
       R"jn({"FirstName":"Fred","Surname":"Smith","Age":28,"Address":{"Street":"Hursley Park","City":"Winchester","Postcode":"SO21 2JN"},"Phone":[{"type":"home","number":"0203 544 1234"},{"type":"office","number":"01962 001234"},{"type":"office","number":"01962 001235"},{"type":"mobile","number":"077 7700 1234"}],"Email":[{"type":"work","address":["fred.smith@my-work.com","fsmith@my-work.com"]},{"type":"home","address":["freddy@my-social.com","frederic.smith@very-serious.com"]}],"Other":{"Over 18 ?":true,"Misc":null,"Alternative.Address":{"Street":"Brick Lane","City":"London","Postcode":"E1 6RF"}}})jn",
       R"jn([["home"],["office"],["office"],["mobile"]])jn"},
      {R"jn(Phone.[type, number])jn",
       R"jn({"FirstName":"Fred","Surname":"Smith","Age":28,"Address":{"Street":"Hursley Park","City":"Winchester","Postcode":"SO21 2JN"},"Phone":[{"type":"home","number":"0203 544 1234"},{"type":"office","number":"01962 001234"},{"type":"office","number":"01962 001235"},{"type":"mobile","number":"077 7700 1234"}],"Email":[{"type":"work","address":["fred.smith@my-work.com","fsmith@my-work.com"]},{"type":"home","address":["freddy@my-social.com","frederic.smith@very-serious.com"]}],"Other":{"Over 18 ?":true,"Misc":null,"Alternative.Address":{"Street":"Brick Lane","City":"London","Postcode":"E1 6RF"}}})jn",
       R"jn([["home","0203 544 1234"],["office","01962 001234"],["office","01962 001235"],["mobile","077 7700 1234"]])jn"},
      {R"jn([Phone.number])jn",
       R"jn({"FirstName":"Fred","Surname":"Smith","Age":28,"Address":{"Street":"Hursley Park","City":"Winchester","Postcode":"SO21 2JN"},"Phone":[{"type":"home","number":"0203 544 1234"},{"type":"office","number":"01962 001234"},{"type":"office","number":"01962 001235"},{"type":"mobile","number":"077 7700 1234"}],"Email":[{"type":"work","address":["fred.smith@my-work.com","fsmith@my-work.com"]},{"type":"home","address":["freddy@my-social.com","frederic.smith@very-serious.com"]}],"Other":{"Over 18 ?":true,"Misc":null,"Alternative.Address":{"Street":"Brick Lane","City":"London","Postcode":"E1 6RF"}}})jn",
       R"jn(["0203 544 1234","01962 001234","01962 001235","077 7700 1234"])jn"},
      {R"jn(Email.[address])jn",
       R"jn({"FirstName":"Fred","Surname":"Smith","Age":28,"Address":{"Street":"Hursley Park","City":"Winchester","Postcode":"SO21 2JN"},"Phone":[{"type":"home","number":"0203 544 1234"},{"type":"office","number":"01962 001234"},{"type":"office","number":"01962 001235"},{"type":"mobile","number":"077 7700 1234"}],"Email":[{"type":"work","address":["fred.smith@my-work.com","fsmith@my-work.com"]},{"type":"home","address":["freddy@my-social.com","frederic.smith@very-serious.com"]}],"Other":{"Over 18 ?":true,"Misc":null,"Alternative.Address":{"Street":"Brick Lane","City":"London","Postcode":"E1 6RF"}}})jn", R"jn([["fred.smith@my-work.com","fsmith@my-work.com"],["freddy@my-social.com","frederic.smith@very-serious.com"]])jn"},
      {R"jn([1,2,3].[$])jn", "", R"jn([[1],[2],[3]])jn"},
  });
}

TEST(JsonataConstructors, Objects) {
  check_all({
      {R"jn({})jn", "", R"jn({})jn"},
      {R"jn({"a": 1, "b": [1, 2]})jn", "", R"jn({"a":1,"b":[1,2]})jn"},
      {R"jn({"a": x})jn", "", R"jn({})jn"},
      {R"jn({"a": 1}.a)jn", "", R"jn(1)jn"},
      {R"jn({"k" & "2": 2})jn", "", R"jn({"k2":2})jn"},
      {R"jn({x: 1})jn", "", R"jn({})jn"},
      {R"jn({1: 2})jn", "", R"jn(error T1003 @1)jn"},
      {R"jn({"a": 1, "a": 2})jn", "", R"jn(error D1009 @1)jn"},
      {R"jn(Phone{type: number})jn",
       R"jn({"FirstName":"Fred","Surname":"Smith","Age":28,"Address":{"Street":"Hursley Park","City":"Winchester","Postcode":"SO21 2JN"},"Phone":[{"type":"home","number":"0203 544 1234"},{"type":"office","number":"01962 001234"},{"type":"office","number":"01962 001235"},{"type":"mobile","number":"077 7700 1234"}],"Email":[{"type":"work","address":["fred.smith@my-work.com","fsmith@my-work.com"]},{"type":"home","address":["freddy@my-social.com","frederic.smith@very-serious.com"]}],"Other":{"Over 18 ?":true,"Misc":null,"Alternative.Address":{"Street":"Brick Lane","City":"London","Postcode":"E1 6RF"}}})jn",
       R"jn({"home":"0203 544 1234","office":["01962 001234","01962 001235"],"mobile":"077 7700 1234"})jn"},
      {R"jn(Phone{type: $count(number)})jn",
       R"jn({"FirstName":"Fred","Surname":"Smith","Age":28,"Address":{"Street":"Hursley Park","City":"Winchester","Postcode":"SO21 2JN"},"Phone":[{"type":"home","number":"0203 544 1234"},{"type":"office","number":"01962 001234"},{"type":"office","number":"01962 001235"},{"type":"mobile","number":"077 7700 1234"}],"Email":[{"type":"work","address":["fred.smith@my-work.com","fsmith@my-work.com"]},{"type":"home","address":["freddy@my-social.com","frederic.smith@very-serious.com"]}],"Other":{"Over 18 ?":true,"Misc":null,"Alternative.Address":{"Street":"Brick Lane","City":"London","Postcode":"E1 6RF"}}})jn",
       R"jn({"home":1,"office":2,"mobile":1})jn"},
      {R"jn(Phone.{type: number})jn",
       R"jn({"FirstName":"Fred","Surname":"Smith","Age":28,"Address":{"Street":"Hursley Park","City":"Winchester","Postcode":"SO21 2JN"},"Phone":[{"type":"home","number":"0203 544 1234"},{"type":"office","number":"01962 001234"},{"type":"office","number":"01962 001235"},{"type":"mobile","number":"077 7700 1234"}],"Email":[{"type":"work","address":["fred.smith@my-work.com","fsmith@my-work.com"]},{"type":"home","address":["freddy@my-social.com","frederic.smith@very-serious.com"]}],"Other":{"Over 18 ?":true,"Misc":null,"Alternative.Address":{"Street":"Brick Lane","City":"London","Postcode":"E1 6RF"}}})jn",
       R"jn([{"home":"0203 544 1234"},{"office":"01962 001234"},{"office":"01962 001235"},{"mobile":"077 7700 1234"}])jn"},
      {R"jn({Phone.type: Phone.number})jn",
       R"jn({"FirstName":"Fred","Surname":"Smith","Age":28,"Address":{"Street":"Hursley Park","City":"Winchester","Postcode":"SO21 2JN"},"Phone":[{"type":"home","number":"0203 544 1234"},{"type":"office","number":"01962 001234"},{"type":"office","number":"01962 001235"},{"type":"mobile","number":"077 7700 1234"}],"Email":[{"type":"work","address":["fred.smith@my-work.com","fsmith@my-work.com"]},{"type":"home","address":["freddy@my-social.com","frederic.smith@very-serious.com"]}],"Other":{"Over 18 ?":true,"Misc":null,"Alternative.Address":{"Street":"Brick Lane","City":"London","Postcode":"E1 6RF"}}})jn", R"jn(error T1003 @1)jn"},
      {R"jn(Account.Order.Product{`Product Name`: $sum(Price)})jn",
       R"jn({"Account":{"Account Name":"Firefly","Order":[{"OrderID":"order103","Product":[{"Product Name":"Bowler Hat","ProductID":858383,"SKU":"0406654608","Description":{"Colour":"Purple","Width":300,"Height":200,"Depth":210,"Weight":0.75},"Price":34.45,"Quantity":2},{"Product Name":"Trilby hat","ProductID":858236,"SKU":"0406634348","Description":{"Colour":"Orange","Width":300,"Height":200,"Depth":210,"Weight":0.6},"Price":21.67,"Quantity":1}]},{"OrderID":"order104","Product":[{"Product Name":"Bowler Hat","ProductID":858383,"SKU":"040657863","Description":{"Colour":"Purple","Width":300,"Height":200,"Depth":210,"Weight":0.75},"Price":34.45,"Quantity":4},{"ProductID":345664,"SKU":"0406654603","Product Name":"Cloak","Description":{"Colour":"Black","Width":30,"Height":20,"Depth":210,"Weight":2},"Price":107.99,"Quantity":1}]}]}})jn",
       R"jn({"Bowler Hat":68.9,"Trilby hat":21.67,"Cloak":107.99})jn"},
      {R"jn(Account.Order{OrderID: $sum(Product.(Price * Quantity))})jn",
       R"jn({"Account":{"Account Name":"Firefly","Order":[{"OrderID":"order103","Product":[{"Product Name":"Bowler Hat","ProductID":858383,"SKU":"0406654608","Description":{"Colour":"Purple","Width":300,"Height":200,"Depth":210,"Weight":0.75},"Price":34.45,"Quantity":2},{"Product Name":"Trilby hat","ProductID":858236,"SKU":"0406634348","Description":{"Colour":"Orange","Width":300,"Height":200,"Depth":210,"Weight":0.6},"Price":21.67,"Quantity":1}]},{"OrderID":"order104","Product":[{"Product Name":"Bowler Hat","ProductID":858383,"SKU":"040657863","Description":{"Colour":"Purple","Width":300,"Height":200,"Depth":210,"Weight":0.75},"Price":34.45,"Quantity":4},{"ProductID":345664,"SKU":"0406654603","Product Name":"Cloak","Description":{"Colour":"Black","Width":30,"Height":20,"Depth":210,"Weight":2},"Price":107.99,"Quantity":1}]}]}})jn",
       R"jn({"order103":90.57000000000001,"order104":245.79000000000002})jn"},
      {R"jn(library.books{author: title})jn",
       R"jn({"library":{"books":[{"title":"A","author":["X","Y"],"year":1990,"price":10,"isbn":"1"},{"title":"B","author":["Y"],"year":2001,"price":25.5,"isbn":"2"},{"title":"C","author":["Z"],"year":2015,"price":7,"isbn":"3"}],"loans":[{"customer":"c1","isbn":"1"},{"customer":"c2","isbn":"3"},{"customer":"c1","isbn":"3"}],"customers":[{"id":"c1","name":"Ann"},{"id":"c2","name":"Bob"}]}})jn",
       R"jn(error T1003 @14)jn"},
      {R"jn(library.books.{"t": title, "a": author})jn",
       R"jn({"library":{"books":[{"title":"A","author":["X","Y"],"year":1990,"price":10,"isbn":"1"},{"title":"B","author":["Y"],"year":2001,"price":25.5,"isbn":"2"},{"title":"C","author":["Z"],"year":2015,"price":7,"isbn":"3"}],"loans":[{"customer":"c1","isbn":"1"},{"customer":"c2","isbn":"3"},{"customer":"c1","isbn":"3"}],"customers":[{"id":"c1","name":"Ann"},{"id":"c2","name":"Bob"}]}})jn",
       R"jn([{"t":"A","a":["X","Y"]},{"t":"B","a":["Y"]},{"t":"C","a":["Z"]}])jn"},
      {R"jn({"a": [1,2,3][1]})jn", "", R"jn({"a":2})jn"},
      {R"jn({"a": $sum})jn", "", R"jn({"a":""})jn"},
      {R"jn({"n": null, "u": nothing})jn", "", R"jn({"n":null})jn"},
      {R"jn(Phone{type: number, "extra": 1})jn",
       R"jn({"FirstName":"Fred","Surname":"Smith","Age":28,"Address":{"Street":"Hursley Park","City":"Winchester","Postcode":"SO21 2JN"},"Phone":[{"type":"home","number":"0203 544 1234"},{"type":"office","number":"01962 001234"},{"type":"office","number":"01962 001235"},{"type":"mobile","number":"077 7700 1234"}],"Email":[{"type":"work","address":["fred.smith@my-work.com","fsmith@my-work.com"]},{"type":"home","address":["freddy@my-social.com","frederic.smith@very-serious.com"]}],"Other":{"Over 18 ?":true,"Misc":null,"Alternative.Address":{"Street":"Brick Lane","City":"London","Postcode":"E1 6RF"}}})jn",
       R"jn({"home":"0203 544 1234","extra":1,"office":["01962 001234","01962 001235"],"mobile":"077 7700 1234"})jn"},
      {R"jn(Phone{type: number, type: number})jn",
       R"jn({"FirstName":"Fred","Surname":"Smith","Age":28,"Address":{"Street":"Hursley Park","City":"Winchester","Postcode":"SO21 2JN"},"Phone":[{"type":"home","number":"0203 544 1234"},{"type":"office","number":"01962 001234"},{"type":"office","number":"01962 001235"},{"type":"mobile","number":"077 7700 1234"}],"Email":[{"type":"work","address":["fred.smith@my-work.com","fsmith@my-work.com"]},{"type":"home","address":["freddy@my-social.com","frederic.smith@very-serious.com"]}],"Other":{"Over 18 ?":true,"Misc":null,"Alternative.Address":{"Street":"Brick Lane","City":"London","Postcode":"E1 6RF"}}})jn",
       R"jn(error D1009 @6)jn"},
      {R"jn([{"a":1},{"a":2}]{"x": a})jn", "", R"jn({"x":[1,2]})jn"},
      {R"jn($sum(Phone{type: 1}.*))jn",
       R"jn({"FirstName":"Fred","Surname":"Smith","Age":28,"Address":{"Street":"Hursley Park","City":"Winchester","Postcode":"SO21 2JN"},"Phone":[{"type":"home","number":"0203 544 1234"},{"type":"office","number":"01962 001234"},{"type":"office","number":"01962 001235"},{"type":"mobile","number":"077 7700 1234"}],"Email":[{"type":"work","address":["fred.smith@my-work.com","fsmith@my-work.com"]},{"type":"home","address":["freddy@my-social.com","frederic.smith@very-serious.com"]}],"Other":{"Over 18 ?":true,"Misc":null,"Alternative.Address":{"Street":"Brick Lane","City":"London","Postcode":"E1 6RF"}}})jn",
       R"jn(error T0412 @5)jn"},
  });
}

TEST(JsonataConstructors, OrderBy) {
  check_all({
      {R"jn(library.books^(price).title)jn",
       R"jn({"library":{"books":[{"title":"A","author":["X","Y"],"year":1990,"price":10,"isbn":"1"},{"title":"B","author":["Y"],"year":2001,"price":25.5,"isbn":"2"},{"title":"C","author":["Z"],"year":2015,"price":7,"isbn":"3"}],"loans":[{"customer":"c1","isbn":"1"},{"customer":"c2","isbn":"3"},{"customer":"c1","isbn":"3"}],"customers":[{"id":"c1","name":"Ann"},{"id":"c2","name":"Bob"}]}})jn",
       R"jn(["C","A","B"])jn"},
      {R"jn(library.books^(>price).title)jn",
       R"jn({"library":{"books":[{"title":"A","author":["X","Y"],"year":1990,"price":10,"isbn":"1"},{"title":"B","author":["Y"],"year":2001,"price":25.5,"isbn":"2"},{"title":"C","author":["Z"],"year":2015,"price":7,"isbn":"3"}],"loans":[{"customer":"c1","isbn":"1"},{"customer":"c2","isbn":"3"},{"customer":"c1","isbn":"3"}],"customers":[{"id":"c1","name":"Ann"},{"id":"c2","name":"Bob"}]}})jn",
       R"jn(["B","A","C"])jn"},
      {R"jn(library.books^(<year).title)jn",
       R"jn({"library":{"books":[{"title":"A","author":["X","Y"],"year":1990,"price":10,"isbn":"1"},{"title":"B","author":["Y"],"year":2001,"price":25.5,"isbn":"2"},{"title":"C","author":["Z"],"year":2015,"price":7,"isbn":"3"}],"loans":[{"customer":"c1","isbn":"1"},{"customer":"c2","isbn":"3"},{"customer":"c1","isbn":"3"}],"customers":[{"id":"c1","name":"Ann"},{"id":"c2","name":"Bob"}]}})jn",
       R"jn(["A","B","C"])jn"},
      {R"jn([3,1,2]^($))jn", "", R"jn([1,2,3])jn"},
      {R"jn([3,1,2]^(>$))jn", "", R"jn([3,2,1])jn"},
      {R"jn(["b","a","C"]^($))jn", "", R"jn(["C","a","b"])jn"},
      {R"jn(Account.Order.Product^(Price, >Quantity).SKU)jn",
       R"jn({"Account":{"Account Name":"Firefly","Order":[{"OrderID":"order103","Product":[{"Product Name":"Bowler Hat","ProductID":858383,"SKU":"0406654608","Description":{"Colour":"Purple","Width":300,"Height":200,"Depth":210,"Weight":0.75},"Price":34.45,"Quantity":2},{"Product Name":"Trilby hat","ProductID":858236,"SKU":"0406634348","Description":{"Colour":"Orange","Width":300,"Height":200,"Depth":210,"Weight":0.6},"Price":21.67,"Quantity":1}]},{"OrderID":"order104","Product":[{"Product Name":"Bowler Hat","ProductID":858383,"SKU":"040657863","Description":{"Colour":"Purple","Width":300,"Height":200,"Depth":210,"Weight":0.75},"Price":34.45,"Quantity":4},{"ProductID":345664,"SKU":"0406654603","Product Name":"Cloak","Description":{"Colour":"Black","Width":30,"Height":20,"Depth":210,"Weight":2},"Price":107.99,"Quantity":1}]}]}})jn",
       R"jn(["0406634348","040657863","0406654608","0406654603"])jn"},
      {R"jn([{"a":2},{"b":1},{"a":1}]^(a).a)jn", "", R"jn([1,2])jn"},
      {R"jn([{"a":"x"},{"a":1}]^(a))jn", "", R"jn(error T2007 @20)jn"},
      {R"jn([{"a":[1]},{"a":2}]^(a))jn", "", R"jn(error T2008 @20)jn"},
      {R"jn([1]^($))jn", "", R"jn(1)jn"},
      {R"jn(library.books^(price)[0].title)jn",
       R"jn({"library":{"books":[{"title":"A","author":["X","Y"],"year":1990,"price":10,"isbn":"1"},{"title":"B","author":["Y"],"year":2001,"price":25.5,"isbn":"2"},{"title":"C","author":["Z"],"year":2015,"price":7,"isbn":"3"}],"loans":[{"customer":"c1","isbn":"1"},{"customer":"c2","isbn":"3"},{"customer":"c1","isbn":"3"}],"customers":[{"id":"c1","name":"Ann"},{"id":"c2","name":"Bob"}]}})jn",
       R"jn("C")jn"},
      {R"jn(library.books^(title)[-1].title)jn",
       R"jn({"library":{"books":[{"title":"A","author":["X","Y"],"year":1990,"price":10,"isbn":"1"},{"title":"B","author":["Y"],"year":2001,"price":25.5,"isbn":"2"},{"title":"C","author":["Z"],"year":2015,"price":7,"isbn":"3"}],"loans":[{"customer":"c1","isbn":"1"},{"customer":"c2","isbn":"3"},{"customer":"c1","isbn":"3"}],"customers":[{"id":"c1","name":"Ann"},{"id":"c2","name":"Bob"}]}})jn",
       R"jn("C")jn"},
      {R"jn($sort(library.books, function($l, $r){$l.year < $r.year}).title)jn",
       R"jn({"library":{"books":[{"title":"A","author":["X","Y"],"year":1990,"price":10,"isbn":"1"},{"title":"B","author":["Y"],"year":2001,"price":25.5,"isbn":"2"},{"title":"C","author":["Z"],"year":2015,"price":7,"isbn":"3"}],"loans":[{"customer":"c1","isbn":"1"},{"customer":"c2","isbn":"3"},{"customer":"c1","isbn":"3"}],"customers":[{"id":"c1","name":"Ann"},{"id":"c2","name":"Bob"}]}})jn",
       R"jn(["C","B","A"])jn"},
  });
}

TEST(JsonataConstructors, Transforms) {
  check_all({
      {R"jn($ ~> |Address|{"City": "Paris"}|)jn",
       R"jn({"FirstName":"Fred","Surname":"Smith","Age":28,"Address":{"Street":"Hursley Park","City":"Winchester","Postcode":"SO21 2JN"},"Phone":[{"type":"home","number":"0203 544 1234"},{"type":"office","number":"01962 001234"},{"type":"office","number":"01962 001235"},{"type":"mobile","number":"077 7700 1234"}],"Email":[{"type":"work","address":["fred.smith@my-work.com","fsmith@my-work.com"]},{"type":"home","address":["freddy@my-social.com","frederic.smith@very-serious.com"]}],"Other":{"Over 18 ?":true,"Misc":null,"Alternative.Address":{"Street":"Brick Lane","City":"London","Postcode":"E1 6RF"}}})jn",
       R"jn({"FirstName":"Fred","Surname":"Smith","Age":28,"Address":{"Street":"Hursley Park","City":"Paris","Postcode":"SO21 2JN"},"Phone":[{"type":"home","number":"0203 544 1234"},{"type":"office","number":"01962 001234"},{"type":"office","number":"01962 001235"},{"type":"mobile","number":"077 7700 1234"}],"Email":[{"type":"work","address":["fred.smith@my-work.com","fsmith@my-work.com"]},{"type":"home","address":["freddy@my-social.com","frederic.smith@very-serious.com"]}],"Other":{"Over 18 ?":true,"Misc":null,"Alternative.Address":{"Street":"Brick Lane","City":"London","Postcode":"E1 6RF"}}})jn"},
      {R"jn($ ~> |Phone|{"type": $uppercase(type)}|)jn",
       R"jn({"FirstName":"Fred","Surname":"Smith","Age":28,"Address":{"Street":"Hursley Park","City":"Winchester","Postcode":"SO21 2JN"},"Phone":[{"type":"home","number":"0203 544 1234"},{"type":"office","number":"01962 001234"},{"type":"office","number":"01962 001235"},{"type":"mobile","number":"077 7700 1234"}],"Email":[{"type":"work","address":["fred.smith@my-work.com","fsmith@my-work.com"]},{"type":"home","address":["freddy@my-social.com","frederic.smith@very-serious.com"]}],"Other":{"Over 18 ?":true,"Misc":null,"Alternative.Address":{"Street":"Brick Lane","City":"London","Postcode":"E1 6RF"}}})jn", R"jn({"FirstName":"Fred","Surname":"Smith","Age":28,"Address":{"Street":"Hursley Park","City":"Winchester","Postcode":"SO21 2JN"},"Phone":[{"type":"HOME","number":"0203 544 1234"},{"type":"OFFICE","number":"01962 001234"},{"type":"OFFICE","number":"01962 001235"},{"type":"MOBILE","number":"077 7700 1234"}],"Email":[{"type":"work","address":["fred.smith@my-work.com","fsmith@my-work.com"]},{"type":"home","address":["freddy@my-social.com","frederic.smith@very-serious.com"]}],"Other":{"Over 18 ?":true,"Misc":null,"Alternative.Address":{"Street":"Brick Lane","City":"London","Postcode":"E1 6RF"}}})jn"},
      {R"jn($ ~> |Phone[type="office"]|{}, ["number"]|)jn",
       R"jn({"FirstName":"Fred","Surname":"Smith","Age":28,"Address":{"Street":"Hursley Park","City":"Winchester","Postcode":"SO21 2JN"},"Phone":[{"type":"home","number":"0203 544 1234"},{"type":"office","number":"01962 001234"},{"type":"office","number":"01962 001235"},{"type":"mobile","number":"077 7700 1234"}],"Email":[{"type":"work","address":["fred.smith@my-work.com","fsmith@my-work.com"]},{"type":"home","address":["freddy@my-social.com","frederic.smith@very-serious.com"]}],"Other":{"Over 18 ?":true,"Misc":null,"Alternative.Address":{"Street":"Brick Lane","City":"London","Postcode":"E1 6RF"}}})jn", R"jn({"FirstName":"Fred","Surname":"Smith","Age":28,"Address":{"Street":"Hursley Park","City":"Winchester","Postcode":"SO21 2JN"},"Phone":[{"type":"home","number":"0203 544 1234"},{"type":"office"},{"type":"office"},{"type":"mobile","number":"077 7700 1234"}],"Email":[{"type":"work","address":["fred.smith@my-work.com","fsmith@my-work.com"]},{"type":"home","address":["freddy@my-social.com","frederic.smith@very-serious.com"]}],"Other":{"Over 18 ?":true,"Misc":null,"Alternative.Address":{"Street":"Brick Lane","City":"London","Postcode":"E1 6RF"}}})jn"},
      {R"jn($ ~> |Address|{}, "Street"|)jn",
       R"jn({"FirstName":"Fred","Surname":"Smith","Age":28,"Address":{"Street":"Hursley Park","City":"Winchester","Postcode":"SO21 2JN"},"Phone":[{"type":"home","number":"0203 544 1234"},{"type":"office","number":"01962 001234"},{"type":"office","number":"01962 001235"},{"type":"mobile","number":"077 7700 1234"}],"Email":[{"type":"work","address":["fred.smith@my-work.com","fsmith@my-work.com"]},{"type":"home","address":["freddy@my-social.com","frederic.smith@very-serious.com"]}],"Other":{"Over 18 ?":true,"Misc":null,"Alternative.Address":{"Street":"Brick Lane","City":"London","Postcode":"E1 6RF"}}})jn", R"jn({"FirstName":"Fred","Surname":"Smith","Age":28,"Address":{"City":"Winchester","Postcode":"SO21 2JN"},"Phone":[{"type":"home","number":"0203 544 1234"},{"type":"office","number":"01962 001234"},{"type":"office","number":"01962 001235"},{"type":"mobile","number":"077 7700 1234"}],"Email":[{"type":"work","address":["fred.smith@my-work.com","fsmith@my-work.com"]},{"type":"home","address":["freddy@my-social.com","frederic.smith@very-serious.com"]}],"Other":{"Over 18 ?":true,"Misc":null,"Alternative.Address":{"Street":"Brick Lane","City":"London","Postcode":"E1 6RF"}}})jn"},
      {R"jn($ ~> |$|{"new": 1}|)jn", R"jn({"a":1})jn", R"jn({"a":1,"new":1})jn"},
      {R"jn($ ~> |a|{"b": 2}|)jn", R"jn({"a":[{"x":1},{"x":2}]})jn",
       R"jn({"a":[{"x":1,"b":2},{"x":2,"b":2}]})jn"},
      {R"jn($ ~> |a|5|)jn", R"jn({"a":{}})jn", R"jn(error T2011 @9)jn"},
      {R"jn($ ~> |a|{}, 5|)jn", R"jn({"a":{}})jn", R"jn(error T2012 @13)jn"},
      {R"jn($ ~> |nothing|{"b":1}|)jn", R"jn({"a":1})jn", R"jn({"a":1})jn"},
      {R"jn((|a|{"c": 3}|)({"a": {"b": 1}}))jn", "", R"jn({"a":{"b":1,"c":3}})jn"},
      {R"jn(x ~> |a|{}|)jn", "", R"jn(undefined)jn"},
      {R"jn({"p": 1.1234567890123456} ~> |$|{}|)jn", "", R"jn({"p":1.12345678901235})jn"},
      {R"jn(($t := |b|{"v": 9}|; $t({"b":{"v":1}})))jn", "", R"jn({"b":{"v":9}})jn"},
      {R"jn($ ~> |**[x]|{"x": x + 1}|)jn", R"jn({"a":{"x":1,"b":{"x":2}}})jn",
       R"jn({"a":{"x":2,"b":{"x":2}}})jn"},
  });
}

}  // namespace
}  // namespace sluice::engine::jsonata::testing
