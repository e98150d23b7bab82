// libFuzzer target: the JSONPath side of Amazon States Language: reference paths, intrinsic
// functions, payload templates (Parameters, ResultSelector) and Choice rules. Input (fuzz_input.h):
// mode byte, then the expression on the first line, then the JSON input document. Modes:
//   0  JSONPath: parse; on the document, find and collect
//   1  intrinsic function (States.Format(...), ...): parse and evaluate
//   2  payload template (a JSON object with ".$" keys): compile and evaluate
//   3  Choice rule (a JSON object): compile and evaluate
// Errors are fine and must carry a message; a crash, a sanitizer report, a leak or a hang is a
// finding. The context object and the variables are fixed documents. See tests/fuzz/README.md.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "engine/asl/choice_rule.h"
#include "engine/asl/eval_scope.h"
#include "engine/asl/intrinsics.h"
#include "engine/asl/json_path.h"
#include "engine/asl/payload_template.h"
#include "engine/json/json_parse.h"
#include "tests/fuzz/fuzz_input.h"

namespace asl = sluice::engine::asl;
namespace json = sluice::engine::json;

namespace {

const json::Value& context_object() {
  static const json::Value ctx = json::parse(R"({
    "Execution": {"Id": "arn:aws:states:us-east-1:000000000000:execution:m:e", "Name": "e",
                  "Input": {"a": 1}, "StartTime": "2026-01-01T00:00:00.000Z",
                  "RoleArn": "arn:aws:iam::000000000000:role/r", "RedriveCount": 0},
    "State": {"Name": "S", "EnteredTime": "2026-01-01T00:00:00.000Z", "RetryCount": 0},
    "StateMachine": {"Id": "arn:aws:states:us-east-1:000000000000:stateMachine:m", "Name": "m"},
    "Task": {"Token": "tok"}, "Map": {"Item": {"Index": 0, "Value": [1, "x", null]}}
  })")
                                     .value();
  return ctx;
}

const json::Object& variables() {
  static const json::Value vars =
      json::parse(R"({"x": 1, "s": "text", "list": [1, 2, 3], "obj": {"k": [true, null]}})")
          .value();
  return vars.as_object();
}

void check(bool ok, const std::string& message) {
  if (!ok && message.empty()) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  sluice::fuzz::FuzzInput in = sluice::fuzz::split_input(data, size, 4);
  json::Value input;  // null when the tail is not JSON
  if (auto parsed = json::parse(in.tail); parsed.ok()) input = std::move(*parsed);
  asl::ObjectVariables vars(variables());
  const asl::EvalScope scope(context_object(), &vars);
  switch (in.mode) {
    case 0: {
      auto path = asl::JsonPath::parse(in.head);
      check(path.ok(), path.ok() ? "" : path.error().message);
      if (!path.ok()) break;
      (void)path->canonical();
      (void)path->find(input);
      std::vector<const json::Value*> found;
      path->collect(input, found);
      break;
    }
    case 1: {
      if (!asl::Intrinsic::is_call(in.head)) break;
      auto call = asl::Intrinsic::parse(in.head);
      check(call.ok(), call.ok() ? "" : call.error().message);
      if (!call.ok()) break;
      std::set<std::string> names;
      call->collect_variables(names);
      auto result = call->evaluate(input, scope);
      check(result.ok(), result.ok() ? "" : result.error().message);
      break;
    }
    case 2: {
      auto tmpl_json = json::parse(in.head);
      if (!tmpl_json.ok()) break;
      auto tmpl = asl::PayloadTemplate::compile(*tmpl_json);
      check(tmpl.ok(), tmpl.ok() ? "" : tmpl.error().message);
      if (!tmpl.ok()) break;
      auto result = tmpl->evaluate(input, scope);
      check(result.ok(), result.ok() ? "" : result.error().message);
      break;
    }
    case 3: {
      auto rule_json = json::parse(in.head);
      if (!rule_json.ok()) break;
      std::vector<asl::Diagnostic> diagnostics;
      auto rule = asl::ChoiceRule::compile(*rule_json, true, "/States/C/Choices/0", diagnostics);
      if (!rule) {
        if (diagnostics.empty()) __builtin_trap();
        break;
      }
      auto result = rule->evaluate(input, scope);
      check(result.ok(), result.ok() ? "" : result.error().message);
      break;
    }
  }
  return 0;
}
