// See error_table.h. Modelled errors: JSON type com.amazonaws.sqs#<Shape>, query code and status
// from the shape's awsQueryError trait (the SDKs' generated schemas; botocore's query model has
// the same codes). Errors SQS does not model (AWS common errors): the names and statuses of the
// AWS Common Errors reference; framework errors of the JSON endpoint (bad JSON, unknown target,
// internal failure) use AWS's coral service types, as every AWS JSON 1.0 service does.
#include "broker/sqs/api/error_table.h"

#include <array>

namespace sluice::sqs {

namespace {

constexpr bool kSender = true;
constexpr bool kReceiver = false;

constexpr ErrorInfo kTable[] = {
    // Not modelled shapes: AWS's JSON endpoint names these two "<code>Exception" (as recorded by
    // LocalStack's AWS-validated snapshots); the SDKs show the query code from the header.
    {ErrorCode::kInvalidParameterValue, "com.amazonaws.sqs#InvalidParameterValueException",
     "InvalidParameterValue", 400, kSender},
    {ErrorCode::kMissingParameter, "com.amazonaws.sqs#MissingParameterException",
     "MissingParameter", 400, kSender},
    {ErrorCode::kInvalidAction, "com.amazonaws.sqs#InvalidAction", "InvalidAction", 400, kSender},
    {ErrorCode::kUnknownOperation, "com.amazon.coral.service#UnknownOperationException",
     "UnknownOperationException", 400, kSender},
    {ErrorCode::kSerialization, "com.amazon.coral.service#SerializationException",
     "SerializationException", 400, kSender},
    {ErrorCode::kMalformedQueryString, "com.amazonaws.sqs#MalformedQueryString",
     "MalformedQueryString", 404, kSender},
    {ErrorCode::kUnsupportedOperation, "com.amazonaws.sqs#UnsupportedOperation",
     "AWS.SimpleQueueService.UnsupportedOperation", 400, kSender},
    {ErrorCode::kInvalidAttributeName, "com.amazonaws.sqs#InvalidAttributeName",
     "InvalidAttributeName", 400, kSender},
    {ErrorCode::kInvalidAttributeValue, "com.amazonaws.sqs#InvalidAttributeValue",
     "InvalidAttributeValue", 400, kSender},
    {ErrorCode::kInvalidMessageContents, "com.amazonaws.sqs#InvalidMessageContents",
     "InvalidMessageContents", 400, kSender},
    {ErrorCode::kInvalidIdFormat, "com.amazonaws.sqs#InvalidIdFormat", "InvalidIdFormat", 400,
     kSender},
    // Not an SQS error: the server's own body cap (--max-body-bytes). Named as HTTP names 413.
    {ErrorCode::kRequestTooLarge, "com.amazonaws.sqs#RequestEntityTooLarge",
     "RequestEntityTooLarge", 413, kSender},
    {ErrorCode::kQueueDoesNotExist, "com.amazonaws.sqs#QueueDoesNotExist",
     "AWS.SimpleQueueService.NonExistentQueue", 400, kSender},
    {ErrorCode::kQueueNameExists, "com.amazonaws.sqs#QueueNameExists", "QueueAlreadyExists", 400,
     kSender},
    {ErrorCode::kQueueDeletedRecently, "com.amazonaws.sqs#QueueDeletedRecently",
     "AWS.SimpleQueueService.QueueDeletedRecently", 400, kSender},
    {ErrorCode::kPurgeQueueInProgress, "com.amazonaws.sqs#PurgeQueueInProgress",
     "AWS.SimpleQueueService.PurgeQueueInProgress", 403, kSender},
    {ErrorCode::kOverLimit, "com.amazonaws.sqs#OverLimit", "OverLimit", 403, kSender},
    {ErrorCode::kReceiptHandleIsInvalid, "com.amazonaws.sqs#ReceiptHandleIsInvalid",
     "ReceiptHandleIsInvalid", 404, kSender},
    {ErrorCode::kMessageNotInflight, "com.amazonaws.sqs#MessageNotInflight",
     "AWS.SimpleQueueService.MessageNotInflight", 400, kSender},
    {ErrorCode::kEmptyBatchRequest, "com.amazonaws.sqs#EmptyBatchRequest",
     "AWS.SimpleQueueService.EmptyBatchRequest", 400, kSender},
    {ErrorCode::kTooManyEntriesInBatchRequest, "com.amazonaws.sqs#TooManyEntriesInBatchRequest",
     "AWS.SimpleQueueService.TooManyEntriesInBatchRequest", 400, kSender},
    {ErrorCode::kBatchEntryIdsNotDistinct, "com.amazonaws.sqs#BatchEntryIdsNotDistinct",
     "AWS.SimpleQueueService.BatchEntryIdsNotDistinct", 400, kSender},
    {ErrorCode::kBatchRequestTooLong, "com.amazonaws.sqs#BatchRequestTooLong",
     "AWS.SimpleQueueService.BatchRequestTooLong", 400, kSender},
    {ErrorCode::kInvalidBatchEntryId, "com.amazonaws.sqs#InvalidBatchEntryId",
     "AWS.SimpleQueueService.InvalidBatchEntryId", 400, kSender},
    {ErrorCode::kInternal, "com.amazon.coral.service#InternalFailure", "InternalFailure", 500,
     kReceiver},
    // A full disk or LMDB map is the server's fault and not the client's: AWS has no specific
    // error for it, so it is the generic InternalFailure (500, Receiver; SDKs retry it).
    {ErrorCode::kStorageFull, "com.amazon.coral.service#InternalFailure", "InternalFailure", 500,
     kReceiver},
    {ErrorCode::kServiceUnavailable, "com.amazon.coral.service#ServiceUnavailableException",
     "ServiceUnavailable", 503, kReceiver},
    {ErrorCode::kMissingAction, "com.amazonaws.sqs#MissingAction", "MissingAction", 400, kSender},
    // Step Functions codes: SQS never raises them; should one leak, it is the server's fault.
    {ErrorCode::kStatesRuntime, "com.amazon.coral.service#InternalFailure", "InternalFailure", 500,
     kReceiver},
    {ErrorCode::kStatesIntrinsicFailure, "com.amazon.coral.service#InternalFailure",
     "InternalFailure", 500, kReceiver},
    {ErrorCode::kStatesResultPathMatchFailure, "com.amazon.coral.service#InternalFailure",
     "InternalFailure", 500, kReceiver},
    {ErrorCode::kStatesNoChoiceMatched, "com.amazon.coral.service#InternalFailure",
     "InternalFailure", 500, kReceiver},
    {ErrorCode::kInvalidDefinition, "com.amazon.coral.service#InternalFailure", "InternalFailure",
     500, kReceiver},
    {ErrorCode::kResourceNotFound, "com.amazonaws.sqs#ResourceNotFoundException",
     "ResourceNotFoundException", 404, kSender},
    {ErrorCode::kRequestThrottled, "com.amazonaws.sqs#RequestThrottled", "RequestThrottled", 403,
     kSender},
    {ErrorCode::kStatesQueryEvaluationError, "com.amazon.coral.service#InternalFailure",
     "InternalFailure", 500, kReceiver},
    {ErrorCode::kStatesDataLimitExceeded, "com.amazon.coral.service#InternalFailure",
     "InternalFailure", 500, kReceiver},
};

constexpr std::size_t kCodeCount =
    static_cast<std::size_t>(ErrorCode::kStatesDataLimitExceeded) + 1;
static_assert(std::size(kTable) == kCodeCount, "every ErrorCode needs exactly one row");

constexpr bool ordered() {
  for (std::size_t i = 0; i < std::size(kTable); ++i) {
    if (static_cast<std::size_t>(kTable[i].code) != i) return false;
  }
  return true;
}
static_assert(ordered(), "rows must be in ErrorCode order");

}  // namespace

const ErrorInfo& error_info(ErrorCode code) {
  auto i = static_cast<std::size_t>(code);
  return i < std::size(kTable) ? kTable[i] : kTable[static_cast<std::size_t>(ErrorCode::kInternal)];
}

}  // namespace sluice::sqs
