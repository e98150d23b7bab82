// Property helpers and the table of served resource types (resource_creator.h).
#include <cctype>

#include "broker/templates/resource_creator.h"

namespace sluice::templates {

Error property_error(const std::string& property, std::string what) {
  Error e = make_error(ErrorCode::kInvalidParameterValue, std::move(what));
  e.location = property;
  return e;
}

Status only_known(const json::Object& props, const std::set<std::string>& known) {
  for (const auto& [k, v] : props) {
    if (!known.count(k)) return property_error(k, "not a property of this resource type");
  }
  return {};
}

Result<std::optional<std::string>> string_property(const json::Object& props,
                                                   const std::string& name) {
  const json::Value* v = props.find(name);
  if (!v || v->is_null()) return std::optional<std::string>();
  auto text = scalar_text(*v);
  if (!text) return property_error(name, "must be a string");
  return std::optional<std::string>(std::move(*text));
}

Result<std::vector<std::pair<std::string, std::string>>> tags_property(const json::Object& props,
                                                                       const std::string& name) {
  std::vector<std::pair<std::string, std::string>> out;
  const json::Value* v = props.find(name);
  if (!v || v->is_null()) return out;
  if (v->is_object()) {
    for (const auto& [k, val] : v->as_object()) {
      auto text = scalar_text(val);
      if (!text) return property_error(name + "." + k, "a tag value must be a string");
      out.emplace_back(k, *text);
    }
    return out;
  }
  if (!v->is_array()) return property_error(name, "must be a list of {Key, Value}");
  for (size_t i = 0; i < v->as_array().size(); ++i) {
    const json::Value& t = v->as_array()[i];
    const json::Value* key = t.is_object() ? t.as_object().find("Key") : nullptr;
    const json::Value* value = t.is_object() ? t.as_object().find("Value") : nullptr;
    auto k = key ? scalar_text(*key) : std::nullopt;
    auto val = value ? scalar_text(*value) : std::nullopt;
    if (!k || !val) {
      return property_error(name + "[" + std::to_string(i) + "]", "a tag is {Key, Value}");
    }
    out.emplace_back(*k, *val);
  }
  return out;
}

const Creator* creator_for(const std::string& type) {
  static const std::map<std::string, Creator> kCreators = {
      {"AWS::SQS::Queue", &create_queue},
      {"AWS::SQS::QueuePolicy", &create_queue_policy},
      {"AWS::StepFunctions::StateMachine", &create_state_machine},
      {"AWS::Serverless::StateMachine", &create_state_machine},
      {"AWS::StepFunctions::Activity", &create_activity},
      {"AWS::Pipes::Pipe", &create_pipe},
      {"AWS::Lambda::Function", &declare_function},
      {"AWS::Serverless::Function", &declare_function},
  };
  auto it = kCreators.find(type);
  return it == kCreators.end() ? nullptr : &it->second;
}

ResourceFacts stand_in_facts(const TemplateServices& s, const TemplateResource& r) {
  // "AWS::DynamoDB::Table" -> "dynamodb"
  std::string service;
  size_t first = r.type.find("::");
  size_t second = first == std::string::npos ? first : r.type.find("::", first + 2);
  if (second != std::string::npos) service = r.type.substr(first + 2, second - first - 2);
  for (char& c : service) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  ResourceFacts f;
  f.ref = json::Value(r.logical_id);
  f.attributes["Arn"] =
      json::Value("arn:" + std::string(kPartition) + ":" + service + ":" + s.identity.region + ":" +
                  s.identity.account_id + ":" + r.logical_id);
  f.any_attribute = true;
  return f;
}

}  // namespace sluice::templates
