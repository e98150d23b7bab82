// StatesServices: the parts of the server a Step Functions handler may reach. The reactor owns
// every part; this struct only points at them. Each component is added by the subsystem that
// builds it; a handler checks nothing here at run time (StatesService wires all parts at start).
// Thread: the reactor thread only.
#pragma once

#include <uv.h>

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "broker/sqs/api/queue_url.h"

namespace sluice::storage {
class Environment;
class GroupCommitter;
class QueueStore;
}  // namespace sluice::storage

namespace sluice::sqs {
class MessageService;
}

namespace sluice::engine::executor {
class TaskHandler;
}

namespace sluice::states::mocks {
class MockConfig;
}

namespace sluice::states {

class ExecutionStarter;
class StatesEndpoint;
class Catalog;
class ExecutionRunner;
class MapRunRegistry;

struct StatesIdentity {
  std::string region = "us-east-1";
  std::string account_id = "000000000000";
};

struct StatesServices {
  uv_loop_t* loop = nullptr;
  storage::Environment* env = nullptr;
  storage::GroupCommitter* committer = nullptr;
  storage::QueueStore* queues = nullptr;  // the SQS queues, in-process
  // sqs:sendMessage tasks send through it (the one send path into `queues`, as SendMessage's).
  sqs::MessageService* messages = nullptr;
  // aws-sdk:sqs tasks answer as the SQS API does: the queue URLs they return name this identity's
  // public URL, else http://sqs_host.
  sqs::ServiceIdentity sqs_identity;
  std::string sqs_host;
  // Components of broker/states are added here as they are built (catalog, executions, tasks...).
  Catalog* catalog = nullptr;          // state machines, versions, aliases, activities, tags
  ExecutionRunner* runner = nullptr;   // executions: start, stop, describe, list, history
  MapRunRegistry* map_runs = nullptr;  // Distributed Map runs (broker/states/map_runs)

  // Task integrations (the task router): every Task state attempt of every execution goes here.
  engine::executor::TaskHandler* tasks = nullptr;
  // Definition validation of Task resources: nullopt when `resource` (an ARN as written in the
  // definition) is served, else the message of the validation error naming it.
  std::function<std::optional<std::string>(std::string_view resource)> check_resource;
  // Executions of other state machines, for states:startExecution tasks (the execution runner).
  ExecutionStarter* starter = nullptr;
  // The API's actions in-process, for aws-sdk:sfn tasks (set once the endpoint is built).
  StatesEndpoint* endpoint = nullptr;
  // Lambda function name -> the local HTTP endpoint that serves it (--lambda-endpoint,
  // --lambda-config); read by the task router when it is built.
  std::map<std::string, std::string> lambda_endpoints;
  // --mock-config (SFN_MOCK_CONFIG): the test cases StartExecution on ARN#CASE runs; null: none.
  std::shared_ptr<const mocks::MockConfig> mock_config;
  // --wait-time-scale: the fraction of their time Wait states and Retry intervals last.
  double wait_time_scale = 1.0;
  // --max-uncommitted-mib: the bytes API starts may hold while they wait (ExecutionRunner::start_backlog); 0:
  // unbounded.
  std::size_t max_uncommitted_start_bytes = 0;
};

}  // namespace sluice::states
