// HandlerContext: what an SQS action handler gets besides its typed request: the queue store, the
// message service (the one send path, message_service.h), who we are (region, account, public
// URL), the request's Host header, and the reply to call once (now or after a commit). Lives for
// one request; the reply may outlive the handler call.
#pragma once

#include <functional>
#include <string>

#include "broker/sqs/api/queue_url.h"
#include "broker/sqs/api/results.h"
#include "broker/sqs/message_service.h"
#include "storage/queue/queue_store.h"
#include "storage/result.h"

namespace sluice::sqs {

using Reply = std::function<void(Result<AnyResult>)>;

struct HandlerContext {
  storage::QueueStore& store;
  MessageService& messages;  // SendMessage and SendMessageBatch send through it
  const ServiceIdentity& identity;
  std::string host;                    // Host header of the request
  std::function<bool()> still_wanted;  // false once the client connection is gone

  std::string url_of(std::string_view queue_name) const {
    return queue_url(identity, host, queue_name);
  }
  // The queue a request's QueueUrl names, or QueueDoesNotExist.
  Result<std::string> queue_name_of(std::string_view url) const;
};

// Runs `fn(name)` with the queue name of `url`, or replies QueueDoesNotExist.
template <class Fn>
void with_queue(const HandlerContext& ctx, std::string_view url, Reply& reply, Fn&& fn) {
  auto name = ctx.queue_name_of(url);
  if (!name) return reply(std::move(name).error());
  fn(*name);
}

}  // namespace sluice::sqs
