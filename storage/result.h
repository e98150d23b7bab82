// Result<T>: the error-as-value type used on every hot path (C++20 has no std::expected).
// An Error carries an ErrorCode (a domain error the broker maps to an AWS error shape) and a
// human-readable message that goes on the wire as the error's Message. An API whose errors are
// not ErrorCodes (Step Functions names its own) uses Result<T, ItsError>.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

#include "storage/error_code.h"

namespace sluice {

struct Error {
  Error() = default;
  Error(ErrorCode c, std::string m, std::string where = {})
      : code(c), message(std::move(m)), location(std::move(where)) {}

  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  // Where the error arose, when a caller reports it separately (the field of a failed JSONata
  // expression: "Output/result"); empty otherwise.
  std::string location;
};

inline Error make_error(ErrorCode code, std::string message) {
  return Error{code, std::move(message)};
}

template <class T, class E = Error>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  Result(E error) : v_(std::in_place_index<1>, std::move(error)) {}

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

  const E& error() const& {
    assert(!ok());
    return std::get<1>(v_);
  }
  E&& error() && {
    assert(!ok());
    return std::get<1>(std::move(v_));
  }

 private:
  std::variant<T, E> v_;
};

template <class E>
class [[nodiscard]] Result<void, E> {
 public:
  Result() = default;
  Result(E error) : error_(std::move(error)), ok_(false) {}

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const E& error() const& {
    assert(!ok_);
    return error_;
  }
  E&& error() && {
    assert(!ok_);
    return std::move(error_);
  }

 private:
  E error_;
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace sluice
