// libFuzzer target: JSONata compile + evaluate. The input is an expression on its first line and
// a JSON document on the rest (no newline, or a document that does not parse: no input, as
// JSONata's "undefined"). It is evaluated with tight limits and a few bound variables, and the
// result is serialised; none of that may crash, trip a sanitizer, leak or hang. Errors (any
// JsonataError with a code or a message) are fine. See tests/fuzz/README.md.
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "engine/json/json_parse.h"
#include "engine/json/json_value.h"
#include "engine/jsonata/jsonata.h"

namespace json = sluice::engine::json;
namespace jsonata = sluice::engine::jsonata;

namespace {

// The variables every evaluation sees: $states as Step Functions binds it, and a few plain ones
// the seed corpus uses (tests/jsonata/corpus: "bindings" and "bind_docs").
constexpr std::string_view kBindings = R"({
  "states": {
    "input": {"orderId": "ord-42", "customer": {"name": "María", "vip": true},
              "items": [{"id": "i1", "price": 10, "quantity": 2},
                        {"id": "i2", "price": 2.5, "quantity": 4}],
              "timestamp": "2024-11-26T10:00:00Z", "payload": "{\"a\":1,\"b\":[true,null]}"},
    "result": {"StatusCode": 200, "Payload": {"approved": true, "score": 0.87}},
    "errorOutput": {"Error": "States.TaskFailed", "Cause": "{\"errorMessage\":\"boom\"}"},
    "context": {"Execution": {"Id": "arn:aws:states:us-east-1:123456789012:execution:O:r",
                              "Name": "r", "StartTime": "2024-11-26T09:59:58.123Z"},
                "State": {"Name": "Price", "RetryCount": 1},
                "Map": {"Item": {"Index": 2, "Value": {"id": "i3"}}}}
  },
  "x": {"a": [1, 2]},
  "list": [1, 2, 3],
  "cfg": {"rate": 1.5},
  "greeting": "Hola",
  "chunk": 3,
  "discount": 0.1,
  "v": null
})";

class FuzzBindings final : public jsonata::Bindings {
 public:
  FuzzBindings() {
    auto parsed = json::parse(kBindings);
    if (!parsed.ok()) __builtin_trap();
    values_ = std::move(parsed).value();
  }
  const json::Value* find(std::string_view name) const override {
    return values_.as_object().find(name);
  }

 private:
  json::Value values_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  static const FuzzBindings bindings;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::string_view expression = bytes;
  std::optional<json::Value> input;
  if (auto nl = bytes.find('\n'); nl != std::string_view::npos) {
    expression = bytes.substr(0, nl);
    auto parsed = json::parse(bytes.substr(nl + 1));
    if (parsed.ok()) input = std::move(parsed).value();
  }

  auto compiled = jsonata::Expression::compile(expression);
  if (!compiled.ok()) return 0;
  // Step Functions' limits (engine/asl/jsonata_template.cpp): what the broker really runs.
  jsonata::Limits limits;
  limits.max_depth = 1000;
  limits.time_limit_ms = 1000;
  // A quarter of the default memory budget (Step Functions'): under ASan (redzones, quarantine) a
  // full one could come close to tools/fuzz's -rss_limit_mb by itself. What escapes it still shows.
  limits.max_memory_bytes = std::size_t{128} << 20;
  // A fixed clock and seed: $now, $random, $uuid and $shuffle replay alike from a reproducer.
  limits.now_ms = 1732615200000;  // 2024-11-26T10:00:00Z
  limits.random_seed = 42;
  auto result = compiled->evaluate(input ? &*input : nullptr, &bindings, limits);
  if (result.ok()) {
    if (*result) {
      std::string text = jsonata::to_json_text(**result);
      (void)text;
    }
  } else if (result.error().code.empty() && result.error().message.empty()) {
    // A JavaScript TypeError/RangeError of the reference has no code (format/format_error.h),
    // but every error says something.
    __builtin_trap();
  }
  return 0;
}
