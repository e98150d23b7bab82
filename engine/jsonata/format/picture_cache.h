// Internal to engine/jsonata/format/: a small per-thread cache of analysed picture strings.
// Expressions format with the same few pictures message after message; analysing a picture
// costs more than formatting with it. The cache is invisible to callers (the functions stay pure:
// same arguments, same result) and per thread, so it needs no locking.
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <utility>

namespace sluice::engine::jsonata::format::detail {

template <class Key, class Value, size_t kSlots = 16>
class PictureCache {
 public:
  // The value cached for a key equal to `probe`, or the one `make()` returns, now cached under
  // Key(probe) (replacing the oldest). A probe (e.g. a string_view) avoids building a key on hits.
  template <class Probe, class Make>
  const Value& get(const Probe& probe, Make&& make) {
    for (auto& slot : slots_) {
      if (slot && slot->first == probe) return slot->second;
    }
    auto& slot = slots_[next_];
    next_ = (next_ + 1) % kSlots;
    slot = std::make_unique<std::pair<Key, Value>>(Key(probe), make());
    return slot->second;
  }

 private:
  std::array<std::unique_ptr<std::pair<Key, Value>>, kSlots> slots_;
  size_t next_ = 0;
};

}  // namespace sluice::engine::jsonata::format::detail
