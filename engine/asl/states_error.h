// The States.* error names (as Catch/Retry ErrorEquals and execution failures spell them) of the
// ErrorCodes the engine raises. Task errors with names of their own never pass through here.
#pragma once

#include <string_view>

#include "storage/error_code.h"

namespace sluice::engine::asl {

// "States.Runtime", "States.IntrinsicFailure", "States.ResultPathMatchFailure",
// "States.NoChoiceMatched", "States.QueryEvaluationError", "States.DataLimitExceeded"; any other
// code is an engine bug surfacing as "States.Runtime".
constexpr std::string_view states_error_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kStatesIntrinsicFailure:
      return "States.IntrinsicFailure";
    case ErrorCode::kStatesResultPathMatchFailure:
      return "States.ResultPathMatchFailure";
    case ErrorCode::kStatesNoChoiceMatched:
      return "States.NoChoiceMatched";
    case ErrorCode::kStatesQueryEvaluationError:
      return "States.QueryEvaluationError";
    case ErrorCode::kStatesDataLimitExceeded:
      return "States.DataLimitExceeded";
    default:
      return "States.Runtime";
  }
}

}  // namespace sluice::engine::asl
