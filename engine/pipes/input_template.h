// InputTemplate: an EventBridge Pipes input transformer (PipeTargetParameters.InputTemplate and
// PipeEnrichmentParameters.InputTemplate), compiled once at CreatePipe/UpdatePipe and rendered for
// every event the pipe passes on.
//
// Sources, cited below by tag:
//  [PIT] EventBridge User Guide, "Amazon EventBridge Pipes input transformation"
//        (eb-pipes-input-transformation): template kinds, reserved variables, supported JSONPath
//        syntax, implicit body data parsing, the quoting note.
//  [RIT] EventBridge User Guide, "Amazon EventBridge input transformation" (eb-transform-target-
//        input) and the EventBridge API reference "InputTransformer": the same transformer for
//        rules, whose examples show the quoting rules in more detail.
//  [API] Pipes API reference, PipeTargetParameters / PipeEnrichmentParameters: InputTemplate is a
//        string of 0 to 8192 characters; "To remove an input template, specify an empty string".
//  [SQS] EventBridge User Guide, "Amazon SQS as a source" (eb-pipes-sqs): the record shape
//        (messageId, body, attributes, ..., "eventSource": "aws:sqs").
//  [OBS] Observed AWS behaviour recorded by others (LocalStack's AWS-validated snapshots of rule
//        transformers; a public Q&A on Pipes list formatting), used where the guides are silent.
//
// Placeholders. "<$...>" is a JSONPath into the event; "<aws.pipes.NAME>" is a reserved
// variable: pipe-arn, pipe-name, source-arn, enrichment-arn, target-arn, event.ingestion-time,
// event, event.json [PIT]. Any other "<...>" (an HTML tag, an unknown aws.pipes name, a "<" with
// no ">", one holding a quote or a line break) is literal text: a template is free text [PIT],
// and "<"/">" cannot be escaped [RIT].
//
// Paths. The syntax AWS supports [PIT]: "$", then ".name" (letters, digits, "-", "_", "/"; other
// characters are accepted too), "[n]" (negative counts from the end), ".*"/"[*]"; also "['name']".
// A dot segment of digits indexes an array as well as naming a member ("$.L.0.S" [OBS]). A
// placeholder ends at the first ">", so a path cannot contain one. A path with a wildcard selects a
// list and renders as a JSON array of its matches. Paths are evaluated at run time and not
// validated at create time [PIT][RIT]: a path AWS does not support (filters, slices, "..") matches
// nothing.
//
// Implicit body parsing [PIT]. For an SQS record ([SQS]: an object with "eventSource": "aws:sqs"
// and a string "body"), a body that is valid JSON is decoded before paths are evaluated, so
// "<$.body.orderId>" works; a body that is not JSON stays a string and paths into it find nothing
// (SQS bodies are never base64-encoded [PIT]). The decoded body keeps the sender's text: "<$.body>"
// as a JSON value inserts it as sent (trimmed), so numbers and spacing survive the pipe.
//
// Template kinds and quoting. A template whose first non-whitespace character is "{", "[" or '"'
// is a JSON template [RIT: "If InputTemplate is a JSON object"; extended to any JSON text because
// [PIT] says the transformer works "to ensure a valid JSON output"]; anything else is a text
// template ("Hello, sender", "<$.body>") [PIT]. A JSON template is scanned as JSON text, so each
// placeholder is either a bare value or inside a string literal:
//  - bare value: the JSON form of the value. Strings are quoted ("instance" : <...> gives
//    "instance" : "i-0123456789" [PIT][RIT]); numbers, booleans and null as written; objects and
//    arrays as JSON ("do not put quotes around variables that refer to JSON objects or arrays",
//    wrap "<$.data>" as {"data": <$.data>} [PIT]).
//  - inside a string literal ("Hello, <$.x>", "instance \"<instance>\" is in <state>" [RIT]): the
//    value's text (a string without its quotes, a number as written), JSON-escaped so the output
//    stays valid JSON [PIT: "to ensure a valid JSON output"]; quotes and newlines become \" and \n.
//  - objects and arrays outside a value position lose their quotes: the documented result of
//    "<$.body>" on the body {"key": "value"} is {key: value} [PIT]. This applies in text templates
//    and inside string literals (where [PIT] says not to quote object variables).
// A text template inserts values as text, unescaped (the string-literal rule without escaping).
//
// Values. <aws.pipes.event> is the event as received, as a string (its JSON text: escaped where it
// goes); <aws.pipes.event.json> is the event as JSON with the body decoded, and has no value when
// the payload is not JSON [PIT]. <aws.pipes.event.ingestion-time> is an ISO 8601 timestamp [PIT];
// the guide shows no sample, so it is written like an EventBridge event's "time" field, UTC to the
// second (2015-11-11T21:29:54Z). A path that matches nothing,
// or a variable without a value (no enrichment ARN, event.json of a non-JSON payload), is an empty
// string: "" as a bare value, nothing inside a string [OBS: rule transformers render a missing
// bare variable as ""].
//
// Validity. CreatePipe rejects only what the model constrains: more than 8192 characters [API].
// The rendered text is not always JSON (a text template, or a JSON template that is not valid
// JSON, like the two "JSON" examples in [PIT] with a missing and a trailing comma); targets that
// need JSON (Lambda, Step Functions, event bus [PIT]) fail the event then, so render reports
// whether the text is one well-formed JSON value and the caller decides per target. (JSON here is
// what json::parse accepts: an integer beyond 64 bits makes text "not JSON", and such a body is
// not decoded.)
//
// A compiled InputTemplate is immutable and may be shared by any number of threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/json/json_value.h"
#include "storage/result.h"

namespace sluice::engine::pipes {

// The values of the reserved variables. Empty strings are variables without a value (a pipe with
// no enrichment has no enrichment ARN).
struct TemplateContext {
  std::string pipe_arn, pipe_name, source_arn, enrichment_arn, target_arn;
  int64_t ingestion_time_ms = 0;  // when the transformer received the event, Unix epoch ms
};

struct RenderedInput {
  std::string text;
  bool is_json = false;  // text is exactly one well-formed JSON value
};

struct TemplatePiece;  // a literal run and the placeholder after it, internal to the .cpp
struct TemplateEvent;  // the event being rendered, internal to the .cpp

class InputTemplate {
 public:
  static constexpr std::size_t kMaxLength = 8192;  // characters [API]

  // field names the member in the error message ("targetParameters.inputTemplate" or
  // "enrichmentParameters.inputTemplate"). Fails with kInvalidParameterValue when the text is
  // longer than kMaxLength characters. An empty text compiles; it means "no template" [API] and
  // the caller passes events through unchanged instead of rendering it.
  static Result<InputTemplate> compile(std::string_view text,
                                       std::string_view field = "targetParameters.inputTemplate");

  InputTemplate();
  ~InputTemplate();
  InputTemplate(const InputTemplate&);
  InputTemplate(InputTemplate&&) noexcept;
  InputTemplate& operator=(const InputTemplate&);
  InputTemplate& operator=(InputTemplate&&) noexcept;

  const std::string& text() const { return text_; }
  bool empty() const { return text_.empty(); }
  bool is_json_template() const { return json_template_; }

  // Renders for one event that is JSON (an SQS record from the source, or what the enrichment
  // returned when that was JSON). Never fails: validity is reported, not enforced.
  RenderedInput render(const json::Value& event, const TemplateContext& ctx) const;
  // Renders for a payload that is not JSON (an enrichment may return any text [PIT]): paths and
  // <aws.pipes.event.json> have no value, <aws.pipes.event> is the text itself.
  RenderedInput render_raw(std::string_view payload, const TemplateContext& ctx) const;

 private:
  RenderedInput render_with(const TemplateEvent& ev, const TemplateContext& ctx) const;

  std::string text_;
  std::vector<TemplatePiece> pieces_;
  std::size_t literal_bytes_ = 0;  // sum of the literal runs: the output's minimum size
  bool json_template_ = false;
  bool decodes_body_ = false;      // some placeholder can see the SQS body
  bool static_json_ = false;       // every rendering is valid JSON (when !dynamic_validity_)
  bool dynamic_validity_ = false;  // validity depends on the values: parse the output
};

}  // namespace sluice::engine::pipes
