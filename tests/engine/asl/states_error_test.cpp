#include "engine/asl/states_error.h"

#include <gtest/gtest.h>

#include "engine/asl/intrinsics.h"
#include "engine/json/json_value.h"

namespace sluice::engine::asl {
namespace {

TEST(StatesError, NamesTheEngineErrors) {
  EXPECT_EQ(states_error_name(ErrorCode::kStatesRuntime), "States.Runtime");
  EXPECT_EQ(states_error_name(ErrorCode::kStatesIntrinsicFailure), "States.IntrinsicFailure");
  EXPECT_EQ(states_error_name(ErrorCode::kStatesResultPathMatchFailure),
            "States.ResultPathMatchFailure");
  EXPECT_EQ(states_error_name(ErrorCode::kStatesNoChoiceMatched), "States.NoChoiceMatched");
  // What a failing intrinsic surfaces as.
  auto r = Intrinsic::parse("States.ArrayLength(1)")->evaluate(json::Value(), json::Value());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(states_error_name(r.error().code), "States.IntrinsicFailure");
}

}  // namespace
}  // namespace sluice::engine::asl
