#include "engine/pipes/event_pattern.h"

#include <gtest/gtest.h>

#include <string>

#include "engine/json/json_parse.h"

namespace sluice::engine::pipes {
namespace {

constexpr PatternDialect kPipes = PatternDialect::kPipes;
constexpr PatternDialect kBus = PatternDialect::kEventBus;

// Concatenates without operator+ on a literal (GCC 12's -Wrestrict misfires on that).
template <class... Parts>
std::string cat(const Parts&... parts) {
  std::string out;
  (out.append(std::string_view(parts)), ...);
  return out;
}

// Compiles pattern (which must be valid) and matches it against event.
bool match(std::string_view pattern, std::string_view event, PatternDialect dialect = kPipes) {
  auto p = EventPattern::compile(pattern, dialect);
  EXPECT_TRUE(p.ok()) << pattern << " -> " << (p.ok() ? std::string() : p.error().message);
  if (!p.ok()) return false;
  auto e = json::parse(event);
  EXPECT_TRUE(e.ok()) << "bad test event " << event;
  if (!e.ok()) return false;
  return p->matches(*e);
}

// The refusal message for pattern ("<compiled>" when it compiles).
std::string error_of(std::string_view pattern, PatternDialect dialect = kPipes) {
  auto p = EventPattern::compile(pattern, dialect);
  if (p.ok()) return "<compiled>";
  EXPECT_EQ(p.error().code, ErrorCode::kInvalidParameterValue) << pattern;
  return p.error().message;
}

// ---------------------------------------------------------------------------------------------
// Examples from the AWS documentation, with their documented outcome.

// "Amazon EventBridge event patterns": the EC2 instance-termination pattern.
constexpr std::string_view kEc2Event = R"({
  "version": "0", "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
  "detail-type": "EC2 Instance State-change Notification", "source": "aws.ec2",
  "account": "111122223333", "time": "2017-12-22T18:43:48Z", "region": "us-west-1",
  "resources": ["arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"],
  "detail": {"instance-id": "i-1234567890abcdef0", "state": "terminated"}
})";

TEST(EventPatternDocs, Ec2TerminationPattern) {
  constexpr std::string_view kPattern = R"({
    "source": ["aws.ec2"],
    "detail-type": ["EC2 Instance State-change Notification"],
    "detail": {"state": ["terminated"]}
  })";
  EXPECT_TRUE(match(kPattern, kEc2Event));
  EXPECT_FALSE(match(kPattern, R"({"source": "aws.ec2",
      "detail-type": "EC2 Instance State-change Notification", "detail": {"state": "running"}})"));
  // Every field the pattern names must be there.
  EXPECT_FALSE(match(kPattern, R"({"source": "aws.ec2", "detail": {"state": "terminated"}})"));
  // Values in the pattern array are alternatives.
  EXPECT_TRUE(match(R"({"source": ["aws.ec2", "aws.fargate"]})", kEc2Event));
  EXPECT_TRUE(match(R"({"source": ["aws.ec2", "aws.fargate"]})", R"({"source": "aws.fargate"})"));
  EXPECT_FALSE(match(R"({"source": ["aws.ec2", "aws.fargate"]})", R"({"source": "aws.s3"})"));
}

TEST(EventPatternDocs, MacieValueMatching) {
  constexpr std::string_view kEvent = R"({
    "detail-type": "Macie Alert", "source": "aws.macie",
    "detail": {"notification-type": "ALERT_CREATED", "tags": ["Custom_Alert", "Insider"],
               "risk-score": 80, "trigger": {"alert-type": "basic", "risk": 8}}
  })";
  constexpr std::string_view kPattern = R"({
    "source": ["aws.macie"], "detail-type": ["Macie Alert"],
    "detail": {"risk-score": [80], "trigger": {"risk": [8]}}
  })";
  EXPECT_TRUE(match(kPattern, kEvent));
  EXPECT_FALSE(match(R"({"detail": {"risk-score": [81]}})", kEvent));
  EXPECT_FALSE(match(R"({"detail": {"trigger": {"risk": [80]}}})", kEvent));
}

// "Matching null values and empty strings": null and "" are not interchangeable.
TEST(EventPatternDocs, NullAndEmptyString) {
  constexpr std::string_view kEvent = R"({
    "detail-type": "EC2 Instance Launch Successful", "source": "aws.autoscaling",
    "resources": [], "detail": {"eventVersion": "", "responseElements": null}
  })";
  EXPECT_TRUE(match(R"({"detail": {"eventVersion": [""]}})", kEvent));
  EXPECT_TRUE(match(R"({"detail": {"responseElements": [null]}})", kEvent));
  EXPECT_FALSE(match(R"({"detail": {"eventVersion": [null]}})", kEvent));
  EXPECT_FALSE(match(R"({"detail": {"responseElements": [""]}})", kEvent));
  EXPECT_TRUE(match(R"({"source": ["aws.autoscaling"], "detail-type":
      ["EC2 Instance Launch Successful"], "detail": {"responseElements": [null]}})",
                    kEvent));
  // A missing field is neither null nor "".
  EXPECT_FALSE(match(R"({"detail": {"other": [null]}})", kEvent));
  EXPECT_FALSE(match(R"({"detail": {"other": [""]}})", kEvent));
}

// "Arrays in event patterns": an event array matches when it intersects the pattern's values.
TEST(EventPatternDocs, ArraysIntersect) {
  constexpr std::string_view kPattern = R"({"resources": [
    "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f",
    "arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f",
    "arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f"]})";
  EXPECT_TRUE(match(kPattern, R"({"resources": [
    "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b:autoScalingGroupName/A",
    "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f"]})"));
  EXPECT_FALSE(match(kPattern, R"({"resources": ["arn:aws:ec2:us-east-1:1:instance/x"]})"));
  EXPECT_FALSE(match(kPattern, R"({"resources": []})"));
}

// "Content filtering": the complex example combining prefix, anything-but and numeric.
TEST(EventPatternDocs, ComplexContentFilter) {
  constexpr std::string_view kPattern = R"({
    "time": [{"prefix": "2017-10-02"}],
    "detail": {
      "state": [{"anything-but": "initializing"}],
      "c-count": [{"numeric": [">", 0, "<=", 5]}],
      "d-count": [{"numeric": ["<", 10]}],
      "x-limit": [{"anything-but": [100, 200, 300]}]
    }
  })";
  // event-ruler's README sample event.
  constexpr std::string_view kEvent = R"({
    "time": "2017-10-02T16:24:49Z", "source": "aws.ec2",
    "detail": {"c-count": 5, "d-count": 3, "x-limit": 301.8, "source-ip": "10.0.0.33",
               "state": "running"}
  })";
  EXPECT_TRUE(match(kPattern, kEvent));
  EXPECT_FALSE(match(kPattern, R"({"time": "2017-10-03T00:00:00Z", "detail": {"c-count": 5,
      "d-count": 3, "x-limit": 301.8, "state": "running"}})"));
  EXPECT_FALSE(match(kPattern, R"({"time": "2017-10-02T00:00:00Z", "detail": {"c-count": 6,
      "d-count": 3, "x-limit": 301.8, "state": "running"}})"));
  EXPECT_FALSE(match(kPattern, R"({"time": "2017-10-02T00:00:00Z", "detail": {"c-count": 5,
      "d-count": 3, "x-limit": 200, "state": "running"}})"));
  EXPECT_FALSE(match(kPattern, R"({"time": "2017-10-02T00:00:00Z", "detail": {"c-count": 5,
      "d-count": 3, "x-limit": 1, "state": "initializing"}})"));
  // The README's numeric example: 3.018e2 is 301.8.
  EXPECT_TRUE(match(R"({"detail": {"x-limit": [{"numeric": ["=", 3.018e2]}]}})", kEvent));
  EXPECT_TRUE(match(R"({"detail": {"source-ip": [{"cidr": "10.0.0.0/24"}]}})", kEvent));
}

// "Exists matching": exists false matches a missing field, and a field that is not a leaf.
TEST(EventPatternDocs, ExistsFalseOnLeavesOnly) {
  constexpr std::string_view kPattern = R"({"detail": {"c-count": [{"exists": false}]}})";
  EXPECT_TRUE(match(kPattern, R"({"detail-type": ["EC2 Instance State-change Notification"],
      "detail": {"state": ["initializing", "running"]}})"));
  EXPECT_TRUE(match(kPattern, R"({"detail": {"state": ["initializing", "running"],
      "c-count": {"c1": 100}}})"));
  EXPECT_FALSE(match(kPattern, R"({"detail": {"c-count": 5}})"));
}

// Lambda's event-filtering guide: metadata and data properties (Kinesis record), a numeric range
// on data, multi-level DynamoDB filtering, and the console example {"a": [1, 2]}.
TEST(EventPatternDocs, LambdaFilteringExamples) {
  constexpr std::string_view kKinesis = R"({
    "kinesisSchemaVersion": "1.0", "partitionKey": "1",
    "sequenceNumber": "49590338271490256608559692538361571095921575989136588898",
    "data": {"City": "Seattle", "State": "WA", "Temperature": "46", "Month": "December",
             "Location": "Los Angeles"},
    "approximateArrivalTimestamp": 1545084650.987
  })";
  EXPECT_TRUE(match(R"({"partitionKey": ["1"], "data": {"City": ["Seattle"]}})", kKinesis));
  EXPECT_TRUE(match(R"({"partitionKey": ["1"], "data": {"Location": ["Los Angeles"]}})", kKinesis));
  EXPECT_FALSE(match(R"({"partitionKey": ["2"], "data": {"City": ["Seattle"]}})", kKinesis));
  // "Temperature": "46" is a string: numeric matching only sees JSON numbers.
  constexpr std::string_view kRange =
      R"({"data": {"Temperature": [{"numeric": [">", 50, "<=", 60]}]}})";
  EXPECT_FALSE(match(kRange, kKinesis));
  EXPECT_TRUE(match(kRange, R"({"data": {"Temperature": 55}})"));
  EXPECT_TRUE(match(kRange, R"({"data": {"Temperature": 60}})"));
  EXPECT_FALSE(match(kRange, R"({"data": {"Temperature": 50}})"));

  constexpr std::string_view kDynamo = R"({"dynamodb": {
    "Keys": {"Id": {"N": "101"}},
    "NewImage": {"Message": {"S": "New item!"}, "Id": {"N": "101"}},
    "SequenceNumber": "111", "SizeBytes": 26, "StreamViewType": "NEW_AND_OLD_IMAGES"}})";
  EXPECT_TRUE(match(R"({"dynamodb": {"Keys": {"Id": {"N": ["101"]}}}})", kDynamo));
  EXPECT_FALSE(match(R"({"dynamodb": {"Keys": {"Id": {"N": [101]}}}})", kDynamo));

  EXPECT_TRUE(match(R"({ "a" : [ 1, 2 ] })", R"({"a": 2})"));
  EXPECT_FALSE(match(R"({ "a" : [ 1, 2 ] })", R"({"a": 3})"));
}

// Lambda's SQS filtering guide: filter on the body of the record, with the body as JSON.
TEST(EventPatternDocs, SqsRecordBody) {
  constexpr std::string_view kRecord = R"({
    "messageId": "059f36b4-87a3-44ab-83d2-661975830a7d", "receiptHandle": "AQEBwJnKyrHigUMZj6r",
    "body": {"RecordNumber": 1234, "TimeStamp": "yyyy-mm-ddThh:mm:ss", "RequestCode": "AAAA"},
    "attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": "1545082649183",
                   "SenderId": "AIDAIENQZJOLO23YVJ4VO"},
    "messageAttributes": {}, "md5OfBody": "e4e68fb7bd0e697a0ae8f1bb342846b3"
  })";
  EXPECT_FALSE(match(R"({"body": {"RequestCode": ["BBBB"]}})", kRecord));
  EXPECT_TRUE(match(R"({"body": {"RequestCode": ["AAAA"]}})", kRecord));
  EXPECT_TRUE(match(R"({"body": {"RecordNumber": [{"numeric": [">", 1000]}]},
      "attributes": {"ApproximateReceiveCount": ["1"]}})",
                    kRecord));
  // A plain-string body is matched as a value.
  EXPECT_TRUE(match(R"({"body": [{"prefix": "hello"}]})", R"({"body": "hello world"})"));
}

// ---------------------------------------------------------------------------------------------
// Exact values.

TEST(EventPatternExact, StringsAreCaseSensitiveAndTyped) {
  EXPECT_TRUE(match(R"({"a": ["x"]})", R"({"a": "x"})"));
  EXPECT_FALSE(match(R"({"a": ["x"]})", R"({"a": "X"})"));
  EXPECT_FALSE(match(R"({"a": ["x"]})", R"({"a": "x "})"));
  EXPECT_FALSE(match(R"({"a": ["5"]})", R"({"a": 5})"));
  EXPECT_FALSE(match(R"({"a": ["true"]})", R"({"a": true})"));
  EXPECT_FALSE(match(R"({"a": ["null"]})", R"({"a": null})"));
  EXPECT_TRUE(match(R"({"a": ["h\u00e9"]})", R"({"a": "hé"})"));
}

TEST(EventPatternExact, Booleans) {
  EXPECT_TRUE(match(R"({"a": [true]})", R"({"a": true})"));
  EXPECT_FALSE(match(R"({"a": [true]})", R"({"a": false})"));
  EXPECT_FALSE(match(R"({"a": [true]})", R"({"a": "true"})"));
  EXPECT_FALSE(match(R"({"a": [true]})", R"({"a": 1})"));
  EXPECT_TRUE(match(R"({"a": [false]})", R"({"a": false})"));
  EXPECT_FALSE(match(R"({"a": [false]})", R"({"a": null})"));
}

TEST(EventPatternExact, NumbersCompareNumerically) {
  EXPECT_TRUE(match(R"({"a": [5]})", R"({"a": 5})"));
  EXPECT_TRUE(match(R"({"a": [5]})", R"({"a": 5.0})"));
  EXPECT_TRUE(match(R"({"a": [5.0]})", R"({"a": 5})"));
  EXPECT_TRUE(match(R"({"a": [300]})", R"({"a": 3.0e2})"));
  EXPECT_TRUE(match(R"({"a": [0.1]})", R"({"a": 0.1})"));
  EXPECT_TRUE(match(R"({"a": [-2.5]})", R"({"a": -2.5})"));
  EXPECT_FALSE(match(R"({"a": [5]})", R"({"a": 5.0000001})"));
  EXPECT_FALSE(match(R"({"a": [5]})", R"({"a": "5"})"));
  EXPECT_FALSE(match(R"({"a": [5]})", R"({"a": 6})"));
  // Exact numbers are not held to the numeric limits: an account id, a huge value.
  EXPECT_TRUE(match(R"({"account": [123456789012]})", R"({"account": 123456789012})"));
  EXPECT_FALSE(match(R"({"account": [123456789012]})", R"({"account": 123456789013})"));
  EXPECT_TRUE(match(R"({"a": [1e20]})", R"({"a": 1e20})"));
  EXPECT_TRUE(match(R"({"a": [0.00000033]})", R"({"a": 3.3e-7})"));
}

TEST(EventPatternExact, IpLiteralMatchesAnySpellingOfTheAddress) {
  EXPECT_TRUE(match(R"({"ip": ["10.0.0.1"]})", R"({"ip": "10.0.0.1"})"));
  EXPECT_FALSE(match(R"({"ip": ["10.0.0.1"]})", R"({"ip": "10.0.0.2"})"));
  EXPECT_TRUE(match(R"({"ip": ["::1"]})", R"({"ip": "0:0:0:0:0:0:0:1"})"));
  EXPECT_TRUE(match(R"({"ip": ["2001:DB8::1"]})", R"({"ip": "2001:db8:0::1"})"));
  EXPECT_FALSE(match(R"({"ip": ["::1"]})", R"({"ip": "::2"})"));
}

TEST(EventPatternExact, MissingFieldsAndNonLeaves) {
  EXPECT_FALSE(match(R"({"a": ["x"]})", R"({"b": "x"})"));
  EXPECT_FALSE(match(R"({"a": ["x"]})", R"({})"));
  EXPECT_FALSE(match(R"({"a": {"b": ["x"]}})", R"({"a": "x"})"));
  EXPECT_FALSE(match(R"({"a": {"b": ["x"]}})", R"({"a": {"c": "x"}})"));
  // A value that is an object is not a leaf.
  EXPECT_FALSE(match(R"({"a": [{"exists": true}]})", R"({"a": {"b": 1}})"));
  // The event need not be an object, but then it has no fields.
  EXPECT_FALSE(match(R"({"a": ["x"]})", R"("x")"));
  // Fields the pattern does not name are ignored.
  EXPECT_TRUE(match(R"({"a": ["x"]})", R"({"a": "x", "b": {"c": [1, 2]}, "d": null})"));
}

TEST(EventPatternExact, DeepNesting) {
  EXPECT_TRUE(match(R"({"a": {"b": {"c": {"d": {"e": [1]}}}}})",
                    R"({"a": {"b": {"c": {"d": {"e": 1, "f": 2}}}}})"));
  EXPECT_FALSE(match(R"({"a": {"b": {"c": {"d": {"e": [1]}}}}})",
                     R"({"a": {"b": {"c": {"d": {"e": 2}}}}})"));
  // Keys are matched structurally: a dotted key is one key.
  EXPECT_TRUE(match(R"({"a.b": [1]})", R"({"a.b": 1})"));
  EXPECT_FALSE(match(R"({"a.b": [1]})", R"({"a": {"b": 1}})"));
}

// ---------------------------------------------------------------------------------------------
// Arrays in events.

TEST(EventPatternArrays, LeafArrayMatchesWhenAnyElementDoes) {
  EXPECT_TRUE(match(R"({"a": ["x"]})", R"({"a": ["y", "x"]})"));
  EXPECT_FALSE(match(R"({"a": ["x"]})", R"({"a": ["y", "z"]})"));
  EXPECT_TRUE(match(R"({"a": [2]})", R"({"a": [[1], [2, 3]]})"));
  EXPECT_TRUE(match(R"({"a": [{"numeric": [">", 5]}]})", R"({"a": [1, 10]})"));
  EXPECT_FALSE(match(R"({"a": [{"numeric": [">", 5]}]})", R"({"a": [1, 2]})"));
  EXPECT_TRUE(match(R"({"a": [null]})", R"({"a": [1, null]})"));
}

// event-ruler's README: array elements are "crushed" into their parent field, but every field of
// one match must come from the same element.
TEST(EventPatternArrays, ArrayConsistency) {
  constexpr std::string_view kEmployees = R"({"employees": [
    {"firstName": "John", "lastName": "Doe"},
    {"firstName": "Anna", "lastName": "Smith"},
    {"firstName": "Peter", "lastName": "Jones"}]})";
  EXPECT_TRUE(match(R"({"employees": {"firstName": ["Anna"]}})", kEmployees));
  EXPECT_TRUE(
      match(R"({"employees": {"firstName": ["Anna"], "lastName": ["Smith"]}})", kEmployees));
  EXPECT_FALSE(
      match(R"({"employees": {"firstName": ["Anna"], "lastName": ["Jones"]}})", kEmployees));
  // Multi-level arrays.
  constexpr std::string_view kNested = R"({"employees": [
    [{"firstName": "John", "lastName": "Doe"}, {"firstName": "Anna", "lastName": "Smith"}],
    [{"firstName": "Peter", "lastName": "Jones"}]]})";
  EXPECT_TRUE(match(R"({"employees": {"firstName": ["Anna"]}})", kNested));
  EXPECT_TRUE(match(R"({"employees": {"firstName": ["Peter"], "lastName": ["Jones"]}})", kNested));
  EXPECT_FALSE(match(R"({"employees": {"firstName": ["Anna"], "lastName": ["Jones"]}})", kNested));
  // A field outside the array combines with any element.
  EXPECT_TRUE(match(R"({"dept": ["R&D"], "employees": {"lastName": ["Jones"]}})",
                    R"({"dept": "R&D", "employees": [{"lastName": "Doe"},
                        {"lastName": "Jones"}]})"));
  // Arrays nested inside array elements.
  constexpr std::string_view kOrders = R"({"orders": [
    {"id": 1, "items": [{"sku": "a", "qty": 1}, {"sku": "b", "qty": 5}]},
    {"id": 2, "items": [{"sku": "a", "qty": 9}]}]})";
  EXPECT_TRUE(match(R"({"orders": {"id": [2], "items": {"sku": ["a"], "qty": [9]}}})", kOrders));
  EXPECT_FALSE(match(R"({"orders": {"id": [1], "items": {"sku": ["a"], "qty": [9]}}})", kOrders));
  EXPECT_FALSE(match(R"({"orders": {"items": {"sku": ["a"], "qty": [5]}}})", kOrders));
  EXPECT_TRUE(match(R"({"orders": {"items": {"sku": ["b"], "qty": [5]}}})", kOrders));
}

TEST(EventPatternArrays, LaterFieldsSeeTheElementEarlierOnesChose) {
  // Both elements satisfy "e.a"; only the second also satisfies "e.b", so the search must try it.
  constexpr std::string_view kPattern = R"({"e": {"a": [1], "b": [2]}})";
  EXPECT_TRUE(match(kPattern, R"({"e": [{"a": 1, "b": 3}, {"a": 1, "b": 2}]})"));
  EXPECT_FALSE(match(kPattern, R"({"e": [{"a": 1, "b": 3}, {"a": 2, "b": 2}]})"));
  EXPECT_TRUE(match(R"({"e": {"a": [1], "f": {"b": [2]}}})",
                    R"({"e": [{"a": 1, "f": [{"b": 3}]}, {"a": 1, "f": [{"b": 4}, {"b": 2}]}]})"));
}

TEST(EventPatternArrays, ManyArrayFieldsStayLinear) {
  // Twelve fields whose values are 40-element arrays, and a last field that fails: retrying
  // every element combination would take 40^12 steps.
  std::string pattern = "{";
  std::string event = "{";
  for (int f = 0; f < 12; ++f) {
    pattern += cat("\"f", std::to_string(f), "\": [{\"exists\": true}],");
    event += cat("\"f", std::to_string(f), "\": [");
    for (int i = 0; i < 40; ++i) event += cat(i ? "," : "", std::to_string(i));
    event += "],";
  }
  pattern += R"("z": ["yes"]})";
  EXPECT_FALSE(match(pattern, cat(event, R"("z": "no"})")));
  EXPECT_TRUE(match(pattern, cat(event, R"("z": "yes"})")));
}

TEST(EventPatternArrays, DeepPatternWithManyFields) {
  // Nesting and field count both near what 4096 characters allow.
  std::string pattern, event, close;
  for (int d = 0; d < 250; ++d) {
    pattern += R"({"n": )";
    event += R"({"n": [)";
    close += "}";
  }
  std::string fields, values;
  for (int f = 0; f < 150; ++f) {
    fields += cat(f ? "," : "", "\"", std::to_string(f), "\": [1]");
    values += cat(f ? "," : "", "\"", std::to_string(f), "\": 1");
  }
  std::string event_close;
  for (int d = 0; d < 250; ++d) event_close += "]}";
  auto p = EventPattern::compile(cat(pattern, "{", fields, "}", close));
  ASSERT_TRUE(p.ok()) << p.error().message;
  auto e = json::parse(cat(event, "{", values, "}", event_close));
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(p->matches(*e));
}

// ---------------------------------------------------------------------------------------------
// String operators.

TEST(EventPatternStrings, Prefix) {
  EXPECT_TRUE(
      match(R"({"time": [{"prefix": "2017-10-02"}]})", R"({"time": "2017-10-02T18:43:48Z"})"));
  EXPECT_FALSE(match(R"({"time": [{"prefix": "2017-10-02"}]})", R"({"time": "2017-10-03"})"));
  EXPECT_FALSE(match(R"({"time": [{"prefix": "2017-10-02"}]})", R"({"time": "2017-10-0"})"));
  EXPECT_FALSE(match(R"({"a": [{"prefix": "us"}]})", R"({"a": "US-east"})"));
  EXPECT_FALSE(match(R"({"a": [{"prefix": "1"}]})", R"({"a": 123})"));
  EXPECT_TRUE(match(R"({"a": [{"prefix": ""}]})", R"({"a": "anything"})"));
  EXPECT_FALSE(match(R"({"a": [{"prefix": ""}]})", R"({"a": null})"));
  EXPECT_TRUE(
      match(R"({"Region": [{"prefix": "us-"}]})", R"({"Region": ["eu-west-1", "us-east-1"]})"));
}

TEST(EventPatternStrings, PrefixIgnoringCase) {
  constexpr std::string_view kPattern =
      R"({"detail": {"service": [{"prefix": {"equals-ignore-case": "EventB"}}]}})";
  EXPECT_TRUE(match(kPattern, R"({"detail": {"service": "EventBridge"}})"));
  EXPECT_TRUE(match(kPattern, R"({"detail": {"service": "EVENTBRIDGE"}})"));
  EXPECT_TRUE(match(kPattern, R"({"detail": {"service": "eventb"}})"));
  EXPECT_FALSE(match(kPattern, R"({"detail": {"service": "Event"}})"));
  EXPECT_FALSE(match(kPattern, R"({"detail": {"service": "SQS"}})"));
}

TEST(EventPatternStrings, Suffix) {
  EXPECT_TRUE(match(R"({"FileName": [{"suffix": ".png"}]})", R"({"FileName": "image.png"})"));
  EXPECT_FALSE(match(R"({"FileName": [{"suffix": ".png"}]})", R"({"FileName": "image.PNG"})"));
  EXPECT_FALSE(match(R"({"FileName": [{"suffix": ".png"}]})", R"({"FileName": "png"})"));
  EXPECT_FALSE(match(R"({"FileName": [{"suffix": "5"}]})", R"({"FileName": 5})"));
  constexpr std::string_view kFolded =
      R"({"detail": {"FileName": [{"suffix": {"equals-ignore-case": ".png"}}]}})";
  EXPECT_TRUE(match(kFolded, R"({"detail": {"FileName": "image.PNG"}})"));
  EXPECT_TRUE(match(kFolded, R"({"detail": {"FileName": "image.pNg"}})"));
  EXPECT_FALSE(match(kFolded, R"({"detail": {"FileName": "image.jpg"}})"));
  EXPECT_TRUE(match(R"({"service": [{"suffix": {"equals-ignore-case": "tBridge"}}]})",
                    R"({"service": "EVENTBRIDGE"})"));
}

TEST(EventPatternStrings, EqualsIgnoreCase) {
  EXPECT_TRUE(match(R"({"Name": [{"equals-ignore-case": "alice"}]})", R"({"Name": "Alice"})"));
  EXPECT_TRUE(match(R"({"Name": [{"equals-ignore-case": "alice"}]})", R"({"Name": "ALICE"})"));
  EXPECT_FALSE(match(R"({"Name": [{"equals-ignore-case": "alice"}]})", R"({"Name": "Alicia"})"));
  EXPECT_FALSE(match(R"({"Name": [{"equals-ignore-case": "alice"}]})", R"({"Name": "alic"})"));
  EXPECT_FALSE(match(R"({"Name": [{"equals-ignore-case": "true"}]})", R"({"Name": true})"));
}

TEST(EventPatternStrings, WildcardOnEventBus) {
  EXPECT_TRUE(match(R"({"source": [{"wildcard": "Simple*Service"}]})",
                    R"({"source": "SimpleQueueService"})", kBus));
  EXPECT_TRUE(match(R"({"source": [{"wildcard": "Simple*Service"}]})",
                    R"({"source": "SimpleService"})", kBus));
  EXPECT_FALSE(match(R"({"source": [{"wildcard": "Simple*Service"}]})",
                     R"({"source": "SimpleQueue"})", kBus));
  constexpr std::string_view kDir = R"({"EventBusArn": [{"wildcard": "*/lib/*.png"}]})";
  EXPECT_TRUE(match(kDir, R"({"EventBusArn": "a/lib/b.png"})", kBus));
  EXPECT_TRUE(match(kDir, R"({"EventBusArn": "/lib/.png"})", kBus));
  EXPECT_FALSE(match(kDir, R"({"EventBusArn": "a/lib/b.jpg"})", kBus));
  EXPECT_FALSE(match(kDir, R"({"EventBusArn": "a/bin/b.png"})", kBus));
  EXPECT_TRUE(match(R"({"a": [{"wildcard": "*"}]})", R"({"a": ""})", kBus));
  EXPECT_FALSE(match(R"({"a": [{"wildcard": "*"}]})", R"({"a": 1})", kBus));
  EXPECT_TRUE(match(R"({"a": [{"wildcard": "ab*ab"}]})", R"({"a": "abab"})", kBus));
  EXPECT_FALSE(match(R"({"a": [{"wildcard": "ab*ab"}]})", R"({"a": "aba"})", kBus));
  EXPECT_TRUE(match(R"({"a": [{"wildcard": "a*b*c"}]})", R"({"a": "aXbYbZc"})", kBus));
  // Escapes: \* is a literal star, \\ a literal backslash.
  EXPECT_TRUE(match(R"({"a": [{"wildcard": "a\\*b"}]})", R"({"a": "a*b"})", kBus));
  EXPECT_FALSE(match(R"({"a": [{"wildcard": "a\\*b"}]})", R"({"a": "axb"})", kBus));
  EXPECT_TRUE(match(R"({"a": [{"wildcard": "a\\\\*"}]})", R"({"a": "a\\tail"})", kBus));
}

TEST(EventPatternStrings, ExactlyOnEventBus) {
  EXPECT_TRUE(match(R"({"a": [{"exactly": "x"}]})", R"({"a": "x"})", kBus));
  EXPECT_FALSE(match(R"({"a": [{"exactly": "x"}]})", R"({"a": "X"})", kBus));
}

// ---------------------------------------------------------------------------------------------
// anything-but.

TEST(EventPatternAnythingBut, SingleValues) {
  constexpr std::string_view kState =
      R"({"detail": {"state": [{"anything-but": "initializing"}]}})";
  EXPECT_TRUE(match(kState, R"({"detail": {"state": "running"}})"));
  EXPECT_FALSE(match(kState, R"({"detail": {"state": "initializing"}})"));
  // Any other leaf value qualifies, whatever its type.
  EXPECT_TRUE(match(kState, R"({"detail": {"state": 5}})"));
  EXPECT_TRUE(match(kState, R"({"detail": {"state": null}})"));
  EXPECT_TRUE(match(kState, R"({"detail": {"state": false}})"));
  // But the field must be there.
  EXPECT_FALSE(match(kState, R"({"detail": {}})"));
  EXPECT_FALSE(match(kState, R"({"detail": {"state": {"x": 1}}})"));

  constexpr std::string_view kLimit = R"({"detail": {"x-limit": [{"anything-but": 123}]}})";
  EXPECT_TRUE(match(kLimit, R"({"detail": {"x-limit": 124}})"));
  EXPECT_FALSE(match(kLimit, R"({"detail": {"x-limit": 123}})"));
  EXPECT_FALSE(match(kLimit, R"({"detail": {"x-limit": 123.0}})"));
  EXPECT_TRUE(match(kLimit, R"({"detail": {"x-limit": "123"}})"));
}

TEST(EventPatternAnythingBut, Lists) {
  constexpr std::string_view kStates =
      R"({"detail": {"state": [{"anything-but": ["stopped", "overloaded"]}]}})";
  EXPECT_TRUE(match(kStates, R"({"detail": {"state": "running"}})"));
  EXPECT_FALSE(match(kStates, R"({"detail": {"state": "stopped"}})"));
  EXPECT_FALSE(match(kStates, R"({"detail": {"state": "overloaded"}})"));
  constexpr std::string_view kLimits =
      R"({"detail": {"x-limit": [{"anything-but": [100, 200, 300]}]}})";
  EXPECT_TRUE(match(kLimits, R"({"detail": {"x-limit": 301.8}})"));
  EXPECT_FALSE(match(kLimits, R"({"detail": {"x-limit": 200}})"));
  EXPECT_FALSE(match(kLimits, R"({"detail": {"x-limit": 3e2}})"));
  // Out of the numeric range: cannot be one of the listed numbers.
  EXPECT_TRUE(match(kLimits, R"({"detail": {"x-limit": 6e9}})"));
  // The Lambda guide's "Not" example.
  EXPECT_TRUE(match(R"({"Weather": [{"anything-but": ["Raining"]}]})", R"({"Weather": "Sunny"})"));
  EXPECT_FALSE(
      match(R"({"Weather": [{"anything-but": ["Raining"]}]})", R"({"Weather": "Raining"})"));
}

TEST(EventPatternAnythingBut, EventArrays) {
  // An array matches when some element is not excluded.
  constexpr std::string_view kPattern = R"({"price": [{"anything-but": [100, 500]}]})";
  EXPECT_TRUE(match(kPattern, R"({"price": [100, 50]})"));
  EXPECT_FALSE(match(kPattern, R"({"price": [100, 500]})"));
  EXPECT_FALSE(match(kPattern, R"({"price": []})"));
}

TEST(EventPatternAnythingBut, PrefixSuffixIgnoreCaseWildcardOnEventBus) {
  constexpr std::string_view kPrefix =
      R"({"detail": {"state": [{"anything-but": {"prefix": "init"}}]}})";
  EXPECT_TRUE(match(kPrefix, R"({"detail": {"state": "running"}})", kBus));
  EXPECT_FALSE(match(kPrefix, R"({"detail": {"state": "initializing"}})", kBus));
  EXPECT_TRUE(match(kPrefix, R"({"detail": {"state": 7}})", kBus));
  EXPECT_TRUE(match(R"({"Region": [{"anything-but": {"prefix": ["us-", "eu-"]}}]})",
                    R"({"Region": "ap-south-1"})", kBus));
  EXPECT_FALSE(match(R"({"Region": [{"anything-but": {"prefix": ["us-", "eu-"]}}]})",
                     R"({"Region": "eu-west-1"})", kBus));

  constexpr std::string_view kSuffix = R"({"FileName": [{"anything-but": {"suffix": ".png"}}]})";
  EXPECT_TRUE(match(kSuffix, R"({"FileName": "a.jpg"})", kBus));
  EXPECT_FALSE(match(kSuffix, R"({"FileName": "a.png"})", kBus));

  constexpr std::string_view kFolded =
      R"({"state": [{"anything-but": {"equals-ignore-case": ["initializing", "Stopped"]}}]})";
  EXPECT_FALSE(match(kFolded, R"({"state": "INITIALIZING"})", kBus));
  EXPECT_FALSE(match(kFolded, R"({"state": "stopped"})", kBus));
  EXPECT_TRUE(match(kFolded, R"({"state": "running"})", kBus));

  constexpr std::string_view kWild = R"({"FilePath": [{"anything-but": {"wildcard": "*/lib/*"}}]})";
  EXPECT_FALSE(match(kWild, R"({"FilePath": "/usr/lib/x.so"})", kBus));
  EXPECT_TRUE(match(kWild, R"({"FilePath": "/usr/bin/x"})", kBus));
}

// ---------------------------------------------------------------------------------------------
// numeric.

TEST(EventPatternNumeric, Operators) {
  auto num = [](std::string_view expr, std::string_view value) {
    return match(cat(R"({"n": [{"numeric": )", expr, "}]}"), cat(R"({"n": )", value, "}"));
  };
  EXPECT_TRUE(num(R"(["=", 100])", "100"));
  EXPECT_TRUE(num(R"(["=", 100])", "100.0"));
  EXPECT_TRUE(num(R"(["=", 100])", "1e2"));
  EXPECT_FALSE(num(R"(["=", 100])", "100.000001"));
  EXPECT_TRUE(num(R"(["<", 10])", "9.999999"));
  EXPECT_FALSE(num(R"(["<", 10])", "10"));
  EXPECT_TRUE(num(R"(["<=", 10])", "10"));
  EXPECT_FALSE(num(R"(["<=", 10])", "10.000001"));
  EXPECT_TRUE(num(R"([">", 0])", "0.000001"));
  EXPECT_FALSE(num(R"([">", 0])", "0"));
  EXPECT_FALSE(num(R"([">", 0])", "-1"));
  EXPECT_TRUE(num(R"([">=", 0])", "0"));
  EXPECT_TRUE(num(R"([">=", -1.5])", "-1.5"));
  EXPECT_FALSE(num(R"([">=", -1.5])", "-1.500001"));
  EXPECT_TRUE(num(R"([">", 0, "<=", 5])", "5"));
  EXPECT_FALSE(num(R"([">", 0, "<=", 5])", "0"));
  EXPECT_TRUE(num(R"([">=", 0, "<", 5])", "0"));
  EXPECT_FALSE(num(R"([">=", 0, "<", 5])", "5"));
  EXPECT_TRUE(num(R"([">", 10, "<=", 20])", "15"));
  // Only JSON numbers.
  EXPECT_FALSE(num(R"([">", 0])", R"("5")"));
  EXPECT_FALSE(num(R"([">", 0])", "true"));
  EXPECT_FALSE(num(R"([">", 0])", "null"));
}

TEST(EventPatternNumeric, LimitsAndPrecision) {
  auto num = [](std::string_view expr, std::string_view value) {
    return match(cat(R"({"n": [{"numeric": )", expr, "}]}"), cat(R"({"n": )", value, "}"));
  };
  // Event values must lie within +-5e9 and have at most six decimals to be compared at all.
  EXPECT_TRUE(num(R"([">", 0])", "5000000000"));
  EXPECT_TRUE(num(R"([">", 0])", "5e9"));
  EXPECT_FALSE(num(R"([">", 0])", "5000000001"));
  EXPECT_FALSE(num(R"([">", 0])", "1e300"));
  EXPECT_TRUE(num(R"(["<", 0])", "-5000000000"));
  EXPECT_FALSE(num(R"(["<", 0])", "-5000000001"));
  EXPECT_TRUE(num(R"([">", 1])", "1.000001"));
  EXPECT_FALSE(num(R"([">", 1])", "1.0000001"));
  EXPECT_TRUE(num(R"(["=", 0.000001])", "0.000001"));
  EXPECT_TRUE(num(R"(["=", 4999999999.999999])", "4999999999.999999"));
  // Comparisons are exact in millionths: no floating-point drift.
  EXPECT_TRUE(num(R"(["=", 0.3])", "0.3"));
  EXPECT_TRUE(num(R"([">", 0.1, "<", 0.3])", "0.2"));
  EXPECT_FALSE(num(R"([">", 0.1, "<", 0.3])", "0.3"));
  EXPECT_TRUE(num(R"(["=", -0.0])", "0"));
}

// ---------------------------------------------------------------------------------------------
// exists.

TEST(EventPatternExists, TrueAndFalse) {
  constexpr std::string_view kExists = R"({"ProductName": [{"exists": true}]})";
  EXPECT_TRUE(match(kExists, R"({"ProductName": "x"})"));
  EXPECT_TRUE(match(kExists, R"({"ProductName": null})"));
  EXPECT_TRUE(match(kExists, R"({"ProductName": 0})"));
  EXPECT_TRUE(match(kExists, R"({"ProductName": ["x"]})"));
  EXPECT_FALSE(match(kExists, R"({"ProductName": []})"));
  EXPECT_FALSE(match(kExists, R"({"ProductName": {}})"));
  EXPECT_FALSE(match(kExists, R"({"Other": "x"})"));

  constexpr std::string_view kAbsent = R"({"ProductName": [{"exists": false}]})";
  EXPECT_TRUE(match(kAbsent, R"({"Other": "x"})"));
  EXPECT_TRUE(match(kAbsent, R"({})"));
  EXPECT_TRUE(match(kAbsent, R"({"ProductName": []})"));
  EXPECT_TRUE(match(kAbsent, R"({"ProductName": {"a": 1}})"));
  EXPECT_FALSE(match(kAbsent, R"({"ProductName": null})"));
  EXPECT_FALSE(match(kAbsent, R"({"ProductName": ""})"));
  // Absence combines with other fields.
  EXPECT_TRUE(match(R"({"a": ["x"], "b": [{"exists": false}]})", R"({"a": "x"})"));
  EXPECT_FALSE(match(R"({"a": ["x"], "b": [{"exists": false}]})", R"({"a": "y"})"));
  EXPECT_FALSE(match(R"({"a": ["x"], "b": [{"exists": false}]})", R"({"a": "x", "b": 1})"));
}

TEST(EventPatternExists, AbsenceAmongAlternatives) {
  constexpr std::string_view kPattern = R"({"a": ["x", {"exists": false}]})";
  EXPECT_TRUE(match(kPattern, R"({"a": "x"})"));
  EXPECT_TRUE(match(kPattern, R"({"b": 1})"));
  EXPECT_FALSE(match(kPattern, R"({"a": "y"})"));
}

// event-ruler checks an absent field against the array elements chosen by the fields sorted
// before it (by dotted path), and against every element otherwise.
TEST(EventPatternExists, AbsenceInsideArrays) {
  constexpr std::string_view kPattern = R"({"items": {"flag": [{"exists": false}]}})";
  EXPECT_TRUE(match(kPattern, R"({"items": [{"sku": 1}, {"sku": 2}]})"));
  EXPECT_FALSE(match(kPattern, R"({"items": [{"flag": 1}, {"sku": 2}]})"));
  // "items.b" sorts before "items.c": the element with b="x" is chosen, and it has no c.
  EXPECT_TRUE(match(R"({"items": {"b": ["x"], "c": [{"exists": false}]}})",
                    R"({"items": [{"b": "x"}, {"c": 1}]})"));
  EXPECT_FALSE(match(R"({"items": {"b": ["x"], "c": [{"exists": false}]}})",
                     R"({"items": [{"b": "x", "c": 1}]})"));
  // "items.c" sorts before "items.z": c is looked for in every element first.
  EXPECT_FALSE(match(R"({"items": {"z": ["x"], "c": [{"exists": false}]}})",
                     R"({"items": [{"z": "x"}, {"c": 1}]})"));
}

// ---------------------------------------------------------------------------------------------
// cidr.

TEST(EventPatternCidr, Ipv4AndIpv6) {
  constexpr std::string_view kV4 = R"({"detail": {"sourceIPAddress": [{"cidr": "10.0.0.0/24"}]}})";
  EXPECT_TRUE(match(kV4, R"({"detail": {"sourceIPAddress": "10.0.0.0"}})"));
  EXPECT_TRUE(match(kV4, R"({"detail": {"sourceIPAddress": "10.0.0.24"}})"));
  EXPECT_TRUE(match(kV4, R"({"detail": {"sourceIPAddress": "10.0.0.255"}})"));
  EXPECT_FALSE(match(kV4, R"({"detail": {"sourceIPAddress": "10.0.1.0"}})"));
  EXPECT_FALSE(match(kV4, R"({"detail": {"sourceIPAddress": "9.255.255.255"}})"));
  EXPECT_FALSE(match(kV4, R"({"detail": {"sourceIPAddress": "not an ip"}})"));
  EXPECT_FALSE(match(kV4, R"({"detail": {"sourceIPAddress": "::ffff"}})"));
  EXPECT_FALSE(match(kV4, R"({"detail": {"sourceIPAddress": 10}})"));
  EXPECT_TRUE(match(R"({"ip": [{"cidr": "10.0.0.0/8"}]})", R"({"ip": "10.200.3.4"})"));
  EXPECT_TRUE(match(R"({"ip": [{"cidr": "0.0.0.0/0"}]})", R"({"ip": "255.1.2.3"})"));
  EXPECT_TRUE(match(R"({"ip": [{"cidr": "192.168.1.7/31"}]})", R"({"ip": "192.168.1.7"})"));
  EXPECT_FALSE(match(R"({"ip": [{"cidr": "192.168.1.7/31"}]})", R"({"ip": "192.168.1.8"})"));

  constexpr std::string_view kV6 = R"({"ip": [{"cidr": "2001:db8::/32"}]})";
  EXPECT_TRUE(match(kV6, R"({"ip": "2001:db8::1"})"));
  EXPECT_TRUE(match(kV6, R"({"ip": "2001:0DB8:ffff:ffff:ffff:ffff:ffff:ffff"})"));
  EXPECT_FALSE(match(kV6, R"({"ip": "2001:db9::"})"));
  EXPECT_FALSE(match(kV6, R"({"ip": "10.0.0.1"})"));
}

// ---------------------------------------------------------------------------------------------
// $or.

TEST(EventPatternOr, Examples) {
  // event-ruler README: "source" && ("metricName" || "namespace").
  constexpr std::string_view kOr = R"({
    "source": ["aws.cloudwatch"],
    "$or": [{"metricName": ["CPUUtilization", "ReadLatency"]},
            {"namespace": ["AWS/EC2", "AWS/ES"]}]})";
  EXPECT_TRUE(match(kOr, R"({"source": "aws.cloudwatch", "metricName": "ReadLatency"})"));
  EXPECT_TRUE(match(kOr, R"({"source": "aws.cloudwatch", "namespace": "AWS/ES"})"));
  EXPECT_FALSE(match(kOr, R"({"source": "aws.cloudwatch", "namespace": "AWS/S3"})"));
  EXPECT_FALSE(match(kOr, R"({"source": "aws.ec2", "metricName": "ReadLatency"})"));

  // The EventBridge operator table: Location is "New York", or Day is "Monday".
  constexpr std::string_view kTable =
      R"({"$or": [{"Location": ["New York"]}, {"Day": ["Monday"]}]})";
  EXPECT_TRUE(match(kTable, R"({"Location": "New York", "Day": "Sunday"})"));
  EXPECT_TRUE(match(kTable, R"({"Location": "Paris", "Day": "Monday"})"));
  EXPECT_FALSE(match(kTable, R"({"Location": "Paris", "Day": "Sunday"})"));

  // Parallel $or: (metricName || namespace) && (detail.source || detail.detail-type).
  constexpr std::string_view kParallel = R"({
    "$or": [{"metricName": ["CPUUtilization"]}, {"namespace": ["AWS/EC2"]}],
    "detail": {"$or": [{"source": ["aws.cloudwatch"]},
                       {"detail-type": ["CloudWatch Alarm State Change"]}]}})";
  EXPECT_TRUE(
      match(kParallel, R"({"namespace": "AWS/EC2", "detail": {"source": "aws.cloudwatch"}})"));
  EXPECT_TRUE(match(kParallel, R"({"metricName": "CPUUtilization",
      "detail": {"detail-type": "CloudWatch Alarm State Change"}})"));
  EXPECT_FALSE(match(kParallel, R"({"namespace": "AWS/EC2", "detail": {"source": "aws.ec2"}})"));
  EXPECT_FALSE(match(kParallel, R"({"detail": {"source": "aws.cloudwatch"}})"));

  // Nested "Or" and "And".
  constexpr std::string_view kNested = R"({
    "source": ["aws.cloudwatch"],
    "$or": [
      {"metricName": ["CPUUtilization", "ReadLatency"]},
      {"metricType": ["MetricType"], "namespace": ["AWS/EC2", "AWS/ES"],
       "$or": [{"metricId": [1234]}, {"spaceId": [1000]}]},
      {"scope": ["Service"]}]})";
  EXPECT_TRUE(match(kNested, R"({"source": "aws.cloudwatch", "scope": "Service"})"));
  EXPECT_TRUE(match(kNested, R"({"source": "aws.cloudwatch", "metricType": "MetricType",
      "namespace": "AWS/ES", "spaceId": 1000})"));
  EXPECT_FALSE(match(kNested, R"({"source": "aws.cloudwatch", "metricType": "MetricType",
      "namespace": "AWS/ES"})"));
  EXPECT_FALSE(match(kNested, R"({"source": "aws.cloudwatch", "metricType": "MetricType",
      "spaceId": 1000})"));
}

TEST(EventPatternOr, LaterFieldsReplaceEarlierOnes) {
  // Within a branch a field named again replaces the earlier one, as in event-ruler.
  constexpr std::string_view kBefore = R"({"a": [1], "$or": [{"a": [2]}, {"b": [3]}]})";
  EXPECT_TRUE(match(kBefore, R"({"a": 2})"));
  EXPECT_TRUE(match(kBefore, R"({"a": 1, "b": 3})"));
  EXPECT_FALSE(match(kBefore, R"({"a": 1})"));
  EXPECT_TRUE(match(kBefore, R"({"a": 2, "b": 4})"));
  constexpr std::string_view kAfter = R"({"$or": [{"a": [2]}, {"b": [3]}], "a": [1]})";
  EXPECT_FALSE(match(kAfter, R"({"a": 2})"));
  EXPECT_TRUE(match(kAfter, R"({"a": 1})"));
  EXPECT_TRUE(match(kAfter, R"({"a": 1, "b": 3})"));
}

TEST(EventPatternOr, FieldNamedLikeAnOperatorOutsideOr) {
  EXPECT_TRUE(match(R"({"prefix": ["a"], "numeric": [1]})", R"({"prefix": "a", "numeric": 1})"));
}

// ---------------------------------------------------------------------------------------------
// FilterCriteria, field_use, copies.

TEST(EventPatternCriteria, MatchesAny) {
  auto a = EventPattern::compile(R"({"a": [1]})");
  auto b = EventPattern::compile(R"({"b": [2]})");
  ASSERT_TRUE(a.ok() && b.ok());
  std::vector<EventPattern> none;
  std::vector<EventPattern> both{*a, *b};
  auto event = *json::parse(R"({"b": 2})");
  auto other = *json::parse(R"({"c": 3})");
  EXPECT_TRUE(matches_any(none, event));
  EXPECT_TRUE(matches_any(none, other));
  EXPECT_TRUE(matches_any(both, event));
  EXPECT_FALSE(matches_any(both, other));
  EXPECT_FALSE(matches_any({*a}, event));
  // Copies share the compiled form and behave the same.
  EventPattern copy = both[1];
  EXPECT_TRUE(copy.matches(event));
}

TEST(EventPatternCriteria, FieldUse) {
  auto use = [](std::string_view pattern) {
    auto p = EventPattern::compile(pattern);
    EXPECT_TRUE(p.ok()) << pattern;
    return p.ok() ? p->field_use("body") : FieldUse::kUnused;
  };
  EXPECT_EQ(use(R"({"messageId": ["x"]})"), FieldUse::kUnused);
  EXPECT_EQ(use(R"({"body": ["hello"]})"), FieldUse::kValue);
  EXPECT_EQ(use(R"({"body": [{"prefix": "h"}]})"), FieldUse::kValue);
  EXPECT_EQ(use(R"({"body": {"a": ["x"]}})"), FieldUse::kObject);
  EXPECT_EQ(use(R"({"body": {"a": {"b": ["x"]}}})"), FieldUse::kObject);
  EXPECT_EQ(use(R"({"$or": [{"body": ["x"]}, {"body": {"a": [1]}}]})"), FieldUse::kBoth);
  EXPECT_EQ(use(R"({"body.a": ["x"]})"), FieldUse::kUnused);
}

// ---------------------------------------------------------------------------------------------
// Dialects.

TEST(EventPatternDialect, PipesRefusesWhatPipesDoNotSupport) {
  EXPECT_EQ(error_of(R"({"a": [{"anything-but": {"prefix": "us-"}}]})"),
            "Unsupported anything-but pattern: prefix");
  EXPECT_EQ(error_of(R"({"a": [{"anything-but": {"suffix": ".png"}}]})"),
            "Unsupported anything-but pattern: suffix");
  EXPECT_EQ(error_of(R"({"a": [{"anything-but": {"equals-ignore-case": "x"}}]})"),
            "Unsupported anything-but pattern: equals-ignore-case");
  EXPECT_EQ(error_of(R"({"a": [{"anything-but": {"wildcard": "*x"}}]})"),
            "Unsupported anything-but pattern: wildcard");
  EXPECT_EQ(error_of(R"({"a": [{"wildcard": "*x"}]})"), "Unrecognized match type wildcard");
  EXPECT_EQ(error_of(R"({"a": [{"exactly": "x"}]})"), "Unrecognized match type exactly");
  // Everything the Pipes column marks as supported compiles.
  EXPECT_EQ(error_of(R"({"a": [{"prefix": {"equals-ignore-case": "x"}}],
      "b": [{"suffix": {"equals-ignore-case": "x"}}], "c": [{"equals-ignore-case": "x"}],
      "d": [{"anything-but": ["x"]}], "e": [{"numeric": ["=", 1]}], "f": [{"exists": false}],
      "g": [null, "", 1, true], "h": [{"cidr": "10.0.0.0/8"}], "i": [{"suffix": "x"}],
      "$or": [{"j": [1]}, {"k": [2]}]})"),
            "<compiled>");
}

// ---------------------------------------------------------------------------------------------
// Compile errors (event-ruler's messages).

TEST(EventPatternErrors, Structure) {
  EXPECT_EQ(error_of(R"([1])"), "Filter is not an object");
  EXPECT_EQ(error_of(R"("x")"), "Filter is not an object");
  EXPECT_EQ(error_of(R"(5)"), "Filter is not an object");
  EXPECT_EQ(error_of(R"(null)"), "Filter is not an object");
  EXPECT_EQ(error_of(R"({"a": ["x"])").rfind("Invalid JSON", 0), 0u);
  EXPECT_NE(error_of(""), "<compiled>");
  EXPECT_EQ(error_of(R"({"a": "x"})"), R"("a" must be an object or an array)");
  EXPECT_EQ(error_of(R"({"detail": {"pipeline": {"slug": "some-pipeline"}}})"),
            R"("slug" must be an object or an array)");
  EXPECT_EQ(error_of(R"({"a": 5})"), R"("a" must be an object or an array)");
  EXPECT_EQ(error_of(R"({"a": null})"), R"("a" must be an object or an array)");
  EXPECT_EQ(error_of(R"({})"), "Empty objects are not allowed");
  EXPECT_EQ(error_of(R"({"a": {}})"), "Empty objects are not allowed");
  EXPECT_EQ(error_of(R"({"a": []})"), "Empty arrays are not allowed");
  EXPECT_EQ(error_of(R"({"a": [[1]]})"),
            "Match value must be String, number, true, false, or null");
  EXPECT_EQ(error_of(R"({"a": [{}]})"), "Match expression name not found");
  EXPECT_EQ(error_of(R"({"a": [{"foo": 1}]})"), "Unrecognized match type foo");
  EXPECT_EQ(error_of(R"({"a": [{"Prefix": "x"}]})"), "Unrecognized match type Prefix");
  // The first problem in document order is the one reported.
  EXPECT_EQ(error_of(R"({"a": "x", "b": []})"), R"("a" must be an object or an array)");
  EXPECT_EQ(error_of(R"({"b": [], "a": "x"})"), "Empty arrays are not allowed");
}

TEST(EventPatternErrors, StringOperators) {
  EXPECT_EQ(error_of(R"({"a": [{"prefix": 1}]})"), "prefix match pattern must be a string");
  EXPECT_EQ(error_of(R"({"a": [{"prefix": null}]})"), "prefix match pattern must be a string");
  EXPECT_EQ(error_of(R"({"a": [{"suffix": ["x"]}]})"), "suffix match pattern must be a string");
  EXPECT_EQ(error_of(R"({"a": [{"prefix": "x", "suffix": "y"}]})"),
            "Only one key allowed in match expression");
  EXPECT_EQ(error_of(R"({"a": [{"prefix": {}}]})"), "Prefix expression name not found");
  EXPECT_EQ(error_of(R"({"a": [{"suffix": {}}]})"), "Suffix expression name not found");
  EXPECT_EQ(error_of(R"({"a": [{"prefix": {"foo": "x"}}]})"), "Unsupported prefix pattern: foo");
  EXPECT_EQ(error_of(R"({"a": [{"suffix": {"foo": "x"}}]})"), "Unsupported suffix pattern: foo");
  EXPECT_EQ(error_of(R"({"a": [{"prefix": {"equals-ignore-case": 1}}]})"),
            "equals-ignore-case match pattern must be a string");
  EXPECT_EQ(error_of(R"({"a": [{"prefix": {"equals-ignore-case": "x", "b": 1}}]})"),
            "Only one key allowed in match expression");
  EXPECT_EQ(error_of(R"({"a": [{"equals-ignore-case": 5}]})"),
            "equals-ignore-case match pattern must be a string");
  EXPECT_EQ(error_of(R"({"a": [{"equals-ignore-case": "x", "prefix": "y"}]})"),
            "Only one key allowed in match expression");
  EXPECT_EQ(error_of(R"({"a": [{"wildcard": 5}]})", kBus),
            "wildcard match pattern must be a string");
  EXPECT_EQ(error_of(R"({"a": [{"wildcard": "a**b"}]})", kBus),
            "Consecutive wildcard characters at pos 2");
  EXPECT_EQ(error_of(R"({"a": [{"wildcard": "ab\\c"}]})", kBus),
            "Invalid escape character at pos 3");
  EXPECT_EQ(error_of(R"({"a": [{"wildcard": "x\\"}]})", kBus), "Invalid escape character at pos 2");
  EXPECT_EQ(error_of(R"({"a": [{"exactly": 1}]})", kBus), "exact match pattern must be a string");
}

TEST(EventPatternErrors, Exists) {
  // The error CloudFormation once produced by quoting true (serverless-application-model #1455).
  EXPECT_EQ(error_of(R"({"name": [{"exists": "true"}]})"),
            "exists match pattern must be either true or false.");
  EXPECT_EQ(error_of(R"({"name": [{"exists": 1}]})"),
            "exists match pattern must be either true or false.");
  EXPECT_EQ(error_of(R"({"name": [{"exists": true, "prefix": "x"}]})"),
            "Only one key allowed in match expression");
}

TEST(EventPatternErrors, Numeric) {
  auto err = [](std::string_view expr) {
    return error_of(cat(R"({"n": [{"numeric": )", expr, "}]}"));
  };
  EXPECT_EQ(err(R"(5)"), "Value of numeric must be an array.");
  EXPECT_EQ(err(R"({">": 5})"), "Value of numeric must be an array.");
  EXPECT_EQ(err(R"([])"), "Invalid member in numeric match: ]");
  EXPECT_EQ(err(R"([5])"), "Invalid member in numeric match: 5");
  EXPECT_EQ(err(R"([true, 5])"), "Invalid member in numeric match: true");
  EXPECT_EQ(err(R"(["!=", 5])"), "Unrecognized numeric range operator: !=");
  EXPECT_EQ(err(R"(["=", "5"])"), "Value of equals must be numeric");
  EXPECT_EQ(err(R"(["="])"), "Value of equals must be numeric");
  // serverless-application-model #1455 again: the number quoted.
  EXPECT_EQ(err(R"([">", "25"])"), "Value of > must be numeric");
  EXPECT_EQ(err(R"([">=", null])"), "Value of >= must be numeric");
  EXPECT_EQ(err(R"(["<", "x"])"), "Value of < must be numeric");
  EXPECT_EQ(err(R"(["<="])"), "Value of <= must be numeric");
  EXPECT_EQ(err(R"(["=", 5, 6])"), "Too many elements in numeric expression");
  EXPECT_EQ(err(R"(["<", 5, ">", 1])"), "Too many elements in numeric expression");
  EXPECT_EQ(err(R"(["<=", 5, 6])"), "Too many elements in numeric expression");
  EXPECT_EQ(err(R"([">", 0, 5])"), "Bad value in numeric range: 5");
  EXPECT_EQ(err(R"([">", 0, 5.5])"), "Bad value in numeric range: 5.5");
  EXPECT_EQ(err(R"([">", 0, ">", 5])"), "Bad numeric range operator: >");
  EXPECT_EQ(err(R"([">", 0, "=", 5])"), "Bad numeric range operator: =");
  EXPECT_EQ(err(R"([">", 0, "<", "x"])"), "Value of < must be numeric");
  EXPECT_EQ(err(R"([">", 0, "<="])"), "Value of <= must be numeric");
  EXPECT_EQ(err(R"([">", 0, "<", 5, 6])"), "Too many terms in numeric range expression");
  EXPECT_EQ(err(R"([">", 5, "<", 5])"), "Bottom must be less than top");
  EXPECT_EQ(err(R"([">=", 6, "<=", 5])"), "Bottom must be less than top");
  // A one-sided range runs to the limit: nothing lies beyond it.
  EXPECT_EQ(err(R"([">", 5000000000])"), "Bottom must be less than top");
  EXPECT_EQ(err(R"(["<", -5e9])"), "Bottom must be less than top");
  EXPECT_EQ(err(R"(["<", 6e9])"), "Value must be between -5.0E9 and 5.0E9, inclusive");
  EXPECT_EQ(err(R"(["=", 5e10])"), "Value must be between -5.0E9 and 5.0E9, inclusive");
  EXPECT_EQ(err(R"(["=", -5000000001])"), "Value must be between -5.0E9 and 5.0E9, inclusive");
  EXPECT_EQ(err(R"([">", -6e9, "<", 0])"), "Value must be between -5.0E9 and 5.0E9, inclusive");
  EXPECT_EQ(err(R"(["=", 0.0000001])"), "Only values upto 6 decimals are supported");
  EXPECT_EQ(err(R"(["<", 1.1234567])"), "Only values upto 6 decimals are supported");
  EXPECT_EQ(err(R"(["=", 5e9])"), "<compiled>");
  EXPECT_EQ(err(R"(["=", -5e9])"), "<compiled>");
  EXPECT_EQ(err(R"(["=", 1.123456])"), "<compiled>");
  EXPECT_EQ(err(R"(["=", 3.018e2])"), "<compiled>");
  EXPECT_EQ(error_of(R"({"n": [{"numeric": [">", 0], "prefix": "x"}]})"),
            "Too many elements in numeric expression");
}

TEST(EventPatternErrors, AnythingBut) {
  auto err = [](std::string_view operand, PatternDialect d = kPipes) {
    return error_of(cat(R"({"a": [{"anything-but": )", operand, "}]}"), d);
  };
  constexpr std::string_view kShape =
      "Value of anything-but must be an array or single string/number value.";
  EXPECT_EQ(err("null"), kShape);
  EXPECT_EQ(err("true"), kShape);
  EXPECT_EQ(err("[true]"), "Inside anything but list, start|null|boolean is not supported.");
  EXPECT_EQ(err(R"(["x", null])"),
            "Inside anything but list, start|null|boolean is not supported.");
  EXPECT_EQ(err(R"([{"prefix": "x"}])"),
            "Inside anything but list, start|null|boolean is not supported.");
  EXPECT_EQ(err(R"(["x", 1])"),
            "Inside anything but list, either all values are number or string, mixed type is not "
            "supported");
  EXPECT_EQ(err("[]"),
            "Inside anything but list, either all values are number or string, mixed type is not "
            "supported");
  EXPECT_EQ(err("[0.0000001]"), "Only values upto 6 decimals are supported");
  EXPECT_EQ(err("6e9"), "Value must be between -5.0E9 and 5.0E9, inclusive");
  EXPECT_EQ(err("{}"), "Anything-But expression name not found");
  EXPECT_EQ(err(R"({"foo": "x"})"), "Unsupported anything-but pattern: foo");
  EXPECT_EQ(err(R"({"foo": "x"})", kBus), "Unsupported anything-but pattern: foo");
  EXPECT_EQ(error_of(R"({"a": [{"anything-but": "x", "prefix": "y"}]})"),
            "Too many elements in numeric expression");
  // The set forms, where they are supported.
  EXPECT_EQ(err(R"({"prefix": null})", kBus), kShape);
  EXPECT_EQ(err(R"({"prefix": {"x": 1}})", kBus), kShape);
  EXPECT_EQ(err(R"({"prefix": ""})", kBus), "Null prefix/suffix not allowed");
  EXPECT_EQ(err(R"({"suffix": ["a", ""]})", kBus), "Null prefix/suffix not allowed");
  EXPECT_EQ(err(R"({"prefix": 5})", kBus), "prefix/suffix match pattern must be a string");
  EXPECT_EQ(err(R"({"suffix": [5]})", kBus), "prefix/suffix match pattern must be a string");
  EXPECT_EQ(err(R"({"equals-ignore-case": [1]})", kBus),
            "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not "
            "supported.");
  EXPECT_EQ(err(R"({"equals-ignore-case": ""})", kBus), "<compiled>");
  EXPECT_EQ(err(R"({"wildcard": [1]})", kBus), "wildcard match pattern must be a string");
  EXPECT_EQ(err(R"({"wildcard": "a**"})", kBus), "Consecutive wildcard characters at pos 2");
  EXPECT_EQ(err(R"({"prefix": "x", "suffix": "y"})", kBus),
            "Too many elements in numeric expression");
}

TEST(EventPatternErrors, Cidr) {
  auto err = [](std::string_view operand) {
    return error_of(cat(R"({"ip": [{"cidr": )", operand, "}]}"));
  };
  EXPECT_EQ(err("5"), "prefix match pattern must be a string");
  EXPECT_EQ(err(R"("10.0.0.0")"), "Malformed CIDR, one '/' required");
  EXPECT_EQ(err(R"("10.0.0.0/8/8")"), "Malformed CIDR, one '/' required");
  EXPECT_EQ(err(R"("10.0.0.0/x")"), "Malformed CIDR, mask bits must be an integer");
  EXPECT_EQ(err(R"("10.0.0.0/-1")"), "Malformed CIDR, mask bits must not be negative");
  EXPECT_EQ(err(R"("10.0.0.0/32")"), "IPv4 mask bits must be < 32");
  EXPECT_EQ(err(R"("::/128")"), "IPv6 mask bits must be < 128");
  EXPECT_EQ(err(R"("foo/8")"), "Nonstandard IP address: foo");
  EXPECT_EQ(err(R"("999.0.0.1/8")"), "Invalid IP address: 999.0.0.1");
  EXPECT_EQ(err(R"("1:2:3/64")"), "Invalid IP address: 1:2:3");
  EXPECT_EQ(err(R"("10.0.0.0/24", "prefix": "x")"), "Only one key allowed in match expression");
  EXPECT_EQ(err(R"("10.0.0.0/31")"), "<compiled>");
  EXPECT_EQ(err(R"("::/0")"), "<compiled>");
}

TEST(EventPatternErrors, Or) {
  EXPECT_EQ(error_of(R"({"$or": {"a": [1]}})"), "It must be an Array followed with $or.");
  EXPECT_EQ(error_of(R"({"$or": [{"a": [1]}]})"),
            "There must have at least 2 Objects in $or relationship.");
  EXPECT_EQ(error_of(R"({"$or": []})"), "There must have at least 2 Objects in $or relationship.");
  EXPECT_EQ(error_of(R"({"$or": [{"a": [1]}, 5]})"),
            "Only JSON object is allowed in array of $or relationship.");
  EXPECT_EQ(error_of(R"({"$or": [{"a": [1]}, {}]})"), "Empty objects are not allowed");
  EXPECT_EQ(error_of(R"({"$or": [{"numeric": [1]}, {"a": [1]}]})"),
            "numeric is Ruler reserved fieldName which cannot be used inside $or.");
  EXPECT_EQ(error_of(R"({"$or": [{"x": {"prefix": ["a"]}}, {"a": [1]}]})"),
            "prefix is Ruler reserved fieldName which cannot be used inside $or.");
  EXPECT_EQ(error_of(R"({"$or": [{"a": [1]}, {">=": [1]}]})"),
            ">= is Ruler reserved fieldName which cannot be used inside $or.");
}

TEST(EventPatternErrors, TooComplexAndTooLong) {
  // Parallel $or multiply: 2^9 = 512 combinations are accepted, 2^10 are not.
  auto parallel = [](int n) {
    std::string p = "{";
    for (int i = 0; i < n; ++i) {
      if (i > 0) p += ",";
      p += cat(R"("f)", std::to_string(i), R"(": {"$or": [{"a": [1]}, {"b": [2]}]})");
    }
    return cat(p, "}");
  };
  EXPECT_EQ(error_of(parallel(9)), "<compiled>");
  EXPECT_EQ(error_of(parallel(10)), "Rule is too complex - try using fewer $or combinations");
  auto wide = EventPattern::compile(parallel(9));
  ASSERT_TRUE(wide.ok());
  std::string event = "{";
  for (int i = 0; i < 9; ++i)
    event += cat(i ? "," : "", R"("f)", std::to_string(i), R"(": {"b": 2})");
  event += "}";
  EXPECT_TRUE(wide->matches(*json::parse(event)));

  std::string padded = cat(R"({"a": [")", std::string(4096, 'x'), R"("]})");
  EXPECT_EQ(error_of(padded), "Member must have length less than or equal to 4096");
  std::string fits = cat(R"({"a": [")", std::string(4096 - 11, 'x'), R"("]})");
  ASSERT_EQ(fits.size(), 4096u);
  EXPECT_EQ(error_of(fits), "<compiled>");
}

}  // namespace
}  // namespace sluice::engine::pipes
