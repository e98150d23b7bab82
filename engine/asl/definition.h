// StateMachine: a state machine definition (Amazon States Language, JSONPath query language)
// compiled once into a graph: states by index, transitions as indexes, every path, payload
// template, intrinsic call and Choice rule pre-compiled. Parallel branches and Map item
// processors are nested StateMachines. The executor walks this graph and never re-reads JSON.
//
// parse_definition() both compiles and validates: problems come back as the diagnostics that
// ValidateStateMachineDefinition reports (code, message, location) and, joined, as the text of
// CreateStateMachine's InvalidDefinition error.
//
// A compiled StateMachine is immutable and may be shared by any number of threads.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/asl/choice_rule.h"
#include "engine/asl/diagnostic.h"
#include "engine/asl/intrinsics.h"
#include "engine/asl/io_processing.h"
#include "engine/asl/json_path.h"
#include "engine/asl/payload_template.h"
#include "engine/asl/timestamp.h"
#include "engine/json/json_value.h"
#include "storage/result.h"

namespace sluice::engine::asl {

enum class StateType : uint8_t { kPass, kTask, kChoice, kWait, kSucceed, kFail, kParallel, kMap };

std::string_view state_type_name(StateType t);  // "Pass", "Task", ...

using StateIndex = uint32_t;

// A field that is either a JSONPath or an intrinsic call (Fail's ErrorPath/CausePath).
struct PathOrCall {
  std::optional<JsonPath> path;
  std::shared_ptr<const Intrinsic> call;
  Result<json::Value> evaluate(const json::Value& input, const json::Value& context) const;
};

struct Retrier {
  std::vector<std::string> error_equals;
  int64_t interval_seconds = 1;
  int64_t max_attempts = 3;
  double backoff_rate = 2.0;
  std::optional<int64_t> max_delay_seconds;
  bool full_jitter = false;  // JitterStrategy FULL
};

struct Catcher {
  std::vector<std::string> error_equals;
  StateIndex next = 0;
  PathField result_path;
};

struct ChoiceBranch {
  ChoiceRule rule;
  StateIndex next = 0;
};

struct StateMachine;

struct State {
  std::string name;
  StateType type = StateType::kPass;
  std::string comment;
  std::optional<StateIndex> next;  // nullopt: End (or a Choice/Succeed/Fail)
  bool end = false;

  // InputPath, Parameters (ItemSelector for Map), ResultSelector, ResultPath, OutputPath.
  InputOutput io;

  // Pass
  std::optional<json::Value> result;

  // Task
  std::string resource;
  std::optional<int64_t> timeout_seconds;
  std::optional<JsonPath> timeout_seconds_path;
  std::optional<int64_t> heartbeat_seconds;
  std::optional<JsonPath> heartbeat_seconds_path;

  // Task, Parallel, Map
  std::vector<Retrier> retry;
  std::vector<Catcher> catchers;

  // Choice
  std::vector<ChoiceBranch> choices;
  std::optional<StateIndex> default_next;

  // Wait: exactly one is set.
  std::optional<int64_t> seconds;
  std::optional<JsonPath> seconds_path;
  std::optional<Timestamp> timestamp;
  std::optional<JsonPath> timestamp_path;

  // Fail
  std::optional<std::string> error;
  std::optional<std::string> cause;
  std::optional<PathOrCall> error_path;
  std::optional<PathOrCall> cause_path;

  // Parallel
  std::vector<std::shared_ptr<const StateMachine>> branches;

  // Map (inline)
  std::shared_ptr<const StateMachine> item_processor;  // ItemProcessor or Iterator
  std::optional<JsonPath> items_path;                  // default "$"
  int64_t max_concurrency = 0;                         // 0: no limit
  std::optional<JsonPath> max_concurrency_path;
  std::optional<int64_t> tolerated_failure_count;
  std::optional<JsonPath> tolerated_failure_count_path;
  std::optional<double> tolerated_failure_percentage;
  std::optional<JsonPath> tolerated_failure_percentage_path;
};

struct StateMachine {
  std::string comment;
  StateIndex start_at = 0;
  std::optional<int64_t> timeout_seconds;  // top level only
  std::vector<State> states;

  // nullptr when there is no state of that name in this machine (not its branches).
  const State* find(std::string_view name) const;
  std::optional<StateIndex> index_of(std::string_view name) const;
};

struct DefinitionParse {
  std::shared_ptr<const StateMachine> machine;  // null when diagnostics is not empty
  std::vector<Diagnostic> diagnostics;
};

// Parses, compiles and validates definition text.
DefinitionParse parse_definition(std::string_view text);

// The same, as a Result: failure is kInvalidDefinition with AWS's InvalidDefinition message.
Result<std::shared_ptr<const StateMachine>> compile_definition(std::string_view text);

}  // namespace sluice::engine::asl
