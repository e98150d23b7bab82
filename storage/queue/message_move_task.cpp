// MessageMoveTask record encoding and TaskHandle text.
#include "storage/queue/message_move_task.h"

#include <openssl/evp.h>
#include <simdjson.h>

#include "storage/byte_codec.h"
#include "storage/queue/redrive_policy.h"

namespace sluice::storage {

namespace {
constexpr uint8_t kVersion = 1;
constexpr size_t kMaxHandleBytes = 4096;
}  // namespace

std::string_view move_task_status_name(MoveTaskStatus status) {
  switch (status) {
    case MoveTaskStatus::kRunning:
      return "RUNNING";
    case MoveTaskStatus::kCompleted:
      return "COMPLETED";
    case MoveTaskStatus::kCancelling:
      return "CANCELLING";
    case MoveTaskStatus::kCancelled:
      return "CANCELLED";
    case MoveTaskStatus::kFailed:
      return "FAILED";
  }
  return "FAILED";
}

std::string MoveTaskHandle::encode() const {
  std::string json = "{\"taskId\":";
  append_json_string(json, task_id);
  json.append(",\"sourceArn\":");
  append_json_string(json, source_arn);
  json.push_back('}');
  std::string out(4 * ((json.size() + 2) / 3), '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(json.data()),
                                static_cast<int>(json.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::optional<MoveTaskHandle> MoveTaskHandle::decode(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0 || text.size() > kMaxHandleBytes) return std::nullopt;
  std::string json(3 * text.size() / 4, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(json.data()),
                                reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  // EVP_DecodeBlock counts the bytes the '=' padding stands for.
  size_t len = static_cast<size_t>(n);
  for (size_t i = text.size(); i > 0 && text[i - 1] == '=' && len > 0; --i) --len;
  json.resize(len);
  simdjson::dom::parser parser;
  simdjson::dom::object obj;
  if (parser.parse(json.data(), json.size(), true).get_object().get(obj) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  std::string_view id, arn;
  if (obj["taskId"].get_string().get(id) != simdjson::SUCCESS ||
      obj["sourceArn"].get_string().get(arn) != simdjson::SUCCESS || id.empty()) {
    return std::nullopt;
  }
  return MoveTaskHandle{std::string(id), std::string(arn)};
}

std::string MessageMoveTask::serialize() const {
  ByteWriter w(128 + source_arn.size() + destination_arn.size());
  w.u8(kVersion);
  w.str(task_id);
  w.u64(source_queue_id);
  w.str(source_arn);
  w.str(destination_arn);
  w.u32(max_per_second);
  w.u8(static_cast<uint8_t>(status));
  w.u64(moved);
  w.u64(to_move);
  w.i64(started_ms);
  w.u64(below_seq);
  w.str(failure_reason);
  return std::move(w).take();
}

Result<MessageMoveTask> MessageMoveTask::deserialize(std::string_view bytes) {
  ByteReader r(bytes);
  MessageMoveTask t;
  const uint8_t version = r.u8();
  t.task_id = r.str();
  t.source_queue_id = r.u64();
  t.source_arn = r.str();
  t.destination_arn = r.str();
  t.max_per_second = r.u32();
  const uint8_t status = r.u8();
  t.moved = r.u64();
  t.to_move = r.u64();
  t.started_ms = r.i64();
  t.below_seq = r.u64();
  t.failure_reason = r.str();
  if (version != kVersion || !r.ok() || status > static_cast<uint8_t>(MoveTaskStatus::kFailed)) {
    return make_error(ErrorCode::kInternal, "corrupt message move task record");
  }
  t.status = static_cast<MoveTaskStatus>(status);
  return t;
}

}  // namespace sluice::storage
