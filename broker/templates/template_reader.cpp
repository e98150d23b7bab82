// See template_reader.h.
#include "broker/templates/template_reader.h"

#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>

#include "engine/json/json_parse.h"

namespace sluice::templates {

namespace {

// Thrown inside the conversion only; read_template_text turns it into an Error.
struct ReadFailure {
  std::string message;
  YAML::Mark mark;
};

// "!Name" -> the long form's key, or empty when the tag is not one of CloudFormation's.
std::string long_form(std::string_view tag) {
  static constexpr std::string_view kFunctions[] = {
      "Sub", "Join",      "Select", "Split",  "If",          "Equals", "Not",          "And",
      "Or",  "FindInMap", "Base64", "GetAZs", "ImportValue", "Cidr",   "ToJsonString", "Length"};
  if (tag == "!Ref") return "Ref";
  if (tag == "!Condition") return "Condition";
  if (tag == "!GetAtt") return "Fn::GetAtt";
  for (std::string_view f : kFunctions) {
    if (tag.substr(1) == f) return "Fn::" + std::string(f);
  }
  return {};
}

// A plain scalar under YAML 1.2's core schema.
json::Value plain_scalar(const std::string& s) {
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  static const std::regex kInt("[-+]?[0-9]+");
  static const std::regex kFloat(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");
  if (std::regex_match(s, kInt)) {
    int64_t v = 0;
    const char* begin = s.data() + (s[0] == '+' ? 1 : 0);
    auto [ptr, ec] = std::from_chars(begin, s.data() + s.size(), v);
    if (ec == std::errc() && ptr == s.data() + s.size()) return v;
    return s;  // beyond 64 bits: keep the text
  }
  if (std::regex_match(s, kFloat)) {
    try {
      return std::stod(s);
    } catch (...) {
      return s;
    }
  }
  return s;
}

json::Value convert(const YAML::Node& node);

json::Value convert_untagged(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return nullptr;
    case YAML::NodeType::Scalar:
      // "?" is a plain scalar; "!" a quoted one (always a string); "tag:yaml.org,2002:str" !!str.
      if (node.Tag() == "?") return plain_scalar(node.Scalar());
      return node.Scalar();
    case YAML::NodeType::Sequence: {
      json::Array a;
      a.reserve(node.size());
      for (const auto& item : node) a.push_back(convert(item));
      return a;
    }
    case YAML::NodeType::Map: {
      json::Object o;
      for (const auto& kv : node) {
        if (!kv.first.IsScalar())
          throw ReadFailure{"a mapping key must be a scalar", kv.first.Mark()};
        o.set(kv.first.Scalar(), convert(kv.second));
      }
      return o;
    }
  }
  return nullptr;
}

json::Value convert(const YAML::Node& node) {
  const std::string& tag = node.Tag();
  if (tag.empty() || tag == "?" || tag == "!" || tag.rfind("tag:yaml.org,2002:", 0) == 0) {
    return convert_untagged(node);
  }
  std::string key = long_form(tag);
  if (key.empty()) throw ReadFailure{"unknown tag " + tag, node.Mark()};
  json::Value value;
  if (node.IsScalar()) {
    value = json::Value(node.Scalar());  // a tagged scalar is the function's text argument
  } else {
    value = convert_untagged(node);
  }
  if (key == "Fn::GetAtt" && value.is_string()) {
    const std::string& s = value.as_string();
    size_t dot = s.find('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == s.size()) {
      throw ReadFailure{"!GetAtt needs LogicalId.Attribute, got '" + s + "'", node.Mark()};
    }
    value = json::Array{json::Value(s.substr(0, dot)), json::Value(s.substr(dot + 1))};
  }
  json::Object o;
  o.set(std::move(key), std::move(value));
  return o;
}

std::string where(const std::string& file, const YAML::Mark& mark) {
  if (mark.is_null()) return file;
  return file + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

}  // namespace

Result<json::Value> read_template_text(std::string_view text, const std::string& file) {
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && text[first] == '{') {
    auto parsed = json::parse(text);
    if (!parsed) {
      return make_error(ErrorCode::kInvalidParameterValue,
                        file + ": not valid JSON: " + parsed.error().message);
    }
    return parsed;
  }
  try {
    YAML::Node root = YAML::Load(std::string(text));
    return convert(root);
  } catch (const ReadFailure& f) {
    return make_error(ErrorCode::kInvalidParameterValue, where(file, f.mark) + ": " + f.message);
  } catch (const YAML::Exception& e) {
    return make_error(ErrorCode::kInvalidParameterValue,
                      where(file, e.mark) + ": not valid YAML: " + e.msg);
  }
}

Result<json::Value> read_template_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return make_error(ErrorCode::kInvalidParameterValue,
                      path + ": cannot read: " + std::strerror(errno));
  }
  std::stringstream text;
  text << in.rdbuf();
  return read_template_text(text.str(), path);
}

}  // namespace sluice::templates
