// See test_state.h. The state runs inside a one-off Execution (no sink, no history kept) that
// starts at the state under test; the Execution's test hooks (Execution::test_*, below) stop it
// where the state would leave, fail, retry or be caught, and report. A state given alone is
// compiled inside a wrapper machine whose other states are stubs for its Next targets, so the
// validator and the executor are the ones every execution uses.
#include "engine/executor/test_state.h"

#include "engine/asl/definition.h"
#include "engine/executor/error_matching.h"
#include "engine/executor/run.h"
#include "engine/json/json_parse.h"
#include "engine/json/json_serialize.h"

namespace sluice::engine::executor {

namespace detail {

struct TestCapture {
  std::shared_ptr<Execution> execution;  // owns the test's Execution until it reports
  InspectionLevel level = InspectionLevel::kInfo;
  std::function<void(TestStateResult)> done;
  std::optional<json::Value> task_result;  // a Task's raw result

  bool variables_given = false;
  json::Object variables_before;  // what the state's paths read (inspectionData recomputes them)

  static void run(std::shared_ptr<Execution> ex, std::shared_ptr<TestCapture> capture,
                  asl::StateIndex first, json::Object variables) {
    capture->execution = ex;  // a cycle until the test reports (the 5-minute limit ends it)
    ex->test_ = std::move(capture);
    ex->first_state_ = first;
    ex->test_->variables_before = variables;
    ex->first_variables_ = std::move(variables);
    ex->start();
  }
};

}  // namespace detail

using detail::Run;
using json::Object;
using json::Value;
using Kind = TestStateRejection::Kind;

namespace {

// The name the state gets when it is given alone.
constexpr std::string_view kTestedName = "TestState";

TestStateRejection reject(Kind kind, std::string message) {
  return TestStateRejection{kind, std::move(message), {}};
}

std::optional<TestStateRejection> unsupported(const asl::State& st) {
  switch (st.type) {
    case asl::StateType::kParallel:
    case asl::StateType::kMap:
      return reject(Kind::kValidation, "TestState does not support " +
                                           std::string(asl::state_type_name(st.type)) + " states");
    case asl::StateType::kTask: {
      TaskResource r = parse_task_resource(st.resource);
      if (r.family == TaskFamily::kActivity)
        return reject(Kind::kValidation, "TestState does not support Activity tasks");
      if (r.wait_for_task_token || r.resource.find(".sync") != std::string::npos) {
        return reject(Kind::kValidation,
                      "TestState does not support the .sync or .waitForTaskToken integration "
                      "patterns");
      }
      return std::nullopt;
    }
    default:
      return std::nullopt;
  }
}

// The machine (top level or a branch) holding the state named `name`, and its index there.
bool find_state(const std::shared_ptr<const asl::StateMachine>& m, std::string_view name,
                std::shared_ptr<const asl::StateMachine>& machine, asl::StateIndex& index) {
  for (std::size_t i = 0; i < m->states.size(); ++i) {
    const asl::State& st = m->states[i];
    if (st.name == name) {
      machine = m;
      index = static_cast<asl::StateIndex>(i);
      return true;
    }
    for (const auto& b : st.branches) {
      if (find_state(b, name, machine, index)) return true;
    }
    if (st.item_processor && find_state(st.item_processor, name, machine, index)) return true;
  }
  return false;
}

void add_target(const Value* v, Object& states) {
  if (v == nullptr || !v->is_string() || v->as_string() == kTestedName) return;
  if (!states.contains(v->as_string()))
    states.set(v->as_string(), Value(Object{{"Type", Value("Succeed")}}));
}

// A machine holding the state alone, its transition targets stubbed.
std::string wrapper_definition(const Value& state) {
  Object states;
  states.set(std::string(kTestedName), state);
  const Object& obj = state.as_object();
  add_target(obj.find("Next"), states);
  add_target(obj.find("Default"), states);
  for (const char* list : {"Choices", "Catch"}) {
    const Value* items = obj.find(list);
    if (items == nullptr || !items->is_array()) continue;
    for (const Value& item : items->as_array()) {
      if (item.is_object()) add_target(item.as_object().find("Next"), states);
    }
  }
  return json::serialize(Value(
      Object{{"StartAt", Value(std::string(kTestedName))}, {"States", Value(std::move(states))}}));
}

std::optional<std::string> text_of(const Result<Value>& v) {
  if (!v.ok()) return std::nullopt;
  return json::serialize(*v);
}

}  // namespace

std::optional<InspectionLevel> parse_inspection_level(std::string_view text) {
  if (text == "INFO") return InspectionLevel::kInfo;
  if (text == "DEBUG") return InspectionLevel::kDebug;
  if (text == "TRACE") return InspectionLevel::kTrace;
  return std::nullopt;
}

std::string_view test_execution_status_name(TestExecutionStatus status) {
  switch (status) {
    case TestExecutionStatus::kSucceeded:
      return "SUCCEEDED";
    case TestExecutionStatus::kFailed:
      return "FAILED";
    case TestExecutionStatus::kRetriable:
      return "RETRIABLE";
    case TestExecutionStatus::kCaughtError:
      return "CAUGHT_ERROR";
  }
  return "FAILED";
}

std::string test_state_result_json(const TestStateResult& r) {
  Object o;
  if (r.output) o.set("output", Value(*r.output));
  if (r.error) o.set("error", Value(*r.error));
  if (r.cause) o.set("cause", Value(*r.cause));
  if (r.inspection_data) {
    const InspectionData& d = *r.inspection_data;
    Object i;
    for (const auto& [key, field] :
         {std::pair{"input", &d.input}, std::pair{"afterArguments", &d.after_arguments},
          std::pair{"afterInputPath", &d.after_input_path},
          std::pair{"afterParameters", &d.after_parameters}, std::pair{"result", &d.result},
          std::pair{"afterResultSelector", &d.after_result_selector},
          std::pair{"afterResultPath", &d.after_result_path},
          std::pair{"variables", &d.variables}}) {
      if (*field) i.set(key, Value(**field));
    }
    Object e;
    if (d.catch_index) e.set("catchIndex", Value(*d.catch_index));
    if (d.retry_index) e.set("retryIndex", Value(*d.retry_index));
    if (d.retry_backoff_interval_seconds)
      e.set("retryBackoffIntervalSeconds", Value(*d.retry_backoff_interval_seconds));
    if (!e.empty()) i.set("errorDetails", Value(std::move(e)));
    o.set("inspectionData", Value(std::move(i)));
  }
  if (r.next_state) o.set("nextState", Value(*r.next_state));
  o.set("status", Value(std::string(test_execution_status_name(r.status))));
  return json::serialize(Value(std::move(o)));
}

std::optional<TestStateRejection> start_test_state(const TestStateRequest& request,
                                                   TestStateServices services,
                                                   std::function<void(TestStateResult)> done) {
  std::shared_ptr<const asl::StateMachine> machine;
  asl::StateIndex index = 0;
  if (request.state_name) {
    auto parsed = asl::parse_definition(request.definition);
    if (!parsed.machine) {
      return TestStateRejection{Kind::kInvalidDefinition,
                                asl::invalid_definition_message(parsed.diagnostics),
                                std::move(parsed.diagnostics)};
    }
    if (!find_state(parsed.machine, *request.state_name, machine, index)) {
      return reject(Kind::kValidation, "State '" + std::string(*request.state_name) +
                                           "' does not exist in the definition");
    }
  } else {
    auto state = json::parse(request.definition);
    if (!state.ok() || !state->is_object()) {
      std::vector<asl::Diagnostic> diags{
          {state.ok() ? "SCHEMA_VALIDATION_FAILED" : "INVALID_JSON_DESCRIPTION",
           state.ok() ? "A state must be an OBJECT" : state.error().message, "/"}};
      std::string message = asl::invalid_definition_message(diags);
      return TestStateRejection{Kind::kInvalidDefinition, std::move(message), std::move(diags)};
    }
    auto parsed = asl::parse_definition(wrapper_definition(*state));
    if (!parsed.machine) {
      // Locations as in the state's own text: "/States/TestState/Next" is "/Next".
      const std::string prefix = "/States/" + std::string(kTestedName);
      for (auto& d : parsed.diagnostics) {
        if (d.location.rfind(prefix, 0) == 0) {
          d.location = d.location.size() == prefix.size() ? "/" : d.location.substr(prefix.size());
        }
      }
      return TestStateRejection{Kind::kInvalidDefinition,
                                asl::invalid_definition_message(parsed.diagnostics),
                                std::move(parsed.diagnostics)};
    }
    machine = parsed.machine;
    index = machine->start_at;
  }
  if (auto no = unsupported(machine->states[index])) return no;

  auto input = json::parse(request.input.value_or("{}"));
  if (!input.ok()) {
    return reject(Kind::kInvalidExecutionInput,
                  "Invalid State Machine Execution Input: '" + input.error().message + "'");
  }
  json::Object variables;
  if (request.variables) {
    auto parsed = json::parse(*request.variables);
    if (!parsed.ok() || !parsed->is_object()) {
      return reject(Kind::kValidation,
                    "Invalid variables: '" +
                        (parsed.ok() ? std::string("the variables must be a JSON object")
                                     : parsed.error().message) +
                        "'");
    }
    for (const auto& [name, _] : parsed->as_object()) {
      if (auto why = asl::invalid_variable_name(name))
        return reject(Kind::kValidation, "Invalid variable name '" + name + "': " + *why);
    }
    variables = std::move(parsed->as_object());
  }

  ExecutionServices es;
  es.clock = services.clock;
  es.timers = services.timers;
  es.tasks = services.tasks;
  ExecutionOptions options;
  options.keep_history = false;
  ExecutionInfo info = std::move(services.info);
  if (!request.role_arn.empty()) info.role_arn = request.role_arn;
  auto ex =
      Execution::create(std::move(machine), std::move(info), std::move(input).value(), es, options);
  auto capture = std::make_shared<detail::TestCapture>();
  capture->level = request.inspection_level;
  capture->done = std::move(done);
  capture->variables_given = request.variables.has_value();
  detail::TestCapture::run(std::move(ex), std::move(capture), index, std::move(variables));
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// The Execution's test hooks.

namespace {

// inspectionData at DEBUG and TRACE: the processing stages the state type has, recomputed from
// the state input (they are pure), and the Task's raw result.
void inspect(const Run& run, const Value& ctx, const detail::TestCapture& capture,
             TestStateResult& r) {
  if (capture.level == InspectionLevel::kInfo) {
    r.inspection_data.reset();
    return;
  }
  InspectionData d = r.inspection_data.value_or(InspectionData{});
  const asl::State& st = run.st();
  d.input = json::serialize(run.input);
  if (capture.variables_given || !run.variables.empty())
    d.variables = json::serialize(Value(run.variables));
  if (st.language == asl::QueryLanguage::kJsonata) {
    if (st.type == asl::StateType::kTask) {
      if (run.scheduled_event_id != 0 || capture.task_result)
        d.after_arguments = json::serialize(run.request.input);
      if (capture.task_result) d.result = json::serialize(*capture.task_result);
    }
    r.inspection_data = std::move(d);
    return;
  }
  if (st.type == asl::StateType::kFail) {
    r.inspection_data = std::move(d);
    return;
  }
  asl::ObjectVariables before(capture.variables_before);
  asl::EvalScope scope(ctx, &before);
  auto after_input = asl::apply_input_path(st.io.input_path, run.input, scope);
  // As AWS shows a Pass: with a Result, that result and what follows it; without one, the input
  // stages (its "result" is the effective input, not shown as such).
  const bool pass = st.type == asl::StateType::kPass;
  const bool pass_result = pass && st.result;
  if (!pass_result) d.after_input_path = text_of(after_input);
  if (after_input.ok() && (pass || st.type == asl::StateType::kTask)) {
    auto after_parameters = st.io.parameters ? st.io.parameters->evaluate(*after_input, scope)
                                             : Result<Value>(*after_input);
    if (!pass_result) d.after_parameters = text_of(after_parameters);
    std::optional<Value> result;
    if (pass) {
      if (st.result) {
        result = *st.result;
      } else if (after_parameters.ok()) {
        result = *after_parameters;
      }
    } else {
      result = capture.task_result;
    }
    if (result) {
      if (!pass || pass_result) d.result = json::serialize(*result);
      auto selected = st.io.result_selector ? st.io.result_selector->evaluate(*result, scope)
                                            : Result<Value>(*result);
      d.after_result_selector = text_of(selected);
      if (selected.ok()) {
        d.after_result_path = text_of(
            asl::apply_result_path(st.io.result_path, run.input, std::move(selected).value()));
      }
    }
  }
  r.inspection_data = std::move(d);
}

}  // namespace

void Execution::test_task_result(const Value& result) {
  test_->task_result = result;
}

void Execution::test_exited(Run& run, Value output, std::optional<asl::StateIndex> next) {
  auto capture = std::move(test_);
  TestStateResult r;
  r.status = TestExecutionStatus::kSucceeded;
  r.output = json::serialize(output);
  if (next) r.next_state = run.machine->states[*next].name;
  inspect(run, context(run), *capture, r);
  auto keep_alive = shared_from_this();
  capture->execution.reset();
  finish(ExecutionStatus::kSucceeded, std::move(output), Failure{},
         HistoryEventType::kExecutionSucceeded, last_event_id_);
  capture->done(std::move(r));
}

void Execution::test_failed(Run& run, Failure failure, bool handlers) {
  auto capture = std::move(test_);
  const asl::State& st = run.st();
  TestStateResult r;
  r.status = TestExecutionStatus::kFailed;
  r.error = failure.error;
  if (!failure.cause.empty()) r.cause = failure.cause;
  if (handlers && !is_uncatchable(failure.error)) {
    // The first matching retrier decides; exhausted, Catch applies.
    for (std::size_t i = 0; i < st.retry.size(); ++i) {
      const asl::Retrier& retrier = st.retry[i];
      if (!error_matches(retrier.error_equals, failure.error)) continue;
      int64_t attempt = i < run.attempts.size() ? run.attempts[i] : 0;
      if (attempt < retrier.max_attempts) {
        r.status = TestExecutionStatus::kRetriable;
        InspectionData d;
        d.retry_index = static_cast<int64_t>(i);
        double unit = retrier.full_jitter ? random().next_unit() : 1.0;
        d.retry_backoff_interval_seconds = retry_delay_ms(retrier, attempt + 1, unit) / 1000;
        r.inspection_data = std::move(d);
      }
      break;
    }
    for (std::size_t i = 0; i < st.catchers.size() && r.status == TestExecutionStatus::kFailed;
         ++i) {
      const asl::Catcher& c = st.catchers[i];
      if (!error_matches(c.error_equals, failure.error)) continue;
      auto out = catch_exit(run, c, failure);
      std::vector<std::pair<std::string, std::string>> texts;
      Status assigned = out.ok() ? assign_variables(run, out->assigned, &texts) : Status();
      if (!out.ok() || !assigned.ok()) {
        Failure f = runtime_failure(run, out.ok() ? assigned.error() : out.error());
        r.error = f.error;
        r.cause = f.cause;
        break;
      }
      store_variables(run, std::move(out->assigned), texts);
      r.status = TestExecutionStatus::kCaughtError;
      r.output = json::serialize(out->output);
      r.next_state = run.machine->states[c.next].name;
      InspectionData d;
      d.catch_index = static_cast<int64_t>(i);
      r.inspection_data = std::move(d);
    }
  }
  inspect(run, context(run), *capture, r);
  auto keep_alive = shared_from_this();
  capture->execution.reset();
  finish(ExecutionStatus::kFailed, std::nullopt, std::move(failure),
         HistoryEventType::kExecutionFailed, last_event_id_);
  capture->done(std::move(r));
}

}  // namespace sluice::engine::executor
