// See assignment.h.
#include "engine/asl/assignment.h"

namespace sluice::engine::asl {

using json::Object;
using json::Value;

namespace {

bool ascii_letter(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Characters counted as in JavaScript: one per code point.
std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace

std::optional<std::string> invalid_variable_name(std::string_view name) {
  if (name.empty()) return std::string("a variable name must not be empty");
  if (code_points(name) > kMaxVariableNameLength)
    return std::string("a variable name must be at most 80 characters long");
  if (name == "states") return std::string("the variable name 'states' is reserved");
  // Unicode identifiers: a letter (or '_', or any non-ASCII character: the letters of other
  // scripts) first, then letters, digits and '_'. Punctuation such as '.' or '[' would make the
  // name a path into a variable, which Assign cannot write.
  for (std::size_t i = 0; i < name.size(); ++i) {
    auto c = static_cast<unsigned char>(name[i]);
    bool ok = ascii_letter(c) || c == '_' || c >= 0x80 || (i > 0 && c >= '0' && c <= '9');
    if (!ok) {
      std::string why = "the character '";
      why.push_back(name[i]);
      why.append("' cannot appear in a variable name");
      return why;
    }
  }
  return std::nullopt;
}

namespace {

bool check_names(const Value& assign, bool strip_suffix, const std::string& location,
                 std::vector<Diagnostic>& diagnostics) {
  if (!assign.is_object()) {
    diagnostics.push_back({"SCHEMA_VALIDATION_FAILED",
                           "The value for the field 'Assign' must be an OBJECT", location});
    return false;
  }
  bool ok = true;
  for (const auto& [key, _] : assign.as_object()) {
    std::string_view name = key;
    if (strip_suffix && name.size() >= 2 && name.substr(name.size() - 2) == ".$")
      name.remove_suffix(2);
    if (auto why = invalid_variable_name(name)) {
      diagnostics.push_back(
          {"SCHEMA_VALIDATION_FAILED",
           "The field '" + key + "' in 'Assign' is not a valid variable name: " + *why,
           location + "/" + key});
      ok = false;
    }
  }
  return ok;
}

}  // namespace

std::optional<Assignment> Assignment::compile_jsonpath(const Value& assign,
                                                       const std::string& location,
                                                       std::vector<Diagnostic>& diagnostics) {
  if (!check_names(assign, true, location, diagnostics)) return std::nullopt;
  auto t = PayloadTemplate::compile(assign);
  if (!t.ok()) {
    diagnostics.push_back({"SCHEMA_VALIDATION_FAILED", t.error().message, location});
    return std::nullopt;
  }
  Assignment a;
  a.empty_ = assign.as_object().empty();
  a.paths_ = std::move(t).value();
  return a;
}

std::optional<Assignment> Assignment::compile_jsonata(const Value& assign, const std::string& field,
                                                      const std::string& state_location,
                                                      unsigned access,
                                                      std::vector<Diagnostic>& diagnostics) {
  if (!check_names(assign, false, state_location + "/" + field, diagnostics)) return std::nullopt;
  std::size_t before = diagnostics.size();
  auto t = JsonataTemplate::compile(assign, field, state_location, access, diagnostics);
  if (diagnostics.size() != before) return std::nullopt;
  Assignment a;
  a.empty_ = assign.as_object().empty();
  a.expressions_ = std::move(t);
  return a;
}

Result<Object> Assignment::evaluate(const Value& value, const EvalScope& scope) const {
  if (!paths_) return Object{};
  auto v = paths_->evaluate(value, scope);
  if (!v.ok()) return std::move(v).error();
  return std::move(v->as_object());
}

Result<Object> Assignment::evaluate(const ExpressionScope& scope,
                                    const jsonata::Limits& limits) const {
  if (!expressions_) return Object{};
  auto v = expressions_->evaluate(scope, limits);
  if (!v.ok()) return std::move(v).error();
  return std::move(v->as_object());
}

void Assignment::collect_references(std::set<std::string>& names) const {
  if (paths_) paths_->collect_variables(names);
  if (expressions_) expressions_->collect_variables(names);
}

}  // namespace sluice::engine::asl
