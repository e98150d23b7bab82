// Every sluice::ErrorCode as each protocol shows it: status, JSON __type, query code, fault.
// The expectations are written out by hand from the SQS model's awsQueryError traits and the
// AWS Common Errors reference, independently of error_table.cpp.
#include <gtest/gtest.h>

#include "broker/sqs/api/error_table.h"
#include "broker/sqs/api/response.h"

namespace sluice::sqs {
namespace {

struct Expected {
  ErrorCode code;
  std::string_view json_type;
  std::string_view query_code;
  int status;
  std::string_view fault;
};

const Expected kExpected[] = {
    {ErrorCode::kInvalidParameterValue, "com.amazonaws.sqs#InvalidParameterValueException",
     "InvalidParameterValue", 400, "Sender"},
    {ErrorCode::kMissingParameter, "com.amazonaws.sqs#MissingParameterException",
     "MissingParameter", 400, "Sender"},
    {ErrorCode::kInvalidAction, "com.amazonaws.sqs#InvalidAction", "InvalidAction", 400, "Sender"},
    {ErrorCode::kUnknownOperation, "com.amazon.coral.service#UnknownOperationException",
     "UnknownOperationException", 400, "Sender"},
    {ErrorCode::kSerialization, "com.amazon.coral.service#SerializationException",
     "SerializationException", 400, "Sender"},
    {ErrorCode::kMalformedQueryString, "com.amazonaws.sqs#MalformedQueryString",
     "MalformedQueryString", 404, "Sender"},
    {ErrorCode::kUnsupportedOperation, "com.amazonaws.sqs#UnsupportedOperation",
     "AWS.SimpleQueueService.UnsupportedOperation", 400, "Sender"},
    {ErrorCode::kInvalidAttributeName, "com.amazonaws.sqs#InvalidAttributeName",
     "InvalidAttributeName", 400, "Sender"},
    {ErrorCode::kInvalidAttributeValue, "com.amazonaws.sqs#InvalidAttributeValue",
     "InvalidAttributeValue", 400, "Sender"},
    {ErrorCode::kInvalidMessageContents, "com.amazonaws.sqs#InvalidMessageContents",
     "InvalidMessageContents", 400, "Sender"},
    {ErrorCode::kInvalidIdFormat, "com.amazonaws.sqs#InvalidIdFormat", "InvalidIdFormat", 400,
     "Sender"},
    {ErrorCode::kRequestTooLarge, "com.amazonaws.sqs#RequestEntityTooLarge",
     "RequestEntityTooLarge", 413, "Sender"},
    {ErrorCode::kQueueDoesNotExist, "com.amazonaws.sqs#QueueDoesNotExist",
     "AWS.SimpleQueueService.NonExistentQueue", 400, "Sender"},
    {ErrorCode::kQueueNameExists, "com.amazonaws.sqs#QueueNameExists", "QueueAlreadyExists", 400,
     "Sender"},
    {ErrorCode::kQueueDeletedRecently, "com.amazonaws.sqs#QueueDeletedRecently",
     "AWS.SimpleQueueService.QueueDeletedRecently", 400, "Sender"},
    {ErrorCode::kPurgeQueueInProgress, "com.amazonaws.sqs#PurgeQueueInProgress",
     "AWS.SimpleQueueService.PurgeQueueInProgress", 403, "Sender"},
    {ErrorCode::kOverLimit, "com.amazonaws.sqs#OverLimit", "OverLimit", 403, "Sender"},
    {ErrorCode::kReceiptHandleIsInvalid, "com.amazonaws.sqs#ReceiptHandleIsInvalid",
     "ReceiptHandleIsInvalid", 404, "Sender"},
    {ErrorCode::kMessageNotInflight, "com.amazonaws.sqs#MessageNotInflight",
     "AWS.SimpleQueueService.MessageNotInflight", 400, "Sender"},
    {ErrorCode::kEmptyBatchRequest, "com.amazonaws.sqs#EmptyBatchRequest",
     "AWS.SimpleQueueService.EmptyBatchRequest", 400, "Sender"},
    {ErrorCode::kTooManyEntriesInBatchRequest, "com.amazonaws.sqs#TooManyEntriesInBatchRequest",
     "AWS.SimpleQueueService.TooManyEntriesInBatchRequest", 400, "Sender"},
    {ErrorCode::kBatchEntryIdsNotDistinct, "com.amazonaws.sqs#BatchEntryIdsNotDistinct",
     "AWS.SimpleQueueService.BatchEntryIdsNotDistinct", 400, "Sender"},
    {ErrorCode::kBatchRequestTooLong, "com.amazonaws.sqs#BatchRequestTooLong",
     "AWS.SimpleQueueService.BatchRequestTooLong", 400, "Sender"},
    {ErrorCode::kInvalidBatchEntryId, "com.amazonaws.sqs#InvalidBatchEntryId",
     "AWS.SimpleQueueService.InvalidBatchEntryId", 400, "Sender"},
    {ErrorCode::kInternal, "com.amazon.coral.service#InternalFailure", "InternalFailure", 500,
     "Receiver"},
    {ErrorCode::kStorageFull, "com.amazon.coral.service#InternalFailure", "InternalFailure", 500,
     "Receiver"},
    {ErrorCode::kServiceUnavailable, "com.amazon.coral.service#ServiceUnavailableException",
     "ServiceUnavailable", 503, "Receiver"},
    {ErrorCode::kMissingAction, "com.amazonaws.sqs#MissingAction", "MissingAction", 400, "Sender"},
};

TEST(ErrorRendering, EveryErrorCodeHasARow) {
  EXPECT_EQ(std::size(kExpected), static_cast<std::size_t>(ErrorCode::kMissingAction) + 1);
  for (const auto& e : kExpected) {
    const ErrorInfo& info = error_info(e.code);
    EXPECT_EQ(info.code, e.code);
    EXPECT_EQ(info.json_type, e.json_type);
    EXPECT_EQ(info.query_code, e.query_code);
    EXPECT_EQ(info.http_status, e.status);
    EXPECT_EQ(info.sender_fault, e.fault == "Sender");
  }
}

TEST(ErrorRendering, QueryProtocolErrorDocumentForEveryCode) {
  for (const auto& e : kExpected) {
    if (e.code == ErrorCode::kQueueDoesNotExist) continue;  // a fixed text (below)
    WireResponse r = render_error(Protocol::kQuery, Error{e.code, "m<&>"}, "rid");
    EXPECT_EQ(r.status, e.status);
    EXPECT_EQ(r.content_type, "text/xml");
    EXPECT_EQ(r.body,
              "<ErrorResponse xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\">"
              "<Error><Type>" +
                  std::string(e.fault) + "</Type><Code>" + std::string(e.query_code) +
                  "</Code><Message>m&lt;&amp;&gt;</Message><Detail/></Error>"
                  "<RequestId>rid</RequestId></ErrorResponse>");
    ASSERT_EQ(r.headers.size(), 1u);
    EXPECT_EQ(r.headers[0].first, "x-amzn-RequestId");
    EXPECT_EQ(r.headers[0].second, "rid");
  }
}

TEST(ErrorRendering, JsonProtocolErrorBodyAndQueryErrorHeaderForEveryCode) {
  for (const auto& e : kExpected) {
    if (e.code == ErrorCode::kQueueDoesNotExist) continue;  // a fixed text (below)
    WireResponse r = render_error(Protocol::kJson, Error{e.code, "m \"q\""}, "rid");
    EXPECT_EQ(r.status, e.status);
    EXPECT_EQ(r.content_type, "application/x-amz-json-1.0");
    EXPECT_EQ(r.body,
              "{\"__type\":\"" + std::string(e.json_type) + "\",\"message\":\"m \\\"q\\\"\"}");
    ASSERT_EQ(r.headers.size(), 2u);
    EXPECT_EQ(r.headers[0], (std::pair<std::string, std::string>{"x-amzn-RequestId", "rid"}));
    EXPECT_EQ(r.headers[1].first, "x-amzn-query-error");
    EXPECT_EQ(r.headers[1].second, std::string(e.query_code) + ";" + std::string(e.fault));
  }
}

TEST(ErrorRendering, QueueDoesNotExistMessageIsFixedPerProtocol) {
  // Whatever text the raiser gave (the store words it the JSON way), each protocol has its own.
  for (std::string_view given : {"", "The specified queue does not exist."}) {
    Error e{ErrorCode::kQueueDoesNotExist, std::string(given)};
    WireResponse q = render_error(Protocol::kQuery, e, "r");
    EXPECT_NE(q.body.find("<Message>The specified queue does not exist for this wsdl version."
                          "</Message>"),
              std::string::npos);
    WireResponse j = render_error(Protocol::kJson, e, "r");
    EXPECT_EQ(j.body,
              "{\"__type\":\"com.amazonaws.sqs#QueueDoesNotExist\","
              "\"message\":\"The specified queue does not exist.\"}");
  }
}

TEST(ErrorRendering, StorageFullIsAnInternalFailureWithAGenericMessage) {
  WireResponse j = render_error(Protocol::kJson, Error{ErrorCode::kStorageFull, ""}, "r");
  EXPECT_EQ(j.status, 500);
  EXPECT_EQ(j.body,
            "{\"__type\":\"com.amazon.coral.service#InternalFailure\",\"message\":\"The request "
            "processing has failed because of an unknown error, exception or failure.\"}");
}

TEST(ErrorRendering, ErrorWithoutMessageOrDefaultOmitsJsonMessage) {
  WireResponse j = render_error(Protocol::kJson, Error{ErrorCode::kMessageNotInflight, ""}, "r");
  EXPECT_EQ(j.body, "{\"__type\":\"com.amazonaws.sqs#MessageNotInflight\"}");
}

}  // namespace
}  // namespace sluice::sqs
