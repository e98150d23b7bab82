#include "bench/load/message_body.h"

#include <algorithm>
#include <charconv>

namespace sluice::bench {
namespace {

constexpr std::string_view kAlphabet =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

// The filler at `position` is kAlphabet[(position + seq) % 62]: a rotation of the alphabet, so it
// is copied and compared in runs from a doubled alphabet instead of character by character.
constexpr std::string_view kDoubled =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
static_assert(kDoubled.size() == 2 * kAlphabet.size());

// The run of filler starting at `position`, at most `max` characters long.
std::string_view filler_run(size_t position, uint64_t seq, size_t max) {
  const size_t offset = static_cast<size_t>((position + seq) % kAlphabet.size());
  return kDoubled.substr(offset, std::min(max, kAlphabet.size()));
}

void append_hex(std::string& out, uint64_t v) {
  char buf[17];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v, 16);
  (void)ec;
  out.append(buf, end);
}

// Reads "<hex>_" at pos.
bool read_hex(std::string_view s, size_t& pos, uint64_t& value) {
  const char* begin = s.data() + pos;
  const char* end = s.data() + s.size();
  const auto [p, ec] = std::from_chars(begin, end, value, 16);
  if (ec != std::errc() || p == begin || p == end || *p != '_') return false;
  pos = static_cast<size_t>(p - s.data()) + 1;
  return true;
}

}  // namespace

std::string make_body(const BodyStamp& stamp, size_t size) {
  std::string out;
  out.reserve(size);
  out.append("sb_");
  append_hex(out, stamp.run_id);
  out.push_back('_');
  append_hex(out, stamp.seq);
  out.push_back('_');
  append_hex(out, stamp.sent_ns);
  out.push_back('_');
  append_hex(out, size);
  out.push_back('_');
  if (out.size() > size) out.clear();  // too small to carry the header: plain filler
  while (out.size() < size) out.append(filler_run(out.size(), stamp.seq, size - out.size()));
  return out;
}

BodyKind read_body(std::string_view body, uint32_t run_id, BodyStamp* stamp) {
  if (!body.starts_with("sb_")) return BodyKind::kForeign;
  size_t pos = 3;
  uint64_t run = 0, seq = 0, sent = 0, length = 0;
  if (!read_hex(body, pos, run) || !read_hex(body, pos, seq) || !read_hex(body, pos, sent) ||
      !read_hex(body, pos, length) || run > UINT32_MAX) {
    return BodyKind::kCorrupt;
  }
  if (length != body.size()) return BodyKind::kCorrupt;
  while (pos < body.size()) {
    const std::string_view run = filler_run(pos, seq, body.size() - pos);
    if (body.substr(pos, run.size()) != run) return BodyKind::kCorrupt;
    pos += run.size();
  }
  if (stamp) *stamp = BodyStamp{static_cast<uint32_t>(run), seq, sent};
  return run == run_id ? BodyKind::kOurs : BodyKind::kOtherRun;
}

}  // namespace sluice::bench
