// See jsonata_template.h.
#include "engine/asl/jsonata_template.h"

#include "engine/jsonata/analysis.h"

namespace sluice::engine::asl {

using json::Array;
using json::Object;
using json::Value;

struct JsonataMember;

struct JsonataNode {
  enum class Kind : uint8_t { kLiteral, kObject, kArray, kExpression };
  Kind kind = Kind::kLiteral;
  Value literal;
  // Not pairs: a std::pair of an incomplete JsonataNode does not compile with clang (the fuzz
  // build); a vector of a declared struct does.
  std::vector<JsonataMember> members;
  std::vector<JsonataNode> items;
  std::string location;  // the field as AWS names it in errors: "Output/result", "Items[1]"
  std::string text;      // the expression, trimmed, as AWS quotes it
  std::shared_ptr<const jsonata::Expression> expression;
  std::set<std::string> variables;
};

struct JsonataMember {
  std::string key;
  JsonataNode value;
};

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// JSONata's parser messages start with their code ("S0202: Expected ..."); AWS shows the text.
std::string without_code(const std::string& message) {
  if (message.size() > 7 && message[5] == ':' && message[6] == ' ') return message.substr(7);
  return message;
}

class Compiler {
 public:
  Compiler(const std::string& state_location, unsigned access, std::vector<Diagnostic>& diags)
      : state_location_(state_location), access_(access), diags_(diags) {}

  JsonataNode node(const Value& v, const std::string& location) {
    JsonataNode n;
    n.location = location;
    if (v.is_string() && JsonataTemplate::is_expression(v.as_string())) {
      expression(v.as_string(), n);
      return n;
    }
    if (v.is_object()) {
      n.kind = JsonataNode::Kind::kObject;
      bool dynamic = false;
      for (const auto& [key, child] : v.as_object()) {
        auto sub = node(child, location + "/" + key);
        dynamic = dynamic || sub.kind != JsonataNode::Kind::kLiteral;
        n.members.push_back(JsonataMember{key, std::move(sub)});
      }
      if (dynamic) return n;
    } else if (v.is_array()) {
      n.kind = JsonataNode::Kind::kArray;
      bool dynamic = false;
      const auto& items = v.as_array();
      for (std::size_t i = 0; i < items.size(); ++i) {
        auto sub = node(items[i], location + "[" + std::to_string(i) + "]");
        dynamic = dynamic || sub.kind != JsonataNode::Kind::kLiteral;
        n.items.push_back(std::move(sub));
      }
      if (dynamic) return n;
    }
    JsonataNode lit;
    lit.location = location;
    lit.literal = v;
    return lit;
  }

 private:
  // Definition locations are JSON-pointer-like: "Output/list[2]" is "/Output/list/2".
  std::string definition_location(const std::string& location) const {
    std::string out = state_location_ + "/";
    for (char c : location) {
      if (c == '[') {
        out.push_back('/');
      } else if (c != ']') {
        out.push_back(c);
      }
    }
    return out;
  }

  void unsupported(std::string message, const std::string& location) {
    diags_.push_back(
        {"UNSUPPORTED_JSONATA_EXPRESSION", std::move(message), definition_location(location)});
  }

  void expression(const std::string& written, JsonataNode& n) {
    std::string_view inner(written);
    inner = trim(inner.substr(2, inner.size() - 4));
    n.kind = JsonataNode::Kind::kExpression;
    n.text = std::string(inner);
    auto compiled = jsonata::Expression::compile(inner);
    if (!compiled.ok()) {
      diags_.push_back({"INVALID_JSONATA_EXPRESSION", without_code(compiled.error().message),
                        definition_location(n.location)});
      return;
    }
    jsonata::ExpressionFacts facts = jsonata::analyze(*compiled);
    if (facts.reads_input_root) unsupported("Reference to '$$' is not supported.", n.location);
    if (!facts.top_level_name.empty()) {
      unsupported("Reference to '" + facts.top_level_name + "' at the top level is not supported.",
                  n.location);
    }
    if (facts.states_members.count("errorOutput") &&
        !(access_ & static_cast<unsigned>(StatesAccess::kErrorOutput))) {
      unsupported("Field '$states.errorOutput' does not exist.", n.location);
    }
    if (facts.states_members.count("result") &&
        !(access_ & static_cast<unsigned>(StatesAccess::kResult))) {
      unsupported("Field '$states.result' does not exist.", n.location);
    }
    n.variables = std::move(facts.variables);
    n.variables.erase("states");
    n.expression = std::make_shared<const jsonata::Expression>(std::move(compiled).value());
  }

  const std::string& state_location_;
  unsigned access_;
  std::vector<Diagnostic>& diags_;
};

Error query_error(const JsonataNode& node, std::string what) {
  Error e = make_error(ErrorCode::kStatesQueryEvaluationError,
                       "The JSONata expression '" + node.text + "' specified for the field '" +
                           node.location + "' " + std::move(what));
  e.location = node.location;
  return e;
}

Result<Value> evaluate_node(const JsonataNode& node, const ExpressionScope& scope,
                            const jsonata::Limits& limits) {
  switch (node.kind) {
    case JsonataNode::Kind::kLiteral:
      return node.literal;
    case JsonataNode::Kind::kObject: {
      Object out;
      out.reserve(node.members.size());
      for (const auto& [key, child] : node.members) {
        auto v = evaluate_node(child, scope, limits);
        if (!v.ok()) return v;
        out.set(key, std::move(v).value());
      }
      return Value(std::move(out));
    }
    case JsonataNode::Kind::kArray: {
      Array out;
      out.reserve(node.items.size());
      for (const auto& child : node.items) {
        auto v = evaluate_node(child, scope, limits);
        if (!v.ok()) return v;
        out.push_back(std::move(v).value());
      }
      return Value(std::move(out));
    }
    case JsonataNode::Kind::kExpression: {
      // Each expression of a template draws its own random numbers: two fields calling $random()
      // must not get the same value because they share the caller's seed.
      jsonata::Limits own = limits;
      if (own.random_seed) *own.random_seed ^= std::hash<std::string>{}(node.location);
      auto r = node.expression->evaluate(nullptr, &scope, own);
      if (!r.ok()) {
        const jsonata::JsonataError& e = r.error();
        if (e.code == "U1001") {
          return query_error(node, "threw an error during evaluation: " + e.message);
        }
        return query_error(node, "threw an error during evaluation. " + e.code + ": " + e.message);
      }
      if (!r->has_value()) return query_error(node, "returned nothing (undefined).");
      return std::move(**r);
    }
  }
  return Value();
}

void collect(const JsonataNode& node, std::set<std::string>& names) {
  names.insert(node.variables.begin(), node.variables.end());
  for (const auto& [_, child] : node.members) collect(child, names);
  for (const auto& child : node.items) collect(child, names);
}

}  // namespace

bool JsonataTemplate::is_expression(std::string_view text) {
  return text.size() >= 4 && text.substr(0, 2) == "{%" && text.substr(text.size() - 2) == "%}";
}

JsonataTemplate JsonataTemplate::compile(const Value& value, const std::string& field,
                                         const std::string& state_location, unsigned access,
                                         std::vector<Diagnostic>& diagnostics) {
  Compiler c(state_location, access, diagnostics);
  JsonataTemplate t;
  t.field_ = field;
  t.root_ = std::make_shared<const JsonataNode>(c.node(value, field));
  return t;
}

Result<Value> JsonataTemplate::evaluate(const ExpressionScope& scope,
                                        const jsonata::Limits& limits) const {
  if (!root_) return Value();
  return evaluate_node(*root_, scope, limits);
}

bool JsonataTemplate::is_dynamic() const {
  return root_ && root_->kind != JsonataNode::Kind::kLiteral;
}

const Value& JsonataTemplate::literal() const {
  static const Value kNull;
  return root_ ? root_->literal : kNull;
}

const std::string& JsonataTemplate::text() const {
  static const std::string kNone;
  return root_ ? root_->text : kNone;
}

void JsonataTemplate::collect_variables(std::set<std::string>& names) const {
  if (root_) collect(*root_, names);
}

jsonata::Limits state_expression_limits() {
  jsonata::Limits limits;
  limits.max_depth = 1000;
  limits.time_limit_ms = 1000;
  return limits;
}

}  // namespace sluice::engine::asl
