// ReceiveAttempts: bookkeeping of receive attempts, expired lazily in record order.
#include "storage/queue/receive_attempts.h"

namespace sluice::storage {

void ReceiveAttempts::expire(int64_t now_ms) {
  while (!expiries_.empty() && expiries_.front().first <= now_ms) {
    auto [at, id] = std::move(expiries_.front());
    expiries_.pop_front();
    auto it = attempts_.find(id);
    // Only if it is that recording (a re-recorded id has a later expiry, queued later).
    if (it != attempts_.end() && it->second.expires_ms == at) forget(id);
  }
}

const std::vector<AttemptMessage>* ReceiveAttempts::find(const std::string& id, int64_t now_ms) {
  expire(now_ms);
  auto it = attempts_.find(id);
  return it == attempts_.end() ? nullptr : &it->second.messages;
}

void ReceiveAttempts::record(const std::string& id, std::vector<AttemptMessage> messages,
                             int64_t now_ms) {
  expire(now_ms);
  forget(id);
  if (messages.empty()) return;  // nothing to return again: a retry simply receives
  for (const AttemptMessage& m : messages) {
    auto [it, added] = by_seq_.try_emplace(m.seq, id);
    // A message now in this attempt no longer belongs to an older one (which is stale anyway).
    if (!added && it->second != id) {
      std::string older = std::move(it->second);
      it->second = id;
      forget(older);  // leaves this entry alone: it names `id` now
    }
  }
  const int64_t expires_ms = now_ms + kWindowMs;
  attempts_[id] = Attempt{expires_ms, std::move(messages)};
  expiries_.emplace_back(expires_ms, id);
}

void ReceiveAttempts::forget(const std::string& id) {
  auto it = attempts_.find(id);
  if (it == attempts_.end()) return;
  for (const AttemptMessage& m : it->second.messages) {
    auto s = by_seq_.find(m.seq);
    if (s != by_seq_.end() && s->second == id) by_seq_.erase(s);
  }
  attempts_.erase(it);
}

void ReceiveAttempts::touched(uint64_t seq) {
  auto s = by_seq_.find(seq);
  if (s == by_seq_.end()) return;
  const std::string id = s->second;
  forget(id);
}

void ReceiveAttempts::clear() {
  attempts_.clear();
  by_seq_.clear();
  expiries_.clear();
}

}  // namespace sluice::storage
