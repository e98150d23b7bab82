// SfnResult<T>: a value or the Step Functions API error that prevented it. The API's errors are
// named by the model (StateMachineDoesNotExist, InvalidArn, ...) rather than by sluice::ErrorCode,
// so the catalog and the execution runner return these instead of sluice::Result.
#pragma once

#include <cassert>
#include <utility>
#include <variant>

#include "broker/states/sfn_error.h"

namespace sluice::states {

template <class T>
class [[nodiscard]] SfnResult {
 public:
  SfnResult(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  SfnResult(SfnError error) : v_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  const SfnError& error() const& {
    assert(!ok());
    return std::get<1>(v_);
  }
  SfnError&& error() && {
    assert(!ok());
    return std::get<1>(std::move(v_));
  }

 private:
  std::variant<T, SfnError> v_;
};

// A storage failure as the API reports it: InternalFailure, HTTP 500 (the client retries).
inline SfnError internal_failure(std::string message) {
  return sfn_error("InternalFailure", std::move(message), 500);
}

}  // namespace sluice::states
