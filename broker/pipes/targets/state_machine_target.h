// A Step Functions state machine as a pipe's target or enrichment, started in-process (no HTTP
// hop). A target gets ONE execution per batch whose input is the JSON array of the batch's events,
// named after the batch's first message id (so a batch can never start two: the name would
// exist). How it is started (PipeTargetStateMachineParameters.InvocationType):
//  - STANDARD, FIRE_AND_FORGET: StartExecution, with the removal of the batch's messages joined to
//    the commit that records ExecutionStarted -- exactly once, across any crash;
//  - EXPRESS, FIRE_AND_FORGET: StartExecution (in memory, as AWS runs Express ones); the pipe
//    removes the messages once it started;
//  - EXPRESS, REQUEST_RESPONSE (the default): StartSyncExecution; the batch succeeded when the
//    execution did, and its output may name failed messages (engine/pipes/batch_item_failures.h);
//  - STANDARD, REQUEST_RESPONSE: not supported by AWS (StartSyncExecution serves EXPRESS
//    workflows only): kMisconfigured, nothing is started.
// An enrichment must be EXPRESS and runs synchronously; its output is the events for the target.
#pragma once

#include <string>

#include "broker/pipes/api/pipe_spec.h"
#include "broker/pipes/pipe_services.h"
#include "broker/pipes/targets/pipe_target.h"

namespace sluice::pipes {

// Why a STANDARD state machine cannot be a REQUEST_RESPONSE target (a pipe's StateReason).
std::string standard_request_response_reason(const std::string& machine_arn);

class StateMachineTarget final : public PipeTarget {
 public:
  StateMachineTarget(PipeServices& services, std::string machine_arn, InvocationType invocation)
      : services_(services), arn_(std::move(machine_arn)), invocation_(invocation) {}
  void deliver(Delivery delivery, std::function<void(DeliveryOutcome)> done) override;

 private:
  PipeServices& services_;
  std::string arn_;
  InvocationType invocation_;
};

class StateMachineEnrichment final : public PipeEnrichment {
 public:
  StateMachineEnrichment(PipeServices& services, std::string machine_arn)
      : services_(services), arn_(std::move(machine_arn)) {}
  void enrich(json::Value batch,
              std::function<void(Result<std::vector<json::Value>, std::string>)> done) override;

 private:
  PipeServices& services_;
  std::string arn_;
};

// What an enrichment's output makes for the target: the elements of an array, else itself.
std::vector<json::Value> events_of(json::Value output);

}  // namespace sluice::pipes
