// ByteWriter / ByteReader: the compact binary encoding of our LMDB records and keys. Integers are
// big-endian so that keys sort in LMDB in numeric order; strings are u32-length-prefixed. A reader
// never reads past its input: a short or corrupt record sets !ok() instead.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace sluice::storage {

class ByteWriter {
 public:
  ByteWriter() = default;
  explicit ByteWriter(size_t reserve) { out_.reserve(reserve); }
  void u8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  // Built in a register and appended once: a push_back per byte checked the capacity 8 times.
  void u32(uint32_t v) { append_big_endian(v); }
  void u64(uint64_t v) { append_big_endian(v); }
  void i64(int64_t v) { u64(static_cast<uint64_t>(v)); }
  void str(std::string_view s) {
    u32(static_cast<uint32_t>(s.size()));
    out_.append(s);
  }
  void raw(std::string_view s) { out_.append(s); }
  std::string take() && { return std::move(out_); }
  const std::string& view() const { return out_; }

 private:
  template <class UInt>
  void append_big_endian(UInt v) {
    char bytes[sizeof v];
    for (std::size_t i = 0; i < sizeof v; ++i) {
      bytes[i] = static_cast<char>(v >> (8 * (sizeof v - 1 - i)));
    }
    out_.append(bytes, sizeof v);
  }

  std::string out_;
};

class ByteReader {
 public:
  explicit ByteReader(std::string_view in) : in_(in) {}
  uint8_t u8() { return static_cast<uint8_t>(take_int(1)); }
  // The next byte without taking it (0 at the end).
  uint8_t peek_u8() const { return pos_ < in_.size() ? static_cast<uint8_t>(in_[pos_]) : 0; }
  uint32_t u32() { return static_cast<uint32_t>(take_int(4)); }
  uint64_t u64() { return take_int(8); }
  int64_t i64() { return static_cast<int64_t>(take_int(8)); }
  std::string_view str() {
    uint32_t n = u32();
    return raw(n);
  }
  std::string_view raw(size_t n) {
    if (!ok_ || in_.size() - pos_ < n) {
      ok_ = false;
      return {};
    }
    auto s = in_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  std::string_view rest() {
    auto s = in_.substr(pos_);
    pos_ = in_.size();
    return s;
  }
  bool ok() const { return ok_; }
  bool at_end() const { return pos_ == in_.size(); }

 private:
  uint64_t take_int(size_t n) {
    if (!ok_ || in_.size() - pos_ < n) {
      ok_ = false;
      return 0;
    }
    const char* p = in_.data() + pos_;
    pos_ += n;
    static_assert(std::endian::native == std::endian::little);
    // Whole words load at once (recovery decodes millions of records); bytes one by one.
    if (n == 8) {
      uint64_t v;
      std::memcpy(&v, p, 8);
      return __builtin_bswap64(v);
    }
    if (n == 4) {
      uint32_t v;
      std::memcpy(&v, p, 4);
      return __builtin_bswap32(v);
    }
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i) v = (v << 8) | static_cast<uint8_t>(p[i]);
    return v;
  }
  std::string_view in_;
  size_t pos_ = 0;
  bool ok_ = true;
};

// (queue id, seq) message key: 16 big-endian bytes.
inline std::string message_key(uint64_t queue_id, uint64_t seq) {
  ByteWriter w(16);
  w.u64(queue_id);
  w.u64(seq);
  return std::move(w).take();
}

}  // namespace sluice::storage
