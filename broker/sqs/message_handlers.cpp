// Message handlers: decode what the store or the message service needs, call it, shape the reply
// (system attributes, batch success/failure entries). Sending is MessageService's
// (message_service.h): the handlers only turn requests into OutgoingMessages and receipts into
// results; SendMessageBatch keeps the checks that need its entry Ids.
#include <memory>

#include "broker/sqs/api/error_table.h"
#include "broker/sqs/api/message_md5.h"
#include "broker/sqs/api/validation.h"
#include "broker/sqs/handlers.h"
#include "storage/queue/sequence_number.h"

namespace sluice::sqs {

namespace {

BatchResultErrorEntry batch_error(const std::string& id, const Error& e) {
  const ErrorInfo& info = error_info(e.code);
  return BatchResultErrorEntry{id, info.sender_fault, std::string(info.query_code), e.message};
}

// Files each entry id under `successful` or `failed` by the store's per-entry status (the batch
// results whose success entries carry only the id).
template <class BatchResult>
void add_entry_outcomes(const std::vector<std::string>& ids, const std::vector<Status>& statuses,
                        BatchResult& out) {
  for (size_t i = 0; i < ids.size(); ++i) {
    if (statuses[i]) {
      out.successful.push_back({ids[i]});
    } else {
      out.failed.push_back(batch_error(ids[i], statuses[i].error()));
    }
  }
}

// SendMessageRequest and SendMessageBatchRequestEntry carry the same message fields.
template <class Carrier>
OutgoingMessage outgoing_of(Carrier&& c) {
  return OutgoingMessage{std::move(c.message_body),
                         std::move(c.message_attributes),
                         std::move(c.message_system_attributes),
                         c.delay_seconds,
                         std::move(c.message_group_id),
                         std::move(c.message_deduplication_id)};
}

MessageAttribute to_wire(const storage::MessageAttribute& a) {
  MessageAttribute w;
  w.name = a.name;
  w.data_type = a.data_type;
  w.is_binary = a.is_binary;
  if (a.is_binary) {
    w.binary_value = a.value;
    w.has_binary_value = true;
  } else {
    w.string_value = a.value;
    w.has_string_value = true;
  }
  return w;
}

struct ReceiveShape {
  bool all_system = false;
  std::vector<std::string> system;
  bool all_user = false;
  std::vector<std::string> user_exact;
  std::vector<std::string> user_prefixes;  // "prefix." for "prefix.*"

  bool wants_system(std::string_view name) const {
    if (all_system) return true;
    for (const auto& s : system) {
      if (s == name) return true;
    }
    return false;
  }
  bool wants_user(std::string_view name) const {
    if (all_user) return true;
    for (const auto& s : user_exact) {
      if (s == name) return true;
    }
    for (const auto& p : user_prefixes) {
      if (name.substr(0, p.size()) == p) return true;
    }
    return false;
  }
};

ReceiveShape receive_shape(const ReceiveMessageRequest& req) {
  ReceiveShape shape;
  for (const auto* list : {&req.attribute_names, &req.message_system_attribute_names}) {
    for (const auto& n : *list) {
      if (n == "All") shape.all_system = true;
      shape.system.push_back(n);
    }
  }
  for (const auto& n : req.message_attribute_names) {
    if (n == "All" || n == ".*") {
      shape.all_user = true;
    } else if (n.size() > 2 && n.compare(n.size() - 2, 2, ".*") == 0) {
      shape.user_prefixes.push_back(n.substr(0, n.size() - 1));
    } else {
      shape.user_exact.push_back(n);
    }
  }
  return shape;
}

Message to_wire(storage::ReceivedMessage&& m, const ReceiveShape& shape) {
  Message out;
  out.message_id = std::move(m.message_id);
  out.receipt_handle = std::move(m.receipt_handle);
  out.md5_of_body = std::move(m.body_md5);
  out.body = std::move(m.body);
  auto add = [&](std::string_view name, std::string value) {
    if (shape.wants_system(name)) out.attributes.emplace_back(std::string(name), std::move(value));
  };
  add("SenderId", m.sender_id);
  add("SentTimestamp", std::to_string(m.sent_ms));
  add("ApproximateReceiveCount", std::to_string(m.receive_count));
  add("ApproximateFirstReceiveTimestamp", std::to_string(m.first_receive_ms));
  if (!m.aws_trace_header.empty()) add("AWSTraceHeader", m.aws_trace_header);
  // Only FIFO messages have a deduplication id; a fair-queue message may have just a group.
  if (!m.dedup_id.empty()) {
    add("SequenceNumber", storage::sequence_number_text(m.seq));
    add("MessageDeduplicationId", m.dedup_id);
  }
  if (!m.group_id.empty()) add("MessageGroupId", m.group_id);
  if (!m.dead_letter_source_arn.empty()) {
    add("DeadLetterQueueSourceArn", std::move(m.dead_letter_source_arn));
  }
  for (const auto& a : m.attributes) {
    if (shape.wants_user(a.name)) out.message_attributes.push_back(to_wire(a));
  }
  out.md5_of_message_attributes = md5_of_message_attributes(out.message_attributes);
  return out;
}

}  // namespace

void handle(HandlerContext& ctx, SendMessageRequest&& req, Reply reply) {
  auto name = ctx.queue_name_of(req.queue_url);
  OutgoingMessage message = outgoing_of(std::move(req));
  if (!name) {
    // SQS answers a bad message before a QueueUrl that names no queue of ours.
    if (auto st = MessageService::check(message); !st) return reply(std::move(st).error());
    return reply(std::move(name).error());
  }
  ctx.messages.send(
      *name, std::move(message), [reply = std::move(reply)](Result<SentReceipt> sent) {
        if (!sent) return reply(std::move(sent).error());
        SendMessageResult result;
        result.md5_of_message_body = std::move(sent->md5_of_body);
        result.md5_of_message_attributes = std::move(sent->md5_of_attributes);
        result.md5_of_message_system_attributes = std::move(sent->md5_of_system_attributes);
        result.message_id = std::move(sent->message_id);
        result.sequence_number = std::move(sent->sequence_number);
        reply(AnyResult(std::move(result)));
      });
}

void handle(HandlerContext& ctx, SendMessageBatchRequest&& req, Reply reply) {
  // The entry Ids are this request's alone: checked here, first, as SQS does.
  if (auto st = validate_batch(req); !st) return reply(std::move(st).error());
  std::vector<std::string> ids;
  std::vector<OutgoingMessage> messages;
  ids.reserve(req.entries.size());
  messages.reserve(req.entries.size());
  for (auto& e : req.entries) {
    ids.push_back(std::move(e.id));
    messages.push_back(outgoing_of(std::move(e)));
  }
  // Also before the QueueUrl: SQS answers an oversized request before an unknown queue.
  if (auto st = MessageService::check_batch(messages); !st) return reply(std::move(st).error());
  with_queue(ctx, req.queue_url, reply, [&](const std::string& name) {
    ctx.messages.send_batch(name, std::move(messages),
                            [ids = std::move(ids), reply = std::move(reply)](
                                Result<std::vector<Result<SentReceipt>>> sent) mutable {
                              if (!sent) return reply(std::move(sent).error());
                              SendMessageBatchResult result;
                              for (size_t i = 0; i < ids.size(); ++i) {
                                auto& r = (*sent)[i];
                                if (!r) {
                                  result.failed.push_back(batch_error(ids[i], r.error()));
                                  continue;
                                }
                                SendMessageBatchResultEntry ok;
                                ok.id = std::move(ids[i]);
                                ok.message_id = std::move(r->message_id);
                                ok.md5_of_message_body = std::move(r->md5_of_body);
                                ok.md5_of_message_attributes = std::move(r->md5_of_attributes);
                                ok.md5_of_message_system_attributes =
                                    std::move(r->md5_of_system_attributes);
                                ok.sequence_number = std::move(r->sequence_number);
                                result.successful.push_back(std::move(ok));
                              }
                              reply(AnyResult(std::move(result)));
                            });
  });
}

void handle(HandlerContext& ctx, ReceiveMessageRequest&& req, Reply reply) {
  if (auto st = validate_request(req); !st) return reply(std::move(st).error());
  with_queue(ctx, req.queue_url, reply, [&](const std::string& name) {
    storage::ReceiveOptions opts;
    opts.max_messages = static_cast<uint32_t>(req.max_number_of_messages.value_or(1));
    if (req.visibility_timeout) {
      opts.visibility_timeout = static_cast<uint32_t>(*req.visibility_timeout);
    }
    if (req.wait_time_seconds) opts.wait_seconds = static_cast<uint32_t>(*req.wait_time_seconds);
    opts.still_wanted = ctx.still_wanted;
    if (req.receive_request_attempt_id) {
      opts.receive_request_attempt_id = std::move(*req.receive_request_attempt_id);
    }
    ctx.store.receive(name, std::move(opts),
                      [shape = receive_shape(req), reply = std::move(reply)](
                          Result<std::vector<storage::ReceivedMessage>> got) {
                        if (!got) return reply(std::move(got).error());
                        ReceiveMessageResult result;
                        result.messages.reserve(got->size());
                        for (auto& m : *got)
                          result.messages.push_back(to_wire(std::move(m), shape));
                        reply(AnyResult(std::move(result)));
                      });
  });
}

void handle(HandlerContext& ctx, DeleteMessageRequest&& req, Reply reply) {
  with_queue(ctx, req.queue_url, reply, [&](const std::string& name) {
    ctx.store.delete_messages(name, {std::move(req.receipt_handle)},
                              [reply = std::move(reply)](Result<std::vector<Status>> r) {
                                if (!r) return reply(std::move(r).error());
                                if (!r->front()) return reply(std::move(r->front()).error());
                                reply(AnyResult(EmptyResult{}));
                              });
  });
}

void handle(HandlerContext& ctx, DeleteMessageBatchRequest&& req, Reply reply) {
  if (auto st = validate_batch(req); !st) return reply(std::move(st).error());
  with_queue(ctx, req.queue_url, reply, [&](const std::string& name) {
    std::vector<std::string> ids, handles;
    for (auto& e : req.entries) {
      ids.push_back(std::move(e.id));
      handles.push_back(std::move(e.receipt_handle));
    }
    ctx.store.delete_messages(
        name, std::move(handles),
        [ids = std::move(ids), reply = std::move(reply)](Result<std::vector<Status>> r) {
          if (!r) return reply(std::move(r).error());
          DeleteMessageBatchResult result;
          add_entry_outcomes(ids, *r, result);
          reply(AnyResult(std::move(result)));
        });
  });
}

void handle(HandlerContext& ctx, ChangeMessageVisibilityRequest&& req, Reply reply) {
  if (auto st = validate_request(req); !st) return reply(std::move(st).error());
  with_queue(ctx, req.queue_url, reply, [&](const std::string& name) {
    std::vector<storage::VisibilityChange> changes;
    changes.push_back(
        {std::move(req.receipt_handle), static_cast<uint32_t>(req.visibility_timeout)});
    ctx.store.change_visibility(name, std::move(changes),
                                [reply = std::move(reply)](Result<std::vector<Status>> r) {
                                  if (!r) return reply(std::move(r).error());
                                  if (!r->front()) return reply(std::move(r->front()).error());
                                  reply(AnyResult(EmptyResult{}));
                                });
  });
}

void handle(HandlerContext& ctx, ChangeMessageVisibilityBatchRequest&& req, Reply reply) {
  if (auto st = validate_batch(req); !st) return reply(std::move(st).error());
  with_queue(ctx, req.queue_url, reply, [&](const std::string& name) {
    auto result = std::make_shared<ChangeMessageVisibilityBatchResult>();
    std::vector<std::string> ids;
    std::vector<storage::VisibilityChange> changes;
    for (auto& e : req.entries) {
      if (auto st = validate_entry(e); !st) {
        result->failed.push_back(batch_error(e.id, st.error()));
        continue;
      }
      ids.push_back(e.id);
      changes.push_back(
          {std::move(e.receipt_handle), static_cast<uint32_t>(e.visibility_timeout.value_or(0))});
    }
    if (changes.empty()) return reply(AnyResult(std::move(*result)));
    ctx.store.change_visibility(
        name, std::move(changes),
        [result, ids = std::move(ids), reply = std::move(reply)](Result<std::vector<Status>> r) {
          if (!r) return reply(std::move(r).error());
          add_entry_outcomes(ids, *r, *result);
          reply(AnyResult(std::move(*result)));
        });
  });
}

}  // namespace sluice::sqs
