// libFuzzer target: what EventBridge Pipes reads from users and targets. Input (fuzz_input.h):
// mode byte, the first line, then the rest. Modes:
//   0  event pattern (Pipes dialect): compile the first line; match the rest as an event
//   1  event pattern (EventBridge rule dialect): the same
//   2  input template: compile the first line; render it for the rest, as JSON when it parses,
//      else as a raw payload
//   3  batch item failures: read the rest as a target's output for a batch of three messages
// Errors are fine and must carry a message; a crash, a sanitizer report, a leak or a hang is a
// finding. See tests/fuzz/README.md.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/json/json_parse.h"
#include "engine/pipes/batch_item_failures.h"
#include "engine/pipes/event_pattern.h"
#include "engine/pipes/input_template.h"
#include "tests/fuzz/fuzz_input.h"

namespace json = sluice::engine::json;
namespace pipes = sluice::engine::pipes;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  sluice::fuzz::FuzzInput in = sluice::fuzz::split_input(data, size, 4);
  auto event = json::parse(in.tail);
  switch (in.mode) {
    case 0:
    case 1: {
      auto pattern = pipes::EventPattern::compile(
          in.head, in.mode == 0 ? pipes::PatternDialect::kPipes : pipes::PatternDialect::kEventBus);
      if (!pattern.ok()) {
        if (pattern.error().message.empty()) __builtin_trap();
        break;
      }
      if (event.ok()) {
        (void)pattern->matches(*event);
        (void)pattern->field_use("body");
      }
      break;
    }
    case 2: {
      auto tmpl = pipes::InputTemplate::compile(in.head);
      if (!tmpl.ok()) {
        if (tmpl.error().message.empty()) __builtin_trap();
        break;
      }
      pipes::TemplateContext ctx;
      ctx.pipe_arn = "arn:aws:pipes:us-east-1:000000000000:pipe/p";
      ctx.pipe_name = "p";
      ctx.source_arn = "arn:aws:sqs:us-east-1:000000000000:q";
      ctx.target_arn = "arn:aws:states:us-east-1:000000000000:stateMachine:m";
      ctx.ingestion_time_ms = 1767225600000;
      pipes::RenderedInput out =
          event.ok() ? tmpl->render(*event, ctx) : tmpl->render_raw(in.tail, ctx);
      // What claims to be JSON must parse.
      if (out.is_json && !json::parse(out.text).ok()) __builtin_trap();
      break;
    }
    case 3: {
      if (!event.ok()) break;
      const std::vector<std::string> ids = {"id-1", "id-2", "id-3"};
      pipes::ItemFailures failures = pipes::read_batch_item_failures(*event, ids);
      for (std::size_t i : failures.failed) {
        if (i >= ids.size()) __builtin_trap();
      }
      break;
    }
  }
  return 0;
}
