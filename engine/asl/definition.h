// StateMachine: a state machine definition (Amazon States Language, in either query language:
// JSONPath, or JSONata for the machine or per state) compiled once into a graph: states by
// index, transitions as indexes, every path, payload template, intrinsic call, Choice rule,
// JSONata expression and Assign pre-compiled. Parallel branches and Map item
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

#include "engine/asl/assignment.h"
#include "engine/asl/choice_rule.h"
#include "engine/asl/diagnostic.h"
#include "engine/asl/intrinsics.h"
#include "engine/asl/io_processing.h"
#include "engine/asl/json_path.h"
#include "engine/asl/jsonata_template.h"
#include "engine/asl/payload_template.h"
#include "engine/asl/timestamp.h"
#include "engine/json/json_value.h"
#include "storage/result.h"

namespace sluice::engine::asl {

enum class StateType : uint8_t { kPass, kTask, kChoice, kWait, kSucceed, kFail, kParallel, kMap };

std::string_view state_type_name(StateType t);  // "Pass", "Task", ...

using StateIndex = uint32_t;

// A state's query language: JSONPath (the default) or JSONata, set for the whole machine or per
// state (a JSONata machine cannot hold JSONPath states). It decides which fields the state has.
enum class QueryLanguage : uint8_t { kJsonPath, kJsonata };

// The fields of a JSONata state that have no JSONPath counterpart, or hold an expression where
// the JSONPath one holds a literal or a path. A field written as a literal is compiled into the
// State's ordinary member instead (Wait "Seconds": 5 into State::seconds, ...).
struct JsonataFields {
  std::optional<JsonataTemplate> arguments;  // Task, Parallel (absent: the state input)
  std::optional<JsonataTemplate> output;     // every state but Fail (absent: see the executor)
  std::optional<JsonataTemplate> items;      // Map (absent: the state input)
  std::optional<JsonataTemplate> item_selector;
  std::optional<JsonataTemplate> seconds;            // Wait
  std::optional<JsonataTemplate> timestamp;          // Wait
  std::optional<JsonataTemplate> error;              // Fail
  std::optional<JsonataTemplate> cause;              // Fail
  std::optional<JsonataTemplate> timeout_seconds;    // Task
  std::optional<JsonataTemplate> heartbeat_seconds;  // Task
  std::optional<JsonataTemplate> max_concurrency;    // Map
  std::optional<JsonataTemplate> tolerated_failure_count;
  std::optional<JsonataTemplate> tolerated_failure_percentage;
};

// A field that is either a JSONPath or an intrinsic call (Fail's ErrorPath/CausePath).
struct PathOrCall {
  std::optional<JsonPath> path;
  std::shared_ptr<const Intrinsic> call;
  Result<json::Value> evaluate(const json::Value& input, const EvalScope& scope) const;
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
  PathField result_path;                  // JSONPath
  std::optional<JsonataTemplate> output;  // JSONata (absent: $states.errorOutput)
  std::optional<Assignment> assign;
};

struct ChoiceBranch {
  ChoiceRule rule;                           // JSONPath
  std::optional<JsonataTemplate> condition;  // JSONata
  StateIndex next = 0;
  std::optional<JsonataTemplate> output;  // JSONata: the state output when this rule matches
  std::optional<Assignment> assign;       // both languages: replaces the state's Assign
};

struct StateMachine;

// Map: how the iterations run. Inline: inside the execution (MapIteration* events). Distributed:
// each item (or batch of items) is a child execution of a map run that a MapRunService runs
// (engine/executor/map_run_service.h); the parent's history shows only MapRun* events.
enum class MapMode : uint8_t { kInline, kDistributed };
// A Distributed Map's child executions (ProcessorConfig.ExecutionType).
enum class ChildExecutionType : uint8_t { kStandard, kExpress };

// A Distributed Map's ItemBatcher: items are handed to child executions in batches
// ({"Items": [...], "BatchInput": ...}) of at most MaxItemsPerBatch items and
// MaxInputBytesPerBatch bytes. Each limit is a literal, a reference path (JSONPath) or an
// expression (JSONata); absent limits do not limit.
struct ItemBatcher {
  std::optional<int64_t> max_items;
  std::optional<JsonPath> max_items_path;
  std::optional<JsonataTemplate> max_items_expr;
  std::optional<int64_t> max_bytes;
  std::optional<JsonPath> max_bytes_path;
  std::optional<JsonataTemplate> max_bytes_expr;
  std::optional<PayloadTemplate> batch_input;       // JSONPath
  std::optional<JsonataTemplate> batch_input_expr;  // JSONata
};

struct State {
  std::string name;
  StateType type = StateType::kPass;
  std::string comment;
  QueryLanguage language = QueryLanguage::kJsonPath;
  std::optional<StateIndex> next;  // nullopt: End (or a Choice/Succeed/Fail)
  bool end = false;

  // Assign (every state but Succeed and Fail; a Choice's applies when no rule matches).
  std::optional<Assignment> assign;
  JsonataFields jsonata;

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

  // Map (distributed)
  MapMode map_mode = MapMode::kInline;
  ChildExecutionType child_execution_type = ChildExecutionType::kStandard;
  std::string label;  // the map run's label: Label, or the state's name
  std::optional<ItemBatcher> item_batcher;
  // ItemReader / ResultWriter name S3 resources, which Sluice does not serve: kept so the Map
  // fails at run time the way AWS fails when it cannot reach them.
  std::string item_reader_resource;
  std::string result_writer_resource;
};

struct StateMachine {
  std::string comment;
  QueryLanguage language = QueryLanguage::kJsonPath;  // the top level's, inherited by branches
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
