// Partial batch failures: what a pipe's synchronous target (a Lambda function, an EXPRESS state
// machine invoked REQUEST_RESPONSE) may answer to say that only some messages of the batch
// failed, {"batchItemFailures": [{"itemIdentifier": "<messageId>"}, ...]}, read with AWS's rules
// (Lambda developer guide, "Reporting batch item failures"; EventBridge user guide, Pipes
// "Partial batch failure"):
//  - complete success: an output that is not an object, an object without batchItemFailures, or
//    batchItemFailures null or [];
//  - complete failure: batchItemFailures that is not a list, or any entry whose itemIdentifier is
//    missing, null, not a string, empty, or not the messageId of a message in the batch;
//  - otherwise exactly the named messages failed, from a FIFO queue too: as with Lambda's SQS
//    event source, keeping a group's order after a failure is the target's part (it names the
//    failed message and every one after it); what it does not name is delivered.
// Pure.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "engine/json/json_value.h"

namespace sluice::engine::pipes {

struct ItemFailures {
  bool whole_batch = false;
  std::vector<std::size_t> failed;  // indexes into the batch's message ids, ascending
  bool any() const { return whole_batch || !failed.empty(); }
};

ItemFailures read_batch_item_failures(const json::Value& output,
                                      const std::vector<std::string>& message_ids);

}  // namespace sluice::engine::pipes
