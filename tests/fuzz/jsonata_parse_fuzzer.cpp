// libFuzzer target: the JSONata parser. The input bytes are an expression; compiling it must end
// in an Expression or a JsonataError (S0xxx), never a crash, a sanitizer report, a leak or a
// hang. What compiles is also walked by the static analysis Step Functions runs on definitions
// (engine/jsonata/analysis.h). See tests/fuzz/README.md.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "engine/jsonata/analysis.h"
#include "engine/jsonata/jsonata.h"

namespace jsonata = sluice::engine::jsonata;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto compiled = jsonata::Expression::compile(text);
  if (!compiled.ok()) {
    // Errors are fine; they must carry a code.
    if (compiled.error().code.empty()) __builtin_trap();
    return 0;
  }
  jsonata::ExpressionFacts facts = jsonata::analyze(*compiled);
  (void)facts;
  return 0;
}
