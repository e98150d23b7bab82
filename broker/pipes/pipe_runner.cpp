// See pipe_runner.h.
#include "broker/pipes/pipe_runner.h"

#include "broker/pipes/sqs_record.h"
#include "broker/pipes/targets/lambda_target.h"
#include "broker/pipes/targets/sqs_queue_target.h"
#include "broker/pipes/targets/state_machine_target.h"
#include "engine/json/json_parse.h"
#include "engine/json/json_serialize.h"
#include "storage/queue/queue_store.h"

namespace sluice::pipes {

namespace {

// A pipe that cannot deliver as configured tries again after this long (it holds nothing).
constexpr int64_t kTroubleRetryMs = 5000;
// FIFO queues: AWS's largest batch for an SQS FIFO source.
constexpr uint32_t kFifoMaxBatch = 10;
// What a record adds to a batch's payload besides its body and attributes (its other members).
constexpr std::size_t kRecordOverhead = 600;

std::size_t payload_bytes(const storage::ReceivedMessage& m) {
  std::size_t n = m.body.size() + kRecordOverhead;
  for (const auto& a : m.attributes) {
    // Binary values travel base64-encoded.
    n += a.name.size() + a.data_type.size() +
         (a.is_binary ? (a.value.size() + 2) / 3 * 4 : a.value.size()) + 64;
  }
  return n;
}

}  // namespace

class PipeRunner::Route {
 public:
  Route(PipeServices& services, std::shared_ptr<const PipeConfig> config)
      : config_(std::move(config)) {
    const PipeConfig& c = *config_;
    switch (c.target.kind) {
      case ResourceKind::kStateMachine:
        target_ = std::make_unique<StateMachineTarget>(services, c.target.arn, c.invocation);
        break;
      case ResourceKind::kLambdaFunction:
        target_ = std::make_unique<LambdaTarget>(services, c.target.arn, c.invocation);
        break;
      case ResourceKind::kSqsQueue:
        target_ = std::make_unique<SqsQueueTarget>(services, c.target.name, c.message_group_id,
                                                   c.message_deduplication_id);
        break;
    }
    if (c.enrichment) {
      if (c.enrichment->kind == ResourceKind::kLambdaFunction) {
        enrichment_ = std::make_unique<LambdaEnrichment>(services, c.enrichment->arn);
      } else {
        enrichment_ = std::make_unique<StateMachineEnrichment>(services, c.enrichment->arn);
      }
    }
  }
  const PipeConfig& config() const { return *config_; }
  PipeTarget& target() { return *target_; }
  PipeEnrichment* enrichment() { return enrichment_.get(); }

 private:
  std::shared_ptr<const PipeConfig> config_;
  std::unique_ptr<PipeTarget> target_;
  std::unique_ptr<PipeEnrichment> enrichment_;
};

struct PipeRunner::Batch {
  std::shared_ptr<Route> route;
  uint64_t queue_id = 0;
  int64_t taken_ms = 0;
  std::vector<uint64_t> seqs;  // every message taken for this batch
  std::vector<std::string> ids;
  std::vector<json::Value> records;
  std::vector<std::size_t> kept;  // indexes of the messages that passed the filters
  std::size_t bytes = 0;
};

PipeRunner::PipeRunner(PipeServices& services, std::shared_ptr<const PipeConfig> config,
                       Hooks hooks)
    : services_(services),
      hooks_(std::move(hooks)),
      route_(std::make_shared<Route>(services, std::move(config))),
      policy_(route_->config().batch),
      self_(std::make_shared<PipeRunner*>(this)) {
  if (services_.loop) {
    idle_ = new uv_idle_t;
    uv_idle_init(services_.loop, idle_);
    idle_->data = this;
  }
}

PipeRunner::~PipeRunner() {
  if (watch_) services_.queues->unwatch(watch_);
  if (window_timer_) services_.timers->cancel(window_timer_);
  if (pause_timer_) services_.timers->cancel(pause_timer_);
  if (idle_) {
    uv_idle_stop(idle_);
    idle_->data = nullptr;
    uv_close(reinterpret_cast<uv_handle_t*>(idle_),
             [](uv_handle_t* h) { delete reinterpret_cast<uv_idle_t*>(h); });
  }
  // Messages still taken stay busy until the process ends (a restart finds them in the queue).
}

const PipeConfig& PipeRunner::config() const {
  return route_->config();
}

void PipeRunner::log(PipeLogLevel level, const std::string& text) const {
  if (services_.log) services_.log(level, "pipe " + route_->config().name + ": " + text);
}

void PipeRunner::start() {
  if (running_) return;
  running_ = true;
  drained_ = nullptr;
  if (!watch_) {
    watch_ = services_.queues->watch(route_->config().source.name, [this] { schedule_pump(); });
  }
  schedule_pump();
}

void PipeRunner::stop(std::function<void()> drained) {
  running_ = false;
  if (watch_) {
    services_.queues->unwatch(watch_);
    watch_ = 0;
  }
  if (window_timer_) {
    services_.timers->cancel(window_timer_);
    window_timer_ = 0;
  }
  if (pause_timer_) {
    services_.timers->cancel(pause_timer_);
    pause_timer_ = 0;
  }
  if (open_) {
    // Taken but not handed to anyone: back to the queue as if never taken.
    auto batch = std::move(open_);
    open_.reset();
    policy_.reset();
    services_.queues->release(batch->queue_id, batch->seqs, std::nullopt);
  }
  if (in_flight_ == 0) {
    if (drained) drained();
    return;
  }
  drained_ = std::move(drained);
}

void PipeRunner::reconfigure(std::shared_ptr<const PipeConfig> config) {
  if (open_) dispatch_open();
  route_ = std::make_shared<Route>(services_, std::move(config));
  policy_ = engine::pipes::BatchPolicy(route_->config().batch);
  if (in_trouble_) {
    in_trouble_ = false;
    if (hooks_.recovered) hooks_.recovered();
  }
  if (pause_timer_) {
    services_.timers->cancel(pause_timer_);
    pause_timer_ = 0;
  }
  schedule_pump();
}

void PipeRunner::schedule_pump() {
  if (!running_ || pause_timer_) return;
  if (!idle_) return pump();
  if (uv_is_active(reinterpret_cast<uv_handle_t*>(idle_))) return;
  uv_idle_start(idle_, [](uv_idle_t* h) {
    uv_idle_stop(h);
    if (auto* self = static_cast<PipeRunner*>(h->data)) self->pump();
  });
}

void PipeRunner::pump() {
  if (!running_ || pause_timer_) return;
  const PipeConfig& c = route_->config();
  const bool fifo = c.source.fifo;
  while (in_flight_ < services_.max_batches_in_flight) {
    storage::QueueStore::TakeOptions options;
    options.one_group = fifo;
    options.max_messages = fifo ? std::min(c.batch.batch_size, kFifoMaxBatch) : policy_.room();
    auto taken = services_.queues->take(c.source.name, options);
    if (!taken) {
      // The source queue is gone; the watch stays on its name, so a queue created again under
      // it is consumed again.
      if (!in_trouble_) {
        in_trouble_ = true;
        std::string why = "The source queue " + c.source.arn + " does not exist";
        log(PipeLogLevel::kWarn, why);
        if (hooks_.trouble) hooks_.trouble(why);
      }
      return;
    }
    if (taken->messages.empty()) break;
    const int64_t now = taken->taken_ms;
    std::shared_ptr<Batch> batch = open_;
    for (auto& m : taken->messages) {
      const std::size_t bytes = payload_bytes(m);
      if (!fifo && !policy_.fits(bytes)) {
        dispatch_open();
        batch.reset();
      }
      if (!batch) {
        batch = std::make_shared<Batch>();
        batch->route = route_;
        batch->queue_id = taken->queue_id;
        batch->taken_ms = now;
        if (!fifo) open_ = batch;
      }
      batch->seqs.push_back(m.seq);
      batch->ids.push_back(m.message_id);
      batch->records.push_back(sqs_record(m, c.source.arn, services_.identity.region));
      batch->bytes += bytes;
      if (!fifo) policy_.add(bytes, now);
    }
    if (fifo) {
      dispatch(std::move(batch));  // one group per take: its own batch
      continue;
    }
    if (policy_.due(now)) {
      dispatch_open();
      continue;
    }
    // Gathering for the window: only more of what fits.
    if (policy_.room() == 0) break;
  }
  arm_window();
}

void PipeRunner::arm_window() {
  if (!open_ || window_timer_) return;
  auto deadline = policy_.deadline();
  if (!deadline) return;
  std::weak_ptr<PipeRunner*> alive = self_;
  window_timer_ = services_.timers->schedule(*deadline, [alive] {
    auto self = alive.lock();
    if (!self) return;
    PipeRunner* r = *self;
    r->window_timer_ = 0;
    if (r->open_) r->dispatch_open();
    r->schedule_pump();
  });
}

void PipeRunner::dispatch_open() {
  if (!open_) return;
  auto batch = std::move(open_);
  open_.reset();
  policy_.reset();
  if (window_timer_) {
    services_.timers->cancel(window_timer_);
    window_timer_ = 0;
  }
  dispatch(std::move(batch));
}

void PipeRunner::dispatch(std::shared_ptr<Batch> batch) {
  ++in_flight_;
  stats_.batches_in_flight = in_flight_;
  const PipeConfig& c = batch->route->config();
  std::vector<json::Value> events;
  events.reserve(batch->records.size());
  for (std::size_t i = 0; i < batch->records.size(); ++i) {
    if (!c.filters.empty()) {
      bool body_json = false;
      json::Value view = filter_view(batch->records[i], &body_json);
      bool pass = false;
      for (const auto& pattern : c.filters) {
        // A body whose format disagrees with the pattern is dropped (AWS: a plain-string body
        // for a pattern that looks inside it, a JSON body for one that matches it as a string).
        const auto use = pattern.field_use("body");
        if (use == engine::pipes::FieldUse::kObject && !body_json) continue;
        if (use == engine::pipes::FieldUse::kValue && body_json) continue;
        if (pattern.matches(view)) {
          pass = true;
          break;
        }
      }
      if (!pass) continue;
    }
    batch->kept.push_back(i);
    events.push_back(batch->records[i]);
  }
  if (batch->kept.empty()) {
    // Nothing for the target: the messages matched no filter and leave the queue.
    DeliveryOutcome o;
    return finish(std::move(batch), std::move(o));
  }
  ++stats_.batches;
  PipeEnrichment* enrichment = batch->route->enrichment();
  if (!enrichment) return deliver(std::move(batch), std::move(events), false);
  engine::pipes::TemplateContext ctx = c.context;
  ctx.ingestion_time_ms = batch->taken_ms;
  json::Array payload;
  payload.reserve(events.size());
  for (auto& e : events) {
    if (!c.enrichment_template) {
      payload.push_back(std::move(e));
      continue;
    }
    auto rendered = c.enrichment_template->render(e, ctx);
    if (rendered.is_json) {
      if (auto v = engine::json::parse(rendered.text)) {
        payload.push_back(std::move(*v));
        continue;
      }
    }
    payload.push_back(json::Value(std::move(rendered.text)));
  }
  std::weak_ptr<PipeRunner*> alive = self_;
  enrichment->enrich(
      json::Value(std::move(payload)),
      [alive, batch](Result<std::vector<json::Value>, std::string> enriched) mutable {
        auto self = alive.lock();
        if (!self) return;
        if (!enriched) {
          return (*self)->finish(
              std::move(batch),
              DeliveryOutcome::failed("The enrichment failed: " + enriched.error()));
        }
        (*self)->deliver(std::move(batch), std::move(enriched).value(), true);
      });
}

void PipeRunner::deliver(std::shared_ptr<Batch> batch, std::vector<json::Value> events,
                         bool enriched) {
  const PipeConfig& c = batch->route->config();
  if (events.empty()) {
    // The enrichment left nothing to deliver: the batch is done.
    return finish(std::move(batch), DeliveryOutcome{});
  }
  engine::pipes::TemplateContext ctx = c.context;
  ctx.ingestion_time_ms = batch->taken_ms;
  const bool sqs_target = c.target.kind == ResourceKind::kSqsQueue;
  Delivery d;
  d.events.reserve(events.size());
  for (auto& e : events) {
    PipeEvent pe;
    if (sqs_target) {
      // The body is the transformed event; the target's JSON-path parameters read the event.
      if (c.target_template) {
        pe.body = c.target_template->render(e, ctx).text;
      } else {
        pe.body = engine::json::serialize(e);
      }
      pe.value = std::move(e);
    } else if (c.target_template) {
      // A Lambda function or a state machine takes JSON: a transformed event that is not JSON
      // fails the batch, as AWS fails it.
      auto rendered = c.target_template->render(e, ctx);
      std::optional<json::Value> parsed;
      if (rendered.is_json) {
        if (auto v = engine::json::parse(rendered.text)) parsed = std::move(*v);
      }
      if (!parsed) {
        return finish(std::move(batch),
                      DeliveryOutcome::failed("The input template made an event that is not "
                                              "valid JSON, which the target requires: " +
                                              rendered.text.substr(0, 200)));
      }
      pe.value = std::move(*parsed);
    } else {
      pe.value = std::move(e);
    }
    d.events.push_back(std::move(pe));
  }
  d.message_ids.reserve(batch->kept.size());
  for (std::size_t i : batch->kept) d.message_ids.push_back(batch->ids[i]);
  d.events_match_messages = !enriched;
  d.first_message_id = d.message_ids.front();
  std::weak_ptr<PipeRunner*> alive = self_;
  d.claim_removal = [alive, batch](std::function<void(Status)> removed) {
    storage::Mutation m;
    auto self = alive.lock();
    if (!self) return m;
    PipeRunner* r = *self;
    m = r->services_.queues->consume(batch->queue_id, batch->seqs, {});
    // Committed: the messages leave the index (the store's own done). Not committed: they stay
    // taken, and finish() gives them back or removes them as the outcome says.
    auto gone = std::move(m.done);
    m.done = [gone = std::move(gone), removed = std::move(removed)](Status st) {
      if (st) gone(st);
      removed(st);
    };
    return m;
  };
  batch->route->target().deliver(std::move(d), [alive, batch](DeliveryOutcome outcome) mutable {
    auto self = alive.lock();
    if (!self) return;
    (*self)->finish(std::move(batch), std::move(outcome));
  });
}

void PipeRunner::finish(std::shared_ptr<Batch> batch, DeliveryOutcome outcome) {
  stats_.executions_started += outcome.executions_started;
  stats_.invocations += outcome.invocations;
  // The messages no filter matched leave the queue whatever happened to the rest.
  std::vector<uint64_t> filtered;
  std::vector<bool> kept(batch->seqs.size(), false);
  for (std::size_t i : batch->kept) kept[i] = true;
  for (std::size_t i = 0; i < batch->seqs.size(); ++i) {
    if (!kept[i]) filtered.push_back(batch->seqs[i]);
  }
  std::vector<uint64_t> delivered, failed;
  switch (outcome.kind) {
    case DeliveryOutcome::Kind::kDelivered:
      if (outcome.removed) {  // in the commit that started the execution
        stats_.messages_consumed += batch->seqs.size();
        stats_.messages_filtered += filtered.size();
        break;
      }
      remove(batch, batch->seqs, filtered.size());
      break;
    case DeliveryOutcome::Kind::kPartial:
      for (std::size_t i : batch->kept) {
        bool bad = false;
        for (const auto& id : outcome.failed_message_ids) bad = bad || id == batch->ids[i];
        (bad ? failed : delivered).push_back(batch->seqs[i]);
      }
      delivered.insert(delivered.end(), filtered.begin(), filtered.end());
      remove(batch, std::move(delivered), filtered.size());
      give_back(batch, std::move(failed), outcome.failures_tried);
      if (outcome.failures_tried) ++stats_.batches_failed;
      log(PipeLogLevel::kInfo, std::to_string(outcome.failed_message_ids.size()) + " of " +
                                   std::to_string(batch->kept.size()) +
                                   " messages of a batch failed" +
                                   (outcome.reason.empty() ? "" : ": " + outcome.reason));
      break;
    case DeliveryOutcome::Kind::kFailed:
      for (std::size_t i : batch->kept) failed.push_back(batch->seqs[i]);
      remove(batch, filtered, filtered.size());  // (a copy: the size is read alongside)
      give_back(batch, std::move(failed), true);
      ++stats_.batches_failed;
      log(PipeLogLevel::kWarn, "a batch of " + std::to_string(batch->kept.size()) +
                                   " messages failed: " + outcome.reason);
      break;
    case DeliveryOutcome::Kind::kMisconfigured: {
      // Nothing was tried: everything goes back as it was, and the pipe waits before trying
      // again (its StateReason says what to change).
      give_back(batch, batch->seqs, false);
      if (!in_trouble_) {
        in_trouble_ = true;
        log(PipeLogLevel::kError, outcome.reason);
        if (hooks_.trouble) hooks_.trouble(outcome.reason);
      }
      if (!pause_timer_ && running_) {
        std::weak_ptr<PipeRunner*> alive = self_;
        pause_timer_ =
            services_.timers->schedule(services_.clock->now_ms() + kTroubleRetryMs, [alive] {
              auto self = alive.lock();
              if (!self) return;
              (*self)->pause_timer_ = 0;
              (*self)->schedule_pump();
            });
      }
      break;
    }
  }
  if (outcome.kind != DeliveryOutcome::Kind::kMisconfigured && in_trouble_) {
    in_trouble_ = false;
    log(PipeLogLevel::kInfo, "delivering again");
    if (hooks_.recovered) hooks_.recovered();
  }
  settled();
}

void PipeRunner::remove(const std::shared_ptr<Batch>& batch, std::vector<uint64_t> seqs,
                        std::size_t filtered) {
  if (seqs.empty()) return;
  const std::size_t n = seqs.size();
  std::weak_ptr<PipeRunner*> alive = self_;
  services_.committer->submit(
      services_.queues->consume(batch->queue_id, std::move(seqs), [alive, n, filtered](Status st) {
        auto self = alive.lock();
        if (!self) return;
        if (st) {
          (*self)->stats_.messages_consumed += n;
          (*self)->stats_.messages_filtered += filtered;
          return;
        }
        // Not removed: they are back in the queue (the store undid the take) and will come again.
        (*self)->log(PipeLogLevel::kError,
                     "removing delivered messages failed: " + st.error().message);
      }));
}

void PipeRunner::give_back(const std::shared_ptr<Batch>& batch, std::vector<uint64_t> seqs,
                           bool failed) {
  if (seqs.empty()) return;
  std::optional<int64_t> visible_at;
  if (failed) {
    stats_.messages_failed += seqs.size();
    // As a failed receive's messages: invisible until the queue's visibility timeout has passed
    // since they were taken.
    int64_t timeout_ms = 30'000;
    if (auto q = services_.queues->get_queue(batch->route->config().source.name)) {
      timeout_ms = int64_t{q->attributes.visibility_timeout} * 1000;
    }
    visible_at = batch->taken_ms + timeout_ms;
  }
  services_.queues->release(batch->queue_id, seqs, visible_at);
}

void PipeRunner::settled() {
  --in_flight_;
  stats_.batches_in_flight = in_flight_;
  if (in_flight_ == 0 && drained_) {
    auto fn = std::move(drained_);
    drained_ = nullptr;
    fn();
    return;
  }
  schedule_pump();
}

}  // namespace sluice::pipes
