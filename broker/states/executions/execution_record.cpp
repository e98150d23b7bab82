// See execution_record.h.
#include "broker/states/executions/execution_record.h"

#include "engine/json/json_serialize.h"
#include "storage/queue/byte_codec.h"

namespace sluice::states {

namespace {

using storage::ByteReader;
using storage::ByteWriter;

constexpr uint8_t kRecordFormat = 1;
constexpr uint8_t kOutcomeFormat = 1;
constexpr uint8_t kHasResumeRecord = 0x80;
constexpr uint8_t kLastEventType =
    static_cast<uint8_t>(engine::executor::HistoryEventType::kExecutionRedriven);

std::string keyed(char kind, std::string_view arn) {
  std::string k;
  k.reserve(arn.size() + 1);
  k.push_back(kind);
  k.append(arn);
  return k;
}

void opt_str(ByteWriter& w, const std::optional<std::string>& s) {
  w.u8(s ? 1 : 0);
  if (s) w.str(*s);
}

std::optional<std::string> read_opt_str(ByteReader& r) {
  if (r.u8() == 0) return std::nullopt;
  return std::string(r.str());
}

}  // namespace

std::string execution_record_key(std::string_view arn) {
  return keyed('x', arn);
}

std::string execution_outcome_key(std::string_view arn) {
  return keyed('o', arn);
}

std::string encode_execution_record(const ExecutionRecord& r) {
  ByteWriter w(64 + r.input.size());
  w.u8(kRecordFormat);
  w.u64(r.id);
  w.str(r.name);
  w.str(r.machine);
  w.str(r.version_arn);
  w.str(r.alias_arn);
  w.u64(r.revision);
  w.i64(r.start_ms);
  w.str(r.trace_header);
  w.str(r.input);
  return std::move(w).take();
}

std::optional<ExecutionRecord> decode_execution_record(std::string_view bytes) {
  ByteReader rd(bytes);
  if (rd.u8() != kRecordFormat) return std::nullopt;
  ExecutionRecord r;
  r.id = rd.u64();
  r.name = std::string(rd.str());
  r.machine = std::string(rd.str());
  r.version_arn = std::string(rd.str());
  r.alias_arn = std::string(rd.str());
  r.revision = rd.u64();
  r.start_ms = rd.i64();
  r.trace_header = std::string(rd.str());
  r.input = std::string(rd.str());
  if (!rd.ok()) return std::nullopt;
  return r;
}

std::string encode_outcome(const StoredOutcome& o) {
  ByteWriter w(32);
  w.u8(kOutcomeFormat);
  w.u8(static_cast<uint8_t>(o.status));
  w.i64(o.stop_ms);
  opt_str(w, o.output);
  opt_str(w, o.error);
  opt_str(w, o.cause);
  w.u32(o.redrive_count);
  w.i64(o.redrive_ms);
  return std::move(w).take();
}

std::optional<StoredOutcome> decode_outcome(std::string_view bytes) {
  ByteReader rd(bytes);
  if (rd.u8() != kOutcomeFormat) return std::nullopt;
  StoredOutcome o;
  uint8_t status = rd.u8();
  if (status > static_cast<uint8_t>(engine::executor::ExecutionStatus::kAborted)) {
    return std::nullopt;
  }
  o.status = static_cast<engine::executor::ExecutionStatus>(status);
  o.stop_ms = rd.i64();
  o.output = read_opt_str(rd);
  o.error = read_opt_str(rd);
  o.cause = read_opt_str(rd);
  o.redrive_count = rd.u32();
  o.redrive_ms = rd.i64();
  if (!rd.ok()) return std::nullopt;
  return o;
}

std::string history_key(uint64_t execution, int64_t event_id) {
  ByteWriter w(16);
  w.u64(execution);
  w.i64(event_id);
  return std::move(w).take();
}

bool split_history_key(std::string_view key, uint64_t* execution, int64_t* event_id) {
  if (key.size() != 16) return false;
  ByteReader rd(key);
  *execution = rd.u64();
  *event_id = rd.i64();
  return true;
}

std::string encode_history_event(const engine::executor::HistoryEvent& e) {
  ByteWriter w(64);
  bool record = !e.resume_record.empty();
  w.u8(static_cast<uint8_t>(static_cast<uint8_t>(e.type) | (record ? kHasResumeRecord : 0)));
  w.i64(e.previous_event_id);
  w.i64(e.timestamp_ms);
  if (record) w.str(e.resume_record);
  std::string out = std::move(w).take();
  if (e.details.is_object()) engine::json::serialize_to(e.details, out);
  return out;
}

std::optional<StoredEvent> decode_history_event(std::string_view bytes) {
  ByteReader rd(bytes);
  StoredEvent e;
  uint8_t type = rd.u8();
  e.previous_event_id = rd.i64();
  e.timestamp_ms = rd.i64();
  if (type & kHasResumeRecord) {
    type = static_cast<uint8_t>(type & ~kHasResumeRecord);
    e.resume_record = rd.str();
  }
  if (!rd.ok() || type > kLastEventType) return std::nullopt;
  e.type = static_cast<engine::executor::HistoryEventType>(type);
  e.details_json = rd.rest();
  return e;
}

std::string heartbeats_key(std::string_view arn) {
  return keyed('h', arn);
}

std::string encode_heartbeats(const std::vector<engine::executor::TaskHeartbeatRecord>& beats) {
  ByteWriter w(4 + 16 * beats.size());
  w.u32(static_cast<uint32_t>(beats.size()));
  for (const auto& b : beats) {
    w.i64(b.scheduled_event_id);
    w.i64(b.at_ms);
  }
  return std::move(w).take();
}

std::optional<std::vector<engine::executor::TaskHeartbeatRecord>> decode_heartbeats(
    std::string_view bytes) {
  ByteReader rd(bytes);
  uint32_t n = rd.u32();
  if (!rd.ok() || n > bytes.size() / 16) return std::nullopt;
  std::vector<engine::executor::TaskHeartbeatRecord> beats(n);
  for (auto& b : beats) {
    b.scheduled_event_id = rd.i64();
    b.at_ms = rd.i64();
  }
  if (!rd.ok()) return std::nullopt;
  return beats;
}

}  // namespace sluice::states
