// See diagnostic.h.
#include "engine/asl/diagnostic.h"

namespace sluice::engine::asl {

std::string invalid_definition_message(const std::vector<Diagnostic>& diagnostics) {
  std::string out = "Invalid State Machine Definition: '";
  bool first = true;
  for (const auto& d : diagnostics) {
    if (!first) out += ", ";
    first = false;
    out += d.code;
    out += ": ";
    out += d.message;
    if (!d.location.empty()) {
      out += " at ";
      out += d.location;
    }
  }
  out += "'";
  return out;
}

}  // namespace sluice::engine::asl
