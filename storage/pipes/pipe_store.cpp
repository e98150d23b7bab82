// See pipe_store.h.
#include "storage/pipes/pipe_store.h"

#include "storage/byte_codec.h"

namespace sluice::storage {

namespace {
constexpr uint8_t kFormat = 1;
}

std::string PipeRecord::serialize() const {
  ByteWriter w(64 + definition.size());
  w.u8(kFormat);
  w.u8(desired_state);
  w.u8(current_state);
  w.i64(created_ms);
  w.i64(modified_ms);
  w.str(state_reason);
  w.str(definition);
  return std::move(w).take();
}

std::optional<PipeRecord> PipeRecord::deserialize(std::string_view bytes) {
  ByteReader r(bytes);
  if (r.u8() != kFormat) return std::nullopt;
  PipeRecord p;
  p.desired_state = r.u8();
  p.current_state = r.u8();
  p.created_ms = r.i64();
  p.modified_ms = r.i64();
  p.state_reason = std::string(r.str());
  p.definition = std::string(r.str());
  if (!r.ok()) return std::nullopt;
  return p;
}

Status PipeStore::scan(const std::function<void(std::string_view, PipeRecord&&)>& visit) {
  ReadTxn txn(env_);
  if (int rc = txn.begin()) return lmdb_error(rc, "pipes: begin");
  Cursor c(txn.get(), txn.dbs().pipes);
  if (!c.ok()) return make_error(ErrorCode::kInternal, "pipes: cursor");
  MDB_val k, v;
  for (int rc = mdb_cursor_get(c.get(), &k, &v, MDB_FIRST); rc == 0;
       rc = mdb_cursor_get(c.get(), &k, &v, MDB_NEXT)) {
    auto record = PipeRecord::deserialize(from_val(v));
    if (!record) {
      return make_error(ErrorCode::kInternal, "pipes: corrupt record " + std::string(from_val(k)));
    }
    visit(from_val(k), std::move(*record));
  }
  return {};
}

Mutation PipeStore::put(std::string name, const PipeRecord& record,
                        std::function<void(Status)> done) {
  Mutation m;
  m.apply = [name = std::move(name), bytes = record.serialize()](WriteTxn& t) {
    return t.put(t.dbs().pipes, name, bytes);
  };
  m.done = std::move(done);
  return m;
}

Mutation PipeStore::remove(std::string name, std::function<void(Status)> done) {
  Mutation m;
  m.apply = [name = std::move(name)](WriteTxn& t) { return t.del(t.dbs().pipes, name); };
  m.done = std::move(done);
  return m;
}

}  // namespace sluice::storage
