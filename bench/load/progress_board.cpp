#include "bench/load/progress_board.h"

namespace sluice::bench {

ProgressBoard::ProgressBoard(size_t slots) {
  for (size_t i = 0; i < slots; ++i) slots_.push_back(std::make_unique<Slot>());
}

void ProgressBoard::publish(size_t slot, const ProgressSample& totals,
                            const LatencyHistogram& window) {
  Slot& s = *slots_.at(slot);
  const std::lock_guard lock(s.mutex);
  s.totals = totals;
  s.window.merge(window);
}

ProgressSample ProgressBoard::take(LatencyHistogram& window) {
  ProgressSample sum;
  sum.measuring = true;
  for (auto& slot : slots_) {
    const std::lock_guard lock(slot->mutex);
    const ProgressSample& t = slot->totals;
    sum.responses += t.responses;
    sum.sent += t.sent;
    sum.received += t.received;
    sum.errors += t.errors;
    sum.in_flight += t.in_flight;
    sum.backlog += t.backlog;
    sum.measuring = sum.measuring && t.measuring;
    window.merge(slot->window);
    slot->window.reset();
  }
  return sum;
}

}  // namespace sluice::bench
