// See mock_result_check.h. The compact model is parsed once, on first use.
#include "broker/states/mocks/mock_result_check.h"

#include "broker/states/tasks/sdk_shapes.h"
#include "engine/executor/task_handler.h"
#include "engine/json/json_parse.h"

namespace sluice::states::mocks {

namespace {

#include "broker/states/mocks/sdk_output_shapes.inc"

const json::Value& model() {
  static const json::Value parsed = [] {
    std::string text;
    for (std::string_view part : kSdkOutputShapeParts) text += part;
    auto v = json::parse(text);
    return v.ok() ? std::move(v).value() : json::Value(json::Object{});
  }();
  return parsed;
}

const json::Value* member(const json::Value& v, std::string_view name) {
  return v.is_object() ? v.as_object().find(name) : nullptr;
}

// The output shape's name ("sqs.SendMessageResult") of the action the resource names, or empty.
std::string output_shape(std::string_view resource) {
  auto parsed = engine::executor::parse_task_resource(resource);
  if (parsed.family != engine::executor::TaskFamily::kService || parsed.wait_for_task_token)
    return {};
  std::string_view type = parsed.resource_type;
  std::string_view action = parsed.resource;
  std::string service, operation;
  if (type == "aws-sdk:sqs" || type == "aws-sdk:sfn") {
    service = type == "aws-sdk:sqs" ? "sqs" : "sfn";
    if (action.find('.') != std::string_view::npos) return {};  // .sync: no model of its own
    operation = tasks::sdk_operation_name(action);
  } else if (type == "sqs" && action == "sendMessage") {
    service = "sqs";
    operation = "SendMessage";
  } else if (type == "states" && action == "startExecution") {
    service = "sfn";
    operation = "StartExecution";
  } else if (type == "states" && action.rfind("startExecution.sync", 0) == 0) {
    service = "sfn";
    operation = "DescribeExecution";
  } else {
    return {};
  }
  const json::Value* ops = member(model(), "ops");
  const json::Value* of_service = ops ? member(*ops, service) : nullptr;
  const json::Value* shape = of_service ? member(*of_service, operation) : nullptr;
  return shape && shape->is_string() ? shape->as_string() : std::string();
}

std::string schema_error(std::string text) {
  return "Mock result schema validation error: " + std::move(text);
}

std::string must_be(std::string_view field, std::string_view what) {
  return schema_error("Field '" + std::string(field) + "' must be " + std::string(what));
}

std::optional<std::string> check_value(const json::Value& value, std::string_view shape_name,
                                       std::string_view field, FieldValidation mode) {
  const json::Value* shapes = member(model(), "shapes");
  const json::Value* shape = shapes ? member(*shapes, shape_name) : nullptr;
  if (!shape) return std::nullopt;
  const json::Value* t = member(*shape, "t");
  std::string_view type = t && t->is_string() ? std::string_view(t->as_string()) : "";
  if (type == "structure") {
    if (!value.is_object()) {
      if (field.empty()) return schema_error("The mock result must be a JSON object");
      return must_be(field, "an object");
    }
    const json::Object& obj = value.as_object();
    if (mode == FieldValidation::kStrict) {
      if (const json::Value* required = member(*shape, "r")) {
        for (const json::Value& name : required->as_array()) {
          if (!obj.contains(name.as_string()))
            return schema_error("Required field '" + name.as_string() + "' is missing");
        }
      }
    }
    const json::Value* members = member(*shape, "m");
    for (const auto& [name, v] : obj) {
      const json::Value* target = members ? member(*members, name) : nullptr;
      if (!target) continue;  // not in the model: ignored
      if (auto e = check_value(v, target->as_string(), name, mode)) return e;
    }
    return std::nullopt;
  }
  if (type == "list" || type == "map") {
    const json::Value* of = member(*shape, "v");
    if (type == "list" && !value.is_array()) return must_be(field, "an array");
    if (type == "map" && !value.is_object()) return must_be(field, "an object");
    if (type == "list") {
      for (const json::Value& item : value.as_array())
        if (auto e = check_value(item, of->as_string(), field, mode)) return e;
    } else {
      for (const auto& [_, item] : value.as_object())
        if (auto e = check_value(item, of->as_string(), field, mode)) return e;
    }
    return std::nullopt;
  }
  if (type == "string" || type == "blob") {
    if (!value.is_string()) return must_be(field, "a string");
    if (const json::Value* values = member(*shape, "e")) {
      bool known = false;
      for (const json::Value& e : values->as_array()) known = known || e == value;
      if (!known)
        return schema_error("Field '" + std::string(field) + "' is not an expected value");
    }
    return std::nullopt;
  }
  if (type == "timestamp") {
    // The SDK renders an Instant as ISO-8601 text; epoch seconds are accepted too.
    if (!value.is_string() && !value.is_number()) return must_be(field, "a string");
    return std::nullopt;
  }
  if (type == "integer" || type == "long") {
    if (!value.is_number() || !value.is_integral()) return must_be(field, "a number");
    return std::nullopt;
  }
  if (type == "float" || type == "double") {
    if (!value.is_number()) return must_be(field, "a number");
    return std::nullopt;
  }
  if (type == "boolean") {
    if (!value.is_bool()) return must_be(field, "a boolean");
    return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

bool mock_result_checkable(std::string_view resource) {
  return !output_shape(resource).empty();
}

std::optional<std::string> check_mock_result(std::string_view resource, const json::Value& result,
                                             FieldValidation mode) {
  if (mode == FieldValidation::kNone) return std::nullopt;
  std::string shape = output_shape(resource);
  if (shape.empty()) return std::nullopt;
  return check_value(result, shape, {}, mode);
}

}  // namespace sluice::states::mocks
