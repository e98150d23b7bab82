// Record encodings of MessageRecord and MessageState.
#include "storage/queue/message.h"

#include "storage/queue/byte_codec.h"

namespace sluice::storage {

namespace {
constexpr uint8_t kGroupTag = 1;
constexpr uint8_t kDedupTag = 2;

void tagged(ByteWriter& w, uint8_t tag, std::string_view value) {
  if (value.empty()) return;
  w.u8(tag);
  w.str(value);
}
}  // namespace

std::string MessageRecord::serialize() const {
  size_t n = body.size() + group_id.size() + dedup_id.size() + 138;
  for (auto& a : attributes) n += a.name.size() + a.data_type.size() + a.value.size() + 13;
  ByteWriter w(n);
  w.u8(1);
  w.str(message_id);
  w.str(body_md5);
  w.str(sender_id);
  w.str(aws_trace_header);
  w.u32(static_cast<uint32_t>(attributes.size()));
  for (auto& a : attributes) {
    w.str(a.name);
    w.str(a.data_type);
    w.u8(a.is_binary ? 1 : 0);
    w.str(a.value);
  }
  w.str(body);
  tagged(w, kGroupTag, group_id);
  tagged(w, kDedupTag, dedup_id);
  return std::move(w).take();
}

Result<MessageRecord> MessageRecord::deserialize(std::string_view bytes) {
  ByteReader r(bytes);
  MessageRecord m;
  uint8_t version = r.u8();
  m.message_id = r.str();
  m.body_md5 = r.str();
  m.sender_id = r.str();
  m.aws_trace_header = r.str();
  uint32_t n = r.u32();
  if (!r.ok() || n > 1024) return make_error(ErrorCode::kInternal, "corrupt message record");
  m.attributes.resize(n);
  for (auto& a : m.attributes) {
    a.name = r.str();
    a.data_type = r.str();
    a.is_binary = r.u8() != 0;
    a.value = r.str();
  }
  m.body = r.str();
  while (r.ok() && !r.at_end()) {
    const uint8_t tag = r.u8();
    const std::string_view value = r.str();
    if (tag == kGroupTag) m.group_id = value;
    if (tag == kDedupTag) m.dedup_id = value;
  }
  if (version != 1 || !r.ok()) return make_error(ErrorCode::kInternal, "corrupt message record");
  return m;
}

std::string MessageState::serialize() const {
  ByteWriter w(kFixedSize + (group_id.empty() ? 0 : 5 + group_id.size()));
  w.u8(1);
  w.i64(sent_ms);
  w.i64(visible_at_ms);
  w.i64(first_receive_ms);
  w.u32(receive_count);
  tagged(w, kGroupTag, group_id);
  return std::move(w).take();
}

std::string MessageState::serialize_over(std::string_view stored) const {
  std::string out = serialize();
  if (group_id.empty() && stored.size() > kFixedSize) out.append(stored.substr(kFixedSize));
  return out;
}

Result<MessageState> MessageState::deserialize(std::string_view bytes) {
  ByteReader r(bytes);
  MessageState s;
  uint8_t version = r.u8();
  s.sent_ms = r.i64();
  s.visible_at_ms = r.i64();
  s.first_receive_ms = r.i64();
  s.receive_count = r.u32();
  while (r.ok() && !r.at_end()) {
    const uint8_t tag = r.u8();
    const std::string_view value = r.str();
    if (tag == kGroupTag) s.group_id = value;
  }
  if (version != 1 || !r.ok()) return make_error(ErrorCode::kInternal, "corrupt message state");
  return s;
}

size_t message_size(const NewMessage& m) {
  size_t n = m.body.size();
  for (auto& a : m.attributes) n += a.name.size() + a.data_type.size() + a.value.size();
  return n;
}

}  // namespace sluice::storage
