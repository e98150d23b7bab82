// A Lambda function (served by a local endpoint, --lambda-endpoint) as a pipe's target or
// enrichment. A target is invoked once per batch with the JSON array of the batch's events:
// REQUEST_RESPONSE (the default) waits for the function, whose result may name failed messages
// (engine/pipes/batch_item_failures.h); FIRE_AND_FORGET invokes it as Lambda's "Event"
// invocation, and the batch is delivered once the function accepted it. A function error, a
// missing function or an unreachable endpoint fails the batch. An enrichment is invoked
// synchronously and its result is the events for the target.
#pragma once

#include <string>

#include "broker/pipes/api/pipe_spec.h"
#include "broker/pipes/pipe_services.h"
#include "broker/pipes/targets/pipe_target.h"

namespace sluice::pipes {

class LambdaTarget final : public PipeTarget {
 public:
  LambdaTarget(PipeServices& services, std::string function_arn, InvocationType invocation)
      : services_(services), arn_(std::move(function_arn)), invocation_(invocation) {}
  void deliver(Delivery delivery, std::function<void(DeliveryOutcome)> done) override;

 private:
  PipeServices& services_;
  std::string arn_;
  InvocationType invocation_;
};

class LambdaEnrichment final : public PipeEnrichment {
 public:
  LambdaEnrichment(PipeServices& services, std::string function_arn)
      : services_(services), arn_(std::move(function_arn)) {}
  void enrich(json::Value batch,
              std::function<void(Result<std::vector<json::Value>, std::string>)> done) override;

 private:
  PipeServices& services_;
  std::string arn_;
};

}  // namespace sluice::pipes
