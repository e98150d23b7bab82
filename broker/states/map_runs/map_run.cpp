// See map_run.h.
#include "broker/states/map_runs/map_run.h"

#include <algorithm>

#include "engine/json/json_parse.h"

namespace sluice::states {

namespace {

constexpr const char* kThresholdError = "States.ExceedToleratedFailureThreshold";
constexpr const char* kThresholdCause = "The specified tolerated failure threshold was exceeded";

std::string member(const json::Value& v, std::string_view key) {
  if (!v.is_object()) return {};
  const json::Value* m = v.as_object().find(key);
  return m != nullptr && m->is_string() ? m->as_string() : std::string();
}

}  // namespace

const char* map_run_status_name(MapRunStatus s) {
  switch (s) {
    case MapRunStatus::kRunning:
      return "RUNNING";
    case MapRunStatus::kSucceeded:
      return "SUCCEEDED";
    case MapRunStatus::kFailed:
      return "FAILED";
    case MapRunStatus::kAborted:
      return "ABORTED";
  }
  return "RUNNING";
}

std::string MapRun::name_of(const std::string& map_run_arn, std::size_t index) {
  // The map run's id (the ARN's last part) names its children, each by its item's index.
  std::string id = map_run_arn.substr(map_run_arn.rfind(':') + 1);
  return id + "_" + std::to_string(index);
}

MapRun::MapRun(engine::executor::MapRunRequest request, MapRunChildren& children,
               const engine::executor::Clock& clock)
    : request_(std::move(request)), starter_(children), clock_(clock) {
  start_ms_ = request_.start_ms != 0 ? request_.start_ms : clock_.now_ms();
  redrive_count_ = request_.redrive_count;
  redrive_ms_ = request_.redrive_ms;
  max_concurrency_ = request_.max_concurrency;
  tolerated_count_ = request_.tolerated_failure_count;
  tolerated_percentage_ = request_.tolerated_failure_percentage;
  const std::size_t n = request_.inputs.size();
  children_.resize(n);
  results_.assign(n, json::Value());
  for (std::size_t i = 0; i < n; ++i) {
    children_[i].name = name_of(request_.map_run_arn, i);
    const json::Value& in = request_.inputs[i];
    if (request_.batched && in.is_object()) {
      const json::Value* items = in.as_object().find("Items");
      children_[i].items =
          items && items->is_array() ? static_cast<int64_t>(items->as_array().size()) : 1;
    }
  }
}

std::shared_ptr<MapRun> MapRun::ended(Ended e, MapRunChildren& children,
                                      const engine::executor::Clock& clock) {
  auto run = std::make_shared<MapRun>(std::move(e.request), children, clock);
  run->rebuilt_ = true;
  run->children_ = std::move(e.children);
  run->results_.assign(run->children_.size(), json::Value());
  run->status_ = e.status;
  run->start_ms_ = e.start_ms;
  run->stop_ms_ = e.stop_ms;
  run->next_ = run->children_.size();
  run->answered_ = true;
  for (const Child& c : run->children_) {
    if (c.state == ChildState::kRunning) ++run->running_;
    if (c.state != ChildState::kPending && c.state != ChildState::kRunning) ++run->done_;
    if (c.state == ChildState::kFailed || c.state == ChildState::kTimedOut ||
        c.state == ChildState::kAborted)
      ++run->failed_;
  }
  return run;
}

std::shared_ptr<MapRun> MapRun::summarized(engine::executor::MapRunRequest request,
                                           MapRunStatus status, int64_t stop_ms,
                                           MapRunCounts execution_counts, MapRunCounts item_counts,
                                           std::vector<Child> kept, json::Array results,
                                           MapRunChildren& children,
                                           const engine::executor::Clock& clock) {
  auto run = std::make_shared<MapRun>(std::move(request), children, clock);
  run->rebuilt_ = true;
  if (!kept.empty() && kept.size() == results.size()) {
    run->children_ = std::move(kept);
    run->results_ = std::move(results);
    run->next_ = run->children_.size();
    run->kept_children_ = true;
  }
  run->status_ = status;
  run->stop_ms_ = stop_ms;
  run->answered_ = true;
  run->summary_ = std::make_pair(execution_counts, item_counts);
  return run;
}

void MapRun::redrive_from(const MapRun* previous) {
  if (previous == nullptr) return;  // every child is looked at again (MapRunChildren::run_child)
  max_concurrency_ = previous->max_concurrency_;
  tolerated_count_ = previous->tolerated_count_;
  tolerated_percentage_ = previous->tolerated_percentage_;
  start_ms_ = previous->start_ms_;
  if ((previous->rebuilt_ && !previous->kept_children_) ||
      previous->children_.size() != children_.size()) {
    return;
  }
  for (std::size_t i = 0; i < children_.size(); ++i) {
    const Child& before = previous->children_[i];
    Child& c = children_[i];
    switch (before.state) {
      case ChildState::kPending:
      case ChildState::kRunning:  // still stopping: run_child redrives it once it has stopped
        break;
      case ChildState::kSucceeded:
        c = before;
        results_[i] = previous->results_[i];
        ++done_;
        break;
      case ChildState::kFailed:
      case ChildState::kTimedOut:
      case ChildState::kAborted:
        c = before;
        c.pending_redrive = true;
        c.not_redrivable = false;
        break;
    }
  }
}

void MapRun::attach(std::shared_ptr<engine::executor::MapRunHandle> handle) {
  handle_ = std::move(handle);
  answered_ = false;
  settle();
}

void MapRun::run() {
  pump();
  settle();
}

void MapRun::pump() {
  if (pumping_) return;  // a child that ended inside run_child: the loop below goes on
  pumping_ = true;
  const std::size_t limit = static_cast<std::size_t>(
      max_concurrency_ <= 0 ? kMaxConcurrency : std::min(max_concurrency_, kMaxConcurrency));
  while (status_ == MapRunStatus::kRunning && next_ < children_.size() && running_ < limit) {
    const std::size_t i = next_++;
    if (children_[i].state == ChildState::kSucceeded) continue;  // kept by a redrive
    launch(i);
  }
  pumping_ = false;
}

void MapRun::launch(std::size_t index) {
  Child& c = children_[index];
  c.state = ChildState::kRunning;
  c.pending_redrive = false;
  c.not_redrivable = false;
  ++running_;
  MapRunChildStart start;
  start.map_run_arn = request_.map_run_arn;
  start.parent_arn = request_.execution_arn;
  start.label = request_.label;
  start.name = c.name;
  start.processor = request_.processor;
  start.express = request_.execution_type == engine::asl::ChildExecutionType::kExpress;
  start.input = request_.inputs[index];
  start.redrive_after_ms = request_.redrive_ms;
  start.previous_arn = c.arn;
  std::weak_ptr<MapRun> weak = weak_from_this();
  auto started = starter_.run_child(start, [weak, index](json::Value description) {
    if (auto self = weak.lock()) self->child_finished(index, description);
  });
  if (!started) {
    // The child could not even start: it counts as a failed child.
    json::Object d;
    d.set("status", json::Value("FAILED"));
    d.set("error", json::Value(started.error().type));
    d.set("cause", json::Value(started.error().message));
    return child_finished(index, json::Value(std::move(d)));
  }
  // An EXPRESS child started again by a redrive is a new execution: its start changes.
  c.arn = started->execution_arn;
  if (c.start_ms == 0 || start.express) c.start_ms = started->start_ms;
}

void MapRun::child_finished(std::size_t index, const json::Value& description) {
  Child& c = children_[index];
  if (c.state != ChildState::kRunning) return;
  if (c.arn.empty()) c.arn = member(description, "executionArn");
  if (const json::Value* start =
          description.is_object() ? description.as_object().find("startDate") : nullptr;
      start && start->is_int() && c.start_ms == 0) {
    c.start_ms = start->as_int();
  }
  const json::Value* stop =
      description.is_object() ? description.as_object().find("stopDate") : nullptr;
  c.stop_ms = stop && stop->is_int() ? stop->as_int() : clock_.now_ms();
  --running_;
  ++done_;
  const std::string status = member(description, "status");
  if (status == "SUCCEEDED") {
    c.state = ChildState::kSucceeded;
    auto out = json::parse(member(description, "output"));
    results_[index] = out ? std::move(*out) : json::Value();
  } else {
    c.state = status == "TIMED_OUT" ? ChildState::kTimedOut
              : status == "ABORTED" ? ChildState::kAborted
                                    : ChildState::kFailed;
    // A redrive that was refused (MapRunChildren::run_child) leaves the child as it was.
    c.not_redrivable = request_.redrive_count > 0 &&
                       request_.execution_type == engine::asl::ChildExecutionType::kStandard &&
                       member(description, "redriveStatus") == "NOT_REDRIVABLE";
    ++failed_;
    json::Object err;
    std::string error = member(description, "error");
    std::string cause = member(description, "cause");
    if (!error.empty()) err.set("Error", json::Value(error));
    if (!cause.empty()) err.set("Cause", json::Value(cause));
    results_[index] = json::Value(std::move(err));
    if (status_ == MapRunStatus::kRunning && threshold_exceeded()) {
      failure_ = {kThresholdError, kThresholdCause};
      end(MapRunStatus::kFailed);
      stop_running("", "");
    }
  }
  if (status_ == MapRunStatus::kRunning) pump();
  settle();
}

bool MapRun::threshold_exceeded() const {
  if (!tolerated_count_ && !tolerated_percentage_) return failed_ > 0;
  const double total = static_cast<double>(children_.size());
  bool exceeded = false;
  if (tolerated_count_) exceeded |= static_cast<int64_t>(failed_) > *tolerated_count_;
  if (tolerated_percentage_ && total > 0)
    exceeded |= static_cast<double>(failed_) * 100.0 / total > *tolerated_percentage_;
  return exceeded;
}

void MapRun::settle() {
  if (status_ == MapRunStatus::kRunning && done_ == children_.size()) {
    end(MapRunStatus::kSucceeded);
  }
  if (answered_ || !handle_ || status_ == MapRunStatus::kRunning) return;
  if (status_ == MapRunStatus::kAborted) return;  // the parent abandoned it: nobody waits
  answered_ = true;
  auto handle = handle_;
  if (status_ == MapRunStatus::kSucceeded) {
    handle->succeed(results_);
  } else {
    handle->fail(failure_ ? failure_->first : kThresholdError,
                 failure_ ? failure_->second : kThresholdCause);
  }
}

void MapRun::end(MapRunStatus status) {
  status_ = status;
  stop_ms_ = clock_.now_ms();
  if (on_end_) on_end_(*this);
}

void MapRun::stop_running(const char* error, const char* cause) {
  for (Child& c : children_) {
    if (c.state == ChildState::kRunning && !c.arn.empty())
      starter_.stop_map_run_child(c.arn, error, cause);
  }
}

void MapRun::abort() {
  if (status_ != MapRunStatus::kRunning) return;
  handle_.reset();
  end(MapRunStatus::kAborted);
  stop_running("", "");
}

void MapRun::restore_limits(const MapRunLimits& limits) {
  max_concurrency_ = limits.max_concurrency;
  tolerated_count_ = limits.tolerated_failure_count;
  tolerated_percentage_ = limits.tolerated_failure_percentage;
}

void MapRun::update(std::optional<int64_t> max_concurrency, std::optional<int64_t> tolerated_count,
                    std::optional<double> tolerated_percentage) {
  if (max_concurrency) max_concurrency_ = *max_concurrency;
  if (tolerated_count) tolerated_count_ = *tolerated_count;
  if (tolerated_percentage) tolerated_percentage_ = *tolerated_percentage;
  if (status_ != MapRunStatus::kRunning) return;
  if (failed_ > 0 && threshold_exceeded()) {
    failure_ = {kThresholdError, kThresholdCause};
    end(MapRunStatus::kFailed);
    stop_running("", "");
  } else {
    pump();
  }
  settle();
}

MapRunCounts MapRun::execution_counts() const {
  return counts(false);
}

MapRunCounts MapRun::item_counts() const {
  return counts(true);
}

MapRunCounts MapRun::counts(bool by_items) const {
  if (summary_) return by_items ? summary_->second : summary_->first;
  MapRunCounts n;
  const bool running = status_ == MapRunStatus::kRunning;
  for (const Child& c : children_) {
    const int64_t k = by_items ? c.items : 1;
    switch (c.state) {
      case ChildState::kPending:
        // Not started: pending while the map run runs, not counted once it has ended.
        if (running) n.pending += k;
        continue;
      case ChildState::kRunning:
        n.running += k;
        break;
      case ChildState::kSucceeded:
        n.succeeded += k;
        break;
      case ChildState::kFailed:
        n.failed += k;
        break;
      case ChildState::kTimedOut:
        n.timed_out += k;
        break;
      case ChildState::kAborted:
        n.aborted += k;
        break;
    }
    if (c.pending_redrive && running) n.pending_redrive += k;
    if (c.not_redrivable) n.failures_not_redrivable += k;
  }
  n.total = n.pending + n.running + n.succeeded + n.failed + n.timed_out + n.aborted;
  return n;
}

}  // namespace sluice::states
