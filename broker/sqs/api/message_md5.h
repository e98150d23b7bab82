// The MD5 digests SQS returns so clients can verify what was stored: MD5OfMessageBody (hex MD5 of
// the UTF-8 body), MD5OfMessageAttributes and MD5OfMessageSystemAttributes (hex MD5 of AWS's
// binary encoding of the attributes: sorted by name, each as
//   4-byte BE length + name, 4-byte BE length + data type, transport byte (1 = String/Number,
//   2 = Binary), 4-byte BE length + value).
// The SDKs recompute these and reject a mismatch, so the encoding must be exact. Pure; any
// thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "broker/sqs/api/requests.h"

namespace sluice::sqs {

// 32 lowercase hex digits.
std::string md5_hex(std::string_view data);

// "" when `attributes` is empty (the member is then omitted from responses).
std::string md5_of_message_attributes(const std::vector<MessageAttribute>& attributes);

// Same encoding as md5_of_message_attributes; "" when empty.
std::string md5_of_message_system_attributes(const std::vector<MessageAttribute>& attributes);

}  // namespace sluice::sqs
