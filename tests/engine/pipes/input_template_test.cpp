#include "engine/pipes/input_template.h"

#include <gtest/gtest.h>

#include <string>

#include "engine/json/json_parse.h"
#include "engine/json/json_serialize.h"

namespace sluice::engine::pipes {
namespace {

using json::Value;

Value doc(std::string_view text) {
  auto v = json::parse(text);
  EXPECT_TRUE(v.ok()) << text;
  return v.ok() ? std::move(v).value() : Value();
}

InputTemplate compile(std::string_view text) {
  auto t = InputTemplate::compile(text);
  EXPECT_TRUE(t.ok()) << (t.ok() ? "" : t.error().message);
  return t.ok() ? std::move(t).value() : InputTemplate();
}

// 2015-11-11T21:29:54.321Z: the EC2 sample event's time, plus milliseconds that must not show.
constexpr int64_t kIngestionMs = 1447277394321;

TemplateContext context() {
  TemplateContext c;
  c.pipe_arn = "arn:aws:pipes:us-east-1:123456789012:pipe/example";
  c.pipe_name = "example";
  c.source_arn = "arn:aws:sqs:us-east-2:123456789012:my-queue";
  c.target_arn = "arn:aws:states:us-east-2:123456789012:stateMachine:sm";
  c.ingestion_time_ms = kIngestionMs;
  return c;
}

// The standard-queue record of "Amazon SQS as a source", with the given body.
Value sqs_record(std::string_view body) {
  Value v = doc(R"J({
    "messageId": "059f36b4-87a3-44ab-83d2-661975830a7d",
    "receiptHandle": "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a...",
    "body": "",
    "attributes": {
      "ApproximateReceiveCount": "1",
      "SentTimestamp": "1545082649183",
      "SenderId": "AIDAIENQZJOLO23YVJ4VO",
      "ApproximateFirstReceiveTimestamp": "1545082649185"
    },
    "messageAttributes": {},
    "md5OfBody": "e4e68fb7bd0e697a0ae8f1bb342846b3",
    "eventSource": "aws:sqs",
    "eventSourceARN": "arn:aws:sqs:us-east-2:123456789012:my-queue",
    "awsRegion": "us-east-2"
  })J");
  v.as_object().set("body", Value(body));
  return v;
}

RenderedInput render(std::string_view tmpl, const Value& event) {
  return compile(tmpl).render(event, context());
}

std::string text(std::string_view tmpl, const Value& event) {
  return render(tmpl, event).text;
}

// --- The examples of "Amazon EventBridge Pipes input transformation", on its SQS record. ---

TEST(InputTemplateDocs, StaticString) {
  auto t = compile(R"("Hello, sender")");
  EXPECT_TRUE(t.is_json_template());
  auto out = t.render(sqs_record("Test message."), context());
  EXPECT_EQ(out.text, R"("Hello, sender")");
  EXPECT_TRUE(out.is_json);
}

TEST(InputTemplateDocs, JsonPathAlone) {
  auto t = compile("<$.attributes.SenderId>");
  EXPECT_FALSE(t.is_json_template());
  auto out = t.render(sqs_record("Test message."), context());
  EXPECT_EQ(out.text, "AIDAIENQZJOLO23YVJ4VO");
  EXPECT_FALSE(out.is_json);
}

TEST(InputTemplateDocs, DynamicString) {
  auto out = render(R"("Hello, <$.attributes.SenderId>")", sqs_record("Test message."));
  EXPECT_EQ(out.text, R"("Hello, AIDAIENQZJOLO23YVJ4VO")");
  EXPECT_TRUE(out.is_json);
}

TEST(InputTemplateDocs, StaticJsonWithTrailingCommaIsPassedOnButNotJson) {
  const char* tmpl =
      "{\n  \"key1\": \"value1\",\n  \"key2\": \"value2\",\n  \"key3\": \"value3\",\n}";
  auto out = render(tmpl, sqs_record("x"));
  EXPECT_EQ(out.text, tmpl);
  EXPECT_FALSE(out.is_json);
}

TEST(InputTemplateDocs, DynamicJson) {
  Value rec = sqs_record(R"({"key": "the value"})");
  // As printed in the guide (no comma after "value1"): filled in, but not JSON.
  auto out = render(
      "{\n  \"key1\": \"value1\"\n  \"key2\": <$.body.key>,\n  \"d\": "
      "<aws.pipes.event.ingestion-time>\n}",
      rec);
  EXPECT_EQ(out.text,
            "{\n  \"key1\": \"value1\"\n  \"key2\": \"the value\",\n  \"d\": "
            "\"2015-11-11T21:29:54Z\"\n}");
  EXPECT_FALSE(out.is_json);
  // With the comma it is JSON.
  out = render(R"({"key1": "value1", "key2": <$.body.key>, "d": <aws.pipes.event.ingestion-time>})",
               rec);
  EXPECT_TRUE(out.is_json);
  EXPECT_EQ(doc(out.text),
            doc(R"({"key1":"value1","key2":"the value","d":"2015-11-11T21:29:54Z"})"));
}

TEST(InputTemplateDocs, SquareBracketArrayItem) {
  Value rec = sqs_record(R"({"Records": [{"n": 0}, {"n": 1}, {"n": 2}, {"n": 3, "s": "x"}]})");
  auto out = render(R"({"key1": "value1", "key2": <$.body.Records[3]>})", rec);
  EXPECT_EQ(out.text, R"({"key1": "value1", "key2": {"n":3,"s":"x"}})");
  EXPECT_TRUE(out.is_json);
}

// "Input transform example": the EC2 sample event and its transformer, with the documented output
// (originalEvent, elided in the guide, is the event itself).
TEST(InputTemplateDocs, InputTransformExample) {
  const char* event_text = R"J({
    "version": "0",
    "id": "7bf73129-1428-4cd3-a780-95db273d1602",
    "detail-type": "EC2 Instance State-change Notification",
    "source": "aws.ec2",
    "account": "123456789012",
    "time": "2015-11-11T21:29:54Z",
    "region": "us-east-1",
    "resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"],
    "detail": {"instance-id": "i-0123456789", "state": "RUNNING"}
  })J";
  Value event = doc(event_text);
  TemplateContext c = context();
  c.pipe_arn = "arn:aws:pipe:us-east-1:123456789012:pipe/example";
  auto t = compile(R"({
  "instance" : <$.detail.instance-id>,
  "state": <$.detail.state>,
  "pipeArn" : <aws.pipes.pipe-arn>,
  "pipeName" : <aws.pipes.pipe-name>,
  "originalEvent" : <aws.pipes.event.json>
})");
  auto out = t.render(event, c);
  EXPECT_EQ(out.text, R"({
  "instance" : "i-0123456789",
  "state": "RUNNING",
  "pipeArn" : "arn:aws:pipe:us-east-1:123456789012:pipe/example",
  "pipeName" : "example",
  "originalEvent" : )" + json::serialize(event) +
                          "\n}");
  ASSERT_TRUE(out.is_json);
  EXPECT_EQ(doc(out.text).as_object().find("originalEvent")->as_object(), event.as_object());
}

// "Implicit body data parsing": <$.body> alone drops the quotes of a JSON body ({"key": "value"}
// becomes {key: value}), which a target needing JSON cannot take; wrapping it keeps it JSON.
TEST(InputTemplateDocs, ImplicitBodyParsingQuotesRemovedUnlessWrapped) {
  Value rec = sqs_record(R"({"key": "value"})");
  auto alone = render("<$.body>", rec);
  EXPECT_EQ(alone.text, "{key: value}");
  EXPECT_FALSE(alone.is_json);
  auto wrapped = render(R"({"data": <$.body>})", rec);
  EXPECT_EQ(wrapped.text, R"({"data": {"key": "value"}})");
  EXPECT_TRUE(wrapped.is_json);
}

// --- The rule transformer's documented examples [RIT], with Pipes paths. ---

Value ec2_event() {
  return doc(R"J({"time": "2015-11-11T21:29:54Z",
                  "detail": {"instance-id": "i-0123456789", "state": "RUNNING"}})J");
}

TEST(InputTemplateDocs, RuleSimpleString) {
  EXPECT_EQ(text(R"("instance <$.detail.instance-id> is in <$.detail.state>")", ec2_event()),
            R"("instance i-0123456789 is in RUNNING")");
}

TEST(InputTemplateDocs, RuleStringWithEscapedQuotes) {
  auto out = render(R"("instance \"<$.detail.instance-id>\" is in <$.detail.state>")", ec2_event());
  EXPECT_EQ(out.text, R"("instance \"i-0123456789\" is in RUNNING")");
  EXPECT_TRUE(out.is_json);
}

TEST(InputTemplateDocs, RuleJsonWithStringsAndVariables) {
  auto out = render(R"({
 "instance" : <$.detail.instance-id>,
 "state": "<$.detail.state>",
 "instanceStatus": "instance \"<$.detail.instance-id>\" is in <$.detail.state>"
})",
                    ec2_event());
  EXPECT_EQ(out.text, R"({
 "instance" : "i-0123456789",
 "state": "RUNNING",
 "instanceStatus": "instance \"i-0123456789\" is in RUNNING"
})");
  EXPECT_TRUE(out.is_json);
}

TEST(InputTemplateDocs, RuleMixOfVariablesAndStaticInformation) {
  auto out = render(
      R"({"instance" : <$.detail.instance-id>, "state": [ 9, <$.detail.state>, true ], "Transformed" : "Yes"})",
      ec2_event());
  EXPECT_EQ(
      out.text,
      R"({"instance" : "i-0123456789", "state": [ 9, "RUNNING", true ], "Transformed" : "Yes"})");
  EXPECT_TRUE(out.is_json);
}

TEST(InputTemplateDocs, RuleReservedVariableInString) {
  auto out = render(R"("<aws.pipes.pipe-name> triggered")", ec2_event());
  EXPECT_EQ(out.text, R"("example triggered")");
  EXPECT_TRUE(out.is_json);
}

// A public Q&A on Pipes: list items picked by index, each quoted as a bare value.
TEST(InputTemplateDocs, ListItemsByDottedIndex) {
  Value ddb = doc(R"J({"dynamodb": {"NewImage": {
      "username": {"S": "testuser"},
      "roles": {"L": [{"S": "admin"}, {"S": "otherrole"}]}}}})J");
  EXPECT_EQ(
      text(
          R"({"username": <$.dynamodb.NewImage.username.S>, "roles": [<$.dynamodb.NewImage.roles.L.0.S>,<$.dynamodb.NewImage.roles.L.1.S>]})",
          ddb),
      R"({"username": "testuser", "roles": ["admin","otherrole"]})");
  EXPECT_EQ(text(R"({"roles": <$.dynamodb.NewImage.roles.L>})", ddb),
            R"({"roles": [{"S":"admin"},{"S":"otherrole"}]})");
}

// --- Reserved variables ---

TEST(InputTemplateVariables, EveryStringVariableInEverySlot) {
  TemplateContext c = context();
  c.enrichment_arn = "arn:aws:lambda:us-east-2:123456789012:function:enrich";
  Value rec = sqs_record("m");
  struct Case {
    const char* name;
    std::string value;
  } cases[] = {
      {"aws.pipes.pipe-arn", c.pipe_arn},
      {"aws.pipes.pipe-name", c.pipe_name},
      {"aws.pipes.source-arn", c.source_arn},
      {"aws.pipes.enrichment-arn", c.enrichment_arn},
      {"aws.pipes.target-arn", c.target_arn},
      {"aws.pipes.event.ingestion-time", "2015-11-11T21:29:54Z"},
  };
  for (const auto& k : cases) {
    std::string var = std::string("<") + k.name + ">";
    auto bare = compile("{\"v\": " + var + "}").render(rec, c);
    EXPECT_EQ(bare.text, "{\"v\": \"" + k.value + "\"}") << k.name;
    EXPECT_TRUE(bare.is_json) << k.name;
    auto quoted = compile("{\"v\": \"[" + var + "]\"}").render(rec, c);
    EXPECT_EQ(quoted.text, "{\"v\": \"[" + k.value + "]\"}") << k.name;
    auto plain = compile("at " + var + ".").render(rec, c);
    EXPECT_EQ(plain.text, "at " + k.value + ".") << k.name;
  }
}

TEST(InputTemplateVariables, VariableWithoutValueIsEmpty) {
  Value rec = sqs_record("m");  // context() has no enrichment
  auto out =
      render(R"({"e": <aws.pipes.enrichment-arn>, "s": "[<aws.pipes.enrichment-arn>]"})", rec);
  EXPECT_EQ(out.text, R"({"e": "", "s": "[]"})");
  EXPECT_TRUE(out.is_json);
}

TEST(InputTemplateVariables, IngestionTimeIsIso8601InUtc) {
  auto t = compile("<aws.pipes.event.ingestion-time>");
  TemplateContext c = context();
  Value e = doc("{}");
  struct {
    int64_t ms;
    const char* want;
  } cases[] = {
      {0, "1970-01-01T00:00:00Z"},
      {999, "1970-01-01T00:00:00Z"},
      {1709251199999, "2024-02-29T23:59:59Z"},
      {951868800000, "2000-03-01T00:00:00Z"},
      {-1, "1969-12-31T23:59:59Z"},
      {4102444800000, "2100-01-01T00:00:00Z"},
  };
  for (const auto& k : cases) {
    c.ingestion_time_ms = k.ms;
    EXPECT_EQ(t.render(e, c).text, k.want) << k.ms;
  }
}

TEST(InputTemplateVariables, EventIsTheRecordAsAString) {
  Value rec = sqs_record(R"({"a": 1})");
  auto out = render(R"({"raw": <aws.pipes.event>})", rec);
  ASSERT_TRUE(out.is_json) << out.text;
  Value parsed = doc(out.text);
  const Value* raw = parsed.as_object().find("raw");
  ASSERT_TRUE(raw != nullptr && raw->is_string());
  // The body stays the string it was: this variable is the event as received.
  EXPECT_EQ(doc(raw->as_string()), rec);
  EXPECT_EQ(text("<aws.pipes.event>", rec), json::serialize(rec));
  // Inside a string literal it is escaped, so the result is still JSON.
  auto in_string = render(R"({"s": "event=<aws.pipes.event>"})", rec);
  ASSERT_TRUE(in_string.is_json) << in_string.text;
  EXPECT_EQ(doc(in_string.text).as_object().find("s")->as_string(),
            "event=" + json::serialize(rec));
}

TEST(InputTemplateVariables, EventJsonHasTheBodyDecoded) {
  Value rec = sqs_record(R"({"orderId": "o-1", "n": [1, 2]})");
  auto out = render(R"({"e": <aws.pipes.event.json>})", rec);
  ASSERT_TRUE(out.is_json) << out.text;
  Value e = *doc(out.text).as_object().find("e");
  EXPECT_EQ(*e.as_object().find("body"), doc(R"({"orderId": "o-1", "n": [1, 2]})"));
  EXPECT_EQ(*e.as_object().find("messageId"), Value("059f36b4-87a3-44ab-83d2-661975830a7d"));
  EXPECT_EQ(e.as_object().size(), rec.as_object().size());
  // A body that is not JSON stays a string.
  out = render(R"({"e": <aws.pipes.event.json>})", sqs_record("plain text"));
  ASSERT_TRUE(out.is_json);
  EXPECT_EQ(*doc(out.text).as_object().find("e")->as_object().find("body"), Value("plain text"));
}

TEST(InputTemplateVariables, UnknownReservedNameIsLiteralText) {
  Value rec = sqs_record("m");
  EXPECT_EQ(text(R"({"x": "<aws.pipes.nope>", "n": <aws.pipes.pipe-name>})", rec),
            R"({"x": "<aws.pipes.nope>", "n": "example"})");
  EXPECT_EQ(text("<aws.pipes.Pipe-Name>", rec), "<aws.pipes.Pipe-Name>");
}

// --- Quoting: bare values, string literals, text templates ---

Value typed() {
  return doc(R"J({"s": "say \"hi\"\nbye\\", "i": 42, "d": 2.5, "t": true, "f": false, "z": null,
                  "o": {"k": "v", "n": 1}, "a": ["x", 2, {"y": null}], "e": ""})J");
}

TEST(InputTemplateQuoting, BareValuesAreJson) {
  auto out = render(
      R"({"s": <$.s>, "i": <$.i>, "d": <$.d>, "t": <$.t>, "f": <$.f>, "z": <$.z>, "o": <$.o>, "a": <$.a>, "e": <$.e>})",
      typed());
  EXPECT_EQ(
      out.text,
      R"({"s": "say \"hi\"\nbye\\", "i": 42, "d": 2.5, "t": true, "f": false, "z": null, "o": {"k":"v","n":1}, "a": ["x",2,{"y":null}], "e": ""})");
  ASSERT_TRUE(out.is_json);
  EXPECT_EQ(doc(out.text), typed());
}

TEST(InputTemplateQuoting, InsideStringLiteralsValuesAreEscapedText) {
  auto out = render(
      R"({"s": "<$.s>", "i": "#<$.i>", "d": "<$.d>", "t": "<$.t>", "z": "<$.z>", "o": "o=<$.o>", "a": "<$.a>"})",
      typed());
  EXPECT_EQ(
      out.text,
      R"({"s": "say \"hi\"\nbye\\", "i": "#42", "d": "2.5", "t": "true", "z": "null", "o": "o={k:v,n:1}", "a": "[x,2,{y:null}]"})");
  ASSERT_TRUE(out.is_json);
  EXPECT_EQ(doc(out.text).as_object().find("s")->as_string(), "say \"hi\"\nbye\\");
}

TEST(InputTemplateQuoting, ObjectTextInsideStringLiteralsIsEscapedToo) {
  // The object's text is its JSON without quotes, escapes and all; in a string literal that text
  // is escaped again, so the output stays JSON and decodes back to it.
  Value v = doc(R"J({"o": {"p": "a\nb\\c"}})J");
  auto out = render(R"({"s": "<$.o>"})", v);
  EXPECT_EQ(out.text, R"({"s": "{p:a\\nb\\\\c}"})");
  ASSERT_TRUE(out.is_json);
  EXPECT_EQ(doc(out.text).as_object().find("s")->as_string(), R"({p:a\nb\\c})");
  EXPECT_EQ(text("<$.o>", v), R"({p:a\nb\\c})");
}

TEST(InputTemplateQuoting, ControlCharactersAreEscapedInStrings) {
  Value v = doc(R"J({"c": "a\tb\u0001c\r"})J");
  auto out = render(R"({"c": "<$.c>"})", v);
  EXPECT_EQ(out.text, R"({"c": "a\tb\u0001c\r"})");
  EXPECT_TRUE(out.is_json);
}

TEST(InputTemplateQuoting, TextTemplatesInsertValuesUnescaped) {
  auto out = render("s=<$.s> i=<$.i> d=<$.d> t=<$.t> z=<$.z> o=<$.o> a=<$.a> e=[<$.e>]", typed());
  EXPECT_EQ(out.text,
            "s=say \"hi\"\nbye\\ i=42 d=2.5 t=true z=null o={k:v,n:1} a=[x,2,{y:null}] e=[]");
  EXPECT_FALSE(out.is_json);
}

TEST(InputTemplateQuoting, EscapedQuotesInTemplateLiteralsDoNotEndTheString) {
  // The \" before <$.i> keeps the scan inside the string: the value is text, not a bare value.
  auto out = render(R"({"m": "a \"<$.i>\" b", "v": <$.i>})", typed());
  EXPECT_EQ(out.text, R"({"m": "a \"42\" b", "v": 42})");
  EXPECT_TRUE(out.is_json);
  // An escaped backslash before the closing quote does end it.
  out = render(R"({"m": "dir\\", "v": <$.s>})", typed());
  EXPECT_EQ(out.text, R"({"m": "dir\\", "v": "say \"hi\"\nbye\\"})");
  EXPECT_TRUE(out.is_json);
}

TEST(InputTemplateQuoting, TopLevelArrayTemplateIsJson) {
  auto t = compile(R"([<$.s>, "<$.i>", <$.o>])");
  EXPECT_TRUE(t.is_json_template());
  auto out = t.render(typed(), context());
  EXPECT_EQ(out.text, R"(["say \"hi\"\nbye\\", "42", {"k":"v","n":1}])");
  EXPECT_TRUE(out.is_json);
}

TEST(InputTemplateQuoting, LeadingWhitespaceBeforeJson) {
  auto t = compile("\n  {\"a\": <$.i>}\n");
  EXPECT_TRUE(t.is_json_template());
  auto out = t.render(typed(), context());
  EXPECT_EQ(out.text, "\n  {\"a\": 42}\n");
  EXPECT_TRUE(out.is_json);
}

// --- Paths that match nothing ---

TEST(InputTemplateMissing, BareIsEmptyStringInStringIsNothing) {
  auto out =
      render(R"({"a": <$.nope>, "b": "x<$.nope>y", "c": <$.o.k.deeper>, "d": <$.a[9]>})", typed());
  EXPECT_EQ(out.text, R"({"a": "", "b": "xy", "c": "", "d": ""})");
  EXPECT_TRUE(out.is_json);
  EXPECT_EQ(text("[<$.nope>]", typed()), R"([""])");
  EXPECT_EQ(text("x<$.nope>y", typed()), "xy");
}

TEST(InputTemplateMissing, UnsupportedPathSyntaxMatchesNothing) {
  Value v = doc(R"({"a": [{"b": 1}, {"b": 2}], "c": {"d": 3}})");
  for (const char* path : {"$..b", "$.a[?(@.b == 1)]", "$.a[0:1]", "$.a[0,1]", "$.", "$c", "$.a[x]",
                           "$.a[", "$.a[0]x"}) {
    auto out = render(std::string("{\"v\": <") + path + ">}", v);
    EXPECT_EQ(out.text, "{\"v\": \"\"}") << path;
  }
  // A placeholder ends at the first ">" (which cannot be escaped [RIT]): the rest is literal.
  auto out = render(R"({"v": <$.a[?(@.b > 1)]>})", v);
  EXPECT_EQ(out.text, R"({"v": "" 1)]>})");
  EXPECT_FALSE(out.is_json);
}

// --- SQS body parsing ---

TEST(InputTemplateBody, JsonBodyIsDecodedForPaths) {
  Value rec = sqs_record(R"({"orderId": "o-17", "items": [{"sku": "a", "qty": 2}], "ok": true})");
  auto out = render(
      R"({"id": <$.body.orderId>, "sku": <$.body.items[0].sku>, "qty": <$.body.items.0.qty>, "ok": <$.body.ok>, "msg": "order <$.body.orderId>"})",
      rec);
  EXPECT_EQ(out.text, R"({"id": "o-17", "sku": "a", "qty": 2, "ok": true, "msg": "order o-17"})");
  EXPECT_TRUE(out.is_json);
}

TEST(InputTemplateBody, BodyThatIsNotJsonStaysAString) {
  Value rec = sqs_record("Test message.");
  EXPECT_EQ(text(R"({"b": <$.body>, "k": <$.body.key>})", rec),
            R"({"b": "Test message.", "k": ""})");
  EXPECT_EQ(text("<$.body>", rec), "Test message.");
  // Almost JSON is not JSON.
  rec = sqs_record(R"({"key": "value")");
  EXPECT_EQ(text(R"({"b": <$.body>, "k": <$.body.key>})", rec),
            R"({"b": "{\"key\": \"value\"", "k": ""})");
}

TEST(InputTemplateBody, BodyGoesInAsTheSenderWroteIt) {
  Value rec = sqs_record(" {\"n\": 1.10, \"s\": \"x\"}\n");
  // As a bare value the body's own text (trimmed): 1.10 survives.
  EXPECT_EQ(text(R"({"data": <$.body>})", rec), R"({"data": {"n": 1.10, "s": "x"}})");
  // Values inside it are re-serialized like any other.
  EXPECT_EQ(text(R"({"n": <$.body.n>})", rec), R"({"n": 1.1})");
  // So does the body inside <aws.pipes.event.json>.
  std::string ev = text("{\"e\": <aws.pipes.event.json>}", rec);
  EXPECT_NE(ev.find(R"("body":{"n": 1.10, "s": "x"})"), std::string::npos) << ev;
}

TEST(InputTemplateBody, JsonScalarBodies) {
  EXPECT_EQ(text(R"({"b": <$.body>})", sqs_record("42")), R"({"b": 42})");
  EXPECT_EQ(text(R"({"b": <$.body>})", sqs_record(R"("quoted")")), R"({"b": "quoted"})");
  EXPECT_EQ(text(R"({"b": "<$.body>"})", sqs_record(R"("quoted")")), R"({"b": "quoted"})");
  EXPECT_EQ(text("<$.body>", sqs_record(R"("quoted")")), "quoted");
  EXPECT_EQ(text(R"({"b": <$.body>})", sqs_record("[1, 2]")), R"({"b": [1, 2]})");
}

TEST(InputTemplateBody, JsonBodyInsideAStringLiteralLosesItsQuotes) {
  auto out = render(R"({"b": "body=<$.body>"})", sqs_record(R"({"key": "va\"l"})"));
  EXPECT_EQ(out.text, R"({"b": "body={key: val}"})");
  EXPECT_TRUE(out.is_json);
}

TEST(InputTemplateBody, OnlySqsRecordsAreDecoded) {
  // An event that is not an SQS record (an enrichment's answer, say) keeps its strings.
  Value other = doc(R"({"body": "{\"key\": \"v\"}"})");
  EXPECT_EQ(text(R"({"k": <$.body.key>, "b": <$.body>})", other),
            R"({"k": "", "b": "{\"key\": \"v\"}"})");
  // Nested strings of an SQS record are not decoded either, only its body.
  Value rec = sqs_record(R"({"inner": "{\"x\": 1}"})");
  EXPECT_EQ(text(R"({"x": <$.body.inner.x>})", rec), R"({"x": ""})");
}

TEST(InputTemplateBody, RootAndWildcardSeeTheDecodedBody) {
  Value rec = sqs_record(R"({"k": "v"})");
  auto out = render(R"({"all": <$>})", rec);
  ASSERT_TRUE(out.is_json) << out.text;
  EXPECT_EQ(*doc(out.text).as_object().find("all")->as_object().find("body"), doc(R"({"k":"v"})"));
  EXPECT_EQ(text(R"({"ks": <$.*.k>})", rec), R"({"ks": ["v"]})");
}

// --- Paths ---

TEST(InputTemplatePaths, NamesIndexesAndNesting) {
  Value v = doc(R"J({"a": {"b": [{"c": "first"}, {"c": "second"}]},
                     "detail-type": "dash", "snake_case": "under", "x/y": "slash",
                     "with space": "sp", "0": "zero-key", "m": [[1, 2], [3, 4]]})J");
  EXPECT_EQ(
      text(
          R"([<$.a.b[0].c>, <$.a.b.1.c>, <$.a.b[-1].c>, <$.detail-type>, <$.snake_case>, <$.x/y>, <$['with space']>, <$.0>, <$.m[1][0]>, <$.m.0.1>])",
          v),
      R"(["first", "second", "second", "dash", "under", "slash", "sp", "zero-key", 3, 2])");
  EXPECT_EQ(text(R"({"v": <$.a.b[2].c>, "w": <$.a.b[-3]>})", v), R"({"v": "", "w": ""})");
}

TEST(InputTemplatePaths, WildcardsSelectLists) {
  Value v =
      doc(R"({"items": [{"id": "a", "n": 1}, {"id": "b"}, {"n": 3}], "o": {"x": 1, "y": 2}})");
  EXPECT_EQ(text(R"({"ids": <$.items[*].id>, "ns": <$.items.*.n>, "vals": <$.o.*>})", v),
            R"({"ids": ["a","b"], "ns": [1,3], "vals": [1,2]})");
  EXPECT_EQ(text(R"({"none": <$.items[*].zzz>})", v), R"({"none": []})");
  EXPECT_EQ(text(R"({"s": "ids=<$.items[*].id>"})", v), R"({"s": "ids=[a,b]"})");
  EXPECT_EQ(text("ids=<$.items[*].id>", v), "ids=[a,b]");
}

TEST(InputTemplatePaths, RootIsTheWholeEvent) {
  Value v = doc(R"({"a": [1, "x"]})");
  EXPECT_EQ(text(R"({"e": <$>})", v), R"({"e": {"a":[1,"x"]}})");
  EXPECT_EQ(text("<$>", v), "{a:[1,x]}");
}

TEST(InputTemplatePaths, EventThatIsNotAnObject) {
  // An enrichment may answer with any JSON value.
  Value arr = doc(R"([{"id": 1}, {"id": 2}])");
  EXPECT_EQ(text(R"({"first": <$[0].id>, "all": <$[*].id>})", arr),
            R"({"first": 1, "all": [1,2]})");
  Value str = doc(R"("just text")");
  EXPECT_EQ(text(R"({"v": <$>, "w": <$.a>})", str), R"({"v": "just text", "w": ""})");
}

// --- Literal "<" and ">" ---

TEST(InputTemplateLiterals, AngleBracketsThatAreNotPlaceholders) {
  Value v = doc(R"({"x": "X"})");
  EXPECT_EQ(text("<b>bold</b> <$.x> a<b", v), "<b>bold</b> X a<b");
  EXPECT_EQ(text(R"({"html": "<p>hi</p>", "v": <$.x>})", v), R"({"html": "<p>hi</p>", "v": "X"})");
  EXPECT_EQ(text("unterminated <$.x", v), "unterminated <$.x");
  EXPECT_EQ(text("<<$.x>>", v), "<X>");
  // A "<$" in one string and a ">" in another do not make a placeholder across the JSON between.
  auto out = render(R"({"a": "<$", "b": ">"})", v);
  EXPECT_EQ(out.text, R"({"a": "<$", "b": ">"})");
  EXPECT_TRUE(out.is_json);
}

// --- Validity of the result ---

TEST(InputTemplateValidity, TextTemplatesAreJsonOnlyWhenTheTextIs) {
  Value v = doc(R"({"n": 42, "s": "x", "o": {"k": 1}})");
  EXPECT_TRUE(render("<$.n>", v).is_json);
  EXPECT_FALSE(render("<$.s>", v).is_json);
  EXPECT_FALSE(render("<$.o>", v).is_json);  // {k:1}
  EXPECT_FALSE(render("Hello", v).is_json);
  EXPECT_TRUE(render("true", v).is_json);
  EXPECT_TRUE(render(" 12 ", v).is_json);
}

TEST(InputTemplateValidity, ValuesNextToLiteralsAreCheckedPerRendering) {
  auto t = compile(R"({"a": -<$.n>})");
  EXPECT_TRUE(t.render(doc(R"({"n": 5})"), context()).is_json);
  EXPECT_FALSE(t.render(doc(R"({"n": "x"})"), context()).is_json);
  // A placeholder as a key works for a string value, not for a number.
  t = compile(R"({<$.k>: 1})");
  auto out = t.render(doc(R"({"k": "key"})"), context());
  EXPECT_EQ(out.text, R"({"key": 1})");
  EXPECT_TRUE(out.is_json);
  EXPECT_FALSE(t.render(doc(R"({"k": 7})"), context()).is_json);
  // Two bare values side by side: strings never make one JSON value, digits do.
  t = compile(R"({"a": <$.n><$.n>})");
  EXPECT_FALSE(t.render(doc(R"({"n": "x"})"), context()).is_json);
  out = t.render(doc(R"({"n": 5})"), context());
  EXPECT_EQ(out.text, R"({"a": 55})");
  EXPECT_TRUE(out.is_json);
}

TEST(InputTemplateValidity, BrokenJsonTemplatesAreNeverJson) {
  Value v = doc(R"({"n": 5})");
  EXPECT_FALSE(render(R"({"a": <$.n>)", v).is_json);
  EXPECT_FALSE(render(R"({"a": "<$.n>})", v).is_json);
  EXPECT_FALSE(render(R"({"a": 1} {"b": 2})", v).is_json);
  EXPECT_TRUE(render(R"({"a": <$.n>, "b": [<$.n>, {"c": <$.n>}]})", v).is_json);
}

// --- Create-time validation ---

TEST(InputTemplateCompile, LengthLimitIs8192Characters) {
  EXPECT_TRUE(InputTemplate::compile(std::string(8192, 'a')).ok());
  auto too_long = InputTemplate::compile(std::string(8193, 'a'));
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(too_long.error().code, ErrorCode::kInvalidParameterValue);
  EXPECT_EQ(too_long.error().message,
            "1 validation error detected: Value at 'targetParameters.inputTemplate' failed to "
            "satisfy constraint: Member must have length less than or equal to 8192");
  // Characters, not bytes: 8192 two-byte characters fit.
  std::string wide;
  for (int i = 0; i < 8192; ++i) wide += "\xC3\xA9";
  EXPECT_TRUE(InputTemplate::compile(wide).ok());
  auto enrichment = InputTemplate::compile(wide + "x", "enrichmentParameters.inputTemplate");
  ASSERT_FALSE(enrichment.ok());
  EXPECT_NE(enrichment.error().message.find("'enrichmentParameters.inputTemplate'"),
            std::string::npos);
}

TEST(InputTemplateCompile, PathsAreNotValidatedAtCreateTime) {
  // AWS evaluates paths at run time; none of these is a create-time error.
  for (const char* t : {"<$..a>", "{\"a\": <$.a[?(@.b)]>}", "<$.>", "<$[>", "{\"a\": <$>}"}) {
    EXPECT_TRUE(InputTemplate::compile(t).ok()) << t;
  }
}

TEST(InputTemplateCompile, EmptyTemplateMeansNone) {
  auto t = compile("");
  EXPECT_TRUE(t.empty());
  auto out = t.render(doc("{}"), context());
  EXPECT_EQ(out.text, "");
  EXPECT_FALSE(out.is_json);
}

TEST(InputTemplateCompile, KeepsTheTextAndCopiesRenderAlike) {
  const char* src = R"({"id": <$.id>, "p": "<aws.pipes.pipe-name>"})";
  auto t = compile(src);
  EXPECT_EQ(t.text(), src);
  InputTemplate copy = t;
  InputTemplate moved = std::move(t);
  Value v = doc(R"({"id": 3})");
  EXPECT_EQ(copy.render(v, context()).text, R"({"id": 3, "p": "example"})");
  EXPECT_EQ(moved.render(v, context()).text, R"({"id": 3, "p": "example"})");
}

// --- Payloads that are not JSON ---

TEST(InputTemplateRaw, NonJsonPayloadHasOnlyTheEventVariable) {
  auto t = compile(
      R"({"p": <$.a>, "whole": <$>, "json": <aws.pipes.event.json>, "raw": <aws.pipes.event>, "n": <aws.pipes.pipe-name>})");
  auto out = t.render_raw("not \"json\"", context());
  EXPECT_EQ(out.text,
            R"({"p": "", "whole": "", "json": "", "raw": "not \"json\"", "n": "example"})");
  EXPECT_TRUE(out.is_json);
  EXPECT_EQ(compile("got: <aws.pipes.event>").render_raw("a\nb", context()).text, "got: a\nb");
}

// Found by tests/fuzz/pipes_fuzzer: bytes that are not UTF-8 go into the JSON string as they are,
// so the output is not JSON and must not be reported as JSON.
TEST(InputTemplateRaw, PayloadThatIsNotUtf8IsNotCalledJson) {
  auto t = compile(R"({"s": "event=<aws.pipes.event>"})");
  EXPECT_TRUE(t.render_raw("plain", context()).is_json);
  auto out = t.render_raw("bad \xff\xfe bytes", context());
  EXPECT_EQ(out.text, "{\"s\": \"event=bad \xff\xfe bytes\"}");
  EXPECT_FALSE(out.is_json);
}

}  // namespace
}  // namespace sluice::engine::pipes
