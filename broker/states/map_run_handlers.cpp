// DescribeMapRun, ListMapRuns and UpdateMapRun. Sluice runs inline Map states only (no
// Distributed Map), so no map run ever exists: a map run ARN is ResourceNotFound, any other ARN
// InvalidArn, and an execution lists no map runs.
#include "broker/states/executions/execution_runner.h"
#include "broker/states/handler_support.h"
#include "broker/states/handlers.h"
#include "broker/states/states_arn.h"

namespace sluice::states {

namespace {

void no_such_map_run(SfnContext&, json::Value request, SfnReply reply) {
  RequestFields f(request);
  auto arn = f.string("mapRunArn", {true, 1, 2000});
  f.integer("maxConcurrency", 0, std::numeric_limits<int64_t>::max());
  f.integer("toleratedFailureCount", 0, std::numeric_limits<int64_t>::max());
  if (reply_if_invalid(f, reply)) return;
  auto parsed = parse_states_arn(*arn);
  if (!parsed) return reply(std::move(parsed).error());
  if (parsed->kind != ArnKind::kMapRun) return reply(wrong_arn_kind(parsed->kind));
  SfnError e = sfn_error("ResourceNotFound", "Resource not found: '" + *arn + "'");
  e.extra.set("resourceName", json::Value(*arn));
  reply(std::move(e));
}

void list_map_runs(SfnContext& ctx, json::Value request, SfnReply reply) {
  RequestFields f(request);
  auto arn = f.string("executionArn", {true, 1, 256});
  f.integer("maxResults", 0, 1000);
  auto token = f.string("nextToken", {false, 1, 1024});
  if (reply_if_invalid(f, reply)) return;
  auto s = ctx.services.runner->summary(*arn);
  if (!s) return reply(std::move(s).error());
  if (token) return reply(invalid_token());
  reply(SfnOutcome::json_text("{\"mapRuns\":[]}"));
}

}  // namespace

void register_map_run_actions(ActionTable& actions) {
  actions.add("DescribeMapRun", no_such_map_run);
  actions.add("UpdateMapRun", no_such_map_run);
  actions.add("ListMapRuns", list_map_runs);
}

}  // namespace sluice::states
