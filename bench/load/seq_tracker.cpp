#include "bench/load/seq_tracker.h"

#include <algorithm>
#include <bit>

namespace sluice::bench {

bool SeqTracker::set(std::vector<uint64_t>& bits, uint64_t seq) {
  const size_t word = static_cast<size_t>(seq / 64);
  if (word >= bits.size()) bits.resize(std::max(word + 1, bits.size() * 2), 0);
  const uint64_t mask = uint64_t{1} << (seq % 64);
  const bool was = (bits[word] & mask) != 0;
  bits[word] |= mask;
  return was;
}

void SeqTracker::acknowledged(uint64_t seq) {
  if (seq >= kMaxTracked) return;
  const std::lock_guard lock(mutex_);
  if (!set(acked_, seq)) ++acknowledged_;
}

bool SeqTracker::received(uint64_t seq) {
  if (seq >= kMaxTracked) return false;
  const std::lock_guard lock(mutex_);
  if (set(seen_, seq)) return false;
  ++received_;
  return true;
}

uint64_t SeqTracker::missing() const {
  const std::lock_guard lock(mutex_);
  uint64_t n = 0;
  for (size_t w = 0; w < acked_.size(); ++w) {
    const uint64_t seen = w < seen_.size() ? seen_[w] : 0;
    n += static_cast<uint64_t>(std::popcount(acked_[w] & ~seen));
  }
  return n;
}

}  // namespace sluice::bench
