// See query_decoder.h. One pass over the parameters per request: each name is matched against
// the action's query names (botocore's query model and the Smithy xmlName traits); flattened
// lists and maps are gathered by their 1-based index and emitted in index order.
#include "broker/sqs/api/query_decoder.h"

#include <charconv>
#include <map>

#include "broker/protocol/base64.h"
#include "broker/sqs/api/decode_errors.h"

namespace sluice::sqs {

namespace {

using Entry = FormParams::Entry;

// Strips "<prefix>." from the front of `key`.
bool eat(std::string_view& key, std::string_view prefix) {
  if (key.size() <= prefix.size() || key[prefix.size()] != '.' ||
      key.compare(0, prefix.size(), prefix) != 0) {
    return false;
  }
  key.remove_prefix(prefix.size() + 1);
  return true;
}

// Strips a 1-based index ("3" or "3.") from the front of `key`. The index must be the whole
// key (`last`) or be followed by '.'.
bool eat_index(std::string_view& key, uint32_t& index, bool last) {
  std::size_t n = 0;
  uint64_t v = 0;
  while (n < key.size() && key[n] >= '0' && key[n] <= '9' && n < 9) {
    v = v * 10 + static_cast<uint64_t>(key[n] - '0');
    ++n;
  }
  if (n == 0 || v == 0) return false;
  if (last) {
    if (n != key.size()) return false;
    key.remove_prefix(n);
  } else {
    if (n >= key.size() || key[n] != '.') return false;
    key.remove_prefix(n + 1);
  }
  index = static_cast<uint32_t>(v);
  return true;
}

std::string indexed_name(std::string_view prefix, uint32_t index, std::string_view field) {
  std::string s(prefix);
  s.push_back('.');
  s.append(std::to_string(index));
  if (!field.empty()) {
    s.push_back('.');
    s.append(field);
  }
  return s;
}

// Gathers the values of one decode: moves them out of the params or copies them.
class Source {
 public:
  explicit Source(bool move) : move_(move) {}
  std::string take(std::string& v) const { return move_ ? std::move(v) : v; }

 private:
  bool move_;
};

Result<int64_t> parse_int(std::string_view name, std::string_view text) {
  // Integer members of the model are 32-bit; SQS rejects anything that is not one.
  std::string_view digits = text;
  if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
  int64_t v = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() ||
      v < INT32_MIN || v > INT32_MAX) {
    return invalid_integer_parameter(name, text);
  }
  return v;
}

// A flattened map entry: <Prefix>.N.<KeyName> / <Prefix>.N.<ValueName>.
struct PairSlot {
  std::optional<std::string> key;
  std::optional<std::string> value;
};

// A flattened MessageAttributeValue: <Prefix>.N.Name, <Prefix>.N.Value.{DataType,StringValue,
// BinaryValue}; StringListValue/BinaryListValue are reserved by AWS and ignored.
struct AttributeSlot {
  std::optional<std::string> name;
  MessageAttribute attribute;
};

class Decoder {
 public:
  Decoder(FormParams& params, bool move) : params_(params), src_(move) {}

  Result<AnyRequest> decode(std::string_view path);

 private:
  // Each returns false after setting error_.
  bool scalar(Entry& e, std::string_view key, std::string_view name,
              std::optional<std::string>& out) {
    if (key != name) return false;
    if (!out) out = src_.take(e.second);
    return true;
  }
  bool integer(Entry& e, std::string_view key, std::string_view name, std::optional<int64_t>& out,
               bool& failed) {
    if (key != name) return false;
    if (out) return true;
    auto v = parse_int(name, e.second);
    if (!v) {
      fail(std::move(v).error());
      failed = true;
      return true;
    }
    out = *v;
    return true;
  }
  // <prefix>.N -> list[N]
  bool list_item(Entry& e, std::string_view key, std::string_view prefix,
                 std::map<uint32_t, std::string>& list) {
    std::string_view k = key;
    uint32_t index;
    if (!eat(k, prefix) || !eat_index(k, index, true)) return false;
    list.try_emplace(index, src_.take(e.second));
    return true;
  }
  // <prefix>.N.<key_name> / <prefix>.N.<value_name>
  bool pair_item(Entry& e, std::string_view key, std::string_view prefix, std::string_view key_name,
                 std::string_view value_name, std::map<uint32_t, PairSlot>& map) {
    std::string_view k = key;
    uint32_t index;
    if (!eat(k, prefix) || !eat_index(k, index, false)) return false;
    if (k == key_name) {
      auto& slot = map[index];
      if (!slot.key) slot.key = src_.take(e.second);
      return true;
    }
    if (k == value_name) {
      auto& slot = map[index];
      if (!slot.value) slot.value = src_.take(e.second);
      return true;
    }
    return false;
  }
  // <prefix>.N.Name / <prefix>.N.Value.X
  bool attribute_item(Entry& e, std::string_view key, std::string_view prefix,
                      std::map<uint32_t, AttributeSlot>& map, std::string_view full_prefix,
                      bool& failed) {
    std::string_view k = key;
    uint32_t index;
    if (!eat(k, prefix) || !eat_index(k, index, false)) return false;
    if (k == "Name") {
      auto& slot = map[index];
      if (!slot.name) slot.name = src_.take(e.second);
      return true;
    }
    if (!eat(k, "Value")) return false;
    auto& a = map[index].attribute;
    if (k == "DataType") {
      a.data_type = src_.take(e.second);
    } else if (k == "StringValue") {
      a.string_value = src_.take(e.second);
      a.has_string_value = true;
    } else if (k == "BinaryValue") {
      a.binary_value.clear();
      if (!protocol::base64_decode(e.second, a.binary_value)) {
        fail(invalid_base64_parameter(indexed_name(full_prefix, index, "Value.BinaryValue"),
                                      e.second));
        failed = true;
      }
      a.has_binary_value = true;
      a.is_binary = true;
    }
    return true;
  }

  bool finish_list(std::map<uint32_t, std::string>& list, std::vector<std::string>& out) {
    out.reserve(list.size());
    for (auto& [i, v] : list) out.push_back(std::move(v));
    return true;
  }
  bool finish_pairs(std::map<uint32_t, PairSlot>& map, std::string_view prefix,
                    std::string_view key_name, std::string_view value_name,
                    std::vector<std::pair<std::string, std::string>>& out) {
    out.reserve(map.size());
    for (auto& [i, slot] : map) {
      if (!slot.key) return fail(missing_parameter(indexed_name(prefix, i, key_name)));
      if (!slot.value) return fail(missing_parameter(indexed_name(prefix, i, value_name)));
      out.emplace_back(std::move(*slot.key), std::move(*slot.value));
    }
    return true;
  }
  bool finish_attributes(std::map<uint32_t, AttributeSlot>& map, std::string_view prefix,
                         std::vector<MessageAttribute>& out) {
    out.reserve(map.size());
    for (auto& [i, slot] : map) {
      if (!slot.name) return fail(missing_parameter(indexed_name(prefix, i, "Name")));
      slot.attribute.name = std::move(*slot.name);
      out.push_back(std::move(slot.attribute));
    }
    return true;
  }
  bool require(std::optional<std::string>& v, std::string_view name, std::string& out) {
    if (!v) return fail(missing_parameter(name));
    out = std::move(*v);
    return true;
  }
  bool fail(Error e) {
    if (!error_) error_ = std::move(e);
    return false;
  }

  template <class F>
  bool each(F&& f) {
    bool failed = false;
    for (auto& e : params_.entries()) {
      f(e, std::string_view(e.first), failed);
      if (failed) return false;
    }
    return !error_;
  }

  Result<AnyRequest> take_error() { return std::move(*error_); }

  FormParams& params_;
  Source src_;
  std::optional<Error> error_;
  std::optional<std::string> queue_url_;
};

// Applies the "POST to the queue URL" rule: the path names the queue when QueueUrl is absent.
bool path_names_queue(std::string_view path) {
  std::size_t q = path.find('?');
  if (q != std::string_view::npos) path = path.substr(0, q);
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  return !path.empty();
}

Result<AnyRequest> Decoder::decode(std::string_view path) {
  const std::string* action_name_param = params_.find("Action");
  if (!action_name_param) {
    return make_error(ErrorCode::kMissingAction, "The request must contain the parameter Action.");
  }
  auto action = action_from_name(*action_name_param);
  if (!action) return invalid_action(*action_name_param);

  // QueueUrl is common to most actions: pick it up in the same pass.
  auto queue_url = [&](Entry& e, std::string_view key) {
    if (key == "QueueUrl") {
      if (!queue_url_) queue_url_ = src_.take(e.second);
      return true;
    }
    return false;
  };
  auto require_queue_url = [&](std::string& out) {
    if (!queue_url_ && path_names_queue(path)) {
      std::size_t q = path.find('?');
      queue_url_ = std::string(q == std::string_view::npos ? path : path.substr(0, q));
    }
    return require(queue_url_, "QueueUrl", out);
  };

  switch (*action) {
    case Action::AddPermission: {
      AddPermissionRequest r;
      std::optional<std::string> label;
      std::map<uint32_t, std::string> ids, actions;
      each([&](Entry& e, std::string_view k, bool&) {
        queue_url(e, k) || scalar(e, k, "Label", label) || list_item(e, k, "AWSAccountId", ids) ||
            list_item(e, k, "ActionName", actions);
      });
      if (!require_queue_url(r.queue_url) || !require(label, "Label", r.label)) break;
      finish_list(ids, r.aws_account_ids);
      finish_list(actions, r.actions);
      return AnyRequest(std::move(r));
    }
    case Action::CancelMessageMoveTask: {
      CancelMessageMoveTaskRequest r;
      std::optional<std::string> handle;
      each([&](Entry& e, std::string_view k, bool&) { scalar(e, k, "TaskHandle", handle); });
      if (!require(handle, "TaskHandle", r.task_handle)) break;
      return AnyRequest(std::move(r));
    }
    case Action::ChangeMessageVisibility: {
      ChangeMessageVisibilityRequest r;
      std::optional<std::string> handle;
      std::optional<int64_t> timeout;
      if (!each([&](Entry& e, std::string_view k, bool& failed) {
            queue_url(e, k) || scalar(e, k, "ReceiptHandle", handle) ||
                integer(e, k, "VisibilityTimeout", timeout, failed);
          })) {
        break;
      }
      if (!require_queue_url(r.queue_url) || !require(handle, "ReceiptHandle", r.receipt_handle))
        break;
      if (!timeout) {
        fail(missing_parameter("VisibilityTimeout"));
        break;
      }
      r.visibility_timeout = *timeout;
      return AnyRequest(std::move(r));
    }
    case Action::ChangeMessageVisibilityBatch: {
      ChangeMessageVisibilityBatchRequest r;
      struct Slot {
        std::optional<std::string> id, handle;
        std::optional<int64_t> timeout;
      };
      std::map<uint32_t, Slot> slots;
      constexpr std::string_view kPrefix = "ChangeMessageVisibilityBatchRequestEntry";
      if (!each([&](Entry& e, std::string_view k, bool& failed) {
            if (queue_url(e, k)) return;
            uint32_t i;
            if (!eat(k, kPrefix) || !eat_index(k, i, false)) return;
            Slot& s = slots[i];
            scalar(e, k, "Id", s.id) || scalar(e, k, "ReceiptHandle", s.handle) ||
                integer(e, k, "VisibilityTimeout", s.timeout, failed);
          })) {
        break;
      }
      if (!require_queue_url(r.queue_url)) break;
      bool ok = true;
      for (auto& [i, s] : slots) {
        auto& entry = r.entries.emplace_back();
        if (!require(s.id, indexed_name(kPrefix, i, "Id"), entry.id) ||
            !require(s.handle, indexed_name(kPrefix, i, "ReceiptHandle"), entry.receipt_handle)) {
          ok = false;
          break;
        }
        entry.visibility_timeout = s.timeout;
      }
      if (!ok) break;
      return AnyRequest(std::move(r));
    }
    case Action::CreateQueue: {
      CreateQueueRequest r;
      std::optional<std::string> name;
      std::map<uint32_t, PairSlot> attrs, tags;
      each([&](Entry& e, std::string_view k, bool&) {
        scalar(e, k, "QueueName", name) || pair_item(e, k, "Attribute", "Name", "Value", attrs) ||
            pair_item(e, k, "Tag", "Key", "Value", tags);
      });
      if (!require(name, "QueueName", r.queue_name) ||
          !finish_pairs(attrs, "Attribute", "Name", "Value", r.attributes) ||
          !finish_pairs(tags, "Tag", "Key", "Value", r.tags)) {
        break;
      }
      return AnyRequest(std::move(r));
    }
    case Action::DeleteMessage: {
      DeleteMessageRequest r;
      std::optional<std::string> handle;
      each([&](Entry& e, std::string_view k, bool&) {
        queue_url(e, k) || scalar(e, k, "ReceiptHandle", handle);
      });
      if (!require_queue_url(r.queue_url) || !require(handle, "ReceiptHandle", r.receipt_handle))
        break;
      return AnyRequest(std::move(r));
    }
    case Action::DeleteMessageBatch: {
      DeleteMessageBatchRequest r;
      struct Slot {
        std::optional<std::string> id, handle;
      };
      std::map<uint32_t, Slot> slots;
      constexpr std::string_view kPrefix = "DeleteMessageBatchRequestEntry";
      each([&](Entry& e, std::string_view k, bool&) {
        if (queue_url(e, k)) return;
        uint32_t i;
        if (!eat(k, kPrefix) || !eat_index(k, i, false)) return;
        Slot& s = slots[i];
        scalar(e, k, "Id", s.id) || scalar(e, k, "ReceiptHandle", s.handle);
      });
      if (!require_queue_url(r.queue_url)) break;
      bool ok = true;
      for (auto& [i, s] : slots) {
        auto& entry = r.entries.emplace_back();
        if (!require(s.id, indexed_name(kPrefix, i, "Id"), entry.id) ||
            !require(s.handle, indexed_name(kPrefix, i, "ReceiptHandle"), entry.receipt_handle)) {
          ok = false;
          break;
        }
      }
      if (!ok) break;
      return AnyRequest(std::move(r));
    }
    case Action::DeleteQueue:
    case Action::ListQueueTags:
    case Action::PurgeQueue: {
      std::string url;
      each([&](Entry& e, std::string_view k, bool&) { queue_url(e, k); });
      if (!require_queue_url(url)) break;
      if (*action == Action::DeleteQueue) return AnyRequest(DeleteQueueRequest{std::move(url)});
      if (*action == Action::ListQueueTags) return AnyRequest(ListQueueTagsRequest{std::move(url)});
      return AnyRequest(PurgeQueueRequest{std::move(url)});
    }
    case Action::GetQueueAttributes: {
      GetQueueAttributesRequest r;
      std::map<uint32_t, std::string> names;
      each([&](Entry& e, std::string_view k, bool&) {
        queue_url(e, k) || list_item(e, k, "AttributeName", names);
      });
      if (!require_queue_url(r.queue_url)) break;
      finish_list(names, r.attribute_names);
      return AnyRequest(std::move(r));
    }
    case Action::GetQueueUrl: {
      GetQueueUrlRequest r;
      std::optional<std::string> name;
      each([&](Entry& e, std::string_view k, bool&) {
        scalar(e, k, "QueueName", name) ||
            scalar(e, k, "QueueOwnerAWSAccountId", r.queue_owner_aws_account_id);
      });
      if (!require(name, "QueueName", r.queue_name)) break;
      return AnyRequest(std::move(r));
    }
    case Action::ListDeadLetterSourceQueues: {
      ListDeadLetterSourceQueuesRequest r;
      if (!each([&](Entry& e, std::string_view k, bool& failed) {
            queue_url(e, k) || scalar(e, k, "NextToken", r.next_token) ||
                integer(e, k, "MaxResults", r.max_results, failed);
          })) {
        break;
      }
      if (!require_queue_url(r.queue_url)) break;
      return AnyRequest(std::move(r));
    }
    case Action::ListMessageMoveTasks: {
      ListMessageMoveTasksRequest r;
      std::optional<std::string> arn;
      if (!each([&](Entry& e, std::string_view k, bool& failed) {
            scalar(e, k, "SourceArn", arn) || integer(e, k, "MaxResults", r.max_results, failed);
          })) {
        break;
      }
      if (!require(arn, "SourceArn", r.source_arn)) break;
      return AnyRequest(std::move(r));
    }
    case Action::ListQueues: {
      ListQueuesRequest r;
      if (!each([&](Entry& e, std::string_view k, bool& failed) {
            scalar(e, k, "QueueNamePrefix", r.queue_name_prefix) ||
                scalar(e, k, "NextToken", r.next_token) ||
                integer(e, k, "MaxResults", r.max_results, failed);
          })) {
        break;
      }
      return AnyRequest(std::move(r));
    }
    case Action::ReceiveMessage: {
      ReceiveMessageRequest r;
      std::map<uint32_t, std::string> names, system_names, attribute_names;
      if (!each([&](Entry& e, std::string_view k, bool& failed) {
            queue_url(e, k) || list_item(e, k, "AttributeName", names) ||
                list_item(e, k, "MessageSystemAttributeName", system_names) ||
                list_item(e, k, "MessageAttributeName", attribute_names) ||
                integer(e, k, "MaxNumberOfMessages", r.max_number_of_messages, failed) ||
                integer(e, k, "VisibilityTimeout", r.visibility_timeout, failed) ||
                integer(e, k, "WaitTimeSeconds", r.wait_time_seconds, failed) ||
                scalar(e, k, "ReceiveRequestAttemptId", r.receive_request_attempt_id);
          })) {
        break;
      }
      if (!require_queue_url(r.queue_url)) break;
      finish_list(names, r.attribute_names);
      finish_list(system_names, r.message_system_attribute_names);
      finish_list(attribute_names, r.message_attribute_names);
      return AnyRequest(std::move(r));
    }
    case Action::RemovePermission: {
      RemovePermissionRequest r;
      std::optional<std::string> label;
      each([&](Entry& e, std::string_view k, bool&) {
        queue_url(e, k) || scalar(e, k, "Label", label);
      });
      if (!require_queue_url(r.queue_url) || !require(label, "Label", r.label)) break;
      return AnyRequest(std::move(r));
    }
    case Action::SendMessage: {
      SendMessageRequest r;
      std::optional<std::string> body;
      std::map<uint32_t, AttributeSlot> attrs, system_attrs;
      if (!each([&](Entry& e, std::string_view k, bool& failed) {
            queue_url(e, k) || scalar(e, k, "MessageBody", body) ||
                integer(e, k, "DelaySeconds", r.delay_seconds, failed) ||
                attribute_item(e, k, "MessageAttribute", attrs, "MessageAttribute", failed) ||
                attribute_item(e, k, "MessageSystemAttribute", system_attrs,
                               "MessageSystemAttribute", failed) ||
                scalar(e, k, "MessageDeduplicationId", r.message_deduplication_id) ||
                scalar(e, k, "MessageGroupId", r.message_group_id);
          })) {
        break;
      }
      if (!require_queue_url(r.queue_url) || !require(body, "MessageBody", r.message_body) ||
          !finish_attributes(attrs, "MessageAttribute", r.message_attributes) ||
          !finish_attributes(system_attrs, "MessageSystemAttribute", r.message_system_attributes)) {
        break;
      }
      return AnyRequest(std::move(r));
    }
    case Action::SendMessageBatch: {
      SendMessageBatchRequest r;
      struct Slot {
        std::optional<std::string> id, body;
        std::optional<int64_t> delay;
        std::map<uint32_t, AttributeSlot> attrs, system_attrs;
        std::optional<std::string> dedup, group;
      };
      std::map<uint32_t, Slot> slots;
      constexpr std::string_view kPrefix = "SendMessageBatchRequestEntry";
      if (!each([&](Entry& e, std::string_view k, bool& failed) {
            if (queue_url(e, k)) return;
            uint32_t i;
            if (!eat(k, kPrefix) || !eat_index(k, i, false)) return;
            Slot& s = slots[i];
            if (scalar(e, k, "Id", s.id) || scalar(e, k, "MessageBody", s.body) ||
                integer(e, k, "DelaySeconds", s.delay, failed) ||
                scalar(e, k, "MessageDeduplicationId", s.dedup) ||
                scalar(e, k, "MessageGroupId", s.group)) {
              return;
            }
            if (k.starts_with("MessageAttribute.")) {
              attribute_item(e, k, "MessageAttribute", s.attrs,
                             indexed_name(kPrefix, i, "MessageAttribute"), failed);
            } else if (k.starts_with("MessageSystemAttribute.")) {
              attribute_item(e, k, "MessageSystemAttribute", s.system_attrs,
                             indexed_name(kPrefix, i, "MessageSystemAttribute"), failed);
            }
          })) {
        break;
      }
      if (!require_queue_url(r.queue_url)) break;
      bool ok = true;
      r.entries.reserve(slots.size());
      for (auto& [i, s] : slots) {
        auto& entry = r.entries.emplace_back();
        if (!require(s.id, indexed_name(kPrefix, i, "Id"), entry.id) ||
            !require(s.body, indexed_name(kPrefix, i, "MessageBody"), entry.message_body) ||
            !finish_attributes(s.attrs, indexed_name(kPrefix, i, "MessageAttribute"),
                               entry.message_attributes) ||
            !finish_attributes(s.system_attrs, indexed_name(kPrefix, i, "MessageSystemAttribute"),
                               entry.message_system_attributes)) {
          ok = false;
          break;
        }
        entry.delay_seconds = s.delay;
        entry.message_deduplication_id = std::move(s.dedup);
        entry.message_group_id = std::move(s.group);
      }
      if (!ok) break;
      return AnyRequest(std::move(r));
    }
    case Action::SetQueueAttributes: {
      SetQueueAttributesRequest r;
      std::map<uint32_t, PairSlot> attrs;
      each([&](Entry& e, std::string_view k, bool&) {
        queue_url(e, k) || pair_item(e, k, "Attribute", "Name", "Value", attrs);
      });
      if (!require_queue_url(r.queue_url) ||
          !finish_pairs(attrs, "Attribute", "Name", "Value", r.attributes)) {
        break;
      }
      return AnyRequest(std::move(r));
    }
    case Action::StartMessageMoveTask: {
      StartMessageMoveTaskRequest r;
      std::optional<std::string> arn;
      if (!each([&](Entry& e, std::string_view k, bool& failed) {
            scalar(e, k, "SourceArn", arn) || scalar(e, k, "DestinationArn", r.destination_arn) ||
                integer(e, k, "MaxNumberOfMessagesPerSecond", r.max_number_of_messages_per_second,
                        failed);
          })) {
        break;
      }
      if (!require(arn, "SourceArn", r.source_arn)) break;
      return AnyRequest(std::move(r));
    }
    case Action::TagQueue: {
      TagQueueRequest r;
      std::map<uint32_t, PairSlot> tags;
      each([&](Entry& e, std::string_view k, bool&) {
        queue_url(e, k) || pair_item(e, k, "Tag", "Key", "Value", tags);
      });
      if (!require_queue_url(r.queue_url) || !finish_pairs(tags, "Tag", "Key", "Value", r.tags))
        break;
      return AnyRequest(std::move(r));
    }
    case Action::UntagQueue: {
      UntagQueueRequest r;
      std::map<uint32_t, std::string> keys;
      each([&](Entry& e, std::string_view k, bool&) {
        queue_url(e, k) || list_item(e, k, "TagKey", keys);
      });
      if (!require_queue_url(r.queue_url)) break;
      finish_list(keys, r.tag_keys);
      return AnyRequest(std::move(r));
    }
  }
  if (!error_) return make_error(ErrorCode::kInternal, "Request decoding failed.");
  return take_error();
}

}  // namespace

Result<AnyRequest> decode_query(const FormParams& params, std::string_view path) {
  // Nothing is moved when `move` is false, so the const_cast never writes.
  return Decoder(const_cast<FormParams&>(params), false).decode(path);
}

Result<AnyRequest> decode_query(FormParams&& params, std::string_view path) {
  return Decoder(params, true).decode(path);
}

}  // namespace sluice::sqs
