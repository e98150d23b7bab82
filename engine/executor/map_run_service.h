// MapRunService: how a Distributed Map runs its items. The Execution does not run a Distributed
// Map's iterations itself: it computes the child inputs (ItemSelector, then ItemBatcher), records
// MapRunStarted, and hands one MapRunRequest to the injected MapRunService, which runs the map
// run (child executions of the item processor) and answers later through the MapRunHandle:
// succeed with the children's outputs in item order, or fail
// (States.ExceedToleratedFailureThreshold when more children failed than the tolerance allows). The
// Execution then records MapRunSucceeded or MapRunFailed, and the Map state continues
// (ResultSelector/ResultPath, or Retry/Catch).
//
// The map run ARN is deterministic (map_run_arn(): the execution ARN, the label, the id of the
// MapStateEntered event and the attempt), so after a restart (Execution::resume, history_sink.h) a
// map run whose end was not recorded is asked for again with the same request and the same ARN: the
// service re-attaches to the run it already has (or rebuilds it from what it stored), never
// starting a child twice. A redrive of the execution asks for a map run that did not succeed
// again, with the same ARN and redrive_count/redrive_ms set (MapRunRedriven): the service
// re-runs only its children that did not succeed.
//
// A MapRunHandle stays valid to hold after the map run is over for the Execution (the execution
// stopped, timed out, or the state was abandoned): its calls then return false. All calls on the
// thread that drives the execution, never from inside a HistorySink call; they may be made from
// inside start() (the answer takes effect right after the current step).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "engine/asl/definition.h"
#include "engine/json/json_value.h"

namespace sluice::engine::executor {

class Execution;
namespace detail {
struct Run;
}

struct MapRunRequest {
  std::string map_run_arn;
  std::string execution_arn;                           // the parent execution
  std::string state_name;                              // the Distributed Map state
  std::string label;                                   // Label, or the state's name
  std::shared_ptr<const asl::StateMachine> processor;  // ItemProcessor: what each child runs
  asl::ChildExecutionType execution_type = asl::ChildExecutionType::kStandard;
  json::Array inputs;           // one per child execution: after ItemSelector and ItemBatcher
  bool batched = false;         // ItemBatcher: each input is {"Items": [...], "BatchInput"?}
  int64_t max_concurrency = 0;  // 0: no limit of the Map's own (AWS: 10,000)
  std::optional<int64_t> tolerated_failure_count;
  std::optional<double> tolerated_failure_percentage;
  int64_t start_ms = 0;  // MapRunStarted's time (the recorded one when asked again after a restart)
  // A redrive of the map run (MapRunRedriven, after RedriveExecution of the parent): how many
  // times it was redriven, and when last (MapRunRedriven's time). 0: not redriven. The service
  // re-runs only the children that did not succeed: children from before redrive_ms that failed,
  // timed out or were aborted are redriven (STANDARD) or started again (EXPRESS).
  int64_t redrive_count = 0;
  int64_t redrive_ms = 0;
  int64_t attempt = 0;  // the attempt part of the ARN (map_run_arn())
};

class MapRunHandle : public std::enable_shared_from_this<MapRunHandle> {
 public:
  // Every child succeeded (or failed within the tolerance: its slot holds {Error, Cause}).
  bool succeed(json::Array results);
  // The map run failed: more children failed than tolerated, or it could not run at all.
  bool fail(std::string error, std::string cause);

  bool active() const { return active_; }

 private:
  friend class Execution;
  std::weak_ptr<Execution> execution_;
  std::weak_ptr<detail::Run> run_;
  bool active_ = true;
  bool delivered_ = false;  // handed to MapRunService::start in this process
};

class MapRunService {
 public:
  virtual ~MapRunService() = default;
  // Runs (or, after a restart, re-attaches to) the map run. Keeps `handle` until it answers.
  virtual void start(const MapRunRequest& request, std::shared_ptr<MapRunHandle> handle) = 0;
  // The Map state was abandoned (the execution stopped, timed out, or failed elsewhere): stop
  // the child executions (the map run ends ABORTED). Only for handles given to start().
  virtual void cancel(const MapRunHandle& handle) { (void)handle; }
};

// arn:PARTITION:states:REGION:ACCOUNT:mapRun:MACHINE/LABEL:ID for the map run that attempt
// `attempt` (0, then 1 per Retry) of the Map state entered at `entered_event_id` of
// `execution_arn` starts; ID is derived from these, so the same state entry and attempt always
// name the same map run. Empty when execution_arn is not an execution ARN.
std::string map_run_arn(std::string_view execution_arn, std::string_view label,
                        int64_t entered_event_id, int64_t attempt = 0);

}  // namespace sluice::engine::executor
