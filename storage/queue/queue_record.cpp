// QueueRecord encoding.
#include "storage/queue/queue_record.h"

#include "storage/byte_codec.h"

namespace sluice::storage {

std::string QueueRecord::serialize() const {
  ByteWriter w(256);
  w.u8(1);
  w.u64(id);
  w.i64(created_ms);
  w.i64(modified_ms);
  w.u64(seq_reserved);
  w.str(attributes.serialize());
  w.u32(static_cast<uint32_t>(tags.size()));
  for (auto& [k, v] : tags) {
    w.str(k);
    w.str(v);
  }
  return std::move(w).take();
}

Result<QueueRecord> QueueRecord::deserialize(std::string_view bytes) {
  ByteReader r(bytes);
  QueueRecord q;
  uint8_t version = r.u8();
  q.id = r.u64();
  q.created_ms = r.i64();
  q.modified_ms = r.i64();
  q.seq_reserved = r.u64();
  auto attrs = QueueAttributes::deserialize(r.str());
  if (!attrs) return attrs.error();
  q.attributes = *attrs;
  uint32_t n = r.u32();
  for (uint32_t i = 0; i < n && r.ok(); ++i) {
    std::string k(r.str());
    q.tags[k] = std::string(r.str());
  }
  if (version != 1 || !r.ok()) return make_error(ErrorCode::kInternal, "corrupt queue record");
  return q;
}

}  // namespace sluice::storage
