// See pipe_config.h.
#include "broker/pipes/pipe_config.h"

namespace sluice::pipes {

namespace {
constexpr uint32_t kDefaultBatchSize = 10;  // PipeSourceSqsQueueParameters.BatchSize default
}

Result<PipeConfig, PipesError> compile_pipe(const std::string& name, const PipeSpec& spec,
                                            const PipeEndpoints& endpoints,
                                            const PipesIdentity& identity) {
  PipeConfig c;
  c.name = name;
  c.arn = pipe_arn(identity, name);
  c.source = endpoints.source;
  c.target = endpoints.target;
  c.enrichment = endpoints.enrichment;
  c.batch.batch_size = kDefaultBatchSize;
  std::vector<FieldError> errors;
  if (spec.source_parameters) {
    const SourceParameters& sp = *spec.source_parameters;
    if (sp.sqs_queue_parameters) {
      if (sp.sqs_queue_parameters->batch_size) {
        c.batch.batch_size = static_cast<uint32_t>(*sp.sqs_queue_parameters->batch_size);
      }
      if (sp.sqs_queue_parameters->maximum_batching_window_in_seconds) {
        c.batch.window_ms = *sp.sqs_queue_parameters->maximum_batching_window_in_seconds * 1000;
      }
    }
    if (sp.filter_criteria) {
      for (std::size_t i = 0; i < sp.filter_criteria->filters.size(); ++i) {
        const Filter& f = sp.filter_criteria->filters[i];
        if (!f.pattern) continue;
        auto compiled = engine::pipes::EventPattern::compile(*f.pattern);
        if (!compiled) {
          errors.push_back(
              {"SourceParameters.FilterCriteria.Filters[" + std::to_string(i) + "].Pattern",
               "Event pattern is not valid. Reason: " + compiled.error().message});
          continue;
        }
        c.filters.push_back(std::move(*compiled));
      }
    }
  }
  if (spec.enrichment_parameters && spec.enrichment_parameters->input_template &&
      !spec.enrichment_parameters->input_template->empty()) {
    auto t = engine::pipes::InputTemplate::compile(*spec.enrichment_parameters->input_template,
                                                   "EnrichmentParameters.InputTemplate");
    if (!t) {
      errors.push_back({"EnrichmentParameters.InputTemplate", t.error().message});
    } else {
      c.enrichment_template = std::move(*t);
    }
  }
  if (spec.target_parameters) {
    const TargetParameters& tp = *spec.target_parameters;
    if (tp.input_template && !tp.input_template->empty()) {
      auto t = engine::pipes::InputTemplate::compile(*tp.input_template,
                                                     "TargetParameters.InputTemplate");
      if (!t) {
        errors.push_back({"TargetParameters.InputTemplate", t.error().message});
      } else {
        c.target_template = std::move(*t);
      }
    }
    const std::optional<InvocationParameters>& inv =
        c.target.kind == ResourceKind::kLambdaFunction ? tp.lambda_function_parameters
                                                       : tp.step_function_state_machine_parameters;
    if (inv && inv->invocation_type) c.invocation = *inv->invocation_type;
    if (tp.sqs_queue_parameters) {
      c.message_group_id = tp.sqs_queue_parameters->message_group_id;
      c.message_deduplication_id = tp.sqs_queue_parameters->message_deduplication_id;
    }
  }
  if (!errors.empty()) return field_validation_exception(std::move(errors));
  // The most a batch's payload may hold is what the enrichment and the target take (EventBridge
  // user guide, Pipes batching): a state machine's input, 262,144 characters; a Lambda
  // function's payload, 6 MB.
  const bool machine = c.target.kind == ResourceKind::kStateMachine ||
                       (c.enrichment && c.enrichment->kind == ResourceKind::kStateMachine);
  c.batch.max_bytes = machine ? 256 * 1024 : 6 * 1024 * 1024;
  c.context.pipe_arn = c.arn;
  c.context.pipe_name = name;
  c.context.source_arn = c.source.arn;
  c.context.enrichment_arn = c.enrichment ? c.enrichment->arn : std::string();
  c.context.target_arn = c.target.arn;
  return c;
}

}  // namespace sluice::pipes
