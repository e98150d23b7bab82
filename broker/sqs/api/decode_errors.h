// The errors both SQS request decoders return, with the texts real SQS uses, so the query and
// JSON decoders word them identically. Pure; any thread.
#pragma once

#include <string>
#include <string_view>

#include "storage/result.h"

namespace sluice::sqs {

// kMissingParameter "The request must contain the parameter <name>."
inline Error missing_parameter(std::string_view name) {
  std::string m = "The request must contain the parameter ";
  m.append(name);
  m.push_back('.');
  return make_error(ErrorCode::kMissingParameter, std::move(m));
}

// kInvalidParameterValue "Value <v> for parameter <name> is invalid. Reason: Must be an integer."
// (the query protocol's answer to a non-numeric or out-of-range integer).
inline Error invalid_integer_parameter(std::string_view name, std::string_view value) {
  std::string m = "Value ";
  m.append(value);
  m.append(" for parameter ");
  m.append(name);
  m.append(" is invalid. Reason: Must be an integer.");
  return make_error(ErrorCode::kInvalidParameterValue, std::move(m));
}

// kInvalidParameterValue for a BinaryValue that is not base64.
inline Error invalid_base64_parameter(std::string_view name, std::string_view value) {
  std::string m = "Value ";
  m.append(value.substr(0, 64));
  if (value.size() > 64) m.append("...");
  m.append(" for parameter ");
  m.append(name);
  m.append(" is invalid. Reason: Must be base64-encoded.");
  return make_error(ErrorCode::kInvalidParameterValue, std::move(m));
}

// kInvalidAction "The action <name> is not valid for this web service."
inline Error invalid_action(std::string_view name) {
  std::string m = "The action ";
  m.append(name);
  m.append(" is not valid for this web service.");
  return make_error(ErrorCode::kInvalidAction, std::move(m));
}

}  // namespace sluice::sqs
