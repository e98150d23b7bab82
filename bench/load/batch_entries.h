// Batch entry bookkeeping shared by producers and consumers: the Ids sluice-bench gives batch
// entries ("0".."9", the position in the request) and the check that a batch response answers every
// entry exactly once, as SendMessageBatch and DeleteMessageBatch must.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "bench/load/sqs_types.h"

namespace sluice::bench {

inline constexpr std::array<std::string_view, 10> kBatchEntryIds = {"0", "1", "2", "3", "4",
                                                                    "5", "6", "7", "8", "9"};

// The position of entry `id` in a request of `count` entries, or -1 if we sent no such Id.
inline int batch_entry_index(std::string_view id, size_t count) {
  if (id.size() != 1 || id[0] < '0' || id[0] > '9') return -1;
  const int i = id[0] - '0';
  return static_cast<size_t>(i) < count ? i : -1;
}

// Calls on_success(index, const BatchSuccessEntry&) and on_failure(index, const BatchErrorEntry&)
// once per entry the response answers. Returns "" if all `count` entries were answered exactly
// once, else what was wrong (unknown or repeated Ids, unanswered entries).
template <class OnSuccess, class OnFailure>
std::string match_batch_answers(const BatchResult& result, size_t count, OnSuccess&& on_success,
                                OnFailure&& on_failure) {
  std::array<bool, 10> answered{};
  size_t bogus = 0;
  const auto claim = [&](std::string_view id) {
    const int i = batch_entry_index(id, count);
    if (i < 0 || answered[static_cast<size_t>(i)]) {
      ++bogus;
      return -1;
    }
    answered[static_cast<size_t>(i)] = true;
    return i;
  };
  for (const BatchSuccessEntry& e : result.successful) {
    if (const int i = claim(e.id); i >= 0) on_success(static_cast<size_t>(i), e);
  }
  for (const BatchErrorEntry& e : result.failed) {
    if (const int i = claim(e.id); i >= 0) on_failure(static_cast<size_t>(i), e);
  }
  size_t unanswered = 0;
  for (size_t i = 0; i < count && i < answered.size(); ++i) unanswered += answered[i] ? 0 : 1;
  if (bogus == 0 && unanswered == 0) return {};
  return std::to_string(bogus) + " unknown or repeated entry Ids, " + std::to_string(unanswered) +
         " of " + std::to_string(count) + " entries unanswered";
}

}  // namespace sluice::bench
