// `sluice jsonata`: a command-line JSONata evaluator (like jq) on the engine Step Functions uses.
//
//   sluice jsonata 'EXPR' [--bindings JSON] < input.json
//       prints the result as one line of JSON (nothing for undefined); empty input means no
//       input. On an error: exit status 1 and {"code":..,"message":..,"position":..,"token":..}
//       on stderr (position and token when JSONata gives them).
//   sluice jsonata --jsonl
//       reads one request per line, {"expr": "...", "data": <JSON, absent: no input>,
//       "bindings": {...}, "depth": N, "timelimit": MS} (the last two optional), and writes one
//       line per request, in order: {"result": <JSON>}, {"undefined": true} or
//       {"error": {"code": "T2001", "message": "...", "position": 5, "token": "+"}} (position
//       and token when JSONata gives them; code BADREQUEST for a request line it cannot take).
#pragma once

namespace sluice::server {

// argv[0] is "jsonata". Returns the process exit status.
int run_jsonata_cli(int argc, char** argv);

}  // namespace sluice::server
