// See request_fields.h.
#include "broker/states/request_fields.h"

#include "broker/states/resource_name.h"

namespace sluice::states {

namespace {
const json::Object kEmpty;

void required_missing(std::vector<std::string>& violations, std::string_view name) {
  violations.push_back("Value null at '" + std::string(name) +
                       "' failed to satisfy constraint: Member must not be null");
}
}  // namespace

std::string constraint_text(std::string_view value, std::string_view member, std::string_view rule,
                            bool sensitive) {
  std::string out = "Value ";
  if (!sensitive) {
    out += "'";
    out += value;
    out += "' ";
  }
  out += "at '";
  out += member;
  out += "' failed to satisfy constraint: Member must ";
  out += rule;
  return out;
}

SfnError validation_error(std::string message, std::string_view reason) {
  SfnError e = sfn_error("ValidationException", std::move(message));
  if (!reason.empty()) e.extra.set("reason", json::Value(reason));
  return e;
}

RequestFields::RequestFields(const json::Value& body)
    : body_(body.is_object() ? &body.as_object() : &kEmpty) {}

const json::Value* RequestFields::find(std::string_view name) const {
  const json::Value* v = body_->find(name);
  return (v == nullptr || v->is_null()) ? nullptr : v;
}

void RequestFields::type_error(std::string_view name, std::string_view expected) {
  if (!serialization_) {
    serialization_ = "Unexpected value type for member '" + std::string(name) + "': expected " +
                     std::string(expected);
  }
}

std::optional<std::string> RequestFields::string(std::string_view name, StringRule rule) {
  const json::Value* v = find(name);
  if (v == nullptr) {
    if (rule.required) required_missing(violations_, name);
    return std::nullopt;
  }
  if (!v->is_string()) {
    type_error(name, "a string");
    return std::nullopt;
  }
  const std::string& s = v->as_string();
  std::size_t len = utf16_length(s);
  if (len < rule.min) {
    violations_.push_back(
        constraint_text(s, name, "have length greater than or equal to " + std::to_string(rule.min),
                        rule.sensitive));
  } else if (len > rule.max) {
    violations_.push_back(constraint_text(
        s, name, "have length less than or equal to " + std::to_string(rule.max), rule.sensitive));
  }
  return s;
}

std::optional<int64_t> RequestFields::integer(std::string_view name, int64_t min, int64_t max,
                                              bool required) {
  const json::Value* v = find(name);
  if (v == nullptr) {
    if (required) required_missing(violations_, name);
    return std::nullopt;
  }
  if (!v->is_number() || !v->is_integral()) {
    type_error(name, "an integer");
    return std::nullopt;
  }
  int64_t n = v->is_int() ? v->as_int() : static_cast<int64_t>(v->as_number());
  if (n < min) {
    violations_.push_back(constraint_text(
        std::to_string(n), name, "have value greater than or equal to " + std::to_string(min)));
  } else if (n > max) {
    violations_.push_back(constraint_text(
        std::to_string(n), name, "have value less than or equal to " + std::to_string(max)));
  }
  return n;
}

std::optional<bool> RequestFields::boolean(std::string_view name) {
  const json::Value* v = find(name);
  if (v == nullptr) return std::nullopt;
  if (!v->is_bool()) {
    type_error(name, "a boolean");
    return std::nullopt;
  }
  return v->as_bool();
}

std::optional<std::string> RequestFields::enumeration(std::string_view name,
                                                      const std::vector<std::string_view>& allowed,
                                                      std::string_view display, bool required) {
  auto s = string(name, StringRule{required});
  if (!s) return s;
  for (auto a : allowed) {
    if (*s == a) return s;
  }
  violations_.push_back(
      constraint_text(*s, name, "satisfy enum value set: " + std::string(display)));
  return std::nullopt;
}

const json::Object* RequestFields::object(std::string_view name, bool required) {
  const json::Value* v = find(name);
  if (v == nullptr) {
    if (required) required_missing(violations_, name);
    return nullptr;
  }
  if (!v->is_object()) {
    type_error(name, "an object");
    return nullptr;
  }
  return &v->as_object();
}

const json::Array* RequestFields::array(std::string_view name, bool required, std::size_t min,
                                        std::size_t max) {
  const json::Value* v = find(name);
  if (v == nullptr) {
    if (required) required_missing(violations_, name);
    return nullptr;
  }
  if (!v->is_array()) {
    type_error(name, "a list");
    return nullptr;
  }
  const json::Array& a = v->as_array();
  if (a.size() < min) {
    violations_.push_back(constraint_text(
        "[]", name, "have length greater than or equal to " + std::to_string(min), true));
  } else if (a.size() > max) {
    violations_.push_back(constraint_text(
        "", name, "have length less than or equal to " + std::to_string(max), true));
  }
  return &a;
}

SfnError RequestFields::error() const {
  if (serialization_) return sfn_error("SerializationException", *serialization_);
  std::string msg =
      std::to_string(violations_.size()) +
      (violations_.size() == 1 ? " validation error detected: " : " validation errors detected: ");
  for (std::size_t i = 0; i < violations_.size(); ++i) {
    if (i) msg += "; ";
    msg += violations_[i];
  }
  return sfn_error("ValidationException", std::move(msg));
}

}  // namespace sluice::states
