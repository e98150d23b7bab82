#include "bench/load/report.h"

#include <cinttypes>

#include "bench/load/text_encoding.h"

namespace sluice::bench {
namespace {

double per_second(uint64_t n, double seconds) {
  return seconds > 0 ? static_cast<double>(n) / seconds : 0;
}

double ms(uint64_t micros) {
  return static_cast<double>(micros) / 1000.0;
}

void table_row(std::FILE* out, std::string_view name, const LatencyHistogram& h) {
  std::fprintf(out, "  %-20.*s %10" PRIu64 " %9.3f %9.3f %9.3f %9.3f %9.3f %9.3f\n",
               static_cast<int>(name.size()), name.data(), h.count(), ms(h.percentile(50)),
               ms(h.percentile(90)), ms(h.percentile(99)), ms(h.percentile(99.9)), ms(h.max()),
               h.mean() / 1000.0);
}

std::string_view protocol_name(Protocol p) {
  return p == Protocol::kJson ? "json" : "query";
}

// Minimal JSON object writer for the report.
class JsonOut {
 public:
  JsonOut& open(std::string_view key = {}) {
    comma_key(key);
    s_.push_back('{');
    first_ = true;
    return *this;
  }
  JsonOut& close() {
    s_.push_back('}');
    first_ = false;
    return *this;
  }
  JsonOut& str(std::string_view key, std::string_view v) {
    comma_key(key);
    append_json_string(s_, v);
    return *this;
  }
  JsonOut& num(std::string_view key, uint64_t v) {
    comma_key(key);
    s_ += std::to_string(v);
    return *this;
  }
  JsonOut& real(std::string_view key, double v) {
    comma_key(key);
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%.3f", v);
    s_ += buf;
    return *this;
  }
  JsonOut& boolean(std::string_view key, bool v) {
    comma_key(key);
    s_ += v ? "true" : "false";
    return *this;
  }
  JsonOut& histogram(std::string_view key, const LatencyHistogram& h) {
    open(key)
        .num("count", h.count())
        .num("p50", h.percentile(50))
        .num("p90", h.percentile(90))
        .num("p99", h.percentile(99))
        .num("p99_9", h.percentile(99.9))
        .num("max", h.max())
        .real("mean", h.mean());
    return close();
  }
  std::string take() { return std::move(s_); }

 private:
  void comma_key(std::string_view key) {
    if (!first_) s_.push_back(',');
    first_ = false;
    if (!key.empty()) {
      append_json_string(s_, key);
      s_.push_back(':');
    }
  }
  std::string s_;
  bool first_ = true;
};

}  // namespace

std::string_view stop_reason_name(StopReason reason) {
  switch (reason) {
    case StopReason::kDone:
      return "done";
    case StopReason::kDuration:
      return "duration";
    case StopReason::kStalled:
      return "stalled";
    case StopReason::kInterrupted:
      return "interrupted";
    case StopReason::kFailed:
      return "failed";
  }
  return "?";
}

void print_report_table(std::FILE* out, const BenchOptions& o, const RunResult& r) {
  const RunStats& s = *r.stats;
  const MessageCounters& m = s.messages();
  const double t = r.elapsed_s;
  std::fprintf(out, "sluice-bench: workload %s, protocol %s, endpoint %s\n", o.workload.c_str(),
               std::string(protocol_name(o.protocol)).c_str(), o.endpoint.c_str());
  std::string shape;
  if (o.producers.value_or(0) > 0) {  // the workload has producer and consumer pools
    shape = std::to_string(o.producers.value_or(0)) + " producer + " +
            std::to_string(o.consumers.value_or(0)) + " consumer connections";
  } else {
    shape = std::to_string(o.connections) + " connections";
  }
  if (o.threads > 1) shape += " on " + std::to_string(o.threads) + " threads";
  std::fprintf(
      out, "  %s x pipeline %u, %s; body %u B, batch %u, %u queue(s)%s%s\n", shape.c_str(),
      o.pipeline,
      o.rate > 0
          ? ("open loop at " + std::to_string(static_cast<uint64_t>(o.rate)) + " req/s").c_str()
          : "closed loop",
      o.body_size, o.batch_size.value_or(1), o.queues,
      o.fifo ? (", FIFO with " + std::to_string(o.groups) + " groups").c_str() : "",
      o.wait_seconds.value_or(0) > 0
          ? (", WaitTimeSeconds " + std::to_string(*o.wait_seconds)).c_str()
          : "");
  std::fprintf(out, "  measured %.2f s (warm-up %.1f s), stopped: %s\n\n", t, o.warmup_s,
               std::string(stop_reason_name(r.reason)).c_str());

  std::fprintf(out, "Throughput\n");
  std::fprintf(out, "  requests/s       %12.1f  (%" PRIu64 " responses)\n",
               per_second(s.total_responses(), t), s.total_responses());
  std::fprintf(out, "  messages sent/s  %12.1f  (%" PRIu64 ")\n", per_second(m.sent, t), m.sent);
  std::fprintf(out, "  received/s       %12.1f  (%" PRIu64 ")\n", per_second(m.received, t),
               m.received);
  std::fprintf(out, "  deleted/s        %12.1f  (%" PRIu64 ")\n", per_second(m.deleted, t),
               m.deleted);
  const WorkflowCounters& wf = s.workflows();
  if (wf.executions > 0) {
    std::fprintf(out, "  executions/s     %12.1f  (%" PRIu64 ")\n", per_second(wf.executions, t),
                 wf.executions);
    std::fprintf(out, "  transitions/s    %12.1f  (%" PRIu64 ", every state entered)\n",
                 per_second(wf.transitions, t), wf.transitions);
  }
  if (m.empty_receives || m.redelivered || m.other_run || m.foreign || r.cancelled) {
    std::fprintf(out,
                 "  empty receives %" PRIu64 ", redelivered %" PRIu64 ", from other runs %" PRIu64
                 ", foreign bodies %" PRIu64 ", long polls cancelled at the end %" PRIu64 "\n",
                 m.empty_receives, m.redelivered, m.other_run, m.foreign, r.cancelled);
  }

  std::fprintf(out,
               "\nLatency (ms)              count       p50       p90       p99     p99.9"
               "       max      mean\n");
  for (size_t a = 0; a < kApiActionCount; ++a) {
    const ActionStats& as = s.action(static_cast<ApiAction>(a));
    if (as.responses > 0) table_row(out, action_name(static_cast<ApiAction>(a)), as.latency);
  }
  table_row(out, "all requests", s.all_latency());
  if (s.end_to_end().count() > 0) {
    table_row(out, o.workload == "trigger" ? "send->ExecutionStarted" : "send->receive",
              s.end_to_end());
  }
  if (s.send_lag().count() > 0) table_row(out, "send lag (open loop)", s.send_lag());

  if (s.total_errors() == 0) {
    std::fprintf(out, "\nErrors: none\n");
    return;
  }
  std::fprintf(out, "\nErrors: %" PRIu64 "\n", s.total_errors());
  for (const auto& [label, e] : s.errors()) {
    std::fprintf(out, "  %-32s %10" PRIu64 "  %s\n", label.c_str(), e.count,
                 e.first_detail.c_str());
  }
  bool by_action = false;
  for (size_t a = 0; a < kApiActionCount; ++a)
    by_action |= s.action(static_cast<ApiAction>(a)).errors > 0;
  if (by_action) {
    std::fprintf(out, "  by action:");
    for (size_t a = 0; a < kApiActionCount; ++a) {
      const ActionStats& as = s.action(static_cast<ApiAction>(a));
      if (as.errors) {
        std::fprintf(out, " %s %" PRIu64,
                     std::string(action_name(static_cast<ApiAction>(a))).c_str(), as.errors);
      }
    }
    std::fprintf(out, "\n");
  }
}

std::string report_json(const BenchOptions& o, const RunResult& r) {
  const RunStats& s = *r.stats;
  const MessageCounters& m = s.messages();
  const double t = r.elapsed_s;
  JsonOut j;
  j.open()
      .str("workload", o.workload)
      .str("protocol", protocol_name(o.protocol))
      .str("endpoint", o.endpoint)
      .num("connections", o.connections)
      .num("threads", o.threads)
      .num("producers", o.producers.value_or(0))
      .num("consumers", o.consumers.value_or(0))
      .num("pipeline", o.pipeline)
      .real("rate", o.rate)
      .num("body_size", o.body_size)
      .num("batch_size", o.batch_size.value_or(1))
      .num("queues", o.queues)
      .boolean("fifo", o.fifo)
      .num("groups", o.fifo ? o.groups : 0)
      .num("wait_seconds", o.wait_seconds.value_or(0))
      .real("warmup_s", o.warmup_s)
      .real("elapsed_s", t)
      .str("stop_reason", stop_reason_name(r.reason))
      .num("requests", s.total_responses())
      .real("requests_per_s", per_second(s.total_responses(), t));
  j.open("messages")
      .num("sent", m.sent)
      .num("received", m.received)
      .num("deleted", m.deleted)
      .real("sent_per_s", per_second(m.sent, t))
      .real("received_per_s", per_second(m.received, t))
      .real("deleted_per_s", per_second(m.deleted, t))
      .num("empty_receives", m.empty_receives)
      .num("redelivered", m.redelivered)
      .num("other_run", m.other_run)
      .num("foreign", m.foreign)
      .close();
  j.open("workflows")
      .num("executions", s.workflows().executions)
      .num("transitions", s.workflows().transitions)
      .real("executions_per_s", per_second(s.workflows().executions, t))
      .real("transitions_per_s", per_second(s.workflows().transitions, t))
      .close();
  j.open("latency_us").histogram("all", s.all_latency());
  for (size_t a = 0; a < kApiActionCount; ++a) {
    const ActionStats& as = s.action(static_cast<ApiAction>(a));
    if (as.responses > 0) j.histogram(action_name(static_cast<ApiAction>(a)), as.latency);
  }
  j.close();
  if (s.end_to_end().count() > 0) j.histogram("end_to_end_us", s.end_to_end());
  if (s.send_lag().count() > 0) j.histogram("send_lag_us", s.send_lag());
  j.num("cancelled_long_polls", r.cancelled).num("errors_total", s.total_errors());
  j.open("errors");
  for (const auto& [label, e] : s.errors()) {
    j.open(label).num("count", e.count).str("example", e.first_detail).close();
  }
  j.close();
  j.open("errors_by_action");
  for (size_t a = 0; a < kApiActionCount; ++a) {
    const ActionStats& as = s.action(static_cast<ApiAction>(a));
    if (as.errors) j.num(action_name(static_cast<ApiAction>(a)), as.errors);
  }
  j.close();
  j.close();
  return j.take();
}

}  // namespace sluice::bench
