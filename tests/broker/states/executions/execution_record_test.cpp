// The LMDB encodings of executions: records, outcomes and history events round-trip; history
// keys sort by (execution, event id); corrupt bytes are rejected, not misread.
#include "broker/states/executions/execution_record.h"

#include <gtest/gtest.h>

#include "engine/json/json_parse.h"

namespace sluice::states {
namespace {

TEST(ExecutionRecordTest, RecordAndOutcomeRoundTrip) {
  ExecutionRecord r;
  r.id = 42;
  r.name = "run";
  r.machine = "m";
  r.version_arn = "arn:v";
  r.alias_arn = "arn:a";
  r.revision = 7;
  r.start_ms = 1'700'000'000'123;
  r.input = R"({"a":[1,2]})";
  r.trace_header = "Root=1";
  auto back = decode_execution_record(encode_execution_record(r));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->id, 42u);
  EXPECT_EQ(back->name, "run");
  EXPECT_EQ(back->version_arn, "arn:v");
  EXPECT_EQ(back->revision, 7u);
  EXPECT_EQ(back->start_ms, r.start_ms);
  EXPECT_EQ(back->input, r.input);
  EXPECT_EQ(back->trace_header, "Root=1");
  EXPECT_FALSE(decode_execution_record("garbage"));

  StoredOutcome o;
  o.status = engine::executor::ExecutionStatus::kFailed;
  o.stop_ms = 5;
  o.error = "E";
  o.redrive_count = 2;
  auto ob = decode_outcome(encode_outcome(o));
  ASSERT_TRUE(ob);
  EXPECT_EQ(ob->status, engine::executor::ExecutionStatus::kFailed);
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

TEST(ExecutionRecordTest, EventsKeepTypeLinksTimeAndDetails) {
  engine::executor::HistoryEvent e;
  e.id = 3;
  e.previous_event_id = 2;
  e.timestamp_ms = 99;
  e.type = engine::executor::HistoryEventType::kTaskScheduled;
  e.details = *engine::json::parse(R"({"resource":"sendMessage","region":"us-east-1"})");
  std::string bytes = encode_history_event(e);
  auto back = decode_history_event(bytes);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->type, e.type);
  EXPECT_EQ(back->previous_event_id, 2);
  EXPECT_EQ(back->timestamp_ms, 99);
  EXPECT_EQ(*engine::json::parse(back->details_json), e.details);

  engine::executor::HistoryEvent bare;
  bare.type = engine::executor::HistoryEventType::kParallelStateStarted;
  auto b = decode_history_event(encode_history_event(bare));
  ASSERT_TRUE(b);
  EXPECT_TRUE(b->details_json.empty());
  std::string bad = bytes;
  bad[0] = static_cast<char>(200);
  EXPECT_FALSE(decode_history_event(bad));
}

TEST(ExecutionRecordTest, ResumeRecordsAreStoredBesideTheEventAndOlderEventsStillDecode) {
  engine::executor::HistoryEvent e;
  e.id = 3;
  e.previous_event_id = 2;
  e.timestamp_ms = 99;
  e.type = engine::executor::HistoryEventType::kTaskScheduled;
  e.details = *engine::json::parse(R"({"resource":"sendMessage"})");
  e.resume_record = R"({"taskToken":"abc"})";
  auto back = decode_history_event(encode_history_event(e));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->type, e.type);
  EXPECT_EQ(back->timestamp_ms, 99);
  EXPECT_EQ(back->resume_record, e.resume_record);
  EXPECT_EQ(*engine::json::parse(back->details_json), e.details);
  // An event written before resume records existed: type byte without the flag, no record.
  std::string old;
  old.push_back(static_cast<char>(e.type));
  old.append(std::string(encode_history_event(e)).substr(1, 16));
  old.append(R"({"resource":"sendMessage"})");
  auto o = decode_history_event(old);
  ASSERT_TRUE(o);
  EXPECT_EQ(o->type, e.type);
  EXPECT_TRUE(o->resume_record.empty());
  EXPECT_EQ(*engine::json::parse(o->details_json), e.details);
  // ExecutionRedriven, the newest event type, is accepted.
  engine::executor::HistoryEvent r;
  r.type = engine::executor::HistoryEventType::kExecutionRedriven;
  auto rb = decode_history_event(encode_history_event(r));
  ASSERT_TRUE(rb);
  EXPECT_EQ(rb->type, r.type);
}

TEST(ExecutionRecordTest, HeartbeatsRoundTrip) {
  std::vector<engine::executor::TaskHeartbeatRecord> beats{{5, 1000}, {9, 2000}};
  auto back = decode_heartbeats(encode_heartbeats(beats));
  ASSERT_TRUE(back);
  ASSERT_EQ(back->size(), 2u);
  EXPECT_EQ((*back)[1].scheduled_event_id, 9);
  EXPECT_EQ((*back)[1].at_ms, 2000);
  EXPECT_FALSE(decode_heartbeats("\x00\x00\x00\x05short"));
  EXPECT_NE(heartbeats_key("arn"), execution_record_key("arn"));
}

}  // namespace
}  // namespace sluice::states
