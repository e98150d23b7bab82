// SequenceNumber: what a FIFO queue shows for a message's sequence number. AWS gives a large,
// increasing, non-consecutive number per queue, as a string of digits (e.g.
// "18849496460467696128"). Ours is derived from the message's storage sequence number (which only
// grows, also across restarts), so it needs no storage of its own: 10^19 + seq * 2^16, always 20
// digits. Any thread.
#pragma once

#include <cstdint>
#include <string>

namespace sluice::storage {

inline std::string sequence_number_text(uint64_t seq) {
  constexpr uint64_t kBase = 10'000'000'000'000'000'000ull;
  constexpr uint64_t kMaxSeq = (UINT64_MAX - kBase) >> 16;
  return std::to_string(kBase + (seq > kMaxSeq ? kMaxSeq : seq) * 65536);
}

}  // namespace sluice::storage
