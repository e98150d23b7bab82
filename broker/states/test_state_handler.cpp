// TestState: decodes the request, checks what the engine cannot do (variables, mocks, a given
// context, stateConfiguration: refused with a ValidationException rather than ignored) and the
// Task resources the server serves (as CreateStateMachine does), and runs
// the state through engine::executor::start_test_state with the server's task router, so a Task
// under test really calls its service, as AWS does. Answers when the state has run, which is
// later for an asynchronous task (an http:invoke call). Thread: the reactor thread.
#include "broker/states/catalog/definition_check.h"
#include "broker/states/handler_support.h"
#include "broker/states/handlers.h"
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

// The members of the model this server does not implement, with why.
SfnError unsupported(std::string_view member, std::string_view what) {
  return validation_error("The '" + std::string(member) +
                          "' parameter is not supported: " + std::string(what));
}

SfnError invalid_definition(const std::vector<engine::asl::Diagnostic>& diagnostics) {
  return sfn_error("InvalidDefinition", engine::asl::invalid_definition_message(diagnostics));
}

// The served-resource check CreateStateMachine makes (the engine validates the language only):
// a Task naming a resource no integration serves is an InvalidDefinition here too, not a
// States.Runtime failure of the test. nullopt when the definition passes.
std::optional<SfnError> check_resources(const ex::TestStateRequest& req,
                                        const ResourceCheck& check) {
  if (!check) return std::nullopt;
  if (req.state_name) {
    DefinitionCheck c = check_definition(req.definition, false, check);
    if (!c.diagnostics.empty()) return invalid_definition(c.diagnostics);
    return std::nullopt;
  }
  auto state = json::parse(req.definition);
  if (!state.ok() || !state->is_object()) return std::nullopt;  // the engine reports it
  const json::Object& o = state->as_object();
  const json::Value* type = o.find("Type");
  const json::Value* resource = o.find("Resource");
  if (!type || !type->is_string() || type->as_string() != "Task" || !resource ||
      !resource->is_string()) {
    return std::nullopt;
  }
  if (auto problem = check(resource->as_string())) {
    return invalid_definition({{"SCHEMA_VALIDATION_FAILED", *problem, "/Resource"}});
  }
  return std::nullopt;
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
  f.boolean("revealSecrets");  // no connection adds secrets here: nothing to reveal or hide
  auto variables = f.string("variables", {false, 0, kMaxData, true});
  auto state_name = f.string("stateName", {false, 1, 80, true});
  const json::Object* mock = f.object("mock");
  auto context = f.string("context", {false, 0, kMaxData, true});
  const json::Object* configuration = f.object("stateConfiguration");
  if (reply_if_invalid(f, reply)) return;

  if (context && !mock) {
    return reply(validation_error("The context field may only be specified with a mock"));
  }
  if (mock) return reply(unsupported("mock", "mocked task results are not implemented"));
  if (configuration) {
    return reply(unsupported("stateConfiguration", "it only applies to mocked states"));
  }
  if (variables) {
    return reply(unsupported("variables",
                             "workflow variables (JSONata, Assign) are not "
                             "implemented"));
  }
  if (role && !is_role_arn(*role)) {
    return reply(sfn_error("InvalidArn", "Invalid Role Arn: '" + *role + "'"));
  }

  ex::TestStateRequest req;
  req.definition = *definition;
  if (state_name) req.state_name = *state_name;
  if (input) req.input = *input;
  if (level) req.inspection_level = *ex::parse_inspection_level(*level);
  if (role) req.role_arn = *role;

  if (auto bad = check_resources(req, ctx.services.check_resource)) return reply(std::move(*bad));

  ex::TestStateServices services;
  services.clock = &clock;
  services.timers = &timers;
  services.tasks = ctx.services.tasks;
  std::string name = storage::random_uuid();
  services.info.state_machine_name = std::string(kTestMachine);
  services.info.state_machine_arn = state_machine_arn(ctx.identity, kTestMachine);
  services.info.name = name;
  services.info.execution_arn = execution_arn(ctx.identity, kTestMachine, name);
  services.info.region = ctx.identity.region;

  auto rejected = ex::start_test_state(req, std::move(services), [reply](ex::TestStateResult r) {
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
