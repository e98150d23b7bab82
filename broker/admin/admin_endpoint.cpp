// The admin API's handlers: route, call the service, render JSON.
#include "broker/admin/admin_endpoint.h"

#include <memory>
#include <string>
#include <vector>

#include "broker/admin/message_listing.h"
#include "broker/admin/state_reset.h"
#include "broker/protocol/json_writer.h"
#include "broker/states/catalog/catalog.h"
#include "broker/states/executions/execution_runner.h"
#include "broker/states/wire_format.h"
#include "storage/queue/queue_store.h"

namespace sluice::admin {

namespace {
constexpr std::string_view kJson = "application/json";

http::Response json_response(int status, std::string body) {
  http::Response r;
  r.status = status;
  r.content_type = std::string(kJson);
  r.body = std::move(body);
  return r;
}

void send_error(http::Responder& res, const AdminError& e) {
  std::string body;
  protocol::JsonWriter w(body);
  w.begin_object();
  w.string_member("error", e.error);
  w.string_member("message", e.message);
  w.end_object();
  res.send(json_response(e.status, std::move(body)));
}

AdminError queue_missing(const std::string& name) {
  return {404, "QueueDoesNotExist", "The queue " + name + " does not exist."};
}

// The reply of a reset: {"reset": WHAT, MEMBER: COUNT, ...}.
std::string reset_body(std::string_view what,
                       std::initializer_list<std::pair<std::string_view, int64_t>> counts) {
  std::string body;
  protocol::JsonWriter w(body);
  w.begin_object();
  w.string_member("reset", what);
  for (const auto& [name, n] : counts) w.integer_member(name, n);
  w.end_object();
  return body;
}
}  // namespace

void AdminEndpoint::handle(http::Request&& request, http::Responder responder) {
  auto route = route_admin(request.method, request.path());
  if (!route) return send_error(responder, route.error());
  switch (route->action) {
    case AdminAction::kEvents: {
      auto query = parse_event_query(request.query());
      if (!query) return send_error(responder, query.error());
      auto opened = streams_.open(*query, responder);
      if (!opened) return send_error(responder, opened.error());
      return;
    }
    case AdminAction::kListExpress:
      return responder.send(json_response(200, express_list()));
    case AdminAction::kDescribeExpress: {
      auto view = services_.runner->express_view(route->name);
      if (!view) {
        return send_error(responder, {404, "ExecutionDoesNotExist",
                                      "Execution Does Not Exist: '" + route->name + "'"});
      }
      std::string body;
      protocol::JsonWriter w(body);
      w.begin_object();
      states::write_describe_execution(w, *view, true);
      w.end_object();
      return responder.send(json_response(200, std::move(body)));
    }
    case AdminAction::kListMessages:
      return list_messages(*route, request.query(), std::move(responder));
    case AdminAction::kResetQueue:
      return reset_queue(*route, std::move(responder));
    case AdminAction::kResetStateMachine:
      return reset_state_machine(*route, std::move(responder));
    case AdminAction::kResetAll:
      return reset_all(std::move(responder));
  }
}

// {"executions":[...]}: ListExecutions' members of every Express execution the runner keeps.
std::string AdminEndpoint::express_list() const {
  std::string body;
  protocol::JsonWriter w(body);
  w.begin_object();
  w.key("executions");
  w.begin_array();
  services_.runner->for_each_express([&](const states::ExecutionView& v) {
    w.begin_object();
    w.string_member("executionArn", v.execution_arn);
    w.string_member("stateMachineArn", v.state_machine_arn);
    w.string_member("name", v.name);
    w.string_member("status", engine::executor::execution_status_name(v.status));
    states::timestamp_member(w, "startDate", v.start_ms);
    if (v.status != engine::executor::ExecutionStatus::kRunning) {
      states::timestamp_member(w, "stopDate", v.stop_ms);
    }
    if (!v.map_run_arn.empty()) w.string_member("mapRunArn", v.map_run_arn);
    w.end_object();
  });
  w.end_array();
  w.end_object();
  return body;
}

void AdminEndpoint::list_messages(const AdminRoute& route, std::string_view query,
                                  http::Responder responder) {
  auto paging = parse_paging(query);
  if (!paging) return send_error(responder, paging.error());
  auto kind = services_.queues->queue_kind(route.name);
  if (!kind) return send_error(responder, queue_missing(route.name));
  auto page = services_.queues->peek(route.name, paging->after, paging->limit);
  if (!page) {
    return send_error(responder, {500, "InternalFailure", page.error().message});
  }
  responder.send(json_response(200, render_message_page(route.name, kind->fifo, *page)));
}

void AdminEndpoint::reset_queue(const AdminRoute& route, http::Responder responder) {
  auto view = services_.queues->get_queue(route.name);
  if (!view) return send_error(responder, queue_missing(route.name));
  const storage::QueueCounts before = view->counts;
  auto res = std::make_shared<http::Responder>(std::move(responder));
  services_.queues->purge_queue(
      route.name,
      [res, name = route.name, before](Status st) {
        if (!st) return send_error(*res, {500, "InternalFailure", st.error().message});
        const auto purged =
            static_cast<int64_t>(before.visible + before.in_flight + before.delayed);
        res->send(json_response(200, reset_body("queue", {{"purgedMessages", purged}})));
      },
      storage::PurgeInterval::kWaived);
}

void AdminEndpoint::reset_state_machine(const AdminRoute& route, http::Responder responder) {
  if (!services_.catalog->find_machine(route.name)) {
    return send_error(responder, {404, "StateMachineDoesNotExist",
                                  "The state machine " + route.name + " does not exist."});
  }
  std::vector<std::string> running;
  services_.runner->index().for_each([&](states::ExecutionSummary& s) {
    if (s.machine == route.name && s.committed &&
        s.status == engine::executor::ExecutionStatus::kRunning) {
      running.push_back(s.arn);
    }
  });
  auto res = std::make_shared<http::Responder>(std::move(responder));
  const auto stopped = static_cast<int64_t>(running.size());
  auto pending = std::make_shared<size_t>(running.size() + 1);
  auto failure = std::make_shared<std::optional<AdminError>>();
  // Then its executions, and those of its Distributed Maps' runs (state machine NAME/LABEL), are
  // deleted once stopped.
  auto answered = [res, pending, failure, stopped, services = services_, name = route.name] {
    if (--*pending != 0) return;
    if (*failure) return send_error(*res, **failure);
    delete_executions_of(
        services,
        [name](const states::ExecutionSummary& s) {
          return s.machine == name || s.machine.rfind(name + "/", 0) == 0;
        },
        [res, stopped](Result<size_t, AdminError> r) {
          if (!r) return send_error(*res, r.error());
          res->send(json_response(
              200, reset_body("stateMachine", {{"stoppedExecutions", stopped},
                                               {"deletedExecutions", static_cast<int64_t>(*r)}})));
        });
  };
  const std::string cause = "Stopped by POST /_sluice/state-machines/" + route.name + "/reset";
  for (const std::string& arn : running) {
    services_.runner->stop(
        arn, std::string("Sluice.Reset"), cause,
        [answered, failure, arn](states::SfnResult<int64_t> r) {
          // One that ended meanwhile is not a failure of the reset.
          if (!r && r.error().type != "ExecutionDoesNotExist" && !*failure) {
            *failure = AdminError{500, "ResetFailed", "stopping " + arn + ": " + r.error().message};
          }
          answered();
        });
  }
  answered();
}

void AdminEndpoint::reset_all(http::Responder responder) {
  auto res = std::make_shared<http::Responder>(std::move(responder));
  reset_everything(services_, [res](Result<ResetCounts, AdminError> r) {
    if (!r) return send_error(*res, r.error());
    res->send(json_response(
        200, reset_body("all", {{"pipes", static_cast<int64_t>(r->pipes)},
                                {"stateMachines", static_cast<int64_t>(r->state_machines)},
                                {"activities", static_cast<int64_t>(r->activities)},
                                {"queues", static_cast<int64_t>(r->queues)},
                                {"executions", static_cast<int64_t>(r->executions)}})));
  });
}

}  // namespace sluice::admin
