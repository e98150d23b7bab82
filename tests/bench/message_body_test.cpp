// Self-checking message bodies: round trip, corruption, other runs, foreign bodies.
#include "bench/load/message_body.h"

#include <gtest/gtest.h>

namespace sluice::bench {
namespace {

TEST(MessageBody, HasTheRequestedSizeAndReadsBack) {
  const BodyStamp stamp{0xabcdef01, 123456, 987654321};
  for (size_t size : {64u, 256u, 1000u, 262144u}) {
    const std::string body = make_body(stamp, size);
    ASSERT_EQ(body.size(), size);
    BodyStamp read;
    ASSERT_EQ(read_body(body, 0xabcdef01, &read), BodyKind::kOurs) << size;
    EXPECT_EQ(read.seq, 123456u);
    EXPECT_EQ(read.sent_ns, 987654321u);
  }
}

TEST(MessageBody, IsSafeInJsonAndForms) {
  const std::string body = make_body(BodyStamp{1, 2, 3}, 500);
  for (char c : body) {
    ASSERT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '_') << c;
  }
}

TEST(MessageBody, DetectsAnyChangedByte) {
  const std::string body = make_body(BodyStamp{7, 42, 1000}, 300);
  for (size_t i : {size_t{40}, size_t{150}, size_t{299}}) {
    std::string bad = body;
    bad[i] = bad[i] == 'a' ? 'b' : 'a';
    EXPECT_EQ(read_body(bad, 7, nullptr), BodyKind::kCorrupt) << i;
  }
  EXPECT_EQ(read_body(body.substr(0, 299), 7, nullptr), BodyKind::kCorrupt) << "truncated";
  EXPECT_EQ(read_body(body + "x", 7, nullptr), BodyKind::kCorrupt) << "extended";
}

TEST(MessageBody, TellsOtherRunsAndForeignBodies) {
  const std::string body = make_body(BodyStamp{7, 42, 1000}, 300);
  EXPECT_EQ(read_body(body, 8, nullptr), BodyKind::kOtherRun);
  EXPECT_EQ(read_body("hello world", 7, nullptr), BodyKind::kForeign);
  EXPECT_EQ(read_body("sb_zz", 7, nullptr), BodyKind::kCorrupt);
}

TEST(MessageBody, TooSmallForTheHeaderIsPlainFiller) {
  const std::string body = make_body(BodyStamp{7, 42, 1000}, 10);
  EXPECT_EQ(body.size(), 10u);
  EXPECT_EQ(read_body(body, 7, nullptr), BodyKind::kForeign);
}

}  // namespace
}  // namespace sluice::bench
