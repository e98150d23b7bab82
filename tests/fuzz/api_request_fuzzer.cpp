// libFuzzer target: the request decoders in front of the services. Input (fuzz_input.h): mode
// byte, the first line, then the rest (the body). Modes:
//   0  SQS query protocol: the first line is the request path, the rest the form body
//      (decode_form, then decode_query)
//   1  SQS JSON 1.0: the first line is the action name (X-Amz-Target's suffix), the rest the body
//   2  Pipes REST-JSON: the first line is "METHOD TARGET", the rest the body; a CreatePipe or
//      UpdatePipe body is then parsed and validated as the handlers do
// Errors are fine and must carry a message; a crash, a sanitizer report, a leak or a hang is a
// finding. See tests/fuzz/README.md.
#include <cstddef>
#include <cstdint>
#include <string>

#include "broker/http/request.h"
#include "broker/pipes/api/pipe_spec.h"
#include "broker/pipes/api/pipes_request.h"
#include "broker/protocol/form_decoder.h"
#include "broker/sqs/api/action.h"
#include "broker/sqs/api/json_decoder.h"
#include "broker/sqs/api/query_decoder.h"
#include "tests/fuzz/fuzz_input.h"

namespace pipes = sluice::pipes;
namespace sqs = sluice::sqs;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  sluice::fuzz::FuzzInput in = sluice::fuzz::split_input(data, size, 3);
  switch (in.mode) {
    case 0: {
      sluice::protocol::FormParams params;
      if (!sluice::protocol::decode_form(in.tail, params).ok()) break;
      auto request = sqs::decode_query(std::move(params), in.head);
      if (!request.ok() && request.error().message.empty()) __builtin_trap();
      break;
    }
    case 1: {
      std::optional<sqs::Action> action = sqs::action_from_name(in.head);
      if (!action) break;
      auto request = sqs::decode_json(*action, in.tail);
      if (!request.ok() && request.error().message.empty()) __builtin_trap();
      break;
    }
    case 2: {
      sluice::http::Request http;
      std::size_t space = in.head.find(' ');
      if (space == std::string_view::npos) break;
      http.method = std::string(in.head.substr(0, space));
      http.target = std::string(in.head.substr(space + 1));
      http.headers.push_back({"content-type", "application/json"});
      http.body = std::string(in.tail);
      if (!pipes::is_pipes_request(http)) break;
      auto request = pipes::decode_pipes_request(http);
      if (!request.ok()) {
        if (request.error().type.empty()) __builtin_trap();
        break;
      }
      const pipes::PipesIdentity id;
      if (request->action == pipes::PipesAction::kCreatePipe) {
        (void)pipes::parse_create_pipe(request->body, id);
      } else if (request->action == pipes::PipesAction::kUpdatePipe) {
        (void)pipes::parse_update_pipe(request->body);
      }
      break;
    }
  }
  return 0;
}
