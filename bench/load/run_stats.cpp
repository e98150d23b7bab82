#include "bench/load/run_stats.h"

namespace sluice::bench {

void RunStats::record_response(ApiAction action, uint64_t latency_us) {
  ActionStats& a = actions_[static_cast<size_t>(action)];
  ++a.responses;
  a.latency.record(latency_us);
  all_.record(latency_us);
  window_.record(latency_us);
}

void RunStats::add_error(ApiAction action, std::string_view label, std::string_view detail,
                         uint64_t n) {
  actions_[static_cast<size_t>(action)].errors += n;
  add_error(label, detail, n);
}

void RunStats::add_error(std::string_view label, std::string_view detail, uint64_t n) {
  if (n == 0) return;
  auto it = errors_.find(label);
  if (it == errors_.end()) it = errors_.emplace(std::string(label), ErrorCount{}).first;
  if (it->second.count == 0) it->second.first_detail.assign(detail);
  it->second.count += n;
  total_errors_ += n;
}

void RunStats::merge(const RunStats& other) {
  for (size_t i = 0; i < actions_.size(); ++i) {
    actions_[i].responses += other.actions_[i].responses;
    actions_[i].errors += other.actions_[i].errors;
    actions_[i].latency.merge(other.actions_[i].latency);
  }
  all_.merge(other.all_);
  end_to_end_.merge(other.end_to_end_);
  send_lag_.merge(other.send_lag_);
  const MessageCounters& o = other.messages_;
  messages_.sent += o.sent;
  messages_.received += o.received;
  messages_.deleted += o.deleted;
  messages_.empty_receives += o.empty_receives;
  messages_.redelivered += o.redelivered;
  messages_.other_run += o.other_run;
  messages_.foreign += o.foreign;
  workflows_.executions += other.workflows_.executions;
  workflows_.transitions += other.workflows_.transitions;
  for (const auto& [label, e] : other.errors_) {
    auto it = errors_.find(label);
    if (it == errors_.end()) it = errors_.emplace(label, ErrorCount{}).first;
    if (it->second.count == 0) it->second.first_detail = e.first_detail;
    it->second.count += e.count;
  }
  total_errors_ += other.total_errors_;
}

void RunStats::reset() {
  for (ActionStats& a : actions_) a = ActionStats{};
  all_.reset();
  window_.reset();
  end_to_end_.reset();
  send_lag_.reset();
  messages_ = MessageCounters{};
  workflows_ = WorkflowCounters{};
  errors_.clear();
  total_errors_ = 0;
}

}  // namespace sluice::bench
