// See execution_record.h.
#include "storage/executions/execution_record.h"

#include "storage/byte_codec.h"

namespace sluice::storage {

namespace {

constexpr uint8_t kRecordFormatV1 = 1;  // without the ARN
constexpr uint8_t kRecordFormat = 2;
// Format 2 followed by the map run ARN and the parent execution's ARN: a Distributed Map's child
// execution. Other records are still written as format 2.
constexpr uint8_t kRecordFormatMapRunChild = 3;
// Format 3 followed by the mocked test case it runs (StartExecution on ARN#CASE, --mock-config).
// Only such executions are written as format 4.
constexpr uint8_t kRecordFormatTestCase = 4;
constexpr uint8_t kOutcomeFormat = 1;

// Lower-case kind + ARN (records stored before keys were numbers), or upper-case kind + id.
std::string keyed(char kind, const ExecutionKey& key) {
  if (key.by_arn) {
    std::string k;
    k.reserve(key.arn.size() + 1);
    k.push_back(kind);
    k.append(key.arn);
    return k;
  }
  ByteWriter w(9);
  w.u8(static_cast<uint8_t>(kind - 'a' + 'A'));
  w.u64(key.id);
  return std::move(w).take();
}

void opt_str(ByteWriter& w, const std::optional<std::string>& s) {
  w.u8(s ? 1 : 0);
  if (s) w.str(*s);
}

std::optional<std::string> read_opt_str(ByteReader& r) {
  if (r.u8() == 0) return std::nullopt;
  return std::string(r.str());
}

}  // namespace

std::string execution_record_key(const ExecutionKey& key) {
  return keyed('x', key);
}

std::string execution_outcome_key(const ExecutionKey& key) {
  return keyed('o', key);
}

std::string encode_execution_record(const ExecutionRecord& r) {
  const bool mocked = !r.test_case.empty();
  const bool child = mocked || !r.map_run_arn.empty();
  ByteWriter w(64 + r.input.size());
  w.u8(mocked ? kRecordFormatTestCase : child ? kRecordFormatMapRunChild : kRecordFormat);
  w.u64(r.id);
  w.str(r.name);
  w.str(r.machine);
  w.str(r.version_arn);
  w.str(r.alias_arn);
  w.u64(r.revision);
  w.i64(r.start_ms);
  w.str(r.trace_header);
  w.str(r.input);
  w.str(r.arn);
  if (child) {
    w.str(r.map_run_arn);
    w.str(r.parent_arn);
  }
  if (mocked) w.str(r.test_case);
  return std::move(w).take();
}

std::optional<ExecutionRecord> decode_execution_record(std::string_view bytes) {
  ByteReader rd(bytes);
  const uint8_t format = rd.u8();
  if (format < kRecordFormatV1 || format > kRecordFormatTestCase) return std::nullopt;
  ExecutionRecord r;
  r.id = rd.u64();
  r.name = std::string(rd.str());
  r.machine = std::string(rd.str());
  r.version_arn = std::string(rd.str());
  r.alias_arn = std::string(rd.str());
  r.revision = rd.u64();
  r.start_ms = rd.i64();
  r.trace_header = std::string(rd.str());
  r.input = std::string(rd.str());
  if (format >= kRecordFormat) r.arn = std::string(rd.str());
  if (format >= kRecordFormatMapRunChild) {
    r.map_run_arn = std::string(rd.str());
    r.parent_arn = std::string(rd.str());
  }
  if (format >= kRecordFormatTestCase) r.test_case = std::string(rd.str());
  if (!rd.ok()) return std::nullopt;
  return r;
}

std::string encode_outcome(const StoredOutcome& o) {
  ByteWriter w(32);
  w.u8(kOutcomeFormat);
  w.u8(static_cast<uint8_t>(o.status));
  w.i64(o.stop_ms);
  if (o.output_is_input) {
    w.u8(2);  // see below: the record's input
  } else {
    opt_str(w, o.output);
  }
  opt_str(w, o.error);
  opt_str(w, o.cause);
  w.u32(o.redrive_count);
  w.i64(o.redrive_ms);
  return std::move(w).take();
}

std::optional<StoredOutcome> decode_outcome(std::string_view bytes) {
  ByteReader rd(bytes);
  if (rd.u8() != kOutcomeFormat) return std::nullopt;
  StoredOutcome o;
  uint8_t status = rd.u8();
  if (status > static_cast<uint8_t>(ExecutionStatus::kAborted)) {
    return std::nullopt;
  }
  o.status = static_cast<ExecutionStatus>(status);
  o.stop_ms = rd.i64();
  // 0: no output, 1: the output text follows, 2: the output is the execution's input.
  const uint8_t output = rd.u8();
  if (output == 1) o.output = std::string(rd.str());
  if (output == 2) o.output_is_input = true;
  o.error = read_opt_str(rd);
  o.cause = read_opt_str(rd);
  o.redrive_count = rd.u32();
  o.redrive_ms = rd.i64();
  if (!rd.ok()) return std::nullopt;
  return o;
}

std::string history_key(uint64_t execution, int64_t event_id) {
  ByteWriter w(16);
  w.u64(execution);
  w.i64(event_id);
  return std::move(w).take();
}

bool split_history_key(std::string_view key, uint64_t* execution, int64_t* event_id) {
  if (key.size() != 16) return false;
  ByteReader rd(key);
  *execution = rd.u64();
  *event_id = rd.i64();
  return true;
}

std::string heartbeats_key(const ExecutionKey& key) {
  return keyed('h', key);
}

}  // namespace sluice::storage
