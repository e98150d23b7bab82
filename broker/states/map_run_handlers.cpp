// DescribeMapRun, ListMapRuns and UpdateMapRun: the map runs of Distributed Map states
// (broker/states/map_runs). A map run is known while this process runs it or ran it; after a
// restart, the map runs of executions that resumed are known again (README.md there says what is
// not).
#include <cmath>
#include <cstdio>
#include <limits>

#include "broker/states/executions/execution_runner.h"
#include "broker/states/handler_support.h"
#include "broker/states/handlers.h"
#include "broker/states/map_runs/map_run_registry.h"
#include "broker/states/states_arn.h"
#include "broker/states/wire_format.h"
#include "engine/json/json_serialize.h"

namespace sluice::states {

namespace {

SfnError map_run_missing(const std::string& arn) {
  SfnError e = sfn_error("ResourceNotFound", "Resource not found: '" + arn + "'");
  e.extra.set("resourceName", json::Value(arn));
  return e;
}

// The map run a request names: InvalidArn for what is not a map run ARN, ResourceNotFound for
// one that names no map run.
SfnResult<MapRun*> find_map_run(SfnContext& ctx, const std::string& arn) {
  auto parsed = parse_states_arn(arn);
  if (!parsed) return std::move(parsed).error();
  if (parsed->kind != ArnKind::kMapRun) return wrong_arn_kind(parsed->kind);
  MapRun* run = ctx.services.map_runs ? ctx.services.map_runs->find(arn) : nullptr;
  if (run == nullptr) return map_run_missing(arn);
  return run;
}

void number_member(protocol::JsonWriter& w, std::string_view name, double value) {
  char text[32];
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    std::snprintf(text, sizeof text, "%.1f", value);
  } else {
    std::snprintf(text, sizeof text, "%.17g", value);
  }
  w.key(name);
  w.raw_json(text);
}

void counts_member(protocol::JsonWriter& w, std::string_view name, const MapRunCounts& n) {
  w.key(name);
  w.begin_object();
  w.integer_member("pending", n.pending);
  w.integer_member("running", n.running);
  w.integer_member("succeeded", n.succeeded);
  w.integer_member("failed", n.failed);
  w.integer_member("timedOut", n.timed_out);
  w.integer_member("aborted", n.aborted);
  w.integer_member("total", n.total);
  w.integer_member("resultsWritten", 0);  // no ResultWriter: Sluice serves no S3
  w.integer_member("failuresNotRedrivable", n.failures_not_redrivable);
  w.integer_member("pendingRedrive", n.pending_redrive);
  w.end_object();
}

void describe_map_run(SfnContext& ctx, json::Value request, SfnReply reply) {
  RequestFields f(request);
  auto arn = f.string("mapRunArn", {true, 1, 2000});
  if (reply_if_invalid(f, reply)) return;
  auto run = find_map_run(ctx, *arn);
  if (!run) return reply(std::move(run).error());
  const MapRun& r = **run;
  reply(render_object([&](protocol::JsonWriter& w) {
    w.string_member("mapRunArn", r.arn());
    w.string_member("executionArn", r.execution_arn());
    w.string_member("status", map_run_status_name(r.status()));
    timestamp_member(w, "startDate", r.start_ms());
    if (r.status() != MapRunStatus::kRunning) timestamp_member(w, "stopDate", r.stop_ms());
    w.integer_member("maxConcurrency", r.max_concurrency());
    number_member(w, "toleratedFailurePercentage", r.tolerated_failure_percentage());
    w.integer_member("toleratedFailureCount", r.tolerated_failure_count());
    counts_member(w, "itemCounts", r.item_counts());
    counts_member(w, "executionCounts", r.execution_counts());
    w.integer_member("redriveCount", r.redrive_count());
    if (r.redrive_count() > 0) timestamp_member(w, "redriveDate", r.redrive_ms());
  }));
}

void update_map_run(SfnContext& ctx, json::Value request, SfnReply reply) {
  RequestFields f(request);
  auto arn = f.string("mapRunArn", {true, 1, 2000});
  auto max = f.integer("maxConcurrency", 0, std::numeric_limits<int64_t>::max());
  auto count = f.integer("toleratedFailureCount", 0, std::numeric_limits<int64_t>::max());
  std::optional<double> percentage;
  if (request.is_object()) {
    if (const json::Value* p = request.as_object().find("toleratedFailurePercentage")) {
      if (!p->is_number()) {
        f.type_error("toleratedFailurePercentage", "Float");
      } else if (p->as_number() < 0 || p->as_number() > 100) {
        f.violation("Value '" + json::serialize(*p) +
                    "' at 'toleratedFailurePercentage' failed to satisfy constraint: Member must "
                    "have value between 0 and 100");
      } else {
        percentage = p->as_number();
      }
    }
  }
  if (reply_if_invalid(f, reply)) return;
  auto run = find_map_run(ctx, *arn);
  if (!run) return reply(std::move(run).error());
  if (!max && !count && !percentage) {
    return reply(sfn_error("ValidationException",
                           "At least one of the parameters maxConcurrency, "
                           "toleratedFailurePercentage, toleratedFailureCount must be provided"));
  }
  // Answered once the new limits are durable: a restart keeps them (map_run_store.h).
  ctx.services.map_runs->update(**run, max, count, percentage, [reply = std::move(reply)](bool ok) {
    if (!ok) {
      return reply(internal_failure("The map run's new limits could not be recorded"));
    }
    reply(empty_output());
  });
}

void list_map_runs(SfnContext& ctx, json::Value request, SfnReply reply) {
  RequestFields f(request);
  auto arn = f.string("executionArn", {true, 1, 256});
  auto max = f.integer("maxResults", 0, 1000);
  auto token = f.string("nextToken", {false, 1, 1024});
  if (reply_if_invalid(f, reply)) return;
  auto s = ctx.services.runner->summary(*arn);
  if (!s) return reply(std::move(s).error());
  std::vector<MapRun*> runs;
  if (ctx.services.map_runs) runs = ctx.services.map_runs->of_execution(*arn);
  std::size_t from = 0;
  if (token) {
    auto pos = decode_page_token("mapRuns", *token);
    std::size_t nl = pos ? pos->rfind('\n') : std::string::npos;
    if (!pos || nl == std::string::npos || pos->substr(0, nl) != *arn ||
        pos->find_first_not_of("0123456789", nl + 1) != std::string::npos ||
        nl + 1 == pos->size()) {
      return reply(invalid_token());
    }
    from = std::stoull(pos->substr(nl + 1));
  }
  const std::size_t limit = page_size(max);
  const StatesIdentity& id = ctx.services.catalog->identity();
  const std::string machine = (*s)->machine;
  reply(render_object([&](protocol::JsonWriter& w) {
    w.key("mapRuns");
    w.begin_array();
    // Newest first, as AWS lists them.
    std::size_t n = 0, i = from;
    for (; i < runs.size() && n < limit; ++i, ++n) {
      const MapRun& r = *runs[runs.size() - 1 - i];
      w.begin_object();
      w.string_member("executionArn", r.execution_arn());
      w.string_member("mapRunArn", r.arn());
      w.string_member("stateMachineArn", state_machine_arn(id, machine + "/" + r.label()));
      timestamp_member(w, "startDate", r.start_ms());
      if (r.status() != MapRunStatus::kRunning) timestamp_member(w, "stopDate", r.stop_ms());
      w.end_object();
    }
    w.end_array();
    if (i < runs.size()) {
      w.string_member("nextToken", encode_page_token("mapRuns", *arn + "\n" + std::to_string(i)));
    }
  }));
}

}  // namespace

void register_map_run_actions(ActionTable& actions) {
  actions.add("DescribeMapRun", describe_map_run);
  actions.add("UpdateMapRun", update_map_run);
  actions.add("ListMapRuns", list_map_runs);
}

}  // namespace sluice::states
