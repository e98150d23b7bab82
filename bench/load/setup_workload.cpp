#include "bench/load/setup_workload.h"

namespace sluice::bench {

SetupWorkload::SetupWorkload(const WorkloadContext& context, bool create, bool purge)
    : context_(context), create_(create), purge_(purge) {
  context_.queues->urls.assign(context_.queues->names.size(), std::string());
}

size_t SetupWorkload::total_steps() const {
  const size_t n = context_.queues->names.size();
  return purge_ ? 2 * n : n;
}

std::optional<PlannedRequest> SetupWorkload::next(size_t /*pool*/, uint64_t /*now_ns*/) {
  if (waiting_ || done()) return std::nullopt;
  const QueueSet& queues = *context_.queues;
  const size_t n = queues.names.size();
  PlannedRequest request;
  if (step_ < n) {
    request.queue = static_cast<uint32_t>(step_);
    const std::string& name = queues.names[step_];
    if (create_) {
      request.action = ApiAction::kCreateQueue;
      request.wire = context_.builder->create_queue(name, queues.fifo);
    } else {
      request.action = ApiAction::kGetQueueUrl;
      request.wire = context_.builder->get_queue_url(name);
    }
  } else {
    request.queue = static_cast<uint32_t>(step_ - n);
    request.action = ApiAction::kPurgeQueue;
    request.wire = context_.builder->purge_queue(queues.urls[request.queue]);
  }
  waiting_ = true;
  return request;
}

void SetupWorkload::on_lost(const PlannedRequest& request) {
  waiting_ = false;
  failed_ = true;
  failure_ = std::string(action_name(request.action)) + " " +
             context_.queues->names[request.queue] + ": no response";
}

void SetupWorkload::on_response(const PlannedRequest& request, const HttpResponse& response,
                                RunStats& stats, uint64_t /*now_ns*/) {
  waiting_ = false;
  const std::string& name = context_.queues->names[request.queue];
  const auto fail = [&](const Failure& f) {
    stats.add_error(request.action, f.label, f.detail);
    failed_ = true;
    failure_ = std::string(action_name(request.action)) + " " + name + ": " + f.label +
               (f.detail.empty() ? "" : " (" + f.detail + ")");
  };
  if (request.action == ApiAction::kPurgeQueue) {
    auto result = context_.parser->empty(response);
    if (!result) {
      if (result.failure().label.find("PurgeQueueInProgress") == std::string::npos) {
        fail(result.failure());
        return;
      }
      warnings_.push_back("PurgeQueue " + name + ": purged within the last 60 s; not purged again");
    }
    ++step_;
    return;
  }
  auto result = context_.parser->queue_url(response);
  if (!result) {
    fail(result.failure());
    return;
  }
  context_.queues->urls[request.queue] = std::move(result->queue_url);
  ++step_;
}

}  // namespace sluice::bench
