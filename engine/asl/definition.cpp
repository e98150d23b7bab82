// See definition.h. One pass over the definition's JSON compiles and validates together: each
// state's fields are checked against the fields its type allows, typed, and compiled; names are
// resolved to indexes per machine (a branch cannot jump out of its branch); then reachability and
// the existence of a terminal state are checked per machine, and state names across the whole
// definition.
#include "engine/asl/definition.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "engine/json/json_parse.h"

namespace sluice::engine::asl {

using json::Object;
using json::Type;
using json::Value;

std::string_view state_type_name(StateType t) {
  static constexpr std::string_view kNames[] = {"Pass",    "Task", "Choice",   "Wait",
                                                "Succeed", "Fail", "Parallel", "Map"};
  return kNames[static_cast<std::size_t>(t)];
}

Result<Value> PathOrCall::evaluate(const Value& input, const EvalScope& scope) const {
  if (call) return call->evaluate(input, scope);
  auto v = path->select(input, scope);
  if (!v) {
    return make_error(
        ErrorCode::kStatesRuntime,
        "Invalid path '" + path->text() + "' : No results for path: " + path->canonical());
  }
  return std::move(*v);
}

const State* StateMachine::find(std::string_view name) const {
  auto i = index_of(name);
  return i ? &states[*i] : nullptr;
}

std::optional<StateIndex> StateMachine::index_of(std::string_view name) const {
  for (std::size_t i = 0; i < states.size(); ++i) {
    if (states[i].name == name) return static_cast<StateIndex>(i);
  }
  return std::nullopt;
}

namespace {

constexpr std::size_t kMaxStateNameLength = 80;

const std::set<std::string_view> kCommonFields = {"Type", "Comment", "QueryLanguage"};

// Fields each state type accepts besides the common ones, in either query language.
const std::map<StateType, std::set<std::string_view>> kAllowedFields = {
    {StateType::kPass,
     {"Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "Result", "Output",
      "Assign"}},
    {StateType::kTask,
     {"Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "ResultSelector",
      "Resource", "TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds",
      "HeartbeatSecondsPath", "Retry", "Catch", "Arguments", "Output", "Assign"}},
    {StateType::kChoice, {"Choices", "Default", "InputPath", "OutputPath", "Output", "Assign"}},
    {StateType::kWait,
     {"Next", "End", "InputPath", "OutputPath", "Seconds", "SecondsPath", "Timestamp",
      "TimestampPath", "Output", "Assign"}},
    {StateType::kSucceed, {"InputPath", "OutputPath", "Output"}},
    {StateType::kFail, {"Error", "ErrorPath", "Cause", "CausePath"}},
    {StateType::kParallel,
     {"Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "ResultSelector",
      "Branches", "Retry", "Catch", "Arguments", "Output", "Assign"}},
    {StateType::kMap,
     {"Next",
      "End",
      "InputPath",
      "OutputPath",
      "ResultPath",
      "Parameters",
      "ItemSelector",
      "ResultSelector",
      "ItemsPath",
      "ItemProcessor",
      "Iterator",
      "MaxConcurrency",
      "MaxConcurrencyPath",
      "ToleratedFailureCount",
      "ToleratedFailureCountPath",
      "ToleratedFailurePercentage",
      "ToleratedFailurePercentagePath",
      "ItemBatcher",
      "ItemReader",
      "ResultWriter",
      "Label",
      "Retry",
      "Catch",
      "Items",
      "Output",
      "Assign"}},
};

// Fields only one query language has (a JSONata state computes with expressions what a
// JSONPath state selects with paths).
const std::set<std::string_view> kJsonPathOnlyFields = {"InputPath",
                                                        "Parameters",
                                                        "ResultSelector",
                                                        "ResultPath",
                                                        "OutputPath",
                                                        "Result",
                                                        "ItemsPath",
                                                        "TimeoutSecondsPath",
                                                        "HeartbeatSecondsPath",
                                                        "SecondsPath",
                                                        "TimestampPath",
                                                        "MaxConcurrencyPath",
                                                        "ToleratedFailurePercentagePath",
                                                        "ToleratedFailureCountPath",
                                                        "ErrorPath",
                                                        "CausePath"};
const std::set<std::string_view> kJsonataOnlyFields = {"Arguments", "Output", "Items"};

std::string_view language_name(QueryLanguage l) {
  return l == QueryLanguage::kJsonata ? "JSONata" : "JSONPath";
}

// What $states holds for a state's Output and Assign.
unsigned output_access(StateType t) {
  unsigned access = static_cast<unsigned>(StatesAccess::kInput);
  if (t == StateType::kTask || t == StateType::kMap || t == StateType::kParallel)
    access |= static_cast<unsigned>(StatesAccess::kResult);
  return access;
}
constexpr unsigned kInputAccess = static_cast<unsigned>(StatesAccess::kInput);
constexpr unsigned kCatchAccess =
    static_cast<unsigned>(StatesAccess::kInput) | static_cast<unsigned>(StatesAccess::kErrorOutput);

std::optional<StateType> parse_type(std::string_view s) {
  for (int i = 0; i <= static_cast<int>(StateType::kMap); ++i) {
    auto t = static_cast<StateType>(i);
    if (state_type_name(t) == s) return t;
  }
  return std::nullopt;
}

class Compiler {
 public:
  explicit Compiler(std::vector<Diagnostic>& diags) : diags_(diags) {}

  std::shared_ptr<StateMachine> machine(const Value& def, const std::string& loc, bool top) {
    auto m = std::make_shared<StateMachine>();
    if (!def.is_object()) {
      schema("The value for the field 'States' must be an OBJECT", loc);
      return m;
    }
    const Object& obj = def.as_object();
    for (const auto& [key, value] : obj) {
      if (key == "StartAt" || key == "States" || key == "Comment") continue;
      if (top && (key == "TimeoutSeconds" || key == "Version" || key == "QueryLanguage")) continue;
      if (!top && key == "ProcessorConfig") continue;
      unsupported(key, loc);
    }
    std::vector<std::string> missing;
    if (!obj.contains("StartAt")) missing.push_back("StartAt");
    if (!obj.contains("States")) missing.push_back("States");
    if (!missing.empty()) {
      std::string list;
      for (const auto& f : missing) list += (list.empty() ? "" : ", ") + f;
      schema("These fields are required: [" + list + "]", loc.empty() ? "/" : loc);
      return m;
    }
    if (const Value* c = obj.find("Comment")) m->comment = string_field(*c, "Comment", loc);
    if (top) {
      if (const Value* t = obj.find("TimeoutSeconds"))
        m->timeout_seconds = int_field(*t, "TimeoutSeconds", loc, 1);
      if (const Value* v = obj.find("Version")) {
        if (!v->is_string() || v->as_string() != "1.0")
          schema("The value for the field 'Version' must be \"1.0\"", loc + "/Version");
      }
      if (const Value* q = obj.find("QueryLanguage")) {
        top_language_ = query_language(*q, loc).value_or(QueryLanguage::kJsonPath);
      }
    }
    m->language = top_language_;
    const Value& states_v = *obj.find("States");
    if (!states_v.is_object() || states_v.as_object().empty()) {
      schema("The field 'States' must be a non-empty OBJECT", loc + "/States");
      return m;
    }
    const Object& states = states_v.as_object();
    Names names;
    names.reserve(states.size());
    m->states.reserve(states.size());  // State is large: no regrowth copies
    for (const auto& [name, _] : states) {
      names.emplace(name, static_cast<StateIndex>(names.size()));
      m->states.emplace_back().name = name;
    }
    const Value& start = *obj.find("StartAt");
    if (!start.is_string()) {
      schema("The value for the field 'StartAt' must be a STRING", loc + "/StartAt");
    } else if (auto it = names.find(start.as_string()); it == names.end()) {
      diags_.push_back({"MISSING_TRANSITION_TARGET", "Missing 'Next' target: " + start.as_string(),
                        loc + "/StartAt"});
    } else {
      m->start_at = it->second;
    }

    for (std::size_t i = 0; i < m->states.size(); ++i) {
      State& st = m->states[i];
      const std::string sloc = loc + "/States/" + st.name;
      if (!seen_names_.insert(st.name).second) {
        diags_.push_back({"DUPLICATE_STATE_NAME", "Duplicate State name: " + st.name, sloc});
      }
      if (st.name.empty() || st.name.size() > kMaxStateNameLength) {
        diags_.push_back({"INVALID_STATE_NAME",
                          "State names must be 1 to 80 characters long: \"" + st.name + "\"",
                          sloc});
      }
      state(states.member(i).second, st, sloc, names);  // members are in state order
    }
    check_graph(*m, loc);
    return m;
  }

 private:
  // Hashed: a definition may hold thousands of states.
  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using Names = std::unordered_map<std::string, StateIndex, NameHash, std::equal_to<>>;

  // QueryLanguage's value; nullopt (with a diagnostic) when it is not one.
  std::optional<QueryLanguage> query_language(const Value& v, const std::string& loc) {
    if (!v.is_string()) {
      schema("Expected value of type [STRING]", loc + "/QueryLanguage");
      return std::nullopt;
    }
    if (v.as_string() == "JSONPath") return QueryLanguage::kJsonPath;
    if (v.as_string() == "JSONata") return QueryLanguage::kJsonata;
    schema("Value should be one of the following: [JSONPath, JSONata]", loc + "/QueryLanguage");
    return std::nullopt;
  }

  void wrong_language(QueryLanguage language, std::string_view field, const std::string& loc) {
    schema("The QueryLanguage is set to '" + std::string(language_name(language)) +
               "', but field '" + std::string(field) + "' is only supported for the '" +
               std::string(language_name(language == QueryLanguage::kJsonata
                                             ? QueryLanguage::kJsonPath
                                             : QueryLanguage::kJsonata)) +
               "' QueryLanguage",
           loc);
  }

  // Reports the fields of `obj` (among `candidates`) that the other query language owns.
  void check_language_fields(const Object& obj, QueryLanguage language,
                             const std::set<std::string_view>& candidates, const std::string& loc) {
    const auto& foreign =
        language == QueryLanguage::kJsonata ? kJsonPathOnlyFields : kJsonataOnlyFields;
    for (const auto& [key, _] : obj) {
      if (foreign.count(key) && candidates.count(key)) wrong_language(language, key, loc);
    }
  }

  JsonataTemplate expression_field(const Value& v, const std::string& field, const std::string& loc,
                                   unsigned access) {
    return JsonataTemplate::compile(v, field, loc, access, diags_);
  }

  // A JSONata field that is either an expression or a literal of the JSONPath field's type:
  // true when `v` is an expression (compiled into `expr`), false when the caller reads it as a
  // literal.
  bool expression_or_literal(const Value& v, const std::string& field, const std::string& loc,
                             std::optional<JsonataTemplate>& expr, QueryLanguage language) {
    if (language != QueryLanguage::kJsonata || !v.is_string() ||
        !JsonataTemplate::is_expression(v.as_string()))
      return false;
    expr = expression_field(v, field, loc, kInputAccess);
    return true;
  }

  void schema(std::string message, std::string location) {
    diags_.push_back({"SCHEMA_VALIDATION_FAILED", std::move(message), std::move(location)});
  }
  void unsupported(std::string_view field, const std::string& loc) {
    schema("The field \"" + std::string(field) + "\" is not supported by Step Functions", loc);
  }
  void wrong_type(std::string_view field, std::string_view what, const std::string& loc) {
    schema("The value for the field '" + std::string(field) + "' must be " + std::string(what),
           loc + "/" + std::string(field));
  }

  std::string string_field(const Value& v, std::string_view field, const std::string& loc) {
    if (!v.is_string()) {
      wrong_type(field, "a STRING", loc);
      return {};
    }
    return v.as_string();
  }

  std::optional<int64_t> int_field(const Value& v, std::string_view field, const std::string& loc,
                                   int64_t min) {
    if (!v.is_int() || v.as_int() < min) {
      wrong_type(field, min > 0 ? "a positive INTEGER" : "a non-negative INTEGER", loc);
      return std::nullopt;
    }
    return v.as_int();
  }

  std::optional<JsonPath> path_field(const Value& v, std::string_view field, const std::string& loc,
                                     bool reference) {
    if (v.is_string()) {
      auto p = JsonPath::parse(v.as_string());
      if (p.ok() && (!reference || p->is_reference())) return std::move(p).value();
    }
    wrong_type(field, reference ? "a valid Reference Path" : "a valid JSONPath", loc);
    return std::nullopt;
  }

  // InputPath/OutputPath/ResultPath: absent, null, or a path.
  PathField optional_path(const Object& obj, std::string_view field, const std::string& loc,
                          bool reference) {
    const Value* v = obj.find(field);
    if (v == nullptr) return {};
    if (v->is_null()) return PathField::null();
    auto p = path_field(*v, field, loc, reference);
    return p ? PathField::of(std::move(*p)) : PathField{};
  }

  std::optional<PayloadTemplate> template_field(const Value& v, std::string_view field,
                                                const std::string& loc) {
    if (!v.is_object()) {
      wrong_type(field, "an OBJECT", loc);
      return std::nullopt;
    }
    auto t = PayloadTemplate::compile(v);
    if (!t.ok()) {
      schema(t.error().message, loc + "/" + std::string(field));
      return std::nullopt;
    }
    return std::move(t).value();
  }

  std::optional<StateIndex> target(const Value& v, std::string_view field, const std::string& loc,
                                   const Names& names) {
    if (!v.is_string()) {
      wrong_type(field, "a STRING", loc);
      return std::nullopt;
    }
    auto it = names.find(v.as_string());
    if (it == names.end()) {
      diags_.push_back({"MISSING_TRANSITION_TARGET",
                        "Missing '" + std::string(field) + "' target: " + v.as_string(),
                        loc + "/" + std::string(field)});
      return std::nullopt;
    }
    return it->second;
  }

  std::vector<std::string> error_equals(const Object& obj, const std::string& loc) {
    std::vector<std::string> out;
    const Value* v = obj.find("ErrorEquals");
    if (v == nullptr) {
      schema("These fields are required: [ErrorEquals]", loc);
      return out;
    }
    if (!v->is_array() || v->as_array().empty()) {
      wrong_type("ErrorEquals", "a non-empty ARRAY", loc);
      return out;
    }
    for (const auto& e : v->as_array()) {
      if (!e.is_string()) {
        wrong_type("ErrorEquals", "an ARRAY of STRINGs", loc);
        return {};
      }
      out.push_back(e.as_string());
    }
    if (out.size() > 1 && std::find(out.begin(), out.end(), "States.ALL") != out.end()) {
      schema("\"States.ALL\" must appear alone in 'ErrorEquals'", loc + "/ErrorEquals");
    }
    return out;
  }

  void retriers(const Value& v, const std::string& loc, State& st) {
    if (!v.is_array()) return wrong_type("Retry", "an ARRAY", loc);
    const auto& items = v.as_array();
    for (std::size_t i = 0; i < items.size(); ++i) {
      const std::string rloc = loc + "/Retry/" + std::to_string(i);
      if (!items[i].is_object()) {
        schema("A retrier must be an OBJECT", rloc);
        continue;
      }
      const Object& r = items[i].as_object();
      Retrier out;
      for (const auto& [key, value] : r) {
        if (key == "ErrorEquals" || key == "Comment") continue;
        if (key == "IntervalSeconds") {
          out.interval_seconds = int_field(value, key, rloc, 1).value_or(1);
        } else if (key == "MaxAttempts") {
          out.max_attempts = int_field(value, key, rloc, 0).value_or(3);
        } else if (key == "BackoffRate") {
          if (!value.is_number() || value.as_number() < 1.0) {
            wrong_type(key, "a NUMBER greater than or equal to 1.0", rloc);
          } else {
            out.backoff_rate = value.as_number();
          }
        } else if (key == "MaxDelaySeconds") {
          out.max_delay_seconds = int_field(value, key, rloc, 1);
        } else if (key == "JitterStrategy") {
          if (!value.is_string() || (value.as_string() != "FULL" && value.as_string() != "NONE")) {
            wrong_type(key, "one of [FULL, NONE]", rloc);
          } else {
            out.full_jitter = value.as_string() == "FULL";
          }
        } else {
          unsupported(key, rloc);
        }
      }
      out.error_equals = error_equals(r, rloc);
      if (i + 1 < items.size() && out.error_equals.size() == 1 &&
          out.error_equals[0] == "States.ALL") {
        schema("A retrier with \"States.ALL\" must be the last one", rloc + "/ErrorEquals");
      }
      st.retry.push_back(std::move(out));
    }
  }

  void catchers(const Value& v, const std::string& loc, State& st, const Names& names) {
    const QueryLanguage language = st.language;
    if (!v.is_array()) return wrong_type("Catch", "an ARRAY", loc);
    const auto& items = v.as_array();
    for (std::size_t i = 0; i < items.size(); ++i) {
      const std::string cloc = loc + "/Catch/" + std::to_string(i);
      if (!items[i].is_object()) {
        schema("A catcher must be an OBJECT", cloc);
        continue;
      }
      const Object& c = items[i].as_object();
      Catcher out;
      for (const auto& [key, value] : c) {
        if (key != "ErrorEquals" && key != "Next" && key != "ResultPath" && key != "Comment" &&
            key != "Output" && key != "Assign")
          unsupported(key, cloc);
      }
      static const std::set<std::string_view> kLanguageFields = {"ResultPath", "Output"};
      check_language_fields(c, language, kLanguageFields, cloc);
      out.error_equals = error_equals(c, cloc);
      if (const Value* n = c.find("Next")) {
        if (auto t = target(*n, "Next", cloc, names)) out.next = *t;
      } else {
        schema("These fields are required: [Next]", cloc);
      }
      const std::string field = "Catch[" + std::to_string(i) + "]";
      if (language == QueryLanguage::kJsonPath) {
        out.result_path = optional_path(c, "ResultPath", cloc, true);
        if (out.result_path.mode == PathField::Mode::kPath && out.result_path.path.is_variable())
          wrong_type("ResultPath", "a valid Reference Path", cloc);
      } else if (const Value* o = c.find("Output")) {
        out.output = expression_field(*o, field + "/Output", loc, kCatchAccess);
      }
      if (const Value* a = c.find("Assign")) {
        out.assign =
            language == QueryLanguage::kJsonata
                ? Assignment::compile_jsonata(*a, field + "/Assign", loc, kCatchAccess, diags_)
                : Assignment::compile_jsonpath(*a, cloc + "/Assign", diags_);
      }
      st.catchers.push_back(std::move(out));
    }
  }

  void state(const Value& v, State& st, const std::string& loc, const Names& names) {
    if (!v.is_object()) {
      schema("A state must be an OBJECT", loc);
      return;
    }
    const Object& obj = v.as_object();
    const Value* type_v = obj.find("Type");
    if (type_v == nullptr) {
      schema("These fields are required: [Type]", loc);
      return;
    }
    auto type = type_v->is_string() ? parse_type(type_v->as_string()) : std::nullopt;
    if (!type) {
      schema(
          "The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, "
          "Fail, Choice, Parallel, Map]",
          loc + "/Type");
      return;
    }
    st.type = *type;
    const auto& allowed = kAllowedFields.at(st.type);
    for (const auto& [key, _] : obj) {
      if (!kCommonFields.count(key) && !allowed.count(key)) unsupported(key, loc);
    }
    if (const Value* c = obj.find("Comment")) st.comment = string_field(*c, "Comment", loc);
    st.language = top_language_;
    if (const Value* q = obj.find("QueryLanguage")) {
      auto language = query_language(*q, loc);
      if (language == QueryLanguage::kJsonPath && top_language_ == QueryLanguage::kJsonata) {
        schema("'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine",
               loc);
      } else if (language) {
        st.language = *language;
        check_language_fields(obj, st.language, allowed, loc);
      }
    } else {
      check_language_fields(obj, st.language, allowed, loc);
    }
    const bool jsonata = st.language == QueryLanguage::kJsonata;

    // Transitions.
    const bool can_transition = allowed.count("Next") > 0;
    if (can_transition) {
      const Value* next = obj.find("Next");
      const Value* end = obj.find("End");
      if (end != nullptr && !end->is_bool()) wrong_type("End", "a BOOLEAN", loc);
      st.end = end != nullptr && end->is_bool() && end->as_bool();
      if (next != nullptr && st.end) {
        schema("Only one of 'Next' and 'End' may be set", loc);
      } else if (next != nullptr) {
        st.next = target(*next, "Next", loc, names);
      } else if (!st.end) {
        schema("One of 'Next' and 'End: true' must be set", loc);
      }
    }

    // Input and output processing: paths and templates (JSONPath), expressions (JSONata).
    if (!jsonata) {
      if (allowed.count("InputPath"))
        st.io.input_path = optional_path(obj, "InputPath", loc, false);
      if (allowed.count("OutputPath"))
        st.io.output_path = optional_path(obj, "OutputPath", loc, false);
      if (allowed.count("ResultPath")) {
        st.io.result_path = optional_path(obj, "ResultPath", loc, true);
        if (st.io.result_path.mode == PathField::Mode::kPath &&
            st.io.result_path.path.is_variable())
          wrong_type("ResultPath", "a valid Reference Path", loc);
      }
      if (const Value* p = obj.find("Parameters"); p && allowed.count("Parameters"))
        st.io.parameters = template_field(*p, "Parameters", loc);
      if (const Value* p = obj.find("ItemSelector"); p && allowed.count("ItemSelector")) {
        if (obj.contains("Parameters"))
          schema("Only one of 'Parameters' and 'ItemSelector' may be set", loc);
        st.io.parameters = template_field(*p, "ItemSelector", loc);
      }
      if (const Value* p = obj.find("ResultSelector"); p && allowed.count("ResultSelector"))
        st.io.result_selector = template_field(*p, "ResultSelector", loc);
    } else {
      if (const Value* a = obj.find("Arguments"); a && allowed.count("Arguments"))
        st.jsonata.arguments = expression_field(*a, "Arguments", loc, kInputAccess);
      if (const Value* o = obj.find("Output"); o && allowed.count("Output"))
        st.jsonata.output = expression_field(*o, "Output", loc, output_access(st.type));
      if (const Value* p = obj.find("ItemSelector"); p && allowed.count("ItemSelector"))
        st.jsonata.item_selector = expression_field(*p, "ItemSelector", loc, kInputAccess);
    }
    if (const Value* a = obj.find("Assign"); a && allowed.count("Assign")) {
      st.assign =
          jsonata ? Assignment::compile_jsonata(*a, "Assign", loc, output_access(st.type), diags_)
                  : Assignment::compile_jsonpath(*a, loc + "/Assign", diags_);
    }
    if (const Value* r = obj.find("Retry"); r && allowed.count("Retry")) retriers(*r, loc, st);
    if (const Value* c = obj.find("Catch"); c && allowed.count("Catch"))
      catchers(*c, loc, st, names);

    switch (st.type) {
      case StateType::kPass:
        if (const Value* r = obj.find("Result"); r && !jsonata) st.result = *r;
        break;
      case StateType::kTask:
        task(obj, st, loc);
        break;
      case StateType::kChoice:
        choice(obj, st, loc, names);
        break;
      case StateType::kWait:
        wait(obj, st, loc);
        break;
      case StateType::kFail:
        fail(obj, st, loc);
        break;
      case StateType::kParallel:
        parallel(obj, st, loc);
        break;
      case StateType::kMap:
        map(obj, st, loc);
        break;
      case StateType::kSucceed:
        break;
    }
  }

  void task(const Object& obj, State& st, const std::string& loc) {
    const Value* res = obj.find("Resource");
    if (res == nullptr) {
      schema("These fields are required: [Resource]", loc);
    } else if (!res->is_string()) {
      wrong_type("Resource", "a STRING", loc);
    } else if (res->as_string().rfind("arn:", 0) != 0) {
      diags_.push_back({"INVALID_RESOURCE", "Resource is not a valid ARN: " + res->as_string(),
                        loc + "/Resource"});
    } else {
      st.resource = res->as_string();
    }
    if (obj.contains("TimeoutSeconds") && obj.contains("TimeoutSecondsPath"))
      schema("Only one of 'TimeoutSeconds' and 'TimeoutSecondsPath' may be set", loc);
    if (obj.contains("HeartbeatSeconds") && obj.contains("HeartbeatSecondsPath"))
      schema("Only one of 'HeartbeatSeconds' and 'HeartbeatSecondsPath' may be set", loc);
    if (const Value* v = obj.find("TimeoutSeconds");
        v &&
        !expression_or_literal(*v, "TimeoutSeconds", loc, st.jsonata.timeout_seconds, st.language))
      st.timeout_seconds = int_field(*v, "TimeoutSeconds", loc, 1);
    if (const Value* v = obj.find("TimeoutSecondsPath"))
      st.timeout_seconds_path = path_field(*v, "TimeoutSecondsPath", loc, true);
    if (const Value* v = obj.find("HeartbeatSeconds");
        v && !expression_or_literal(*v, "HeartbeatSeconds", loc, st.jsonata.heartbeat_seconds,
                                    st.language))
      st.heartbeat_seconds = int_field(*v, "HeartbeatSeconds", loc, 1);
    if (const Value* v = obj.find("HeartbeatSecondsPath"))
      st.heartbeat_seconds_path = path_field(*v, "HeartbeatSecondsPath", loc, true);
    if (st.heartbeat_seconds && st.timeout_seconds && *st.heartbeat_seconds >= *st.timeout_seconds)
      schema("'HeartbeatSeconds' must be smaller than 'TimeoutSeconds'", loc + "/HeartbeatSeconds");
  }

  void choice(const Object& obj, State& st, const std::string& loc, const Names& names) {
    const Value* choices = obj.find("Choices");
    if (choices == nullptr) {
      schema("These fields are required: [Choices]", loc);
    } else if (!choices->is_array() || choices->as_array().empty()) {
      wrong_type("Choices", "a non-empty ARRAY", loc);
    } else {
      const auto& items = choices->as_array();
      for (std::size_t i = 0; i < items.size(); ++i) {
        const std::string cloc = loc + "/Choices/" + std::to_string(i);
        const std::string field = "Choices[" + std::to_string(i) + "]";
        std::optional<ChoiceBranch> branch = st.language == QueryLanguage::kJsonata
                                                 ? jsonata_rule(items[i], field, cloc, loc, names)
                                                 : jsonpath_rule(items[i], cloc, names);
        if (branch) st.choices.push_back(std::move(*branch));
      }
    }
    if (const Value* d = obj.find("Default")) st.default_next = target(*d, "Default", loc, names);
  }

  std::optional<ChoiceBranch> jsonpath_rule(const Value& v, const std::string& cloc,
                                            const Names& names) {
    if (v.is_object()) {
      static const std::set<std::string_view> kLanguageFields = {"Condition", "Output"};
      check_language_fields(v.as_object(), QueryLanguage::kJsonPath, kLanguageFields, cloc);
    }
    auto rule = ChoiceRule::compile(v, true, cloc, diags_);
    if (!rule) return std::nullopt;
    auto t = target(Value(rule->next()), "Next", cloc, names);
    if (!t) return std::nullopt;
    ChoiceBranch branch{std::move(*rule), std::nullopt, *t, std::nullopt, std::nullopt};
    if (const Value* a = v.as_object().find("Assign"))
      branch.assign = Assignment::compile_jsonpath(*a, cloc + "/Assign", diags_);
    return branch;
  }

  // A JSONata Choice rule: {"Condition": <boolean or expression>, "Next", "Output"?, "Assign"?}.
  std::optional<ChoiceBranch> jsonata_rule(const Value& v, const std::string& field,
                                           const std::string& cloc, const std::string& loc,
                                           const Names& names) {
    if (!v.is_object()) {
      schema("The value for a choice rule must be an OBJECT", cloc);
      return std::nullopt;
    }
    const Object& rule = v.as_object();
    ChoiceBranch branch;
    bool ok = true;
    for (const auto& [key, value] : rule) {
      if (key == "Condition" || key == "Next" || key == "Output" || key == "Assign" ||
          key == "Comment")
        continue;
      if (key == "Variable" || key == "And" || key == "Or" || key == "Not" ||
          ChoiceRule::is_operator(key)) {
        wrong_language(QueryLanguage::kJsonata, key, cloc);
      } else {
        unsupported(key, cloc);
      }
      ok = false;
    }
    const Value* condition = rule.find("Condition");
    const Value* next = rule.find("Next");
    if (condition == nullptr || next == nullptr) {
      schema(std::string("These fields are required: [") +
                 (condition == nullptr ? (next == nullptr ? "Condition, Next" : "Condition")
                                       : "Next") +
                 "]",
             cloc);
      return std::nullopt;
    }
    if (condition->is_bool() ||
        (condition->is_string() && JsonataTemplate::is_expression(condition->as_string()))) {
      branch.condition = expression_field(*condition, field + "/Condition", loc, kInputAccess);
    } else {
      wrong_type("Condition", "a BOOLEAN or a JSONata expression", cloc);
      ok = false;
    }
    auto t = target(*next, "Next", cloc, names);
    if (!t) return std::nullopt;
    branch.next = *t;
    if (const Value* o = rule.find("Output"))
      branch.output = expression_field(*o, field + "/Output", loc, kInputAccess);
    if (const Value* a = rule.find("Assign"))
      branch.assign = Assignment::compile_jsonata(*a, field + "/Assign", loc, kInputAccess, diags_);
    if (!ok) return std::nullopt;
    return branch;
  }

  void wait(const Object& obj, State& st, const std::string& loc) {
    int count = 0;
    if (const Value* v = obj.find("Seconds")) {
      ++count;
      if (!expression_or_literal(*v, "Seconds", loc, st.jsonata.seconds, st.language))
        st.seconds = int_field(*v, "Seconds", loc, 0);
    }
    if (const Value* v = obj.find("SecondsPath")) {
      ++count;
      st.seconds_path = path_field(*v, "SecondsPath", loc, true);
    }
    if (const Value* v = obj.find("Timestamp")) {
      ++count;
      if (!expression_or_literal(*v, "Timestamp", loc, st.jsonata.timestamp, st.language) &&
          (!v->is_string() || !(st.timestamp = parse_timestamp(v->as_string()))))
        wrong_type("Timestamp", "a valid timestamp", loc);
    }
    if (const Value* v = obj.find("TimestampPath")) {
      ++count;
      st.timestamp_path = path_field(*v, "TimestampPath", loc, true);
    }
    if (count != 1)
      schema("Exactly one of 'Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath' must be set",
             loc);
  }

  std::optional<PathOrCall> path_or_call(const Value& v, std::string_view field,
                                         const std::string& loc) {
    if (v.is_string() && Intrinsic::is_call(v.as_string())) {
      auto call = Intrinsic::parse(v.as_string());
      if (call.ok())
        return PathOrCall{std::nullopt, std::make_shared<const Intrinsic>(std::move(call).value())};
      wrong_type(field, "a valid JSONPath or a valid intrinsic function call", loc);
      return std::nullopt;
    }
    auto p = path_field(v, field, loc, false);
    if (!p) return std::nullopt;
    return PathOrCall{std::move(p), nullptr};
  }

  void fail(const Object& obj, State& st, const std::string& loc) {
    if (obj.contains("Error") && obj.contains("ErrorPath"))
      schema("Only one of 'Error' and 'ErrorPath' may be set", loc);
    if (obj.contains("Cause") && obj.contains("CausePath"))
      schema("Only one of 'Cause' and 'CausePath' may be set", loc);
    if (const Value* v = obj.find("Error");
        v && !expression_or_literal(*v, "Error", loc, st.jsonata.error, st.language))
      st.error = string_field(*v, "Error", loc);
    if (const Value* v = obj.find("Cause");
        v && !expression_or_literal(*v, "Cause", loc, st.jsonata.cause, st.language))
      st.cause = string_field(*v, "Cause", loc);
    if (const Value* v = obj.find("ErrorPath")) st.error_path = path_or_call(*v, "ErrorPath", loc);
    if (const Value* v = obj.find("CausePath")) st.cause_path = path_or_call(*v, "CausePath", loc);
  }

  void parallel(const Object& obj, State& st, const std::string& loc) {
    const Value* b = obj.find("Branches");
    if (b == nullptr) return schema("These fields are required: [Branches]", loc);
    if (!b->is_array() || b->as_array().empty())
      return wrong_type("Branches", "a non-empty ARRAY", loc);
    const auto& items = b->as_array();
    for (std::size_t i = 0; i < items.size(); ++i) {
      st.branches.push_back(machine(items[i], loc + "/Branches/" + std::to_string(i), false));
    }
  }

  void map(const Object& obj, State& st, const std::string& loc) {
    const Value* proc = obj.find("ItemProcessor");
    std::string field = "ItemProcessor";
    if (proc != nullptr && obj.contains("Iterator")) {
      schema("Only one of 'ItemProcessor' and 'Iterator' may be set", loc);
    } else if (proc == nullptr) {
      proc = obj.find("Iterator");
      field = "Iterator";
    }
    if (proc == nullptr) {
      schema("These fields are required: [ItemProcessor]", loc);
    } else {
      const std::string ploc = loc + "/" + field;
      if (proc->is_object()) {
        if (const Value* cfg = proc->as_object().find("ProcessorConfig"))
          processor_config(*cfg, st, ploc + "/ProcessorConfig");
      }
      st.item_processor = machine(*proc, ploc, false);
    }
    distributed_fields(obj, st, loc);
    if (const Value* v = obj.find("ItemsPath"))
      st.items_path = path_field(*v, "ItemsPath", loc, true);
    if (obj.contains("MaxConcurrency") && obj.contains("MaxConcurrencyPath"))
      schema("Only one of 'MaxConcurrency' and 'MaxConcurrencyPath' may be set", loc);
    if (const Value* v = obj.find("Items"); v && st.language == QueryLanguage::kJsonata) {
      if (v->is_array() || (v->is_string() && JsonataTemplate::is_expression(v->as_string()))) {
        st.jsonata.items = expression_field(*v, "Items", loc, kInputAccess);
      } else {
        wrong_type("Items", "an ARRAY or a JSONata expression", loc);
      }
    }
    if (const Value* v = obj.find("MaxConcurrency");
        v &&
        !expression_or_literal(*v, "MaxConcurrency", loc, st.jsonata.max_concurrency, st.language))
      st.max_concurrency = int_field(*v, "MaxConcurrency", loc, 0).value_or(0);
    if (const Value* v = obj.find("MaxConcurrencyPath"))
      st.max_concurrency_path = path_field(*v, "MaxConcurrencyPath", loc, true);
    if (const Value* v = obj.find("ToleratedFailureCount");
        v && !expression_or_literal(*v, "ToleratedFailureCount", loc,
                                    st.jsonata.tolerated_failure_count, st.language))
      st.tolerated_failure_count = int_field(*v, "ToleratedFailureCount", loc, 0);
    if (const Value* v = obj.find("ToleratedFailureCountPath"))
      st.tolerated_failure_count_path = path_field(*v, "ToleratedFailureCountPath", loc, true);
    if (const Value* v = obj.find("ToleratedFailurePercentage");
        v && !expression_or_literal(*v, "ToleratedFailurePercentage", loc,
                                    st.jsonata.tolerated_failure_percentage, st.language)) {
      if (!v->is_number() || v->as_number() < 0 || v->as_number() > 100) {
        wrong_type("ToleratedFailurePercentage", "a NUMBER between 0 and 100", loc);
      } else {
        st.tolerated_failure_percentage = v->as_number();
      }
    }
    if (const Value* v = obj.find("ToleratedFailurePercentagePath"))
      st.tolerated_failure_percentage_path =
          path_field(*v, "ToleratedFailurePercentagePath", loc, true);
  }

  // ItemProcessor.ProcessorConfig: {Mode: INLINE | DISTRIBUTED, ExecutionType: STANDARD |
  // EXPRESS}; ExecutionType is required in DISTRIBUTED mode and refused in INLINE mode.
  void processor_config(const Value& cfg, State& st, const std::string& loc) {
    if (!cfg.is_object()) return wrong_type("ProcessorConfig", "an OBJECT", loc);
    const Object& o = cfg.as_object();
    for (const auto& [key, _] : o) {
      if (key != "Mode" && key != "ExecutionType") unsupported(key, loc);
    }
    if (const Value* mode = o.find("Mode")) {
      if (mode->is_string() && mode->as_string() == "DISTRIBUTED") {
        st.map_mode = MapMode::kDistributed;
      } else if (!(mode->is_string() && mode->as_string() == "INLINE")) {
        schema("Value should be one of the following: [INLINE, DISTRIBUTED]", loc + "/Mode");
      }
    }
    const Value* type = o.find("ExecutionType");
    if (st.map_mode == MapMode::kInline) {
      if (type != nullptr)
        schema("The field 'ExecutionType' is only supported in DISTRIBUTED mode", loc);
      return;
    }
    if (type == nullptr) return schema("These fields are required: [ExecutionType]", loc);
    if (type->is_string() && type->as_string() == "EXPRESS") {
      st.child_execution_type = ChildExecutionType::kExpress;
    } else if (!(type->is_string() && type->as_string() == "STANDARD")) {
      schema("Value should be one of the following: [STANDARD, EXPRESS]", loc + "/ExecutionType");
    }
  }

  // A map run label: at most 40 characters, none of them whitespace, a control character or one
  // of AWS's special characters.
  static bool valid_label(const std::string& label) {
    if (label.empty() || label.size() > 40) return false;
    for (unsigned char c : label) {
      if (c <= 0x20 || c == 0x7f ||
          std::string_view("<>{}[]?*\"#%\\^|~`$&,;:/").find(c) != std::string_view::npos)
        return false;
    }
    return true;
  }

  // The fields only a Distributed Map has: Label, ItemBatcher, ItemReader, ResultWriter.
  void distributed_fields(const Object& obj, State& st, const std::string& loc) {
    const bool distributed = st.map_mode == MapMode::kDistributed;
    for (std::string_view field : {"Label", "ItemBatcher", "ItemReader", "ResultWriter"}) {
      if (obj.contains(field) && !distributed) {
        schema("The field '" + std::string(field) + "' is only supported in DISTRIBUTED mode", loc);
      }
    }
    st.label = st.name;
    if (const Value* v = obj.find("Label"); v && distributed) {
      if (!v->is_string() || !valid_label(v->as_string())) {
        wrong_type("Label",
                   "a STRING of at most 40 characters without whitespace or special characters",
                   loc);
      } else {
        st.label = v->as_string();
      }
    }
    for (auto [field, out] : {std::pair{"ItemReader", &st.item_reader_resource},
                              std::pair{"ResultWriter", &st.result_writer_resource}}) {
      const Value* v = obj.find(field);
      if (v == nullptr || !distributed) continue;
      const Value* r = v->is_object() ? v->as_object().find("Resource") : nullptr;
      if (r == nullptr || !r->is_string()) {
        schema("These fields are required: [Resource]", loc + "/" + field);
      } else {
        *out = r->as_string();
      }
    }
    if (const Value* v = obj.find("ItemBatcher"); v && distributed) item_batcher(*v, st, loc);
  }

  void item_batcher(const Value& v, State& st, const std::string& loc) {
    const std::string bloc = loc + "/ItemBatcher";
    if (!v.is_object()) return wrong_type("ItemBatcher", "an OBJECT", loc);
    const Object& o = v.as_object();
    const bool jsonata = st.language == QueryLanguage::kJsonata;
    ItemBatcher b;
    for (const auto& [key, _] : o) {
      if (key == "MaxItemsPerBatch" || key == "MaxInputBytesPerBatch" || key == "BatchInput")
        continue;
      if (!jsonata && (key == "MaxItemsPerBatchPath" || key == "MaxInputBytesPerBatchPath"))
        continue;
      unsupported(key, bloc);
    }
    if (o.contains("MaxItemsPerBatch") && o.contains("MaxItemsPerBatchPath"))
      schema("Only one of 'MaxItemsPerBatch' and 'MaxItemsPerBatchPath' may be set", bloc);
    if (o.contains("MaxInputBytesPerBatch") && o.contains("MaxInputBytesPerBatchPath"))
      schema("Only one of 'MaxInputBytesPerBatch' and 'MaxInputBytesPerBatchPath' may be set",
             bloc);
    if (const Value* x = o.find("MaxItemsPerBatch");
        x && !expression_or_literal(*x, "MaxItemsPerBatch", bloc, b.max_items_expr, st.language))
      b.max_items = int_field(*x, "MaxItemsPerBatch", bloc, 1);
    if (const Value* x = o.find("MaxItemsPerBatchPath"); x && !jsonata)
      b.max_items_path = path_field(*x, "MaxItemsPerBatchPath", bloc, true);
    if (const Value* x = o.find("MaxInputBytesPerBatch");
        x &&
        !expression_or_literal(*x, "MaxInputBytesPerBatch", bloc, b.max_bytes_expr, st.language)) {
      b.max_bytes = int_field(*x, "MaxInputBytesPerBatch", bloc, 1);
      if (b.max_bytes && *b.max_bytes > 262144)
        wrong_type("MaxInputBytesPerBatch", "an INTEGER between 1 and 262144", bloc);
    }
    if (const Value* x = o.find("MaxInputBytesPerBatchPath"); x && !jsonata)
      b.max_bytes_path = path_field(*x, "MaxInputBytesPerBatchPath", bloc, true);
    if (const Value* x = o.find("BatchInput")) {
      if (jsonata) {
        b.batch_input_expr = expression_field(*x, "BatchInput", bloc, kInputAccess);
      } else {
        b.batch_input = template_field(*x, "BatchInput", bloc);
      }
    }
    st.item_batcher = std::move(b);
  }

  static bool is_terminal(const State& s) {
    return s.end || s.type == StateType::kSucceed || s.type == StateType::kFail;
  }

  void check_graph(const StateMachine& m, const std::string& loc) {
    std::vector<bool> reached(m.states.size(), false);
    std::vector<StateIndex> work{m.start_at};
    reached[m.start_at] = true;
    auto visit = [&](std::optional<StateIndex> i) {
      if (i && !reached[*i]) {
        reached[*i] = true;
        work.push_back(*i);
      }
    };
    while (!work.empty()) {
      const State& s = m.states[work.back()];
      work.pop_back();
      visit(s.next);
      visit(s.default_next);
      for (const auto& c : s.choices) visit(c.next);
      for (const auto& c : s.catchers) visit(c.next);
    }
    bool terminal = false;
    for (std::size_t i = 0; i < m.states.size(); ++i) {
      terminal = terminal || is_terminal(m.states[i]);
      if (!reached[i]) {
        diags_.push_back({"MISSING_TRANSITION_TARGET",
                          "State \"" + m.states[i].name + "\" is not reachable.",
                          loc + "/States/" + m.states[i].name});
      }
    }
    if (!terminal)
      diags_.push_back(
          {"MISSING_END_STATE", "Workflow has no terminal state", loc.empty() ? "/" : loc});
  }

  std::vector<Diagnostic>& diags_;
  std::unordered_set<std::string> seen_names_;
  QueryLanguage top_language_ = QueryLanguage::kJsonPath;
};

}  // namespace

DefinitionParse parse_definition(std::string_view text) {
  DefinitionParse out;
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    out.diagnostics.push_back({"MISSING_DESCRIPTION", "The state machine definition is empty", ""});
    return out;
  }
  auto json = json::parse(text);
  if (!json.ok()) {
    out.diagnostics.push_back({"INVALID_JSON_DESCRIPTION", json.error().message, ""});
    return out;
  }
  if (!json->is_object()) {
    out.diagnostics.push_back(
        {"SCHEMA_VALIDATION_FAILED", "The state machine definition must be a JSON object", "/"});
    return out;
  }
  Compiler compiler(out.diagnostics);
  auto machine = compiler.machine(*json, "", true);
  if (out.diagnostics.empty()) out.machine = std::move(machine);
  return out;
}

Result<std::shared_ptr<const StateMachine>> compile_definition(std::string_view text) {
  auto parsed = parse_definition(text);
  if (!parsed.machine) {
    return make_error(ErrorCode::kInvalidDefinition,
                      invalid_definition_message(parsed.diagnostics));
  }
  return std::move(parsed.machine);
}

}  // namespace sluice::engine::asl
