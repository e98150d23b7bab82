// Distributed Map (execution.h, map_run_service.h): the Map state computes its child inputs,
// records MapStateStarted and MapRunStarted, and waits on the MapRunService. Its history is
// AWS's: MapStateEntered, MapStateStarted, MapRunStarted {mapRunArn}, then MapRunSucceeded
// (or MapRunFailed {error, cause}), MapStateSucceeded (MapStateFailed), MapStateExited; no
// iteration events. MapRunSucceeded carries the results in its resume record, so a replay
// after a restart computes the state's output from them as the live run did; MapRunStarted
// carries the limits the map run started with. StopExecution or the execution's timeout records
// MapRunAborted before the terminal event; RedriveExecution of an execution whose map run failed
// or was aborted records MapRunRedriven and asks for the same map run again, redriven.
#include <algorithm>
#include <cstdio>
#include <vector>

#include "engine/asl/states_error.h"
#include "engine/executor/execution.h"
#include "engine/executor/run.h"
#include "engine/json/json_serialize.h"

namespace sluice::engine::executor {

using detail::Fanout;
using detail::Run;
using json::Array;
using json::Object;
using json::Value;

namespace {

// FNV-1a over the text, from a given basis: two of them make the 128 bits of a map run id.
uint64_t fnv1a(std::string_view text, uint64_t basis) {
  uint64_t h = basis;
  for (unsigned char c : text) h = (h ^ c) * 1099511628211ull;
  return h;
}

}  // namespace

std::string map_run_arn(std::string_view execution_arn, std::string_view label,
                        int64_t entered_event_id, int64_t attempt) {
  auto f = split_arn_fields(execution_arn);
  if (f.size() < 7 || (f[5] != "execution" && f[5] != "express")) return {};
  std::string_view machine = f[6].substr(0, f[6].find(':'));
  std::string seed(execution_arn);
  seed += '\n';
  seed += label;
  seed += '\n';
  seed += std::to_string(entered_event_id);
  seed += '.';
  seed += std::to_string(attempt);
  uint64_t hi = fnv1a(seed, 1469598103934665603ull);
  uint64_t lo = fnv1a(seed, hi ^ 0x9e3779b97f4a7c15ull);
  char id[40];
  std::snprintf(id, sizeof id, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(hi >> 32),
                static_cast<unsigned>((hi >> 16) & 0xffff), static_cast<unsigned>(hi & 0xffff),
                static_cast<unsigned>(lo >> 48),
                static_cast<unsigned long long>(lo & 0xffffffffffffull));
  std::string arn = "arn:";
  arn.append(f[1]).append(":states:").append(f[3]).append(":").append(f[4]).append(":mapRun:");
  arn.append(machine).append("/").append(label).append(":").append(id);
  return arn;
}

bool MapRunHandle::succeed(Array results) {
  auto ex = execution_.lock();
  if (!ex || !active_) return false;
  active_ = false;
  ex->dispatch([ex, h = shared_from_this(), r = std::move(results)]() mutable {
    ex->on_map_run_succeeded(*h, std::move(r));
  });
  return true;
}

bool MapRunHandle::fail(std::string error, std::string cause) {
  auto ex = execution_.lock();
  if (!ex || !active_) return false;
  active_ = false;
  ex->dispatch([ex, h = shared_from_this(), e = std::move(error), c = std::move(cause)]() mutable {
    ex->on_map_run_failed(*h, std::move(e), std::move(c));
  });
  return true;
}

void Execution::item_reader_failed(Run& run) {
  const asl::State& st = run.st();
  state_failed(run, Failure{"States.ItemReaderFailed",
                            "Sluice does not serve Amazon S3: the ItemReader resource '" +
                                st.item_reader_resource + "' cannot be reached."});
}

void Execution::start_map_run(Run& run, std::unique_ptr<Fanout> fan, Array items) {
  const asl::State& st = run.st();
  if (test_) {
    fan->tolerance = fan->tolerated_count.has_value() || fan->tolerated_percentage.has_value();
    return test_mocked_flow(run, fan.get(), &items);
  }
  // Sluice serves no S3: a ResultWriter fails the state as AWS fails it when the bucket cannot
  // be reached.
  if (!st.result_writer_resource.empty()) {
    return state_failed(run,
                        Failure{"States.ResultWriterFailed",
                                "Sluice does not serve Amazon S3: the ResultWriter resource '" +
                                    st.result_writer_resource + "' cannot be reached."});
  }
  if (services_.map_runs == nullptr) {
    return state_failed(run, runtime_failure(run, Error{ErrorCode::kStatesRuntime,
                                                        "Distributed Map states cannot run here"}));
  }
  const std::size_t length = items.size();
  auto inputs = map_run_inputs(run, *fan, std::move(items));
  if (!inputs.ok()) return state_failed(run, runtime_failure(run, inputs.error()));

  MapRunRequest req;
  req.execution_arn = info_.execution_arn;
  req.state_name = st.name;
  req.label = st.label;
  // A retry of the state starts a new map run: the attempt is part of its identity.
  req.attempt = run.map_attempt_base + run.retry_count;
  req.map_run_arn = map_run_arn(info_.execution_arn, st.label, run.entered_event_id, req.attempt);
  req.processor = st.item_processor;
  req.execution_type = st.child_execution_type;
  req.inputs = std::move(inputs).value();
  req.batched = st.item_batcher.has_value();
  req.max_concurrency = static_cast<int64_t>(fan->max_concurrency);
  req.tolerated_failure_count = fan->tolerated_count;
  req.tolerated_failure_percentage = fan->tolerated_percentage;
  req.start_ms = now_;

  emit(&run, HistoryEventType::kMapStateStarted,
       Value(Object{{"length", Value(static_cast<int64_t>(length))}}));
  // The limits it starts with (a Path's values included): what a restart rebuilds an ended map
  // run's description from.
  Object limits{{"maxConcurrency", Value(req.max_concurrency)}};
  if (req.tolerated_failure_count)
    limits.set("toleratedFailureCount", Value(*req.tolerated_failure_count));
  if (req.tolerated_failure_percentage)
    limits.set("toleratedFailurePercentage", Value(*req.tolerated_failure_percentage));
  next_record_ = json::serialize(Value(std::move(limits)));
  emit(&run, HistoryEventType::kMapRunStarted,
       Value(Object{{"mapRunArn", Value(req.map_run_arn)}}));
  auto handle = std::make_shared<MapRunHandle>();
  handle->execution_ = weak_from_this();
  handle->run_ = run.weak_from_this();
  run.map_run = std::move(handle);
  run.map_request = std::move(req);
  run.map_run_redrivable = false;
  if (!replaying()) deliver_map_run(run);
}

void Execution::redrive_map_run(const std::shared_ptr<Run>& run) {
  // AWS does not enter the state again: MapRunRedriven follows ExecutionRedriven, and the map
  // run (same ARN, its successful children kept) answers the state as the first run would have.
  MapRunRequest& req = run->map_request;
  if (options_.max_map_run_redrives > 0 && req.redrive_count >= options_.max_map_run_redrives) {
    // The map run stays as it ended (still redrivable in form, so every later redrive of the
    // parent lands here again rather than starting a new map run around the limit). AWS names
    // only the error; the cause is Sluice's.
    run->generation++;
    emit(run.get(), HistoryEventType::kMapStateFailed, Value(), last_event_id_);
    return state_failed(
        *run,
        runtime_failure(*run, Error{ErrorCode::kStatesRuntime,
                                    "The Map Run '" + req.map_run_arn + "' was redriven " +
                                        std::to_string(req.redrive_count) +
                                        " times: the most a Map Run can be redriven is " +
                                        std::to_string(options_.max_map_run_redrives) + "."}));
  }
  req.redrive_count += 1;
  req.redrive_ms = now_;
  run->map_attempt_base = req.attempt;  // a Retry after this starts attempt + 1
  run->retry_count = 0;
  std::fill(run->attempts.begin(), run->attempts.end(), 0);
  run->map_run_redrivable = false;
  run->generation++;
  emit(run.get(), HistoryEventType::kMapRunRedriven,
       Value(Object{{"mapRunArn", Value(req.map_run_arn)},
                    {"redriveCount", Value(req.redrive_count)}}),
       last_event_id_);
  auto handle = std::make_shared<MapRunHandle>();
  handle->execution_ = weak_from_this();
  handle->run_ = run->weak_from_this();
  run->map_run = std::move(handle);
  if (!replaying()) deliver_map_run(*run);
}

void Execution::abort_map_runs() {
  // AWS's sequence is not documented; recorded here before the terminal event, which is the last
  // one of an attempt: MapRunAborted (previous: the map run's last event), then
  // ExecutionAborted / ExecutionTimedOut.
  // A replayed history has them where they were recorded: histories stored before MapRunAborted
  // was recorded, and StopExecution of an execution not resumed yet (written from storage), end
  // with ExecutionAborted alone.
  if (replaying() && (replay_->pos >= replay_->events.size() ||
                      replay_->events[replay_->pos].type != HistoryEventType::kMapRunAborted)) {
    return;
  }
  std::vector<Run*> pending;
  if (root_) pending.push_back(root_.get());
  while (!pending.empty()) {
    Run* run = pending.back();
    pending.pop_back();
    if (run->finished) continue;
    if (run->map_run && run->map_run->active()) {
      emit(run, HistoryEventType::kMapRunAborted, Value());
    }
    if (run->fan) {
      for (auto it = run->fan->children.rbegin(); it != run->fan->children.rend(); ++it) {
        if (*it) pending.push_back(it->get());
      }
    }
  }
}

Result<Array> Execution::map_run_inputs(Run& run, const Fanout& fan, Array items) {
  const asl::State& st = run.st();
  if (st.io.parameters || st.jsonata.item_selector) {
    for (std::size_t i = 0; i < items.size(); ++i) {
      auto selected = select_item(run, fan, i, items[i]);
      if (!selected.ok()) return std::move(selected).error();
      items[i] = std::move(selected).value();
    }
  }
  if (!st.item_batcher) return items;
  return batch_items(run, fan, std::move(items));
}

Result<Array> Execution::batch_items(Run& run, const Fanout& fan, Array inputs) {
  const asl::ItemBatcher& b = *run.st().item_batcher;
  const Value& map_input =
      run.st().language == asl::QueryLanguage::kJsonata ? run.input : fan.map_input;
  detail::RunVariables variables(run);
  asl::EvalScope scope(context(run), &variables);
  auto limit = [&](const std::optional<int64_t>& literal, const std::optional<asl::JsonPath>& path,
                   const std::optional<asl::JsonataTemplate>& expr,
                   const char* field) -> Result<std::optional<int64_t>> {
    if (literal) return literal;
    if (expr) {
      auto n = evaluate_integer(run, *expr, 1);
      if (!n.ok()) return std::move(n).error();
      return std::optional<int64_t>(*n);
    }
    if (!path) return std::optional<int64_t>();
    auto n = detail::integer_at(*path, map_input, scope, 1);
    if (!n) {
      return make_error(ErrorCode::kStatesRuntime, std::string("The ") + field +
                                                       " field refers to value that is not a "
                                                       "positive integer: " +
                                                       path->text());
    }
    return std::optional<int64_t>(*n);
  };
  auto max_items = limit(b.max_items, b.max_items_path, b.max_items_expr, "MaxItemsPerBatchPath");
  if (!max_items.ok()) return std::move(max_items).error();
  auto max_bytes =
      limit(b.max_bytes, b.max_bytes_path, b.max_bytes_expr, "MaxInputBytesPerBatchPath");
  if (!max_bytes.ok()) return std::move(max_bytes).error();
  std::optional<Value> batch_input;
  if (b.batch_input) {
    auto v = b.batch_input->evaluate(map_input, scope);
    if (!v.ok()) return std::move(v).error();
    batch_input = std::move(v).value();
  } else if (b.batch_input_expr) {
    auto v = evaluate_field(run, *b.batch_input_expr);
    if (!v.ok()) return std::move(v).error();
    batch_input = std::move(v).value();
  }
  // A batch's size is the JSON text of {"Items":[...],"BatchInput":...}.
  const std::size_t overhead = std::string_view(R"({"Items":[]})").size() +
                               (batch_input ? std::string_view(R"(,"BatchInput":)").size() +
                                                  json::serialize(*batch_input).size()
                                            : 0);
  Array batches;
  Array current;
  std::size_t bytes = overhead;
  auto flush = [&] {
    Object batch;
    batch.set("Items", Value(std::move(current)));
    if (batch_input) batch.set("BatchInput", *batch_input);
    batches.push_back(Value(std::move(batch)));
    current = Array();
    bytes = overhead;
  };
  for (auto& input : inputs) {
    const std::size_t size = json::serialize(input).size();
    const bool full = !current.empty() &&
                      ((*max_items && static_cast<int64_t>(current.size()) >= **max_items) ||
                       (*max_bytes && bytes + 1 + size > static_cast<std::size_t>(**max_bytes)));
    if (full) flush();
    bytes += size + (current.empty() ? 0 : 1);
    current.push_back(std::move(input));
  }
  if (!current.empty()) flush();
  return batches;
}

void Execution::deliver_map_run(Run& run) {
  run.map_run->delivered_ = true;
  services_.map_runs->start(run.map_request, run.map_run);
}

std::shared_ptr<Run> Execution::map_run_owner(MapRunHandle& handle) {
  auto run = handle.run_.lock();
  if (!run || run->finished || run->map_run.get() != &handle) return nullptr;
  return run;
}

void Execution::on_map_run_succeeded(MapRunHandle& handle, Array results) {
  auto run = map_run_owner(handle);
  if (!run) return;
  Value list(std::move(results));
  // The results are what the AWS event does not carry: a replay takes them from here.
  next_record_ = json::serialize(Value(Object{{"results", list}}));
  emit(run.get(), HistoryEventType::kMapRunSucceeded, Value());
  emit(run.get(), HistoryEventType::kMapStateSucceeded, Value());
  run->map_run.reset();
  run->map_run_redrivable = false;
  run->generation++;
  leave(*run, result_exit(*run, std::move(list)));
}

void Execution::on_map_run_failed(MapRunHandle& handle, std::string error, std::string cause) {
  auto run = map_run_owner(handle);
  if (!run) return;
  Object d;
  if (!error.empty()) d.set("error", Value(error));
  if (!cause.empty()) d.set("cause", Value(cause));
  emit(run.get(), HistoryEventType::kMapRunFailed, Value(std::move(d)));
  emit(run.get(), HistoryEventType::kMapStateFailed, Value());
  run->map_run.reset();
  // AWS starts a new map run instead when it failed on data (States.Runtime,
  // States.DataLimitExceeded); a failure of its children is redriven.
  run->map_run_redrivable = error != "States.Runtime" && error != "States.DataLimitExceeded";
  run->generation++;
  state_failed(*run, Failure{std::move(error), std::move(cause)});
}

}  // namespace sluice::engine::executor
