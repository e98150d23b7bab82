// AWS JSON 1.0 response encoding for SQS: typed results into the JSON body, with the model's
// member names; absent optional members (empty strings, empty optionals, empty lists/maps) are
// omitted. Appends to `out` (callers reuse buffers). Pure; any thread.
#pragma once

#include <string>

#include "broker/sqs/api/results.h"

namespace sluice::sqs {

void encode_json(const EmptyResult& r, std::string& out);  // "{}"
void encode_json(const CancelMessageMoveTaskResult& r, std::string& out);
void encode_json(const ChangeMessageVisibilityBatchResult& r, std::string& out);
void encode_json(const CreateQueueResult& r, std::string& out);
void encode_json(const DeleteMessageBatchResult& r, std::string& out);
void encode_json(const GetQueueAttributesResult& r, std::string& out);
void encode_json(const GetQueueUrlResult& r, std::string& out);
void encode_json(const ListDeadLetterSourceQueuesResult& r, std::string& out);
void encode_json(const ListMessageMoveTasksResult& r, std::string& out);
void encode_json(const ListQueueTagsResult& r, std::string& out);
void encode_json(const ListQueuesResult& r, std::string& out);
void encode_json(const ReceiveMessageResult& r, std::string& out);
void encode_json(const SendMessageResult& r, std::string& out);
void encode_json(const SendMessageBatchResult& r, std::string& out);
void encode_json(const StartMessageMoveTaskResult& r, std::string& out);
void encode_json(const AnyResult& r, std::string& out);

template <class R>
std::string encode_json(const R& r) {
  std::string out;
  encode_json(r, out);
  return out;
}

}  // namespace sluice::sqs
