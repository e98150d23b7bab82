// MapRunChildren: how a MapRun starts and follows its child executions. Implemented by the
// ExecutionRunner (STANDARD children are durable executions like any other; EXPRESS children run
// in memory); a fake in unit tests. Thread: the reactor thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "broker/states/sfn_result.h"
#include "engine/asl/definition.h"
#include "engine/json/json_value.h"

namespace sluice::states {

struct MapRunChildStart {
  std::string map_run_arn;
  std::string parent_arn;  // the execution whose Distributed Map runs the map run
  std::string label;       // the child's state machine is PARENT_MACHINE/LABEL
  std::string name;        // deterministic: the same item of the same map run, the same name
  std::shared_ptr<const engine::asl::StateMachine> processor;
  bool express = false;
  json::Value input;
  // A redrive of the map run (its MapRunRedriven time; 0: the first run). A STANDARD child of
  // that name from before this time that did not succeed is redriven (RedriveExecution: same
  // ARN), once it has stopped; one that succeeded, or ran since, is followed. An EXPRESS child
  // is started again.
  int64_t redrive_after_ms = 0;
  // The child's ARN from the run before (empty: none). An EXPRESS child started again by a
  // redrive keeps it, as on AWS (its runs cannot be told apart), unless that one still runs.
  std::string previous_arn;
};

struct MapRunChildStarted {
  std::string execution_arn;
  int64_t start_ms = 0;
};

class MapRunChildren {
 public:
  virtual ~MapRunChildren() = default;
  // Starts the child execution or, when a STANDARD execution of that name exists already (the
  // map run re-attaches after a restart), follows the one there is: a child is started once.
  // `finished` is called once, with DescribeExecution's output as a value (ExecutionStarter::
  // watch's), when the child is no longer RUNNING; possibly before run_child returns.
  virtual SfnResult<MapRunChildStarted> run_child(
      const MapRunChildStart& child, std::function<void(json::Value description)> finished) = 0;
  // StopExecution on a running child (the map run failed or was aborted).
  virtual void stop_map_run_child(const std::string& execution_arn, std::string error,
                                  std::string cause) = 0;
};

}  // namespace sluice::states
