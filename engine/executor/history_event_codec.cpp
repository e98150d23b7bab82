// See history_event_codec.h.
#include "engine/executor/history_event_codec.h"

#include "engine/json/json_parse.h"
#include "engine/json/json_serialize.h"
#include "storage/byte_codec.h"

namespace sluice::engine::executor {

namespace {

using storage::ByteReader;
using storage::ByteWriter;

constexpr uint8_t kHasResumeRecord = 0x80;
constexpr uint8_t kLastEventType = static_cast<uint8_t>(HistoryEventType::kExecutionRedriven);

}  // namespace

std::string encode_history_event(const HistoryEvent& e) {
  ByteWriter w(64);
  bool record = !e.resume_record.empty();
  w.u8(static_cast<uint8_t>(static_cast<uint8_t>(e.type) | (record ? kHasResumeRecord : 0)));
  w.i64(e.previous_event_id);
  w.i64(e.timestamp_ms);
  if (record) w.str(e.resume_record);
  std::string out = std::move(w).take();
  if (e.details.is_object()) json::serialize_to(e.details, out);
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
  e.type = static_cast<HistoryEventType>(type);
  e.details_json = rd.rest();
  return e;
}

std::optional<HistoryEvent> decode_full_history_event(int64_t id, std::string_view bytes) {
  auto ev = decode_history_event(bytes);
  if (!ev) return std::nullopt;
  HistoryEvent e;
  e.id = id;
  e.previous_event_id = ev->previous_event_id;
  e.timestamp_ms = ev->timestamp_ms;
  e.type = ev->type;
  e.resume_record = std::string(ev->resume_record);
  if (!ev->details_json.empty()) {
    auto d = json::parse(ev->details_json);
    if (!d) return std::nullopt;
    e.details = std::move(*d);
  }
  return e;
}

std::string encode_heartbeats(const std::vector<TaskHeartbeatRecord>& beats) {
  ByteWriter w(4 + 16 * beats.size());
  w.u32(static_cast<uint32_t>(beats.size()));
  for (const auto& b : beats) {
    w.i64(b.scheduled_event_id);
    w.i64(b.at_ms);
  }
  return std::move(w).take();
}

std::optional<std::vector<TaskHeartbeatRecord>> decode_heartbeats(std::string_view bytes) {
  ByteReader rd(bytes);
  uint32_t n = rd.u32();
  if (!rd.ok() || n > bytes.size() / 16) return std::nullopt;
  std::vector<TaskHeartbeatRecord> beats(n);
  for (auto& b : beats) {
    b.scheduled_event_id = rd.i64();
    b.at_ms = rd.i64();
  }
  if (!rd.ok()) return std::nullopt;
  return beats;
}

}  // namespace sluice::engine::executor
