// See map_run_record.h.
#include "storage/executions/map_run_record.h"

#include <cstring>

#include "storage/byte_codec.h"

namespace sluice::storage {

namespace {

constexpr uint8_t kMapRunFormat = 1;
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

std::string encode_map_run_record(const MapRunRecord& r) {
  ByteWriter w(32);
  w.u8(kMapRunFormat);
  w.u8((r.tolerated_failure_count ? kHasCount : 0) |
       (r.tolerated_failure_percentage ? kHasPercentage : 0));
  w.i64(r.max_concurrency);
  w.i64(r.tolerated_failure_count.value_or(0));
  uint64_t bits = 0;
  const double pct = r.tolerated_failure_percentage.value_or(0.0);
  std::memcpy(&bits, &pct, sizeof bits);
  w.u64(bits);
  return std::move(w).take();
}

std::optional<MapRunRecord> decode_map_run_record(std::string_view bytes) {
  ByteReader rd(bytes);
  // A later format appends to format 1: what it adds is skipped.
  if (rd.u8() < kMapRunFormat) return std::nullopt;
  MapRunRecord r;
  const uint8_t flags = rd.u8();
  r.max_concurrency = rd.i64();
  const int64_t count = rd.i64();
  const uint64_t bits = rd.u64();
  double pct = 0;
  std::memcpy(&pct, &bits, sizeof pct);
  if (!rd.ok()) return std::nullopt;
  if (flags & kHasCount) r.tolerated_failure_count = count;
  if (flags & kHasPercentage) r.tolerated_failure_percentage = pct;
  return r;
}

}  // namespace sluice::storage
