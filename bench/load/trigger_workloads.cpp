#include "bench/load/trigger_workloads.h"

#include <simdjson.h>

#include <chrono>
#include <cmath>
#include <cstdio>

#include "bench/load/text_encoding.h"

namespace sluice::bench {

namespace {

constexpr uint64_t kRescanNs = 100'000'000;  // between ListExecutions scans while catching up

int64_t wall_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string pass_definition() {
  return R"({"Comment":"sluice-bench trigger target","StartAt":"Handled",)"
         R"("States":{"Handled":{"Type":"Pass","End":true}}})";
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Setup

TriggerSetupWorkload::TriggerSetupWorkload(const WorkloadContext& context, std::string region,
                                           uint32_t run_id)
    : context_(context), region_(std::move(region)) {
  // The account is the queue URL's first path segment (http://host/ACCOUNT/NAME).
  const std::string& url = context_.queues->urls[0];
  const size_t scheme = url.find("://");
  const size_t path = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  if (path != std::string::npos) {
    const size_t end = url.find('/', path + 1);
    account_ = url.substr(path + 1, end == std::string::npos ? std::string::npos : end - path - 1);
  }
  const std::string& queue_name = context_.queues->names[0];
  context_.trigger->queue_arn = "arn:aws:sqs:" + region_ + ":" + account_ + ":" + queue_name;
  context_.trigger->pipe_name = queue_name;
  char suffix[16];
  std::snprintf(suffix, sizeof(suffix), "%08x", run_id);
  machine_name_ = queue_name + "-pass-" + suffix;
}

std::string TriggerSetupWorkload::pipe_body(bool with_source) const {
  const TriggerLedger& t = *context_.trigger;
  std::string b = "{";
  if (with_source) {
    b += "\"Source\":";
    append_json_string(b, t.queue_arn);
    b += ',';
  }
  b += "\"Target\":";
  append_json_string(b, t.machine_arn);
  b += ",\"RoleArn\":";
  append_json_string(b, "arn:aws:iam::" + account_ + ":role/sluice-bench");
  b += ",\"DesiredState\":\"RUNNING\"";
  // A BatchSize above 10 needs a batching window (AWS's rule for SQS sources).
  const uint32_t window = t.pipe_batch_size > 10 ? 1 : 0;
  b += ",\"SourceParameters\":{\"SqsQueueParameters\":{\"BatchSize\":" +
       std::to_string(t.pipe_batch_size) +
       ",\"MaximumBatchingWindowInSeconds\":" + std::to_string(window) + "}}";
  b += ",\"TargetParameters\":{\"StepFunctionStateMachineParameters\":"
       "{\"InvocationType\":\"FIRE_AND_FORGET\"}}}";
  return b;
}

std::optional<PlannedRequest> TriggerSetupWorkload::next(size_t, uint64_t) {
  if (in_flight_ || done()) return std::nullopt;
  in_flight_ = true;
  PlannedRequest r;
  switch (step_) {
    case Step::kMachine:
      r.action = ApiAction::kCreateStateMachine;
      r.wire = context_.sfn->create_state_machine(machine_name_, pass_definition(),
                                                  "arn:aws:iam::" + account_ + ":role/sluice-bench",
                                                  false);
      break;
    case Step::kPipe:
      r.action = ApiAction::kCreatePipe;
      r.wire = context_.pipes->create_pipe(context_.trigger->pipe_name, pipe_body(true));
      break;
    case Step::kUpdate:
      r.action = ApiAction::kUpdatePipe;
      r.wire = context_.pipes->update_pipe(context_.trigger->pipe_name, pipe_body(false));
      break;
    case Step::kDone:
      in_flight_ = false;
      return std::nullopt;
  }
  return r;
}

void TriggerSetupWorkload::on_lost(const PlannedRequest& request) {
  in_flight_ = false;
  failed_ = true;
  failure_ = std::string(action_name(request.action)) + ": no response";
}

void TriggerSetupWorkload::fail(RunStats& stats, ApiAction action, const HttpResponse& response) {
  Failure f = context_.parser->error(response);
  stats.add_error(action, f.label, f.detail);
  failed_ = true;
  failure_ = std::string(action_name(action)) + ": HTTP " + std::to_string(response.status) + " " +
             f.label + (f.detail.empty() ? "" : " (" + f.detail + ")");
}

void TriggerSetupWorkload::on_response(const PlannedRequest& request, const HttpResponse& response,
                                       RunStats& stats, uint64_t) {
  in_flight_ = false;
  switch (step_) {
    case Step::kMachine: {
      if (response.status != 200) return fail(stats, request.action, response);
      simdjson::dom::parser parser;
      simdjson::dom::element doc;
      std::string_view arn;
      if (parser.parse(response.body).get(doc) || doc["stateMachineArn"].get(arn)) {
        stats.add_error(request.action, "bad-response", "no stateMachineArn");
        failed_ = true;
        failure_ = "CreateStateMachine: no stateMachineArn in the answer";
        return;
      }
      context_.trigger->machine_arn = std::string(arn);
      step_ = Step::kPipe;
      return;
    }
    case Step::kPipe:
      // A pipe of an earlier run: point it at this run's machine.
      if (response.status == 409) {
        step_ = Step::kUpdate;
        return;
      }
      if (response.status != 200) return fail(stats, request.action, response);
      step_ = Step::kDone;
      return;
    case Step::kUpdate:
      if (response.status != 200) return fail(stats, request.action, response);
      step_ = Step::kDone;
      return;
    case Step::kDone:
      return;
  }
}

// ---------------------------------------------------------------------------------------------
// The measured run

TriggerWorkload::TriggerWorkload(const WorkloadContext& context, const ProducerSettings& settings,
                                 uint32_t connections)
    : context_(context), producer_(context, settings), connections_(connections) {
  TriggerLedger* ledger = context_.trigger;
  producer_.observe_acks(
      [ledger](std::string_view message_id) { ledger->acknowledged(message_id, wall_us()); });
}

std::vector<PoolSpec> TriggerWorkload::pools() const {
  return {PoolSpec{"producers", connections_, true}};
}

std::optional<PlannedRequest> TriggerWorkload::next(size_t, uint64_t now_ns) {
  return producer_.next(now_ns);
}

void TriggerWorkload::on_response(const PlannedRequest& request, const HttpResponse& response,
                                  RunStats& stats, uint64_t) {
  producer_.on_response(request, response, stats);
}

void TriggerWorkload::on_measure_start() {
  producer_.restart_budget();
  context_.trigger->measuring(wall_us());
}

void TriggerWorkload::finish(RunStats&, StopReason) {
  context_.trigger->finished(wall_us());
}

// ---------------------------------------------------------------------------------------------
// Collecting the executions

TriggerCollectWorkload::TriggerCollectWorkload(const WorkloadContext& context, RunStats& measured,
                                               double timeout_s)
    : context_(context), measured_(measured), timeout_ns_(static_cast<uint64_t>(timeout_s * 1e9)) {}

std::optional<PlannedRequest> TriggerCollectWorkload::next(size_t, uint64_t now_ns) {
  if (in_flight_ || done_) return std::nullopt;
  if (last_new_ns_ == 0) last_new_ns_ = now_ns;
  if (next_token_.empty() && now_ns < rescan_at_ns_) return std::nullopt;
  in_flight_ = true;
  PlannedRequest r;
  r.action = ApiAction::kListExecutions;
  r.wire = context_.sfn->list_executions(context_.trigger->machine_arn, next_token_);
  return r;
}

void TriggerCollectWorkload::on_lost(const PlannedRequest&) {
  in_flight_ = false;
  next_token_.clear();
}

void TriggerCollectWorkload::on_response(const PlannedRequest& request,
                                         const HttpResponse& response, RunStats& stats,
                                         uint64_t now_ns) {
  in_flight_ = false;
  if (response.status != 200) {
    Failure f = context_.parser->error(response);
    stats.add_error(request.action, f.label, f.detail);
    next_token_.clear();
    rescan_at_ns_ = now_ns + kRescanNs;
    return;
  }
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  simdjson::dom::array executions;
  if (parser.parse(response.body).get(doc) || doc["executions"].get(executions)) {
    stats.add_error(request.action, "bad-response", "no executions in ListExecutions");
    done_ = true;
    return;
  }
  TriggerLedger& t = *context_.trigger;
  const size_t before = found_.size();
  {
    std::lock_guard<std::mutex> lock(t.mu);
    for (simdjson::dom::element e : executions) {
      std::string_view name;
      double start_s = 0;
      if (e["name"].get(name) || e["startDate"].get(start_s)) continue;
      if (!t.acked_us.count(std::string(name))) continue;
      found_.emplace(std::string(name), std::llround(start_s * 1000.0));
    }
  }
  if (found_.size() > before) last_new_ns_ = now_ns;
  std::string_view token;
  if (!doc["nextToken"].get(token)) {
    next_token_.assign(token);
    return;
  }
  next_token_.clear();
  size_t expected = 0;
  {
    std::lock_guard<std::mutex> lock(t.mu);
    // With batches, only a batch's first message names an execution: every message is then
    // accounted for once no new execution has appeared for a while.
    expected = t.pipe_batch_size == 1 ? t.acked_us.size() : 0;
  }
  const bool complete = expected != 0 && found_.size() >= expected;
  const bool quiet = now_ns - last_new_ns_ > (expected == 0 ? 2'000'000'000ull : timeout_ns_);
  if (complete || quiet) {
    done_ = true;
    return;
  }
  rescan_at_ns_ = now_ns + kRescanNs;
}

void TriggerCollectWorkload::finish(RunStats&, StopReason) {
  TriggerLedger& t = *context_.trigger;
  std::lock_guard<std::mutex> lock(t.mu);
  const int64_t window_start_ms = t.measure_start_us / 1000;
  const int64_t window_end_ms = t.measure_end_us / 1000;
  uint64_t in_window = 0;
  for (const auto& [id, start_ms] : found_) {
    if (start_ms >= window_start_ms && start_ms <= window_end_ms) ++in_window;
    auto ack = t.acked_us.find(id);
    if (ack == t.acked_us.end() || ack->second < t.measure_start_us) continue;
    const int64_t latency_us = start_ms * 1000 - ack->second;
    measured_.record_end_to_end(static_cast<uint64_t>(latency_us > 0 ? latency_us : 0));
  }
  measured_.workflows().executions += in_window;
  measured_.workflows().transitions += in_window;  // one Pass state each
  if (t.pipe_batch_size == 1 && found_.size() < t.acked_us.size()) {
    measured_.add_error(ApiAction::kListExecutions, "not-started",
                        "acknowledged messages whose execution never appeared",
                        t.acked_us.size() - found_.size());
  }
}

}  // namespace sluice::bench
