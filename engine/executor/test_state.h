// TestState: runs one state definition on an input, outside any state machine, and reports what
// it did as the TestState API does: the output, the error and cause, the next state, a status
// (SUCCEEDED, FAILED, RETRIABLE when a Retrier would retry, CAUGHT_ERROR when a Catcher caught
// the error) and, at inspectionLevel DEBUG or TRACE, the input and output processing stages
// (inspectionData).
//
// As AWS: Pass, Wait, Choice, Succeed, Fail and Task states can be tested; Parallel and Map
// states, activity tasks and the .sync / .waitForTaskToken patterns only when mocked
// (request.mocked: the TaskHandler answers at once). A mocked Map or Parallel runs no branch or
// iteration: its input is processed (InputPath, Parameters, ItemsPath, the tolerated failure
// thresholds, MaxConcurrency), then the TaskHandler is asked once (a TaskRequest with an empty
// resource) and its answer is the state's result or error.
// The state is validated by the same validator as CreateStateMachine (InvalidDefinition with
// its diagnostics); its Next targets need not exist. A Task calls the injected TaskHandler; its
// TimeoutSeconds/HeartbeatSeconds apply; a Wait state does not wait; the whole test fails with
// States.Timeout after 5 minutes. Retries are not performed: the first matching Retrier with
// attempts left makes the status RETRIABLE; request.retrier_retry_count says how many attempts
// that Retrier has already made (its backoff, and whether it is exhausted and Catch applies).
// request.context is merged over the Context object the state sees ($$, $states.context).
//
// Runs on the thread that drives executions (the reactor thread); `done` is called there, once,
// possibly before start_test_state() returns.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/asl/diagnostic.h"
#include "engine/executor/clock.h"
#include "engine/executor/execution.h"
#include "engine/executor/task_handler.h"

namespace sluice::engine::executor {

enum class InspectionLevel : uint8_t { kInfo, kDebug, kTrace };
// "INFO", "DEBUG", "TRACE"; nullopt for anything else.
std::optional<InspectionLevel> parse_inspection_level(std::string_view text);

enum class TestExecutionStatus : uint8_t { kSucceeded, kFailed, kRetriable, kCaughtError };
// "SUCCEEDED", "FAILED", "RETRIABLE", "CAUGHT_ERROR".
std::string_view test_execution_status_name(TestExecutionStatus status);

// InspectionData's members (JSON texts), present as the state type and query language have them.
struct InspectionData {
  std::optional<std::string> input;
  std::optional<std::string> after_arguments;  // JSONata
  std::optional<std::string> after_input_path;
  std::optional<std::string> after_parameters;
  std::optional<std::string> result;
  std::optional<std::string> after_result_selector;
  std::optional<std::string> after_result_path;
  // The variables after the state: those given with the test and those the state assigned.
  std::optional<std::string> variables;
  // errorDetails: which Retrier / Catcher handled the error.
  std::optional<int64_t> retry_index;
  std::optional<int64_t> retry_backoff_interval_seconds;
  std::optional<int64_t> catch_index;
  // TRACE, an http:invoke Task: the HTTP exchange (InspectionDataRequest/Response), as the
  // TaskHandler reported it (TaskHandle::inspected).
  std::optional<json::Value> request;
  std::optional<json::Value> response;
  // A Map state (JSONPath for after_items_path).
  std::optional<std::string> after_items_path;
  // The items through ItemSelector (Parameters), and into ItemBatcher's batches, as JSON arrays.
  std::optional<std::string> after_item_selector;
  std::optional<std::string> after_item_batcher;
  std::optional<int64_t> tolerated_failure_count;
  std::optional<double> tolerated_failure_percentage;
  std::optional<int64_t> max_concurrency;
};

struct TestStateResult {
  TestExecutionStatus status = TestExecutionStatus::kSucceeded;
  std::optional<std::string> output;  // JSON text
  std::optional<std::string> error;
  std::optional<std::string> cause;
  std::optional<std::string> next_state;
  std::optional<InspectionData> inspection_data;  // DEBUG and TRACE only
};

// The TestState response body (AWS JSON 1.0 member names).
std::string test_state_result_json(const TestStateResult& result);

struct TestStateRequest {
  std::string_view definition;  // one state's definition, or a whole machine with state_name
  std::optional<std::string_view> state_name;
  std::optional<std::string_view> input;  // JSON text; absent: {}
  // A JSON object: the variables the state sees ($name), as if earlier states had assigned them.
  std::optional<std::string_view> variables;
  InspectionLevel inspection_level = InspectionLevel::kInfo;
  std::string role_arn;
  // A JSON object merged over the Context object (member by member, objects recursively).
  std::optional<std::string_view> context;
  // stateConfiguration.retrierRetryCount: the retries already made by the Retrier that matches.
  std::optional<int64_t> retrier_retry_count;
  // The TaskHandler is a mock: Map, Parallel, activities and the .sync / .waitForTaskToken
  // patterns can run.
  bool mocked = false;
  // stateConfiguration for a mocked Map or Parallel: the state inside it the mocked error comes
  // from; how many of a Map's iterations failed (checked against its tolerated failure
  // thresholds); the items an ItemReader read (a JSON array).
  std::optional<std::string_view> error_caused_by_state;
  std::optional<int64_t> map_iteration_failure_count;
  std::optional<std::string_view> map_item_reader_data;
};

// clock, timers and tasks are required and must outlive the test. info names the synthetic
// execution the state sees in $$ (its ARN, name, role, region).
struct TestStateServices {
  Clock* clock = nullptr;
  TimerService* timers = nullptr;
  TaskHandler* tasks = nullptr;
  ExecutionInfo info;
};

// Why a test did not start: the TestState errors.
struct TestStateRejection {
  enum class Kind : uint8_t { kInvalidDefinition, kInvalidExecutionInput, kValidation };
  Kind kind = Kind::kValidation;
  std::string message;                       // the error's Message
  std::vector<asl::Diagnostic> diagnostics;  // kInvalidDefinition
};

// Validates and starts the test. nullopt: it runs and `done` will be called; else it was
// rejected and `done` will not be called.
std::optional<TestStateRejection> start_test_state(const TestStateRequest& request,
                                                   TestStateServices services,
                                                   std::function<void(TestStateResult)> done);

}  // namespace sluice::engine::executor
