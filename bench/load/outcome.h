// Outcome<T>: a value or the reason there is none. sluice-bench is a client of ANY SQS endpoint, so
// its failures are labels it counts ("md5-mismatch", "QueueDoesNotExist", "timeout"), not the
// server's domain ErrorCodes; it therefore does not use storage/result.h and depends on nothing of
// the server.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace sluice::bench {

struct Failure {
  std::string label;   // what the error table counts, e.g. "bad-response" or an AWS error code
  std::string detail;  // human-readable context, shown once per label
};

inline Failure make_failure(std::string label, std::string detail = {}) {
  return Failure{std::move(label), std::move(detail)};
}

template <class T>
class [[nodiscard]] Outcome {
 public:
  Outcome(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  Outcome(Failure failure) : v_(std::in_place_index<1>, std::move(failure)) {}

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

  const Failure& failure() const {
    assert(!ok());
    return std::get<1>(v_);
  }

 private:
  std::variant<T, Failure> v_;
};

}  // namespace sluice::bench
