// The stored bytes of history events and heartbeats: events keep type, links, time, details and
// resume records; events written before resume records existed still decode; corrupt bytes are
// rejected, not misread.
#include "engine/executor/history_event_codec.h"

#include <gtest/gtest.h>

#include "engine/json/json_parse.h"

namespace sluice::engine::executor {
namespace {

TEST(HistoryEventCodecTest, EventsKeepTypeLinksTimeAndDetails) {
  HistoryEvent e;
  e.id = 3;
  e.previous_event_id = 2;
  e.timestamp_ms = 99;
  e.type = HistoryEventType::kTaskScheduled;
  e.details = *json::parse(R"({"resource":"sendMessage","region":"us-east-1"})");
  std::string bytes = encode_history_event(e);
  auto back = decode_history_event(bytes);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->type, e.type);
  EXPECT_EQ(back->previous_event_id, 2);
  EXPECT_EQ(back->timestamp_ms, 99);
  EXPECT_EQ(*json::parse(back->details_json), e.details);

  HistoryEvent bare;
  bare.type = HistoryEventType::kParallelStateStarted;
  // The decoded event's views point into the bytes: they must outlive it.
  const std::string bare_bytes = encode_history_event(bare);
  auto b = decode_history_event(bare_bytes);
  ASSERT_TRUE(b);
  EXPECT_TRUE(b->details_json.empty());
  std::string bad = bytes;
  bad[0] = static_cast<char>(200);
  EXPECT_FALSE(decode_history_event(bad));
}

TEST(HistoryEventCodecTest, ResumeRecordsAreStoredBesideTheEventAndOlderEventsStillDecode) {
  HistoryEvent e;
  e.id = 3;
  e.previous_event_id = 2;
  e.timestamp_ms = 99;
  e.type = HistoryEventType::kTaskScheduled;
  e.details = *json::parse(R"({"resource":"sendMessage"})");
  e.resume_record = R"({"taskToken":"abc"})";
  const std::string bytes = encode_history_event(e);
  auto back = decode_history_event(bytes);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->type, e.type);
  EXPECT_EQ(back->timestamp_ms, 99);
  EXPECT_EQ(back->resume_record, e.resume_record);
  EXPECT_EQ(*json::parse(back->details_json), e.details);
  // An event written before resume records existed: type byte without the flag, no record.
  std::string old;
  old.push_back(static_cast<char>(e.type));
  old.append(std::string(encode_history_event(e)).substr(1, 16));
  old.append(R"({"resource":"sendMessage"})");
  auto o = decode_history_event(old);
  ASSERT_TRUE(o);
  EXPECT_EQ(o->type, e.type);
  EXPECT_TRUE(o->resume_record.empty());
  EXPECT_EQ(*json::parse(o->details_json), e.details);
  // ExecutionRedriven, the newest event type, is accepted.
  HistoryEvent r;
  r.type = HistoryEventType::kExecutionRedriven;
  const std::string r_bytes = encode_history_event(r);
  auto rb = decode_history_event(r_bytes);
  ASSERT_TRUE(rb);
  EXPECT_EQ(rb->type, r.type);
}

TEST(HistoryEventCodecTest, HeartbeatsRoundTrip) {
  std::vector<TaskHeartbeatRecord> beats{{5, 1000}, {9, 2000}};
  auto back = decode_heartbeats(encode_heartbeats(beats));
  ASSERT_TRUE(back);
  ASSERT_EQ(back->size(), 2u);
  EXPECT_EQ((*back)[1].scheduled_event_id, 9);
  EXPECT_EQ((*back)[1].at_ms, 2000);
  EXPECT_FALSE(decode_heartbeats("\x00\x00\x00\x05short"));
}

TEST(HistoryEventCodecTest, FullEventsParseTheirDetails) {
  HistoryEvent e;
  e.previous_event_id = 1;
  e.timestamp_ms = 7;
  e.type = HistoryEventType::kPassStateEntered;
  e.details = *json::parse(R"({"name":"P","input":"{}"})");
  e.resume_record = "a resume record longer than SSO";  // GCC 12: -Wrestrict
  auto back = decode_full_history_event(2, encode_history_event(e));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->id, 2);
  EXPECT_EQ(back->details, e.details);
  EXPECT_EQ(back->resume_record, "a resume record longer than SSO");
  std::string broken = encode_history_event(e);
  broken.back() = '!';
  EXPECT_FALSE(decode_full_history_event(2, broken));
}

TEST(HistoryEventCodecTest, TheExecutionInputIsStoredOnceAndSplicedBack) {
  const std::string input = R"({"orders":[{"id":"o-1","note":"say \"hi\""}]})";
  HistoryEvent entered;
  entered.type = HistoryEventType::kPassStateEntered;
  entered.details = json::Value(json::Object{{"name", json::Value("Handle the orders")},
                                             {"input", json::Value(input)},
                                             {"inputDetails", json::Value(json::Object{})}});
  const std::string plain = encode_history_event(entered);
  const std::string referenced = encode_history_event(entered, input);
  EXPECT_LT(referenced.size() + input.size(), plain.size() + 8) << "the input is not stored twice";
  auto stored = decode_history_event(referenced);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->input_member, "input");
  EXPECT_EQ(*json::parse(splice_input(*stored, input)), entered.details);
  auto full = decode_full_history_event(4, referenced, input);
  ASSERT_TRUE(full);
  EXPECT_EQ(full->details, entered.details);
  // An output that is the input; details with nothing but it.
  HistoryEvent succeeded;
  succeeded.type = HistoryEventType::kExecutionSucceeded;
  succeeded.details = json::Value(json::Object{{"output", json::Value(input)}});
  auto only = decode_full_history_event(5, encode_history_event(succeeded, input), input);
  ASSERT_TRUE(only);
  EXPECT_EQ(only->details, succeeded.details);
  // A different text is stored as it is.
  HistoryEvent other = entered;
  other.details.as_object().set("input", json::Value("{}"));
  const std::string other_bytes = encode_history_event(other, input);  // the views point into it
  auto kept = decode_history_event(other_bytes);
  ASSERT_TRUE(kept);
  EXPECT_TRUE(kept->input_member.empty());
  EXPECT_EQ(*json::parse(kept->details_json), other.details);
}

}  // namespace
}  // namespace sluice::engine::executor
