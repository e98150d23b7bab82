// PipeConfig: a pipe's definition compiled for running: its endpoints classified, its filter
// patterns and input templates compiled once, its batching limits with AWS's defaults filled in.
// compile_pipe() is also the last check of CreatePipe / UpdatePipe: a filter pattern EventBridge
// would refuse is a ValidationException there, not a failure later. Pure.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "broker/pipes/api/pipe_spec.h"
#include "engine/pipes/batch_policy.h"
#include "engine/pipes/event_pattern.h"
#include "engine/pipes/input_template.h"

namespace sluice::pipes {

struct PipeConfig {
  std::string name;
  std::string arn;
  ResourceRef source;  // an SQS queue of this server
  engine::pipes::BatchLimits batch;
  std::vector<engine::pipes::EventPattern> filters;  // none: every message passes
  std::optional<ResourceRef> enrichment;
  std::optional<engine::pipes::InputTemplate> enrichment_template;
  ResourceRef target;
  std::optional<engine::pipes::InputTemplate> target_template;
  InvocationType invocation = InvocationType::kRequestResponse;  // Lambda, state machine targets
  std::optional<std::string> message_group_id;                   // SQS target
  std::optional<std::string> message_deduplication_id;           // SQS target
  engine::pipes::TemplateContext context;                        // the template variables
};

Result<PipeConfig, PipesError> compile_pipe(const std::string& name, const PipeSpec& spec,
                                            const PipeEndpoints& endpoints,
                                            const PipesIdentity& identity);

}  // namespace sluice::pipes
