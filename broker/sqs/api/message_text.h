// SQS's character rule for message text (bodies and String/Number attribute values): valid UTF-8
// (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF) whose every code point is one of
// #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF. It runs over every
// byte of every message sent, so it is vectorised (message_text.cpp). Pure; any thread.
#pragma once

#include <string_view>

namespace sluice::sqs {

bool is_valid_message_text(std::string_view text);

}  // namespace sluice::sqs
