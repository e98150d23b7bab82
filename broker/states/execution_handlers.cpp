// StartExecution, StartSyncExecution, DescribeExecution, StopExecution, ListExecutions,
// GetExecutionHistory, DescribeStateMachineForExecution and RedriveExecution: decoding and output;
// the ExecutionRunner does the work.
#include "broker/states/catalog/catalog.h"
#include "broker/states/catalog/machine_config.h"
#include "broker/states/executions/execution_runner.h"
#include "broker/states/handler_support.h"
#include "broker/states/handlers.h"
#include "broker/states/map_runs/item_processor_lookup.h"
#include "broker/states/map_runs/map_run_registry.h"
#include "broker/states/states_arn.h"

namespace sluice::states {

namespace {

using engine::executor::execution_status_name;
using engine::executor::ExecutionStatus;

bool include_data(RequestFields& f) {
  auto v =
      f.enumeration("includedData", {"ALL_DATA", "METADATA_ONLY"}, "[ALL_DATA, METADATA_ONLY]");
  return !v || *v == "ALL_DATA";
}

ExecutionRunner::StartRequest read_start(RequestFields& f) {
  ExecutionRunner::StartRequest r;
  auto arn = f.string("stateMachineArn", {true, 1, 256});
  r.name = f.string("name", {false, 1, 80});
  r.input = f.string("input", {false, 0, 262144, true});
  auto trace = f.string("traceHeader", {false, 0, 256});
  if (arn) r.state_machine_arn = std::move(*arn);
  if (trace) r.trace_header = std::move(*trace);
  return r;
}

// The bytes a start holds until it is answered (ExecutionRunner::start_backlog): its input and
// name, and what it holds besides them (its record, summary and live state).
constexpr std::size_t kStartOverheadBytes = 512;
std::size_t start_bytes(const ExecutionRunner::StartRequest& r) {
  return kStartOverheadBytes + (r.input ? r.input->size() : 0) + (r.name ? r.name->size() : 0);
}

// A start that would take the backlog past --max-uncommitted-mib: every SDK retries this one.
SfnError start_throttled() {
  return sfn_error("ThrottlingException", "Rate exceeded");
}

void start_execution(SfnContext& ctx, json::Value request, SfnReply reply) {
  RequestFields f(request);
  auto r = read_start(f);
  if (reply_if_invalid(f, reply)) return;
  storage::CommitBacklog& backlog = ctx.services.runner->start_backlog();
  const std::size_t bytes = start_bytes(r);
  if (!backlog.admit(bytes)) return reply(start_throttled());
  ctx.services.runner->start(std::move(r),
                             [reply, &backlog, bytes](SfnResult<ExecutionRunner::Started> res) {
                               backlog.release(bytes);
                               if (!res) return reply(std::move(res).error());
                               reply(render_object([&](protocol::JsonWriter& w) {
                                 w.string_member("executionArn", res->execution_arn);
                                 timestamp_member(w, "startDate", res->start_ms);
                               }));
                             });
}

void start_sync_execution(SfnContext& ctx, json::Value request, SfnReply reply) {
  RequestFields f(request);
  auto r = read_start(f);
  bool data = include_data(f);
  if (reply_if_invalid(f, reply)) return;
  std::string trace = r.trace_header;
  storage::CommitBacklog& backlog = ctx.services.runner->start_backlog();
  const std::size_t bytes = start_bytes(r);
  if (!backlog.admit(bytes)) return reply(start_throttled());
  ctx.services.runner->start_sync(
      std::move(r), [reply, data, trace, &backlog, bytes](SfnResult<ExecutionView> res) {
        backlog.release(bytes);
        if (!res) return reply(std::move(res).error());
        const ExecutionView& v = *res;
        reply(render_object([&](protocol::JsonWriter& w) {
          w.string_member("executionArn", v.execution_arn);
          w.string_member("stateMachineArn", v.state_machine_arn);
          w.string_member("name", v.name);
          timestamp_member(w, "startDate", v.start_ms);
          timestamp_member(w, "stopDate", v.stop_ms);
          w.string_member("status", execution_status_name(v.status));
          if (v.error) w.string_member("error", *v.error);
          if (v.cause) w.string_member("cause", *v.cause);
          if (data) w.string_member("input", v.input);
          w.key("inputDetails");
          w.begin_object();
          w.boolean_member("included", data);
          w.end_object();
          if (v.output) {
            if (data) w.string_member("output", *v.output);
            w.key("outputDetails");
            w.begin_object();
            w.boolean_member("included", data);
            w.end_object();
          }
          w.optional_string_member("traceHeader", trace);
          // Billed as AWS bills Express: the duration rounded up to the next 100 ms, 64 MB.
          int64_t billed = std::max<int64_t>(100, (v.stop_ms - v.start_ms + 99) / 100 * 100);
          w.key("billingDetails");
          w.begin_object();
          w.integer_member("billedMemoryUsedInMB", 64);
          w.integer_member("billedDurationInMilliseconds", billed);
          w.end_object();
        }));
      });
}

void describe_execution(SfnContext& ctx, json::Value request, SfnReply reply) {
  RequestFields f(request);
  auto arn = f.string("executionArn", {true, 1, 256});
  bool data = include_data(f);
  if (reply_if_invalid(f, reply)) return;
  auto v = ctx.services.runner->describe(*arn);
  if (!v) return reply(std::move(v).error());
  reply(render_object([&](protocol::JsonWriter& w) { write_describe_execution(w, *v, data); }));
}

void stop_execution(SfnContext& ctx, json::Value request, SfnReply reply) {
  RequestFields f(request);
  auto arn = f.string("executionArn", {true, 1, 256});
  auto error = f.string("error", {false, 0, 256, true});
  auto cause = f.string("cause", {false, 0, 32768, true});
  if (reply_if_invalid(f, reply)) return;
  ctx.services.runner->stop(
      *arn, std::move(error), std::move(cause), [reply](SfnResult<int64_t> r) {
        if (!r) return reply(std::move(r).error());
        reply(render_object([&](protocol::JsonWriter& w) { timestamp_member(w, "stopDate", *r); }));
      });
}

// ListExecutions by mapRunArn: the map run's child executions, newest first.
void list_map_run_executions(SfnContext& ctx, const std::string& map_run_arn,
                             const std::optional<std::string>& status, std::optional<int64_t> max,
                             const std::optional<std::string>& token, const SfnReply& reply) {
  auto parsed = parse_states_arn(map_run_arn);
  if (!parsed) return reply(std::move(parsed).error());
  if (parsed->kind != ArnKind::kMapRun) return reply(wrong_arn_kind(parsed->kind));
  MapRun* run = ctx.services.map_runs ? ctx.services.map_runs->find(map_run_arn) : nullptr;
  if (run == nullptr) {
    SfnError e = sfn_error("ResourceNotFound", "Resource not found: '" + map_run_arn + "'");
    e.extra.set("resourceName", json::Value(map_run_arn));
    return reply(std::move(e));
  }
  std::size_t from = 0;
  if (token) {
    auto pos = decode_page_token("executions", *token);
    std::size_t nl = pos ? pos->rfind('\n') : std::string::npos;
    if (!pos || nl == std::string::npos || pos->substr(0, nl) != map_run_arn ||
        pos->find_first_not_of("0123456789", nl + 1) != std::string::npos ||
        nl + 1 == pos->size()) {
      return reply(invalid_token());
    }
    from = std::stoull(pos->substr(nl + 1));
  }
  const std::size_t limit = page_size(max);
  const auto& children = run->children();
  const std::string machine_arn =
      state_machine_arn(ctx.services.catalog->identity(),
                        parsed->machine.substr(0, parsed->machine.find('/')) + "/" + run->label());
  auto status_of = [](MapRun::ChildState s) {
    switch (s) {
      case MapRun::ChildState::kSucceeded:
        return "SUCCEEDED";
      case MapRun::ChildState::kFailed:
        return "FAILED";
      case MapRun::ChildState::kTimedOut:
        return "TIMED_OUT";
      case MapRun::ChildState::kAborted:
        return "ABORTED";
      default:
        return "RUNNING";
    }
  };
  reply(render_object([&](protocol::JsonWriter& w) {
    w.key("executions");
    w.begin_array();
    std::size_t n = 0, i = from;
    for (; i < children.size(); ++i) {
      const MapRun::Child& c = children[children.size() - 1 - i];
      if (c.arn.empty()) continue;  // not started
      const char* st = status_of(c.state);
      if (status && *status != st) continue;
      if (n == limit) break;
      w.begin_object();
      w.string_member("executionArn", c.arn);
      w.string_member("stateMachineArn", machine_arn);
      w.string_member("name", c.name);
      w.string_member("status", st);
      timestamp_member(w, "startDate", c.start_ms);
      if (c.state != MapRun::ChildState::kRunning) timestamp_member(w, "stopDate", c.stop_ms);
      w.string_member("mapRunArn", map_run_arn);
      w.integer_member("itemCount", c.items);
      w.integer_member("redriveCount", 0);
      w.end_object();
      ++n;
    }
    w.end_array();
    if (i < children.size()) {
      w.string_member("nextToken",
                      encode_page_token("executions", map_run_arn + "\n" + std::to_string(i)));
    }
  }));
}

void list_executions(SfnContext& ctx, json::Value request, SfnReply reply) {
  RequestFields f(request);
  auto arn = f.string("stateMachineArn", {false, 1, 256});
  auto status = f.enumeration(
      "statusFilter", {"RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE"},
      "[SUCCEEDED, TIMED_OUT, PENDING_REDRIVE, ABORTED, FAILED, RUNNING]");
  auto max = f.integer("maxResults", 0, 1000);
  auto token = f.string("nextToken", {false, 1, 3096});
  auto map_run = f.string("mapRunArn", {false, 1, 2000});
  auto redrive =
      f.enumeration("redriveFilter", {"REDRIVEN", "NOT_REDRIVEN"}, "[REDRIVEN, NOT_REDRIVEN]");
  if (!arn && !map_run) f.violation("Must provide a StateMachine ARN or MapRun ARN");
  if (reply_if_invalid(f, reply)) return;
  if (map_run && arn) {
    return reply(sfn_error("ValidationException",
                           "Only one of StateMachine ARN or MapRun ARN can be provided"));
  }
  if (map_run) return list_map_run_executions(ctx, *map_run, status, max, token, reply);
  auto parsed = parse_states_arn(*arn);
  if (!parsed) return reply(std::move(parsed).error());
  if (parsed->kind != ArnKind::kStateMachine && parsed->kind != ArnKind::kStateMachineVersion &&
      parsed->kind != ArnKind::kStateMachineAlias) {
    return reply(wrong_arn_kind(parsed->kind));
  }
  Catalog& catalog = *ctx.services.catalog;
  StateMachineEntry* m =
      catalog.is_local(*parsed) ? catalog.find_machine(parsed->machine) : nullptr;
  if (m && parsed->kind == ArnKind::kStateMachineVersion && !m->versions.count(parsed->version)) {
    m = nullptr;
  }
  if (m && parsed->kind == ArnKind::kStateMachineAlias && !m->aliases.count(parsed->qualifier)) {
    m = nullptr;
  }
  if (!m) {
    return reply(
        sfn_error("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + *arn + "'"));
  }
  if (m->express()) {
    return reply(sfn_error("StateMachineTypeNotSupported",
                           "This operation is not supported by this type of state machine"));
  }
  uint64_t before = 0;
  if (token) {
    auto pos = decode_page_token("executions", *token);
    std::size_t nl = pos ? pos->rfind('\n') : std::string::npos;
    if (!pos || nl == std::string::npos || pos->substr(0, nl) != *arn ||
        pos->find_first_not_of("0123456789", nl + 1) != std::string::npos ||
        nl + 1 == pos->size()) {
      return reply(invalid_token());
    }
    before = std::stoull(pos->substr(nl + 1));
  }
  std::size_t limit = page_size(max);
  std::string machine_arn = catalog.arn_of(*m);
  reply(render_object([&](protocol::JsonWriter& w) {
    w.key("executions");
    w.begin_array();
    std::size_t n = 0;
    uint64_t last = 0;
    bool more = false;
    ctx.services.runner->index().newest_first(m->name, before, [&](const ExecutionSummary& s) {
      if (parsed->kind == ArnKind::kStateMachineVersion && s.version_arn != *arn) return true;
      if (parsed->kind == ArnKind::kStateMachineAlias && s.alias_arn != *arn) return true;
      if (status && execution_status_name(s.status) != *status) return true;
      if (redrive && (*redrive == "REDRIVEN") != (s.redrive_count > 0)) return true;
      if (n == limit) {
        more = true;
        return false;
      }
      w.begin_object();
      w.string_member("executionArn", s.arn);
      w.string_member("stateMachineArn", machine_arn);
      w.string_member("name", s.name);
      w.string_member("status", execution_status_name(s.status));
      timestamp_member(w, "startDate", s.start_ms);
      if (s.status != ExecutionStatus::kRunning) timestamp_member(w, "stopDate", s.stop_ms);
      w.optional_string_member("stateMachineVersionArn", s.version_arn);
      w.optional_string_member("stateMachineAliasArn", s.alias_arn);
      w.integer_member("redriveCount", s.redrive_count);
      if (s.redrive_ms != 0) timestamp_member(w, "redriveDate", s.redrive_ms);
      w.end_object();
      last = s.id;
      ++n;
      return true;
    });
    w.end_array();
    if (more) {
      w.string_member("nextToken",
                      encode_page_token("executions", *arn + "\n" + std::to_string(last)));
    }
  }));
}

void get_execution_history(SfnContext& ctx, json::Value request, SfnReply reply) {
  RequestFields f(request);
  auto arn = f.string("executionArn", {true, 1, 256});
  auto max = f.integer("maxResults", 0, 1000);
  auto reverse = f.boolean("reverseOrder");
  auto token = f.string("nextToken", {false, 1, 1024});
  auto data = f.boolean("includeExecutionData");
  if (reply_if_invalid(f, reply)) return;
  auto page = ctx.services.runner->history(*arn, page_size(max), reverse.value_or(false), token,
                                           data.value_or(true));
  if (!page) return reply(std::move(page).error());
  std::string body = "{\"events\":[";
  body += page->events;
  body += ']';
  if (page->next_token) {
    body += ",\"nextToken\":";
    protocol::append_json_string(body, *page->next_token);
  }
  body += '}';
  reply(SfnOutcome::json_text(std::move(body)));
}

void describe_state_machine_for_execution(SfnContext& ctx, json::Value request, SfnReply reply) {
  RequestFields f(request);
  auto arn = f.string("executionArn", {true, 1, 256});
  include_data(f);
  if (reply_if_invalid(f, reply)) return;
  auto s = ctx.services.runner->summary(*arn);
  if (!s) return reply(std::move(s).error());
  Catalog& catalog = *ctx.services.catalog;
  RevisionPtr r = catalog.revision((*s)->revision);
  if (!r) return reply(internal_failure("The execution's state machine revision is missing"));
  reply(render_object([&](protocol::JsonWriter& w) {
    w.string_member("stateMachineArn", state_machine_arn(catalog.identity(), (*s)->machine));
    w.string_member("name", (*s)->machine);
    if ((*s)->map_run_arn.empty()) {
      write_revision_config(w, *r);
    } else {
      // A map run's child: its definition is the item processor; AWS names its map run and
      // label here.
      std::string_view label = map_run_label_of((*s)->machine);
      w.string_member("definition",
                      item_processor_definition(r->definition, label).value_or(r->definition));
      w.string_member("roleArn", r->role_arn);
      w.string_member("mapRunArn", (*s)->map_run_arn);
      w.string_member("label", std::string(label));
    }
    timestamp_member(w, "updateDate", r->update_ms);
    w.optional_string_member("revisionId", r->revision_id);
  }));
}

void redrive_execution(SfnContext& ctx, json::Value request, SfnReply reply) {
  RequestFields f(request);
  auto arn = f.string("executionArn", {true, 1, 256});
  auto token = f.string("clientToken", {false, 1, 64});
  if (reply_if_invalid(f, reply)) return;
  ctx.services.runner->redrive(*arn, token ? *token : std::string(), [reply](SfnResult<int64_t> r) {
    if (!r) return reply(std::move(r).error());
    reply(render_object([&](protocol::JsonWriter& w) { timestamp_member(w, "redriveDate", *r); }));
  });
}

}  // namespace

void register_execution_actions(ActionTable& actions) {
  actions.add("StartExecution", start_execution);
  actions.add("StartSyncExecution", start_sync_execution);
  actions.add("DescribeExecution", describe_execution);
  actions.add("StopExecution", stop_execution);
  actions.add("ListExecutions", list_executions);
  actions.add("GetExecutionHistory", get_execution_history);
  actions.add("DescribeStateMachineForExecution", describe_state_machine_for_execution);
  actions.add("RedriveExecution", redrive_execution);
}

}  // namespace sluice::states
