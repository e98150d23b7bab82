// PipeSpec: CreatePipe / UpdatePipe / TagResource / UntagResource request checks (type errors,
// every model constraint, the service's cross-field rules), UpdatePipe's merge, the storage
// codec, and the outputs field by field.
#include "broker/pipes/api/pipe_spec.h"

#include <gtest/gtest.h>

#include "engine/json/json_parse.h"
#include "engine/json/json_serialize.h"

namespace sluice::pipes {
namespace {

const PipesIdentity kId{"us-east-1", "123456789012"};
const std::string kQueue = "arn:aws:sqs:us-east-1:123456789012:in";
const std::string kFifoQueue = "arn:aws:sqs:us-east-1:123456789012:in.fifo";
const std::string kOutQueue = "arn:aws:sqs:us-east-1:123456789012:out";
const std::string kOutFifo = "arn:aws:sqs:us-east-1:123456789012:out.fifo";
const std::string kMachine = "arn:aws:states:us-east-1:123456789012:stateMachine:flow";
const std::string kFunction = "arn:aws:lambda:us-east-1:123456789012:function:fn";
const std::string kRole = "arn:aws:iam::123456789012:role/pipes";

json::Value parse(const std::string& text) {
  auto v = engine::json::parse(text);
  EXPECT_TRUE(v) << text;
  return v ? std::move(v).value() : json::Value();
}

// A CreatePipe body from a minimal valid one plus `extra` members (JSON text without braces).
json::Value create_body(const std::string& extra = "", const std::string& source = kQueue,
                        const std::string& target = kMachine) {
  std::string text =
      R"({"Source":")" + source + R"(","Target":")" + target + R"(","RoleArn":")" + kRole + "\"";
  if (!extra.empty()) text += "," + extra;
  text += "}";
  return parse(text);
}

PipeSpec create_ok(const json::Value& body) {
  auto r = parse_create_pipe(body, kId);
  EXPECT_TRUE(r) << (r ? "" : r.error().type + ": " + r.error().message);
  return r ? std::move(r).value() : PipeSpec{};
}

PipesError create_error(const json::Value& body) {
  auto r = parse_create_pipe(body, kId);
  EXPECT_FALSE(r);
  return r ? PipesError{} : r.error();
}

// "k<i>" (built by appending: GCC 12 misreports "literal" + std::string under -Werror).
std::string tag_key(int i) {
  std::string k = "k";
  k += std::to_string(i);
  return k;
}

// ,"k<i>":"v" (no comma before the first).
std::string tag_member(int i) {
  std::string m = i ? "," : "";
  m += '"';
  m += tag_key(i);
  m += "\":\"v\"";
  return m;
}

std::vector<std::string> field_names(const PipesError& e) {
  std::vector<std::string> names;
  for (const FieldError& f : e.field_list) names.push_back(f.name);
  return names;
}

// --- CreatePipe: what is accepted -----------------------------------------------------------

TEST(PipeSpecTest, MinimalCreatePipe) {
  PipeSpec s = create_ok(create_body());
  EXPECT_EQ(s.source, kQueue);
  EXPECT_EQ(s.target, kMachine);
  EXPECT_EQ(s.role_arn, kRole);
  EXPECT_FALSE(s.description);
  EXPECT_FALSE(s.desired_state);
  EXPECT_FALSE(s.source_parameters);
  EXPECT_EQ(s.enrichment, "");
  EXPECT_FALSE(s.enrichment_parameters);
  EXPECT_FALSE(s.target_parameters);
  EXPECT_TRUE(s.tags.empty());
  EXPECT_FALSE(s.log_configuration);
  EXPECT_EQ(s.kms_key_identifier, "");
}

TEST(PipeSpecTest, FullCreatePipeIsTyped) {
  PipeSpec s = create_ok(create_body(
      R"("Description":"orders to flow","DesiredState":"STOPPED",)"
      R"("SourceParameters":{"FilterCriteria":{"Filters":[{"Pattern":"{\"body\":{\"k\":[1]}}"},{}]},)"
      R"("SqsQueueParameters":{"BatchSize":100,"MaximumBatchingWindowInSeconds":5}},)"
      R"("Enrichment":")" +
      kFunction +
      R"(","EnrichmentParameters":{"InputTemplate":"{\"a\":<$.body>}"},)"
      R"("TargetParameters":{"InputTemplate":"<$.body>","StepFunctionStateMachineParameters":)"
      R"({"InvocationType":"FIRE_AND_FORGET"}},)"
      R"("Tags":{"team":"core","env":""},)"
      R"("LogConfiguration":{"Level":"INFO","CloudwatchLogsLogDestination":{"LogGroupArn":)"
      R"("arn:aws:logs:us-east-1:123456789012:log-group:g"},"Unknown":1},)"
      R"("KmsKeyIdentifier":"alias/mine","Unmodelled":{"x":1})"));
  EXPECT_EQ(s.description, "orders to flow");
  EXPECT_EQ(s.desired_state, DesiredState::kStopped);
  ASSERT_TRUE(s.source_parameters);
  ASSERT_TRUE(s.source_parameters->filter_criteria);
  ASSERT_EQ(s.source_parameters->filter_criteria->filters.size(), 2u);
  EXPECT_EQ(s.source_parameters->filter_criteria->filters[0].pattern, R"({"body":{"k":[1]}})");
  EXPECT_FALSE(s.source_parameters->filter_criteria->filters[1].pattern);
  ASSERT_TRUE(s.source_parameters->sqs_queue_parameters);
  EXPECT_EQ(s.source_parameters->sqs_queue_parameters->batch_size, 100);
  EXPECT_EQ(s.source_parameters->sqs_queue_parameters->maximum_batching_window_in_seconds, 5);
  EXPECT_EQ(s.enrichment, kFunction);
  ASSERT_TRUE(s.enrichment_parameters);
  EXPECT_EQ(s.enrichment_parameters->input_template, R"({"a":<$.body>})");
  ASSERT_TRUE(s.target_parameters);
  EXPECT_EQ(s.target_parameters->input_template, "<$.body>");
  ASSERT_TRUE(s.target_parameters->step_function_state_machine_parameters);
  EXPECT_EQ(s.target_parameters->step_function_state_machine_parameters->invocation_type,
            InvocationType::kFireAndForget);
  EXPECT_EQ(s.tags, (TagMap{{"team", "core"}, {"env", ""}}));
  ASSERT_TRUE(s.log_configuration);
  EXPECT_EQ(engine::json::serialize(*s.log_configuration),
            R"({"Level":"INFO","CloudwatchLogsLogDestination":{"LogGroupArn":)"
            R"("arn:aws:logs:us-east-1:123456789012:log-group:g"}})");
  EXPECT_EQ(s.kms_key_identifier, "alias/mine");
}

TEST(PipeSpecTest, NullMembersCountAsAbsentAndIntegralDoublesAreIntegers) {
  PipeSpec s = create_ok(create_body(
      R"("Description":null,"SourceParameters":{"SqsQueueParameters":{"BatchSize":2.0}})"));
  EXPECT_FALSE(s.description);
  EXPECT_EQ(s.source_parameters->sqs_queue_parameters->batch_size, 2);
}

TEST(PipeSpecTest, ServedTargetAndEnrichmentParameters) {
  PipeSpec sqs = create_ok(create_body(
      R"("TargetParameters":{"SqsQueueParameters":{"MessageGroupId":"g","MessageDeduplicationId":"d"}})",
      kQueue, kOutFifo));
  EXPECT_EQ(sqs.target_parameters->sqs_queue_parameters->message_group_id, "g");
  EXPECT_EQ(sqs.target_parameters->sqs_queue_parameters->message_deduplication_id, "d");

  PipeSpec lambda = create_ok(create_body(
      R"("TargetParameters":{"LambdaFunctionParameters":{"InvocationType":"REQUEST_RESPONSE"}},)"
      R"("Enrichment":")" +
          kMachine + "\"",
      kQueue, kFunction));
  EXPECT_EQ(lambda.target_parameters->lambda_function_parameters->invocation_type,
            InvocationType::kRequestResponse);
  EXPECT_EQ(lambda.enrichment, kMachine);

  PipeSpec no_type = create_ok(
      create_body(R"("TargetParameters":{"LambdaFunctionParameters":{}})", kQueue, kFunction));
  EXPECT_TRUE(no_type.target_parameters->lambda_function_parameters);
  EXPECT_FALSE(no_type.target_parameters->lambda_function_parameters->invocation_type);

  // An empty Enrichment means none.
  EXPECT_EQ(create_ok(create_body(R"("Enrichment":"")")).enrichment, "");
}

TEST(PipeSpecTest, LimitsAtTheirEdgesAreAccepted) {
  std::string tags;
  for (int i = 0; i < 50; ++i) tags += tag_member(i);
  create_ok(create_body(
      R"("Description":")" + std::string(512, 'd') +
          R"(",)"
          R"("SourceParameters":{"FilterCriteria":{"Filters":[{},{},{},{},{"Pattern":")" +
          std::string(4096 - 2, ' ') +
          R"({}"}]},)"
          R"("SqsQueueParameters":{"BatchSize":10000,"MaximumBatchingWindowInSeconds":300}},)"
          R"("TargetParameters":{"InputTemplate":")" +
          std::string(8192, 't') +
          R"("},)"
          R"("Tags":{)" +
          tags +
          R"(},)"
          R"("KmsKeyIdentifier":")" +
          std::string(2048, 'k') + "\"",
      kQueue, kFunction));
  create_ok(create_body(R"("Tags":{")" + std::string(128, 'k') + R"(":")" + std::string(256, 'v') +
                        R"("}, "Description":"")"));
}

// --- CreatePipe: type errors (SerializationException) ---------------------------------------

TEST(PipeSpecTest, WrongJsonTypesAreSerializationExceptions) {
  struct Case {
    std::string extra;
    std::string message;
  };
  const Case cases[] = {
      {R"("Description":5)", "NUMBER_VALUE can not be converted to a String"},
      {R"("Description":true)", "BOOLEAN_VALUE can not be converted to a String"},
      {R"("DesiredState":["RUNNING"])", "Start of list found where not expected."},
      {R"("SourceParameters":"x")", "STRING_VALUE can not be converted to a Structure"},
      {R"("SourceParameters":{"SqsQueueParameters":{"BatchSize":"10"}})",
       "STRING_VALUE can not be converted to an Integer"},
      {R"("SourceParameters":{"SqsQueueParameters":{"BatchSize":1.5}})",
       "NUMBER_VALUE can not be converted to an Integer"},
      {R"("SourceParameters":{"SqsQueueParameters":{"BatchSize":3000000000}})",
       "NUMBER_VALUE can not be converted to an Integer"},
      {R"("SourceParameters":{"FilterCriteria":{"Filters":{}}})",
       "Start of structure or map found where not expected."},
      {R"("SourceParameters":{"FilterCriteria":{"Filters":["x"]}})",
       "STRING_VALUE can not be converted to a Structure"},
      {R"("SourceParameters":{"KinesisStreamParameters":[]})",
       "Start of list found where not expected."},
      {R"("Tags":[])", "Start of list found where not expected."},
      {R"("Tags":{"a":1})", "NUMBER_VALUE can not be converted to a String"},
      {R"("TargetParameters":{"StepFunctionStateMachineParameters":{"InvocationType":{}}})",
       "Start of structure or map found where not expected."},
      {R"("LogConfiguration":{"Level":"INFO","IncludeExecutionData":"ALL"})",
       "STRING_VALUE can not be converted to a List"},
  };
  for (const Case& c : cases) {
    PipesError e = create_error(create_body(c.extra));
    EXPECT_EQ(e.type, "SerializationException") << c.extra;
    EXPECT_EQ(e.message, c.message) << c.extra;
    EXPECT_EQ(e.http_status, 400);
  }
  EXPECT_EQ(create_error(parse(R"({"Source":1})")).message,
            "NUMBER_VALUE can not be converted to a String");
  EXPECT_EQ(create_error(parse("[]")).message, "Start of list found where not expected.");
}

TEST(PipeSpecTest, TypeErrorsWinOverConstraintViolations) {
  PipesError e =
      create_error(parse(R"({"Description":")" + std::string(600, 'x') + R"(","Target":7})"));
  EXPECT_EQ(e.type, "SerializationException");
}

// --- CreatePipe: model constraints (schema ValidationException) -----------------------------

TEST(PipeSpecTest, MissingRequiredMembers) {
  PipesError e = create_error(parse("{}"));
  EXPECT_EQ(e.type, "ValidationException");
  EXPECT_EQ(e.message,
            "[object has missing required properties ([\"RoleArn\",\"Source\",\"Target\"])]");
  EXPECT_EQ(field_names(e), (std::vector<std::string>{"Source", "Target", "RoleArn"}));
  EXPECT_EQ(e.field_list[0].message, e.field_list[2].message);

  PipesError role = create_error(
      parse(R"({"Source":")" + kQueue + R"(","Target":")" + kMachine + R"(","RoleArn":null})"));
  EXPECT_EQ(role.message, "[object has missing required properties ([\"RoleArn\"])]");
}

TEST(PipeSpecTest, StringLengthsAndPatterns) {
  struct Case {
    std::string extra;
    std::string field;
    std::string message;
  };
  const std::string long_desc(513, 'd');
  const Case cases[] = {
      {R"("Description":")" + long_desc + "\"", "Description",
       "string \"" + long_desc + "\" is too long (length: 513, maximum allowed: 512)"},
      {R"("DesiredState":"DELETED")", "DesiredState",
       "instance value (\"DELETED\") not found in enum (possible values: "
       "[\"RUNNING\",\"STOPPED\"])"},
      {R"("Enrichment":"lambda-fn")", "Enrichment",
       "ECMA 262 regex \"$|arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-]+):([a-z]{2,4}((-gov)|(-de)|"
       "(-iso([a-z]?)))?-[a-z]+(-\\d{1})?)?:(\\d{12})?:(.+)\" does not match input string "
       "\"lambda-fn\""},
      {R"("KmsKeyIdentifier":"key id")", "KmsKeyIdentifier",
       "ECMA 262 regex \"[a-zA-Z0-9_\\-/:]*\" does not match input string \"key id\""},
      {R"("KmsKeyIdentifier":")" + std::string(2049, 'k') + "\"", "KmsKeyIdentifier",
       "string \"" + std::string(2049, 'k') +
           "\" is too long (length: 2049, maximum allowed: 2048)"},
  };
  for (const Case& c : cases) {
    PipesError e = create_error(create_body(c.extra));
    EXPECT_EQ(e.type, "ValidationException") << c.extra;
    EXPECT_EQ(e.message, "[" + c.message + "]") << c.extra;
    ASSERT_EQ(e.field_list.size(), 1u) << c.extra;
    EXPECT_EQ(e.field_list[0].name, c.field);
    EXPECT_EQ(e.field_list[0].message, c.message);
  }
}

TEST(PipeSpecTest, SourceTargetAndRoleArnConstraints) {
  PipesError source = create_error(create_body("", "queue-name"));
  EXPECT_EQ(field_names(source), (std::vector<std::string>{"Source"}));
  EXPECT_EQ(source.message.rfind("[ECMA 262 regex \"smk://(([a-zA-Z0-9]|[a-z", 0), 0u);
  EXPECT_NE(source.message.find("|arn:(aws[a-zA-Z0-9-]*):"), std::string::npos);

  PipesError empty = create_error(create_body("", ""));
  EXPECT_EQ(empty.field_list.size(), 2u);  // too short, and no match
  EXPECT_EQ(empty.field_list[0].message,
            "string \"\" is too short (length: 0, required minimum: 1)");

  const std::string huge = "arn:aws:sqs:us-east-1:123456789012:" + std::string(1600, 'q');
  PipesError too_long = create_error(create_body("", kQueue, huge));
  EXPECT_EQ(too_long.field_list[0].name, "Target");
  EXPECT_NE(too_long.message.find("maximum allowed: 1600"), std::string::npos);

  PipesError target = create_error(create_body("", kQueue, "smk://broker:9092"));
  EXPECT_EQ(field_names(target), (std::vector<std::string>{"Target"}));
  EXPECT_NE(target.message.find("does not match input string \"smk://broker:9092\""),
            std::string::npos);

  PipesError role = create_error(parse(R"({"Source":")" + kQueue + R"(","Target":")" + kMachine +
                                       R"(","RoleArn":"arn:aws:iam::123456789012:user/u"})"));
  EXPECT_EQ(role.message,
            "[ECMA 262 regex \"arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z0-9+=,.@\\-_/]+\" "
            "does not match input string \"arn:aws:iam::123456789012:user/u\"]");
}

TEST(PipeSpecTest, SourceParameterConstraints) {
  PipesError batch = create_error(create_body(
      R"("SourceParameters":{"SqsQueueParameters":{"BatchSize":0,"MaximumBatchingWindowInSeconds":301}})"));
  EXPECT_EQ(batch.message,
            "[numeric instance is lower than the required minimum (minimum: 1, found: 0), "
            "numeric instance is greater than the required maximum (maximum: 300, found: 301)]");
  EXPECT_EQ(field_names(batch),
            (std::vector<std::string>{
                "SourceParameters.SqsQueueParameters.BatchSize",
                "SourceParameters.SqsQueueParameters.MaximumBatchingWindowInSeconds"}));

  EXPECT_EQ(
      create_error(create_body(R"("SourceParameters":{"SqsQueueParameters":{"BatchSize":10001}})"))
          .message,
      "[numeric instance is greater than the required maximum (maximum: 10000, found: "
      "10001)]");
  EXPECT_EQ(
      create_error(
          create_body(
              R"("SourceParameters":{"SqsQueueParameters":{"MaximumBatchingWindowInSeconds":-1}})"))
          .message,
      "[numeric instance is lower than the required minimum (minimum: 0, found: -1)]");

  PipesError filters = create_error(
      create_body(R"("SourceParameters":{"FilterCriteria":{"Filters":[{},{},{},{},{},{}]}})"));
  EXPECT_EQ(filters.message,
            "[array is too long: must have at most 5 elements but instance has 6 elements]");
  EXPECT_EQ(filters.field_list[0].name, "SourceParameters.FilterCriteria.Filters");

  PipesError pattern = create_error(
      create_body(R"("SourceParameters":{"FilterCriteria":{"Filters":[{},{"Pattern":")" +
                  std::string(4097, ' ') + R"("}]}})"));
  EXPECT_EQ(pattern.field_list[0].name, "SourceParameters.FilterCriteria.Filters[1].Pattern");
  EXPECT_NE(pattern.message.find("(length: 4097, maximum allowed: 4096)"), std::string::npos);
}

TEST(PipeSpecTest, TargetAndEnrichmentParameterConstraints) {
  PipesError tmpl =
      create_error(create_body(R"("TargetParameters":{"InputTemplate":")" + std::string(8193, 't') +
                               R"("},)"
                               R"("EnrichmentParameters":{"InputTemplate":")" +
                               std::string(8193, 'e') + "\"}"));
  EXPECT_EQ(field_names(tmpl), (std::vector<std::string>{"EnrichmentParameters.InputTemplate",
                                                         "TargetParameters.InputTemplate"}));

  PipesError type = create_error(create_body(
      R"("TargetParameters":{"StepFunctionStateMachineParameters":{"InvocationType":"SYNC"}})"));
  EXPECT_EQ(type.message,
            "[instance value (\"SYNC\") not found in enum (possible values: "
            "[\"REQUEST_RESPONSE\",\"FIRE_AND_FORGET\"])]");
  EXPECT_EQ(type.field_list[0].name,
            "TargetParameters.StepFunctionStateMachineParameters.InvocationType");

  PipesError group = create_error(create_body(
      R"("TargetParameters":{"SqsQueueParameters":{"MessageGroupId":")" + std::string(101, 'g') +
          R"(","MessageDeduplicationId":")" + std::string(101, 'd') + "\"}}",
      kQueue, kOutFifo));
  EXPECT_EQ(field_names(group), (std::vector<std::string>{
                                    "TargetParameters.SqsQueueParameters.MessageGroupId",
                                    "TargetParameters.SqsQueueParameters.MessageDeduplicationId"}));
}

TEST(PipeSpecTest, TagConstraints) {
  EXPECT_EQ(create_error(create_body(R"("Tags":{})")).message,
            "[object has too few properties (found 0 but schema requires at least 1)]");
  std::string many;
  for (int i = 0; i < 51; ++i) many += tag_member(i);
  PipesError too_many = create_error(create_body(R"("Tags":{)" + many + "}"));
  EXPECT_EQ(too_many.message,
            "[object has too many properties (found 51 but schema requires at most 50)]");
  EXPECT_EQ(too_many.field_list[0].name, "Tags");

  PipesError key = create_error(create_body(R"("Tags":{")" + std::string(129, 'k') + R"(":"v"})"));
  EXPECT_EQ(key.field_list[0].name, "Tags." + std::string(129, 'k'));
  EXPECT_NE(key.message.find("(length: 129, maximum allowed: 128)"), std::string::npos);

  PipesError empty_key = create_error(create_body(R"("Tags":{"":"v"})"));
  EXPECT_EQ(empty_key.message, "[string \"\" is too short (length: 0, required minimum: 1)]");

  PipesError value = create_error(create_body(R"("Tags":{"k":")" + std::string(257, 'v') + "\"}"));
  EXPECT_EQ(value.field_list[0].name, "Tags.k");
  EXPECT_NE(value.message.find("(length: 257, maximum allowed: 256)"), std::string::npos);
}

TEST(PipeSpecTest, LogConfigurationConstraints) {
  PipesError level = create_error(create_body(R"("LogConfiguration":{})"));
  EXPECT_EQ(level.message, "[object has missing required properties ([\"Level\"])]");
  EXPECT_EQ(level.field_list[0].name, "LogConfiguration.Level");

  EXPECT_EQ(create_error(create_body(R"("LogConfiguration":{"Level":"DEBUG"})")).message,
            "[instance value (\"DEBUG\") not found in enum (possible values: "
            "[\"OFF\",\"ERROR\",\"INFO\",\"TRACE\"])]");

  PipesError s3 = create_error(
      create_body(R"("LogConfiguration":{"Level":"ERROR","S3LogDestination":{"OutputFormat":"xml",)"
                  R"("Prefix":")" +
                  std::string(257, 'p') + "\"}}"));
  EXPECT_EQ(field_names(s3),
            (std::vector<std::string>{"LogConfiguration.S3LogDestination.BucketName",
                                      "LogConfiguration.S3LogDestination.BucketOwner",
                                      "LogConfiguration.S3LogDestination.OutputFormat",
                                      "LogConfiguration.S3LogDestination.Prefix"}));

  PipesError owner = create_error(
      create_body(R"("LogConfiguration":{"Level":"ERROR","S3LogDestination":{"BucketName":"ab",)"
                  R"("BucketOwner":"12345"}})"));
  EXPECT_EQ(owner.message,
            "[string \"ab\" is too short (length: 2, required minimum: 3), ECMA 262 regex "
            "\"\\d{12}\" does not match input string \"12345\"]");

  PipesError arns = create_error(create_body(
      R"("LogConfiguration":{"Level":"TRACE","FirehoseLogDestination":{"DeliveryStreamArn":"x"},)"
      R"("CloudwatchLogsLogDestination":{},"IncludeExecutionData":["ALL","SOME"]})"));
  EXPECT_EQ(field_names(arns),
            (std::vector<std::string>{"LogConfiguration.FirehoseLogDestination.DeliveryStreamArn",
                                      "LogConfiguration.CloudwatchLogsLogDestination.LogGroupArn",
                                      "LogConfiguration.IncludeExecutionData[1]"}));

  PipeSpec ok = create_ok(create_body(
      R"("LogConfiguration":{"Level":"OFF","IncludeExecutionData":["ALL"],)"
      R"("S3LogDestination":{"BucketName":"logs","BucketOwner":"123456789012","OutputFormat":)"
      R"("w3c","Prefix":"p/","Extra":1},"FirehoseLogDestination":{"DeliveryStreamArn":)"
      R"("arn:aws:firehose:us-east-1:123456789012:deliverystream/s"}})"));
  EXPECT_EQ(engine::json::serialize(*ok.log_configuration),
            R"({"Level":"OFF","IncludeExecutionData":["ALL"],"S3LogDestination":{"BucketName":)"
            R"("logs","BucketOwner":"123456789012","OutputFormat":"w3c","Prefix":"p/"},)"
            R"("FirehoseLogDestination":{"DeliveryStreamArn":)"
            R"("arn:aws:firehose:us-east-1:123456789012:deliverystream/s"}})");
}

TEST(PipeSpecTest, EveryViolationIsReportedAtOnce) {
  PipesError e = create_error(
      parse(R"({"Source":")" + kQueue + R"(","Description":")" + std::string(513, 'x') +
            R"(","DesiredState":"x","SourceParameters":{"SqsQueueParameters":{"BatchSize":0}}})"));
  EXPECT_EQ(field_names(e),
            (std::vector<std::string>{"Target", "RoleArn", "Description", "DesiredState",
                                      "SourceParameters.SqsQueueParameters.BatchSize"}));
}

// --- CreatePipe: the service's rules (ValidationErrorFields) --------------------------------

TEST(PipeSpecTest, UnservedEndpointsAreRefused) {
  const std::string kinesis = "arn:aws:kinesis:us-east-1:123456789012:stream/s";
  PipesError source = create_error(create_body("", kinesis));
  EXPECT_EQ(source.type, "ValidationException");
  EXPECT_EQ(source.message, R"({"ValidationErrorFields":[{"Name":"Source","Message":"Source )" +
                                kinesis +
                                R"( is not supported: Sluice serves Amazon SQS queue )"
                                R"((arn:aws:sqs:us-east-1:123456789012:NAME) sources only."}]})");
  EXPECT_EQ(field_names(source), (std::vector<std::string>{"Source"}));

  PipesError all =
      create_error(create_body(R"("Enrichment":")" + kQueue + "\"", "smk://b:9092",
                               "arn:aws:events:us-east-1:123456789012:event-bus/default"));
  EXPECT_EQ(field_names(all), (std::vector<std::string>{"Source", "Enrichment", "Target"}));

  PipesError foreign =
      create_error(create_body("", kQueue, "arn:aws:sqs:eu-west-1:123456789012:o"));
  EXPECT_NE(foreign.field_list[0].message.find("is not a resource of this server"),
            std::string::npos);
}

TEST(PipeSpecTest, ParametersMustMatchTheirService) {
  PipesError kinesis = create_error(
      create_body(R"("SourceParameters":{"KinesisStreamParameters":{"StartingPosition":"LATEST"},)"
                  R"("SelfManagedKafkaParameters":{}})"));
  EXPECT_EQ(kinesis.field_list,
            (std::vector<FieldError>{
                {"SourceParameters.KinesisStreamParameters",
                 "KinesisStreamParameters does not apply to an SQS queue source; use "
                 "SqsQueueParameters."},
                {"SourceParameters.SelfManagedKafkaParameters",
                 "SelfManagedKafkaParameters does not apply to an SQS queue source; use "
                 "SqsQueueParameters."}}));

  PipesError sqs_on_machine = create_error(
      create_body(R"("TargetParameters":{"SqsQueueParameters":{},"LambdaFunctionParameters":{},)"
                  R"("EcsTaskParameters":{}})"));
  EXPECT_EQ(field_names(sqs_on_machine),
            (std::vector<std::string>{"TargetParameters.EcsTaskParameters",
                                      "TargetParameters.LambdaFunctionParameters",
                                      "TargetParameters.SqsQueueParameters"}));
  EXPECT_EQ(sqs_on_machine.field_list[2].message,
            "SqsQueueParameters does not apply to a Step Functions state machine target; use "
            "StepFunctionStateMachineParameters.");

  PipesError machine_on_lambda = create_error(create_body(
      R"("TargetParameters":{"StepFunctionStateMachineParameters":{}})", kQueue, kFunction));
  EXPECT_EQ(machine_on_lambda.field_list[0].message,
            "StepFunctionStateMachineParameters does not apply to a Lambda function target; use "
            "LambdaFunctionParameters.");

  PipesError lambda_on_queue = create_error(
      create_body(R"("TargetParameters":{"LambdaFunctionParameters":{}})", kQueue, kOutQueue));
  EXPECT_EQ(lambda_on_queue.field_list[0].message,
            "LambdaFunctionParameters does not apply to an SQS queue target; use "
            "SqsQueueParameters.");

  PipesError http = create_error(create_body(R"("Enrichment":")" + kFunction +
                                             R"(","EnrichmentParameters":{"HttpParameters":{}})"));
  EXPECT_EQ(http.field_list,
            (std::vector<FieldError>{{"EnrichmentParameters.HttpParameters",
                                      "HttpParameters applies only to API destination and API "
                                      "Gateway enrichments, which Sluice does not serve."}}));
}

TEST(PipeSpecTest, SqsSourceBatchingRules) {
  const std::string at = "SourceParameters.SqsQueueParameters.";
  PipesError window = create_error(create_body(
      R"("SourceParameters":{"SqsQueueParameters":{"BatchSize":11}})", kQueue, kFunction));
  EXPECT_EQ(window.field_list,
            (std::vector<FieldError>{{at + "MaximumBatchingWindowInSeconds",
                                      "MaximumBatchingWindowInSeconds must be at least 1 when "
                                      "BatchSize is greater than 10."}}));
  EXPECT_EQ(create_error(create_body(R"("SourceParameters":{"SqsQueueParameters":)"
                                     R"({"BatchSize":11,"MaximumBatchingWindowInSeconds":0}})",
                                     kQueue, kFunction))
                .field_list.size(),
            1u);
  create_ok(create_body(
      R"("SourceParameters":{"SqsQueueParameters":{"BatchSize":11,"MaximumBatchingWindowInSeconds":1}})",
      kQueue, kFunction));
  create_ok(create_body(R"("SourceParameters":{"SqsQueueParameters":{"BatchSize":10}})", kQueue,
                        kOutQueue));

  PipesError fifo = create_error(create_body(
      R"("SourceParameters":{"SqsQueueParameters":{"BatchSize":11,"MaximumBatchingWindowInSeconds":1}})",
      kFifoQueue, kFunction));
  EXPECT_EQ(fifo.field_list,
            (std::vector<FieldError>{
                {at + "BatchSize", "BatchSize must be at most 10 for a FIFO queue source."}}));

  PipesError to_queue = create_error(create_body(
      R"("SourceParameters":{"SqsQueueParameters":{"BatchSize":20,"MaximumBatchingWindowInSeconds":1}})",
      kQueue, kOutQueue));
  EXPECT_EQ(to_queue.field_list,
            (std::vector<FieldError>{{at + "BatchSize",
                                      "BatchSize must be at most 10 for an SQS queue target, "
                                      "which takes batches of at most 10 messages."}}));
}

TEST(PipeSpecTest, FifoTargetNeedsAMessageGroup) {
  PipesError none = create_error(create_body("", kQueue, kOutFifo));
  EXPECT_EQ(none.message,
            R"({"ValidationErrorFields":[{"Name":"TargetParameters.SqsQueueParameters",)"
            R"("Message":"Missing required parameter."}]})");
  PipesError no_group = create_error(
      create_body(R"("TargetParameters":{"SqsQueueParameters":{"MessageDeduplicationId":"d"}})",
                  kQueue, kOutFifo));
  EXPECT_EQ(field_names(no_group),
            (std::vector<std::string>{"TargetParameters.SqsQueueParameters.MessageGroupId"}));
  EXPECT_EQ(
      create_error(create_body(R"("TargetParameters":{"SqsQueueParameters":{"MessageGroupId":""}})",
                               kQueue, kOutFifo))
          .field_list.size(),
      1u);
  create_ok(
      create_body(R"("TargetParameters":{"SqsQueueParameters":{"MessageGroupId":"$.body.g"}})",
                  kQueue, kOutFifo));
  create_ok(create_body("", kQueue, kOutQueue));  // a standard queue needs none
}

TEST(PipeSpecTest, FilterPatternsMustBeJsonObjects) {
  PipesError e = create_error(create_body(
      R"("SourceParameters":{"FilterCriteria":{"Filters":[{"Pattern":"{}"},{"Pattern":"[1]"},)"
      R"({"Pattern":"{oops"},{"Pattern":""}]}})"));
  EXPECT_EQ(e.field_list,
            (std::vector<FieldError>{{"SourceParameters.FilterCriteria.Filters[1].Pattern",
                                      "Invalid filter pattern definition."},
                                     {"SourceParameters.FilterCriteria.Filters[2].Pattern",
                                      "Invalid filter pattern definition."}}));
}

TEST(PipeSpecTest, ValidateReturnsWhatTheArnsName) {
  PipeSpec s = create_ok(create_body(R"("Enrichment":")" + kFunction + "\"", kFifoQueue, kMachine));
  auto endpoints = validate_pipe_spec(s, kId);
  ASSERT_TRUE(endpoints);
  EXPECT_EQ(endpoints->source.kind, ResourceKind::kSqsQueue);
  EXPECT_TRUE(endpoints->source.fifo);
  EXPECT_EQ(endpoints->source.name, "in.fifo");
  ASSERT_TRUE(endpoints->enrichment);
  EXPECT_EQ(endpoints->enrichment->kind, ResourceKind::kLambdaFunction);
  EXPECT_EQ(endpoints->target.kind, ResourceKind::kStateMachine);
  EXPECT_EQ(endpoints->target.name, "flow");

  // The same spec on a server of another account is refused.
  EXPECT_FALSE(validate_pipe_spec(s, PipesIdentity{"us-east-1", "000000000000"}));
}

// --- UpdatePipe ------------------------------------------------------------------------------

PipeSpec base_spec() {
  return create_ok(create_body(
      R"("Description":"d","SourceParameters":{"FilterCriteria":{"Filters":[{"Pattern":"{}"}]},)"
      R"("SqsQueueParameters":{"BatchSize":5,"MaximumBatchingWindowInSeconds":2}},)"
      R"("Enrichment":")" +
      kFunction +
      R"(","EnrichmentParameters":{"InputTemplate":"e"},)"
      R"("TargetParameters":{"InputTemplate":"t","StepFunctionStateMachineParameters":)"
      R"({"InvocationType":"FIRE_AND_FORGET"}},"Tags":{"a":"1"},)"
      R"("LogConfiguration":{"Level":"INFO"},"KmsKeyIdentifier":"k")"));
}

PipeUpdate update_ok(const std::string& extra) {
  std::string text = R"({"RoleArn":")" + kRole + "\"";
  if (!extra.empty()) text += "," + extra;
  text += "}";
  auto u = parse_update_pipe(parse(text));
  EXPECT_TRUE(u) << (u ? "" : u.error().message);
  return u ? std::move(u).value() : PipeUpdate{};
}

TEST(PipeSpecTest, UpdatePipeRequiresRoleArnAndChecksConstraints) {
  auto missing = parse_update_pipe(parse("{}"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "[object has missing required properties ([\"RoleArn\"])]");

  auto bad =
      parse_update_pipe(parse(R"({"RoleArn":")" + kRole +
                              R"(","SourceParameters":{"SqsQueueParameters":{"BatchSize":0}}})"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field_list[0].name, "SourceParameters.SqsQueueParameters.BatchSize");

  auto type = parse_update_pipe(parse(R"({"RoleArn":")" + kRole + R"(","Target":false})"));
  ASSERT_FALSE(type);
  EXPECT_EQ(type.error().type, "SerializationException");

  // UpdatePipe has no Source or Tags: they are ignored like any unknown member.
  PipeUpdate u = update_ok(R"("Source":"whatever","Tags":{"b":"2"})");
  PipeSpec merged = apply_update(base_spec(), u);
  EXPECT_EQ(merged.source, kQueue);
  EXPECT_EQ(merged.tags, (TagMap{{"a", "1"}}));
}

TEST(PipeSpecTest, UpdateKeepsWhatIsAbsent) {
  PipeSpec base = base_spec();
  PipeSpec merged = apply_update(base, update_ok(""));
  EXPECT_EQ(engine::json::serialize(to_json(merged)), engine::json::serialize(to_json(base)));
}

TEST(PipeSpecTest, UpdateReplacesTopLevelMembers) {
  PipeSpec merged = apply_update(
      base_spec(),
      update_ok(R"("Description":"new","DesiredState":"STOPPED","Target":")" + kMachine + "2" +
                R"(","LogConfiguration":{"Level":"ERROR"},"KmsKeyIdentifier":"")"));
  EXPECT_EQ(merged.description, "new");
  EXPECT_EQ(merged.desired_state, DesiredState::kStopped);
  EXPECT_EQ(merged.target, kMachine + "2");
  EXPECT_EQ(engine::json::serialize(*merged.log_configuration), R"({"Level":"ERROR"})");
  EXPECT_EQ(merged.kms_key_identifier, "");  // back to the AWS owned key
  // Same kind of target: its parameters stay.
  EXPECT_TRUE(merged.target_parameters->step_function_state_machine_parameters);
}

TEST(PipeSpecTest, UpdateReplacesServiceParameterObjectsWhole) {
  PipeSpec merged = apply_update(
      base_spec(),
      update_ok(R"("SourceParameters":{"SqsQueueParameters":{"MaximumBatchingWindowInSeconds":9}},)"
                R"("TargetParameters":{"StepFunctionStateMachineParameters":{}})"));
  // BatchSize was left out of the new object: it returns to its default (absent).
  EXPECT_FALSE(merged.source_parameters->sqs_queue_parameters->batch_size);
  EXPECT_EQ(merged.source_parameters->sqs_queue_parameters->maximum_batching_window_in_seconds, 9);
  // The filter criteria and the target's InputTemplate were not in the request: kept.
  EXPECT_EQ(merged.source_parameters->filter_criteria->filters.size(), 1u);
  EXPECT_EQ(merged.target_parameters->input_template, "t");
  EXPECT_FALSE(merged.target_parameters->step_function_state_machine_parameters->invocation_type);
}

TEST(PipeSpecTest, UpdateFilterCriteria) {
  PipeSpec replaced = apply_update(
      base_spec(), update_ok(R"("SourceParameters":{"FilterCriteria":{"Filters":[)"
                             R"({"Pattern":"{\"a\":[1]}"},{"Pattern":"{\"b\":[2]}"}]}})"));
  ASSERT_EQ(replaced.source_parameters->filter_criteria->filters.size(), 2u);
  EXPECT_EQ(replaced.source_parameters->filter_criteria->filters[1].pattern, R"({"b":[2]})");
  EXPECT_EQ(replaced.source_parameters->sqs_queue_parameters->batch_size, 5);  // kept

  PipeSpec removed = apply_update(
      base_spec(), update_ok(R"("SourceParameters":{"FilterCriteria":{"Filters":[]}})"));
  EXPECT_FALSE(removed.source_parameters->filter_criteria);
  PipeSpec removed_too =
      apply_update(base_spec(), update_ok(R"("SourceParameters":{"FilterCriteria":{}})"));
  EXPECT_FALSE(removed_too.source_parameters->filter_criteria);
}

TEST(PipeSpecTest, UpdateInputTemplatesMergeAndEnrichmentCanBeRemoved) {
  PipeSpec templ =
      apply_update(base_spec(), update_ok(R"("TargetParameters":{"InputTemplate":"t2"},)"
                                          R"("EnrichmentParameters":{"InputTemplate":"e2"})"));
  EXPECT_EQ(templ.target_parameters->input_template, "t2");
  EXPECT_TRUE(templ.target_parameters->step_function_state_machine_parameters);  // kept
  EXPECT_EQ(templ.enrichment_parameters->input_template, "e2");

  PipeSpec removed = apply_update(base_spec(), update_ok(R"("Enrichment":"")"));
  EXPECT_EQ(removed.enrichment, "");
  EXPECT_FALSE(removed.enrichment_parameters);

  PipeSpec swapped = apply_update(base_spec(), update_ok(R"("Enrichment":")" + kMachine + "\""));
  EXPECT_EQ(swapped.enrichment, kMachine);
  EXPECT_EQ(swapped.enrichment_parameters->input_template, "e");
}

TEST(PipeSpecTest, UpdateToAnotherKindOfTargetDropsTheOldParameters) {
  PipeSpec merged = apply_update(base_spec(), update_ok(R"("Target":")" + kFunction + "\""));
  EXPECT_EQ(merged.target, kFunction);
  EXPECT_FALSE(merged.target_parameters->step_function_state_machine_parameters);
  EXPECT_EQ(merged.target_parameters->input_template, "t");
  EXPECT_TRUE(update_pipe_spec(base_spec(), update_ok(R"("Target":")" + kFunction + "\""), kId));

  PipeSpec with_new = apply_update(
      base_spec(),
      update_ok(R"("Target":")" + kOutFifo +
                R"(","TargetParameters":{"SqsQueueParameters":{"MessageGroupId":"g"}})"));
  EXPECT_FALSE(with_new.target_parameters->step_function_state_machine_parameters);
  EXPECT_EQ(with_new.target_parameters->sqs_queue_parameters->message_group_id, "g");
  EXPECT_TRUE(validate_pipe_spec(with_new, kId));
}

TEST(PipeSpecTest, UpdateValidatesTheMergedPipe) {
  auto fifo = update_pipe_spec(base_spec(), update_ok(R"("Target":")" + kOutFifo + "\""), kId);
  ASSERT_FALSE(fifo);
  EXPECT_EQ(field_names(fifo.error()),
            (std::vector<std::string>{"TargetParameters.SqsQueueParameters"}));

  auto mismatch = update_pipe_spec(
      base_spec(), update_ok(R"("TargetParameters":{"LambdaFunctionParameters":{}})"), kId);
  ASSERT_FALSE(mismatch);
  EXPECT_EQ(field_names(mismatch.error()),
            (std::vector<std::string>{"TargetParameters.LambdaFunctionParameters"}));

  auto batch = update_pipe_spec(
      base_spec(), update_ok(R"("SourceParameters":{"SqsQueueParameters":{"BatchSize":50}})"), kId);
  ASSERT_FALSE(batch);
  EXPECT_EQ(field_names(batch.error()),
            (std::vector<std::string>{
                "SourceParameters.SqsQueueParameters.MaximumBatchingWindowInSeconds"}));

  auto unserved = update_pipe_spec(
      base_spec(), update_ok(R"("Target":"arn:aws:sns:us-east-1:123456789012:t")"), kId);
  ASSERT_FALSE(unserved);
  EXPECT_EQ(field_names(unserved.error()), (std::vector<std::string>{"Target"}));

  auto ok = update_pipe_spec(base_spec(), update_ok(R"("Description":"x")"), kId);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->description, "x");
}

// --- Storage codec ---------------------------------------------------------------------------

TEST(PipeSpecTest, ToJsonRoundTrips) {
  PipeSpec base = base_spec();
  json::Value stored = to_json(base);
  EXPECT_EQ(
      engine::json::serialize(stored),
      R"({"Description":"d","Source":")" + kQueue +
          R"(","SourceParameters":{"FilterCriteria":{"Filters":[{"Pattern":"{}"}]},)"
          R"("SqsQueueParameters":{"BatchSize":5,"MaximumBatchingWindowInSeconds":2}},)"
          R"("Enrichment":")" +
          kFunction + R"(","EnrichmentParameters":{"InputTemplate":"e"},"Target":")" + kMachine +
          R"(","TargetParameters":{"InputTemplate":"t","StepFunctionStateMachineParameters":)"
          R"({"InvocationType":"FIRE_AND_FORGET"}},"RoleArn":")" +
          kRole +
          R"(","Tags":{"a":"1"},"LogConfiguration":{"Level":"INFO"},"KmsKeyIdentifier":"k"})");
  auto back = parse_pipe_spec(stored);
  ASSERT_TRUE(back);
  EXPECT_EQ(engine::json::serialize(to_json(*back)), engine::json::serialize(stored));
  // parse_pipe_spec does not check the server identity.
  EXPECT_TRUE(parse_pipe_spec(create_body("", "arn:aws:sqs:eu-west-1:123456789012:q")));
}

// --- Tag requests ----------------------------------------------------------------------------

TEST(PipeSpecTest, TagResourceBody) {
  auto tags = parse_tag_resource(parse(R"({"tags":{"team":"core","cost":"1"}})"));
  ASSERT_TRUE(tags);
  EXPECT_EQ(*tags, (TagMap{{"team", "core"}, {"cost", "1"}}));

  auto missing = parse_tag_resource(parse("{}"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "[object has missing required properties ([\"tags\"])]");
  EXPECT_EQ(missing.error().field_list[0].name, "tags");

  auto empty = parse_tag_resource(parse(R"({"tags":{}})"));
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().message,
            "[object has too few properties (found 0 but schema requires at least 1)]");

  auto key = parse_tag_resource(parse(R"({"tags":{")" + std::string(129, 'k') + R"(":"v"}})"));
  ASSERT_FALSE(key);
  EXPECT_EQ(key.error().field_list[0].name, "tags." + std::string(129, 'k'));

  auto type = parse_tag_resource(parse(R"({"tags":["a"]})"));
  ASSERT_FALSE(type);
  EXPECT_EQ(type.error().type, "SerializationException");
}

TEST(PipeSpecTest, UntagResourceKeys) {
  auto missing = parse_untag_keys(std::nullopt);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "[object has missing required properties ([\"tagKeys\"])]");
  EXPECT_EQ(missing.error().field_list[0].name, "tagKeys");

  auto ok = parse_untag_keys(std::vector<std::string>{"a", "b"});
  ASSERT_TRUE(ok);
  EXPECT_EQ(*ok, (std::vector<std::string>{"a", "b"}));

  auto bad = parse_untag_keys(std::vector<std::string>{"a", "", std::string(129, 'k')});
  ASSERT_FALSE(bad);
  EXPECT_EQ(field_names(bad.error()), (std::vector<std::string>{"tagKeys[1]", "tagKeys[2]"}));

  auto many = parse_untag_keys(std::vector<std::string>(51, "k"));
  ASSERT_FALSE(many);
  EXPECT_EQ(many.error().message,
            "[array is too long: must have at most 50 elements but instance has 51 elements]");
}

TEST(PipeSpecTest, MergeAndRemoveTags) {
  auto merged = merge_tags({{"a", "1"}, {"b", "2"}}, {{"b", "3"}, {"c", "4"}});
  ASSERT_TRUE(merged);
  EXPECT_EQ(*merged, (TagMap{{"a", "1"}, {"b", "3"}, {"c", "4"}}));

  TagMap fifty;
  for (int i = 0; i < 50; ++i) fifty.emplace_back(tag_key(i), "v");
  EXPECT_TRUE(merge_tags(fifty, {{"k0", "new"}}));
  auto over = merge_tags(fifty, {{"extra", "v"}});
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().message,
            R"({"ValidationErrorFields":[{"Name":"tags","Message":"A pipe can have at most 50 )"
            R"(tags; this request would leave it 51."}]})");

  EXPECT_EQ(remove_tags({{"a", "1"}, {"b", "2"}, {"c", "3"}}, {"b", "zz"}),
            (TagMap{{"a", "1"}, {"c", "3"}}));
}

// --- Outputs ---------------------------------------------------------------------------------

PipeStatus status(std::string name = "p") {
  return PipeStatus{
      .arn = "arn:aws:pipes:us-east-1:123456789012:pipe/" + name,
      .name = std::move(name),
      .desired_state = DesiredState::kRunning,
      .current_state = CurrentState::kCreateFailed,
      .state_reason = std::string("queue missing"),
      .creation_time_ms = 1700000000123,
      .last_modified_time_ms = 1700000005000,
  };
}

TEST(PipeSpecTest, DescribePipeEchoesEveryMemberInModelOrder) {
  std::string out = render_describe_pipe(base_spec(), status());
  EXPECT_EQ(out,
            R"({"Arn":"arn:aws:pipes:us-east-1:123456789012:pipe/p","Name":"p",)"
            R"("Description":"d","DesiredState":"RUNNING","CurrentState":"CREATE_FAILED",)"
            R"("StateReason":"queue missing","Source":")" +
                kQueue +
                R"(","SourceParameters":{"FilterCriteria":{"Filters":[{"Pattern":"{}"}]},)"
                R"("SqsQueueParameters":{"BatchSize":5,"MaximumBatchingWindowInSeconds":2}},)"
                R"("Enrichment":")" +
                kFunction + R"(","EnrichmentParameters":{"InputTemplate":"e"},"Target":")" +
                kMachine +
                R"(","TargetParameters":{"InputTemplate":"t","StepFunctionStateMachineParameters":)"
                R"({"InvocationType":"FIRE_AND_FORGET"}},"RoleArn":")" +
                kRole +
                R"(","Tags":{"a":"1"},"CreationTime":1700000000.123,)"
                R"("LastModifiedTime":1700000005.000,"LogConfiguration":{"Level":"INFO"},)"
                R"("KmsKeyIdentifier":"k"})");
  EXPECT_TRUE(engine::json::parse(out));
}

TEST(PipeSpecTest, DescribePipeOmitsWhatIsNotSet) {
  PipeStatus st = status();
  st.state_reason.clear();
  st.desired_state = DesiredState::kDeleted;
  st.current_state = CurrentState::kDeleting;
  EXPECT_EQ(render_describe_pipe(create_ok(create_body()), st),
            R"({"Arn":"arn:aws:pipes:us-east-1:123456789012:pipe/p","Name":"p",)"
            R"("DesiredState":"DELETED","CurrentState":"DELETING","Source":")" +
                kQueue + R"(","Target":")" + kMachine + R"(","RoleArn":")" + kRole +
                R"(","Tags":{},"CreationTime":1700000000.123,"LastModifiedTime":1700000005.000})");
}

TEST(PipeSpecTest, ListPipesEntries) {
  PipeSpec spec = base_spec();
  PipeStatus st = status();
  std::string one;
  protocol::JsonWriter w(one);
  write_pipe_summary(w, spec, st);
  EXPECT_EQ(one, R"({"Name":"p","Arn":"arn:aws:pipes:us-east-1:123456789012:pipe/p",)"
                 R"("DesiredState":"RUNNING","CurrentState":"CREATE_FAILED",)"
                 R"("StateReason":"queue missing","CreationTime":1700000000.123,)"
                 R"("LastModifiedTime":1700000005.000,"Source":")" +
                     kQueue + R"(","Target":")" + kMachine + R"(","Enrichment":")" + kFunction +
                     R"("})");

  PipeSpec plain = create_ok(create_body());
  PipeStatus st2 = status("q");
  st2.state_reason.clear();
  st2.current_state = CurrentState::kRunning;
  std::string list = render_list_pipes({{&spec, &st}, {&plain, &st2}}, "tok");
  auto parsed = engine::json::parse(list);
  ASSERT_TRUE(parsed);
  const json::Array& pipes = parsed->as_object().find("Pipes")->as_array();
  ASSERT_EQ(pipes.size(), 2u);
  EXPECT_EQ(pipes[1].as_object().find("Name")->as_string(), "q");
  EXPECT_EQ(pipes[1].as_object().find("Enrichment"), nullptr);
  EXPECT_EQ(pipes[1].as_object().find("StateReason"), nullptr);
  EXPECT_EQ(parsed->as_object().find("NextToken")->as_string(), "tok");

  EXPECT_EQ(render_list_pipes({}, ""), R"({"Pipes":[]})");
}

TEST(PipeSpecTest, StateChangeOutputAndTags) {
  EXPECT_EQ(render_pipe_state(status()),
            R"({"Arn":"arn:aws:pipes:us-east-1:123456789012:pipe/p","Name":"p",)"
            R"("DesiredState":"RUNNING","CurrentState":"CREATE_FAILED",)"
            R"("CreationTime":1700000000.123,"LastModifiedTime":1700000005.000})");
  EXPECT_EQ(render_tags({{"b", "2"}, {"a", "\"q\""}}), R"({"tags":{"b":"2","a":"\"q\""}})");
  EXPECT_EQ(render_tags({}), R"({"tags":{}})");
}

TEST(PipeSpecTest, EnumTexts) {
  EXPECT_EQ(to_string(DesiredState::kRunning), "RUNNING");
  EXPECT_EQ(to_string(DesiredState::kStopped), "STOPPED");
  EXPECT_EQ(to_string(DesiredState::kDeleted), "DELETED");
  EXPECT_EQ(parse_requested_state("STOPPED"), DesiredState::kStopped);
  EXPECT_FALSE(parse_requested_state("DELETED"));
  EXPECT_EQ(current_state_values().size(), 15u);
  for (std::string_view v : current_state_values()) {
    auto s = parse_current_state(v);
    ASSERT_TRUE(s) << v;
    EXPECT_EQ(to_string(*s), v);
  }
  EXPECT_EQ(to_string(CurrentState::kUpdateRollbackFailed), "UPDATE_ROLLBACK_FAILED");
  EXPECT_EQ(to_string(CurrentState::kStopping), "STOPPING");
  EXPECT_FALSE(parse_current_state("running"));
  EXPECT_EQ(to_string(InvocationType::kRequestResponse), "REQUEST_RESPONSE");
  EXPECT_EQ(to_string(InvocationType::kFireAndForget), "FIRE_AND_FORGET");
}

}  // namespace
}  // namespace sluice::pipes
