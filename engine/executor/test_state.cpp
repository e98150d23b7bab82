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
  std::optional<json::Value> exchange;     // an http:invoke's request and response (TRACE)
  std::optional<json::Value> context;      // merged over $$ (request.context)
  std::optional<int64_t> retrier_retry_count;
  std::optional<int64_t> map_failures;      // stateConfiguration.mapIterationFailureCount
  std::optional<json::Value> reader_items;  // stateConfiguration.mapItemReaderData
  std::optional<std::string> rejection;     // found once the Map's items were known
  InspectionData map_inspection;            // a mocked Map's items and thresholds

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

std::optional<TestStateRejection> unsupported(const asl::State& st, bool mocked) {
  switch (st.type) {
    case asl::StateType::kParallel:
    case asl::StateType::kMap:
      if (mocked) return std::nullopt;
      return reject(Kind::kValidation, "TestState does not support " +
                                           std::string(asl::state_type_name(st.type)) + " states");
    case asl::StateType::kTask: {
      if (mocked) return std::nullopt;
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

bool contains_state(const asl::State& st, std::string_view name);

bool machine_contains(const asl::StateMachine& m, std::string_view name) {
  for (const asl::State& st : m.states) {
    if (st.name == name || contains_state(st, name)) return true;
  }
  return false;
}

// Whether a state of the Map's item processor or of the Parallel's branches is named `name`.
bool contains_state(const asl::State& st, std::string_view name) {
  for (const auto& b : st.branches) {
    if (machine_contains(*b, name)) return true;
  }
  return st.item_processor && machine_contains(*st.item_processor, name);
}

// stateConfiguration's members for Map and Parallel states name what the state has.
std::optional<TestStateRejection> check_configuration(const TestStateRequest& r,
                                                      const asl::State& st) {
  const bool map = st.type == asl::StateType::kMap;
  const bool flow = map || st.type == asl::StateType::kParallel;
  if (r.error_caused_by_state) {
    if (!flow) {
      return reject(Kind::kValidation,
                    "errorCausedByState can only be specified for a Map or Parallel state");
    }
    if (!contains_state(st, *r.error_caused_by_state)) {
      return reject(Kind::kValidation, "State '" + std::string(*r.error_caused_by_state) +
                                           "' does not exist in the Map or Parallel state");
    }
  }
  if (r.map_iteration_failure_count && !map) {
    return reject(Kind::kValidation,
                  "mapIterationFailureCount can only be specified for a Map state");
  }
  if (r.map_item_reader_data && (!map || st.item_reader_resource.empty())) {
    return reject(Kind::kValidation,
                  "mapItemReaderData can only be specified for a Map state with an ItemReader");
  }
  return std::nullopt;
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

// A request member holding JSON text: parsed into `out` when it is an array (`array`) or an
// object; else the rejection "Invalid NAME: 'WHY'".
std::optional<TestStateRejection> parse_member(std::string_view text, bool array,
                                               std::string_view name, std::string_view wrong_type,
                                               std::optional<Value>& out) {
  auto parsed = json::parse(text);
  if (parsed.ok() && (array ? parsed->is_array() : parsed->is_object())) {
    out = std::move(parsed).value();
    return std::nullopt;
  }
  return reject(Kind::kValidation,
                "Invalid " + std::string(name) + ": '" +
                    (parsed.ok() ? std::string(wrong_type) : parsed.error().message) + "'");
}

// `over` merged into `into`: members of two objects merge recursively, anything else replaces.
void merge_into(Value& into, const Value& over) {
  if (!into.is_object() || !over.is_object()) {
    into = over;
    return;
  }
  Object& o = into.as_object();
  for (const auto& [name, value] : over.as_object()) {
    if (Value* existing = o.find(name)) {
      merge_into(*existing, value);
    } else {
      o.set(name, value);
    }
  }
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
    if (d.after_items_path) i.set("afterItemsPath", Value(*d.after_items_path));
    if (d.after_item_selector) i.set("afterItemSelector", Value(*d.after_item_selector));
    if (d.after_item_batcher) i.set("afterItemBatcher", Value(*d.after_item_batcher));
    if (d.tolerated_failure_count)
      i.set("toleratedFailureCount", Value(*d.tolerated_failure_count));
    if (d.tolerated_failure_percentage)
      i.set("toleratedFailurePercentage", Value(*d.tolerated_failure_percentage));
    if (d.max_concurrency) i.set("maxConcurrency", Value(*d.max_concurrency));
    if (d.request) i.set("request", *d.request);
    if (d.response) i.set("response", *d.response);
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
  if (auto no = unsupported(machine->states[index], request.mocked)) return no;
  if (auto bad = check_configuration(request, machine->states[index])) return bad;
  std::optional<Value> reader_items;
  if (request.map_item_reader_data) {
    if (auto bad = parse_member(*request.map_item_reader_data, true, "mapItemReaderData",
                                "the items read must be a JSON array", reader_items))
      return bad;
  }

  auto input = json::parse(request.input.value_or("{}"));
  if (!input.ok()) {
    return reject(Kind::kInvalidExecutionInput,
                  "Invalid State Machine Execution Input: '" + input.error().message + "'");
  }
  json::Object variables;
  if (request.variables) {
    std::optional<Value> parsed;
    if (auto bad = parse_member(*request.variables, false, "variables",
                                "the variables must be a JSON object", parsed))
      return bad;
    for (const auto& [name, _] : parsed->as_object()) {
      if (auto why = asl::invalid_variable_name(name))
        return reject(Kind::kValidation, "Invalid variable name '" + name + "': " + *why);
    }
    variables = std::move(parsed->as_object());
  }

  std::optional<Value> context;
  if (request.context) {
    if (auto bad = parse_member(*request.context, false, "context",
                                "the context must be a JSON object", context))
      return bad;
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
  capture->context = std::move(context);
  capture->retrier_retry_count = request.retrier_retry_count;
  capture->map_failures = request.map_iteration_failure_count;
  capture->reader_items = std::move(reader_items);
  auto* seen = capture.get();
  auto keep = capture;  // the Execution may drop it before run() returns
  detail::TestCapture::run(std::move(ex), std::move(capture), index, std::move(variables));
  if (seen->rejection) return reject(Kind::kValidation, std::move(*seen->rejection));
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
  if (capture.level == InspectionLevel::kTrace && capture.exchange) {
    const Object& x = capture.exchange->as_object();
    if (const Value* v = x.find("request")) d.request = *v;
    if (const Value* v = x.find("response")) d.response = *v;
  }
  if (capture.variables_given || !run.variables.empty())
    d.variables = json::serialize(Value(run.variables));
  if (st.type == asl::StateType::kMap) {  // both query languages (afterItemsPath: JSONPath)
    const InspectionData& m = capture.map_inspection;
    d.after_items_path = m.after_items_path;
    d.after_item_selector = m.after_item_selector;
    d.after_item_batcher = m.after_item_batcher;
    d.tolerated_failure_count = m.tolerated_failure_count;
    d.tolerated_failure_percentage = m.tolerated_failure_percentage;
    d.max_concurrency = m.max_concurrency;
  }
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
  const bool map = st.type == asl::StateType::kMap;
  const bool flow = map || st.type == asl::StateType::kParallel;
  if (!pass_result) d.after_input_path = text_of(after_input);
  if (after_input.ok() && (pass || flow || st.type == asl::StateType::kTask)) {
    // A Map's Parameters are its ItemSelector, applied to each item: not shown.
    auto after_parameters = st.io.parameters && !map
                                ? st.io.parameters->evaluate(*after_input, scope)
                                : Result<Value>(*after_input);
    if (!pass_result && !map) d.after_parameters = text_of(after_parameters);
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

void Execution::test_exchange(Value exchange) {
  if (test_ && exchange.is_object()) test_->exchange = std::move(exchange);
}

const Value* Execution::test_reader_items() const {
  return test_ && test_->reader_items ? &*test_->reader_items : nullptr;
}

void Execution::test_mocked_flow(Run& run, const detail::Fanout* fan, const json::Array* items) {
  auto& capture = *test_;
  const asl::State& st = run.st();
  if (fan) {
    InspectionData& d = capture.map_inspection;
    if (items && st.language == asl::QueryLanguage::kJsonPath)
      d.after_items_path = json::serialize(Value(*items));
    d.tolerated_failure_count = fan->tolerated_count;
    d.tolerated_failure_percentage = fan->tolerated_percentage;
    d.max_concurrency = static_cast<int64_t>(fan->max_concurrency);
    const bool selector = st.io.parameters || st.jsonata.item_selector;
    if (items && (selector || st.item_batcher)) {
      json::Array inputs;
      inputs.reserve(items->size());
      for (std::size_t i = 0; i < items->size(); ++i) {
        auto one = select_item(run, *fan, i, (*items)[i]);
        if (!one.ok()) return state_failed(run, runtime_failure(run, one.error()));
        inputs.push_back(std::move(one).value());
      }
      if (selector) d.after_item_selector = json::serialize(Value(inputs));
      if (st.item_batcher) {
        auto batches = batch_items(run, *fan, std::move(inputs));
        if (!batches.ok()) return state_failed(run, runtime_failure(run, batches.error()));
        d.after_item_batcher = json::serialize(Value(std::move(batches).value()));
      }
    }
  }
  if (fan && capture.map_failures) {
    const std::size_t n = items ? items->size() : 0;
    const auto failed = static_cast<std::size_t>(*capture.map_failures);
    if (failed > n) {
      // Known only now that the items are: the request is refused, no result is reported.
      capture.rejection = "mapIterationFailureCount (" + std::to_string(failed) +
                          ") cannot exceed the number of items (" + std::to_string(n) + ")";
      auto keep_alive = shared_from_this();
      capture.execution.reset();
      test_.reset();
      finish(ExecutionStatus::kFailed, std::nullopt, Failure{"States.Runtime", ""},
             HistoryEventType::kExecutionFailed, last_event_id_);
      return;
    }
    bool exceeded =
        (fan->tolerated_count && static_cast<int64_t>(failed) > *fan->tolerated_count) ||
        (fan->tolerated_percentage && n > 0 &&
         static_cast<double>(failed) * 100.0 / static_cast<double>(n) > *fan->tolerated_percentage);
    if (fan->tolerance && exceeded) {
      return state_failed(run, Failure{"States.ExceedToleratedFailureThreshold",
                                       "The specified tolerated failure threshold was exceeded"});
    }
  }
  // The mock answers for the whole state, through the TaskHandler as a Task's would.
  TaskRequest req;
  req.execution_arn = info_.execution_arn;
  req.state_name = st.name;
  req.input = run.input;
  auto handle = std::make_shared<TaskHandle>();
  handle->execution_ = weak_from_this();
  handle->run_ = run.weak_from_this();
  run.task = handle;
  run.task_started_event = false;
  run.request = std::move(req);
  deliver_task(run, nullptr);
}

bool Execution::test_inspects_exchange() const {
  return test_ && test_->level == InspectionLevel::kTrace;
}

void Execution::test_context(Value& ctx, Run& run) {
  if (test_->context) merge_into(ctx, *test_->context);
  (void)run;
  // The state's $$.State.RetryCount (only the states that have one carry it) is the retry count
  // the test says this attempt is.
  if (!test_->retrier_retry_count) return;
  Value* state = ctx.as_object().find("State");
  if (state && state->is_object() && state->as_object().contains("RetryCount"))
    state->as_object().set("RetryCount", Value(*test_->retrier_retry_count));
}

void Execution::test_exited(Run& run, Value output, std::optional<asl::StateIndex> next) {
  auto capture = test_;  // kept set until finish(): $$ still carries the given context
  TestStateResult r;
  r.status = TestExecutionStatus::kSucceeded;
  r.output = json::serialize(output);
  if (next) r.next_state = run.machine->states[*next].name;
  inspect(run, context(run), *capture, r);
  auto keep_alive = shared_from_this();
  capture->execution.reset();
  test_.reset();
  finish(ExecutionStatus::kSucceeded, std::move(output), Failure{},
         HistoryEventType::kExecutionSucceeded, last_event_id_);
  capture->done(std::move(r));
}

void Execution::test_failed(Run& run, Failure failure, bool handlers) {
  auto capture = test_;  // kept set until finish(): $$ still carries the given context
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
      int64_t attempt =
          capture->retrier_retry_count.value_or(i < run.attempts.size() ? run.attempts[i] : 0);
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
  test_.reset();
  finish(ExecutionStatus::kFailed, std::nullopt, std::move(failure),
         HistoryEventType::kExecutionFailed, last_event_id_);
  capture->done(std::move(r));
}

}  // namespace sluice::engine::executor
