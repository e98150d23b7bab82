// DedupWindow: key layout, claims, and the records and expiry index in the "dedup" database.
#include "storage/queue/dedup_window.h"

#include "storage/byte_codec.h"

namespace sluice::storage {

namespace {
constexpr char kExpiryPrefix = '\xFF';
constexpr size_t kExpiryHeader = 9;  // prefix + expires_ms

std::string expiry_key(int64_t expires_ms, std::string_view record_key) {
  ByteWriter w(kExpiryHeader + record_key.size());
  w.u8(static_cast<uint8_t>(kExpiryPrefix));
  w.i64(expires_ms);
  w.raw(record_key);
  return std::move(w).take();
}

struct Record {
  std::string_view message_id;
  uint64_t seq = 0;
  int64_t expires_ms = 0;
};

std::optional<Record> parse(std::string_view bytes) {
  ByteReader r(bytes);
  Record rec;
  const uint8_t version = r.u8();
  rec.message_id = r.str();
  rec.seq = r.u64();
  rec.expires_ms = r.i64();
  if (version != 1 || !r.ok()) return std::nullopt;
  return rec;
}
}  // namespace

std::string DedupWindow::key(uint64_t queue_id, std::string_view group, std::string_view dedup_id) {
  ByteWriter w(8 + 1 + (group.empty() ? 0 : 4 + group.size()) + dedup_id.size());
  w.u64(queue_id);
  w.u8(group.empty() ? 0 : 1);
  if (!group.empty()) w.str(group);
  w.raw(dedup_id);
  return std::move(w).take();
}

std::optional<DedupWindow::Original> DedupWindow::find(ReadTxn& reader, const std::string& key,
                                                       int64_t now_ms, bool* stale) const {
  if (stale) *stale = false;
  if (auto it = claims_.find(key); it != claims_.end()) {
    return Original{it->second.message_id, it->second.seq, it->second.outcome};
  }
  std::string_view bytes;
  if (reader.get(reader.dbs().dedup, key, &bytes) != 0) return std::nullopt;
  auto rec = parse(bytes);
  if (!rec || rec->expires_ms <= now_ms) {
    if (stale) *stale = true;
    return std::nullopt;
  }
  return Original{std::string(rec->message_id), rec->seq, nullptr};
}

std::shared_ptr<DedupWindow::Outcome> DedupWindow::claim(const std::string& key,
                                                         std::string message_id, uint64_t seq) {
  auto outcome = std::make_shared<Outcome>(Outcome::kCommitting);
  claims_[key] = Claim{std::move(message_id), seq, outcome};
  return outcome;
}

void DedupWindow::release(const std::string& key, const std::shared_ptr<Outcome>& outcome,
                          bool committed) {
  *outcome = committed ? Outcome::kCommitted : Outcome::kFailed;
  auto it = claims_.find(key);
  if (it != claims_.end() && it->second.outcome == outcome) claims_.erase(it);
}

int DedupWindow::put(WriteTxn& t, const std::string& key, std::string_view message_id, uint64_t seq,
                     int64_t expires_ms, bool replaces) {
  // Without `replaces` there is no record (a concurrent write of the key would have been a claim,
  // and the sweep only deletes), so the lookup is skipped: one B-tree search less per send.
  std::string_view old;
  int rc = replaces ? t.get(t.dbs().dedup, key, &old) : MDB_NOTFOUND;
  if (rc == 0) {
    // An expired record the sweep has not reached: its index entry goes with it.
    if (auto prev = parse(old)) {
      if (int drc = t.del(t.dbs().dedup, expiry_key(prev->expires_ms, key))) return drc;
    }
  } else if (rc != MDB_NOTFOUND) {
    return rc;
  }
  ByteWriter w(1 + 4 + message_id.size() + 16);
  w.u8(1);
  w.str(message_id);
  w.u64(seq);
  w.i64(expires_ms);
  if (int prc = t.put(t.dbs().dedup, key, w.view())) return prc;
  return t.put(t.dbs().dedup, expiry_key(expires_ms, key), {});
}

int DedupWindow::sweep(WriteTxn& t, int64_t now_ms, size_t limit, std::optional<int64_t>& next) {
  next.reset();
  Cursor c(t.get(), t.dbs().dedup);
  if (!c.ok()) return EINVAL;
  const std::string start(1, kExpiryPrefix);
  MDB_val k = to_val(start), v;
  size_t deleted = 0;
  int rc = mdb_cursor_get(c.get(), &k, &v, MDB_SET_RANGE);
  while (rc == 0) {
    const std::string_view key = from_val(k);
    if (key.size() < kExpiryHeader || key[0] != kExpiryPrefix) break;
    ByteReader r(key.substr(1, 8));
    const int64_t expires_ms = r.i64();
    if (expires_ms > now_ms || deleted >= limit) {
      next = expires_ms;
      break;
    }
    const std::string index_key(key);
    const std::string record_key(key.substr(kExpiryHeader));
    std::string_view bytes;
    int grc = t.get(t.dbs().dedup, record_key, &bytes);
    if (grc == 0) {
      auto rec = parse(bytes);
      // A record re-sent after its window has a newer expiry and its own index entry.
      if (!rec || rec->expires_ms == expires_ms) {
        if (int drc = t.del(t.dbs().dedup, record_key)) return drc;
      }
    } else if (grc != MDB_NOTFOUND) {
      return grc;
    }
    if (int drc = t.del(t.dbs().dedup, index_key)) return drc;
    ++deleted;
    k = to_val(index_key);
    rc = mdb_cursor_get(c.get(), &k, &v, MDB_SET_RANGE);
  }
  if (rc != 0 && rc != MDB_NOTFOUND) return rc;
  return 0;
}

std::optional<int64_t> DedupWindow::earliest_expiry(ReadTxn& reader) {
  Cursor c(reader.get(), reader.dbs().dedup);
  if (!c.ok()) return std::nullopt;
  const std::string start(1, kExpiryPrefix);
  MDB_val k = to_val(start), v;
  if (mdb_cursor_get(c.get(), &k, &v, MDB_SET_RANGE) != 0) return std::nullopt;
  const std::string_view key = from_val(k);
  if (key.size() < kExpiryHeader || key[0] != kExpiryPrefix) return std::nullopt;
  ByteReader r(key.substr(1, 8));
  return r.i64();
}

}  // namespace sluice::storage
