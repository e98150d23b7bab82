// See map_run_record.h.
#include "storage/executions/map_run_record.h"

#include <cstring>

#include "storage/byte_codec.h"

namespace sluice::storage {

namespace {

constexpr uint8_t kMapRunFormat = 1;
constexpr uint8_t kMapRunFormatSummary = 2;
constexpr uint8_t kMapRunFormatChildren = 3;
constexpr uint8_t kHasCount = 1;
constexpr uint8_t kHasPercentage = 2;

}  // namespace

std::string map_run_record_key(uint64_t parent_id, std::string_view map_run_arn) {
  ByteWriter w(9 + map_run_arn.size());
  w.u8('M');
  w.u64(parent_id);
  w.raw(map_run_arn);
  return std::move(w).take();
}

bool split_map_run_record_key(std::string_view key, uint64_t* parent_id, std::string* map_run_arn) {
  if (key.size() < 10 || key[0] != 'M') return false;
  ByteReader rd(key.substr(1));
  *parent_id = rd.u64();
  *map_run_arn = std::string(rd.rest());
  return rd.ok();
}

std::string encode_map_run_record(const MapRunRecord& r) {
  ByteWriter w(32);
  w.u8(r.summary ? kMapRunFormatChildren : kMapRunFormat);
  w.u8((r.tolerated_failure_count ? kHasCount : 0) |
       (r.tolerated_failure_percentage ? kHasPercentage : 0));
  w.i64(r.max_concurrency);
  w.i64(r.tolerated_failure_count.value_or(0));
  uint64_t bits = 0;
  const double pct = r.tolerated_failure_percentage.value_or(0.0);
  std::memcpy(&bits, &pct, sizeof bits);
  w.u64(bits);
  if (r.summary) {
    const MapRunSummary& m = *r.summary;
    w.str(m.execution_arn);
    w.u8(m.status);
    w.i64(m.start_ms);
    w.i64(m.stop_ms);
    w.i64(m.redrive_count);
    w.i64(m.redrive_ms);
    for (int64_t n : m.execution_counts) w.i64(n);
    for (int64_t n : m.item_counts) w.i64(n);
    w.u32(static_cast<uint32_t>(m.children.size()));
    for (const MapRunChildOutcome& c : m.children) {
      w.u8(c.state);
      w.str(c.arn);
      w.i64(c.start_ms);
      w.i64(c.stop_ms);
      w.i64(c.items);
      w.u8(c.result ? 1 : 0);
      if (c.result) w.str(*c.result);
    }
  }
  return std::move(w).take();
}

std::optional<MapRunRecord> decode_map_run_record(std::string_view bytes) {
  ByteReader rd(bytes);
  // A later format appends to format 1 (2: the summary): what this build does not know is
  // skipped.
  const uint8_t format = rd.u8();
  if (format < kMapRunFormat) return std::nullopt;
  MapRunRecord r;
  const uint8_t flags = rd.u8();
  r.max_concurrency = rd.i64();
  const int64_t count = rd.i64();
  const uint64_t bits = rd.u64();
  double pct = 0;
  std::memcpy(&pct, &bits, sizeof pct);
  if (format >= kMapRunFormatSummary) {
    MapRunSummary m;
    m.execution_arn = std::string(rd.str());
    m.status = rd.u8();
    m.start_ms = rd.i64();
    m.stop_ms = rd.i64();
    m.redrive_count = rd.i64();
    m.redrive_ms = rd.i64();
    for (int64_t& n : m.execution_counts) n = rd.i64();
    for (int64_t& n : m.item_counts) n = rd.i64();
    if (format >= kMapRunFormatChildren) {
      const uint32_t count = rd.u32();
      for (uint32_t i = 0; i < count && rd.ok(); ++i) {
        MapRunChildOutcome c;
        c.state = rd.u8();
        c.arn = std::string(rd.str());
        c.start_ms = rd.i64();
        c.stop_ms = rd.i64();
        c.items = rd.i64();
        if (rd.u8() != 0) c.result = std::string(rd.str());
        m.children.push_back(std::move(c));
      }
    }
    r.summary = std::move(m);
  }
  if (!rd.ok()) return std::nullopt;
  if (flags & kHasCount) r.tolerated_failure_count = count;
  if (flags & kHasPercentage) r.tolerated_failure_percentage = pct;
  return r;
}

}  // namespace sluice::storage
