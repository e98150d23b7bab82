// The one table from sluice::ErrorCode to the SQS error as each wire protocol shows it: the JSON
// "__type" (the model's shape, or the name real SQS uses for errors it does not model), the
// query-protocol error code (also sent as x-amzn-query-error on JSON), the HTTP status and the
// fault (Sender = client error, Receiver = server error). Sources: the awsQueryError traits of
// the SQS Smithy model (as generated into the AWS SDKs) and botocore's query-protocol model.
// Constant data; any thread.
#pragma once

#include <string_view>

#include "storage/error_code.h"

namespace sluice::sqs {

struct ErrorInfo {
  ErrorCode code;
  std::string_view json_type;   // "com.amazonaws.sqs#QueueDoesNotExist"
  std::string_view query_code;  // "AWS.SimpleQueueService.NonExistentQueue"
  int http_status;              // 400, 403, 404, 413, 500, 503
  bool sender_fault;            // true: <Type>Sender</Type>; false: Receiver
};

const ErrorInfo& error_info(ErrorCode code);

}  // namespace sluice::sqs
