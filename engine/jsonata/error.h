// EvalError: a JSONata error on its way out of the compiler or the evaluator.
//
// JSONata has no way to catch an error inside an expression (`$eval` is not offered), so the
// first error ends the whole evaluation. Inside engine/jsonata it therefore travels as a C++
// exception, which costs nothing on the success path and spares the hundreds of recursive call
// sites a check each; Expression::compile and Expression::evaluate catch it and hand the caller
// a JsonataError value. Nothing outside engine/jsonata ever sees an exception.
//
// The fields mirror what JSONata puts on its error objects; the message is produced from the
// code's template (error.cpp) only when the error leaves the engine.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "engine/jsonata/value.h"

namespace sluice::engine::jsonata {

struct EvalError {
  std::string code;
  int64_t position = -1;     // byte offset into the expression; -1: none
  std::optional<Val> token;  // JSONata's token: usually a string, a number for a number literal
  std::optional<Val> value;
  std::optional<Val> value2;
  int index = 0;
  std::string type;           // T0412: "numbers", "strings", ...
  std::string message;        // D3137/D3141 ($error, $assert) and errors with fixed text
  std::string function_name;  // D3140
  std::optional<Val> exp;     // D3061
  bool preformatted = false;  // message is final (errors from the format/ functions)
};

[[noreturn]] void throw_error(const char* code, int64_t position = -1);
// Every [[noreturn]] thrower takes its Vals (and strings) by const reference and copies them.
// GCC 12's -O3 (ipa-modref) miscompiles a by-value parameter of a noreturn function: the caller's
// cleanup on the exception path assumes the callee left the parameter as passed, so a Val the
// callee moved into the EvalError was released a second time (a use after free, then a crash).
[[noreturn]] void throw_value_error(const char* code, const Val& value, int64_t position = -1);

// The message JSONata gives for the error (its template with the fields substituted).
std::string error_message(const EvalError& e);

}  // namespace sluice::engine::jsonata
