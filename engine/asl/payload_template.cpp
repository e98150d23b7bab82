// See payload_template.h.
#include "engine/asl/payload_template.h"

#include <vector>

#include "engine/asl/intrinsics.h"
#include "engine/asl/json_path.h"
#include "engine/json/json_serialize.h"

namespace sluice::engine::asl {

using json::Array;
using json::Object;
using json::Value;

struct TemplateMember;

struct TemplateNode {
  enum class Kind : uint8_t { kLiteral, kObject, kArray, kPath, kCall };
  Kind kind = Kind::kLiteral;
  Value literal;
  // Output key (".$" removed) and value. Not pairs: a std::pair of an incomplete TemplateNode
  // does not compile with clang (the fuzz build).
  std::vector<TemplateMember> members;
  std::vector<TemplateNode> items;
  std::string field;  // the ".$" key as written, for error messages
  JsonPath path;
  std::shared_ptr<const Intrinsic> call;
};

struct TemplateMember {
  std::string key;
  TemplateNode value;
};

namespace {

bool ends_with_dollar(std::string_view key) {
  return key.size() >= 2 && key.substr(key.size() - 2) == ".$";
}

Result<TemplateNode> compile_node(const Value& v) {
  TemplateNode node;
  if (v.is_object()) {
    node.kind = TemplateNode::Kind::kObject;
    bool dynamic = false;
    for (const auto& [key, child] : v.as_object()) {
      if (ends_with_dollar(key)) {
        TemplateNode leaf;
        leaf.field = key;
        auto invalid = [&key = key] {
          return make_error(ErrorCode::kInvalidDefinition,
                            "The value for the field '" + key +
                                "' must be a valid JSONPath or a valid intrinsic function call");
        };
        if (!child.is_string()) return invalid();
        const std::string& text = child.as_string();
        if (Intrinsic::is_call(text)) {
          auto call = Intrinsic::parse(text);
          if (!call.ok()) {
            return make_error(
                ErrorCode::kInvalidDefinition,
                "The value for the field '" + key +
                    "' must be a valid JSONPath or a valid intrinsic function call: " +
                    call.error().message);
          }
          leaf.kind = TemplateNode::Kind::kCall;
          leaf.call = std::make_shared<const Intrinsic>(std::move(call).value());
        } else {
          auto path = JsonPath::parse(text);
          if (!path.ok()) return invalid();
          leaf.kind = TemplateNode::Kind::kPath;
          leaf.path = std::move(path).value();
        }
        node.members.push_back(TemplateMember{key.substr(0, key.size() - 2), std::move(leaf)});
        dynamic = true;
      } else {
        auto sub = compile_node(child);
        if (!sub.ok()) return sub;
        dynamic = dynamic || sub->kind != TemplateNode::Kind::kLiteral;
        node.members.push_back(TemplateMember{key, std::move(sub).value()});
      }
    }
    if (!dynamic) {
      node = TemplateNode();
      node.literal = v;
    }
    return node;
  }
  if (v.is_array()) {
    node.kind = TemplateNode::Kind::kArray;
    bool dynamic = false;
    for (const auto& item : v.as_array()) {
      auto sub = compile_node(item);
      if (!sub.ok()) return sub;
      dynamic = dynamic || sub->kind != TemplateNode::Kind::kLiteral;
      node.items.push_back(std::move(sub).value());
    }
    if (!dynamic) {
      node = TemplateNode();
      node.literal = v;
    }
    return node;
  }
  node.literal = v;
  return node;
}

Result<Value> evaluate_node(const TemplateNode& node, const Value& input, const EvalScope& scope) {
  switch (node.kind) {
    case TemplateNode::Kind::kLiteral:
      return node.literal;
    case TemplateNode::Kind::kObject: {
      Object out;
      out.reserve(node.members.size());
      for (const auto& [key, child] : node.members) {
        auto v = evaluate_node(child, input, scope);
        if (!v.ok()) return v;
        out.set(key, std::move(v).value());
      }
      return Value(std::move(out));
    }
    case TemplateNode::Kind::kArray: {
      Array out;
      out.reserve(node.items.size());
      for (const auto& child : node.items) {
        auto v = evaluate_node(child, input, scope);
        if (!v.ok()) return v;
        out.push_back(std::move(v).value());
      }
      return Value(std::move(out));
    }
    case TemplateNode::Kind::kPath: {
      auto v = node.path.select(input, scope);
      if (!v) {
        const Value* root = node.path.root_of(input, scope);
        std::string where =
            root == nullptr
                ? "could not be found: there is no variable '" + node.path.variable() + "'"
            : node.path.is_variable()
                ? "could not be found in the variable '" + node.path.variable() + "' '" +
                      json::serialize(*root) + "'"
                : "could not be found in the input '" + json::serialize(*root) + "'";
        return make_error(ErrorCode::kStatesRuntime, "The JSONPath '" + node.path.text() +
                                                         "' specified for the field '" +
                                                         node.field + "' " + where);
      }
      return std::move(*v);
    }
    case TemplateNode::Kind::kCall:
      return node.call->evaluate(input, scope);
  }
  return Value();
}

}  // namespace

Result<PayloadTemplate> PayloadTemplate::compile(const json::Value& tmpl) {
  if (!tmpl.is_object()) {
    return make_error(ErrorCode::kInvalidDefinition, "A payload template must be a JSON object");
  }
  auto node = compile_node(tmpl);
  if (!node.ok()) return std::move(node).error();
  PayloadTemplate t;
  t.root_ = std::make_shared<const TemplateNode>(std::move(node).value());
  return t;
}

Result<json::Value> PayloadTemplate::evaluate(const json::Value& input,
                                              const EvalScope& scope) const {
  if (!root_) return Value(Object{});
  return evaluate_node(*root_, input, scope);
}

namespace {

void collect_node(const TemplateNode& node, std::set<std::string>& names) {
  if (node.kind == TemplateNode::Kind::kPath && node.path.is_variable())
    names.insert(node.path.variable());
  if (node.kind == TemplateNode::Kind::kCall) node.call->collect_variables(names);
  for (const auto& [_, child] : node.members) collect_node(child, names);
  for (const auto& child : node.items) collect_node(child, names);
}

}  // namespace

void PayloadTemplate::collect_variables(std::set<std::string>& names) const {
  if (root_) collect_node(*root_, names);
}

bool PayloadTemplate::is_dynamic() const {
  return root_ && root_->kind != TemplateNode::Kind::kLiteral;
}

}  // namespace sluice::engine::asl
