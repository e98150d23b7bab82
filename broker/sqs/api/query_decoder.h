// Query-protocol request decoding: form parameters (broker/protocol/form_decoder.h) into typed
// SQS requests, using the query names of the SQS model (flattened lists and maps: Attribute.N.Name,
// MessageAttribute.N.Value.StringValue, SendMessageBatchRequestEntry.N.Id, ...). Pure; any thread.
#pragma once

#include <string_view>

#include "broker/protocol/form_decoder.h"
#include "broker/sqs/api/action.h"
#include "broker/sqs/api/requests.h"
#include "storage/result.h"

namespace sluice::sqs {

using protocol::FormParams;

// Reads Action from the params (absent: kMissingAction; unknown: kInvalidAction) and decodes
// the request. `path` is the HTTP request path: when the action takes a QueueUrl and none is in
// the params, a path naming a queue ("/000000000000/my-queue") becomes the queue_url as-is (the
// handler resolves a queue from either a full URL or such a path). Unknown parameters are
// ignored; a required scalar that is absent is kMissingParameter ("The request must contain the
// parameter X."); a non-integer where the model has an integer is kInvalidParameterValue.
Result<AnyRequest> decode_query(const FormParams& params, std::string_view path);
// Same, but moves the values out of `params` (no copy of message bodies).
Result<AnyRequest> decode_query(FormParams&& params, std::string_view path);

}  // namespace sluice::sqs
