// See machine_config.h.
#include "broker/states/catalog/machine_config.h"

#include "engine/asl/variable_references.h"

#include "engine/json/json_serialize.h"

namespace sluice::states {

namespace {

using json::Object;
using json::Value;

SfnError invalid_logging(std::string_view why) {
  return sfn_error("InvalidLoggingConfiguration",
                   "Invalid Logging Configuration: " + std::string(why));
}

}  // namespace

json::Value default_logging() {
  return Value(Object{{"level", Value("OFF")}, {"includeExecutionData", Value(false)}});
}

json::Value default_tracing() {
  return Value(Object{{"enabled", Value(false)}});
}

std::optional<SfnResult<json::Value>> read_logging(RequestFields& fields) {
  const json::Object* o = fields.object("loggingConfiguration");
  if (o == nullptr) return std::nullopt;
  RequestFields f(*o);
  auto level = f.enumeration("level", {"ALL", "ERROR", "FATAL", "OFF"}, "[ALL, ERROR, FATAL, OFF]");
  auto include = f.boolean("includeExecutionData");
  const json::Array* dests = f.array("destinations");
  if (!f.ok()) return SfnResult<json::Value>(f.error());
  Object out;
  out.set("level", Value(level.value_or("OFF")));
  out.set("includeExecutionData", Value(include.value_or(false)));
  std::size_t n = dests ? dests->size() : 0;
  if (n > 1 || (out.find("level")->as_string() != "OFF" && n == 0)) {
    return SfnResult<json::Value>(invalid_logging("Must specify exactly one Log Destination."));
  }
  if (n == 1) {
    const Value& d = (*dests)[0];
    const Value* group = d.is_object() ? d.as_object().find("cloudWatchLogsLogGroup") : nullptr;
    const Value* arn =
        (group && group->is_object()) ? group->as_object().find("logGroupArn") : nullptr;
    if (!arn || !arn->is_string() || arn->as_string().rfind("arn:aws", 0) != 0 ||
        arn->as_string().find(":logs:") == std::string::npos) {
      return SfnResult<json::Value>(
          invalid_logging("Invalid Log Destination: a CloudWatch Logs log group ARN is required"));
    }
    out.set("destinations", Value(json::Array{d}));
  }
  return SfnResult<json::Value>(Value(std::move(out)));
}

std::optional<SfnResult<json::Value>> read_tracing(RequestFields& fields) {
  const json::Object* o = fields.object("tracingConfiguration");
  if (o == nullptr) return std::nullopt;
  RequestFields f(*o);
  auto enabled = f.boolean("enabled");
  if (!f.ok()) return SfnResult<json::Value>(f.error());
  return SfnResult<json::Value>(Value(Object{{"enabled", Value(enabled.value_or(false))}}));
}

std::optional<SfnResult<json::Value>> read_encryption(RequestFields& fields) {
  const json::Object* o = fields.object("encryptionConfiguration");
  if (o == nullptr) return std::nullopt;
  RequestFields f(*o);
  auto type = f.enumeration("type", {"AWS_OWNED_KEY", "CUSTOMER_MANAGED_KMS_KEY"},
                            "[AWS_OWNED_KEY, CUSTOMER_MANAGED_KMS_KEY]", true);
  auto key = f.string("kmsKeyId", StringRule{false, 1, 2048});
  auto reuse = f.integer("kmsDataKeyReusePeriodSeconds", 60, 900);
  if (!f.ok()) return SfnResult<json::Value>(f.error());
  if (*type == "CUSTOMER_MANAGED_KMS_KEY" && !key) {
    return SfnResult<json::Value>(
        sfn_error("InvalidEncryptionConfiguration",
                  "Invalid Encryption Configuration: kmsKeyId is required when type is "
                  "CUSTOMER_MANAGED_KMS_KEY"));
  }
  Object out;
  out.set("type", Value(*type));
  if (key) out.set("kmsKeyId", Value(*key));
  if (reuse) out.set("kmsDataKeyReusePeriodSeconds", Value(*reuse));
  return SfnResult<json::Value>(Value(std::move(out)));
}

void value_member(protocol::JsonWriter& w, std::string_view name, const json::Value& v) {
  w.key(name);
  w.raw_json(json::serialize(v));
}

void write_revision_config(protocol::JsonWriter& w, const MachineRevision& r) {
  w.string_member("definition", r.definition);
  w.string_member("roleArn", r.role_arn);
  value_member(w, "loggingConfiguration", r.logging);
  value_member(w, "tracingConfiguration", r.tracing);
  if (!r.encryption.is_null()) value_member(w, "encryptionConfiguration", r.encryption);
  if (!r.compiled) return;
  auto refs = engine::asl::variable_references(*r.compiled);
  if (refs.empty()) return;  // AWS leaves the member out
  w.key("variableReferences");
  w.begin_object();
  for (const auto& [state, names] : refs) {
    w.key(state);
    w.begin_array();
    for (const auto& name : names) w.string(name);
    w.end_array();
  }
  w.end_object();
}

}  // namespace sluice::states
