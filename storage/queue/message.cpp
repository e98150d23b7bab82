// Record encodings of MessageRecord and MessageState.
#include "storage/queue/message.h"

#include "storage/byte_codec.h"

namespace sluice::storage {

namespace {
// MessageRecord, version 2.
constexpr uint8_t kRecordVersion = 2;
constexpr uint8_t kGroupTag = 1;
constexpr uint8_t kDedupTag = 2;
constexpr uint8_t kDeadLetterSourceTag = 3;
// MessageState (version 1).
constexpr uint8_t kStateGroupTag = 1;

void tagged(ByteWriter& w, uint8_t tag, std::string_view value) {
  if (value.empty()) return;
  w.u8(tag);
  w.str(value);
}

// Leaves r at a record's first tagged field (after the body).
void skip_fixed_fields(ByteReader& r) {
  for (int i = 0; i < 4; ++i) r.str();  // message id, body md5, sender id, trace header
  const uint32_t n = r.u32();
  for (uint32_t i = 0; i < n && r.ok(); ++i) {
    r.str();
    r.str();
    r.u8();
    r.str();
  }
  r.str();  // body
}

struct TaggedFields {
  std::string_view group, dedup, dead_letter_source;
};

// Reads the tagged tail; unknown tags (from a newer version) are skipped. Version 1 records were
// written by two lines of development that both used tag 1: FIFO queues for the group id (tag 2,
// the deduplication id, always came with it on a FIFO queue) and dead-letter queues for the source
// queue's ARN (never with tag 2). A version 1 tag 1 is the ARN when it has no tag 2 beside it and
// reads as an ARN; a fair-queue group id that reads as an ARN is the one case misread.
TaggedFields read_tagged(ByteReader& r, uint8_t version) {
  TaggedFields f;
  while (r.ok() && !r.at_end()) {
    const uint8_t tag = r.u8();
    const std::string_view value = r.str();
    if (tag == kGroupTag) f.group = value;
    if (tag == kDedupTag) f.dedup = value;
    if (tag == kDeadLetterSourceTag && version >= 2) f.dead_letter_source = value;
  }
  if (version == 1 && f.dedup.empty() && f.group.starts_with("arn:")) {
    f.dead_letter_source = f.group;
    f.group = {};
  }
  return f;
}
}  // namespace

std::string MessageRecord::serialize() const {
  size_t n = body.size() + group_id.size() + dedup_id.size() + dead_letter_source_arn.size() + 143;
  for (auto& a : attributes) n += a.name.size() + a.data_type.size() + a.value.size() + 13;
  ByteWriter w(n);
  w.u8(kRecordVersion);
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
  tagged(w, kDeadLetterSourceTag, dead_letter_source_arn);
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
  const TaggedFields f = read_tagged(r, version);
  if ((version != 1 && version != kRecordVersion) || !r.ok()) {
    return make_error(ErrorCode::kInternal, "corrupt message record");
  }
  m.group_id = f.group;
  m.dedup_id = f.dedup;
  m.dead_letter_source_arn = f.dead_letter_source;
  return m;
}

std::string_view dead_letter_source_arn_of(std::string_view record_bytes) {
  ByteReader r(record_bytes);
  const uint8_t version = r.u8();
  skip_fixed_fields(r);
  const TaggedFields f = read_tagged(r, version);
  return r.ok() ? f.dead_letter_source : std::string_view();
}

std::string MessageState::serialize() const {
  ByteWriter w(kFixedSize + (group_id.empty() ? 0 : 5 + group_id.size()));
  w.u8(1);
  w.i64(sent_ms);
  w.i64(visible_at_ms);
  w.i64(first_receive_ms);
  w.u32(receive_count);
  tagged(w, kStateGroupTag, group_id);
  return std::move(w).take();
}

std::string MessageState::serialize_over(std::string_view stored) const {
  std::string out = serialize();
  if (group_id.empty() && stored.size() > kFixedSize) out.append(stored.substr(kFixedSize));
  return out;
}

Result<MessageState> MessageState::deserialize(std::string_view bytes) {
  auto v = view_message_state(bytes);
  if (!v) return make_error(ErrorCode::kInternal, "corrupt message state");
  MessageState s;
  s.sent_ms = v->sent_ms;
  s.visible_at_ms = v->visible_at_ms;
  s.first_receive_ms = v->first_receive_ms;
  s.receive_count = v->receive_count;
  s.group_id = v->group_id;
  return s;
}

std::optional<MessageStateView> view_message_state(std::string_view bytes) {
  ByteReader r(bytes);
  MessageStateView s;
  const uint8_t version = r.u8();
  s.sent_ms = r.i64();
  s.visible_at_ms = r.i64();
  s.first_receive_ms = r.i64();
  s.receive_count = r.u32();
  if (version != 1 || !r.ok()) return std::nullopt;
  while (!r.at_end()) {  // a standard queue's state has no tagged field
    const uint8_t tag = r.u8();
    const std::string_view value = r.str();
    if (!r.ok()) return std::nullopt;
    if (tag == kStateGroupTag) s.group_id = value;
  }
  return s;
}

size_t message_size(const NewMessage& m) {
  size_t n = m.body.size();
  for (auto& a : m.attributes) n += a.name.size() + a.data_type.size() + a.value.size();
  return n;
}

}  // namespace sluice::storage
