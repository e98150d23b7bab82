// See execution_journal.h and live_execution.h.
#include "broker/states/executions/execution_journal.h"

#include <algorithm>
#include <cstdio>

#include "engine/executor/history_event_codec.h"
#include "engine/json/json_serialize.h"
#include "storage/executions/execution_store.h"

namespace sluice::states {

using engine::executor::ExecutionOutcome;
using engine::executor::HistoryEvent;

namespace {

constexpr int64_t kRetryDelayMs = 1000;

storage::StoredOutcome stored(const ExecutionOutcome& o) {
  storage::StoredOutcome s;
  s.status = o.status;
  s.stop_ms = o.stop_ms;
  if (o.output) s.output = engine::json::serialize(*o.output);
  s.error = o.error;
  s.cause = o.cause;
  return s;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// LiveExecution: the sink side.

void LiveExecution::on_event(std::string_view, const HistoryEvent& e) {
  if (abandoned) return;
  pending.emplace_back(e.id, engine::executor::encode_history_event(
                                 e, input ? std::string_view(*input) : std::string_view()));
  ++recorded;
  journal.mark_dirty(*this);
  journal.feed().publish(arn, e);
}

void LiveExecution::on_outcome(std::string_view, const ExecutionOutcome& o) {
  if (abandoned) return;
  // An output that is the input, unchanged, is stored as a reference to it (not serialized).
  const bool same = input && exec && o.output && engine::json::identical(*o.output, exec->input());
  if (same) {
    ExecutionOutcome bare = o;
    bare.output.reset();
    outcome = stored(bare);
    outcome->output_is_input = true;
  } else {
    outcome = stored(o);
    if (input && outcome->output && *outcome->output == *input) {
      outcome->output.reset();
      outcome->output_is_input = true;
    }
  }
  // From the Execution: a redriven run can end inside redrive(), before the summary knows.
  outcome->redrive_count =
      exec ? static_cast<uint32_t>(exec->redrive_count()) : (summary ? summary->redrive_count : 0);
  outcome->redrive_ms = exec ? exec->redrive_ms() : (summary ? summary->redrive_ms : 0);
  ++recorded;
  journal.mark_dirty(*this);
}

void LiveExecution::on_task_heartbeat(std::string_view,
                                      const engine::executor::TaskHeartbeatRecord& b) {
  if (abandoned) return;
  bool found = false;
  for (auto& old : beats) {
    if (old.scheduled_event_id == b.scheduled_event_id) {
      old.at_ms = b.at_ms;
      found = true;
    }
  }
  if (!found) beats.push_back(b);
  beats_dirty = true;
  ++recorded;
  journal.mark_dirty(*this);
}

// ---------------------------------------------------------------------------------------------
// ExecutionJournal

ExecutionJournal::ExecutionJournal(uv_loop_t* loop, storage::GroupCommitter& committer,
                                   engine::executor::TimerService& timers,
                                   const engine::executor::Clock& clock, Hooks hooks)
    : committer_(committer), timers_(timers), clock_(clock), hooks_(std::move(hooks)) {
  if (loop == nullptr) {
    closed_ = true;
    return;
  }
  idle_ = new uv_idle_t;
  uv_idle_init(loop, idle_);
  idle_->data = this;
}

ExecutionJournal::~ExecutionJournal() {
  close();
}

void ExecutionJournal::close() {
  if (closed_) return;
  flush();
  closed_ = true;
  uv_idle_stop(idle_);
  idle_->data = nullptr;
  uv_close(reinterpret_cast<uv_handle_t*>(idle_),
           [](uv_handle_t* h) { delete reinterpret_cast<uv_idle_t*>(h); });
  idle_ = nullptr;
}

void ExecutionJournal::mark_dirty(LiveExecution& live) {
  if (!live.dirty) {
    live.dirty = true;
    dirty_.push_back(live.shared_from_this());
  }
  arm();
}

void ExecutionJournal::arm() {
  if (closed_) return flush();
  if (!uv_is_active(reinterpret_cast<uv_handle_t*>(idle_))) {
    uv_idle_start(idle_, [](uv_idle_t* h) {
      auto* self = static_cast<ExecutionJournal*>(h->data);
      uv_idle_stop(h);
      if (self) self->flush();
    });
  }
}

void ExecutionJournal::after_commit(LiveExecution& live, std::function<void(bool)> fn) {
  if (live.abandoned) return fn(false);
  if (live.durable >= live.recorded) return fn(true);
  live.waiters.emplace_back(live.recorded, std::move(fn));
}

void ExecutionJournal::flush() {
  // Safe here: never called from inside an Execution while the loop runs.
  if (!closed_ && hooks_.before_flush) hooks_.before_flush();
  // What one execution put into this batch, to finish (or undo) once it commits.
  struct Part {
    std::shared_ptr<LiveExecution> live;
    bool record = false;
    std::vector<std::pair<int64_t, std::string>> events;  // kept to put back on failure
    std::optional<storage::StoredOutcome> outcome;
    std::optional<storage::Mutation> joined;
    // live.recorded when the batch was taken: every item recorded until then is in it (a batch
    // takes all of an execution's pending writes), so its commit makes that many durable. Not a
    // count of the writes: heartbeats (and an outcome given again) are recorded once each but
    // stored as one record, and a count of records fell behind and held later answers back.
    uint64_t recorded_upto = 0;
    bool reopen = false, beats = false;
  };
  struct Batch {
    storage::ExecutionWrites writes;
    std::vector<Part> parts;
  };
  auto batch = std::make_shared<Batch>();
  std::vector<std::shared_ptr<LiveExecution>> still_dirty;
  for (auto& lp : dirty_) {
    if (lp->abandoned) continue;
    if (lp->in_flight) {
      still_dirty.push_back(std::move(lp));
      continue;
    }
    LiveExecution& live = *lp;
    const storage::ExecutionKey key = key_of(*live.summary);
    Part part;
    live.dirty = false;
    live.in_flight = true;
    if (live.unwritten) {
      batch->writes.put_record(key, *live.unwritten);
      part.record = true;
      if (live.joined) {
        part.joined = std::move(live.joined);
        live.joined.reset();
      }
    }
    if (live.reopen) {
      batch->writes.remove_outcome(key);
      part.reopen = true;
      live.reopen = false;
    }
    if (live.beats_dirty) {
      batch->writes.put_heartbeats(key, engine::executor::encode_heartbeats(live.beats));
      live.beats_dirty = false;
      part.beats = true;
    }
    for (const auto& [id, bytes] : live.pending) {
      batch->writes.append_event(live.summary->id, id, bytes);
    }
    part.events = std::move(live.pending);
    live.pending.clear();
    if (live.outcome) {
      batch->writes.put_outcome(key, *live.outcome);
      part.outcome = std::move(live.outcome);
      live.outcome.reset();
    }
    part.recorded_upto = live.recorded;
    part.live = std::move(lp);
    batch->parts.push_back(std::move(part));
  }
  dirty_ = std::move(still_dirty);
  if (batch->parts.empty()) return;

  storage::Mutation m;
  m.apply = [batch](storage::WriteTxn& txn) {
    if (int rc = batch->writes.apply(txn)) return rc;
    for (const Part& part : batch->parts) {
      if (!part.joined) continue;
      if (int rc = part.joined->apply(txn)) return rc;
    }
    return 0;
  };
  m.done = [this, batch](Status st) {
    bool retry = false;
    for (Part& part : batch->parts) {
      LiveExecution& live = *part.live;
      live.in_flight = false;
      if (part.joined) part.joined->done(st);
      if (live.abandoned) continue;
      if (!st) {
        if (part.record) {
          live.abandoned = true;
          auto waiters = std::move(live.waiters);
          live.waiters.clear();
          hooks_.start_lost(live);
          for (auto& w : waiters) w.second(false);
          continue;
        }
        // Put the writes back in front of what came since, and try again shortly.
        for (auto& e : live.pending) part.events.push_back(std::move(e));
        live.pending = std::move(part.events);
        if (part.outcome) live.outcome = std::move(part.outcome);
        if (part.reopen) live.reopen = true;
        if (part.beats) live.beats_dirty = true;
        if (!live.dirty) {
          live.dirty = true;
          dirty_.push_back(part.live);
        }
        retry = true;
        continue;
      }
      live.durable = std::max(live.durable, part.recorded_upto);
      if (part.record) {
        live.unwritten.reset();
        live.summary->committed = true;
      }
      auto waiters = std::move(live.waiters);
      live.waiters.clear();
      for (auto& w : waiters) {
        if (w.first <= live.durable) {
          w.second(true);
        } else {
          live.waiters.push_back(std::move(w));
        }
      }
      if (part.outcome) {
        live.summary->status = part.outcome->status;
        live.summary->stop_ms = part.outcome->stop_ms;
        live.summary->redrive_count = part.outcome->redrive_count;
        live.summary->redrive_ms = part.outcome->redrive_ms;
        hooks_.outcome_durable(live);
      } else if (live.dirty) {
        arm();
      }
    }
    if (!st) {
      std::fprintf(stderr, "sluice: step functions: recording executions failed: %s\n",
                   st.error().message.c_str());
      if (retry) timers_.schedule(clock_.now_ms() + kRetryDelayMs, [this] { arm(); });
    }
  };
  committer_.submit(std::move(m));
}

}  // namespace sluice::states
