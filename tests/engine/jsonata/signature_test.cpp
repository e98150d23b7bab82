// Signature::validate: the arguments a built-in receives. The common call (each argument taken by
// the parameter in its position) is settled without the backtracking matcher; these cases pin
// that both paths give what JSONata gives.
#include "engine/jsonata/signature.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/jsonata/error.h"

namespace sluice::engine::jsonata {
namespace {

// The letters of the arguments validate() hands on ("m" for undefined, "a1" for an array of one).
std::string shape(const std::vector<Val>& args) {
  std::string out;
  for (const Val& a : args) {
    if (!out.empty()) out += ",";
    out += type_letter(a);
    if (a.is_array()) out += std::to_string(a.size());
  }
  return out;
}

std::string validated(const char* signature, std::vector<Val> args, Val context = Val()) {
  Signature sig = Signature::parse(signature);
  try {
    sig.validate(args, context);
  } catch (const EvalError& e) {
    return std::string(e.code) + " arg " + std::to_string(e.index);
  }
  return shape(args);
}

Val array_of(std::vector<Val> items) {
  ArrNode* a = new_array();
  for (Val& v : items) a->items.push_back(std::move(v));
  return Val::adopt_array(a);
}

TEST(SignatureTest, ArgumentsInPositionPassThroughAndMissingOptionalOnesArePadded) {
  EXPECT_EQ(validated("<n-:n>", {Val::number(1)}), "n");
  EXPECT_EQ(validated("<s-nn?:s>", {Val::string("abc"), Val::number(1)}), "s,n,m");
  EXPECT_EQ(validated("<s-nn?:s>", {Val::string("abc"), Val::number(1), Val::number(2)}), "s,n,n");
  EXPECT_EQ(validated("<x-b?:s>", {Val::null()}), "l,m");
  EXPECT_EQ(validated("<a:a>", {array_of({Val::number(1)})}), "a1");
  // An undefined argument where the type allows it.
  EXPECT_EQ(validated("<n-:n>", {Val()}), "m");
}

TEST(SignatureTest, TheMatcherDecidesEverythingElse) {
  // A missing context argument is the context value.
  EXPECT_EQ(validated("<n-:n>", {}, Val::number(3)), "n");
  EXPECT_EQ(validated("<n-:n>", {}, Val::string("x")), "T0411 arg 1");
  // A non-array for an array parameter is wrapped.
  EXPECT_EQ(validated("<a:a>", {Val::number(1)}), "a1");
  EXPECT_EQ(validated("<a<n>:n>", {array_of({Val::number(1), Val::number(2)})}), "a2");
  EXPECT_EQ(validated("<a<n>:n>", {array_of({Val::number(1), Val::string("2")})}), "T0412 arg 1");
  // A repeated parameter takes every argument.
  EXPECT_EQ(validated("<s+:s>", {Val::string("a"), Val::string("b")}), "s,s");
  // An optional parameter the argument skips: JSONata still hands the argument on in the skipped
  // position (its validate() takes the next argument for an empty match).
  EXPECT_EQ(validated("<s?n:s>", {Val::number(1)}), "n,m");
  // Wrong types and too many arguments name the first argument that does not fit.
  EXPECT_EQ(validated("<n-:n>", {Val::string("x")}), "T0410 arg 1");
  EXPECT_EQ(validated("<n-:n>", {Val::number(1), Val::number(2)}), "T0410 arg 2");
  EXPECT_EQ(validated("<sn:s>", {Val::string("a")}), "T0410 arg 2");
}

}  // namespace
}  // namespace sluice::engine::jsonata
