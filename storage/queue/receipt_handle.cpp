// Receipt handle encoding (URL-safe base64 of a fixed 25-byte layout).
#include "storage/queue/receipt_handle.h"

#include "storage/byte_codec.h"

namespace sluice::storage {

namespace {
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr uint8_t kVersion = 1;
constexpr size_t kBytes = 25;
constexpr size_t kTextChars = (kBytes * 8 + 5) / 6;  // 34 base64 digits

int digit(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}
}  // namespace

std::string ReceiptHandle::encode() const {
  ByteWriter w(kBytes);
  w.u8(kVersion);
  w.u64(queue_id);
  w.u64(seq);
  w.u32(receive_count);
  w.u32(nonce);
  const std::string& b = w.view();
  // Into a fixed buffer, then one string: every received message gets a handle.
  char out[kTextChars];
  std::size_t n = 0;
  uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : b) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out[n++] = kAlphabet[(acc >> bits) & 63];
    }
  }
  if (bits > 0) out[n++] = kAlphabet[(acc << (6 - bits)) & 63];
  return std::string(out, n);
}

std::optional<ReceiptHandle> ReceiptHandle::decode(std::string_view text) {
  if (text.size() != kTextChars) return std::nullopt;
  // kTextChars digits carry kBytes bytes and 4 spare bits: `bytes` cannot overflow.
  char bytes[kBytes];
  std::size_t n = 0;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int d = digit(c);
    if (d < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(d);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[n++] = static_cast<char>((acc >> bits) & 0xff);
    }
  }
  if (n != kBytes) return std::nullopt;
  ByteReader r(std::string_view(bytes, n));
  if (r.u8() != kVersion) return std::nullopt;
  ReceiptHandle h;
  h.queue_id = r.u64();
  h.seq = r.u64();
  h.receive_count = r.u32();
  h.nonce = r.u32();
  // Every receive counts from 1: a count of 0 names no receive (a forged or corrupt handle).
  if (!r.ok() || h.receive_count == 0) return std::nullopt;
  return h;
}

}  // namespace sluice::storage
