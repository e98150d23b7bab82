#include "bench/load/sqs_response_parser.h"

#include "bench/load/xml_scanner.h"

namespace sluice::bench {
namespace {

namespace od = simdjson::ondemand;

bool is_success(const HttpResponse& r) {
  return r.status >= 200 && r.status < 300;
}

Failure bad(std::string detail) {
  return make_failure(std::string(kBadResponse), std::move(detail));
}

simdjson::simdjson_result<od::document> iterate(od::parser& parser, const HttpResponse& r) {
  // The HTTP parser reserves simdjson's padding after every body; check rather than trust.
  if (r.body.capacity() < r.body.size() + simdjson::SIMDJSON_PADDING) {
    return simdjson::INSUFFICIENT_PADDING;
  }
  return parser.iterate(r.body.data(), r.body.size(), r.body.capacity());
}

// Calls fn(key, value) for every member of the top-level object; fn returns false to reject.
template <class Fn>
bool each_member(od::object object, Fn&& fn) {
  for (auto member : object) {
    std::string_view key;
    if (member.unescaped_key().get(key)) return false;
    od::value value;
    if (member.value().get(value)) return false;
    if (!fn(key, value)) return false;
  }
  return true;
}

bool get_string(od::value& value, std::string& out) {
  std::string_view s;
  if (value.get_string().get(s)) return false;
  out.assign(s);
  return true;
}

// Top-level object of a JSON body; an empty body counts as {} (some servers send nothing for
// empty results).
template <class Fn>
bool json_object_members(od::parser& parser, const HttpResponse& r, Fn&& fn, std::string* why) {
  if (r.body.find_first_not_of(" \t\r\n") == std::string::npos) return true;
  od::document doc;
  if (iterate(parser, r).get(doc)) {
    *why = "response is not JSON";
    return false;
  }
  od::object object;
  if (doc.get_object().get(object)) {
    *why = "response is not a JSON object";
    return false;
  }
  if (!each_member(object, fn)) {
    if (why->empty()) *why = "malformed JSON response";
    return false;
  }
  return true;
}

bool json_batch_errors(od::value& value, std::vector<BatchErrorEntry>& out) {
  od::array array;
  if (value.get_array().get(array)) return false;
  for (auto element : array) {
    od::object entry;
    if (element.get_object().get(entry)) return false;
    BatchErrorEntry e;
    const bool ok = each_member(entry, [&](std::string_view key, od::value& v) {
      if (key == "Id") return get_string(v, e.id);
      if (key == "Code") return get_string(v, e.code);
      if (key == "Message") return get_string(v, e.message);
      if (key == "SenderFault") return !v.get_bool().get(e.sender_fault);
      return true;
    });
    if (!ok) return false;
    out.push_back(std::move(e));
  }
  return true;
}

std::string_view after_hash(std::string_view type) {
  const size_t hash = type.rfind('#');
  return hash == std::string_view::npos ? type : type.substr(hash + 1);
}

}  // namespace

Failure SqsResponseParser::error(const HttpResponse& r) {
  std::string code;
  std::string message;
  if (protocol_ == Protocol::kJson) {
    std::string why;
    std::string type;
    (void)json_object_members(
        json_, r,
        [&](std::string_view key, od::value& v) {
          if (key == "__type") return get_string(v, type);
          if (key == "message" || key == "Message") return get_string(v, message);
          return true;
        },
        &why);
    code.assign(after_hash(type));
  } else {
    std::string why;
    (void)walk_xml(
        r.body, [](std::string_view, std::string_view) {},
        [&](std::string_view name, std::string_view parent, std::string_view text) {
          if (parent != "Error") return;
          if (name == "Code") code.assign(text);
          if (name == "Message") message.assign(text);
        },
        &why);
  }
  if (code.empty() && !r.query_error.empty()) {
    code = r.query_error.substr(0, r.query_error.find(';'));
  }
  if (code.empty()) code = "http-" + std::to_string(r.status);
  if (message.empty()) message = "HTTP " + std::to_string(r.status);
  return make_failure(std::move(code), std::move(message));
}

Outcome<QueueUrlResult> SqsResponseParser::queue_url(const HttpResponse& r) {
  if (!is_success(r)) return error(r);
  QueueUrlResult out;
  std::string why;
  bool ok;
  if (protocol_ == Protocol::kJson) {
    ok = json_object_members(
        json_, r,
        [&](std::string_view key, od::value& v) {
          return key == "QueueUrl" ? get_string(v, out.queue_url) : true;
        },
        &why);
  } else {
    ok = walk_xml(
        r.body, [](std::string_view, std::string_view) {},
        [&](std::string_view name, std::string_view, std::string_view text) {
          if (name == "QueueUrl") out.queue_url.assign(text);
        },
        &why);
  }
  if (!ok) return bad(why);
  if (out.queue_url.empty()) return bad("no QueueUrl in the response");
  return out;
}

Outcome<SendResult> SqsResponseParser::send_message(const HttpResponse& r) {
  if (!is_success(r)) return error(r);
  SendResult out;
  std::string why;
  bool ok;
  if (protocol_ == Protocol::kJson) {
    ok = json_object_members(
        json_, r,
        [&](std::string_view key, od::value& v) {
          if (key == "MessageId") return get_string(v, out.message_id);
          if (key == "MD5OfMessageBody") return get_string(v, out.md5_of_body);
          return true;
        },
        &why);
  } else {
    ok = walk_xml(
        r.body, [](std::string_view, std::string_view) {},
        [&](std::string_view name, std::string_view parent, std::string_view text) {
          if (parent != "SendMessageResult") return;
          if (name == "MessageId") out.message_id.assign(text);
          if (name == "MD5OfMessageBody") out.md5_of_body.assign(text);
        },
        &why);
  }
  if (!ok) return bad(why);
  if (out.message_id.empty()) return bad("no MessageId in the SendMessage response");
  return out;
}

Outcome<BatchResult> SqsResponseParser::batch(const HttpResponse& r) {
  if (!is_success(r)) return error(r);
  BatchResult out;
  std::string why;
  bool ok;
  if (protocol_ == Protocol::kJson) {
    ok = json_object_members(
        json_, r,
        [&](std::string_view key, od::value& v) {
          if (key == "Failed") return json_batch_errors(v, out.failed);
          if (key != "Successful") return true;
          od::array array;
          if (v.get_array().get(array)) return false;
          for (auto element : array) {
            od::object entry;
            if (element.get_object().get(entry)) return false;
            BatchSuccessEntry e;
            const bool entry_ok = each_member(entry, [&](std::string_view k, od::value& ev) {
              if (k == "Id") return get_string(ev, e.id);
              if (k == "MessageId") return get_string(ev, e.message_id);
              if (k == "MD5OfMessageBody") return get_string(ev, e.md5_of_body);
              return true;
            });
            if (!entry_ok) return false;
            out.successful.push_back(std::move(e));
          }
          return true;
        },
        &why);
  } else {
    // Entries are <SendMessageBatchResultEntry>/<DeleteMessageBatchResultEntry> (success) and
    // <BatchResultErrorEntry> (failure), flattened inside the *Result element.
    enum class In { kNone, kSuccess, kFailure } in = In::kNone;
    ok = walk_xml(
        r.body,
        [&](std::string_view name, std::string_view) {
          if (name == "SendMessageBatchResultEntry" || name == "DeleteMessageBatchResultEntry") {
            out.successful.emplace_back();
            in = In::kSuccess;
          } else if (name == "BatchResultErrorEntry") {
            out.failed.emplace_back();
            in = In::kFailure;
          }
        },
        [&](std::string_view name, std::string_view parent, std::string_view text) {
          if (in == In::kSuccess && parent.ends_with("BatchResultEntry")) {
            BatchSuccessEntry& e = out.successful.back();
            if (name == "Id") e.id.assign(text);
            if (name == "MessageId") e.message_id.assign(text);
            if (name == "MD5OfMessageBody") e.md5_of_body.assign(text);
          } else if (in == In::kFailure && parent == "BatchResultErrorEntry") {
            BatchErrorEntry& e = out.failed.back();
            if (name == "Id") e.id.assign(text);
            if (name == "Code") e.code.assign(text);
            if (name == "Message") e.message.assign(text);
            if (name == "SenderFault") e.sender_fault = text == "true";
          }
        },
        &why);
  }
  if (!ok) return bad(why);
  return out;
}

Outcome<ReceiveResult> SqsResponseParser::receive_message(const HttpResponse& r) {
  if (!is_success(r)) return error(r);
  ReceiveResult out;
  std::string why;
  bool ok;
  if (protocol_ == Protocol::kJson) {
    ok = json_object_members(
        json_, r,
        [&](std::string_view key, od::value& v) {
          if (key != "Messages") return true;
          od::array array;
          if (v.get_array().get(array)) return false;
          for (auto element : array) {
            od::object entry;
            if (element.get_object().get(entry)) return false;
            ReceivedMessage m;
            const bool entry_ok = each_member(entry, [&](std::string_view k, od::value& ev) {
              if (k == "MessageId") return get_string(ev, m.message_id);
              if (k == "ReceiptHandle") return get_string(ev, m.receipt_handle);
              if (k == "MD5OfBody") return get_string(ev, m.md5_of_body);
              if (k == "Body") return get_string(ev, m.body);
              return true;
            });
            if (!entry_ok) return false;
            out.messages.push_back(std::move(m));
          }
          return true;
        },
        &why);
  } else {
    ok = walk_xml(
        r.body,
        [&](std::string_view name, std::string_view parent) {
          if (name == "Message" && parent == "ReceiveMessageResult") out.messages.emplace_back();
        },
        [&](std::string_view name, std::string_view parent, std::string_view text) {
          if (parent != "Message" || out.messages.empty()) return;
          ReceivedMessage& m = out.messages.back();
          if (name == "MessageId") m.message_id.assign(text);
          if (name == "ReceiptHandle") m.receipt_handle.assign(text);
          if (name == "MD5OfBody") m.md5_of_body.assign(text);
          if (name == "Body") m.body.assign(text);
        },
        &why);
  }
  if (!ok) return bad(why);
  for (const ReceivedMessage& m : out.messages) {
    if (m.receipt_handle.empty()) return bad("received message without a ReceiptHandle");
  }
  return out;
}

Outcome<Empty> SqsResponseParser::empty(const HttpResponse& r) {
  if (!is_success(r)) return error(r);
  return Empty{};
}

}  // namespace sluice::bench
