// FifoGroups: the message groups of one FIFO queue, interned. A group name (MessageGroupId, up to
// 128 bytes) is stored once, however many messages carry it; messages refer to their group by a
// 32-bit id. A group lives while it has live messages: when its last message goes, its name is
// forgotten and its id recycled, so memory follows the groups in use, not every group ever seen.
//
// Owned by a QueueIndex (FIFO mode), so touched only by the queue's owner thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sluice::storage {

// A group's members form a singly linked list in sequence order (the links live beside the index
// entries, see queue_index.h), from head (the oldest live message) to tail (the newest).
struct FifoGroup {
  uint64_t head = 0;  // 0 = none (sequence numbers start at 1)
  uint64_t tail = 0;
  uint64_t offered = 0;  // the head last offered as available, so it is not offered twice
  uint32_t size = 0;     // live members
  uint32_t held = 0;     // members in flight: while any is, the group delivers nothing
};

class FifoGroups {
 public:
  // The id of `name`, creating an empty group for it if there is none.
  uint32_t intern(std::string_view name);
  // Forgets an empty group: its name is dropped and its id reused by a later intern().
  void release(uint32_t id);

  FifoGroup& at(uint32_t id) { return groups_[id]; }
  const FifoGroup& at(uint32_t id) const { return groups_[id]; }
  // Whether `id` names a slot (a live group, or a recycled one whose FifoGroup is empty).
  bool has(uint32_t id) const { return id < groups_.size(); }
  std::string_view name(uint32_t id) const { return *names_[id]; }
  size_t count() const { return ids_.size(); }
  void clear();
  size_t memory_bytes() const;

 private:
  std::vector<FifoGroup> groups_;
  std::vector<const std::string*> names_;  // the key in ids_ (node-based: its address is stable)
  std::unordered_map<std::string, uint32_t> ids_;
  std::vector<uint32_t> free_;
};

}  // namespace sluice::storage
