// Query-protocol response encoding for SQS: typed results into
//   <XxxResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><XxxResult>...</XxxResult>
//   <ResponseMetadata><RequestId>..</RequestId></ResponseMetadata></XxxResponse>
// with the query protocol's element names (flattened lists and maps: <Message>, <Attribute>,
// <MessageAttribute>, <QueueUrl>, <Tag>, <SendMessageBatchResultEntry>, ...). Absent optional
// members are omitted. Appends to `out`. Pure; any thread.
#pragma once

#include <string>
#include <string_view>

#include "broker/sqs/api/action.h"
#include "broker/sqs/api/results.h"

namespace sluice::sqs {

inline constexpr std::string_view kSqsXmlNamespace = "http://queue.amazonaws.com/doc/2012-11-05/";

// For the nine actions without output: <XxxResponse><ResponseMetadata>...</XxxResponse>.
void encode_xml_empty(Action action, std::string_view request_id, std::string& out);

void encode_xml(const CancelMessageMoveTaskResult& r, std::string_view request_id,
                std::string& out);
void encode_xml(const ChangeMessageVisibilityBatchResult& r, std::string_view request_id,
                std::string& out);
void encode_xml(const CreateQueueResult& r, std::string_view request_id, std::string& out);
void encode_xml(const DeleteMessageBatchResult& r, std::string_view request_id, std::string& out);
void encode_xml(const GetQueueAttributesResult& r, std::string_view request_id, std::string& out);
void encode_xml(const GetQueueUrlResult& r, std::string_view request_id, std::string& out);
void encode_xml(const ListDeadLetterSourceQueuesResult& r, std::string_view request_id,
                std::string& out);
void encode_xml(const ListMessageMoveTasksResult& r, std::string_view request_id, std::string& out);
void encode_xml(const ListQueueTagsResult& r, std::string_view request_id, std::string& out);
void encode_xml(const ListQueuesResult& r, std::string_view request_id, std::string& out);
void encode_xml(const ReceiveMessageResult& r, std::string_view request_id, std::string& out);
void encode_xml(const SendMessageResult& r, std::string_view request_id, std::string& out);
void encode_xml(const SendMessageBatchResult& r, std::string_view request_id, std::string& out);
void encode_xml(const StartMessageMoveTaskResult& r, std::string_view request_id, std::string& out);
// EmptyResult needs the action for its element names.
void encode_xml(Action action, const AnyResult& r, std::string_view request_id, std::string& out);

}  // namespace sluice::sqs
