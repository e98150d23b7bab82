// TestState: decodes the request, checks the Task resources the server serves (as
// CreateStateMachine does), and runs the state through engine::executor::start_test_state with
// the server's task router, so a Task under test really calls its service, as AWS does. Answers
// when the state has run, which is later for an asynchronous task (an http:invoke call). A
// `mock` answers the Task instead of the service, its result first checked against the action's
// output shape (mocks/mock_result_check.h) unless fieldValidationMode is NONE; `context` is
// merged over the Context object; stateConfiguration says which retry this is and, for a mocked
// Map or Parallel, where its error comes from, how many iterations failed and what an ItemReader
// read (the engine checks them against the state).
// Thread: the reactor thread.
#include "broker/states/catalog/definition_check.h"
#include "broker/states/handler_support.h"
#include "broker/states/handlers.h"
#include "broker/states/mocks/mock_result_check.h"
#include "broker/states/states_arn.h"
#include "engine/executor/test_state.h"
#include "engine/json/json_parse.h"
#include "storage/random_id.h"

namespace sluice::states {

namespace {

namespace ex = engine::executor;

constexpr std::size_t kMaxDefinition = 1048576;
constexpr std::size_t kMaxData = 262144;
// The state machine the tested state belongs to, as $$.StateMachine names it.
constexpr std::string_view kTestMachine = "TestStateMachine";

SfnError invalid_definition(const std::vector<engine::asl::Diagnostic>& diagnostics) {
  return sfn_error("InvalidDefinition", engine::asl::invalid_definition_message(diagnostics));
}

// The state under test as JSON (a copy), found by name in a whole machine (branches and item
// processors included) when stateName is given; nullopt when the definition is not that shape
// (the engine then reports what is wrong).
const json::Value* find_named(const json::Value& machine, std::string_view name) {
  if (!machine.is_object()) return nullptr;
  const json::Value* states = machine.as_object().find("States");
  if (!states || !states->is_object()) return nullptr;
  for (const auto& [key, st] : states->as_object()) {
    if (key == name) return &st;
    if (!st.is_object()) continue;
    const json::Object& o = st.as_object();
    if (const json::Value* branches = o.find("Branches"); branches && branches->is_array()) {
      for (const json::Value& b : branches->as_array()) {
        if (const json::Value* found = find_named(b, name)) return found;
      }
    }
    for (const char* sub : {"ItemProcessor", "Iterator"}) {
      if (const json::Value* p = o.find(sub)) {
        if (const json::Value* found = find_named(*p, name)) return found;
      }
    }
  }
  return nullptr;
}

std::optional<json::Value> tested_state(const ex::TestStateRequest& req) {
  auto parsed = json::parse(req.definition);
  if (!parsed.ok()) return std::nullopt;
  const json::Value* state = req.state_name ? find_named(*parsed, *req.state_name) : &*parsed;
  if (!state || !state->is_object()) return std::nullopt;
  return *state;
}

std::string_view member_string(const json::Value& state, std::string_view name) {
  const json::Value* v = state.as_object().find(name);
  return v && v->is_string() ? std::string_view(v->as_string()) : std::string_view();
}

// The served-resource check CreateStateMachine makes (the engine validates the language only):
// a Task naming a resource no integration serves is an InvalidDefinition here too, not a
// States.Runtime failure of the test. nullopt when the definition passes.
std::optional<SfnError> check_resources(const ex::TestStateRequest& req,
                                        const std::optional<json::Value>& state,
                                        const ResourceCheck& check) {
  if (!check) return std::nullopt;
  if (req.state_name) {
    DefinitionCheck c = check_definition(req.definition, false, check);
    if (!c.diagnostics.empty()) return invalid_definition(c.diagnostics);
    return std::nullopt;
  }
  if (!state || member_string(*state, "Type") != "Task") return std::nullopt;
  std::string_view resource = member_string(*state, "Resource");
  if (resource.empty()) return std::nullopt;  // the engine reports it
  if (auto problem = check(resource)) {
    return invalid_definition({{"SCHEMA_VALIDATION_FAILED", *problem, "/Resource"}});
  }
  return std::nullopt;
}

// mock: the Task's answer, instead of calling the service.
struct Mock {
  std::optional<json::Value> result;
  std::string error;
  std::string cause;
};

// Answers every Task attempt with the mock; owned by the test's completion callback.
class MockTasks final : public ex::TaskHandler {
 public:
  explicit MockTasks(Mock mock) : mock_(std::move(mock)) {}
  void start(const ex::TaskRequest&, std::shared_ptr<ex::TaskHandle> handle) override {
    if (mock_.result) {
      handle->succeed(*mock_.result);
    } else {
      handle->fail(mock_.error, mock_.cause);
    }
  }

 private:
  Mock mock_;
};

// Reads and checks `mock` (MockInput); the tested state must be a Task.
SfnResult<Mock> read_mock(const json::Object& body, const std::optional<json::Value>& state) {
  using mocks::FieldValidation;
  RequestFields f(body);
  auto result = f.string("result", {false, 0, kMaxData, true});
  const json::Object* error_output = f.object("errorOutput");
  auto mode = f.enumeration("fieldValidationMode", {"STRICT", "PRESENT", "NONE"},
                            "[STRICT, PRESENT, NONE]");
  std::optional<std::string> error, cause;
  if (error_output) {
    RequestFields e(*error_output);
    error = e.string("error", {false, 0, 256, true});
    cause = e.string("cause", {false, 0, 32768, true});
    if (!e.ok()) return e.error();
  }
  if (!f.ok()) return f.error();
  if (result.has_value() == (error_output != nullptr)) {
    return validation_error("A mock must specify exactly one of result and errorOutput");
  }
  if (error_output && !error) {
    return validation_error("mock.errorOutput.error is required when errorOutput is specified");
  }
  std::string_view type = state ? member_string(*state, "Type") : std::string_view();
  if (state && type != "Task" && type != "Map" && type != "Parallel") {
    return validation_error("A mock can only be specified for Task, Map, or Parallel states");
  }
  Mock m;
  if (result) {
    auto parsed = json::parse(*result);
    if (!parsed.ok()) {
      return validation_error("mock.result is not valid JSON: " + parsed.error().message);
    }
    m.result = std::move(*parsed);
    const std::string mode_name = mode.value_or("STRICT");
    FieldValidation validation = mode_name == "NONE"      ? FieldValidation::kNone
                                 : mode_name == "PRESENT" ? FieldValidation::kPresent
                                                          : FieldValidation::kStrict;
    if (state && type == "Task") {
      if (auto problem =
              mocks::check_mock_result(member_string(*state, "Resource"), *m.result, validation)) {
        return validation_error(std::move(*problem));
      }
    }
  } else {
    m.error = std::move(*error);
    m.cause = cause.value_or("");
  }
  return m;
}

SfnError rejection_error(ex::TestStateRejection r) {
  switch (r.kind) {
    case ex::TestStateRejection::Kind::kInvalidDefinition:
      return sfn_error("InvalidDefinition", std::move(r.message));
    case ex::TestStateRejection::Kind::kInvalidExecutionInput:
      return sfn_error("InvalidExecutionInput", std::move(r.message));
    case ex::TestStateRejection::Kind::kValidation:
      break;
  }
  return validation_error(std::move(r.message));
}

void test_state(SfnContext& ctx, json::Value request, SfnReply reply, ex::Clock& clock,
                ex::TimerService& timers) {
  RequestFields f(request);
  auto definition = f.string("definition", {true, 1, kMaxDefinition, true});
  auto role = f.string("roleArn", {false, 1, 256});
  auto input = f.string("input", {false, 0, kMaxData, true});
  auto level = f.enumeration("inspectionLevel", {"INFO", "DEBUG", "TRACE"}, "[INFO, DEBUG, TRACE]");
  // No connection adds secrets here: nothing to reveal or hide.
  auto reveal_secrets = f.boolean("revealSecrets");
  auto variables = f.string("variables", {false, 0, kMaxData, true});
  auto state_name = f.string("stateName", {false, 1, 80, true});
  const json::Object* mock = f.object("mock");
  auto context = f.string("context", {false, 0, kMaxData, true});
  const json::Object* configuration = f.object("stateConfiguration");
  if (reply_if_invalid(f, reply)) return;

  if (context && !mock) {
    return reply(validation_error("The context field may only be specified with a mock"));
  }
  if (mock && reveal_secrets.value_or(false)) {
    return reply(validation_error("revealSecrets cannot be specified when a mock is specified"));
  }
  std::optional<int64_t> retrier_retry_count, map_failures;
  std::optional<std::string> caused_by, reader_data;
  if (configuration) {
    RequestFields c(*configuration);
    retrier_retry_count = c.integer("retrierRetryCount", 0, INT32_MAX);
    caused_by = c.string("errorCausedByState", {false, 1, 80, true});
    map_failures = c.integer("mapIterationFailureCount", 0, INT32_MAX);
    reader_data = c.string("mapItemReaderData", {false, 0, kMaxData, true});
    if (reply_if_invalid(c, reply)) return;
  }
  if (role && !is_role_arn(*role)) {
    return reply(sfn_error("InvalidArn", "Invalid Role Arn: '" + *role + "'"));
  }

  ex::TestStateRequest req;
  req.definition = *definition;
  if (state_name) req.state_name = *state_name;
  if (input) req.input = *input;
  if (variables) req.variables = *variables;
  if (level) req.inspection_level = *ex::parse_inspection_level(*level);
  if (role) req.role_arn = *role;
  if (context) req.context = *context;
  req.retrier_retry_count = retrier_retry_count;
  req.mocked = mock != nullptr;
  if (caused_by) req.error_caused_by_state = *caused_by;
  req.map_iteration_failure_count = map_failures;
  if (reader_data) req.map_item_reader_data = *reader_data;

  std::optional<json::Value> state = tested_state(req);
  std::shared_ptr<MockTasks> mocked;
  if (mock) {
    // A mocked Task calls nothing, so it may name a resource no integration here serves.
    auto m = read_mock(*mock, state);
    if (!m) return reply(std::move(m).error());
    std::string_view type = state ? member_string(*state, "Type") : std::string_view();
    if (!m->result && !caused_by && (type == "Map" || type == "Parallel")) {
      // AWS: the state inside it that raised the error must be named.
      return reply(validation_error(
          "errorCausedByState must be specified when mocking an error for a Map or Parallel "
          "state"));
    }
    mocked = std::make_shared<MockTasks>(std::move(*m));
  } else if (auto bad = check_resources(req, state, ctx.services.check_resource)) {
    return reply(std::move(*bad));
  } else if (!role && state && member_string(*state, "Type") == "Task") {
    // A Task really calls its service, as the role would: AWS wants the role named.
    return reply(validation_error("RoleArn must be specified when testing a Task state"));
  }

  ex::TestStateServices services;
  services.clock = &clock;
  services.timers = &timers;
  services.tasks = mocked ? mocked.get() : ctx.services.tasks;
  std::string name = storage::random_uuid();
  services.info.state_machine_name = std::string(kTestMachine);
  services.info.state_machine_arn = state_machine_arn(ctx.identity, kTestMachine);
  services.info.name = name;
  services.info.execution_arn = execution_arn(ctx.identity, kTestMachine, name);
  services.info.region = ctx.identity.region;

  auto rejected =
      ex::start_test_state(req, std::move(services), [reply, mocked](ex::TestStateResult r) {
        reply(SfnOutcome::json_text(ex::test_state_result_json(r)));
      });
  if (rejected) reply(rejection_error(std::move(*rejected)));
}

}  // namespace

void register_test_state_action(ActionTable& actions, engine::executor::Clock& clock,
                                engine::executor::TimerService& timers) {
  actions.add("TestState", [&clock, &timers](SfnContext& ctx, json::Value request, SfnReply reply) {
    test_state(ctx, std::move(request), std::move(reply), clock, timers);
  });
}

}  // namespace sluice::states
