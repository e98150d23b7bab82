// PipesRequest: which requests on the shared port are Pipes requests, the route of every
// operation, percent-decoded labels, ListPipes' and UntagResource's query parameters, bodies,
// and the errors for unknown routes and malformed input.
#include "broker/pipes/api/pipes_request.h"

#include <gtest/gtest.h>

namespace sluice::pipes {
namespace {

http::Request req(std::string method, std::string target, std::string body = {},
                  std::vector<http::Header> headers = {}) {
  http::Request r;
  r.method = std::move(method);
  r.target = std::move(target);
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

PipesRequest decode_ok(const http::Request& r) {
  auto d = decode_pipes_request(r);
  EXPECT_TRUE(d) << (d ? "" : d.error().type + ": " + d.error().message);
  return d ? std::move(d).value() : PipesRequest{};
}

PipesError decode_error(const http::Request& r) {
  auto d = decode_pipes_request(r);
  EXPECT_FALSE(d);
  return d ? PipesError{} : d.error();
}

TEST(PipesRequestTest, RecognisesPipesPaths) {
  EXPECT_TRUE(is_pipes_request(req("GET", "/v1/pipes")));
  EXPECT_TRUE(is_pipes_request(req("GET", "/v1/pipes?Limit=5")));
  EXPECT_TRUE(is_pipes_request(req("POST", "/v1/pipes/p")));
  EXPECT_TRUE(is_pipes_request(req("POST", "/v1/pipes/p/start")));
  EXPECT_TRUE(is_pipes_request(req("GET", "/tags/arn%3Aaws%3Apipes%3Aus-east-1%3A1%3Apipe%2Fp")));
  EXPECT_TRUE(is_pipes_request(req("PATCH", "/v1/pipes/p/other")));  // ours, if unknown
}

TEST(PipesRequestTest, LeavesSqsAndJsonApisAlone) {
  // SQS queue URLs, the query protocol's POST to / and AWS JSON 1.0 (SQS, Step Functions).
  EXPECT_FALSE(is_pipes_request(req("POST", "/")));
  EXPECT_FALSE(is_pipes_request(req("POST", "/000000000000/orders")));
  EXPECT_FALSE(is_pipes_request(req("GET", "/000000000000/v1?Action=ReceiveMessage")));
  EXPECT_FALSE(is_pipes_request(
      req("POST", "/", "{}", {{"x-amz-target", "AWSStepFunctions.ListStateMachines"}})));
  EXPECT_FALSE(
      is_pipes_request(req("POST", "/v1/pipes", "{}", {{"x-amz-target", "AmazonSQS.ListQueues"}})));
  EXPECT_FALSE(is_pipes_request(req("GET", "/health")));
  EXPECT_FALSE(is_pipes_request(req("GET", "/metrics")));
  EXPECT_FALSE(is_pipes_request(req("GET", "/v1/pipesx")));
  EXPECT_FALSE(is_pipes_request(req("GET", "/v1")));
  EXPECT_FALSE(is_pipes_request(req("GET", "/tags")));
}

TEST(PipesRequestTest, RoutesEveryOperation) {
  struct Case {
    const char* method;
    const char* target;
    PipesAction action;
  };
  const Case cases[] = {
      {"POST", "/v1/pipes/p", PipesAction::kCreatePipe},
      {"GET", "/v1/pipes/p", PipesAction::kDescribePipe},
      {"PUT", "/v1/pipes/p", PipesAction::kUpdatePipe},
      {"DELETE", "/v1/pipes/p", PipesAction::kDeletePipe},
      {"POST", "/v1/pipes/p/start", PipesAction::kStartPipe},
      {"POST", "/v1/pipes/p/stop", PipesAction::kStopPipe},
      {"GET", "/v1/pipes", PipesAction::kListPipes},
      {"GET", "/tags/arn%3Aaws%3Apipes%3Aus-east-1%3A123456789012%3Apipe%2Fp",
       PipesAction::kListTagsForResource},
      {"POST", "/tags/arn%3Aaws%3Apipes%3Aus-east-1%3A123456789012%3Apipe%2Fp",
       PipesAction::kTagResource},
      {"DELETE", "/tags/arn%3Aaws%3Apipes%3Aus-east-1%3A123456789012%3Apipe%2Fp?tagKeys=a",
       PipesAction::kUntagResource},
  };
  for (const Case& c : cases) {
    PipesRequest r = decode_ok(req(c.method, c.target));
    EXPECT_EQ(r.action, c.action) << c.method << " " << c.target;
    if (c.action == PipesAction::kListPipes) continue;
    if (r.resource_arn.empty()) {
      EXPECT_EQ(r.name, "p") << c.target;
    } else {
      EXPECT_EQ(r.resource_arn, "arn:aws:pipes:us-east-1:123456789012:pipe/p") << c.target;
    }
  }
  EXPECT_EQ(action_name(PipesAction::kCreatePipe), "CreatePipe");
  EXPECT_EQ(action_name(PipesAction::kListTagsForResource), "ListTagsForResource");
  EXPECT_EQ(action_name(PipesAction::kUntagResource), "UntagResource");
}

TEST(PipesRequestTest, UnknownRoutesAreUnknownOperation) {
  for (auto [method, target] : std::vector<std::pair<const char*, const char*>>{
           {"POST", "/v1/pipes"},
           {"DELETE", "/v1/pipes"},
           {"PATCH", "/v1/pipes/p"},
           {"GET", "/v1/pipes/p/start"},
           {"PUT", "/v1/pipes/p/stop"},
           {"POST", "/v1/pipes/p/restart"},
           {"POST", "/v1/pipes/p/start/now"},
           {"PUT", "/tags/arn"},
       }) {
    PipesError e = decode_error(req(method, target));
    EXPECT_EQ(e.type, "UnknownOperationException") << method << " " << target;
    EXPECT_EQ(e.http_status, 404);
  }
}

TEST(PipesRequestTest, LabelsArePercentDecodedAfterSplitting) {
  // The JS SDK encodes ':' and '/'; an encoded '/' in a Name stays in it (and is then invalid).
  auto tags =
      decode_ok(req("GET", "/tags/arn%3aaws%3Apipes%3Aus-east-1%3A123456789012%3Apipe%2Fmy-pipe"));
  EXPECT_EQ(tags.resource_arn, "arn:aws:pipes:us-east-1:123456789012:pipe/my-pipe");

  auto raw = decode_ok(req("GET", "/tags/arn:aws:pipes:us-east-1:123456789012:pipe/my-pipe"));
  EXPECT_EQ(raw.action, PipesAction::kListTagsForResource);
  EXPECT_EQ(raw.resource_arn, "arn:aws:pipes:us-east-1:123456789012:pipe/my-pipe");

  auto name = decode_ok(req("GET", "/v1/pipes/a%2Eb%5F-c"));
  EXPECT_EQ(name.name, "a.b_-c");

  PipesError slash = decode_error(req("GET", "/v1/pipes/a%2Fb"));
  EXPECT_EQ(slash.type, "ValidationException");
  EXPECT_EQ(slash.message,
            "[ECMA 262 regex \"[\\.\\-_A-Za-z0-9]+\" does not match input string \"a/b\"]");
  ASSERT_EQ(slash.field_list.size(), 1u);
  EXPECT_EQ(slash.field_list[0].name, "Name");

  std::string out;
  EXPECT_TRUE(percent_decode_path("a+b%20c", out));
  EXPECT_EQ(out, "a+b c");  // '+' is no space in a path
  out.clear();
  EXPECT_FALSE(percent_decode_path("a%2", out));
  out.clear();
  EXPECT_FALSE(percent_decode_path("a%zz", out));

  PipesError bad = decode_error(req("GET", "/v1/pipes/a%G1"));
  EXPECT_EQ(bad.type, "SerializationException");
}

TEST(PipesRequestTest, NameLabelConstraints) {
  PipesError empty = decode_error(req("POST", "/v1/pipes/"));
  EXPECT_EQ(empty.type, "ValidationException");
  EXPECT_EQ(empty.message,
            "[string \"\" is too short (length: 0, required minimum: 1), ECMA 262 regex "
            "\"[\\.\\-_A-Za-z0-9]+\" does not match input string \"\"]");

  PipesError long_name = decode_error(req("GET", "/v1/pipes/" + std::string(65, 'a')));
  EXPECT_EQ(long_name.message, "[string \"" + std::string(65, 'a') +
                                   "\" is too long (length: 65, maximum allowed: 64)]");
  decode_ok(req("GET", "/v1/pipes/" + std::string(64, 'a')));

  PipesError space = decode_error(req("DELETE", "/v1/pipes/my%20pipe"));
  EXPECT_EQ(space.field_list[0].name, "Name");
}

TEST(PipesRequestTest, ResourceArnLabelConstraints) {
  PipesError bad = decode_error(req("GET", "/tags/not-an-arn"));
  EXPECT_EQ(bad.type, "ValidationException");
  EXPECT_EQ(bad.field_list[0].name, "resourceArn");
  EXPECT_EQ(bad.message,
            "[ECMA 262 regex \"arn:aws([a-z]|\\-)*:([a-zA-Z0-9\\-]+):([a-z]|\\d|\\-)*:([0-9]{12})?:"
            "(.+)\" does not match input string \"not-an-arn\"]");
  // Any well-formed ARN passes here; whether it is one of ours is the handler's NotFound.
  decode_ok(req("GET", "/tags/arn%3Aaws%3Aevents%3Aus-east-1%3A123456789012%3Arule%2Fr"));
}

TEST(PipesRequestTest, ListPipesQueryParameters) {
  auto r = decode_ok(req("GET",
                         "/v1/pipes?NamePrefix=ord&SourcePrefix=arn%3Aaws%3Asqs&TargetPrefix="
                         "arn%3Aaws%3Astates&DesiredState=RUNNING&CurrentState=CREATE_FAILED&"
                         "NextToken=abc%2B%3D&Limit=25&Unknown=1"));
  EXPECT_EQ(r.action, PipesAction::kListPipes);
  EXPECT_EQ(r.list.name_prefix, "ord");
  EXPECT_EQ(r.list.source_prefix, "arn:aws:sqs");
  EXPECT_EQ(r.list.target_prefix, "arn:aws:states");
  EXPECT_EQ(r.list.desired_state, "RUNNING");
  EXPECT_EQ(r.list.current_state, "CREATE_FAILED");
  EXPECT_EQ(r.list.next_token, "abc+=");
  EXPECT_EQ(r.list.limit, 25);

  auto none = decode_ok(req("GET", "/v1/pipes"));
  EXPECT_FALSE(none.list.name_prefix);
  EXPECT_FALSE(none.list.limit);
  EXPECT_FALSE(none.list.next_token);
}

TEST(PipesRequestTest, ListPipesQueryConstraints) {
  EXPECT_EQ(decode_error(req("GET", "/v1/pipes?Limit=0")).message,
            "[numeric instance is lower than the required minimum (minimum: 1, found: 0)]");
  EXPECT_EQ(decode_error(req("GET", "/v1/pipes?Limit=101")).message,
            "[numeric instance is greater than the required maximum (maximum: 100, found: 101)]");
  decode_ok(req("GET", "/v1/pipes?Limit=100"));
  decode_ok(req("GET", "/v1/pipes?Limit=1"));

  PipesError nan = decode_error(req("GET", "/v1/pipes?Limit=ten"));
  EXPECT_EQ(nan.type, "SerializationException");
  EXPECT_EQ(nan.message, "STRING_VALUE can not be converted to an Integer");

  PipesError state = decode_error(req("GET", "/v1/pipes?DesiredState=DELETED"));
  EXPECT_EQ(state.message,
            "[instance value (\"DELETED\") not found in enum (possible values: "
            "[\"RUNNING\",\"STOPPED\"])]");
  EXPECT_EQ(state.field_list[0].name, "DesiredState");

  PipesError current = decode_error(req("GET", "/v1/pipes?CurrentState=running"));
  EXPECT_EQ(current.field_list[0].name, "CurrentState");
  EXPECT_NE(current.message.find("\"UPDATE_ROLLBACK_FAILED\""), std::string::npos);

  PipesError prefix = decode_error(req("GET", "/v1/pipes?NamePrefix=a%20b"));
  EXPECT_EQ(prefix.field_list[0].name, "NamePrefix");
  EXPECT_EQ(decode_error(req("GET", "/v1/pipes?NamePrefix=")).field_list.size(), 2u);
  EXPECT_EQ(decode_error(req("GET", "/v1/pipes?NextToken=")).field_list[0].name, "NextToken");
  EXPECT_EQ(
      decode_error(req("GET", "/v1/pipes?NextToken=" + std::string(2049, 'x'))).field_list[0].name,
      "NextToken");
  EXPECT_EQ(decode_error(req("GET", "/v1/pipes?SourcePrefix=")).field_list[0].name, "SourcePrefix");
  EXPECT_EQ(decode_error(req("GET", "/v1/pipes?TargetPrefix=" + std::string(1601, 'a')))
                .field_list[0]
                .name,
            "TargetPrefix");

  // Every violation at once.
  EXPECT_EQ(decode_error(req("GET", "/v1/pipes?Limit=0&DesiredState=x")).field_list.size(), 2u);

  EXPECT_EQ(decode_error(req("GET", "/v1/pipes?NamePrefix=%zz")).type, "SerializationException");
}

TEST(PipesRequestTest, UntagResourceCollectsRepeatedTagKeys) {
  auto r = decode_ok(req("DELETE",
                         "/tags/arn%3Aaws%3Apipes%3Aus-east-1%3A123456789012%3Apipe%2Fp?"
                         "tagKeys=team&tagKeys=cost%20centre&tagKeys=a%2Bb&other=x"));
  ASSERT_TRUE(r.tag_keys);
  EXPECT_EQ(*r.tag_keys, (std::vector<std::string>{"team", "cost centre", "a+b"}));

  auto none =
      decode_ok(req("DELETE", "/tags/arn%3Aaws%3Apipes%3Aus-east-1%3A123456789012%3Apipe%2Fp"));
  EXPECT_FALSE(none.tag_keys);
}

TEST(PipesRequestTest, BodiesAreParsedForCreateUpdateAndTag) {
  auto create = decode_ok(req("POST", "/v1/pipes/p", R"({"Source":"s","Target":"t"})"));
  ASSERT_TRUE(create.body.is_object());
  EXPECT_EQ(create.body.as_object().find("Source")->as_string(), "s");

  auto empty = decode_ok(req("PUT", "/v1/pipes/p", ""));
  ASSERT_TRUE(empty.body.is_object());
  EXPECT_TRUE(empty.body.as_object().empty());

  auto tag = decode_ok(req("POST", "/tags/arn%3Aaws%3Apipes%3Aus-east-1%3A123456789012%3Apipe%2Fp",
                           R"({"tags":{"a":"b"}})"));
  EXPECT_TRUE(tag.body.as_object().contains("tags"));

  // Other operations ignore whatever body they carry.
  auto start = decode_ok(req("POST", "/v1/pipes/p/start", "not json"));
  EXPECT_TRUE(start.body.as_object().empty());

  EXPECT_EQ(decode_error(req("POST", "/v1/pipes/p", "{oops")).type, "SerializationException");
  EXPECT_EQ(decode_error(req("PUT", "/v1/pipes/p", "[1]")).message,
            "Start of list found where not expected.");
  EXPECT_EQ(decode_error(req("POST", "/v1/pipes/p", "42")).type, "SerializationException");
}

}  // namespace
}  // namespace sluice::pipes
