// PipeServices: the parts of the server a pipe reaches, all in-process: the queue store (its
// source, by watch/take/consume/release), the SQS message service (a queue target), the Step
// Functions catalog and execution runner (a state machine target or enrichment), the local Lambda
// functions (a Lambda target or enrichment), the committer (the pipe records), and the time
// services. The reactor owns every part; this struct only points at them.
// Thread: the reactor thread only.
#pragma once

#include <uv.h>

#include <cstddef>
#include <functional>
#include <string>

#include "broker/pipes/api/pipe_arn.h"

namespace sluice::storage {
class Environment;
class GroupCommitter;
class QueueStore;
}  // namespace sluice::storage

namespace sluice::engine::executor {
class Clock;
class TimerService;
}  // namespace sluice::engine::executor

namespace sluice::sqs {
class MessageService;
}

namespace sluice::states {
class Catalog;
class ExecutionRunner;
namespace tasks {
class LambdaFunctions;
}
}  // namespace sluice::states

namespace sluice::pipes {

enum class PipeLogLevel { kError, kWarn, kInfo, kDebug };

struct PipeServices {
  uv_loop_t* loop = nullptr;
  storage::Environment* env = nullptr;
  storage::GroupCommitter* committer = nullptr;
  storage::QueueStore* queues = nullptr;
  sqs::MessageService* messages = nullptr;
  states::Catalog* machines = nullptr;
  states::ExecutionRunner* executions = nullptr;
  states::tasks::LambdaFunctions* lambdas = nullptr;
  engine::executor::Clock* clock = nullptr;
  engine::executor::TimerService* timers = nullptr;
  PipesIdentity identity;
  // Batches one pipe may have in flight at once (AWS allows 1,000); when reached, messages wait
  // in the queue.
  std::size_t max_batches_in_flight = 1000;
  // One line per pipe state change and failure (the server's log, at its level).
  std::function<void(PipeLogLevel, const std::string&)> log;
};

}  // namespace sluice::pipes
