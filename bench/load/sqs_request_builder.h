// SqsRequestBuilder: complete HTTP/1.1 request bytes for the SQS actions the bench drives, in
// either wire protocol: AWS JSON 1.0 (POST with X-Amz-Target: AmazonSQS.<Action>) or the query
// protocol (form-encoded POST, Version=2012-11-05). Every request carries X-Amz-Date and a SigV4
// Authorization header unless signing is off. One instance per loop thread.
#pragma once

#include <cstdint>
#include <ctime>
#include <span>
#include <string>
#include <string_view>

#include "bench/load/amz_date.h"
#include "bench/load/endpoint.h"
#include "bench/load/sigv4_signer.h"
#include "bench/load/sqs_types.h"

namespace sluice::bench {

struct OutgoingMessage {
  std::string_view id;  // batch entry id (ignored by SendMessage)
  std::string_view body;
  std::string_view group_id;  // FIFO only; empty = omitted
  std::string_view dedup_id;  // FIFO only; empty = omitted
};

struct ReceiveOptions {
  uint32_t max_messages = 1;        // 1..10
  uint32_t wait_seconds = 0;        // 0 = short poll (member omitted)
  int32_t visibility_timeout = -1;  // -1 = queue default (member omitted)
};

struct DeleteEntry {
  std::string_view id;
  std::string_view receipt_handle;
};

class SqsRequestBuilder {
 public:
  SqsRequestBuilder(Protocol protocol, Endpoint endpoint, Credentials credentials, bool sign);

  Protocol protocol() const { return protocol_; }

  std::string create_queue(std::string_view name, bool fifo);
  std::string get_queue_url(std::string_view name);
  std::string purge_queue(std::string_view queue_url);
  std::string send_message(std::string_view queue_url, const OutgoingMessage& message);
  std::string send_message_batch(std::string_view queue_url,
                                 std::span<const OutgoingMessage> entries);
  std::string receive_message(std::string_view queue_url, const ReceiveOptions& options);
  std::string delete_message(std::string_view queue_url, std::string_view receipt_handle);
  std::string delete_message_batch(std::string_view queue_url,
                                   std::span<const DeleteEntry> entries);

  // Tests pin X-Amz-Date so that signatures are reproducible.
  void set_fixed_date(std::string amz_date) { fixed_date_ = std::move(amz_date); }

 private:
  std::string frame(ApiAction action, const std::string& payload);
  std::string_view amz_date();

  Protocol protocol_;
  Endpoint endpoint_;
  bool sign_;
  SigV4Signer signer_;
  std::string fixed_date_;
  AmzDate date_;
};

}  // namespace sluice::bench
