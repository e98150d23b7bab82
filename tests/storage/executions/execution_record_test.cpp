// The LMDB encodings of executions: records and outcomes round-trip; history keys sort by
// (execution, event id); corrupt bytes are rejected, not misread.
#include "storage/executions/execution_record.h"

#include <gtest/gtest.h>

namespace sluice::storage {
namespace {

TEST(ExecutionRecordTest, RecordAndOutcomeRoundTrip) {
  ExecutionRecord r;
  r.id = 42;
  // Names longer than the small-string buffer: GCC 12 warns falsely (-Wrestrict) on short ones.
  r.name = "run-of-the-order-machine";
  r.machine = "order-machine-standard";
  r.version_arn = "arn:v";
  r.alias_arn = "arn:a";
  r.revision = 7;
  r.start_ms = 1'700'000'000'123;
  r.input = R"({"a":[1,2]})";
  r.trace_header = "Root=1";
  auto back = decode_execution_record(encode_execution_record(r));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->id, 42u);
  EXPECT_EQ(back->name, "run-of-the-order-machine");
  EXPECT_EQ(back->version_arn, "arn:v");
  EXPECT_EQ(back->revision, 7u);
  EXPECT_EQ(back->start_ms, r.start_ms);
  EXPECT_EQ(back->input, r.input);
  EXPECT_EQ(back->trace_header, "Root=1");
  EXPECT_FALSE(decode_execution_record("garbage"));

  StoredOutcome o;
  o.status = ExecutionStatus::kFailed;
  o.stop_ms = 5;
  o.error = "E";
  o.redrive_count = 2;
  auto ob = decode_outcome(encode_outcome(o));
  ASSERT_TRUE(ob);
  EXPECT_EQ(ob->status, ExecutionStatus::kFailed);
  EXPECT_EQ(ob->error, "E");
  EXPECT_FALSE(ob->cause.has_value());
  EXPECT_FALSE(ob->output.has_value());
  EXPECT_EQ(ob->redrive_count, 2u);
}

TEST(ExecutionRecordTest, HistoryKeysSortByExecutionThenEvent) {
  EXPECT_LT(history_key(1, 2), history_key(1, 10));
  EXPECT_LT(history_key(1, 999), history_key(2, 1));
  uint64_t id = 0;
  int64_t ev = 0;
  ASSERT_TRUE(split_history_key(history_key(77, 5), &id, &ev));
  EXPECT_EQ(id, 77u);
  EXPECT_EQ(ev, 5);
  EXPECT_FALSE(split_history_key("short", &id, &ev));
}

TEST(ExecutionRecordTest, AnOutputThatIsTheInputIsAFlag) {
  StoredOutcome o;
  o.status = ExecutionStatus::kSucceeded;
  o.output_is_input = true;
  auto back = decode_outcome(encode_outcome(o));
  ASSERT_TRUE(back);
  EXPECT_TRUE(back->output_is_input);
  EXPECT_FALSE(back->output.has_value());
  o.output_is_input = false;
  o.output = R"({"shipped":true})";
  back = decode_outcome(encode_outcome(o));
  ASSERT_TRUE(back);
  EXPECT_FALSE(back->output_is_input);
  EXPECT_EQ(back->output, o.output);
}

TEST(ExecutionRecordTest, KeysOfOneExecutionDifferAndNewOnesSortByNumber) {
  const std::string arn = "arn:aws:states:us-east-1:000000000000:execution:m:run-1";
  ExecutionKey by_id{7, arn, false};
  EXPECT_NE(heartbeats_key(by_id), execution_record_key(by_id));
  EXPECT_NE(execution_outcome_key(by_id), execution_record_key(by_id));
  // Numbered keys: later executions sort after earlier ones (appended), whatever their names.
  EXPECT_LT(execution_record_key(ExecutionKey{9, "arn:...:zzz", false}),
            execution_record_key(ExecutionKey{10, "arn:...:aaa", false}));
  // Executions stored before numbered keys keep theirs (the ARN).
  ExecutionKey legacy{7, arn, true};
  EXPECT_EQ(execution_record_key(legacy), "x" + arn);
  EXPECT_EQ(execution_outcome_key(legacy), "o" + arn);
  EXPECT_EQ(heartbeats_key(legacy), "h" + arn);
}

TEST(ExecutionRecordTest, RecordsWithoutAnArnStillRead) {
  ExecutionRecord r;
  r.arn = "arn:aws:states:us-east-1:000000000000:execution:m:run-2";
  r.id = 3;
  r.input = R"({"k":"a value long enough"})";
  std::string bytes = encode_execution_record(r);
  auto back = decode_execution_record(bytes);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->arn, r.arn);
  // Format 1 (before the ARN was kept): the same fields without it.
  std::string v1 = bytes.substr(0, bytes.size() - 4 - r.arn.size());
  v1[0] = 1;
  auto old = decode_execution_record(v1);
  ASSERT_TRUE(old);
  EXPECT_TRUE(old->arn.empty());
  EXPECT_EQ(old->input, r.input);
}

// A record with just what identifies it (the encodings under test add the rest).
ExecutionRecord record_of(std::string arn, uint64_t id, std::string machine) {
  ExecutionRecord r;
  r.arn = std::move(arn);
  r.id = id;
  r.machine = std::move(machine);
  r.input = "{}";
  return r;
}

TEST(ExecutionRecordTest, MapRunChildKeepsItsMapRunAndParent) {
  ExecutionRecord r =
      record_of("arn:aws:states:us-east-1:000000000000:execution:m/Label:child-0", 9, "m/Label");
  r.map_run_arn = "arn:aws:states:us-east-1:000000000000:mapRun:m/Label:1234";
  r.parent_arn = "arn:aws:states:us-east-1:000000000000:execution:m:parent";
  auto back = decode_execution_record(encode_execution_record(r));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->arn, r.arn);
  EXPECT_EQ(back->map_run_arn, r.map_run_arn);
  EXPECT_EQ(back->parent_arn, r.parent_arn);
}

TEST(ExecutionRecordTest, OrdinaryRecordsKeepFormatTwo) {
  ExecutionRecord r;
  r.arn = "arn:aws:states:us-east-1:000000000000:execution:m:run";
  std::string bytes = encode_execution_record(r);
  EXPECT_EQ(bytes[0], 2);  // records written before map runs existed read the same
  auto back = decode_execution_record(bytes);
  ASSERT_TRUE(back);
  EXPECT_TRUE(back->map_run_arn.empty());
  EXPECT_TRUE(back->parent_arn.empty());
}

TEST(ExecutionRecordTest, MockedTestCaseIsKeptInFormatFour) {
  ExecutionRecord r =
      record_of("arn:aws:states:us-east-1:000000000000:execution:orders:mocked-run", 11, "orders");
  r.test_case = "RetryPathWithLongName";
  std::string bytes = encode_execution_record(r);
  EXPECT_EQ(bytes[0], 4);
  auto back = decode_execution_record(bytes);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->arn, r.arn);
  EXPECT_EQ(back->test_case, "RetryPathWithLongName");
  EXPECT_TRUE(back->map_run_arn.empty());
  // Without a test case the record stays in the format older servers read.
  r.test_case.clear();
  EXPECT_EQ(encode_execution_record(r)[0], 2);
  EXPECT_TRUE(decode_execution_record(encode_execution_record(r))->test_case.empty());
  // A format this server does not know is refused rather than misread.
  bytes[0] = 5;
  EXPECT_FALSE(decode_execution_record(bytes));
}

}  // namespace
}  // namespace sluice::storage
