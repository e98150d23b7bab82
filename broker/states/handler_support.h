// Helpers every Step Functions handler uses: rendering an output object with JsonWriter, the empty
// output, and replying with a decoded request's validation error.
#pragma once

#include <string>
#include <utility>

#include "broker/protocol/json_writer.h"
#include "broker/states/request_fields.h"
#include "broker/states/sfn_error.h"

namespace sluice::states {

// Renders one JSON object: `fill` writes its members.
template <class Fill>
SfnOutcome render_object(Fill&& fill) {
  std::string body;
  body.reserve(256);
  protocol::JsonWriter w(body);
  w.begin_object();
  fill(w);
  w.end_object();
  return SfnOutcome::json_text(std::move(body));
}

inline SfnOutcome empty_output() {
  return SfnOutcome::json_text("{}");
}

// Answers `reply` with the fields' error when there is one; returns true if it did.
inline bool reply_if_invalid(const RequestFields& fields, const SfnReply& reply) {
  if (fields.ok()) return false;
  reply(fields.error());
  return true;
}

}  // namespace sluice::states
