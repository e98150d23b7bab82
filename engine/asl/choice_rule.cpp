// See choice_rule.h.
#include "engine/asl/choice_rule.h"

#include <string_view>

namespace sluice::engine::asl {

using json::Value;

namespace {

enum class Family : uint8_t { kLogic, kString, kNumeric, kBoolean, kTimestamp, kTypeTest };
enum class Cmp : uint8_t { kEq, kLt, kGt, kLe, kGe, kMatch, kNone };

struct OperatorInfo {
  std::string_view name;
  ChoiceOperator op;
  Family family;
  Cmp cmp;
  bool has_path_form;
};

constexpr OperatorInfo kOperators[] = {
    {"And", ChoiceOperator::kAnd, Family::kLogic, Cmp::kNone, false},
    {"Or", ChoiceOperator::kOr, Family::kLogic, Cmp::kNone, false},
    {"Not", ChoiceOperator::kNot, Family::kLogic, Cmp::kNone, false},
    {"StringEquals", ChoiceOperator::kStringEquals, Family::kString, Cmp::kEq, true},
    {"StringLessThan", ChoiceOperator::kStringLessThan, Family::kString, Cmp::kLt, true},
    {"StringGreaterThan", ChoiceOperator::kStringGreaterThan, Family::kString, Cmp::kGt, true},
    {"StringLessThanEquals", ChoiceOperator::kStringLessThanEquals, Family::kString, Cmp::kLe,
     true},
    {"StringGreaterThanEquals", ChoiceOperator::kStringGreaterThanEquals, Family::kString, Cmp::kGe,
     true},
    {"StringMatches", ChoiceOperator::kStringMatches, Family::kString, Cmp::kMatch, false},
    {"NumericEquals", ChoiceOperator::kNumericEquals, Family::kNumeric, Cmp::kEq, true},
    {"NumericLessThan", ChoiceOperator::kNumericLessThan, Family::kNumeric, Cmp::kLt, true},
    {"NumericGreaterThan", ChoiceOperator::kNumericGreaterThan, Family::kNumeric, Cmp::kGt, true},
    {"NumericLessThanEquals", ChoiceOperator::kNumericLessThanEquals, Family::kNumeric, Cmp::kLe,
     true},
    {"NumericGreaterThanEquals", ChoiceOperator::kNumericGreaterThanEquals, Family::kNumeric,
     Cmp::kGe, true},
    {"BooleanEquals", ChoiceOperator::kBooleanEquals, Family::kBoolean, Cmp::kEq, true},
    {"TimestampEquals", ChoiceOperator::kTimestampEquals, Family::kTimestamp, Cmp::kEq, true},
    {"TimestampLessThan", ChoiceOperator::kTimestampLessThan, Family::kTimestamp, Cmp::kLt, true},
    {"TimestampGreaterThan", ChoiceOperator::kTimestampGreaterThan, Family::kTimestamp, Cmp::kGt,
     true},
    {"TimestampLessThanEquals", ChoiceOperator::kTimestampLessThanEquals, Family::kTimestamp,
     Cmp::kLe, true},
    {"TimestampGreaterThanEquals", ChoiceOperator::kTimestampGreaterThanEquals, Family::kTimestamp,
     Cmp::kGe, true},
    {"IsNull", ChoiceOperator::kIsNull, Family::kTypeTest, Cmp::kNone, false},
    {"IsPresent", ChoiceOperator::kIsPresent, Family::kTypeTest, Cmp::kNone, false},
    {"IsNumeric", ChoiceOperator::kIsNumeric, Family::kTypeTest, Cmp::kNone, false},
    {"IsString", ChoiceOperator::kIsString, Family::kTypeTest, Cmp::kNone, false},
    {"IsBoolean", ChoiceOperator::kIsBoolean, Family::kTypeTest, Cmp::kNone, false},
    {"IsTimestamp", ChoiceOperator::kIsTimestamp, Family::kTypeTest, Cmp::kNone, false},
};

const OperatorInfo& info(ChoiceOperator op) {
  return kOperators[static_cast<std::size_t>(op)];
}

// Finds the operator named by key ("StringEquals" or "StringEqualsPath").
const OperatorInfo* find_operator(std::string_view key, bool& is_path) {
  for (const auto& o : kOperators) {
    if (key == o.name) {
      is_path = false;
      return &o;
    }
    if (o.has_path_form && key.size() == o.name.size() + 4 &&
        key.substr(0, o.name.size()) == o.name && key.substr(o.name.size()) == "Path") {
      is_path = true;
      return &o;
    }
  }
  return nullptr;
}

void schema_error(std::vector<Diagnostic>& d, std::string message, std::string location) {
  d.push_back(Diagnostic{"SCHEMA_VALIDATION_FAILED", std::move(message), std::move(location)});
}

Error invalid_path(const JsonPath& p) {
  return make_error(ErrorCode::kStatesRuntime,
                    "Invalid path '" + p.text() +
                        "': The choice state's condition path references an invalid value.");
}

template <class T>
int three_way(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

bool apply_cmp(Cmp cmp, int c) {
  switch (cmp) {
    case Cmp::kEq:
      return c == 0;
    case Cmp::kLt:
      return c < 0;
    case Cmp::kGt:
      return c > 0;
    case Cmp::kLe:
      return c <= 0;
    case Cmp::kGe:
      return c >= 0;
    default:
      return false;
  }
}

}  // namespace

void ChoiceRule::collect_variables(std::set<std::string>& names) const {
  if (variable_.is_variable()) names.insert(variable_.variable());
  if (operand_is_path_ && operand_path_.is_variable()) names.insert(operand_path_.variable());
  for (const auto& c : children_) c.collect_variables(names);
}

bool ChoiceRule::is_operator(std::string_view key) {
  bool is_path = false;
  return find_operator(key, is_path) != nullptr;
}

std::optional<ChoiceRule> ChoiceRule::compile(const Value& rule, bool top_level,
                                              const std::string& location,
                                              std::vector<Diagnostic>& diags) {
  if (!rule.is_object()) {
    schema_error(diags, "The value for a choice rule must be an OBJECT", location);
    return std::nullopt;
  }
  const std::size_t errors_before = diags.size();
  ChoiceRule out;
  const OperatorInfo* op = nullptr;
  const Value* operand = nullptr;
  std::string operand_key;
  const Value* variable = nullptr;
  bool has_next = false;
  for (const auto& [key, value] : rule.as_object()) {
    if (key == "Variable") {
      variable = &value;
    } else if (key == "Next") {
      has_next = true;
      if (!top_level) {
        schema_error(diags, "The field \"Next\" is not supported in a nested choice rule",
                     location + "/Next");
      } else if (!value.is_string()) {
        schema_error(diags, "The value for the field 'Next' must be a STRING", location + "/Next");
      } else {
        out.next_ = value.as_string();
      }
    } else if (top_level && (key == "Assign" || key == "Output" || key == "Condition")) {
      // the state's compiler reads these (Assign) or reports them (JSONata's)
    } else if (key == "Comment") {
      if (!value.is_string())
        schema_error(diags, "The value for the field 'Comment' must be a STRING",
                     location + "/Comment");
    } else {
      bool is_path = false;
      const OperatorInfo* found = find_operator(key, is_path);
      if (found == nullptr) {
        schema_error(diags, "The field \"" + key + "\" is not supported by Step Functions",
                     location);
        continue;
      }
      if (op != nullptr) {
        schema_error(diags, "A choice rule must have exactly one comparison operator", location);
        continue;
      }
      op = found;
      out.operand_is_path_ = is_path;
      operand = &value;
      operand_key = key;
    }
  }
  if (top_level && !has_next) schema_error(diags, "These fields are required: [Next]", location);
  if (op == nullptr) {
    schema_error(diags, "A choice rule must have exactly one comparison operator", location);
    return std::nullopt;
  }
  out.op_ = op->op;
  const std::string op_location = location + "/" + operand_key;

  if (op->family == Family::kLogic) {
    if (variable != nullptr)
      schema_error(diags, "The field \"Variable\" is not supported with " + operand_key,
                   location + "/Variable");
    if (op->op == ChoiceOperator::kNot) {
      auto child = compile(*operand, false, op_location, diags);
      if (child) out.children_.push_back(std::move(*child));
    } else if (!operand->is_array() || operand->as_array().empty()) {
      schema_error(diags, "The value for the field '" + operand_key + "' must be a non-empty ARRAY",
                   op_location);
    } else {
      const auto& items = operand->as_array();
      for (std::size_t i = 0; i < items.size(); ++i) {
        auto child = compile(items[i], false, op_location + "/" + std::to_string(i), diags);
        if (child) out.children_.push_back(std::move(*child));
      }
    }
    if (diags.size() != errors_before) return std::nullopt;
    return out;
  }

  if (variable == nullptr) {
    schema_error(diags, "These fields are required: [Variable]", location);
  } else {
    auto path = variable->is_string()
                    ? JsonPath::parse(variable->as_string())
                    : Result<JsonPath>(make_error(ErrorCode::kInvalidDefinition, "not a string"));
    if (!path.ok()) {
      schema_error(diags, "The value for the field 'Variable' must be a valid JSONPath",
                   location + "/Variable");
    } else {
      out.variable_ = std::move(path).value();
    }
  }

  if (out.operand_is_path_) {
    auto path = operand->is_string()
                    ? JsonPath::parse(operand->as_string())
                    : Result<JsonPath>(make_error(ErrorCode::kInvalidDefinition, "not a string"));
    if (!path.ok()) {
      schema_error(diags, "The value for the field '" + operand_key + "' must be a valid JSONPath",
                   op_location);
    } else {
      out.operand_path_ = std::move(path).value();
    }
  } else {
    switch (op->family) {
      case Family::kString:
        if (!operand->is_string()) {
          schema_error(diags, "The value for the field '" + operand_key + "' must be a STRING",
                       op_location);
        } else if (op->cmp == Cmp::kMatch) {
          const std::string& p = operand->as_string();
          for (std::size_t i = 0; i < p.size(); ++i) {
            if (p[i] == '\\' && i + 1 < p.size() && (p[i + 1] == '*' || p[i + 1] == '\\')) {
              out.pattern_.push_back(GlobToken{false, p[++i]});
            } else if (p[i] == '*') {
              out.pattern_.push_back(GlobToken{true, 0});
            } else {
              out.pattern_.push_back(GlobToken{false, p[i]});
            }
          }
        }
        break;
      case Family::kNumeric:
        if (!operand->is_number())
          schema_error(diags, "The value for the field '" + operand_key + "' must be a NUMBER",
                       op_location);
        break;
      case Family::kBoolean:
      case Family::kTypeTest:
        if (!operand->is_bool())
          schema_error(diags, "The value for the field '" + operand_key + "' must be a BOOLEAN",
                       op_location);
        break;
      case Family::kTimestamp:
        if (!operand->is_string() ||
            !(out.timestamp_operand_ = parse_timestamp(operand->as_string())))
          schema_error(diags,
                       "The value for the field '" + operand_key + "' must be a valid timestamp",
                       op_location);
        break;
      case Family::kLogic:
        break;
    }
    out.operand_ = *operand;
  }
  if (diags.size() != errors_before) return std::nullopt;
  return out;
}

bool ChoiceRule::glob_match(std::string_view s) const {
  // Iterative wildcard match with single-star backtracking: linear-ish, no recursion.
  std::size_t si = 0, pi = 0, star_p = std::string_view::npos, star_s = 0;
  const std::size_t pn = pattern_.size();
  while (si < s.size()) {
    if (pi < pn && !pattern_[pi].star && pattern_[pi].ch == s[si]) {
      ++si;
      ++pi;
    } else if (pi < pn && pattern_[pi].star) {
      star_p = pi++;
      star_s = si;
    } else if (star_p != std::string_view::npos) {
      pi = star_p + 1;
      si = ++star_s;
    } else {
      return false;
    }
  }
  while (pi < pn && pattern_[pi].star) ++pi;
  return pi == pn;
}

Result<bool> ChoiceRule::compare(const Value& v, const Value& operand) const {
  const OperatorInfo& oi = info(op_);
  switch (oi.family) {
    case Family::kString:
      if (!v.is_string()) return false;
      if (oi.cmp == Cmp::kMatch) return glob_match(v.as_string());
      if (!operand.is_string()) return false;
      return apply_cmp(oi.cmp, v.as_string().compare(operand.as_string()));
    case Family::kNumeric: {
      if (!v.is_number() || !operand.is_number()) return false;
      int c = v.is_int() && operand.is_int() ? three_way(v.as_int(), operand.as_int())
                                             : three_way(v.as_number(), operand.as_number());
      return apply_cmp(oi.cmp, c);
    }
    case Family::kBoolean:
      return v.is_bool() && operand.is_bool() && v.as_bool() == operand.as_bool();
    case Family::kTimestamp: {
      if (!v.is_string()) return false;
      auto a = parse_timestamp(v.as_string());
      if (!a) return false;
      std::optional<Timestamp> b = timestamp_operand_;
      if (operand_is_path_)
        b = operand.is_string() ? parse_timestamp(operand.as_string()) : std::nullopt;
      if (!b) return false;
      return apply_cmp(oi.cmp, three_way(*a, *b));
    }
    default:
      return false;
  }
}

Result<bool> ChoiceRule::evaluate(const Value& input, const EvalScope& scope) const {
  switch (op_) {
    case ChoiceOperator::kAnd:
      for (const auto& c : children_) {
        auto r = c.evaluate(input, scope);
        if (!r.ok() || !*r) return r;
      }
      return true;
    case ChoiceOperator::kOr:
      for (const auto& c : children_) {
        auto r = c.evaluate(input, scope);
        if (!r.ok() || *r) return r;
      }
      return false;
    case ChoiceOperator::kNot: {
      auto r = children_.front().evaluate(input, scope);
      if (!r.ok()) return r;
      return !*r;
    }
    default:
      break;
  }

  const Value* root = variable_.root_of(input, scope);
  std::optional<Value> owned;
  const Value* v = nullptr;
  if (root == nullptr) {
    // an unknown variable: nothing is present
  } else if (variable_.is_definite()) {
    v = variable_.find(*root);
  } else {
    owned = variable_.select(*root);
    v = &*owned;
  }
  if (op_ == ChoiceOperator::kIsPresent) {
    bool present = v != nullptr && (variable_.is_definite() || !v->as_array().empty());
    return present == operand_.as_bool();
  }
  if (v == nullptr) return invalid_path(variable_);

  bool test = false;
  switch (op_) {
    case ChoiceOperator::kIsNull:
      test = v->is_null();
      break;
    case ChoiceOperator::kIsNumeric:
      test = v->is_number();
      break;
    case ChoiceOperator::kIsString:
      test = v->is_string();
      break;
    case ChoiceOperator::kIsBoolean:
      test = v->is_bool();
      break;
    case ChoiceOperator::kIsTimestamp:
      test = v->is_string() && parse_timestamp(v->as_string()).has_value();
      break;
    default: {
      if (!operand_is_path_) return compare(*v, operand_);
      auto other = operand_path_.select(input, scope);
      if (!other) return invalid_path(operand_path_);
      return compare(*v, *other);
    }
  }
  return test == operand_.as_bool();
}

}  // namespace sluice::engine::asl
