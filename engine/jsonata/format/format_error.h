// FormatError: an error JSONata raises from a formatting or parsing built-in ($fromMillis,
// $toMillis, $formatNumber, $formatInteger, $parseInteger, $formatBase), as a value. The engine's
// JSONata error type wraps it and adds the position and token of the call.
#pragma once

#include <string>

namespace sluice::engine::jsonata::format {

// Besides JSONata's own codes there are two kinds of error, for inputs where the reference
// implementation does not raise a JSONata error:
// - code "" (empty): the reference fails with a JavaScript TypeError or RangeError (e.g. a
//   $formatNumber picture without any digit sign, or roman numerals beyond its stack); the
//   message is the JavaScript one, e.g. "Cannot read properties of undefined (reading 'length')".
// - code "U1001": the reference never returns (e.g. $formatNumber(0, "0e0") loops forever); the
//   message is JSONata's time-out message.
struct FormatError {
  std::string code;     // JSONata's code, e.g. "D3110"
  std::string message;  // JSONata's message with its {{value}} filled in, e.g. `... Given "foo"`
};

}  // namespace sluice::engine::jsonata::format
