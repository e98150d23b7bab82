// ErrorCode: every domain error any layer can return. The broker maps each to the AWS error
// name, query-protocol code and HTTP status of the API that is answering (see
// broker/sqs/api/error_table.cpp); lower layers only say what went wrong. An empty message
// means "AWS's default text for this error in the caller's protocol".
#pragma once

#include <cstdint>

namespace sluice {

enum class ErrorCode : uint16_t {
  // Generic request errors.
  kInvalidParameterValue,
  kMissingParameter,
  kInvalidAction,         // unknown action (query protocol)
  kUnknownOperation,      // unknown X-Amz-Target (JSON protocol)
  kSerialization,         // malformed JSON body
  kMalformedQueryString,  // malformed form/query body
  kUnsupportedOperation,  // an action or feature not (yet) served
  kInvalidAttributeName,
  kInvalidAttributeValue,
  kInvalidMessageContents,
  kInvalidIdFormat,
  kRequestTooLarge,  // HTTP body over the server's cap
  // Queues.
  kQueueDoesNotExist,
  kQueueNameExists,
  kQueueDeletedRecently,
  kPurgeQueueInProgress,
  kOverLimit,
  // Messages.
  kReceiptHandleIsInvalid,
  kMessageNotInflight,
  // Batches.
  kEmptyBatchRequest,
  kTooManyEntriesInBatchRequest,
  kBatchEntryIdsNotDistinct,
  kBatchRequestTooLong,
  kInvalidBatchEntryId,
  // Server side.
  kInternal,
  kStorageFull,         // LMDB map full or disk full: a 5xx, the server keeps serving
  kServiceUnavailable,  // shutting down
  // Added by the SQS codec (appended so existing values keep their numbers).
  kMissingAction,  // query request without an Action parameter
  // Amazon States Language (engine/asl): failures inside an execution, named on the wire by
  // engine/asl/states_error.h (States.Runtime, ...), and a definition that does not validate.
  kStatesRuntime,
  kStatesIntrinsicFailure,
  kStatesResultPathMatchFailure,
  kStatesNoChoiceMatched,
  kInvalidDefinition,
  // SQS, issue 3 (move tasks, redrive).
  kResourceNotFound,  // ResourceNotFoundException: e.g. an unknown message move task
  kRequestThrottled,
  // Amazon States Language, issue 10 (JSONata and variables).
  kStatesQueryEvaluationError,  // States.QueryEvaluationError: a JSONata expression failed
  kStatesDataLimitExceeded,     // States.DataLimitExceeded: e.g. variables over their limits
};

}  // namespace sluice
