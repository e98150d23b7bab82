// See pipe_spec.h.
#include "broker/pipes/api/pipe_spec.h"

#include <initializer_list>
#include <limits>

#include "broker/states/wire_format.h"
#include "engine/json/json_parse.h"
#include "engine/json/json_serialize.h"

namespace sluice::pipes {

namespace {

constexpr std::size_t kUnbounded = std::numeric_limits<std::size_t>::max();

// The model's patterns, quoted in "ECMA 262 regex ... does not match" messages.
constexpr std::string_view kArnRegex =
    R"(arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\-]+):([a-z]{2,4}((-gov)|(-de)|(-iso([a-z]?)))?-[a-z]+(-\d{1})?)?:(\d{12})?:(.+))";
const std::string kOptionalArnRegex = "$|" + std::string(kArnRegex);
const std::string kArnOrUrlRegex =
    R"(smk://(([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9\-]*[a-zA-Z0-9])\.)*([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9\-]*[A-Za-z0-9]):[0-9]{1,5}|)" +
    std::string(kArnRegex);
constexpr std::string_view kRoleArnRegex =
    R"(arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role/?[a-zA-Z0-9+=,.@\-_/]+)";
constexpr std::string_view kKmsKeyRegex = R"([a-zA-Z0-9_\-/:]*)";
constexpr std::string_view kBucketOwnerRegex = R"(\d{12})";
constexpr std::string_view kFirehoseArnRegex =
    R"((^arn:aws([a-z]|\-)*:firehose:([a-z]{2,4}((-gov)|(-de)|(-iso([a-z]?)))?-[a-z]+(-\d{1})?):(\d{12}):deliverystream/[a-zA-Z0-9_.-]{1,64}))";
constexpr std::string_view kLogGroupArnRegex =
    R"((^arn:aws([a-z]|\-)*:logs:([a-z]{2,4}((-gov)|(-de)|(-iso([a-z]?)))?-[a-z]+(-\d{1})?):(\d{12}):log-group:[\.\-_/#A-Za-z0-9]{1,512}(:\*)?))";

bool matches_optional_arn(std::string_view s) {
  return s.empty() || matches_arn_pattern(s);
}
bool matches_arn_or_url(std::string_view s) {
  return matches_kafka_url_pattern(s) || matches_arn_pattern(s);
}
bool matches_kms_key(std::string_view s) {
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '/' || c == ':';
    if (!ok) return false;
  }
  return true;
}
bool matches_twelve_digits(std::string_view s) {
  if (s.size() != 12) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

struct StringShape {
  std::size_t min = 0;
  std::size_t max = kUnbounded;
  std::string_view regex = {};
  bool (*matches)(std::string_view) = nullptr;
};

const StringShape kDescription{0, 512};  // pattern ".*" accepts any text
const StringShape kArnOrUrl{1, 1600, kArnOrUrlRegex, &matches_arn_or_url};
const StringShape kArn{1, 1600, kArnRegex, &matches_arn_pattern};
const StringShape kOptionalArn{0, 1600, kOptionalArnRegex, &matches_optional_arn};
const StringShape kRoleArn{1, 1600, kRoleArnRegex, &matches_role_arn_pattern};
const StringShape kKmsKey{0, 2048, kKmsKeyRegex, &matches_kms_key};
const StringShape kEventPattern{0, 4096};
const StringShape kInputTemplate{0, 8192};
const StringShape kMessageAttribute100{0, 100};
const StringShape kBucketName{3, 63};
const StringShape kBucketOwner{0, kUnbounded, kBucketOwnerRegex, &matches_twelve_digits};
const StringShape kS3Prefix{0, 256};
const StringShape kFirehoseArn{1, 1600, kFirehoseArnRegex, &matches_firehose_arn_pattern};
const StringShape kLogGroupArn{1, 1600, kLogGroupArnRegex, &matches_log_group_arn_pattern};
const StringShape kTagKey{1, 128};
const StringShape kTagValue{0, 256};

const std::vector<std::string_view> kRequestedStates = {"RUNNING", "STOPPED"};
const std::vector<std::string_view> kInvocationTypes = {"REQUEST_RESPONSE", "FIRE_AND_FORGET"};
const std::vector<std::string_view> kLogLevels = {"OFF", "ERROR", "INFO", "TRACE"};
const std::vector<std::string_view> kS3OutputFormats = {"json", "plain", "w3c"};
const std::vector<std::string_view> kIncludeExecutionData = {"ALL"};

// Other services' parameter objects, in model order.
constexpr std::string_view kOtherSourceParameters[] = {
    "KinesisStreamParameters",  "DynamoDBStreamParameters",        "ActiveMQBrokerParameters",
    "RabbitMQBrokerParameters", "ManagedStreamingKafkaParameters", "SelfManagedKafkaParameters",
};
constexpr std::string_view kOtherTargetParameters[] = {
    "KinesisStreamParameters",
    "EcsTaskParameters",
    "BatchJobParameters",
    "HttpParameters",
    "RedshiftDataParameters",
    "SageMakerPipelineParameters",
    "EventBridgeEventBusParameters",
    "CloudWatchLogsParameters",
    "TimestreamParameters",
};

// Collects what is wrong with a request: the first type error (stage 1), else every constraint
// violation (stage 2).
class Checker {
 public:
  void serialization(std::string message) {
    if (!serialization_) serialization_ = std::move(message);
  }
  void violation(std::string path, std::string message) {
    fields_.push_back({std::move(path), std::move(message)});
  }
  bool ok() const { return !serialization_ && fields_.empty(); }
  PipesError error() const {
    if (serialization_) return serialization_exception(*serialization_);
    return schema_validation_exception(fields_);
  }

 private:
  std::optional<std::string> serialization_;
  std::vector<FieldError> fields_;
};

std::string join_path(std::string_view parent, std::string_view name) {
  std::string path(parent);
  if (!path.empty()) path += '.';
  path += name;
  return path;
}

std::string index_path(std::string_view parent, std::size_t i) {
  return std::string(parent) + "[" + std::to_string(i) + "]";
}

const json::Value* member(const json::Object& o, std::string_view name) {
  const json::Value* v = o.find(name);
  return (v == nullptr || v->is_null()) ? nullptr : v;
}

// Words of AWS's request deserializer for a value that does not fit its member's type.
void type_error(Checker& c, const json::Value& v, std::string_view expected) {
  if (v.is_object()) return c.serialization("Start of structure or map found where not expected.");
  if (v.is_array()) return c.serialization("Start of list found where not expected.");
  std::string token = v.is_string()   ? "STRING_VALUE"
                      : v.is_number() ? "NUMBER_VALUE"
                      : v.is_bool()   ? "BOOLEAN_VALUE"
                                      : "NULL_VALUE";
  c.serialization(token + " can not be converted to " + std::string(expected));
}

void check_string(Checker& c, const std::string& s, const std::string& path,
                  const StringShape& shape) {
  std::size_t len = schema_length(s);
  if (len < shape.min) c.violation(path, schema_too_short(s, shape.min));
  if (len > shape.max) c.violation(path, schema_too_long(s, shape.max));
  if (shape.matches != nullptr && !shape.matches(s)) {
    c.violation(path, schema_pattern_mismatch(shape.regex, s));
  }
}

std::optional<std::string> read_string(Checker& c, const json::Object& o, std::string_view name,
                                       std::string_view parent, const StringShape& shape) {
  const json::Value* v = member(o, name);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) {
    type_error(c, *v, "a String");
    return std::nullopt;
  }
  check_string(c, v->as_string(), join_path(parent, name), shape);
  return v->as_string();
}

// A valid value of `allowed`, or nullopt (absent, or a violation recorded).
std::optional<std::string> read_enum(Checker& c, const json::Object& o, std::string_view name,
                                     std::string_view parent,
                                     const std::vector<std::string_view>& allowed) {
  auto s = read_string(c, o, name, parent, {});
  if (!s) return s;
  for (std::string_view a : allowed) {
    if (*s == a) return s;
  }
  c.violation(join_path(parent, name), schema_not_in_enum(*s, allowed));
  return std::nullopt;
}

// The model's Integer is 32 bits.
std::optional<int64_t> read_integer(Checker& c, const json::Object& o, std::string_view name,
                                    std::string_view parent, int64_t min, int64_t max) {
  const json::Value* v = member(o, name);
  if (v == nullptr) return std::nullopt;
  if (!v->is_number()) {
    type_error(c, *v, "an Integer");
    return std::nullopt;
  }
  if (!v->is_integral() || v->as_number() < std::numeric_limits<int32_t>::min() ||
      v->as_number() > std::numeric_limits<int32_t>::max()) {
    c.serialization("NUMBER_VALUE can not be converted to an Integer");
    return std::nullopt;
  }
  int64_t n = v->is_int() ? v->as_int() : static_cast<int64_t>(v->as_number());
  std::string path = join_path(parent, name);
  if (n < min) c.violation(path, schema_below_minimum(min, n));
  if (n > max) c.violation(path, schema_above_maximum(max, n));
  return n;
}

const json::Object* read_object(Checker& c, const json::Object& o, std::string_view name) {
  const json::Value* v = member(o, name);
  if (v == nullptr) return nullptr;
  if (!v->is_object()) {
    type_error(c, *v, "a Structure");
    return nullptr;
  }
  return &v->as_object();
}

const json::Array* read_list(Checker& c, const json::Object& o, std::string_view name,
                             std::string_view parent, std::size_t min, std::size_t max) {
  const json::Value* v = member(o, name);
  if (v == nullptr) return nullptr;
  if (!v->is_array()) {
    type_error(c, *v, "a List");
    return nullptr;
  }
  const json::Array& a = v->as_array();
  std::string path = join_path(parent, name);
  if (a.size() < min) c.violation(path, schema_array_too_short(min, a.size()));
  if (a.size() > max) c.violation(path, schema_array_too_long(max, a.size()));
  return &a;
}

void require(Checker& c, const json::Object& o, std::string_view parent,
             std::initializer_list<std::string_view> names) {
  std::vector<std::string> missing;
  for (std::string_view n : names) {
    if (member(o, n) == nullptr) missing.emplace_back(n);
  }
  if (missing.empty()) return;
  std::string message = schema_missing_required(missing);
  for (const std::string& n : missing) c.violation(join_path(parent, n), message);
}

// Checks that each of `names` present is an object, and lists them.
std::vector<std::string> read_unsupported(Checker& c, const json::Object& o,
                                          std::initializer_list<std::string_view> names) {
  std::vector<std::string> present;
  for (std::string_view n : names) {
    if (read_object(c, o, n) != nullptr) present.emplace_back(n);
  }
  return present;
}

TagMap read_tags(Checker& c, const json::Object& o, std::string_view name,
                 std::string_view parent) {
  TagMap tags;
  const json::Value* v = member(o, name);
  if (v == nullptr) return tags;
  if (!v->is_object()) {
    type_error(c, *v, "a Map");
    return tags;
  }
  const json::Object& m = v->as_object();
  std::string path = join_path(parent, name);
  if (m.size() < 1) c.violation(path, schema_too_few_properties(m.size(), 1));
  if (m.size() > kMaxTags) c.violation(path, schema_too_many_properties(m.size(), kMaxTags));
  for (const auto& [key, value] : m) {
    if (!value.is_string()) {
      type_error(c, value, "a String");
      continue;
    }
    std::string at = join_path(path, key);
    check_string(c, key, at, kTagKey);
    check_string(c, value.as_string(), at, kTagValue);
    tags.emplace_back(key, value.as_string());
  }
  return tags;
}

std::optional<InvocationType> to_invocation_type(const std::optional<std::string>& s) {
  if (!s) return std::nullopt;
  return *s == "FIRE_AND_FORGET" ? InvocationType::kFireAndForget
                                 : InvocationType::kRequestResponse;
}

SourceParameters read_source_parameters(Checker& c, const json::Object& o, std::string_view path) {
  SourceParameters p;
  if (const json::Object* fc = read_object(c, o, "FilterCriteria")) {
    std::string fc_path = join_path(path, "FilterCriteria");
    FilterCriteria criteria;
    if (const json::Array* filters = read_list(c, *fc, "Filters", fc_path, 0, 5)) {
      std::string filters_path = join_path(fc_path, "Filters");
      for (std::size_t i = 0; i < filters->size(); ++i) {
        const json::Value& item = (*filters)[i];
        if (!item.is_object()) {
          type_error(c, item, "a Structure");
          continue;
        }
        criteria.filters.push_back({read_string(c, item.as_object(), "Pattern",
                                                index_path(filters_path, i), kEventPattern)});
      }
    }
    p.filter_criteria = std::move(criteria);
  }
  p.unsupported = read_unsupported(c, o, {kOtherSourceParameters[0], kOtherSourceParameters[1]});
  if (const json::Object* sqs = read_object(c, o, "SqsQueueParameters")) {
    std::string sqs_path = join_path(path, "SqsQueueParameters");
    SqsSourceParameters s;
    s.batch_size = read_integer(c, *sqs, "BatchSize", sqs_path, 1, 10000);
    s.maximum_batching_window_in_seconds =
        read_integer(c, *sqs, "MaximumBatchingWindowInSeconds", sqs_path, 0, 300);
    p.sqs_queue_parameters = s;
  }
  for (auto& n : read_unsupported(c, o,
                                  {kOtherSourceParameters[2], kOtherSourceParameters[3],
                                   kOtherSourceParameters[4], kOtherSourceParameters[5]})) {
    p.unsupported.push_back(std::move(n));
  }
  return p;
}

std::optional<InvocationParameters> read_invocation_parameters(Checker& c, const json::Object& o,
                                                               std::string_view name,
                                                               std::string_view parent) {
  const json::Object* obj = read_object(c, o, name);
  if (obj == nullptr) return std::nullopt;
  InvocationParameters p;
  p.invocation_type = to_invocation_type(
      read_enum(c, *obj, "InvocationType", join_path(parent, name), kInvocationTypes));
  return p;
}

TargetParameters read_target_parameters(Checker& c, const json::Object& o, std::string_view path) {
  TargetParameters p;
  p.input_template = read_string(c, o, "InputTemplate", path, kInputTemplate);
  p.lambda_function_parameters = read_invocation_parameters(c, o, "LambdaFunctionParameters", path);
  p.step_function_state_machine_parameters =
      read_invocation_parameters(c, o, "StepFunctionStateMachineParameters", path);
  p.unsupported = read_unsupported(
      c, o, {kOtherTargetParameters[0], kOtherTargetParameters[1], kOtherTargetParameters[2]});
  if (const json::Object* sqs = read_object(c, o, "SqsQueueParameters")) {
    std::string sqs_path = join_path(path, "SqsQueueParameters");
    SqsTargetParameters s;
    s.message_group_id = read_string(c, *sqs, "MessageGroupId", sqs_path, kMessageAttribute100);
    s.message_deduplication_id =
        read_string(c, *sqs, "MessageDeduplicationId", sqs_path, kMessageAttribute100);
    p.sqs_queue_parameters = std::move(s);
  }
  for (auto& n : read_unsupported(
           c, o,
           {kOtherTargetParameters[3], kOtherTargetParameters[4], kOtherTargetParameters[5],
            kOtherTargetParameters[6], kOtherTargetParameters[7], kOtherTargetParameters[8]})) {
    p.unsupported.push_back(std::move(n));
  }
  return p;
}

EnrichmentParameters read_enrichment_parameters(Checker& c, const json::Object& o,
                                                std::string_view path) {
  EnrichmentParameters p;
  p.input_template = read_string(c, o, "InputTemplate", path, kInputTemplate);
  p.unsupported = read_unsupported(c, o, {"HttpParameters"});
  return p;
}

// A copy of `o` with only `names` (in the order sent), nulls dropped.
json::Object keep_members(const json::Object& o, std::initializer_list<std::string_view> names) {
  json::Object out;
  for (const auto& [k, v] : o) {
    if (v.is_null()) continue;
    for (std::string_view n : names) {
      if (k == n) {
        out.append_new(k, v);
        break;
      }
    }
  }
  return out;
}

std::optional<json::Value> read_log_configuration(Checker& c, const json::Object& o) {
  const json::Object* lc = read_object(c, o, "LogConfiguration");
  if (lc == nullptr) return std::nullopt;
  const std::string path = "LogConfiguration";
  require(c, *lc, path, {"Level"});
  json::Object out =
      keep_members(*lc, {"S3LogDestination", "FirehoseLogDestination",
                         "CloudwatchLogsLogDestination", "Level", "IncludeExecutionData"});
  if (const json::Object* s3 = read_object(c, *lc, "S3LogDestination")) {
    std::string p = join_path(path, "S3LogDestination");
    require(c, *s3, p, {"BucketName", "BucketOwner"});
    read_string(c, *s3, "BucketName", p, kBucketName);
    read_string(c, *s3, "BucketOwner", p, kBucketOwner);
    read_enum(c, *s3, "OutputFormat", p, kS3OutputFormats);
    read_string(c, *s3, "Prefix", p, kS3Prefix);
    out.set("S3LogDestination",
            keep_members(*s3, {"BucketName", "Prefix", "BucketOwner", "OutputFormat"}));
  }
  if (const json::Object* fh = read_object(c, *lc, "FirehoseLogDestination")) {
    std::string p = join_path(path, "FirehoseLogDestination");
    require(c, *fh, p, {"DeliveryStreamArn"});
    read_string(c, *fh, "DeliveryStreamArn", p, kFirehoseArn);
    out.set("FirehoseLogDestination", keep_members(*fh, {"DeliveryStreamArn"}));
  }
  if (const json::Object* cw = read_object(c, *lc, "CloudwatchLogsLogDestination")) {
    std::string p = join_path(path, "CloudwatchLogsLogDestination");
    require(c, *cw, p, {"LogGroupArn"});
    read_string(c, *cw, "LogGroupArn", p, kLogGroupArn);
    out.set("CloudwatchLogsLogDestination", keep_members(*cw, {"LogGroupArn"}));
  }
  read_enum(c, *lc, "Level", path, kLogLevels);
  if (const json::Array* ied = read_list(c, *lc, "IncludeExecutionData", path, 0, kUnbounded)) {
    std::string p = join_path(path, "IncludeExecutionData");
    for (std::size_t i = 0; i < ied->size(); ++i) {
      const json::Value& item = (*ied)[i];
      if (!item.is_string()) {
        type_error(c, item, "a String");
      } else if (item.as_string() != "ALL") {
        c.violation(index_path(p, i), schema_not_in_enum(item.as_string(), kIncludeExecutionData));
      }
    }
  }
  return json::Value(std::move(out));
}

// Stages 1-2 of CreatePipe (and of a stored spec).
PipeSpec read_create(Checker& c, const json::Object& o) {
  require(c, o, "", {"Source", "Target", "RoleArn"});
  PipeSpec s;
  s.description = read_string(c, o, "Description", "", kDescription);
  if (auto d = read_enum(c, o, "DesiredState", "", kRequestedStates)) {
    s.desired_state = parse_requested_state(*d);
  }
  s.source = read_string(c, o, "Source", "", kArnOrUrl).value_or("");
  if (const json::Object* p = read_object(c, o, "SourceParameters")) {
    s.source_parameters = read_source_parameters(c, *p, "SourceParameters");
  }
  s.enrichment = read_string(c, o, "Enrichment", "", kOptionalArn).value_or("");
  if (const json::Object* p = read_object(c, o, "EnrichmentParameters")) {
    s.enrichment_parameters = read_enrichment_parameters(c, *p, "EnrichmentParameters");
  }
  s.target = read_string(c, o, "Target", "", kArn).value_or("");
  if (const json::Object* p = read_object(c, o, "TargetParameters")) {
    s.target_parameters = read_target_parameters(c, *p, "TargetParameters");
  }
  s.role_arn = read_string(c, o, "RoleArn", "", kRoleArn).value_or("");
  s.tags = read_tags(c, o, "Tags", "");
  s.log_configuration = read_log_configuration(c, o);
  s.kms_key_identifier = read_string(c, o, "KmsKeyIdentifier", "", kKmsKey).value_or("");
  return s;
}

const json::Object& object_or_empty(const json::Value& body) {
  static const json::Object kEmpty;
  return body.is_object() ? body.as_object() : kEmpty;
}

// The service word of an ARN (its third field), or "" for anything else.
std::string_view arn_service(std::string_view arn) {
  for (int skip = 0; skip < 2; ++skip) {
    std::size_t colon = arn.find(':');
    if (colon == std::string_view::npos) return {};
    arn.remove_prefix(colon + 1);
  }
  return arn.substr(0, arn.find(':'));
}

std::string_view with_article(ResourceKind kind) {
  switch (kind) {
    case ResourceKind::kSqsQueue:
      return "an SQS queue";
    case ResourceKind::kStateMachine:
      return "a Step Functions state machine";
    case ResourceKind::kLambdaFunction:
      return "a Lambda function";
  }
  return "";
}

std::string_view target_parameters_name(ResourceKind kind) {
  switch (kind) {
    case ResourceKind::kSqsQueue:
      return "SqsQueueParameters";
    case ResourceKind::kStateMachine:
      return "StepFunctionStateMachineParameters";
    case ResourceKind::kLambdaFunction:
      return "LambdaFunctionParameters";
  }
  return "";
}

FieldError does_not_apply(std::string_view parent, std::string_view name, ResourceKind kind,
                          std::string_view role, std::string_view instead) {
  std::string message = std::string(name) + " does not apply to " +
                        std::string(with_article(kind)) + " " + std::string(role);
  if (!instead.empty()) message += "; use " + std::string(instead);
  message += ".";
  return {join_path(parent, name), std::move(message)};
}

// Parameter objects as JSON, members in model order.
json::Value invocation_json(const InvocationParameters& p) {
  json::Object o;
  if (p.invocation_type) o.append_new("InvocationType", std::string(to_string(*p.invocation_type)));
  return o;
}

json::Value source_parameters_json(const SourceParameters& p) {
  json::Object o;
  if (p.filter_criteria) {
    json::Array filters;
    for (const Filter& f : p.filter_criteria->filters) {
      json::Object fo;
      if (f.pattern) fo.append_new("Pattern", *f.pattern);
      filters.emplace_back(std::move(fo));
    }
    json::Object fc;
    fc.append_new("Filters", std::move(filters));
    o.append_new("FilterCriteria", std::move(fc));
  }
  if (p.sqs_queue_parameters) {
    json::Object sqs;
    if (p.sqs_queue_parameters->batch_size) {
      sqs.append_new("BatchSize", *p.sqs_queue_parameters->batch_size);
    }
    if (p.sqs_queue_parameters->maximum_batching_window_in_seconds) {
      sqs.append_new("MaximumBatchingWindowInSeconds",
                     *p.sqs_queue_parameters->maximum_batching_window_in_seconds);
    }
    o.append_new("SqsQueueParameters", std::move(sqs));
  }
  return o;
}

json::Value target_parameters_json(const TargetParameters& p) {
  json::Object o;
  if (p.input_template) o.append_new("InputTemplate", *p.input_template);
  if (p.lambda_function_parameters) {
    o.append_new("LambdaFunctionParameters", invocation_json(*p.lambda_function_parameters));
  }
  if (p.step_function_state_machine_parameters) {
    o.append_new("StepFunctionStateMachineParameters",
                 invocation_json(*p.step_function_state_machine_parameters));
  }
  if (p.sqs_queue_parameters) {
    json::Object sqs;
    if (p.sqs_queue_parameters->message_group_id) {
      sqs.append_new("MessageGroupId", *p.sqs_queue_parameters->message_group_id);
    }
    if (p.sqs_queue_parameters->message_deduplication_id) {
      sqs.append_new("MessageDeduplicationId", *p.sqs_queue_parameters->message_deduplication_id);
    }
    o.append_new("SqsQueueParameters", std::move(sqs));
  }
  return o;
}

json::Value enrichment_parameters_json(const EnrichmentParameters& p) {
  json::Object o;
  if (p.input_template) o.append_new("InputTemplate", *p.input_template);
  return o;
}

json::Value tags_json(const TagMap& tags) {
  json::Object o;
  for (const auto& [k, v] : tags) o.append_new(k, v);
  return o;
}

void json_member(protocol::JsonWriter& w, std::string_view name, const json::Value& v) {
  w.key(name);
  w.raw_json(json::serialize(v));
}

void write_state_members(protocol::JsonWriter& w, const PipeStatus& status) {
  w.string_member("DesiredState", to_string(status.desired_state));
  w.string_member("CurrentState", to_string(status.current_state));
}

}  // namespace

std::string_view to_string(DesiredState state) {
  switch (state) {
    case DesiredState::kRunning:
      return "RUNNING";
    case DesiredState::kStopped:
      return "STOPPED";
    case DesiredState::kDeleted:
      return "DELETED";
  }
  return "";
}

std::optional<DesiredState> parse_requested_state(std::string_view text) {
  if (text == "RUNNING") return DesiredState::kRunning;
  if (text == "STOPPED") return DesiredState::kStopped;
  return std::nullopt;
}

const std::vector<std::string_view>& current_state_values() {
  static const std::vector<std::string_view> kValues = {
      "RUNNING",
      "STOPPED",
      "CREATING",
      "UPDATING",
      "DELETING",
      "STARTING",
      "STOPPING",
      "CREATE_FAILED",
      "UPDATE_FAILED",
      "START_FAILED",
      "STOP_FAILED",
      "DELETE_FAILED",
      "CREATE_ROLLBACK_FAILED",
      "DELETE_ROLLBACK_FAILED",
      "UPDATE_ROLLBACK_FAILED",
  };
  return kValues;
}

std::string_view to_string(CurrentState state) {
  return current_state_values()[static_cast<std::size_t>(state)];
}

std::optional<CurrentState> parse_current_state(std::string_view text) {
  const auto& values = current_state_values();
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (values[i] == text) return static_cast<CurrentState>(i);
  }
  return std::nullopt;
}

std::string_view to_string(InvocationType type) {
  return type == InvocationType::kFireAndForget ? "FIRE_AND_FORGET" : "REQUEST_RESPONSE";
}

Result<PipeSpec, PipesError> parse_pipe_spec(const json::Value& body) {
  Checker c;
  if (!body.is_object()) type_error(c, body, "a Structure");
  PipeSpec spec = read_create(c, object_or_empty(body));
  if (!c.ok()) return c.error();
  return spec;
}

Result<PipeSpec, PipesError> parse_create_pipe(const json::Value& body, const PipesIdentity& id) {
  auto spec = parse_pipe_spec(body);
  if (!spec) return spec;
  auto checked = validate_pipe_spec(*spec, id);
  if (!checked) return checked.error();
  return spec;
}

Result<PipeUpdate, PipesError> parse_update_pipe(const json::Value& body) {
  Checker c;
  if (!body.is_object()) type_error(c, body, "a Structure");
  const json::Object& o = object_or_empty(body);
  require(c, o, "", {"RoleArn"});
  PipeUpdate u;
  u.description = read_string(c, o, "Description", "", kDescription);
  if (auto d = read_enum(c, o, "DesiredState", "", kRequestedStates)) {
    u.desired_state = parse_requested_state(*d);
  }
  if (const json::Object* p = read_object(c, o, "SourceParameters")) {
    u.source_parameters = read_source_parameters(c, *p, "SourceParameters");
  }
  u.enrichment = read_string(c, o, "Enrichment", "", kOptionalArn);
  if (const json::Object* p = read_object(c, o, "EnrichmentParameters")) {
    u.enrichment_parameters = read_enrichment_parameters(c, *p, "EnrichmentParameters");
  }
  u.target = read_string(c, o, "Target", "", kArn);
  if (const json::Object* p = read_object(c, o, "TargetParameters")) {
    u.target_parameters = read_target_parameters(c, *p, "TargetParameters");
  }
  u.role_arn = read_string(c, o, "RoleArn", "", kRoleArn).value_or("");
  u.log_configuration = read_log_configuration(c, o);
  u.kms_key_identifier = read_string(c, o, "KmsKeyIdentifier", "", kKmsKey);
  if (!c.ok()) return c.error();
  return u;
}

PipeSpec apply_update(const PipeSpec& current, const PipeUpdate& update) {
  PipeSpec s = current;
  if (update.description) s.description = *update.description;
  if (update.desired_state) s.desired_state = *update.desired_state;

  if (update.source_parameters) {
    const SourceParameters& u = *update.source_parameters;
    SourceParameters merged = s.source_parameters.value_or(SourceParameters{});
    if (u.filter_criteria) {
      if (u.filter_criteria->filters.empty()) {
        merged.filter_criteria.reset();  // "an empty array of Filter objects" removes filtering
      } else {
        merged.filter_criteria = u.filter_criteria;
      }
    }
    if (u.sqs_queue_parameters) merged.sqs_queue_parameters = u.sqs_queue_parameters;
    merged.unsupported = u.unsupported;
    s.source_parameters = std::move(merged);
  }

  if (update.enrichment) {
    s.enrichment = *update.enrichment;
    if (s.enrichment.empty()) s.enrichment_parameters.reset();
  }
  if (update.enrichment_parameters) {
    const EnrichmentParameters& u = *update.enrichment_parameters;
    EnrichmentParameters merged = s.enrichment_parameters.value_or(EnrichmentParameters{});
    if (u.input_template) merged.input_template = u.input_template;
    merged.unsupported = u.unsupported;
    s.enrichment_parameters = std::move(merged);
  }

  if (update.target) {
    if (s.target_parameters && arn_service(*update.target) != arn_service(s.target)) {
      // The stored service-specific object belonged to the old kind of target.
      s.target_parameters->lambda_function_parameters.reset();
      s.target_parameters->step_function_state_machine_parameters.reset();
      s.target_parameters->sqs_queue_parameters.reset();
    }
    s.target = *update.target;
  }
  if (update.target_parameters) {
    const TargetParameters& u = *update.target_parameters;
    TargetParameters merged = s.target_parameters.value_or(TargetParameters{});
    if (u.input_template) merged.input_template = u.input_template;
    if (u.lambda_function_parameters) {
      merged.lambda_function_parameters = u.lambda_function_parameters;
    }
    if (u.step_function_state_machine_parameters) {
      merged.step_function_state_machine_parameters = u.step_function_state_machine_parameters;
    }
    if (u.sqs_queue_parameters) merged.sqs_queue_parameters = u.sqs_queue_parameters;
    merged.unsupported = u.unsupported;
    s.target_parameters = std::move(merged);
  }

  s.role_arn = update.role_arn;
  if (update.log_configuration) s.log_configuration = update.log_configuration;
  if (update.kms_key_identifier) s.kms_key_identifier = *update.kms_key_identifier;
  return s;
}

Result<PipeEndpoints, PipesError> validate_pipe_spec(const PipeSpec& spec,
                                                     const PipesIdentity& id) {
  std::vector<FieldError> fields;
  auto take = [&fields](const PipesError& e) {
    fields.insert(fields.end(), e.field_list.begin(), e.field_list.end());
  };

  auto source = classify_resource(spec.source, PipeRole::kSource, id);
  if (!source) take(source.error());
  std::optional<Result<ResourceRef, PipesError>> enrichment;
  if (!spec.enrichment.empty()) {
    enrichment = classify_resource(spec.enrichment, PipeRole::kEnrichment, id);
    if (!*enrichment) take(enrichment->error());
  }
  auto target = classify_resource(spec.target, PipeRole::kTarget, id);
  if (!target) take(target.error());

  // Parameter objects must belong to the endpoint they configure.
  constexpr std::string_view kSp = "SourceParameters";
  constexpr std::string_view kTp = "TargetParameters";
  if (spec.source_parameters && source) {
    for (const std::string& n : spec.source_parameters->unsupported) {
      fields.push_back(
          does_not_apply(kSp, n, ResourceKind::kSqsQueue, "source", "SqsQueueParameters"));
    }
  }
  if (spec.enrichment_parameters) {
    for (const std::string& n : spec.enrichment_parameters->unsupported) {
      fields.push_back({join_path("EnrichmentParameters", n),
                        n + " applies only to API destination and API Gateway enrichments, which "
                            "Sluice does not serve."});
    }
  }
  if (spec.target_parameters && target) {
    const TargetParameters& tp = *spec.target_parameters;
    ResourceKind kind = target->kind;
    std::string_view instead = target_parameters_name(kind);
    for (const std::string& n : tp.unsupported) {
      fields.push_back(does_not_apply(kTp, n, kind, "target", instead));
    }
    if (tp.lambda_function_parameters && kind != ResourceKind::kLambdaFunction) {
      fields.push_back(does_not_apply(kTp, "LambdaFunctionParameters", kind, "target", instead));
    }
    if (tp.step_function_state_machine_parameters && kind != ResourceKind::kStateMachine) {
      fields.push_back(
          does_not_apply(kTp, "StepFunctionStateMachineParameters", kind, "target", instead));
    }
    if (tp.sqs_queue_parameters && kind != ResourceKind::kSqsQueue) {
      fields.push_back(does_not_apply(kTp, "SqsQueueParameters", kind, "target", instead));
    }
  }

  // Filter patterns are JSON objects (EventBridge event patterns).
  if (spec.source_parameters && spec.source_parameters->filter_criteria) {
    const auto& filters = spec.source_parameters->filter_criteria->filters;
    for (std::size_t i = 0; i < filters.size(); ++i) {
      if (!filters[i].pattern || filters[i].pattern->empty()) continue;
      auto parsed = json::parse(*filters[i].pattern);
      if (!parsed || !parsed->is_object()) {
        fields.push_back({index_path("SourceParameters.FilterCriteria.Filters", i) + ".Pattern",
                          "Invalid filter pattern definition."});
      }
    }
  }

  // Batching.
  if (source && spec.source_parameters && spec.source_parameters->sqs_queue_parameters) {
    const SqsSourceParameters& sqs = *spec.source_parameters->sqs_queue_parameters;
    const std::string at = "SourceParameters.SqsQueueParameters";
    int64_t batch = sqs.batch_size.value_or(10);
    if (batch > 10 && sqs.maximum_batching_window_in_seconds.value_or(0) < 1) {
      fields.push_back({at + ".MaximumBatchingWindowInSeconds",
                        "MaximumBatchingWindowInSeconds must be at least 1 when BatchSize is "
                        "greater than 10."});
    }
    if (batch > 10 && source->fifo) {
      fields.push_back(
          {at + ".BatchSize", "BatchSize must be at most 10 for a FIFO queue source."});
    } else if (batch > 10 && target && target->kind == ResourceKind::kSqsQueue) {
      fields.push_back({at + ".BatchSize",
                        "BatchSize must be at most 10 for an SQS queue target, which takes "
                        "batches of at most 10 messages."});
    }
  }

  // A FIFO target needs a message group.
  if (target && target->kind == ResourceKind::kSqsQueue && target->fifo) {
    const TargetParameters* tp = spec.target_parameters ? &*spec.target_parameters : nullptr;
    if (tp == nullptr || !tp->sqs_queue_parameters) {
      fields.push_back({"TargetParameters.SqsQueueParameters", "Missing required parameter."});
    } else if (!tp->sqs_queue_parameters->message_group_id ||
               tp->sqs_queue_parameters->message_group_id->empty()) {
      fields.push_back(
          {"TargetParameters.SqsQueueParameters.MessageGroupId", "Missing required parameter."});
    }
  }

  if (!fields.empty()) return field_validation_exception(std::move(fields));
  PipeEndpoints endpoints;
  endpoints.source = std::move(source).value();
  if (enrichment) endpoints.enrichment = std::move(*enrichment).value();
  endpoints.target = std::move(target).value();
  return endpoints;
}

Result<PipeSpec, PipesError> update_pipe_spec(const PipeSpec& current, const PipeUpdate& update,
                                              const PipesIdentity& id) {
  PipeSpec merged = apply_update(current, update);
  auto checked = validate_pipe_spec(merged, id);
  if (!checked) return checked.error();
  return merged;
}

json::Value to_json(const PipeSpec& spec) {
  json::Object o;
  if (spec.description) o.append_new("Description", *spec.description);
  if (spec.desired_state) o.append_new("DesiredState", std::string(to_string(*spec.desired_state)));
  o.append_new("Source", spec.source);
  if (spec.source_parameters) {
    o.append_new("SourceParameters", source_parameters_json(*spec.source_parameters));
  }
  if (!spec.enrichment.empty()) o.append_new("Enrichment", spec.enrichment);
  if (spec.enrichment_parameters) {
    o.append_new("EnrichmentParameters", enrichment_parameters_json(*spec.enrichment_parameters));
  }
  o.append_new("Target", spec.target);
  if (spec.target_parameters) {
    o.append_new("TargetParameters", target_parameters_json(*spec.target_parameters));
  }
  o.append_new("RoleArn", spec.role_arn);
  if (!spec.tags.empty()) o.append_new("Tags", tags_json(spec.tags));
  if (spec.log_configuration) o.append_new("LogConfiguration", *spec.log_configuration);
  if (!spec.kms_key_identifier.empty()) o.append_new("KmsKeyIdentifier", spec.kms_key_identifier);
  return o;
}

Result<TagMap, PipesError> parse_tag_resource(const json::Value& body) {
  Checker c;
  if (!body.is_object()) type_error(c, body, "a Structure");
  const json::Object& o = object_or_empty(body);
  require(c, o, "", {"tags"});
  TagMap tags = read_tags(c, o, "tags", "");
  if (!c.ok()) return c.error();
  return tags;
}

Result<std::vector<std::string>, PipesError> parse_untag_keys(
    const std::optional<std::vector<std::string>>& keys) {
  Checker c;
  if (!keys) {
    c.violation("tagKeys", schema_missing_required({"tagKeys"}));
    return c.error();
  }
  if (keys->size() > kMaxTags)
    c.violation("tagKeys", schema_array_too_long(kMaxTags, keys->size()));
  for (std::size_t i = 0; i < keys->size(); ++i) {
    check_string(c, (*keys)[i], index_path("tagKeys", i), kTagKey);
  }
  if (!c.ok()) return c.error();
  return *keys;
}

Result<TagMap, PipesError> merge_tags(const TagMap& current, const TagMap& add) {
  TagMap out = current;
  for (const auto& [k, v] : add) {
    bool found = false;
    for (auto& existing : out) {
      if (existing.first == k) {
        existing.second = v;
        found = true;
        break;
      }
    }
    if (!found) out.emplace_back(k, v);
  }
  if (out.size() > kMaxTags) {
    return field_validation_exception(
        {{"tags", "A pipe can have at most " + std::to_string(kMaxTags) +
                      " tags; this request "
                      "would leave it " +
                      std::to_string(out.size()) + "."}});
  }
  return out;
}

TagMap remove_tags(const TagMap& current, const std::vector<std::string>& keys) {
  TagMap out;
  for (const auto& tag : current) {
    bool drop = false;
    for (const std::string& k : keys) drop = drop || k == tag.first;
    if (!drop) out.push_back(tag);
  }
  return out;
}

std::string render_describe_pipe(const PipeSpec& spec, const PipeStatus& status) {
  std::string out;
  protocol::JsonWriter w(out);
  w.begin_object();
  w.string_member("Arn", status.arn);
  w.string_member("Name", status.name);
  if (spec.description) w.string_member("Description", *spec.description);
  write_state_members(w, status);
  w.optional_string_member("StateReason", status.state_reason);
  w.string_member("Source", spec.source);
  if (spec.source_parameters) {
    json_member(w, "SourceParameters", source_parameters_json(*spec.source_parameters));
  }
  w.optional_string_member("Enrichment", spec.enrichment);
  if (spec.enrichment_parameters) {
    json_member(w, "EnrichmentParameters", enrichment_parameters_json(*spec.enrichment_parameters));
  }
  w.string_member("Target", spec.target);
  if (spec.target_parameters) {
    json_member(w, "TargetParameters", target_parameters_json(*spec.target_parameters));
  }
  w.string_member("RoleArn", spec.role_arn);
  json_member(w, "Tags", tags_json(spec.tags));
  states::timestamp_member(w, "CreationTime", status.creation_time_ms);
  states::timestamp_member(w, "LastModifiedTime", status.last_modified_time_ms);
  if (spec.log_configuration) json_member(w, "LogConfiguration", *spec.log_configuration);
  w.optional_string_member("KmsKeyIdentifier", spec.kms_key_identifier);
  w.end_object();
  return out;
}

void write_pipe_summary(protocol::JsonWriter& w, const PipeSpec& spec, const PipeStatus& status) {
  w.begin_object();
  w.string_member("Name", status.name);
  w.string_member("Arn", status.arn);
  write_state_members(w, status);
  w.optional_string_member("StateReason", status.state_reason);
  states::timestamp_member(w, "CreationTime", status.creation_time_ms);
  states::timestamp_member(w, "LastModifiedTime", status.last_modified_time_ms);
  w.string_member("Source", spec.source);
  w.string_member("Target", spec.target);
  w.optional_string_member("Enrichment", spec.enrichment);
  w.end_object();
}

std::string render_list_pipes(const std::vector<PipeListEntry>& pipes,
                              std::string_view next_token) {
  std::string out;
  protocol::JsonWriter w(out);
  w.begin_object();
  w.key("Pipes");
  w.begin_array();
  for (const PipeListEntry& e : pipes) write_pipe_summary(w, *e.spec, *e.status);
  w.end_array();
  w.optional_string_member("NextToken", next_token);
  w.end_object();
  return out;
}

std::string render_pipe_state(const PipeStatus& status) {
  std::string out;
  protocol::JsonWriter w(out);
  w.begin_object();
  w.string_member("Arn", status.arn);
  w.string_member("Name", status.name);
  write_state_members(w, status);
  states::timestamp_member(w, "CreationTime", status.creation_time_ms);
  states::timestamp_member(w, "LastModifiedTime", status.last_modified_time_ms);
  w.end_object();
  return out;
}

std::string render_tags(const TagMap& tags) {
  std::string out;
  protocol::JsonWriter w(out);
  w.begin_object();
  json_member(w, "tags", tags_json(tags));
  w.end_object();
  return out;
}

}  // namespace sluice::pipes
