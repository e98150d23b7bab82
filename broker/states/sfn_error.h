// SfnError and SfnOutcome: how a Step Functions action answers. The API's errors are many and
// its own (StateMachineDoesNotExist, InvalidArn, ExecutionAlreadyExists, ...), named by the
// model's exception shapes, so they are carried by name rather than as sluice::ErrorCode values.
// On the wire (AWS JSON 1.0) an error is HTTP 400 (unless said otherwise) with
// {"__type": "com.amazonaws.swf.service.v2.model#<Name>", "message": "..."} plus any extra members
// (ValidationException's "reason", for instance).
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "engine/json/json_value.h"

namespace sluice::states {

namespace json = engine::json;

struct SfnError {
  std::string type;  // the model's exception shape name, e.g. "StateMachineDoesNotExist"
  std::string message;
  int http_status = 400;
  json::Object extra;  // additional members of the error shape
};

inline SfnError sfn_error(std::string type, std::string message, int http_status = 400) {
  return SfnError{std::move(type), std::move(message), http_status, {}};
}

// Either the action's output (a JSON object; empty object for actions with no output) or an error.
class SfnOutcome {
 public:
  SfnOutcome(json::Value output) : output_(std::move(output)) {}
  SfnOutcome(SfnError error) : error_(std::move(error)) {}

  bool ok() const { return !error_; }
  const json::Value& output() const { return output_; }
  json::Value& output() { return output_; }
  const SfnError& error() const { return *error_; }

 private:
  json::Value output_;
  std::optional<SfnError> error_;
};

// Called exactly once per request, now or later (after a commit, when a long poll ends).
using SfnReply = std::function<void(SfnOutcome)>;

}  // namespace sluice::states
