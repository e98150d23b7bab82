// Small helpers the built-in families share.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "engine/jsonata/error.h"
#include "engine/jsonata/value.h"

namespace sluice::engine::jsonata {

// The i-th validated argument, or undefined when the call supplied fewer.
inline const Val& arg(const std::vector<Val>& args, std::size_t i) {
  static const Val kUndefined;
  return i < args.size() ? args[i] : kUndefined;
}

inline Val str_val(std::string s) {
  return Val::string(std::move(s));
}
inline Val num_val(double d) {
  return Val::number(d);
}

// A built-in's error with the fields JSONata sets (the caller adds position and token). value
// by const reference: see throw_value_error in error.h.
[[noreturn]] inline void fail(const char* code, const std::optional<Val>& value = std::nullopt,
                              int index = 0) {
  EvalError e;
  e.code = code;
  e.value = value;
  e.index = index;
  throw e;
}

// What the reference raises where it reads a property of undefined (a JavaScript TypeError: no
// code, JavaScript's message), e.g. for a picture or a pattern argument that is undefined, which
// a signature lets through.
[[noreturn]] inline void fail_undefined(const char* property) {
  EvalError e;
  e.message = std::string("Cannot read properties of undefined (reading '") + property + "')";
  e.preformatted = true;
  throw e;
}

}  // namespace sluice::engine::jsonata
