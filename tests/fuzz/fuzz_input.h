// FuzzInput: how the multi-part fuzzers read their bytes. The first byte picks a mode (taken
// modulo the number of modes, so every byte value means something), the first line after it is
// the "head" (an expression, a pattern, an action name) and the rest is the "tail" (a document,
// a body). Seeds are written in the same shape (tests/fuzz/README.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sluice::fuzz {

struct FuzzInput {
  unsigned mode = 0;
  std::string_view head;
  std::string_view tail;
};

inline FuzzInput split_input(const uint8_t* data, std::size_t size, unsigned modes) {
  FuzzInput in;
  if (size == 0) return in;
  in.mode = data[0] % modes;
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::size_t nl = rest.find('\n');
  in.head = rest.substr(0, nl);
  if (nl != std::string_view::npos) in.tail = rest.substr(nl + 1);
  return in;
}

}  // namespace sluice::fuzz
