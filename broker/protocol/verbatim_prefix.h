// How many leading bytes of a text the JSON and XML writers may copy as they are: the writers
// append such a run in one go and look only at the byte after it. Every message body a response
// carries goes through this scan, so it tests 32 bytes at a time (AVX2) before it falls back to
// a table for the tail. Pure; any thread.
#pragma once

#include <cstddef>
#include <string_view>

namespace sluice::protocol {

// Bytes a JSON string carries unescaped: 0x20..0x7F except '"' and '\\'.
std::size_t json_verbatim_prefix(std::string_view text);

// Bytes XML character data carries unescaped: 0x20..0x7F, tab and LF, except '&', '<' and '>'.
std::size_t xml_verbatim_prefix(std::string_view text);

}  // namespace sluice::protocol
