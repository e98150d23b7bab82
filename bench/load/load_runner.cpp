#include "bench/load/load_runner.h"

#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <deque>
#include <optional>
#include <vector>

#include "bench/load/http_connection.h"
#include "bench/load/loop_timer.h"
#include "bench/load/precise_timer.h"
#include "bench/load/rate_schedule.h"
#include "bench/load/sqs_response_parser.h"

namespace sluice::bench {
namespace {

constexpr uint64_t kHousekeepingMs = 100;
constexpr uint64_t kReconnectDelayNs = 100'000'000;
constexpr uint64_t kConnectRetryDelayNs = 250'000'000;
constexpr uint64_t kMaxDrainNs = 10'000'000'000;

uint64_t seconds_to_ns(double s) {
  return static_cast<uint64_t>(s * 1e9);
}

struct Flight {
  PlannedRequest request;
  uint64_t start_ns = 0;  // latency origin: the intended time (open loop) or the send (closed)
  uint64_t sent_ns = 0;
};

struct Lane {
  std::unique_ptr<HttpConnection> connection;
  size_t pool = 0;
  std::deque<Flight> in_flight;
  bool listed = false;  // in its pool's ready list
  bool down = true;     // neither connected nor connecting
  bool first_attempt = true;
  uint64_t reconnect_at_ns = 0;
  uint64_t answered_since_connect = 0;
};

struct Pool {
  PoolSpec spec;
  std::vector<Lane*> ready;  // lanes that may have a free pipeline slot (checked lazily)
  std::optional<RateSchedule> schedule;
  double rate = 0;
};

class Session final : public HttpConnection::Listener {
 public:
  Session(uv_loop_t* loop, const RunConfig& config, Workload& workload)
      : loop_(loop), config_(config), workload_(workload), stats_(std::make_unique<RunStats>()) {}

  RunResult run();

  void on_connected(HttpConnection& connection) override;
  void on_response(HttpConnection& connection, HttpResponse&& response) override;
  void on_closed(HttpConnection& connection, std::string_view reason,
                 std::string_view detail) override;

 private:
  void begin();
  void start_measuring();
  void dispatch_all();
  void dispatch(size_t pool_index);
  Lane* ready_lane(Pool& pool);
  void list(Lane& lane);
  void arm_rate_timer();
  void lose_in_flight(Lane& lane, std::string_view reason, std::string_view detail);
  void take_down(Lane& lane, uint64_t reconnect_at_ns);
  void housekeeping();
  void print_progress(bool final_line);
  uint64_t progress_value() const;
  void stop(StopReason reason);
  void maybe_finish();
  void finish();
  bool only_long_polls(const Lane& lane) const;

  uv_loop_t* loop_;
  const RunConfig& config_;
  Workload& workload_;
  std::unique_ptr<RunStats> stats_;

  std::vector<Pool> pools_;
  std::vector<std::unique_ptr<Lane>> lanes_;
  size_t pending_first_connects_ = 0;
  uint64_t in_flight_total_ = 0;

  std::unique_ptr<LoopTimer> housekeeping_timer_;
  std::unique_ptr<LoopTimer> phase_timer_;
  std::unique_ptr<LoopTimer> progress_timer_;
  std::unique_ptr<PreciseTimer> rate_timer_;
  uint64_t rate_timer_armed_at_ = 0;
  std::vector<std::unique_ptr<SignalWatch>> signals_;

  bool started_ = false;
  bool measuring_ = false;
  bool stopping_ = false;
  bool finished_ = false;
  StopReason reason_ = StopReason::kDone;
  uint64_t start_ns_ = 0;
  uint64_t measure_start_ns_ = 0;
  uint64_t stop_ns_ = 0;
  uint64_t last_response_ns_ = 0;
  uint64_t drain_deadline_ns_ = 0;
  uint64_t cancelled_ = 0;

  // Stall detection and the progress line.
  uint64_t last_progress_value_ = 0;
  uint64_t last_progress_change_ns_ = 0;
  uint64_t last_print_ns_ = 0;
  uint64_t last_print_responses_ = 0;
  uint64_t last_print_sent_ = 0;
  uint64_t last_print_received_ = 0;
  bool tty_ = false;
};

RunResult Session::run() {
  const std::vector<PoolSpec> specs = workload_.pools();
  size_t rate_limited = 0;
  for (const PoolSpec& spec : specs) rate_limited += spec.rate_limited ? 1 : 0;
  for (const PoolSpec& spec : specs) {
    Pool pool;
    pool.spec = spec;
    if (config_.rate > 0 && spec.rate_limited)
      pool.rate = config_.rate / static_cast<double>(rate_limited);
    pools_.push_back(std::move(pool));
  }
  for (size_t p = 0; p < pools_.size(); ++p) {
    for (uint32_t i = 0; i < pools_[p].spec.connections; ++i) {
      auto lane = std::make_unique<Lane>();
      lane->pool = p;
      lane->connection =
          std::make_unique<HttpConnection>(loop_, config_.address, *this, lanes_.size());
      lanes_.push_back(std::move(lane));
    }
  }

  housekeeping_timer_ = std::make_unique<LoopTimer>(loop_, [this] { housekeeping(); });
  housekeeping_timer_->start(kHousekeepingMs, kHousekeepingMs);
  phase_timer_ = std::make_unique<LoopTimer>(loop_, [] {});
  if (config_.progress) {
    tty_ = isatty(STDERR_FILENO) != 0;
    progress_timer_ = std::make_unique<LoopTimer>(loop_, [this] { print_progress(false); });
  }
  for (int signum : {SIGINT, SIGTERM}) {
    signals_.push_back(std::make_unique<SignalWatch>(loop_, signum, [this] {
      if (!stopping_) {
        stop(StopReason::kInterrupted);
      } else {
        drain_deadline_ns_ = 0;  // second signal: stop waiting for answers
        housekeeping();
      }
    }));
  }

  pending_first_connects_ = lanes_.size();
  for (auto& lane : lanes_) {
    lane->down = false;
    lane->connection->connect();
  }
  if (lanes_.empty()) begin();
  uv_run(loop_, UV_RUN_DEFAULT);

  workload_.finish(*stats_, reason_);
  RunResult result;
  result.reason = reason_;
  result.cancelled = cancelled_;
  if (measuring_ || measure_start_ns_ != 0) {
    const uint64_t end = std::max(stop_ns_, last_response_ns_);
    result.elapsed_s =
        end > measure_start_ns_ ? static_cast<double>(end - measure_start_ns_) / 1e9 : 0;
  }
  lanes_.clear();  // sockets are closed already; the loop has released them
  result.stats = std::move(stats_);
  return result;
}

void Session::begin() {
  if (started_ || stopping_) return;
  started_ = true;
  start_ns_ = uv_hrtime();
  last_progress_change_ns_ = start_ns_;
  last_print_ns_ = start_ns_;
  for (Pool& pool : pools_) {
    if (pool.rate > 0) pool.schedule.emplace(pool.rate, start_ns_);
  }
  if (std::any_of(pools_.begin(), pools_.end(),
                  [](const Pool& p) { return p.schedule.has_value(); })) {
    rate_timer_ = std::make_unique<PreciseTimer>(loop_, [this] {
      rate_timer_armed_at_ = 0;
      dispatch_all();
    });
  }
  if (progress_timer_) progress_timer_->start(1000, 1000);
  if (config_.warmup_s > 0) {
    phase_timer_ = std::make_unique<LoopTimer>(loop_, [this] { start_measuring(); });
    phase_timer_->start(static_cast<uint64_t>(config_.warmup_s * 1000));
  } else {
    start_measuring();
  }
  dispatch_all();
}

void Session::start_measuring() {
  if (stopping_) return;
  const uint64_t now = uv_hrtime();
  if (config_.warmup_s > 0) {
    stats_->reset();
    last_print_responses_ = last_print_sent_ = last_print_received_ = 0;
  }
  workload_.on_measure_start();
  measuring_ = true;
  measure_start_ns_ = now;
  last_progress_change_ns_ = now;
  if (config_.duration_s > 0) {
    phase_timer_->close();
    phase_timer_ = std::make_unique<LoopTimer>(loop_, [this] { stop(StopReason::kDuration); });
    phase_timer_->start(static_cast<uint64_t>(config_.duration_s * 1000));
  }
}

Lane* Session::ready_lane(Pool& pool) {
  while (!pool.ready.empty()) {
    Lane* lane = pool.ready.back();
    if (lane->connection->open() && lane->in_flight.size() < config_.pipeline) return lane;
    pool.ready.pop_back();
    lane->listed = false;
  }
  return nullptr;
}

void Session::list(Lane& lane) {
  if (lane.listed || !lane.connection->open() || lane.in_flight.size() >= config_.pipeline) return;
  pools_[lane.pool].ready.push_back(&lane);
  lane.listed = true;
}

void Session::dispatch_all() {
  if (!started_ || stopping_) return;
  for (size_t p = 0; p < pools_.size(); ++p) dispatch(p);
  arm_rate_timer();
}

void Session::dispatch(size_t pool_index) {
  Pool& pool = pools_[pool_index];
  for (;;) {
    if (stopping_) return;
    Lane* lane = ready_lane(pool);
    if (!lane) return;
    const uint64_t now = uv_hrtime();
    if (pool.schedule && pool.schedule->next_index() >= pool.schedule->due_by(now)) return;
    std::optional<PlannedRequest> request = workload_.next(pool_index, now);
    if (!request) return;
    const uint64_t start = pool.schedule ? pool.schedule->take() : now;
    if (pool.schedule && measuring_) stats_->record_send_lag((now - std::min(now, start)) / 1000);
    lane->connection->send(std::move(request->wire));
    lane->in_flight.push_back(Flight{std::move(*request), start, now});
    ++in_flight_total_;
  }
}

void Session::arm_rate_timer() {
  if (!rate_timer_ || stopping_) return;
  const uint64_t now = uv_hrtime();
  uint64_t earliest = UINT64_MAX;
  for (const Pool& pool : pools_) {
    if (!pool.schedule) continue;
    // With a backlog the next request leaves when a slot frees up, not on a timer.
    if (pool.schedule->backlog(now) > 0) continue;
    earliest = std::min(earliest, pool.schedule->intended_ns(pool.schedule->next_index()));
  }
  if (earliest == UINT64_MAX || earliest == rate_timer_armed_at_) return;
  rate_timer_armed_at_ = earliest;
  rate_timer_->arm_at(earliest);
}

void Session::on_connected(HttpConnection& connection) {
  Lane& lane = *lanes_[connection.id()];
  lane.down = false;
  lane.answered_since_connect = 0;
  const bool was_first = lane.first_attempt;
  lane.first_attempt = false;
  if (stopping_) {
    connection.close();
    lane.down = true;
    maybe_finish();
    return;
  }
  list(lane);
  if (was_first && --pending_first_connects_ == 0) begin();
  dispatch_all();
}

void Session::on_closed(HttpConnection& connection, std::string_view reason,
                        std::string_view detail) {
  Lane& lane = *lanes_[connection.id()];
  const uint64_t now = uv_hrtime();
  const bool connect_failed = reason == "connect-error";
  if (connect_failed) stats_->add_error(reason, detail);
  const bool lost = !lane.in_flight.empty();
  lose_in_flight(lane, reason, detail);
  lane.down = true;
  lane.reconnect_at_ns = now + (connect_failed ? kConnectRetryDelayNs : kReconnectDelayNs);
  if (lane.first_attempt) {
    lane.first_attempt = false;
    if (--pending_first_connects_ == 0) begin();
  }
  if (config_.fail_fast && (lost || connect_failed)) stop(StopReason::kFailed);
  // A connection that worked (say the server has a keep-alive limit) is replaced at once; one that
  // broke before answering anything waits for housekeeping, so we never spin.
  if (!stopping_ && started_ && !connect_failed && lane.answered_since_connect > 0) {
    lane.down = false;
    connection.connect();
  }
  maybe_finish();
}

void Session::lose_in_flight(Lane& lane, std::string_view reason, std::string_view detail) {
  for (Flight& f : lane.in_flight) {
    stats_->add_error(f.request.action, reason, detail);
    workload_.on_lost(f.request);
  }
  in_flight_total_ -= lane.in_flight.size();
  lane.in_flight.clear();
}

void Session::take_down(Lane& lane, uint64_t reconnect_at_ns) {
  lane.connection->close();
  lane.down = true;
  lane.reconnect_at_ns = reconnect_at_ns;
}

void Session::on_response(HttpConnection& connection, HttpResponse&& response) {
  Lane& lane = *lanes_[connection.id()];
  const uint64_t now = uv_hrtime();
  if (lane.in_flight.empty()) {
    stats_->add_error(kBadResponse, "a response to no request");
    take_down(lane, now);
    return;
  }
  Flight flight = std::move(lane.in_flight.front());
  lane.in_flight.pop_front();
  --in_flight_total_;
  ++lane.answered_since_connect;
  last_response_ns_ = now;
  stats_->record_response(flight.request.action, (now - flight.start_ns) / 1000);
  workload_.on_response(flight.request, response, *stats_, now);
  list(lane);
  if (stopping_) {
    maybe_finish();
    return;
  }
  if (measuring_ && workload_.done()) {
    stop(StopReason::kDone);
    return;
  }
  dispatch_all();
}

// Progress that counts against a stall: every answer except receives, which count by the
// messages they bring (an empty queue answers receives forever).
uint64_t Session::progress_value() const {
  const MessageCounters& m = stats_->messages();
  return stats_->total_responses() - stats_->action(ApiAction::kReceiveMessage).responses +
         m.received;
}

void Session::housekeeping() {
  const uint64_t now = uv_hrtime();
  if (stopping_) {
    if (now >= drain_deadline_ns_) {
      for (auto& lane : lanes_) {
        if (lane->in_flight.empty()) continue;
        lose_in_flight(*lane, "timeout", "unanswered when the run ended");
        take_down(*lane, UINT64_MAX);
      }
    }
    maybe_finish();
    return;
  }
  const uint64_t timeout_ns = seconds_to_ns(config_.timeout_s);
  for (auto& lane_ptr : lanes_) {
    Lane& lane = *lane_ptr;
    if (!lane.in_flight.empty()) {
      const Flight& oldest = lane.in_flight.front();
      const uint64_t limit = timeout_ns + uint64_t{oldest.request.wait_seconds} * 1'000'000'000;
      if (now - oldest.sent_ns > limit) {
        lose_in_flight(lane, "timeout", "no response within --timeout");
        take_down(lane, now);
        if (config_.fail_fast) {
          stop(StopReason::kFailed);
          return;
        }
      }
    }
    if (lane.down && started_ && now >= lane.reconnect_at_ns) {
      lane.down = false;
      lane.connection->connect();
    }
  }
  if (measuring_ && config_.duration_s == 0) {
    const uint64_t value = progress_value();
    if (value != last_progress_value_) {
      last_progress_value_ = value;
      last_progress_change_ns_ = now;
    } else if (now - last_progress_change_ns_ > timeout_ns) {
      stop(StopReason::kStalled);
      return;
    }
  }
  // A workload may have nothing to send until some time passes (a collector waiting before its
  // next scan): ask again on every tick, not only after responses.
  if (measuring_ && workload_.done()) {
    stop(StopReason::kDone);
    return;
  }
  dispatch_all();
}

void Session::print_progress(bool final_line) {
  const uint64_t now = uv_hrtime();
  if (config_.board) {
    ProgressSample sample;
    sample.responses = stats_->total_responses();
    sample.sent = stats_->messages().sent;
    sample.received = stats_->messages().received;
    sample.errors = stats_->total_errors();
    sample.in_flight = in_flight_total_;
    for (const Pool& p : pools_) sample.backlog += p.schedule ? p.schedule->backlog(now) : 0;
    sample.measuring = measuring_;
    config_.board->publish(config_.board_slot, sample, stats_->window());
    stats_->reset_window();
    return;
  }
  const double dt = static_cast<double>(now - last_print_ns_) / 1e9;
  if (dt <= 0) return;
  const MessageCounters& m = stats_->messages();
  const uint64_t responses = stats_->total_responses();
  const LatencyHistogram& w = stats_->window();
  uint64_t backlog = 0;
  for (const Pool& p : pools_) backlog += p.schedule ? p.schedule->backlog(now) : 0;
  char line[320];
  const double t = measuring_ ? static_cast<double>(now - measure_start_ns_) / 1e9
                              : -static_cast<double>(now - start_ns_) / 1e9;
  int n = std::snprintf(
      line, sizeof(line),
      "[%s%6.1fs] %s req/s %9.0f | sent/s %9.0f | recv/s %9.0f | p50 %8.3f ms | p99 %8.3f ms | "
      "errors %llu | in flight %llu",
      measuring_ ? "" : "warm-up ", t, config_.label.c_str(),
      static_cast<double>(responses - last_print_responses_) / dt,
      static_cast<double>(m.sent - last_print_sent_) / dt,
      static_cast<double>(m.received - last_print_received_) / dt,
      static_cast<double>(w.percentile(50)) / 1000.0,
      static_cast<double>(w.percentile(99)) / 1000.0,
      static_cast<unsigned long long>(stats_->total_errors()),
      static_cast<unsigned long long>(in_flight_total_));
  if (backlog > 0 && n > 0 && static_cast<size_t>(n) < sizeof(line)) {
    std::snprintf(line + n, sizeof(line) - static_cast<size_t>(n), " | backlog %llu",
                  static_cast<unsigned long long>(backlog));
  }
  if (tty_) {
    std::fprintf(stderr, "\r%s\x1b[K%s", line, final_line ? "\n" : "");
  } else {
    std::fprintf(stderr, "%s\n", line);
  }
  std::fflush(stderr);
  last_print_ns_ = now;
  last_print_responses_ = responses;
  last_print_sent_ = m.sent;
  last_print_received_ = m.received;
  stats_->reset_window();
}

bool Session::only_long_polls(const Lane& lane) const {
  return std::all_of(lane.in_flight.begin(), lane.in_flight.end(), [](const Flight& f) {
    return f.request.action == ApiAction::kReceiveMessage && f.request.wait_seconds > 0;
  });
}

void Session::stop(StopReason reason) {
  if (stopping_) return;
  stopping_ = true;
  reason_ = reason;
  stop_ns_ = uv_hrtime();
  if (!measuring_) measure_start_ns_ = stop_ns_;
  drain_deadline_ns_ = stop_ns_ + std::min(seconds_to_ns(config_.timeout_s), kMaxDrainNs);
  phase_timer_->stop();
  if (rate_timer_) rate_timer_->disarm();
  for (auto& lane_ptr : lanes_) {
    Lane& lane = *lane_ptr;
    if (!lane.in_flight.empty() && only_long_polls(lane)) {
      // A long poll may wait 20 s for nothing; dropping it neither helps nor hurts the numbers.
      cancelled_ += lane.in_flight.size();
      in_flight_total_ -= lane.in_flight.size();
      for (Flight& f : lane.in_flight) workload_.on_lost(f.request);
      lane.in_flight.clear();
    }
    if (lane.in_flight.empty()) take_down(lane, UINT64_MAX);
  }
  maybe_finish();
}

void Session::maybe_finish() {
  if (stopping_ && in_flight_total_ == 0 && !finished_) finish();
}

void Session::finish() {
  finished_ = true;
  // A terminal needs its \r-updated line ended; a log has its once-a-second lines already.
  if (progress_timer_ && started_ && (tty_ || config_.board)) print_progress(true);
  for (auto& lane : lanes_) lane->connection->close();
  housekeeping_timer_->close();
  phase_timer_->close();
  if (progress_timer_) progress_timer_->close();
  if (rate_timer_) rate_timer_->close();
  for (auto& s : signals_) s->close();
}

}  // namespace

RunResult LoadRunner::run(Workload& workload) {
  Session session(loop_, config_, workload);
  return session.run();
}

}  // namespace sluice::bench
