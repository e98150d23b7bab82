// PipesError: every modelled error has the model's HTTP status, and render_error produces what
// the SDKs parse for REST-JSON: the code in x-amzn-ErrorType, "message" plus the shape's members
// in the body, Retry-After for retryAfterSeconds. The two ValidationException message forms
// (schema list, ValidationErrorFields document) and the schema validator's texts.
#include "broker/pipes/api/pipes_error.h"

#include <gtest/gtest.h>

#include "engine/json/json_parse.h"

namespace sluice::pipes {
namespace {

namespace json = engine::json;

const std::string* header(const http::Response& r, std::string_view name) {
  for (const auto& h : r.headers) {
    if (h.name == name) return &h.value;
  }
  return nullptr;
}

json::Object body_of(const http::Response& r) {
  auto v = json::parse(r.body);
  EXPECT_TRUE(v);
  return v->as_object();
}

TEST(PipesErrorTest, StatusesComeFromTheModel) {
  EXPECT_EQ(validation_exception("m").http_status, 400);
  EXPECT_EQ(not_found_exception("m").http_status, 404);
  EXPECT_EQ(conflict_exception("m", "id", "pipe").http_status, 409);
  EXPECT_EQ(service_quota_exceeded_exception("m", "id", "pipe", "pipes", "q").http_status, 402);
  EXPECT_EQ(throttling_exception("m").http_status, 429);
  EXPECT_EQ(internal_exception("m").http_status, 500);
  EXPECT_EQ(serialization_exception("m").http_status, 400);
  EXPECT_EQ(unknown_operation_exception("PATCH", "/v1/pipes/p").http_status, 404);

  EXPECT_EQ(validation_exception("m").type, "ValidationException");
  EXPECT_EQ(not_found_exception("m").type, "NotFoundException");
  EXPECT_EQ(conflict_exception("m", "", "").type, "ConflictException");
  EXPECT_EQ(service_quota_exceeded_exception("m", "", "", "", "").type,
            "ServiceQuotaExceededException");
  EXPECT_EQ(throttling_exception("m").type, "ThrottlingException");
  EXPECT_EQ(internal_exception("m").type, "InternalException");
  EXPECT_EQ(serialization_exception("m").type, "SerializationException");
  EXPECT_EQ(unknown_operation_exception("PATCH", "/v1/pipes/p").type, "UnknownOperationException");
  EXPECT_EQ(unknown_operation_exception("PATCH", "/v1/pipes/p").message,
            "No operation matches PATCH /v1/pipes/p");
}

TEST(PipesErrorTest, RendersValidationExceptionWithFieldList) {
  auto r =
      render_error(validation_exception("bad", {{"Name", "too long"}, {"Target", "x"}}), "req-1");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.content_type, "application/json");
  ASSERT_NE(header(r, "x-amzn-ErrorType"), nullptr);
  EXPECT_EQ(*header(r, "x-amzn-ErrorType"), "ValidationException");
  ASSERT_NE(header(r, "x-amzn-RequestId"), nullptr);
  EXPECT_EQ(*header(r, "x-amzn-RequestId"), "req-1");
  EXPECT_EQ(header(r, "Retry-After"), nullptr);
  EXPECT_EQ(r.body, R"({"message":"bad","fieldList":[{"name":"Name","message":"too long"},)"
                    R"({"name":"Target","message":"x"}]})");
}

TEST(PipesErrorTest, RendersNotFoundWithMessageOnly) {
  auto r = render_error(not_found_exception("Pipe p does not exist."), "id");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(*header(r, "x-amzn-ErrorType"), "NotFoundException");
  EXPECT_EQ(r.body, R"({"message":"Pipe p does not exist."})");
}

TEST(PipesErrorTest, RendersConflictWithResourceMembers) {
  auto r = render_error(conflict_exception("exists", "p", "pipe"), "id");
  EXPECT_EQ(r.status, 409);
  auto b = body_of(r);
  EXPECT_EQ(b.find("message")->as_string(), "exists");
  EXPECT_EQ(b.find("resourceId")->as_string(), "p");
  EXPECT_EQ(b.find("resourceType")->as_string(), "pipe");
  EXPECT_EQ(b.find("serviceCode"), nullptr);
  EXPECT_EQ(b.find("fieldList"), nullptr);
}

TEST(PipesErrorTest, RendersServiceQuotaWithAllRequiredMembers) {
  auto r =
      render_error(service_quota_exceeded_exception("too many", "p", "pipe", "pipes", "L-1"), "id");
  EXPECT_EQ(r.status, 402);
  EXPECT_EQ(r.body, R"({"message":"too many","resourceId":"p","resourceType":"pipe",)"
                    R"("serviceCode":"pipes","quotaCode":"L-1"})");
}

TEST(PipesErrorTest, ThrottlingAndInternalPutRetryAfterInTheHeader) {
  auto t = render_error(throttling_exception("slow down", "pipes", "L-2", 3), "id");
  EXPECT_EQ(t.status, 429);
  ASSERT_NE(header(t, "Retry-After"), nullptr);
  EXPECT_EQ(*header(t, "Retry-After"), "3");
  EXPECT_EQ(t.body, R"({"message":"slow down","serviceCode":"pipes","quotaCode":"L-2"})");

  auto bare = render_error(throttling_exception("slow down"), "id");
  EXPECT_EQ(bare.body, R"({"message":"slow down"})");
  EXPECT_EQ(header(bare, "Retry-After"), nullptr);

  auto i = render_error(internal_exception("oops", 1), "id");
  EXPECT_EQ(i.status, 500);
  EXPECT_EQ(*header(i, "x-amzn-ErrorType"), "InternalException");
  EXPECT_EQ(*header(i, "Retry-After"), "1");
  EXPECT_EQ(i.body, R"({"message":"oops"})");
}

TEST(PipesErrorTest, MessageIsEscapedJson) {
  auto r = render_error(validation_exception("a \"quoted\"\nline"), "id");
  EXPECT_EQ(body_of(r).find("message")->as_string(), "a \"quoted\"\nline");
}

TEST(PipesErrorTest, SchemaValidationListsMessagesJavaStyle) {
  auto e = schema_validation_exception(
      {{"SourceParameters.SqsQueueParameters.BatchSize", schema_below_minimum(1, 0)}});
  EXPECT_EQ(e.type, "ValidationException");
  EXPECT_EQ(e.message,
            "[numeric instance is lower than the required minimum (minimum: 1, found: 0)]");
  ASSERT_EQ(e.field_list.size(), 1u);
  EXPECT_EQ(e.field_list[0].name, "SourceParameters.SqsQueueParameters.BatchSize");

  std::string missing = schema_missing_required({"Source", "RoleArn"});
  auto two = schema_validation_exception(
      {{"RoleArn", missing}, {"Source", missing}, {"Name", schema_too_long("x", 0)}});
  EXPECT_EQ(two.message,
            "[object has missing required properties ([\"RoleArn\",\"Source\"]), "
            "string \"x\" is too long (length: 1, maximum allowed: 0)]");
  EXPECT_EQ(two.field_list.size(), 3u);
}

TEST(PipesErrorTest, FieldValidationIsAJsonDocumentInTheMessage) {
  auto e = field_validation_exception(
      {{"SourceParameters.DynamoDBStreamParameters", "Missing required parameter."}});
  EXPECT_EQ(e.message,
            R"({"ValidationErrorFields":[{"Name":"SourceParameters.DynamoDBStreamParameters",)"
            R"("Message":"Missing required parameter."}]})");
  ASSERT_EQ(e.field_list.size(), 1u);
  EXPECT_EQ(e.field_list[0].message, "Missing required parameter.");
}

TEST(PipesErrorTest, SchemaTextsMatchTheValidator) {
  EXPECT_EQ(schema_too_short("", 1), "string \"\" is too short (length: 0, required minimum: 1)");
  EXPECT_EQ(schema_too_long("abcd", 3),
            "string \"abcd\" is too long (length: 4, maximum allowed: 3)");
  EXPECT_EQ(schema_above_maximum(100, 101),
            "numeric instance is greater than the required maximum (maximum: 100, found: 101)");
  EXPECT_EQ(schema_pattern_mismatch("[a-z]+", "A"),
            "ECMA 262 regex \"[a-z]+\" does not match input string \"A\"");
  EXPECT_EQ(
      schema_not_in_enum("GO", {"RUNNING", "STOPPED"}),
      "instance value (\"GO\") not found in enum (possible values: [\"RUNNING\",\"STOPPED\"])");
  EXPECT_EQ(schema_array_too_long(5, 6),
            "array is too long: must have at most 5 elements but instance has 6 elements");
  EXPECT_EQ(schema_array_too_short(1, 0),
            "array is too short: must have at least 1 elements but instance has 0 elements");
  EXPECT_EQ(schema_too_few_properties(0, 1),
            "object has too few properties (found 0 but schema requires at least 1)");
  EXPECT_EQ(schema_too_many_properties(51, 50),
            "object has too many properties (found 51 but schema requires at most 50)");
  // Code points, not bytes.
  EXPECT_EQ(schema_length("h\xC3\xA9llo \xF0\x9F\x98\x80"), 7u);
}

}  // namespace
}  // namespace sluice::pipes
