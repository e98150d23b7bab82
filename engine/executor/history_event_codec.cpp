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
constexpr uint8_t kInputReference = 0x40;
constexpr uint8_t kTypeBits = 0x3f;
constexpr uint8_t kLastEventType = static_cast<uint8_t>(HistoryEventType::kMapRunRedriven);
static_assert(kLastEventType <= kTypeBits, "event types must fit below the flag bits");

// Which member of the details is the execution's input (0: none).
uint8_t input_reference(const json::Value& details, std::string_view execution_input) {
  if (execution_input.empty() || !details.is_object()) return 0;
  const json::Object& o = details.as_object();
  if (const json::Value* v = o.find("input");
      v && v->is_string() && v->as_string() == execution_input) {
    return 1;
  }
  if (const json::Value* v = o.find("output");
      v && v->is_string() && v->as_string() == execution_input) {
    return 2;
  }
  return 0;
}

}  // namespace

std::string encode_history_event(const HistoryEvent& e, std::string_view execution_input) {
  ByteWriter w(64);
  const bool record = !e.resume_record.empty();
  const uint8_t reference = input_reference(e.details, execution_input);
  w.u8(static_cast<uint8_t>(static_cast<uint8_t>(e.type) | (record ? kHasResumeRecord : 0) |
                            (reference ? kInputReference : 0)));
  w.i64(e.previous_event_id);
  w.i64(e.timestamp_ms);
  if (record) w.str(e.resume_record);
  if (reference) w.u8(reference);
  std::string out = std::move(w).take();
  if (!e.details.is_object()) return out;
  if (!reference) {
    json::serialize_to(e.details, out);
    return out;
  }
  const std::string_view skip = reference == 1 ? "input" : "output";
  out.push_back('{');
  bool first = true;
  for (const auto& [key, value] : e.details.as_object()) {
    if (key == skip) continue;
    if (!first) out.push_back(',');
    first = false;
    json::append_quoted(key, out);
    out.push_back(':');
    json::serialize_to(value, out);
  }
  out.push_back('}');
  return out;
}

std::string splice_input(const StoredEvent& e, std::string_view execution_input) {
  if (e.input_member.empty()) return std::string(e.details_json);
  std::string out;
  out.reserve(e.details_json.size() + execution_input.size() + 32);
  out.push_back('{');
  json::append_quoted(e.input_member, out);
  out.push_back(':');
  json::append_quoted(execution_input, out);
  // The stored details are "{...}" without the member: the rest follows it.
  if (e.details_json.size() > 2) out.push_back(',');
  if (e.details_json.size() > 1) out.append(e.details_json.substr(1));
  if (e.details_json.size() <= 1) out.push_back('}');
  return out;
}

std::optional<StoredEvent> decode_history_event(std::string_view bytes) {
  ByteReader rd(bytes);
  StoredEvent e;
  uint8_t type = rd.u8();
  e.previous_event_id = rd.i64();
  e.timestamp_ms = rd.i64();
  if (type & kHasResumeRecord) e.resume_record = rd.str();
  if (type & kInputReference) {
    const uint8_t which = rd.u8();
    if (which != 1 && which != 2) return std::nullopt;
    e.input_member = which == 1 ? "input" : "output";
  }
  type = static_cast<uint8_t>(type & kTypeBits);
  if (!rd.ok() || type > kLastEventType) return std::nullopt;
  e.type = static_cast<HistoryEventType>(type);
  e.details_json = rd.rest();
  return e;
}

std::optional<HistoryEvent> decode_full_history_event(int64_t id, std::string_view bytes,
                                                      std::string_view execution_input) {
  auto ev = decode_history_event(bytes);
  if (!ev) return std::nullopt;
  std::string spliced;
  if (!ev->input_member.empty()) {
    spliced = splice_input(*ev, execution_input);
    ev->details_json = spliced;
  }
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
