// ReceiptHandle encoding: round trip, and every malformed text rejected rather than misread.
#include "storage/queue/receipt_handle.h"

#include <gtest/gtest.h>

namespace sluice::storage {
namespace {

TEST(ReceiptHandleTest, RoundTripsEveryField) {
  ReceiptHandle h{0x0102030405060708ULL, 0xfffffffffffffffeULL, 7, 0xdeadbeef};
  std::string text = h.encode();
  EXPECT_EQ(text.size(), 34u);
  auto back = ReceiptHandle::decode(text);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->queue_id, h.queue_id);
  EXPECT_EQ(back->seq, h.seq);
  EXPECT_EQ(back->receive_count, h.receive_count);
  EXPECT_EQ(back->nonce, h.nonce);
}

TEST(ReceiptHandleTest, UsesOnlyUrlSafeCharacters) {
  for (uint32_t n : {0u, 0xffffffffu, 0x12345678u}) {
    std::string text = ReceiptHandle{~0ULL, ~0ULL, 1, n}.encode();
    for (char c : text) {
      EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') << text;
    }
  }
}

TEST(ReceiptHandleTest, DifferentReceivesGiveDifferentHandles) {
  EXPECT_NE((ReceiptHandle{1, 2, 1, 5}.encode()), (ReceiptHandle{1, 2, 2, 5}.encode()));
  EXPECT_NE((ReceiptHandle{1, 2, 1, 5}.encode()), (ReceiptHandle{1, 3, 1, 5}.encode()));
  EXPECT_NE((ReceiptHandle{1, 2, 1, 5}.encode()), (ReceiptHandle{2, 2, 1, 5}.encode()));
}

TEST(ReceiptHandleTest, RejectsMalformedText) {
  std::string good = ReceiptHandle{1, 2, 3, 4}.encode();
  EXPECT_FALSE(ReceiptHandle::decode("").has_value());
  EXPECT_FALSE(ReceiptHandle::decode(good.substr(1)).has_value());
  EXPECT_FALSE(ReceiptHandle::decode(good + "A").has_value());
  std::string bad_char = good;
  bad_char[5] = '+';
  EXPECT_FALSE(ReceiptHandle::decode(bad_char).has_value());
  bad_char[5] = '=';
  EXPECT_FALSE(ReceiptHandle::decode(bad_char).has_value());
  // Another version byte.
  std::string other_version = good;
  other_version[0] = 'B';
  EXPECT_FALSE(ReceiptHandle::decode(other_version).has_value());
}

// Every receive counts from 1: a handle with count 0 names no receive and is not valid.
TEST(ReceiptHandleTest, CountZeroIsNotAHandle) {
  EXPECT_FALSE(ReceiptHandle::decode(ReceiptHandle{1, 2, 0, 4}.encode()).has_value());
  EXPECT_TRUE(ReceiptHandle::decode(ReceiptHandle{1, 2, 1, 4}.encode()).has_value());
}

}  // namespace
}  // namespace sluice::storage
