// See execution.h: the data flow of the states, in their query language. JSONPath fields are
// paths and templates over the state's values (asl/io_processing.h); JSONata fields are
// expressions over $states and the variables (asl/jsonata_template.h). Either way Assign is
// evaluated with every other expression of the state, before any variable changes.
#include <algorithm>

#include "engine/asl/states_error.h"
#include "engine/executor/execution.h"
#include "engine/executor/run.h"
#include "engine/json/json_serialize.h"

namespace sluice::engine::executor {

using detail::Run;
using detail::RunVariables;
using detail::StateExit;
using json::Object;
using json::Value;

namespace {

// $states for one evaluation of a JSONata state's expressions: {input, context, result?,
// errorOutput?}. Its members are borrowed (moved in on construction, moved back when it goes),
// so building it copies nothing; while it lives the Run's input and the Execution's context
// object are empty and must be read through it.
class StatesObject {
 public:
  StatesObject(Value& input, Value& context, Value* result, Value* error_output)
      : input_(input), context_(context), result_(result), error_output_(error_output) {
    Object o;
    o.reserve(4);
    o.set("input", std::move(input));
    o.set("context", std::move(context));
    if (result != nullptr) o.set("result", std::move(*result));
    if (error_output != nullptr) o.set("errorOutput", std::move(*error_output));
    states_ = Value(std::move(o));
  }
  ~StatesObject() {
    Object& o = states_.as_object();
    input_ = std::move(*o.find("input"));
    context_ = std::move(*o.find("context"));
    if (result_ != nullptr) *result_ = std::move(*o.find("result"));
    if (error_output_ != nullptr) *error_output_ = std::move(*o.find("errorOutput"));
  }
  StatesObject(const StatesObject&) = delete;
  StatesObject& operator=(const StatesObject&) = delete;

  const Value& value() const { return states_; }

 private:
  Value& input_;
  Value& context_;
  Value* result_;
  Value* error_output_;
  Value states_;
};

Value error_output_of(const std::string& error, const std::string& cause) {
  Object err;
  err.set("Error", Value(error));
  if (!cause.empty()) err.set("Cause", Value(cause));
  return Value(std::move(err));
}

Error query_error(const asl::JsonataTemplate& field, const std::string& what) {
  Error e = make_error(ErrorCode::kStatesQueryEvaluationError,
                       field.text().empty()
                           ? "The value of the field '" + field.field() + "' " + what
                           : "The JSONata expression '" + field.text() +
                                 "' specified for the field '" + field.field() + "' " + what);
  e.location = field.field();
  return e;
}

}  // namespace

Result<Value> Execution::evaluate_field(Run& run, const asl::JsonataTemplate& field, Value* result,
                                        Value* error_output, const std::string* token,
                                        const Value* map_item) {
  if (!field.is_dynamic()) return field.literal();
  context(run, token, map_item);
  RunVariables variables(run);
  StatesObject states(run.input, ctx_, result, error_output);
  asl::ExpressionScope scope(states.value(), &variables);
  return field.evaluate(scope, expression_limits());
}

Result<int64_t> Execution::evaluate_integer(Run& run, const asl::JsonataTemplate& field,
                                            int64_t min) {
  auto v = evaluate_field(run, field);
  if (!v.ok()) return std::move(v).error();
  if (!v->is_number() || !v->is_integral() ||
      (v->is_double() && std::abs(v->as_number()) > 9.0e15)) {
    return query_error(
        field, "must evaluate to an integer, but it evaluated to " + json::serialize(*v) + ".");
  }
  int64_t n = v->is_int() ? v->as_int() : static_cast<int64_t>(v->as_number());
  if (n < min) {
    return query_error(field, "must evaluate to an integer greater than or equal to " +
                                  std::to_string(min) + ", but it evaluated to " +
                                  std::to_string(n) + ".");
  }
  return n;
}

Result<StateExit> Execution::jsonata_exit(Run& run,
                                          const std::optional<asl::JsonataTemplate>& output,
                                          const std::optional<asl::Assignment>& assign,
                                          Value* result, Value* error_output,
                                          const std::string* token) {
  StateExit exit;
  const bool evaluate_output = output && output->is_dynamic();
  const bool evaluate_assign = assign && !assign->empty();
  if (evaluate_output || evaluate_assign) {
    context(run, token);
    RunVariables variables(run);
    StatesObject states(run.input, ctx_, result, error_output);
    asl::ExpressionScope scope(states.value(), &variables);
    const jsonata::Limits limits = expression_limits();
    if (evaluate_assign) {
      auto a = assign->evaluate(scope, limits);
      if (!a.ok()) return std::move(a).error();
      exit.assigned = std::move(a).value();
    }
    if (evaluate_output) {
      auto v = output->evaluate(scope, limits);
      if (!v.ok()) return std::move(v).error();
      exit.output = std::move(v).value();
    }
  }
  if (output && !evaluate_output) {
    exit.output = output->literal();
  } else if (!output) {
    // No Output: a Catcher gives the error, Task/Map/Parallel their result, the others their
    // input.
    if (error_output != nullptr) {
      exit.output = std::move(*error_output);
    } else if (result != nullptr) {
      exit.output = std::move(*result);
    } else {
      exit.output = run.input;
    }
  }
  return exit;
}

Result<StateExit> Execution::jsonpath_result_exit(Run& run, Value result,
                                                  const std::string* token) {
  const asl::State& st = run.st();
  RunVariables variables(run);
  asl::EvalScope scope(context(run, token), &variables);
  StateExit exit;
  if (st.assign && !st.assign->empty()) {
    auto a = st.assign->evaluate(result, scope);
    if (!a.ok()) return std::move(a).error();
    exit.assigned = std::move(a).value();
  }
  auto out = asl::process_result(st.io, run.input, std::move(result), scope);
  if (!out.ok()) return std::move(out).error();
  exit.output = std::move(out).value();
  return exit;
}

Result<StateExit> Execution::result_exit(Run& run, Value result, const std::string* token) {
  const asl::State& st = run.st();
  if (st.language == asl::QueryLanguage::kJsonata)
    return jsonata_exit(run, st.jsonata.output, st.assign, &result, nullptr, token);
  return jsonpath_result_exit(run, std::move(result), token);
}

Result<StateExit> Execution::catch_exit(Run& run, const asl::Catcher& catcher,
                                        const Failure& failure) {
  Value error_output = error_output_of(failure.error, failure.cause);
  if (run.st().language == asl::QueryLanguage::kJsonata)
    return jsonata_exit(run, catcher.output, catcher.assign, nullptr, &error_output);
  RunVariables variables(run);
  asl::EvalScope scope(context(run), &variables);
  StateExit exit;
  if (catcher.assign && !catcher.assign->empty()) {
    auto a = catcher.assign->evaluate(error_output, scope);
    if (!a.ok()) return std::move(a).error();
    exit.assigned = std::move(a).value();
  }
  auto out = asl::apply_result_path(catcher.result_path, run.input, std::move(error_output));
  if (!out.ok()) return std::move(out).error();
  exit.output = std::move(out).value();
  return exit;
}

Status Execution::assign_variables(Run& run, const Object& assigned,
                                   std::vector<std::pair<std::string, std::string>>* texts) {
  if (assigned.empty()) return {};
  const std::string& state = run.st().name;
  std::vector<std::pair<std::string, std::string>> own;
  std::vector<std::pair<std::string, std::string>>& out = texts != nullptr ? *texts : own;
  out.clear();
  out.reserve(assigned.size());
  std::size_t assign_bytes = 0;
  for (const auto& [name, value] : assigned) {
    // A Map iteration or Parallel branch has a scope of its own: it reads the variables around
    // it but cannot assign them (AWS: an inner scope cannot reuse an outer scope's name).
    for (const Run* r = run.parent; r != nullptr; r = r->parent) {
      if (r->variables.find(name) != nullptr) {
        return make_error(ErrorCode::kStatesRuntime,
                          "The variable '" + name +
                              "' belongs to an outer scope: a state inside a Map or Parallel "
                              "state cannot assign it.");
      }
    }
    std::string text = json::serialize(value);
    if (text.size() > asl::kMaxVariableBytes) {
      return make_error(ErrorCode::kStatesDataLimitExceeded,
                        "The state/task '" + state + "' assigned the variable '" + name +
                            "' a value with a size exceeding the maximum number of bytes "
                            "service limit.");
    }
    assign_bytes += text.size();
    out.emplace_back(name, std::move(text));
  }
  if (assign_bytes > asl::kMaxAssignBytes) {
    return make_error(ErrorCode::kStatesDataLimitExceeded,
                      "The state/task '" + state +
                          "' assigned variables with a total size exceeding the maximum number "
                          "of bytes service limit.");
  }
  std::size_t total = 0;
  for (const Run* r = &run; r != nullptr; r = r->parent) total += r->variable_bytes;
  for (const auto& [name, text] : out) {
    auto it = run.variable_sizes.find(name);
    total += text.size() - (it == run.variable_sizes.end() ? 0 : it->second);
  }
  if (total > asl::kMaxExecutionVariableBytes) {
    return make_error(ErrorCode::kStatesDataLimitExceeded,
                      "The state/task '" + state +
                          "' brought the variables of the execution to a size exceeding the "
                          "maximum number of bytes service limit.");
  }
  std::sort(out.begin(), out.end());
  return {};
}

jsonata::Limits Execution::expression_limits() {
  jsonata::Limits limits = asl::state_expression_limits();
  // $now(), $millis(), $random(), $shuffle() and $uuid() must give on replay what they gave live:
  // a Choice or a Wait that reads them decides the path, and the replay has to walk the recorded
  // one. The step's time is the recorded event's time on replay, and the execution's random
  // source is seeded from its ARN and drawn in the same order.
  limits.now_ms = now_;
  limits.random_seed = static_cast<uint64_t>(random().next_unit() * 9007199254740992.0);  // 2^53
  return limits;
}

}  // namespace sluice::engine::executor
