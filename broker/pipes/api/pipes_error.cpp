// See pipes_error.h.
#include "broker/pipes/api/pipes_error.h"

#include <algorithm>

#include "broker/protocol/json_writer.h"

namespace sluice::pipes {

namespace {
PipesError make(std::string type, std::string message, int status) {
  PipesError e;
  e.type = std::move(type);
  e.message = std::move(message);
  e.http_status = status;
  return e;
}
}  // namespace

PipesError validation_exception(std::string message, std::vector<FieldError> field_list) {
  PipesError e = make("ValidationException", std::move(message), 400);
  e.field_list = std::move(field_list);
  return e;
}

PipesError schema_validation_exception(std::vector<FieldError> fields) {
  std::string message = "[";
  std::vector<const std::string*> listed;
  for (const FieldError& f : fields) {
    bool seen = false;
    for (const std::string* m : listed) seen = seen || *m == f.message;
    if (seen) continue;
    if (!listed.empty()) message += ", ";
    message += f.message;
    listed.push_back(&f.message);
  }
  message += ']';
  return validation_exception(std::move(message), std::move(fields));
}

PipesError field_validation_exception(std::vector<FieldError> fields) {
  std::string message;
  protocol::JsonWriter w(message);
  w.begin_object();
  w.key("ValidationErrorFields");
  w.begin_array();
  for (const FieldError& f : fields) {
    w.begin_object();
    w.string_member("Name", f.name);
    w.string_member("Message", f.message);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return validation_exception(std::move(message), std::move(fields));
}

std::size_t schema_length(std::string_view utf8) {
  std::size_t n = 0;
  for (char c : utf8) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;  // lead bytes only
  return n;
}

std::string schema_too_short(std::string_view value, std::size_t min) {
  return "string \"" + std::string(value) +
         "\" is too short (length: " + std::to_string(schema_length(value)) +
         ", required minimum: " + std::to_string(min) + ")";
}

std::string schema_too_long(std::string_view value, std::size_t max) {
  return "string \"" + std::string(value) +
         "\" is too long (length: " + std::to_string(schema_length(value)) +
         ", maximum allowed: " + std::to_string(max) + ")";
}

std::string schema_below_minimum(int64_t minimum, int64_t found) {
  return "numeric instance is lower than the required minimum (minimum: " +
         std::to_string(minimum) + ", found: " + std::to_string(found) + ")";
}

std::string schema_above_maximum(int64_t maximum, int64_t found) {
  return "numeric instance is greater than the required maximum (maximum: " +
         std::to_string(maximum) + ", found: " + std::to_string(found) + ")";
}

std::string schema_pattern_mismatch(std::string_view regex, std::string_view value) {
  return "ECMA 262 regex \"" + std::string(regex) + "\" does not match input string \"" +
         std::string(value) + "\"";
}

std::string schema_not_in_enum(std::string_view value,
                               const std::vector<std::string_view>& allowed) {
  // The validator prints JSON nodes: the value and the choices as JSON strings.
  std::string out = "instance value (";
  protocol::append_json_string(out, value);
  out += ") not found in enum (possible values: [";
  for (std::size_t i = 0; i < allowed.size(); ++i) {
    if (i) out += ',';
    protocol::append_json_string(out, allowed[i]);
  }
  out += "])";
  return out;
}

std::string schema_missing_required(std::vector<std::string> names) {
  std::sort(names.begin(), names.end());
  std::string out = "object has missing required properties ([";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i) out += ',';
    protocol::append_json_string(out, names[i]);
  }
  out += "])";
  return out;
}

std::string schema_array_too_short(std::size_t min, std::size_t found) {
  return "array is too short: must have at least " + std::to_string(min) +
         " elements but instance has " + std::to_string(found) + " elements";
}

std::string schema_array_too_long(std::size_t max, std::size_t found) {
  return "array is too long: must have at most " + std::to_string(max) +
         " elements but instance has " + std::to_string(found) + " elements";
}

std::string schema_too_few_properties(std::size_t found, std::size_t min) {
  return "object has too few properties (found " + std::to_string(found) +
         " but schema requires at least " + std::to_string(min) + ")";
}

std::string schema_too_many_properties(std::size_t found, std::size_t max) {
  return "object has too many properties (found " + std::to_string(found) +
         " but schema requires at most " + std::to_string(max) + ")";
}

PipesError not_found_exception(std::string message) {
  return make("NotFoundException", std::move(message), 404);
}

PipesError conflict_exception(std::string message, std::string resource_id,
                              std::string resource_type) {
  PipesError e = make("ConflictException", std::move(message), 409);
  e.resource_id = std::move(resource_id);
  e.resource_type = std::move(resource_type);
  return e;
}

PipesError service_quota_exceeded_exception(std::string message, std::string resource_id,
                                            std::string resource_type, std::string service_code,
                                            std::string quota_code) {
  PipesError e = make("ServiceQuotaExceededException", std::move(message), 402);
  e.resource_id = std::move(resource_id);
  e.resource_type = std::move(resource_type);
  e.service_code = std::move(service_code);
  e.quota_code = std::move(quota_code);
  return e;
}

PipesError throttling_exception(std::string message, std::string service_code,
                                std::string quota_code, std::optional<int> retry_after_seconds) {
  PipesError e = make("ThrottlingException", std::move(message), 429);
  e.service_code = std::move(service_code);
  e.quota_code = std::move(quota_code);
  e.retry_after_seconds = retry_after_seconds;
  return e;
}

PipesError internal_exception(std::string message, std::optional<int> retry_after_seconds) {
  PipesError e = make("InternalException", std::move(message), 500);
  e.retry_after_seconds = retry_after_seconds;
  return e;
}

PipesError serialization_exception(std::string message) {
  return make("SerializationException", std::move(message), 400);
}

PipesError unknown_operation_exception(std::string_view method, std::string_view path) {
  std::string message = "No operation matches ";
  message += method;
  message += ' ';
  message += path;
  return make("UnknownOperationException", std::move(message), 404);
}

http::Response render_error(const PipesError& error, std::string_view request_id) {
  http::Response r;
  r.status = error.http_status;
  r.content_type = "application/json";
  r.headers.push_back({"x-amzn-RequestId", std::string(request_id)});
  r.headers.push_back({"x-amzn-ErrorType", error.type});
  if (error.retry_after_seconds) {
    r.headers.push_back({"Retry-After", std::to_string(*error.retry_after_seconds)});
  }
  protocol::JsonWriter w(r.body);
  w.begin_object();
  w.string_member("message", error.message);
  if (!error.field_list.empty()) {
    w.key("fieldList");
    w.begin_array();
    for (const FieldError& f : error.field_list) {
      w.begin_object();
      w.string_member("name", f.name);
      w.string_member("message", f.message);
      w.end_object();
    }
    w.end_array();
  }
  // Members the model marks required for Conflict/ServiceQuota are written whenever the shape
  // has them, even if empty, so a strict client never misses one.
  const bool has_resource =
      error.type == "ConflictException" || error.type == "ServiceQuotaExceededException";
  if (has_resource || !error.resource_id.empty()) w.string_member("resourceId", error.resource_id);
  if (has_resource || !error.resource_type.empty()) {
    w.string_member("resourceType", error.resource_type);
  }
  const bool quota_required = error.type == "ServiceQuotaExceededException";
  if (quota_required || !error.service_code.empty()) {
    w.string_member("serviceCode", error.service_code);
  }
  if (quota_required || !error.quota_code.empty()) w.string_member("quotaCode", error.quota_code);
  w.end_object();
  return r;
}

}  // namespace sluice::pipes
