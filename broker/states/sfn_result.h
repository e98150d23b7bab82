// SfnResult<T>: a value or the Step Functions API error that prevented it. The API's errors are
// named by the model (StateMachineDoesNotExist, InvalidArn, ...) rather than by sluice::ErrorCode,
// so the catalog and the execution runner return these instead of sluice::Result.
#pragma once

#include <string>

#include "broker/states/sfn_error.h"
#include "storage/result.h"

namespace sluice::states {

template <class T>
using SfnResult = Result<T, SfnError>;

// A storage failure as the API reports it: InternalFailure, HTTP 500 (the client retries).
inline SfnError internal_failure(std::string message) {
  return sfn_error("InternalFailure", std::move(message), 500);
}

}  // namespace sluice::states
