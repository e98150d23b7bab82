// See intrinsic_resolver.h.
#include "broker/templates/intrinsic_resolver.h"

#include <regex>

#include "broker/protocol/base64.h"
#include "engine/json/json_serialize.h"

namespace sluice::templates {

namespace {

Error at(const std::string& path, std::string what) {
  Error e = make_error(ErrorCode::kInvalidParameterValue, std::move(what));
  e.location = path;
  return e;
}

std::string join_path(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

std::string index_path(const std::string& path, size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

}  // namespace

std::optional<std::string> scalar_text(const json::Value& v) {
  switch (v.type()) {
    case json::Type::kString:
      return v.as_string();
    case json::Type::kInt:
    case json::Type::kDouble:
    case json::Type::kBool:
      return json::serialize(v);
    default:
      return std::nullopt;
  }
}

IntrinsicResolver::IntrinsicResolver(const Template& t, StackIdentity identity,
                                     std::map<std::string, json::Value> parameters)
    : template_(t), identity_(std::move(identity)), parameters_(std::move(parameters)) {}

void IntrinsicResolver::add_resource(const std::string& logical_id, ResourceFacts facts) {
  resources_[logical_id] = std::move(facts);
}

Result<json::Value> IntrinsicResolver::resolve(const json::Value& value) {
  bool removed = false;
  auto v = eval(value, "", removed);
  if (!v) return v;
  if (removed) return json::Value();
  return v;
}

Result<json::Value> IntrinsicResolver::eval(const json::Value& v, const std::string& path,
                                            bool& removed) {
  removed = false;
  if (v.is_array()) {
    json::Array out;
    for (size_t i = 0; i < v.as_array().size(); ++i) {
      bool gone = false;
      auto item = eval(v.as_array()[i], index_path(path, i), gone);
      if (!item) return item;
      if (!gone) out.push_back(std::move(*item));
    }
    return json::Value(std::move(out));
  }
  if (!v.is_object()) return v;
  const json::Object& o = v.as_object();
  if (o.size() == 1) {
    const auto& [key, arg] = o.member(0);
    if (key == "Ref" || key == "Condition" || key.rfind("Fn::", 0) == 0) {
      return function(key, arg, path, removed);
    }
  }
  json::Object out;
  for (const auto& [key, member] : o) {
    bool gone = false;
    auto item = eval(member, join_path(path, key), gone);
    if (!item) return item;
    if (!gone) out.set(key, std::move(*item));
  }
  return json::Value(std::move(out));
}

Result<json::Value> IntrinsicResolver::ref(const std::string& name, const std::string& path,
                                           bool& removed) {
  if (name == "AWS::NoValue") {
    removed = true;
    return json::Value();
  }
  if (name == "AWS::Region") return json::Value(identity_.region);
  if (name == "AWS::AccountId") return json::Value(identity_.account_id);
  if (name == "AWS::Partition") return json::Value(kPartition);
  if (name == "AWS::StackName") return json::Value(template_.stack_name);
  if (name == "AWS::URLSuffix") return json::Value("amazonaws.com");
  if (name == "AWS::NotificationARNs") return json::Value(json::Array{});
  if (name == "AWS::StackId") {
    return json::Value("arn:" + std::string(kPartition) + ":cloudformation:" + identity_.region +
                       ":" + identity_.account_id + ":stack/" + template_.stack_name + "/sluice");
  }
  if (auto it = parameters_.find(name); it != parameters_.end()) return it->second;
  if (auto it = resources_.find(name); it != resources_.end()) return it->second.ref;
  for (const auto& r : template_.resources) {
    if (r.logical_id == name) {
      return at(path, "Ref " + name + ": the resource is not created (its Condition " +
                          r.condition.value_or("") + " is false)");
    }
  }
  return at(path, "Ref " + name + ": no parameter or resource of that name");
}

Result<json::Value> IntrinsicResolver::get_att(const std::string& id, const std::string& attr,
                                               const std::string& path) {
  auto it = resources_.find(id);
  if (it == resources_.end()) {
    bool dummy = false;
    auto r = ref(id, path, dummy);  // the same message for a missing or left-out resource
    if (!r) return r;
    return at(path, "Fn::GetAtt " + id + "." + attr + ": " + id + " is not a resource");
  }
  auto a = it->second.attributes.find(attr);
  if (a != it->second.attributes.end()) return a->second;
  if (it->second.any_attribute) return it->second.ref;
  std::string known;
  for (const auto& [k, v] : it->second.attributes) {
    if (!known.empty()) known += ", ";
    known += k;
  }
  return at(path,
            "Fn::GetAtt " + id + "." + attr + ": no attribute " + attr + " (it has " + known + ")");
}

Result<json::Value> IntrinsicResolver::sub(const json::Value& arg, const std::string& path) {
  std::string text;
  json::Object vars;
  if (arg.is_string()) {
    text = arg.as_string();
  } else if (arg.is_array() && arg.as_array().size() == 2 && arg.as_array()[0].is_string() &&
             arg.as_array()[1].is_object()) {
    text = arg.as_array()[0].as_string();
    for (const auto& [k, v] : arg.as_array()[1].as_object()) {
      bool gone = false;
      auto resolved = eval(v, join_path(path, k), gone);
      if (!resolved) return resolved;
      vars.set(k, std::move(*resolved));
    }
  } else {
    return at(path, "Fn::Sub takes a string or [string, {variables}]");
  }
  std::string out;
  size_t pos = 0;
  while (true) {
    size_t open = text.find("${", pos);
    if (open == std::string::npos) {
      out.append(text, pos);
      break;
    }
    out.append(text, pos, open - pos);
    size_t close = text.find('}', open + 2);
    if (close == std::string::npos)
      return at(path, "Fn::Sub: '${' without '}' in \"" + text + "\"");
    std::string name = text.substr(open + 2, close - open - 2);
    pos = close + 1;
    if (!name.empty() && name[0] == '!') {  // ${!Literal} is the text ${Literal}
      out += "${" + name.substr(1) + "}";
      continue;
    }
    json::Value value;
    if (const json::Value* v = vars.find(name)) {
      value = *v;
    } else if (size_t dot = name.find('.');
               dot != std::string::npos && name.rfind("AWS::", 0) != 0) {
      auto a = get_att(name.substr(0, dot), name.substr(dot + 1), path);
      if (!a) return a;
      value = std::move(*a);
    } else {
      bool gone = false;
      auto r = ref(name, path, gone);
      if (!r) return r;
      value = std::move(*r);
    }
    auto piece = scalar_text(value);
    if (!piece) return at(path, "Fn::Sub: ${" + name + "} is not a string");
    out += *piece;
  }
  return json::Value(std::move(out));
}

Result<bool> IntrinsicResolver::boolean(const json::Value& v, const std::string& path) {
  bool gone = false;
  auto r = eval(v, path, gone);
  if (!r) return std::move(r).error();
  if (r->is_bool()) return r->as_bool();
  if (r->is_string() && (r->as_string() == "true" || r->as_string() == "false")) {
    return r->as_string() == "true";
  }
  return at(path, "a condition must be true or false");
}

Result<bool> IntrinsicResolver::condition(const std::string& name) {
  if (auto it = conditions_.find(name); it != conditions_.end()) return it->second;
  const json::Value* body = template_.conditions.find(name);
  if (!body) return at("", "Condition " + name + ": no condition of that name in Conditions");
  if (!evaluating_.insert(name).second) return at("", "Condition " + name + " refers to itself");
  auto b = boolean(*body, "Conditions." + name);
  evaluating_.erase(name);
  if (!b) return b;
  conditions_[name] = *b;
  return *b;
}

Result<json::Value> IntrinsicResolver::function(const std::string& name, const json::Value& arg,
                                                const std::string& path, bool& removed) {
  auto list = [&](size_t n) { return arg.is_array() && arg.as_array().size() == n; };
  auto resolved_arg = [&]() {
    bool gone = false;
    return eval(arg, path, gone);
  };
  if (name == "Ref") {
    if (!arg.is_string()) return at(path, "Ref takes a name");
    return ref(arg.as_string(), path, removed);
  }
  if (name == "Condition") {
    if (!arg.is_string()) return at(path, "Condition takes a condition name");
    auto c = condition(arg.as_string());
    if (!c) return at(path, c.error().message);
    return json::Value(*c);
  }
  if (name == "Fn::GetAtt") {
    json::Value a = arg;
    if (a.is_string()) {  // "Res.Attr", the long form's string variant
      size_t dot = a.as_string().find('.');
      if (dot != std::string::npos) {
        a = json::Array{json::Value(a.as_string().substr(0, dot)),
                        json::Value(a.as_string().substr(dot + 1))};
      }
    }
    if (!a.is_array() || a.as_array().size() != 2 || !a.as_array()[0].is_string()) {
      return at(path, "Fn::GetAtt takes [LogicalId, Attribute]");
    }
    bool gone = false;
    auto attr = eval(a.as_array()[1], path, gone);
    if (!attr) return attr;
    if (!attr->is_string()) return at(path, "Fn::GetAtt: the attribute name must be a string");
    return get_att(a.as_array()[0].as_string(), attr->as_string(), path);
  }
  if (name == "Fn::Sub") return sub(arg, path);
  if (name == "Fn::Join") {
    if (!list(2)) return at(path, "Fn::Join takes [delimiter, [values]]");
    auto r = resolved_arg();
    if (!r) return r;
    const json::Array& a = r->as_array();
    if (!a[0].is_string() || !a[1].is_array()) {
      return at(path, "Fn::Join takes [delimiter, [values]]");
    }
    std::string out;
    for (size_t i = 0; i < a[1].as_array().size(); ++i) {
      auto piece = scalar_text(a[1].as_array()[i]);
      if (!piece) return at(path, "Fn::Join: element " + std::to_string(i) + " is not a string");
      if (i) out += a[0].as_string();
      out += *piece;
    }
    return json::Value(std::move(out));
  }
  if (name == "Fn::Select") {
    if (!list(2)) return at(path, "Fn::Select takes [index, [values]]");
    auto r = resolved_arg();
    if (!r) return r;
    const json::Array& a = r->as_array();
    int64_t index = -1;
    if (a[0].is_int()) {
      index = a[0].as_int();
    } else if (a[0].is_string()) {
      try {
        index = std::stoll(a[0].as_string());
      } catch (...) {
      }
    }
    if (!a[1].is_array()) return at(path, "Fn::Select: the second element must be a list");
    if (index < 0 || static_cast<size_t>(index) >= a[1].as_array().size()) {
      return at(path, "Fn::Select: index " + json::serialize(a[0]) + " is out of range");
    }
    return a[1].as_array()[static_cast<size_t>(index)];
  }
  if (name == "Fn::Split") {
    if (!list(2)) return at(path, "Fn::Split takes [delimiter, string]");
    auto r = resolved_arg();
    if (!r) return r;
    const json::Array& a = r->as_array();
    if (!a[0].is_string() || a[0].as_string().empty() || !a[1].is_string()) {
      return at(path, "Fn::Split takes [delimiter, string]");
    }
    json::Array out;
    const std::string& d = a[0].as_string();
    const std::string& s = a[1].as_string();
    size_t pos = 0;
    while (true) {
      size_t next = s.find(d, pos);
      out.push_back(json::Value(s.substr(pos, next == std::string::npos ? next : next - pos)));
      if (next == std::string::npos) break;
      pos = next + d.size();
    }
    return json::Value(std::move(out));
  }
  if (name == "Fn::If") {
    if (!list(3) || !arg.as_array()[0].is_string()) {
      return at(path, "Fn::If takes [condition, value if true, value if false]");
    }
    auto c = condition(arg.as_array()[0].as_string());
    if (!c) return at(path, c.error().message);
    return eval(arg.as_array()[*c ? 1 : 2], path, removed);
  }
  if (name == "Fn::Equals") {
    if (!list(2)) return at(path, "Fn::Equals takes [value, value]");
    auto r = resolved_arg();
    if (!r) return r;
    const json::Array& a = r->as_array();
    auto x = scalar_text(a[0]), y = scalar_text(a[1]);
    return json::Value(x && y ? *x == *y : a[0] == a[1]);
  }
  if (name == "Fn::Not") {
    if (!list(1)) return at(path, "Fn::Not takes [condition]");
    auto b = boolean(arg.as_array()[0], path);
    if (!b) return std::move(b).error();
    return json::Value(!*b);
  }
  if (name == "Fn::And" || name == "Fn::Or") {
    if (!arg.is_array() || arg.as_array().size() < 2 || arg.as_array().size() > 10) {
      return at(path, name + " takes 2 to 10 conditions");
    }
    const bool is_and = name == "Fn::And";
    bool result = is_and;
    for (const auto& c : arg.as_array()) {
      auto b = boolean(c, path);
      if (!b) return std::move(b).error();
      result = is_and ? (result && *b) : (result || *b);
    }
    return json::Value(result);
  }
  if (name == "Fn::FindInMap") {
    if (!list(3)) return at(path, "Fn::FindInMap takes [map, key, key]");
    auto r = resolved_arg();
    if (!r) return r;
    const json::Array& a = r->as_array();
    auto m = scalar_text(a[0]), k1 = scalar_text(a[1]), k2 = scalar_text(a[2]);
    if (!m || !k1 || !k2) return at(path, "Fn::FindInMap takes [map, key, key]");
    const json::Value* map = template_.mappings.find(*m);
    const json::Value* first = map && map->is_object() ? map->as_object().find(*k1) : nullptr;
    const json::Value* value = first && first->is_object() ? first->as_object().find(*k2) : nullptr;
    if (!value) return at(path, "Fn::FindInMap: Mappings has no " + *m + "." + *k1 + "." + *k2);
    return *value;
  }
  if (name == "Fn::Base64") {
    auto r = resolved_arg();
    if (!r) return r;
    if (!r->is_string()) return at(path, "Fn::Base64 takes a string");
    return json::Value(protocol::base64_encode(r->as_string()));
  }
  if (name == "Fn::ToJsonString") {
    auto r = resolved_arg();
    if (!r) return r;
    return json::Value(json::serialize(*r));
  }
  if (name == "Fn::Length") {
    auto r = resolved_arg();
    if (!r) return r;
    if (!r->is_array()) return at(path, "Fn::Length takes a list");
    return json::Value(static_cast<int64_t>(r->as_array().size()));
  }
  return at(path, "unsupported intrinsic function " + name);
}

Result<std::map<std::string, json::Value>> resolve_parameters(
    const Template& t, const std::map<std::string, std::string>& given) {
  std::map<std::string, json::Value> out;
  for (const auto& [name, decl] : t.parameters) {
    std::string where = t.file + ": parameter " + name;
    if (!decl.is_object()) {
      return make_error(ErrorCode::kInvalidParameterValue, where + ": must be a mapping");
    }
    const json::Object& d = decl.as_object();
    std::optional<std::string> value;
    if (auto it = given.find(name); it != given.end()) {
      value = it->second;
    } else if (const json::Value* def = d.find("Default")) {
      if (def->is_array()) {  // a list parameter's default written as a list
        std::string joined;
        for (const auto& x : def->as_array()) {
          if (!joined.empty()) joined += ',';
          joined += scalar_text(x).value_or("");
        }
        value = joined;
      } else {
        value = scalar_text(*def);
      }
    }
    if (!value) {
      return make_error(
          ErrorCode::kInvalidParameterValue,
          where + ": no value (it has no Default; give --template-parameter " + name + "=VALUE)");
    }
    if (const json::Value* allowed = d.find("AllowedValues"); allowed && allowed->is_array()) {
      bool ok = false;
      for (const auto& a : allowed->as_array()) ok = ok || scalar_text(a) == value;
      if (!ok) {
        return make_error(ErrorCode::kInvalidParameterValue,
                          where + ": '" + *value + "' is not one of its AllowedValues");
      }
    }
    if (const json::Value* pattern = d.find("AllowedPattern"); pattern && pattern->is_string()) {
      bool ok = false;
      try {
        ok = std::regex_match(*value, std::regex(pattern->as_string()));
      } catch (const std::regex_error&) {
        return make_error(ErrorCode::kInvalidParameterValue, where + ": bad AllowedPattern");
      }
      if (!ok) {
        return make_error(ErrorCode::kInvalidParameterValue,
                          where + ": '" + *value + "' does not match its AllowedPattern");
      }
    }
    const json::Value* type = d.find("Type");
    std::string type_name = type && type->is_string() ? type->as_string() : "String";
    if (type_name == "CommaDelimitedList" || type_name.rfind("List<", 0) == 0) {
      json::Array items;
      size_t pos = 0;
      while (true) {
        size_t comma = value->find(',', pos);
        items.push_back(
            json::Value(value->substr(pos, comma == std::string::npos ? comma : comma - pos)));
        if (comma == std::string::npos) break;
        pos = comma + 1;
      }
      out[name] = json::Value(std::move(items));
    } else {
      out[name] = json::Value(*value);
    }
  }
  return out;
}

}  // namespace sluice::templates
