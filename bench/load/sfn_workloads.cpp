#include "bench/load/sfn_workloads.h"

#include <simdjson.h>

#include <algorithm>

namespace sluice::bench {

namespace {
constexpr std::string_view kRole = "arn:aws:iam::000000000000:role/sluice-bench";
}

std::string sfn_benchmark_definition(bool jsonata) {
  if (jsonata) {
    return R"({"Comment":"sluice-bench: Pass -> Choice -> Map(3 x Pass) -> Succeed, JSONata",)"
           R"("QueryLanguage":"JSONata","StartAt":"Prepare","States":{)"
           R"("Prepare":{"Type":"Pass","Output":{"items":[1,2,3],"go":true},"Next":"Decide"},)"
           R"("Decide":{"Type":"Choice","Choices":[{"Condition":"{% $states.input.go %}",)"
           R"("Next":"Each"}],"Default":"Stop"},)"
           R"("Each":{"Type":"Map","Items":"{% $states.input.items %}","ItemProcessor":)"
           R"({"StartAt":"Item","States":{"Item":{"Type":"Pass","End":true}}},"Next":"Done"},)"
           R"("Done":{"Type":"Succeed"},)"
           R"("Stop":{"Type":"Fail","Error":"NoGo","Cause":"go was false"}}})";
  }
  return R"({"Comment":"sluice-bench: Pass -> Choice -> Map(3 x Pass) -> Succeed",)"
         R"("StartAt":"Prepare","States":{)"
         R"("Prepare":{"Type":"Pass","Result":{"items":[1,2,3],"go":true},"Next":"Decide"},)"
         R"("Decide":{"Type":"Choice","Choices":[{"Variable":"$.go","BooleanEquals":true,)"
         R"("Next":"Each"}],"Default":"Stop"},)"
         R"("Each":{"Type":"Map","ItemsPath":"$.items","ItemProcessor":{"StartAt":"Item",)"
         R"("States":{"Item":{"Type":"Pass","End":true}}},"Next":"Done"},)"
         R"("Done":{"Type":"Succeed"},)"
         R"("Stop":{"Type":"Fail","Error":"NoGo","Cause":"go was false"}}})";
}

SfnSetupWorkload::SfnSetupWorkload(const WorkloadContext& context, bool jsonata)
    : context_(context), jsonata_(jsonata) {
  context_.queues->urls.assign(context_.queues->names.size(), std::string());
}

std::optional<PlannedRequest> SfnSetupWorkload::next(size_t, uint64_t) {
  if (sent_ || done()) return std::nullopt;
  sent_ = true;
  PlannedRequest r;
  r.action = ApiAction::kCreateStateMachine;
  r.wire = context_.sfn->create_state_machine(context_.queues->names[0],
                                              sfn_benchmark_definition(jsonata_), kRole, true);
  return r;
}

void SfnSetupWorkload::on_lost(const PlannedRequest&) {
  failed_ = true;
  failure_ = "CreateStateMachine: no response";
}

void SfnSetupWorkload::on_response(const PlannedRequest& request, const HttpResponse& response,
                                   RunStats& stats, uint64_t) {
  if (response.status != 200) {
    Failure f = context_.parser->error(response);
    stats.add_error(request.action, f.label, f.detail);
    failed_ = true;
    failure_ = "CreateStateMachine: " + f.label + (f.detail.empty() ? "" : " (" + f.detail + ")");
    return;
  }
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  std::string_view arn;
  if (parser.parse(response.body).get(doc) || doc["stateMachineArn"].get(arn)) {
    stats.add_error(request.action, "bad-response", "no stateMachineArn");
    failed_ = true;
    failure_ = "CreateStateMachine: no stateMachineArn in the answer";
    return;
  }
  context_.queues->urls[0] = std::string(arn);
  created_ = true;
}

SfnSyncWorkload::SfnSyncWorkload(const WorkloadContext& context, uint32_t connections,
                                 uint64_t budget)
    : context_(context), connections_(connections), budget_(budget) {}

std::optional<PlannedRequest> SfnSyncWorkload::next(size_t, uint64_t) {
  if (budget_ != 0 && issued_ >= budget_) return std::nullopt;
  ++issued_;
  PlannedRequest r;
  r.action = ApiAction::kStartSyncExecution;
  r.wire = context_.sfn->start_sync_execution(context_.queues->urls[0], "{}");
  return r;
}

void SfnSyncWorkload::on_lost(const PlannedRequest&) {
  ++answered_;
}

void SfnSyncWorkload::on_response(const PlannedRequest& request, const HttpResponse& response,
                                  RunStats& stats, uint64_t) {
  ++answered_;
  if (response.status != 200) {
    Failure f = context_.parser->error(response);
    stats.add_error(request.action, f.label, f.detail);
    return;
  }
  // Checked, not trusted: the execution must have succeeded with the machine's output.
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element doc;
  std::string_view status, output;
  if (parser.parse(response.body).get(doc) || doc["status"].get(status) ||
      doc["output"].get(output)) {
    stats.add_error(request.action, "bad-response", "no status/output in StartSyncExecution");
    return;
  }
  if (status != "SUCCEEDED") {
    stats.add_error(request.action, "execution-" + std::string(status),
                    "StartSyncExecution answered status " + std::string(status));
    return;
  }
  std::string compact;
  std::copy_if(output.begin(), output.end(), std::back_inserter(compact),
               [](char c) { return c != ' ' && c != '\n'; });
  if (compact != "[1,2,3]") {
    stats.add_error(request.action, "wrong-output", "output " + std::string(output));
    return;
  }
  stats.workflows().executions += 1;
  stats.workflows().transitions += kSfnTransitionsPerExecution;
}

}  // namespace sluice::bench
