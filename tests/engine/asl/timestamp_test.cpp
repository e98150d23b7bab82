#include "engine/asl/timestamp.h"

#include <gtest/gtest.h>

namespace sluice::engine::asl {
namespace {

TEST(Timestamp, ParsesRfc3339Profile) {
  auto t = parse_timestamp("2016-03-14T01:59:00Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->seconds, 1457920740);
  EXPECT_EQ(t->nanos, 0);
  auto frac = parse_timestamp("2016-03-14T01:59:00.123456789Z");
  ASSERT_TRUE(frac);
  EXPECT_EQ(frac->nanos, 123456789);
  EXPECT_EQ(parse_timestamp("2016-03-14T01:59:00.5Z")->epoch_millis(), 1457920740500);
  // Offsets name the same instant.
  EXPECT_EQ(*parse_timestamp("2016-03-14T03:59:00+02:00"), *t);
  EXPECT_EQ(*parse_timestamp("2016-03-13T20:59:00-05:00"), *t);
  EXPECT_LT(*parse_timestamp("1969-12-31T23:59:59Z"), *parse_timestamp("1970-01-01T00:00:00Z"));
  EXPECT_TRUE(parse_timestamp("2024-02-29T00:00:00Z"));
}

TEST(Timestamp, RejectsOtherForms) {
  for (const char* bad :
       {"2016-03-14t01:59:00Z", "2016-03-14T01:59:00z", "2016-03-14T01:59:00", "2016-03-14",
        "2016-03-14 01:59:00Z", "2016-13-14T01:59:00Z", "2023-02-29T00:00:00Z",
        "2016-03-14T24:00:00Z", "2016-03-14T01:59:00.Z", "2016-03-14T01:59:00+0200",
        "2016-03-14T01:59:00Zx", "not a timestamp", ""}) {
    EXPECT_FALSE(parse_timestamp(bad)) << bad;
  }
}

}  // namespace
}  // namespace sluice::engine::asl
