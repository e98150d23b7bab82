// FifoGroups: interning and recycling of group ids.
#include "storage/queue/fifo_groups.h"

namespace sluice::storage {

uint32_t FifoGroups::intern(std::string_view name) {
  auto [it, added] = ids_.try_emplace(std::string(name), 0);
  if (!added) return it->second;
  uint32_t id;
  if (!free_.empty()) {
    id = free_.back();
    free_.pop_back();
    groups_[id] = FifoGroup{};
    names_[id] = &it->first;
  } else {
    id = static_cast<uint32_t>(groups_.size());
    groups_.emplace_back();
    names_.push_back(&it->first);
  }
  it->second = id;
  return id;
}

void FifoGroups::release(uint32_t id) {
  auto it = ids_.find(*names_[id]);
  if (it == ids_.end() || it->second != id) return;
  names_[id] = nullptr;
  ids_.erase(it);
  groups_[id] = FifoGroup{};
  if (ids_.empty()) {
    clear();  // an idle queue holds nothing
    return;
  }
  free_.push_back(id);
}

void FifoGroups::clear() {
  std::vector<FifoGroup>().swap(groups_);
  std::vector<const std::string*>().swap(names_);
  std::unordered_map<std::string, uint32_t>().swap(ids_);
  std::vector<uint32_t>().swap(free_);
}

size_t FifoGroups::memory_bytes() const {
  // Each map node: the key string (and its heap buffer when longer than the inline 15 bytes), the
  // id, the next pointer and the cached hash.
  size_t bytes = groups_.capacity() * sizeof(FifoGroup) + names_.capacity() * sizeof(void*) +
                 free_.capacity() * sizeof(uint32_t) + ids_.bucket_count() * sizeof(void*);
  for (const auto& [name, id] : ids_) {
    bytes += sizeof(std::string) + sizeof(uint32_t) + 2 * sizeof(void*);
    if (name.size() > 15) bytes += name.capacity() + 1;
  }
  return bytes;
}

}  // namespace sluice::storage
