// The index snapshot's file format and checks (see index_snapshot.h), and the cold scan.
//
// File: a 60-byte header, then the payload.
//   header: "SLQINDEX" | u32 format version | u64 LMDB txn id | 16-byte marker | u64 rows |
//           u64 payload bytes | u64 checksum (of the header's first 52 bytes and the payload)
//   payload: per queue with rows, in key order: varint queue id, varint row count, the rows.
//   row: varint (seq - previous seq) | zigzag (sent_ms - previous sent_ms) |
//        zigzag (visible_at_ms - sent_ms) | varint (receive_count << 1 | has first receive) |
//        [zigzag (first_receive_ms - sent_ms)] | varint group code
//   group code: 0 none; k in 1..n the queue's k-th group so far; n + 1 a new group, followed by
//   varint length and bytes. ("previous" starts at 0 in each queue.)
// A standard queue's message costs about 5 bytes, against about 60 in the states table's pages.
#include "storage/queue/index_snapshot.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "storage/byte_codec.h"
#include "storage/queue/message.h"
#include "storage/queue/states_prefetch.h"
#include "storage/random_id.h"

namespace sluice::storage {

namespace {

constexpr std::string_view kMagic = "SLQINDEX";
constexpr uint32_t kFormatVersion = 1;
constexpr size_t kMarkerSize = 16;
constexpr size_t kChecksummedHeader = 8 + 4 + 8 + kMarkerSize + 8 + 8;
constexpr size_t kHeaderSize = kChecksummedHeader + 8;
constexpr std::string_view kMarkerKey = "index_snapshot";

void put_varint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}
uint64_t zigzag(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
int64_t unzigzag(uint64_t v) {
  return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1);
}

// Reads varints from the payload; a truncated or over-long one clears ok.
class VarintReader {
 public:
  VarintReader(const char* p, const char* end) : p_(p), end_(end) {}
  uint64_t next() {
    uint64_t v = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
      if (p_ == end_) break;
      const auto b = static_cast<uint8_t>(*p_++);
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
    ok_ = false;
    p_ = end_;
    return 0;
  }
  std::string_view bytes(uint64_t n) {
    if (static_cast<uint64_t>(end_ - p_) < n) {
      ok_ = false;
      p_ = end_;
      return {};
    }
    std::string_view s(p_, n);
    p_ += n;
    return s;
  }
  bool ok() const { return ok_; }
  bool at_end() const { return p_ == end_; }

 private:
  const char* p_;
  const char* end_;
  bool ok_ = true;
};

// Not cryptographic: catches a torn or damaged file. Each step is invertible, so any change of
// one word changes the sum.
uint64_t checksum(std::string_view bytes, uint64_t h) {
  constexpr uint64_t kMul = 0x9E3779B97F4A7C15ull;
  size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, bytes.data() + i, 8);
    h = (h ^ w) * kMul;
    h ^= h >> 32;
  }
  uint64_t w = static_cast<uint64_t>(bytes.size()) << 56;
  std::memcpy(&w, bytes.data() + i, bytes.size() - i);
  h = (h ^ w) * kMul;
  return h ^ (h >> 29);
}

// Encodes the rows of one queue at a time.
class PayloadWriter {
 public:
  void add(const StateRow& r) {
    if (rows_in_queue_ == 0 || r.queue_id != queue_id_) {
      flush();
      queue_id_ = r.queue_id;
      prev_seq_ = 0;
      prev_sent_ = 0;
      groups_.clear();
    }
    put_varint(block_, r.seq - prev_seq_);
    put_varint(block_, zigzag(r.sent_ms - prev_sent_));
    put_varint(block_, zigzag(r.visible_at_ms - r.sent_ms));
    const bool first = r.first_receive_ms != 0;
    put_varint(block_, (static_cast<uint64_t>(r.receive_count) << 1) | (first ? 1 : 0));
    if (first) put_varint(block_, zigzag(r.first_receive_ms - r.sent_ms));
    if (r.group.empty()) {
      put_varint(block_, 0);
    } else {
      auto [it, added] = groups_.try_emplace(std::string(r.group), groups_.size() + 1);
      put_varint(block_, it->second);
      if (added) {
        put_varint(block_, r.group.size());
        block_.append(r.group);
      }
    }
    prev_seq_ = r.seq;
    prev_sent_ = r.sent_ms;
    ++rows_in_queue_;
    ++rows_;
  }
  std::string finish() && {
    flush();
    return std::move(payload_);
  }
  uint64_t rows() const { return rows_; }

 private:
  void flush() {
    if (rows_in_queue_ == 0) return;
    put_varint(payload_, queue_id_);
    put_varint(payload_, rows_in_queue_);
    payload_.append(block_);
    block_.clear();
    rows_in_queue_ = 0;
  }
  std::string payload_, block_;
  uint64_t queue_id_ = 0, prev_seq_ = 0, rows_in_queue_ = 0, rows_ = 0;
  int64_t prev_sent_ = 0;
  std::unordered_map<std::string, uint64_t> groups_;
};

// Decodes the payload; hands each row to `row` when it is set. Returns the rows decoded, or
// nullopt when the payload is malformed.
std::optional<uint64_t> decode_payload(std::string_view payload, const StateRowSink* row) {
  VarintReader in(payload.data(), payload.data() + payload.size());
  std::vector<std::string_view> groups;
  uint64_t rows = 0;
  StateRow r;
  while (in.ok() && !in.at_end()) {
    r.queue_id = in.next();
    const uint64_t n = in.next();
    r.seq = 0;
    r.sent_ms = 0;
    groups.clear();
    for (uint64_t i = 0; i < n && in.ok(); ++i) {
      r.seq += in.next();
      r.sent_ms += unzigzag(in.next());
      r.visible_at_ms = r.sent_ms + unzigzag(in.next());
      const uint64_t count = in.next();
      if (count >> 33) return std::nullopt;
      r.receive_count = static_cast<uint32_t>(count >> 1);
      r.first_receive_ms = (count & 1) ? r.sent_ms + unzigzag(in.next()) : 0;
      const uint64_t g = in.next();
      if (g == 0) {
        r.group = {};
      } else if (g <= groups.size()) {
        r.group = groups[g - 1];
      } else if (g == groups.size() + 1) {
        r.group = in.bytes(in.next());
        if (r.group.empty()) return std::nullopt;
        groups.push_back(r.group);
      } else {
        return std::nullopt;
      }
      if (!in.ok()) return std::nullopt;
      if (row) (*row)(r);
      ++rows;
    }
  }
  if (!in.ok()) return std::nullopt;
  return rows;
}

Status write_file_durably(const std::string& path, std::string_view header,
                          std::string_view payload) {
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return make_error(ErrorCode::kInternal, "index snapshot: cannot create " + tmp);
  bool ok = true;
  for (std::string_view part : {header, payload}) {
    while (ok && !part.empty()) {
      const ssize_t n = ::write(fd, part.data(), part.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0)
        ok = false;
      else
        part.remove_prefix(static_cast<size_t>(n));
    }
  }
  ok = ok && ::fsync(fd) == 0;
  ok = ::close(fd) == 0 && ok;
  ok = ok && ::rename(tmp.c_str(), path.c_str()) == 0;
  if (!ok) {
    ::unlink(tmp.c_str());
    return make_error(ErrorCode::kInternal, "index snapshot: cannot write " + path);
  }
  const std::string dir = path.substr(0, path.find_last_of('/') + 1);
  const int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return {};
}

// The whole file, or nullopt when there is none (or it cannot be read).
std::optional<std::string> read_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  struct stat st;
  std::optional<std::string> out;
  if (::fstat(fd, &st) == 0) {
    std::string bytes(static_cast<size_t>(st.st_size), '\0');
    size_t got = 0;
    while (got < bytes.size()) {
      const ssize_t n = ::read(fd, bytes.data() + got, bytes.size() - got);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      got += static_cast<size_t>(n);
    }
    bytes.resize(got);
    out = std::move(bytes);
  }
  ::close(fd);
  return out;
}

}  // namespace

Status scan_state_rows(MDB_txn* txn, const Databases& dbs, const StateRowSink& row,
                       unsigned prefetch_threads) {
  Cursor c(txn, dbs.states);
  if (!c.ok()) return make_error(ErrorCode::kInternal, "recover: cursor");
  // Reads the pages ahead of this loop, many at a time; the rows are still read here, in order.
  StatesPrefetch prefetch(txn, dbs, prefetch_threads);
  MDB_val k, v;
  StateRow r;
  for (int rc = mdb_cursor_get(c.get(), &k, &v, MDB_FIRST); rc == 0;
       rc = mdb_cursor_get(c.get(), &k, &v, MDB_NEXT)) {
    ByteReader key(from_val(k));
    r.queue_id = key.u64();
    r.seq = key.u64();
    if (!key.ok()) return make_error(ErrorCode::kInternal, "recover: corrupt message key");
    auto st = view_message_state(from_val(v));
    if (!st) return make_error(ErrorCode::kInternal, "corrupt message state");
    r.sent_ms = st->sent_ms;
    r.visible_at_ms = st->visible_at_ms;
    r.first_receive_ms = st->first_receive_ms;
    r.receive_count = st->receive_count;
    r.group = st->group_id;
    row(r);
  }
  return {};
}

std::string index_snapshot_path(const std::string& data_dir) {
  return data_dir + "/queue-index.snapshot";
}

Result<uint64_t> write_index_snapshot(Environment& env, const std::string& path) {
  std::string marker;
  for (size_t i = 0; i < kMarkerSize / 4; ++i) {
    const uint32_t r = random_u32();
    marker.append(reinterpret_cast<const char*>(&r), 4);
  }
  WriteTxn t(env);
  if (int rc = t.begin()) return lmdb_error(rc, "index snapshot: begin");
  if (int rc = t.put(env.dbs().meta, kMarkerKey, marker)) {
    return lmdb_error(rc, "index snapshot: marker");
  }
  PayloadWriter rows;
  if (auto st = scan_state_rows(t.get(), env.dbs(), [&](const StateRow& r) { rows.add(r); }); !st) {
    return st.error();
  }
  const uint64_t txn_id = mdb_txn_id(t.get());
  const uint64_t row_count = rows.rows();
  const std::string payload = std::move(rows).finish();
  if (int rc = t.commit()) return lmdb_error(rc, "index snapshot: commit");
  if (env.last_txn_id() != txn_id) {
    return make_error(ErrorCode::kInternal, "index snapshot: unexpected LMDB transaction id");
  }
  if (auto st = env.sync(); !st) return st.error();

  ByteWriter h(kHeaderSize);
  h.raw(kMagic);
  h.u32(kFormatVersion);
  h.u64(txn_id);
  h.raw(marker);
  h.u64(row_count);
  h.u64(payload.size());
  h.u64(checksum(payload, checksum(h.view(), 0)));
  if (auto st = write_file_durably(path, h.view(), payload); !st) return st.error();
  return row_count;
}

std::string_view snapshot_use_name(SnapshotUse use) {
  switch (use) {
    case SnapshotUse::kUsed:
      return "used";
    case SnapshotUse::kMissing:
      return "missing";
    case SnapshotUse::kStale:
      return "stale";
    case SnapshotUse::kCorrupt:
      return "corrupt";
  }
  return "?";
}

SnapshotUse read_index_snapshot(MDB_txn* txn, MDB_dbi meta, const std::string& path,
                                const StateRowSink& row) {
  const std::optional<std::string> file = read_file(path);
  if (!file) return SnapshotUse::kMissing;
  if (file->size() < kHeaderSize) return SnapshotUse::kCorrupt;
  ByteReader h(*file);
  if (h.raw(kMagic.size()) != kMagic || h.u32() != kFormatVersion) return SnapshotUse::kCorrupt;
  const uint64_t txn_id = h.u64();
  const std::string_view marker = h.raw(kMarkerSize);
  const uint64_t rows = h.u64();
  const uint64_t payload_size = h.u64();
  const uint64_t sum = h.u64();
  const std::string_view payload = std::string_view(*file).substr(kHeaderSize);
  if (payload.size() != payload_size) return SnapshotUse::kCorrupt;
  if (checksum(payload, checksum(std::string_view(*file).substr(0, kChecksummedHeader), 0)) !=
      sum) {
    return SnapshotUse::kCorrupt;
  }
  MDB_val key = to_val(kMarkerKey), stored;
  if (mdb_txn_id(txn) != txn_id || mdb_get(txn, meta, &key, &stored) != 0 ||
      from_val(stored) != marker) {
    return SnapshotUse::kStale;
  }
  // Check the whole payload before handing out the first row: the caller never has to undo.
  if (decode_payload(payload, nullptr) != rows) return SnapshotUse::kCorrupt;
  decode_payload(payload, &row);
  return SnapshotUse::kUsed;
}

void remove_index_snapshot(const std::string& path) {
  ::unlink(path.c_str());
}

}  // namespace sluice::storage
