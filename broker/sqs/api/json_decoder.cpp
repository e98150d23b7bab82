// See json_decoder.h. A single forward pass with simdjson on-demand: each member is matched by
// name and read straight into the typed request; unknown members are skipped unparsed. Type
// errors use the texts of AWS's JSON framework (coral), which SQS's JSON endpoint answers with.
#include "broker/sqs/api/json_decoder.h"

#include <simdjson.h>
#include <cmath>

#include "broker/protocol/base64.h"
#include "broker/sqs/api/decode_errors.h"

namespace sluice::sqs {

namespace {

namespace od = simdjson::ondemand;

static_assert(kJsonPadding >= simdjson::SIMDJSON_PADDING);

Error serialization(std::string message) {
  return make_error(ErrorCode::kSerialization, std::move(message));
}

// What coral says when a member has the wrong JSON type; `target` is "String", "Integer", ...
Error wrong_type(od::json_type type, std::string_view target) {
  switch (type) {
    case od::json_type::array:
      return serialization("Start of list found where not expected");
    case od::json_type::object:
      return serialization("Start of structure or map found where not expected.");
    case od::json_type::boolean:
      return serialization("class java.lang.Boolean can not be converted to an " +
                           std::string(target));
    case od::json_type::number:
      return serialization(
          "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted "
          "to an " +
          std::string(target));
    case od::json_type::string:
      return serialization("class java.lang.String can not be converted to an " +
                           std::string(target));
    default:
      return serialization("Unexpected JSON value");
  }
}

Error parse_error(simdjson::error_code code) {
  return serialization(std::string("Malformed JSON request body: ") +
                       simdjson::error_message(code));
}

class JsonDecoder {
 public:
  // Each reader returns false on error (error_ set). A JSON null reads as "absent".
  bool read_string(od::value& v, std::optional<std::string>& out) {
    od::json_type t;
    if (auto e = v.type().get(t)) return fail(parse_error(e));
    if (t == od::json_type::null) return true;
    if (t != od::json_type::string) return fail(wrong_type(t, "String"));
    std::string_view s;
    if (auto e = v.get_string().get(s)) return fail(parse_error(e));
    out.emplace(s);
    return true;
  }
  bool read_string(od::value& v, std::string& out) {
    std::optional<std::string> s;
    if (!read_string(v, s)) return false;
    if (s) out = std::move(*s);
    return true;
  }
  bool read_int(od::value& v, std::optional<int64_t>& out) {
    od::json_type t;
    if (auto e = v.type().get(t)) return fail(parse_error(e));
    if (t == od::json_type::null) return true;
    if (t != od::json_type::number) return fail(wrong_type(t, "Integer"));
    int64_t i;
    if (v.get_int64().get(i) == simdjson::SUCCESS) {
      out = i;
      return true;
    }
    // Coral truncates fractional and out-of-range numbers rather than rejecting them.
    double d;
    if (auto e = v.get_double().get(d)) return fail(parse_error(e));
    if (!std::isfinite(d)) return fail(serialization("Invalid number"));
    d = std::trunc(d);
    out = d >= 9.2e18 ? INT64_MAX : d <= -9.2e18 ? INT64_MIN : static_cast<int64_t>(d);
    return true;
  }
  bool read_blob(od::value& v, std::string& out, bool& present) {
    od::json_type t;
    if (auto e = v.type().get(t)) return fail(parse_error(e));
    if (t == od::json_type::null) return true;
    if (t != od::json_type::string) {
      if (t == od::json_type::array || t == od::json_type::object) return fail(wrong_type(t, ""));
      return fail(serialization(std::string(t == od::json_type::boolean
                                                ? "class java.lang.Boolean"
                                                : "class com.amazon.coral.value.json.numbers."
                                                  "TruncatingBigNumber") +
                                " can not be converted to a Blob"));
    }
    std::string_view s;
    if (auto e = v.get_string().get(s)) return fail(parse_error(e));
    out.clear();
    if (!protocol::base64_decode(s, out)) {
      std::string m = "'";
      m.append(s.substr(0, 64));
      m.append("' can not be converted to a Blob: Invalid Base64 encoding");
      return fail(serialization(std::move(m)));
    }
    present = true;
    return true;
  }

  // Calls f(key, value) for each member of an object; null reads as an empty object.
  // `what` is "map" or "structure" for the type-error text.
  template <class F>
  bool each_member(od::value& v, bool is_map, F&& f) {
    od::json_type t;
    if (auto e = v.type().get(t)) return fail(parse_error(e));
    if (t == od::json_type::null) return true;
    if (t != od::json_type::object) {
      if (t == od::json_type::array) return fail(wrong_type(t, ""));
      return fail(serialization(is_map ? "Expected map or null" : "Expected null"));
    }
    od::object obj;
    if (auto e = v.get_object().get(obj)) return fail(parse_error(e));
    for (auto field_result : obj) {
      od::field field;
      if (auto e = std::move(field_result).get(field)) return fail(parse_error(e));
      std::string_view key;
      if (auto e = field.unescaped_key().get(key)) return fail(parse_error(e));
      if (!f(key, field.value())) return false;
    }
    return true;
  }
  // Calls f(value) for each element of an array; null reads as an empty list.
  template <class F>
  bool each_element(od::value& v, F&& f) {
    od::json_type t;
    if (auto e = v.type().get(t)) return fail(parse_error(e));
    if (t == od::json_type::null) return true;
    if (t != od::json_type::array) {
      if (t == od::json_type::object) return fail(wrong_type(t, ""));
      return fail(serialization("Expected list or null"));
    }
    od::array arr;
    if (auto e = v.get_array().get(arr)) return fail(parse_error(e));
    for (auto element_result : arr) {
      od::value element;
      if (auto e = std::move(element_result).get(element)) return fail(parse_error(e));
      if (!f(element)) return false;
    }
    return true;
  }

  bool read_string_list(od::value& v, std::vector<std::string>& out) {
    return each_element(v, [&](od::value& element) {
      std::optional<std::string> s;
      if (!read_string(element, s)) return false;
      if (s) out.push_back(std::move(*s));
      return true;
    });
  }
  bool read_string_map(od::value& v, std::vector<std::pair<std::string, std::string>>& out) {
    return each_member(v, true, [&](std::string_view key, od::value& value) {
      std::optional<std::string> s;
      if (!read_string(value, s)) return false;
      if (s) out.emplace_back(std::string(key), std::move(*s));
      return true;
    });
  }
  // MessageBodyAttributeMap / MessageBodySystemAttributeMap.
  bool read_attributes(od::value& v, std::vector<MessageAttribute>& out) {
    return each_member(v, true, [&](std::string_view key, od::value& value) {
      MessageAttribute a;
      a.name = std::string(key);
      bool ok = each_member(value, false, [&](std::string_view member, od::value& mv) {
        if (member == "DataType") return read_string(mv, a.data_type);
        if (member == "StringValue") {
          std::optional<std::string> s;
          if (!read_string(mv, s)) return false;
          if (s) {
            a.string_value = std::move(*s);
            a.has_string_value = true;
          }
          return true;
        }
        if (member == "BinaryValue") {
          if (!read_blob(mv, a.binary_value, a.has_binary_value)) return false;
          a.is_binary = a.has_binary_value;
          return true;
        }
        return true;  // StringListValues / BinaryListValues: reserved by AWS, skipped
      });
      if (!ok) return false;
      out.push_back(std::move(a));
      return true;
    });
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
  Error take_error() {
    return error_ ? std::move(*error_) : serialization("Malformed JSON request body");
  }

 private:
  std::optional<Error> error_;
};

// Reads the members of the top-level object into request `r` via `member(key, value)`; returns
// false on error.
template <class F>
bool read_top(JsonDecoder& d, od::document& doc, F&& member) {
  od::object obj;
  if (auto e = doc.get_object().get(obj)) {
    if (e == simdjson::INCORRECT_TYPE) return d.fail(serialization("Expected a JSON object"));
    return d.fail(parse_error(e));
  }
  for (auto field_result : obj) {
    od::field field;
    if (auto e = std::move(field_result).get(field)) return d.fail(parse_error(e));
    std::string_view key;
    if (auto e = field.unescaped_key().get(key)) return d.fail(parse_error(e));
    if (!member(key, field.value())) return false;
  }
  // current_location() is in bounds only if tokens follow the root object.
  const char* rest;
  if (doc.current_location().get(rest) == simdjson::SUCCESS) {
    return d.fail(serialization("Malformed JSON request body: trailing content"));
  }
  return true;
}

std::string entry_name(std::size_t index, std::string_view field) {
  return "Entries." + std::to_string(index + 1) + "." + std::string(field);
}

Result<AnyRequest> decode_document(Action action, od::document& doc) {
  JsonDecoder d;
  std::optional<std::string> queue_url;
  auto url = [&](std::string_view k, od::value& v, bool& handled) {
    handled = k == "QueueUrl";
    return handled ? d.read_string(v, queue_url) : true;
  };
  // Reads a request whose members are all handled by `f`; QueueUrl is read for every action
  // that has one.
  auto read = [&](auto&& f) {
    return read_top(d, doc, [&](std::string_view k, od::value& v) {
      bool handled = false;
      if (action_takes_queue_url(action) && !url(k, v, handled)) return false;
      return handled ? true : f(k, v);
    });
  };
  auto need_url = [&](std::string& out) { return d.require(queue_url, "QueueUrl", out); };

  switch (action) {
    case Action::AddPermission: {
      AddPermissionRequest r;
      std::optional<std::string> label;
      if (!read([&](std::string_view k, od::value& v) {
            if (k == "Label") return d.read_string(v, label);
            if (k == "AWSAccountIds") return d.read_string_list(v, r.aws_account_ids);
            if (k == "Actions") return d.read_string_list(v, r.actions);
            return true;
          }) ||
          !need_url(r.queue_url) || !d.require(label, "Label", r.label)) {
        break;
      }
      return AnyRequest(std::move(r));
    }
    case Action::CancelMessageMoveTask: {
      CancelMessageMoveTaskRequest r;
      std::optional<std::string> handle;
      if (!read([&](std::string_view k, od::value& v) {
            return k == "TaskHandle" ? d.read_string(v, handle) : true;
          }) ||
          !d.require(handle, "TaskHandle", r.task_handle)) {
        break;
      }
      return AnyRequest(std::move(r));
    }
    case Action::ChangeMessageVisibility: {
      ChangeMessageVisibilityRequest r;
      std::optional<std::string> handle;
      std::optional<int64_t> timeout;
      if (!read([&](std::string_view k, od::value& v) {
            if (k == "ReceiptHandle") return d.read_string(v, handle);
            if (k == "VisibilityTimeout") return d.read_int(v, timeout);
            return true;
          }) ||
          !need_url(r.queue_url) || !d.require(handle, "ReceiptHandle", r.receipt_handle)) {
        break;
      }
      if (!timeout) {
        d.fail(missing_parameter("VisibilityTimeout"));
        break;
      }
      r.visibility_timeout = *timeout;
      return AnyRequest(std::move(r));
    }
    case Action::ChangeMessageVisibilityBatch: {
      ChangeMessageVisibilityBatchRequest r;
      bool ok = read([&](std::string_view k, od::value& v) {
        if (k != "Entries") return true;
        return d.each_element(v, [&](od::value& ev) {
          std::optional<std::string> id, handle;
          auto& entry = r.entries.emplace_back();
          std::size_t n = r.entries.size() - 1;
          return d.each_member(ev, false,
                               [&](std::string_view m, od::value& mv) {
                                 if (m == "Id") return d.read_string(mv, id);
                                 if (m == "ReceiptHandle") return d.read_string(mv, handle);
                                 if (m == "VisibilityTimeout")
                                   return d.read_int(mv, entry.visibility_timeout);
                                 return true;
                               }) &&
                 d.require(id, entry_name(n, "Id"), entry.id) &&
                 d.require(handle, entry_name(n, "ReceiptHandle"), entry.receipt_handle);
        });
      });
      if (!ok || !need_url(r.queue_url)) break;
      return AnyRequest(std::move(r));
    }
    case Action::CreateQueue: {
      CreateQueueRequest r;
      std::optional<std::string> name;
      if (!read([&](std::string_view k, od::value& v) {
            if (k == "QueueName") return d.read_string(v, name);
            if (k == "Attributes") return d.read_string_map(v, r.attributes);
            if (k == "tags") return d.read_string_map(v, r.tags);
            return true;
          }) ||
          !d.require(name, "QueueName", r.queue_name)) {
        break;
      }
      return AnyRequest(std::move(r));
    }
    case Action::DeleteMessage: {
      DeleteMessageRequest r;
      std::optional<std::string> handle;
      if (!read([&](std::string_view k, od::value& v) {
            return k == "ReceiptHandle" ? d.read_string(v, handle) : true;
          }) ||
          !need_url(r.queue_url) || !d.require(handle, "ReceiptHandle", r.receipt_handle)) {
        break;
      }
      return AnyRequest(std::move(r));
    }
    case Action::DeleteMessageBatch: {
      DeleteMessageBatchRequest r;
      bool ok = read([&](std::string_view k, od::value& v) {
        if (k != "Entries") return true;
        return d.each_element(v, [&](od::value& ev) {
          std::optional<std::string> id, handle;
          auto& entry = r.entries.emplace_back();
          std::size_t n = r.entries.size() - 1;
          return d.each_member(ev, false,
                               [&](std::string_view m, od::value& mv) {
                                 if (m == "Id") return d.read_string(mv, id);
                                 if (m == "ReceiptHandle") return d.read_string(mv, handle);
                                 return true;
                               }) &&
                 d.require(id, entry_name(n, "Id"), entry.id) &&
                 d.require(handle, entry_name(n, "ReceiptHandle"), entry.receipt_handle);
        });
      });
      if (!ok || !need_url(r.queue_url)) break;
      return AnyRequest(std::move(r));
    }
    case Action::DeleteQueue:
    case Action::ListQueueTags:
    case Action::PurgeQueue: {
      std::string u;
      if (!read([](std::string_view, od::value&) { return true; }) || !need_url(u)) break;
      if (action == Action::DeleteQueue) return AnyRequest(DeleteQueueRequest{std::move(u)});
      if (action == Action::ListQueueTags) return AnyRequest(ListQueueTagsRequest{std::move(u)});
      return AnyRequest(PurgeQueueRequest{std::move(u)});
    }
    case Action::GetQueueAttributes: {
      GetQueueAttributesRequest r;
      if (!read([&](std::string_view k, od::value& v) {
            return k == "AttributeNames" ? d.read_string_list(v, r.attribute_names) : true;
          }) ||
          !need_url(r.queue_url)) {
        break;
      }
      return AnyRequest(std::move(r));
    }
    case Action::GetQueueUrl: {
      GetQueueUrlRequest r;
      std::optional<std::string> name;
      if (!read([&](std::string_view k, od::value& v) {
            if (k == "QueueName") return d.read_string(v, name);
            if (k == "QueueOwnerAWSAccountId")
              return d.read_string(v, r.queue_owner_aws_account_id);
            return true;
          }) ||
          !d.require(name, "QueueName", r.queue_name)) {
        break;
      }
      return AnyRequest(std::move(r));
    }
    case Action::ListDeadLetterSourceQueues: {
      ListDeadLetterSourceQueuesRequest r;
      if (!read([&](std::string_view k, od::value& v) {
            if (k == "NextToken") return d.read_string(v, r.next_token);
            if (k == "MaxResults") return d.read_int(v, r.max_results);
            return true;
          }) ||
          !need_url(r.queue_url)) {
        break;
      }
      return AnyRequest(std::move(r));
    }
    case Action::ListMessageMoveTasks: {
      ListMessageMoveTasksRequest r;
      std::optional<std::string> arn;
      if (!read([&](std::string_view k, od::value& v) {
            if (k == "SourceArn") return d.read_string(v, arn);
            if (k == "MaxResults") return d.read_int(v, r.max_results);
            return true;
          }) ||
          !d.require(arn, "SourceArn", r.source_arn)) {
        break;
      }
      return AnyRequest(std::move(r));
    }
    case Action::ListQueues: {
      ListQueuesRequest r;
      if (!read([&](std::string_view k, od::value& v) {
            if (k == "QueueNamePrefix") return d.read_string(v, r.queue_name_prefix);
            if (k == "NextToken") return d.read_string(v, r.next_token);
            if (k == "MaxResults") return d.read_int(v, r.max_results);
            return true;
          })) {
        break;
      }
      return AnyRequest(std::move(r));
    }
    case Action::ReceiveMessage: {
      ReceiveMessageRequest r;
      if (!read([&](std::string_view k, od::value& v) {
            if (k == "AttributeNames") return d.read_string_list(v, r.attribute_names);
            if (k == "MessageSystemAttributeNames")
              return d.read_string_list(v, r.message_system_attribute_names);
            if (k == "MessageAttributeNames")
              return d.read_string_list(v, r.message_attribute_names);
            if (k == "MaxNumberOfMessages") return d.read_int(v, r.max_number_of_messages);
            if (k == "VisibilityTimeout") return d.read_int(v, r.visibility_timeout);
            if (k == "WaitTimeSeconds") return d.read_int(v, r.wait_time_seconds);
            if (k == "ReceiveRequestAttemptId")
              return d.read_string(v, r.receive_request_attempt_id);
            return true;
          }) ||
          !need_url(r.queue_url)) {
        break;
      }
      return AnyRequest(std::move(r));
    }
    case Action::RemovePermission: {
      RemovePermissionRequest r;
      std::optional<std::string> label;
      if (!read([&](std::string_view k, od::value& v) {
            return k == "Label" ? d.read_string(v, label) : true;
          }) ||
          !need_url(r.queue_url) || !d.require(label, "Label", r.label)) {
        break;
      }
      return AnyRequest(std::move(r));
    }
    case Action::SendMessage: {
      SendMessageRequest r;
      std::optional<std::string> body;
      if (!read([&](std::string_view k, od::value& v) {
            if (k == "MessageBody") return d.read_string(v, body);
            if (k == "DelaySeconds") return d.read_int(v, r.delay_seconds);
            if (k == "MessageAttributes") return d.read_attributes(v, r.message_attributes);
            if (k == "MessageSystemAttributes")
              return d.read_attributes(v, r.message_system_attributes);
            if (k == "MessageDeduplicationId") return d.read_string(v, r.message_deduplication_id);
            if (k == "MessageGroupId") return d.read_string(v, r.message_group_id);
            return true;
          }) ||
          !need_url(r.queue_url) || !d.require(body, "MessageBody", r.message_body)) {
        break;
      }
      return AnyRequest(std::move(r));
    }
    case Action::SendMessageBatch: {
      SendMessageBatchRequest r;
      bool ok = read([&](std::string_view k, od::value& v) {
        if (k != "Entries") return true;
        return d.each_element(v, [&](od::value& ev) {
          std::optional<std::string> id, body;
          auto& entry = r.entries.emplace_back();
          std::size_t n = r.entries.size() - 1;
          return d.each_member(ev, false,
                               [&](std::string_view m, od::value& mv) {
                                 if (m == "Id") return d.read_string(mv, id);
                                 if (m == "MessageBody") return d.read_string(mv, body);
                                 if (m == "DelaySeconds")
                                   return d.read_int(mv, entry.delay_seconds);
                                 if (m == "MessageAttributes")
                                   return d.read_attributes(mv, entry.message_attributes);
                                 if (m == "MessageSystemAttributes")
                                   return d.read_attributes(mv, entry.message_system_attributes);
                                 if (m == "MessageDeduplicationId")
                                   return d.read_string(mv, entry.message_deduplication_id);
                                 if (m == "MessageGroupId")
                                   return d.read_string(mv, entry.message_group_id);
                                 return true;
                               }) &&
                 d.require(id, entry_name(n, "Id"), entry.id) &&
                 d.require(body, entry_name(n, "MessageBody"), entry.message_body);
        });
      });
      if (!ok || !need_url(r.queue_url)) break;
      return AnyRequest(std::move(r));
    }
    case Action::SetQueueAttributes: {
      SetQueueAttributesRequest r;
      if (!read([&](std::string_view k, od::value& v) {
            return k == "Attributes" ? d.read_string_map(v, r.attributes) : true;
          }) ||
          !need_url(r.queue_url)) {
        break;
      }
      return AnyRequest(std::move(r));
    }
    case Action::StartMessageMoveTask: {
      StartMessageMoveTaskRequest r;
      std::optional<std::string> arn;
      if (!read([&](std::string_view k, od::value& v) {
            if (k == "SourceArn") return d.read_string(v, arn);
            if (k == "DestinationArn") return d.read_string(v, r.destination_arn);
            if (k == "MaxNumberOfMessagesPerSecond")
              return d.read_int(v, r.max_number_of_messages_per_second);
            return true;
          }) ||
          !d.require(arn, "SourceArn", r.source_arn)) {
        break;
      }
      return AnyRequest(std::move(r));
    }
    case Action::TagQueue: {
      TagQueueRequest r;
      if (!read([&](std::string_view k, od::value& v) {
            return k == "Tags" ? d.read_string_map(v, r.tags) : true;
          }) ||
          !need_url(r.queue_url)) {
        break;
      }
      return AnyRequest(std::move(r));
    }
    case Action::UntagQueue: {
      UntagQueueRequest r;
      if (!read([&](std::string_view k, od::value& v) {
            return k == "TagKeys" ? d.read_string_list(v, r.tag_keys) : true;
          }) ||
          !need_url(r.queue_url)) {
        break;
      }
      return AnyRequest(std::move(r));
    }
  }
  return d.take_error();
}

}  // namespace

Result<AnyRequest> decode_json(Action action, std::string_view body, bool padded) {
  // One parser and one scratch buffer per thread: the reactor reuses them for every request.
  thread_local od::parser parser;
  thread_local std::string scratch;

  if (body.empty()) body = "{}";  // no bytes after a literal: copy below
  const char* data = body.data();
  std::size_t capacity = body.size() + simdjson::SIMDJSON_PADDING;
  if (!padded || body == "{}") {
    scratch.assign(body);
    scratch.append(simdjson::SIMDJSON_PADDING, '\0');
    data = scratch.data();
    capacity = scratch.size();
  }
  od::document doc;
  if (auto e = parser.iterate(data, body.size(), capacity).get(doc)) return parse_error(e);
  return decode_document(action, doc);
}

}  // namespace sluice::sqs
