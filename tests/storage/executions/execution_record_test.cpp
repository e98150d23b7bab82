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

TEST(ExecutionRecordTest, KeysOfOneExecutionDiffer) {
  EXPECT_NE(heartbeats_key("arn"), execution_record_key("arn"));
  EXPECT_NE(execution_outcome_key("arn"), execution_record_key("arn"));
}

}  // namespace
}  // namespace sluice::storage
