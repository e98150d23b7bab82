// DedupWindow: FIFO message deduplication. A send whose deduplication id (MessageDeduplicationId,
// or the SHA-256 of the body with ContentBasedDeduplication) was seen in the same queue (or, with
// DeduplicationScope=messageGroup, in the same group) within the last five minutes is accepted but
// not stored again, and answers with the original message's id and sequence number. The window
// runs from the original send and holds even after that message was deleted.
//
// The window lives in the LMDB "dedup" database, written in the same transaction as the message,
// so it survives restarts and costs no memory per message. Layout (big-endian numbers):
//   record:  queue id (8) | scope (1: 0 queue, 1 group) | [group (u32 length + bytes)] | dedup id
//            -> u8 version 1 | message id (str) | seq (u64) | expires_ms (i64)
//   expiry:  0xFF | expires_ms (8) | record key -> empty   (time order, for the sweep)
// Queue ids never reach 2^56, so no record key starts with 0xFF.
//
// Sends still committing are in memory (claims): a duplicate of one of them is answered only
// after it, and fails if it failed. Owner thread for claims and lookups; committer thread for the
// static write functions.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "storage/lmdb/environment.h"
#include "storage/result.h"

namespace sluice::storage {

class DedupWindow {
 public:
  static constexpr int64_t kWindowMs = 5 * 60 * 1000;

  // A claim's outcome, shared with the duplicates that wait on it.
  enum class Outcome : uint8_t { kCommitting, kCommitted, kFailed };

  struct Original {
    std::string message_id;
    uint64_t seq = 0;
    // Set when the original is still committing: what its duplicate must wait for.
    std::shared_ptr<Outcome> outcome;
  };

  // `group` empty: the queue-wide scope.
  static std::string key(uint64_t queue_id, std::string_view group, std::string_view dedup_id);

  // The message a send with `key` duplicates, if any. `reader` is an open read transaction.
  // `stale` (if given) is set when LMDB holds an expired record for the key, which the next put()
  // must replace.
  std::optional<Original> find(ReadTxn& reader, const std::string& key, int64_t now_ms,
                               bool* stale = nullptr) const;
  // A send of `key` is committing. Returns the outcome to settle in release().
  std::shared_ptr<Outcome> claim(const std::string& key, std::string message_id, uint64_t seq);
  // That send's commit finished: from now on LMDB answers for the key (if it committed).
  void release(const std::string& key, const std::shared_ptr<Outcome>& outcome, bool committed);
  size_t claims() const { return claims_.size(); }

  // Committer thread, inside the sending transaction. `replaces`: find() said `stale` (only then
  // is there an old record, and its expiry entry, to look up and remove).
  static int put(WriteTxn& t, const std::string& key, std::string_view message_id, uint64_t seq,
                 int64_t expires_ms, bool replaces = true);
  // Committer thread: deletes up to `limit` records whose window has passed; `next` gets the
  // earliest remaining expiry, if any.
  static int sweep(WriteTxn& t, int64_t now_ms, size_t limit, std::optional<int64_t>& next);
  // The earliest expiry on disk (to schedule the first sweep after a restart).
  static std::optional<int64_t> earliest_expiry(ReadTxn& reader);

 private:
  struct Claim {
    std::string message_id;
    uint64_t seq;
    std::shared_ptr<Outcome> outcome;
  };
  std::unordered_map<std::string, Claim> claims_;
};

}  // namespace sluice::storage
