// The map run record's encoding: round trip, optional limits, a later format's appended fields
// skipped, and bytes that are no record refused.
#include "storage/executions/map_run_record.h"

#include <gtest/gtest.h>

namespace sluice::storage {
namespace {

TEST(MapRunRecordTest, RoundTripsTheLimits) {
  MapRunRecord r;
  r.max_concurrency = 7;
  r.tolerated_failure_count = 3;
  r.tolerated_failure_percentage = 12.5;
  auto back = decode_map_run_record(encode_map_run_record(r));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->max_concurrency, 7);
  EXPECT_EQ(back->tolerated_failure_count, 3);
  EXPECT_EQ(back->tolerated_failure_percentage, 12.5);
}

TEST(MapRunRecordTest, AbsentLimitsStayAbsent) {
  MapRunRecord r;
  r.max_concurrency = 0;
  r.tolerated_failure_percentage = 0.0;  // set to zero is not absent
  auto back = decode_map_run_record(encode_map_run_record(r));
  ASSERT_TRUE(back.has_value());
  EXPECT_FALSE(back->tolerated_failure_count.has_value());
  ASSERT_TRUE(back->tolerated_failure_percentage.has_value());
  EXPECT_EQ(*back->tolerated_failure_percentage, 0.0);
}

TEST(MapRunRecordTest, ALaterFormatIsReadForWhatFormatOneHolds) {
  MapRunRecord r;
  r.max_concurrency = 2;
  std::string bytes = encode_map_run_record(r);
  bytes[0] = 2;            // a later format...
  bytes += "more fields";  // ...appends
  auto back = decode_map_run_record(bytes);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->max_concurrency, 2);
}

TEST(MapRunRecordTest, RefusesWhatIsNoRecord) {
  EXPECT_FALSE(decode_map_run_record("").has_value());
  EXPECT_FALSE(decode_map_run_record(std::string(1, '\0')).has_value());
  EXPECT_FALSE(decode_map_run_record(std::string("\x01\x00", 2)).has_value());  // truncated
}

TEST(MapRunRecordTest, KeysSortByParentThenArnBesideTheExecutionRecords) {
  const std::string a = map_run_record_key(1, "arn:b");
  const std::string b = map_run_record_key(2, "arn:a");
  EXPECT_LT(a, b);
  EXPECT_EQ(a[0], 'M');  // no prefix of an execution record ('X', 'O', 'H', 'x', 'o', 'h')
}

}  // namespace
}  // namespace sluice::storage
