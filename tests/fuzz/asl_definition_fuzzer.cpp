// libFuzzer target: Amazon States Language definitions. The bytes are a definition's text;
// parsing, compiling and validating it (JSONPath and JSONata states, every field) must end in a
// state machine or in diagnostics that each carry a code and a message, never both and never
// neither, and never a crash, a sanitizer report, a leak or a hang. See tests/fuzz/README.md.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "engine/asl/definition.h"

namespace asl = sluice::engine::asl;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  asl::DefinitionParse parsed = asl::parse_definition(text);
  if ((parsed.machine == nullptr) == parsed.diagnostics.empty()) __builtin_trap();
  for (const asl::Diagnostic& d : parsed.diagnostics) {
    if (d.code.empty() || d.message.empty()) __builtin_trap();
  }
  return 0;
}
