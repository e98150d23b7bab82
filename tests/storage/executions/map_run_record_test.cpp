// The map run record's encoding: round trip (limits; the summary, format 2; its children, format
// 3), optional limits, format 2 still read, a later format's appended fields skipped, and bytes
// that are no record refused.
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

TEST(MapRunRecordTest, TheSummaryOfAnEndedMapRunRoundTripsAsFormatThree) {
  MapRunRecord r;
  r.max_concurrency = 3;
  MapRunSummary m;
  m.execution_arn = "arn:aws:states:us-east-1:000000000000:execution:machine-name:parent";
  m.status = 2;
  m.start_ms = 1'700'000'000'000;
  m.stop_ms = 1'700'000'000'500;
  m.redrive_count = 1;
  m.redrive_ms = 1'700'000'000'400;
  m.execution_counts = {0, 0, 2, 1, 0, 0, 3, 0, 0};
  m.item_counts = {0, 0, 4, 1, 0, 0, 5, 1, 0};
  MapRunChildOutcome ok;
  ok.state = 2;
  ok.arn = "arn:aws:states:us-east-1:000000000000:express:machine-name/L:id_0:uuid";
  ok.start_ms = 1'700'000'000'100;
  ok.stop_ms = 1'700'000'000'200;
  ok.items = 2;
  ok.result = R"({"done":0})";
  MapRunChildOutcome failed = ok;
  failed.state = 3;
  failed.result.reset();
  m.children = {ok, failed, MapRunChildOutcome{}};
  r.summary = m;
  const std::string bytes = encode_map_run_record(r);
  EXPECT_EQ(bytes[0], 3);
  auto back = decode_map_run_record(bytes);
  ASSERT_TRUE(back.has_value() && back->summary.has_value());
  EXPECT_EQ(back->max_concurrency, 3);
  EXPECT_EQ(back->summary->execution_arn, m.execution_arn);
  EXPECT_EQ(back->summary->status, 2);
  EXPECT_EQ(back->summary->stop_ms, m.stop_ms);
  EXPECT_EQ(back->summary->redrive_ms, m.redrive_ms);
  EXPECT_EQ(back->summary->execution_counts, m.execution_counts);
  EXPECT_EQ(back->summary->item_counts, m.item_counts);
  ASSERT_EQ(back->summary->children.size(), 3u);
  const MapRunChildOutcome& c0 = back->summary->children[0];
  EXPECT_EQ(c0.state, 2);
  EXPECT_EQ(c0.arn, ok.arn);
  EXPECT_EQ(c0.start_ms, ok.start_ms);
  EXPECT_EQ(c0.stop_ms, ok.stop_ms);
  EXPECT_EQ(c0.items, 2);
  EXPECT_EQ(c0.result, ok.result);
  EXPECT_EQ(back->summary->children[1].state, 3);
  EXPECT_FALSE(back->summary->children[1].result.has_value());
  EXPECT_TRUE(back->summary->children[2].arn.empty());
  // Format 1 (limits only) has none; a cut summary is refused, not misread.
  r.summary.reset();
  EXPECT_FALSE(decode_map_run_record(encode_map_run_record(r))->summary.has_value());
  EXPECT_FALSE(decode_map_run_record(bytes.substr(0, bytes.size() - 3)).has_value());
}

TEST(MapRunRecordTest, ItsKeySplitsBackIntoTheParentAndTheArn) {
  uint64_t parent = 0;
  std::string arn;
  ASSERT_TRUE(split_map_run_record_key(map_run_record_key(77, "arn:m"), &parent, &arn));
  EXPECT_EQ(parent, 77u);
  EXPECT_EQ(arn, "arn:m");
  EXPECT_FALSE(split_map_run_record_key("X12345678", &parent, &arn));
}

TEST(MapRunRecordTest, FormatTwoIsReadWithoutChildren) {
  MapRunRecord r;
  r.summary = MapRunSummary{};
  r.summary->execution_arn = "arn:parent";
  std::string bytes = encode_map_run_record(r);
  bytes[0] = 2;
  bytes.resize(bytes.size() - 4);  // format 2 ends before format 3's child count
  auto back = decode_map_run_record(bytes);
  ASSERT_TRUE(back.has_value() && back->summary.has_value());
  EXPECT_EQ(back->summary->execution_arn, "arn:parent");
  EXPECT_TRUE(back->summary->children.empty());
}

TEST(MapRunRecordTest, ALaterFormatIsReadForWhatFormatThreeHolds) {
  MapRunRecord r;
  r.max_concurrency = 2;
  r.summary = MapRunSummary{};
  r.summary->execution_arn = "arn:parent";
  std::string bytes = encode_map_run_record(r);
  bytes[0] = 4;            // a later format...
  bytes += "more fields";  // ...appends to format 3
  auto back = decode_map_run_record(bytes);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->max_concurrency, 2);
  EXPECT_EQ(back->summary->execution_arn, "arn:parent");
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
